"""Benchmark: target-aligned inputs at any dY -- the proved closed form vs the dense certified
solver vs training.

Hypercube task (n = 1), X = [I; sqrt(gamma) Y] with the bias, gamma = 2, lam1 = lam2 = 0.05.
Same process: our answer from the closed form of A.inputs.aligned, proved optimal for every dY by
its Walsh certificate, with every global minimum abstract by L.inputs.all-minima
(:mod:`numeric.solver.inputs_family`; exact, so the gap is 0); for dY <= 3 also the dense
column-generation solver with its exact rational bracket (:mod:`numeric.solver.api`, the route
used there); and torch training of the defining network (L-BFGS and Adam, float64, width 4P,
random starts cut at a time limit; :func:`families.training`).

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/aligned.py [--quick] [--out FILE.json]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from families import LAM, bench_setup, peer_row, time_ratio, write_results  # noqa: E402

from numeric.inputs import inputs  # noqa: E402
from numeric.solve import solve  # noqa: E402
from numeric.solver.inputs_family import answer  # noqa: E402
from numeric.tasks import augment, sign_vectors  # noqa: E402

GAMMA = 2.0


def ours_closed_form(dY):
    t0 = time.perf_counter()
    a = answer(dY, "aligned", {"gamma": GAMMA}, *LAM)
    E = a["numeric"]["energy"]
    return {"seconds": time.perf_counter() - t0, "energy": E, "lower": E, "rel_gap": 0.0,
            "certified": bool(a["certificate"]["global_optimum"]),
            "all_minima_abstract": a["certificate"]["all_minima_abstract"]}


def dense_seconds(dY):
    """time and bracket of the dense certified solver (the route of emergence solve, dY <= 3)"""
    t0 = time.perf_counter()
    out = solve(task="hypercube", dY=dY, lam1=LAM[0], lam2=LAM[1], inputs="aligned",
                input_params={"gamma": GAMMA}, certify=True)
    w = out["certificate"]["witness"]
    return time.perf_counter() - t0, w["rel_gap"], out["certificate"]["all_minima_abstract"]


def table(rows) -> str:
    out = ["| instance | ours: closed form (proved) | dense solver + exact bracket | every minimum "
           "abstract | L-BFGS within 1e-8 | L-BFGS best | Adam best | ratio (L-BFGS time to 1e-8 / "
           "ours) |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        o, lb, ad = r["ours"], r["torch_lbfgs"], r["torch_adam"]
        dense = (f"{r['dense_seconds']:.3g} s (gap {r['dense_gap']:.1e})" if "dense_seconds" in r
                 else "not run (dY >= 4: 13.4 min measured apart at dY = 4)")
        out.append(f"| {r['instance']} | {o['seconds'] * 1e3:.3g} ms | {dense} | "
                   f"{o['all_minima_abstract']} | {lb['frac_1e-8']:.0%} | {lb['best_rel']:.1e} | "
                   f"{ad['best_rel']:.1e} | {time_ratio(r)} |")
    return "\n".join(out)


def main(argv=None):
    args, starts, tlim = bench_setup(argv, "aligned.json", 5.0)
    rows = []
    for dY in (2, 3, 4, 5, 6):
        name = f"aligned gamma={GAMMA}, dY={dY} (P={2 ** dY})"
        print(f"== {name}", flush=True)
        ours_closed_form(dY)                        # warm-up (imports, lambdify); timed below
        Xt = augment(inputs(dY, "aligned", {"gamma": GAMMA}), True)
        row = peer_row(name, ours_closed_form(dY), Xt, sign_vectors(dY), "relu", starts, tlim)
        if dY <= 3:
            row["dense_seconds"], row["dense_gap"], row["dense_all_minima"] = dense_seconds(dY)
        rows.append(row)
    write_results(args.out, rows, starts, tlim, table)


if __name__ == "__main__":
    main()
