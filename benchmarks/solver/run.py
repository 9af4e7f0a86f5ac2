"""Benchmark: the certified solver vs cvxpy DNN SDP, torch L-BFGS / Adam, pyscnn (same instances,
same process). Not part of the test run.

    .venv/bin/python benchmarks/solver/run.py [--quick] [--out benchmarks/solver/results.json]

Needs the optional packages cvxpy, clarabel, pyscnn (``pip install cvxpy clarabel`` and
``pip install --no-deps pyscnn``) and torch. Threads are limited to 2 (the reference machine).
Prints a markdown table of times, accuracies and ratios (peer time / our time).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("MKL_NUM_THREADS", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import peers  # noqa: E402
from numeric.solver import build_certificate, make_problem, solve_hypercube, solve_relu, verify_certificate  # noqa: E402
from numeric.tasks import hypercube  # noqa: E402

LAM = (0.05, 0.05)


def ours_dense(X, Y, bias, lam1, lam2):
    t0 = time.perf_counter()
    sol = solve_relu(make_problem(X, Y, lam1, lam2, bias=bias))
    cert = build_certificate(sol)
    secs = time.perf_counter() - t0
    t1 = time.perf_counter()
    rep = verify_certificate(cert)
    return {"seconds": secs, "energy": float(rep.upper), "rel_gap": rep.rel_gap,
            "certified": bool(rep.ok and rep.global_optimum), "lower": float(rep.lower),
            "solve_seconds": sol.seconds, "verify_seconds": time.perf_counter() - t1}


def ours_symmetric(dY, n, bias, lam1, lam2):
    t0 = time.perf_counter()
    s = solve_hypercube(dY, n, lam1, lam2, bias=bias)
    return {"seconds": time.perf_counter() - t0, "energy": s.energy, "rel_gap": 0.0,
            "certified": bool(s.exact_match)}


def training(Xt, Y, lam1, lam2, E, optimizer, starts, time_limit):
    P = Y.shape[1]
    runs = [peers.train_torch(Xt, Y, lam1, lam2, 4 * P, s, optimizer=optimizer,
                              time_limit=time_limit, E_star=E) for s in range(starts)]
    losses = np.array([r["loss"] for r in runs])
    t8 = [r["hit"][1e-8] for r in runs if r["hit"][1e-8] is not None]
    t4 = [r["hit"][1e-4] for r in runs if r["hit"][1e-4] is not None]
    return {"seconds_total": sum(r["seconds"] for r in runs),
            "best_rel": float((losses.min() - E) / E), "median_rel": float(np.median((losses - E) / E)),
            "frac_1e-8": float(np.mean((losses - E) / E <= 1e-8)),
            "frac_1e-4": float(np.mean((losses - E) / E <= 1e-4)),
            "time_to_1e-8": (float(np.median(t8)) if t8 else None),
            "time_to_1e-4": (float(np.median(t4)) if t4 else None),
            "below_optimum": bool(np.any(losses < E * (1 - 1e-9))),
            # runs that ended at a stationary point above 1e-8: they never reach it
            "frac_stuck": float(np.mean([r["stopped"] and r["loss"] > E * (1 + 1e-8) for r in runs]))}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer starts and shorter runs")
    ap.add_argument("--out", default=str(Path(__file__).with_name("results.json")))
    ap.add_argument("--only", nargs="*", type=int, default=None, metavar="K",
                    help="re-run only instances K (0-based) and replace their rows in --out")
    args = ap.parse_args(argv)
    import torch
    torch.set_num_threads(2)
    starts, tlim = (3, 2.0) if args.quick else (10, 5.0)
    STARTS[0] = starts
    lam1, lam2 = LAM
    rows = []
    rng = np.random.default_rng(5)
    instances = [("hypercube dY=2 (P=4)", 2), ("hypercube dY=3 (P=8)", 3), ("hypercube dY=4 (P=16)", 4),
                 ("hypercube dY=5 (P=32)", 5), ("hypercube dY=10 (P=1024)", 10),
                 ("random data dY=1, dX=9, P=8", None), ("random data dY=2, dX=3, P=8 (rank 4)", "rd"),
                 ("random data dY=1, dX=15, P=16", (15, 16, 1, 21)),
                 ("random data dY=1, dX=4, P=16 (rank 5)", (4, 16, 1, 22)),
                 ("random data dY=2, dX=11, P=12", (11, 12, 2, 23)),
                 ("random data dY=1, dX=2, P=40 (rank 3)", (2, 40, 1, 24)),
                 ("random data dY=3, dX=9, P=10", (9, 10, 3, 32)),
                 ("random data dY=3, dX=5, P=12 (rank 6)", (5, 12, 3, 34)),
                 ("random data dY=3, dX=13, P=14", (13, 14, 3, 35)),
                 ("random data dY=4, dX=15, P=16", (15, 16, 4, 43)),
                 ("random data dY=6, dX=15, P=16", (15, 16, 6, 76)),
                 ("random data dY=8, dX=15, P=16", (15, 16, 8, 86))]
    # the two shared-generator instances draw in table order whatever --only selects
    shared = {None: (rng.standard_normal((9, 8)), rng.standard_normal((1, 8)))}
    shared["rd"] = (rng.standard_normal((3, 8)), np.sign(rng.standard_normal((2, 8))))
    old = json.loads(Path(args.out).read_text())["rows"] if args.only and Path(args.out).exists() else None
    for idx, (name, spec) in enumerate(instances):
        if args.only is not None and idx not in args.only:
            if old is not None:
                rows.extend(r for r in old if r["instance"] == name)
            continue
        print(f"== {name}", flush=True)
        row = {"instance": name}
        if isinstance(spec, int):
            dY = spec
            T = hypercube(dY)
            Xt, Y, P = T.X_tilde() if dY <= 5 else None, T.Y if dY <= 5 else None, 2 ** dY
            sym = ours_symmetric(dY, 1, True, lam1, lam2)
            row["ours_symmetric"] = sym
            E = sym["energy"]
            if P <= 16:
                row["ours_dense"] = ours_dense(T.X, T.Y, True, lam1, lam2)
            if P <= 32:
                Q = np.linalg.inv(Xt.T @ Xt)
                d = peers.dnn_sdp(Q, Y, lam1, lam2)
                d["rel_err"] = abs(d["energy"] - E) / E
                row["cvxpy_dnn"] = d
                for opt in ("lbfgs", "adam"):
                    row[f"torch_{opt}"] = training(Xt, Y, lam1, lam2, E, opt, starts, tlim)
                sc = peers.pyscnn_fit(Xt, Y, lam1, lam2, max_neurons=max(8 * P, 64))
                sc["rel_err"] = (sc["energy"] - E) / E
                row["pyscnn"] = sc
        else:
            if spec is None or spec == "rd":
                X, Y = shared[spec]
            else:                                 # (dX, P, dY, seed): own generator
                X, Y = peers.random_instance(*spec)
            Xt = np.vstack([X, np.ones((1, X.shape[1]))])
            od = ours_dense(X, Y, True, lam1, lam2)
            row["ours_dense"] = od
            E = od["energy"]
            for opt in ("lbfgs", "adam"):
                row[f"torch_{opt}"] = training(Xt, Y, lam1, lam2, E, opt, starts, tlim)
            sc = peers.pyscnn_fit(Xt, Y, lam1, lam2, max_neurons=max(64, 8 * X.shape[1]))
            sc["rel_err"] = (sc["energy"] - E) / E
            row["pyscnn"] = sc
        rows.append(row)
        print(json.dumps(row, default=float)[:2000], flush=True)
    Path(args.out).write_text(json.dumps({"lam": LAM, "starts": starts, "time_limit_per_start": tlim,
                                          "rows": rows}, indent=1, default=float))
    print(table(rows))


def _fmt_t(x):
    return "—" if x is None else f"{x:.3g} s"


def table(rows) -> str:
    out = ["| instance | method | time | final rel. error | reached 1e-8 (fraction) | time to 1e-8 | "
           "certificate | time ratio vs ours |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        base = min(x["seconds"] for x in (r.get("ours_dense"), r.get("ours_symmetric")) if x)
        if r.get("ours_symmetric"):
            s = r["ours_symmetric"]
            out.append(f"| {r['instance']} | ours, symmetry reduction | {_fmt_t(s['seconds'])} | 0 (exact) | 1 | "
                       f"{_fmt_t(s['seconds'])} | exact, zero gap | 1 |")
        if r.get("ours_dense"):
            s = r["ours_dense"]
            out.append(f"| {r['instance']} | ours, dense + exact bracket (re-verify {_fmt_t(s['verify_seconds'])}) | {_fmt_t(s['seconds'])} | "
                       f"{s['rel_gap']:.1e} (certified gap) | 1 | {_fmt_t(s['seconds'])} | "
                       f"{'yes' if s['certified'] else 'bracket ' + format(s['rel_gap'], '.0e')} | "
                       f"{s['seconds'] / base:.3g} |")
        if r.get("cvxpy_dnn"):
            s = r["cvxpy_dnn"]
            out.append(f"| {r['instance']} | cvxpy DNN SDP (Clarabel) | {_fmt_t(s['seconds'])} | {s['rel_err']:.1e} | "
                       f"{int(s['rel_err'] <= 1e-8)} | {_fmt_t(s['seconds']) if s['rel_err'] <= 1e-8 else '—'} | no | "
                       f"{s['seconds'] / base:.3g} |")
        for opt, label in (("torch_lbfgs", "torch L-BFGS, width 4P"), ("torch_adam", "torch Adam, width 4P")):
            if r.get(opt):
                s = r[opt]
                t8 = s["time_to_1e-8"]
                stuck = s.get("frac_stuck", 0.0)
                ratio = (f"{t8 / base:.3g}" if t8 else f"> {s['seconds_total'] / base:.3g} (never"
                         + (f"; {stuck:.0%} of runs stopped at stationary points above 1e-8)" if stuck else ")"))
                out.append(f"| {r['instance']} | {label} ({len_starts(s)}) | {_fmt_t(s['seconds_total'])} total | "
                           f"best {s['best_rel']:.1e}, median {s['median_rel']:.1e} | {s['frac_1e-8']:.2f} | "
                           f"{_fmt_t(t8)} | no | {ratio} |")
        if r.get("pyscnn"):
            s = r["pyscnn"]
            out.append(f"| {r['instance']} | pyscnn convex ReLU (AL) | {_fmt_t(s['seconds'])} | {s['rel_err']:.1e} | "
                       f"{int(abs(s['rel_err']) <= 1e-8)} | {_fmt_t(s['seconds']) if abs(s['rel_err']) <= 1e-8 else '—'} | no | "
                       f"{s['seconds'] / base:.3g} |")
    return "\n".join(out)


def len_starts(s):
    return f"{STARTS[0]} starts"


STARTS = [10]


if __name__ == "__main__":
    main()
