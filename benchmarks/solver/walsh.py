"""Benchmark: Walsh-block certificates (numeric.solver.walsh_certificate) vs the exhaustive
sign-pattern check, and the answers they give at dY = 4..6 vs training.

Hypercube task (n = 1, bias), lam1 = lam2 = 0.05. Same process:
1. *Certificate step* (dY = 2, 3, where both exist): time to prove V(u) = u^T Q u - |Y u_+|^2 / rho
   >= 0 for every u at the tight ratio rho of interaction inputs (eta = 2), by the Walsh-block
   certificate and by :func:`numeric.inputs.exact_kkt_check` (3^P copositivity decisions).
2. *Answers* (beyond the exhaustive check; the dense route took > 40 min at dY = 4 before the
   cell ascent, 12.5 min after it on one anisotropic instance): :func:`numeric.solver.walsh_family.answer` for interaction inputs (eta = 2,
   dY = 4..8: an exact non-abstract optimum, certificate reduced by the cube symmetry) and
   anisotropic inputs (dY = 4..8: closed form certified, every minimum abstract), against
   torch training of the defining network (L-BFGS and Adam, float64, width 4P, random starts
   cut at a time limit; :func:`families.training`).

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/walsh.py [--quick] [--out FILE.json]
"""
from __future__ import annotations

import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from families import LAM, bench_setup, peer_row, time_ratio, write_results  # noqa: E402

from numeric.inputs import exact_input_matrices, exact_kkt_check, inputs  # noqa: E402
from numeric.solver import rational as rq  # noqa: E402
from numeric.solver.symmetric_witness import non_abstract_optimum, pair_and_half_supports  # noqa: E402
from numeric.solver.walsh_certificate import certify  # noqa: E402
from numeric.solver.walsh_family import answer  # noqa: E402
from numeric.tasks import augment, sign_vectors  # noqa: E402

ANISO = {4: [0.2, 0.3, 0.4, 0.5], 5: [0.1, 0.2, 0.3, 0.4, 0.5], 6: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
         7: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], 8: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]}


def certificate_step(dY):
    Y, KY, Q = exact_input_matrices(dY, "interaction", {"eta": Fraction(2)})
    r = non_abstract_optimum(Q, Y, pair_and_half_supports(Y))
    A = KY * rq.q(1 / r.rho)
    t0 = time.perf_counter()
    cert, _ = certify(Q, A, Y, r.patterns)
    t_walsh = time.perf_counter() - t0
    t0 = time.perf_counter()
    ok, orbits, _ = exact_kkt_check(Q, A, 1, 1, Y)
    t_exh = time.perf_counter() - t0
    return {"dY": dY, "rho": str(r.rho), "walsh_seconds": t_walsh, "walsh_ok": cert is not None,
            "exhaustive_seconds": t_exh, "exhaustive_ok": ok, "orbits": orbits}


def ours(dY, family, params):
    t0 = time.perf_counter()
    a = answer(dY, family, params, *LAM)
    E = a["numeric"]["energy"]
    return {"seconds": time.perf_counter() - t0, "energy": E, "lower": E, "rel_gap": 0.0,
            "certified": bool(a["certificate"]["global_optimum"]),
            "all_minima_abstract": a["certificate"]["all_minima_abstract"]}


def table(rows) -> str:
    out = ["| instance | ours: Walsh-certified answer | every minimum abstract | L-BFGS within "
           "1e-8 | L-BFGS best | Adam best | ratio (L-BFGS time to 1e-8 / ours) |",
           "|---|---|---|---|---|---|---|"]
    for r in rows:
        o, lb, ad = r["ours"], r["torch_lbfgs"], r["torch_adam"]
        out.append(f"| {r['instance']} | {o['seconds']:.3g} s | {o['all_minima_abstract']} | "
                   f"{lb['frac_1e-8']:.0%} | {lb['best_rel']:.1e} | {ad['best_rel']:.1e} | "
                   f"{time_ratio(r)} |")
    return "\n".join(out)


def main(argv=None):
    args, starts, tlim = bench_setup(argv, "walsh.json", 5.0)
    steps = [certificate_step(dY) for dY in (2, 3)]
    print("| dY | rho | Walsh certificate | exhaustive check (orbits) | ratio |\n|---|---|---|---|---|")
    for s in steps:
        print(f"| {s['dY']} | {s['rho']} | {s['walsh_seconds'] * 1e3:.3g} ms ({s['walsh_ok']}) | "
              f"{s['exhaustive_seconds'] * 1e3:.3g} ms ({s['exhaustive_ok']}, {s['orbits']}) | "
              f"{s['exhaustive_seconds'] / s['walsh_seconds']:.3g}× |", flush=True)
    rows = []
    cases = [(dY, "interaction", {"eta": 2.0}) for dY in (4, 5, 6, 7, 8)] + \
        [(dY, "anisotropic", {"gammas": ANISO[dY]}) for dY in (4, 5, 6, 7, 8)]
    for dY, family, params in cases:
        if True:
            name = f"{family} {params}, dY={dY} (P={2 ** dY})"
            print(f"== {name}", flush=True)
            Xt = augment(inputs(dY, family, params), True)
            rows.append(peer_row(name, ours(dY, family, params), Xt, sign_vectors(dY), "relu",
                                 starts, tlim))
    write_results(args.out, rows, starts, tlim, table)
    import json
    data = json.loads(Path(args.out).read_text())
    data["certificate_step"] = steps
    Path(args.out).write_text(json.dumps(data, indent=1, default=float))


if __name__ == "__main__":
    main()
