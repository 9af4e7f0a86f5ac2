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


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
def test_cuda_matches_cpu():
    cpu = train_hypercube(dY=2, lam1=0.05, lam2=0.05, width=8, seeds=2, steps=500)
    gpu = train_hypercube(dY=2, lam1=0.05, lam2=0.05, width=8, seeds=2, steps=500, device="cuda")
    for a, b in zip(cpu["runs"], gpu["runs"]):
        assert a["loss"] == pytest.approx(b["loss"], rel=1e-6)
