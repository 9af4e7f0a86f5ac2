import numpy as np
import pytest

torch = pytest.importorskip("torch")

from numeric.energy import network_loss
from numeric.tasks import hypercube
from numeric.torch_bridge import train_hypercube
from numeric.torch_bridge.train import torch_loss
from numeric.validation import InputError


def test_torch_loss_equals_numpy_loss():
    rng = np.random.default_rng(0)
    task = hypercube(2)
    Xt = task.X_tilde()
    W, W2 = rng.standard_normal((5, Xt.shape[0])), rng.standard_normal((2, 5))
    t = lambda a: torch.tensor(a, dtype=torch.float64)
    val = float(torch_loss(t(W), t(W2), t(Xt), t(task.Y), 0.3, 0.2, torch.relu))
    assert val == pytest.approx(network_loss(W, W2, Xt, task.Y, 0.3, 0.2), rel=1e-14)


def test_training_on_cpu_respects_and_reaches_the_closed_form():
    out = train_hypercube(dY=2, lam1=0.05, lam2=0.05, width=8, seeds=4, steps=2000)
    gaps = np.array([r["gap"] for r in out["runs"]])
    assert gaps.min() > -1e-9                       # nobody beats the global optimum
    assert gaps.min() < 1e-3                        # the best run reaches it
    best = out["runs"][int(np.argmin(gaps))]
    assert best["kernel_alignment"] > 0.999 and best["ps"] > 0.99


def test_bad_device_and_width():
    with pytest.raises(InputError, match="`device`"):
        train_hypercube(dY=2, lam1=0.1, lam2=0.1, width=4, seeds=1, device="tpu")
    with pytest.raises(InputError, match="`width`"):
        train_hypercube(dY=2, lam1=0.1, lam2=0.1, width=0, seeds=1)


needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")


@needs_cuda
def test_cuda_loss_and_gradient_match_cpu():
    """Same point, same formula: the devices differ only by rounding (reduction order)."""
    rng = np.random.default_rng(1)
    task = hypercube(4)
    Xt = task.X_tilde()
    W, W2 = rng.standard_normal((16, Xt.shape[0])), rng.standard_normal((4, 16))
    out = {}
    for dev in ("cpu", "cuda"):
        t = lambda a: torch.tensor(a, dtype=torch.float64, device=dev)
        w, w2 = t(W).requires_grad_(True), t(W2).requires_grad_(True)
        val = torch_loss(w, w2, t(Xt), t(task.Y), 0.05, 0.05, torch.relu)
        val.backward()
        out[dev] = (float(val.detach()), w.grad.cpu().numpy(), w2.grad.cpu().numpy())
    assert out["cuda"][0] == pytest.approx(out["cpu"][0], rel=1e-13)
    for a, b in zip(out["cpu"][1:], out["cuda"][1:]):
        assert np.max(np.abs(a - b)) <= 1e-12 * np.max(np.abs(a))


@needs_cuda
def test_cuda_training_respects_and_reaches_the_closed_form():
    """End to end on the GPU. Not compared seed by seed with the CPU: rounding differences
    send non-convex training from the same start to different stationary points (measured on
    an H200: final losses 0.4322 vs 0.4324 for one seed), so the test holds each device to the
    theory instead."""
    out = train_hypercube(dY=2, lam1=0.05, lam2=0.05, width=8, seeds=4, steps=2000, device="cuda")
    assert out["device"].startswith("cuda")
    gaps = np.array([r["gap"] for r in out["runs"]])
    assert gaps.min() > -1e-9
    assert gaps.min() < 1e-3
