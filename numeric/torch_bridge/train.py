"""Train f(x) = W2 relu(W x~) on the hypercube task with torch, and compare with the theory.

Loss exactly as in the suite (no 1/2, no 1/P): ||Y - W2 phi(W X~)||^2 + lam1 ||W||^2 +
lam2 ||W2||^2, float64 throughout so the result is comparable with the closed form to 1e-8.
Optimiser: torch.optim.LBFGS with strong-Wolfe line search, after a short Adam warm-up. The
report gives, per seed, the final loss, its relative gap to the closed-form optimum (when one
covers the instance), the alignment of the hidden kernel phi(H)^T phi(H) with K* (cosine), and
the parallelism score of the hidden layer. Like all gradient training it can stall in local
minima: the report shows it, it does not hide it.
"""
from __future__ import annotations

import time

import numpy as np

from numeric.closed_forms import closed_form_for
from numeric.instance import make_instance
from numeric.parallelism import parallelism_score
from numeric.validation import InputError, integer_at_least

DEVICES = ("cpu", "cuda")


def _device(torch, name: str):
    if name not in DEVICES:
        raise InputError(f"`device` must be one of {list(DEVICES)}; got {name!r}")
    if name == "cuda" and not torch.cuda.is_available():
        raise InputError("`device` 'cuda' needs a CUDA build of torch and a GPU; "
                         f"torch {torch.__version__} reports torch.cuda.is_available() = False")
    return torch.device(name)


def _activation(torch, name: str):
    table = {"relu": torch.relu, "tanh": torch.tanh, "linear": lambda z: z}
    if name not in table:
        raise InputError(f"`activation` must be one of {sorted(table)} for the torch bridge; got {name!r}")
    return table[name]


def torch_loss(W, W2, Xt, Y, lam1, lam2, phi):
    R = Y - W2 @ phi(W @ Xt)
    return (R * R).sum() + lam1 * (W * W).sum() + lam2 * (W2 * W2).sum()


def train_hypercube(*, dY: int, lam1: float, lam2: float, width: int, seeds: int = 4,
                    activation: str = "relu", device: str = "cpu", steps: int = 3000,
                    bias: bool = True, init_scale: float = 0.5) -> dict:
    import torch

    integer_at_least("width", width, 1)
    integer_at_least("seeds", seeds, 1)
    integer_at_least("steps", steps, 1)
    inst, task = make_instance(task="hypercube", dY=dY, lam1=lam1, lam2=lam2,
                               activation=activation, bias=bias)
    if task is None or task.P > 4096:
        raise InputError(f"`dY` must give P <= 4096 to train a network; got dY = {dY}")
    dev = _device(torch, device)
    phi = _activation(torch, activation)
    cf, _ = closed_form_for(inst)
    Xt = torch.tensor(task.X_tilde(), dtype=torch.float64, device=dev)
    Y = torch.tensor(task.Y, dtype=torch.float64, device=dev)
    Kstar = None
    if cf is not None and cf["kernel"].get("dense") is not None:
        Kstar = np.asarray(cf["kernel"]["dense"])
    runs = []
    for seed in range(seeds):
        g = torch.Generator(device="cpu").manual_seed(seed)
        W = (init_scale * torch.randn(width, Xt.shape[0], generator=g, dtype=torch.float64)).to(dev)
        W2 = (init_scale * torch.randn(Y.shape[0], width, generator=g, dtype=torch.float64)).to(dev)
        W.requires_grad_(True)
        W2.requires_grad_(True)
        t0 = time.perf_counter()
        adam = torch.optim.Adam([W, W2], lr=1e-2)
        for _ in range(min(200, steps)):
            adam.zero_grad()
            loss = torch_loss(W, W2, Xt, Y, lam1, lam2, phi)
            loss.backward()
            adam.step()
        lbfgs = torch.optim.LBFGS([W, W2], lr=1, max_iter=steps, tolerance_grad=1e-14,
                                  tolerance_change=1e-16, history_size=50,
                                  line_search_fn="strong_wolfe")

        def closure():
            lbfgs.zero_grad()
            val = torch_loss(W, W2, Xt, Y, lam1, lam2, phi)
            val.backward()
            return val
        lbfgs.step(closure)
        if dev.type == "cuda":
            torch.cuda.synchronize()
        seconds = time.perf_counter() - t0
        with torch.no_grad():
            final = float(torch_loss(W, W2, Xt, Y, lam1, lam2, phi))
            hidden = phi(W @ Xt).cpu().numpy()
        if not np.isfinite(final):
            raise RuntimeError(f"training diverged for seed {seed}: loss = {final}")
        run = {"seed": seed, "loss": final, "seconds": seconds}
        if cf is not None:
            run["gap"] = (final - cf["energy"]) / cf["energy"]
        if Kstar is not None:
            K = hidden.T @ hidden
            run["kernel_alignment"] = float(np.sum(K * Kstar) / (np.linalg.norm(K) * np.linalg.norm(Kstar)))
        try:
            run["ps"] = parallelism_score(hidden, task.Y) if dY >= 2 else None
        except ValueError:
            run["ps"] = None            # a coding vector vanished (dead units)
        runs.append(run)
    return {"instance": inst, "width": width, "device": str(dev), "torch": torch.__version__,
            "closed_form_energy": None if cf is None else cf["energy"],
            "closed_form_claim": None if cf is None else cf["claim"], "runs": runs}


def train_cli(args) -> dict:
    if args.task != "hypercube":
        raise InputError(f"`task` must be 'hypercube' for train; got {args.task!r}")
    out = train_hypercube(dY=args.dY, lam1=args.lam1, lam2=args.lam2, width=args.width,
                          seeds=args.seeds, activation=args.activation, device=args.device,
                          steps=args.steps)
    lines = [f"device={out['device']} torch={out['torch']} width={out['width']} "
             f"E*={out['closed_form_energy']}"]
    for r in out["runs"]:
        gap = f"{r['gap']:.2e}" if "gap" in r else "-"
        ps = f"{r['ps']:.4f}" if r.get("ps") is not None else "-"
        lines.append(f"seed {r['seed']}: loss={r['loss']:.10g} gap={gap} PS={ps}")
    out["summary"] = "\n".join(lines)
    return out
