"""Benchmark: the certified answers for the linear and Lipschitz activation families vs training.

Same instance, same process: our certified answer (solve + exact certificate + the all-minima
decision; timed on a second call, after imports and lambdify) against torch training of the *defining* network (L-BFGS and Adam, float64, width 4P,
random starts, each cut at a time limit). Reported: our time, the certificate's gap and
all-minima answer; per optimiser the fraction of starts within 1e-8 of the certified value, the
median time to get there, the best final relative error, and whether any run went below the
certified lower bound (it never may). tanh has no attained optimum: its target is the certified
infimum, which no finite network reaches.

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/families.py [--quick] [--out FILE.json]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers  # noqa: E402

from numeric.solver import rational as rq  # noqa: E402
from numeric.solver.linear import certify_linear, solve_linear  # noqa: E402
from numeric.solver.linear_abstraction import decide  # noqa: E402
from numeric.solver.lipschitz_hypercube import hypercube_answer  # noqa: E402
from numeric.tasks import hypercube, hypercube_targets  # noqa: E402

LAM = (0.05, 0.05)


def ours_linear(Xt, Y):
    t0 = time.perf_counter()
    sol = solve_linear(Xt, Y, *LAM)
    t_solve = time.perf_counter() - t0
    c = certify_linear(sol, Xt, Y, *LAM)
    d = decide(c, Xt, Y, *LAM)
    return {"seconds": time.perf_counter() - t0, "solve_seconds": t_solve, "energy": float(rq.frac(c.upper)),
            "lower": float(rq.frac(c.lower)), "rel_gap": c.rel_gap,
            "certified": bool(c.global_optimum), "all_minima_abstract": d["all_minima_abstract"]}


def ours_hypercube(act, dY):
    t0 = time.perf_counter()
    a = hypercube_answer(act, dY, *LAM)
    w = a["certificate"]["witness"]
    return {"seconds": time.perf_counter() - t0, "energy": w["lower"] if act == "tanh" else w["upper"],
            "lower": w["lower"], "rel_gap": w["rel_gap"],
            "certified": bool(a["certificate"]["global_optimum"]),
            "all_minima_abstract": a["certificate"]["all_minima_abstract"]}


def training(Xt, Y, E, lower, activation, optimizer, starts, time_limit):
    P = Y.shape[1]
    runs = [peers.train_torch(Xt, Y, *LAM, 4 * P, s, optimizer=optimizer, time_limit=time_limit,
                              E_star=E, activation=activation) for s in range(starts)]
    losses = np.array([r["loss"] for r in runs])
    t8 = [r["hit"][1e-8] for r in runs if r["hit"][1e-8] is not None]
    return {"frac_1e-8": float(np.mean((losses - E) / E <= 1e-8)),
            "time_to_1e-8": float(np.median(t8)) if t8 else None,
            "best_rel": float((losses.min() - E) / E),
            "below_lower_bound": bool(np.any(losses < lower * (1 - 1e-12)))}


def time_ratio(row) -> str:
    """L-BFGS time to 1e-8 over ours, or the lower bound "> time limit / ours (never)"."""
    o, t = row["ours"], row["torch_lbfgs"]["time_to_1e-8"]
    return f"{t / o['seconds']:.3g}×" if t else f"> {row['time_limit'] / o['seconds']:.3g}× (never)"


def peer_row(name, o, Xt, Y, activation, starts, tlim) -> dict:
    """Our result ``o`` and both optimisers' training runs on the same instance."""
    row = {"instance": name, "ours": o, "time_limit": tlim, "starts": starts}
    for opt in ("lbfgs", "adam"):
        row[f"torch_{opt}"] = training(Xt, Y, o["energy"], o["lower"], activation, opt, starts, tlim)
    print(json.dumps(row, default=float), flush=True)
    return row


def bench_setup(argv, out_name: str, full_time_limit: float):
    """Arguments (--quick, --out), single-threaded torch; returns (args, starts, time limit)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=str(Path(__file__).with_name(out_name)))
    args = ap.parse_args(argv)
    import torch
    torch.set_num_threads(1)            # both sides single-threaded (run with OPENBLAS_NUM_THREADS=1)
    return (args, *((2, 1.0) if args.quick else (5, full_time_limit)))


def write_results(path, rows, starts, tlim, table_fn) -> None:
    Path(path).write_text(json.dumps({"lam": LAM, "starts": starts, "time_limit_per_start": tlim,
                                      "rows": rows}, indent=1, default=float))
    print(table_fn(rows))


def instances():
    rng = np.random.default_rng(41)
    out = []
    for dY in (3, 5):
        T = hypercube(dY)
        out.append((f"linear, hypercube dY={dY} (P={T.P})", "linear", T.X_tilde(), T.Y, dY))
    for P, dX, dY in ((16, 5, 2), (32, 10, 4), (12, 20, 2)):
        Y = np.repeat(hypercube_targets(dY), P // 2 ** dY, axis=1)
        Xt = np.vstack([rng.standard_normal((dX, P)), np.ones(P)])
        out.append((f"linear, random dX={dX}, P={P}, dY={dY}", "linear", Xt, Y, dY))
    for act in ("hard-tanh", "hard-sigmoid", "clipped-relu", "tanh"):
        T = hypercube(3)
        out.append((f"{act}, hypercube dY=3 (P=8)", act, T.X_tilde(), T.Y, 3))
    return out


def table(rows) -> str:
    out = ["| instance | ours (certified) | ours (solve only) | gap | every minimum abstract | "
           "L-BFGS within 1e-8 | L-BFGS time to 1e-8 | Adam within 1e-8 | Adam best | "
           "ratio (L-BFGS time to 1e-8 / ours certified) |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        o, lb, ad = r["ours"], r["torch_lbfgs"], r["torch_adam"]
        t, ratio = lb["time_to_1e-8"], time_ratio(r)
        so = o.get("solve_seconds")
        out.append(f"| {r['instance']} | {o['seconds']:.3g} s | {'—' if so is None else f'{so:.3g} s'} | "
                   f"{o['rel_gap']:.1e} | "
                   f"{o['all_minima_abstract']} | {lb['frac_1e-8']:.0%} | "
                   f"{'—' if t is None else f'{t:.3g} s'} | {ad['frac_1e-8']:.0%} | {ad['best_rel']:.1e} | {ratio} |")
    return "\n".join(out)


def main(argv=None):
    args, starts, tlim = bench_setup(argv, "families.json", 3.0)
    rows = []
    for name, act, Xt, Y, dY in instances():
        print(f"== {name}", flush=True)
        ours = (lambda: ours_linear(Xt, Y)) if act == "linear" else (lambda: ours_hypercube(act, dY))
        ours()                                  # warm-up (imports, lambdify); the second call is timed
        rows.append(peer_row(name, ours(), Xt, Y, act, starts, tlim))
    write_results(args.out, rows, starts, tlim, table)


if __name__ == "__main__":
    main()
