"""Benchmark: "every global minimum abstract" from the zero set of a Walsh-block certificate with
a singular block of degree >= 2 (numeric.solver.walsh_zeros) vs the exhaustive zero set over all
sign patterns (numeric.solver.affine_minima.decide, 3^P), and its cost up to dY = 8.

Hypercube task (n = 1, bias), anisotropic inputs with two different high-regime gammas (only a
certificate with a singular degree-2 block exists), lam1 = lam2 = 1/20. Same process:
1. dY = 3, where both routes exist: time of each decision and the answers (they must agree).
2. dY = 4..8: the time of the certificate search (strict, then with singular blocks) and of
   the ray enumeration, the dimension of ker S and the counts of extreme and admissible rays.

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/walsh_zeros.py [--out FILE.json]
"""
from __future__ import annotations

import argparse
import json
import time
from fractions import Fraction
from pathlib import Path

from numeric.solver import rational as rq
from numeric.solver.affine_minima import closed_form_dual, decide_by_walsh, decide_inputs_family
from numeric.solver.walsh_certificate import certify
from numeric.solver.walsh_zeros import decide

LAM = Fraction(1, 20)
SMALL = [(0, 2, 2), (1, 2, 3)]
LARGE = {4: (0, 2, 2, Fraction(1, 2)), 5: (0, 2, 2, Fraction(1, 2), 1),
         6: (0, Fraction(1, 2), 2, 5, 1, 1), 7: (0, Fraction(1, 2), 2, 5, 1, 1, Fraction(1, 4)),
         8: (0, Fraction(1, 2), 2, 5, 1, 1, Fraction(1, 4), Fraction(1, 2))}


def _dual(gammas):
    params = {"gammas": [Fraction(g) for g in gammas]}
    d = closed_form_dual(len(gammas), "anisotropic", params, LAM, LAM)
    return params, d, d.A * rq.q(d.lam2 / d.lam1)


def small(gammas) -> dict:
    params, d, A1 = _dual(gammas)
    t0 = time.perf_counter()
    w = decide_by_walsh(d.Q, A1, d.Y, d.zeros)
    t_walsh = time.perf_counter() - t0
    t0 = time.perf_counter()
    ex = decide_inputs_family(len(gammas), "anisotropic", params, LAM, LAM)
    t_ex = time.perf_counter() - t0
    return {"gammas": [str(g) for g in gammas], "walsh_seconds": t_walsh,
            "walsh": w.all_minima_abstract, "exhaustive_seconds": t_ex,
            "exhaustive": ex.all_minima_abstract, "ratio": t_ex / t_walsh}


def large(dY) -> dict:
    _params, d, A1 = _dual(LARGE[dY])
    t0 = time.perf_counter()
    strict = certify(d.Q, A1, d.Y, d.zeros, strict_degree=2)[0]
    t_strict = time.perf_counter() - t0
    t0 = time.perf_counter()
    cert = certify(d.Q, A1, d.Y, d.zeros)[0]
    t_cert = time.perf_counter() - t0
    t0 = time.perf_counter()
    ab, _why, z = decide(cert, d.Q, A1, d.Y)
    t_rays = time.perf_counter() - t0
    return {"dY": dY, "gammas": [str(g) for g in LARGE[dY]], "strict_found": strict is not None,
            "strict_seconds": t_strict, "certificate_seconds": t_cert, "zero_set_seconds": t_rays,
            "dim_ker_S": z.dim, "extreme_rays": z.rays, "admissible": len(z.admissible),
            "non_affine": len(z.non_affine), "all_minima_abstract": ab}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(Path(__file__).with_name("walsh_zeros.json")))
    args = ap.parse_args(argv)
    rows_s = [small(g) for g in SMALL]
    print("| gammas (dY = 3) | zero-set route | exhaustive zero set | ratio |\n|---|---|---|---|")
    for r in rows_s:
        print(f"| ({', '.join(r['gammas'])}) | {r['walsh_seconds']:.3g} s ({r['walsh']}) | "
              f"{r['exhaustive_seconds']:.3g} s ({r['exhaustive']}) | {r['ratio']:.3g}× |", flush=True)
    rows_l = []
    print("\n| dY | gammas | strict search | certificate | zero set | dim ker S | rays "
          "(admissible, non-affine) | every minimum abstract |\n|---|---|---|---|---|---|---|---|")
    for dY in sorted(LARGE):
        r = large(dY)
        rows_l.append(r)
        print(f"| {dY} | ({', '.join(r['gammas'])}) | {r['strict_seconds']:.3g} s "
              f"({'found' if r['strict_found'] else 'none'}) | {r['certificate_seconds']:.3g} s | "
              f"{r['zero_set_seconds']:.3g} s | {r['dim_ker_S']} | {r['extreme_rays']} "
              f"({r['admissible']}, {r['non_affine']}) | {r['all_minima_abstract']} |", flush=True)
    Path(args.out).write_text(json.dumps({"dY3": rows_s, "large": rows_l}, indent=1))


if __name__ == "__main__":
    main()
