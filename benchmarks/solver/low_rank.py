"""Benchmark: several outputs on low-rank data beyond 20 samples, certified solver vs training.

Points on a line with a bias (rank 2) and two to four binary labels (five: five_outputs.py),
P = 30 ... 60 -- the
instances that the dense solver refused before it ran its fans over the non-empty cells of the
arrangement. Same process, both sides single-threaded: our certified answer (solve + exact
certificate, then the independent re-verification timed apart) against torch training of the
defining ReLU network (L-BFGS and Adam, float64, width 4P, random starts cut at a time limit;
:func:`families.training`). Reported: our time and certified gap; per optimiser the fraction of
starts within 1e-8 of the certified value, the median time to get there, the best final relative
error, and whether any run went below the certified lower bound (it never may).

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/low_rank.py [--quick] [--out FILE.json]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from families import LAM, bench_setup, peer_row, time_ratio, write_results  # noqa: E402

from numeric.solver import build_certificate, make_problem, solve_relu, verify_certificate  # noqa: E402


def line_task(P, dY, seed):
    """P sorted points on [-2, 2], label k = sign(sin(f_k x + phase_k))."""
    rng = np.random.default_rng(seed)
    X = np.sort(rng.uniform(-2, 2, (1, P)), axis=1)
    freq = np.array([[2.5], [1.3], [0.7], [3.1], [1.9]])[:dY]
    return X, np.sign(np.sin(freq * X + rng.uniform(0, 1, (dY, 1))))


def ours(X, Y):
    t0 = time.perf_counter()
    sol = solve_relu(make_problem(X, Y, *LAM))
    cert = build_certificate(sol)
    secs = time.perf_counter() - t0
    t1 = time.perf_counter()
    rep = verify_certificate(cert)
    return {"seconds": secs, "solve_seconds": sol.seconds, "verify_seconds": time.perf_counter() - t1,
            "energy": float(rep.upper), "lower": float(rep.lower), "rel_gap": rep.rel_gap,
            "certified": bool(rep.ok and rep.global_optimum),
            "cells": int(cert["summary"]["supports_checked"])}


def table(rows) -> str:
    out = ["| instance | ours (solve + certificate) | verify | gap | certified | L-BFGS within 1e-8 | "
           "L-BFGS best | Adam within 1e-8 | Adam best | below our bound | "
           "ratio (L-BFGS time to 1e-8 / ours) |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        o, lb, ad = r["ours"], r["torch_lbfgs"], r["torch_adam"]
        ratio = time_ratio(r)
        below = lb["below_lower_bound"] or ad["below_lower_bound"]
        out.append(f"| {r['instance']} | {o['seconds']:.3g} s | {o['verify_seconds']:.2g} s | "
                   f"{o['rel_gap']:.1e} | {o['certified']} | {lb['frac_1e-8']:.0%} | {lb['best_rel']:.1e} | "
                   f"{ad['frac_1e-8']:.0%} | {ad['best_rel']:.1e} | {below} | {ratio} |")
    return "\n".join(out)


def main(argv=None):
    args, starts, tlim = bench_setup(argv, "low_rank.json", 10.0)
    specs = [(30, 2, 1), (30, 3, 2)] if args.quick else [(30, 2, 1), (30, 3, 2), (60, 2, 4), (60, 3, 5), (40, 4, 3)]
    rows = []
    for P, dY, seed in specs:
        name = f"points on a line, P={P}, dY={dY} (rank 2)"
        print(f"== {name}", flush=True)
        X, Y = line_task(P, dY, seed)
        Xt = np.vstack([X, np.ones((1, P))])
        rows.append(peer_row(name, ours(X, Y), Xt, Y, "relu", starts, tlim))
    write_results(args.out, rows, starts, tlim, table)


if __name__ == "__main__":
    main()
