"""Benchmark: massively parallel training restarts against the certified optimum.

The training peers of ``run.py`` use 10 random starts on the CPU. Could many more starts on an
accelerator reach the global minimum that the certified solver proves? This script trains B
independent width-4P ReLU networks at once (one batched float64 tensor program: every network
has its own weights, the loss is their sum, so the gradients are independent), with Adam and a
cosine-decayed step, and reports how many came within 1e-4, 1e-6 and 1e-8 (relative) of the
certified E*, the best one, and the wall time -- against our certified solve + certificate time
from ``results.json`` (2 CPU cores; ratios of different machines are reported as such, not as
same-process ratios).

E* is the certified upper bound of ``results.json`` (the exact network loss of the certificate's
network; its bracket is <= 1e-12 relative), for the same instances generated as in ``run.py``.
A final loss below E* (1 - 1e-9) would contradict the certificate and is reported.

    python benchmarks/solver/restarts.py [--device cuda] [--batch 4096] [--steps 20000] [--out FILE]
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np

from peers import random_instance

from numeric.tasks import hypercube

HERE = Path(__file__).resolve().parent
LAM = (0.05, 0.05)
#: (row label in results.json, spec): an int is the hypercube dY; a tuple (dX, P, dY, seed)
INSTANCES = [("hypercube dY=3 (P=8)", 3), ("hypercube dY=4 (P=16)", 4),
             ("random data dY=2, dX=11, P=12", (11, 12, 2, 23)),
             ("random data dY=3, dX=13, P=14", (13, 14, 3, 35)),
             ("random data dY=4, dX=15, P=16", (15, 16, 4, 43))]


def instance(spec):
    if isinstance(spec, int):
        T = hypercube(spec)
        return T.X_tilde(), T.Y
    X, Y = random_instance(*spec)
    return np.vstack([X, np.ones((1, X.shape[1]))]), Y


def train_batch(torch, Xt, Y, E, *, batch, steps, device, seed=0, lr=1e-2):
    """B networks trained together; returns their final losses (float64) and the wall time."""
    lam1, lam2 = LAM
    gen = torch.Generator(device="cpu").manual_seed(seed)
    D, P = Xt.shape
    dY, M = Y.shape[0], 4 * P
    X_t = torch.tensor(Xt, dtype=torch.float64, device=device)
    Y_t = torch.tensor(Y, dtype=torch.float64, device=device)
    W = (0.5 * torch.randn(batch, M, D, generator=gen, dtype=torch.float64)).to(device).requires_grad_()
    W2 = (0.5 * torch.randn(batch, dY, M, generator=gen, dtype=torch.float64)).to(device).requires_grad_()
    opt = torch.optim.Adam([W, W2], lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: 1e-3 + (1 - 1e-3) * 0.5 * (1 + math.cos(math.pi * min(k, steps) / steps)))

    def losses():
        R = Y_t - W2 @ torch.relu(W @ X_t)
        return (R * R).sum((1, 2)) + lam1 * (W * W).sum((1, 2)) + lam2 * (W2 * W2).sum((1, 2))

    if device == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(steps):
        opt.zero_grad(set_to_none=True)
        losses().sum().backward()
        opt.step()
        sched.step()
    with torch.no_grad():
        final = losses().cpu().numpy()
    if device == "cuda":
        torch.cuda.synchronize()
    return final, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--batch", type=int, default=4096)
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--only", type=int, nargs="*")
    ap.add_argument("--out", default=str(HERE / "restarts.json"))
    args = ap.parse_args()
    import torch
    ref = {r["instance"]: r for r in json.loads((HERE / "results.json").read_text())["rows"]}
    rows = []
    for k, (label, spec) in enumerate(INSTANCES):
        if args.only is not None and k not in args.only:
            continue
        Xt, Y = instance(spec)
        ours = ref[label]["ours_dense"]
        E = float(ours["energy"])
        final, secs = train_batch(torch, Xt, Y, E, batch=args.batch, steps=args.steps, device=args.device)
        rel = (final - E) / E
        row = {"instance": label, "E_star": E, "ours_seconds": ours["seconds"],
               "ours_certified": bool(ours["certified"]), "batch": args.batch, "steps": args.steps,
               "device": torch.cuda.get_device_name(0) if args.device == "cuda" else "cpu",
               "train_seconds": secs, "best_rel": float(rel.min()), "median_rel": float(np.median(rel)),
               **{f"frac_{t}": float(np.mean(rel <= float(t))) for t in ("1e-4", "1e-6", "1e-8")},
               "below_certified": int(np.sum(final < E * (1 - 1e-9)))}
        rows.append(row)
        print(json.dumps(row), flush=True)
        Path(args.out).write_text(json.dumps({"lam": LAM, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
