"""Benchmark: "every global minimum abstract" from the zero set of a Walsh-block certificate with
a singular block of degree >= 2 (numeric.solver.walsh_zeros) vs the exhaustive zero set over all
sign patterns (numeric.solver.affine_minima.decide, 3^P), and its cost up to dY = 8.

Hypercube task (n = 1, bias), anisotropic inputs with two different high-regime gammas (only a
certificate with a singular degree-2 block exists), lam1 = lam2 = 1/20. Same process:
1. dY = 3, where both routes exist: time of each decision and the answers (they must agree).
2. dY = 4..8: the time of the certificate search (strict, then with singular blocks) and of
   the ray enumeration, the dimension of ker S and the counts of enumerated and admissible rays.
3. 29 random anisotropic instances (gammas from a grid, dY = 4, 5, 6): how many are answered.

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
SMALL = [(0, 2, 2), (1, 2, 3), (2, 3, 4)]
LARGE = [(0, 2, 2, Fraction(1, 2)), (2, 3, 4, 5), (0, 2, 2, Fraction(1, 2), 1), (2, 3, 4, 5, 6),
         (0, Fraction(1, 2), 2, 5, 1, 1), (0, Fraction(1, 2), 2, 5, 1, 1, Fraction(1, 4)),
         (0, Fraction(1, 2), 2, 5, 1, 1, Fraction(1, 4), Fraction(1, 2))]


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


def large(gammas) -> dict:
    dY = len(gammas)
    _params, d, A1 = _dual(gammas)
    t0 = time.perf_counter()
    strict = certify(d.Q, A1, d.Y, d.zeros, strict_degree=2)[0]
    t_strict = time.perf_counter() - t0
    t0 = time.perf_counter()
    cert = certify(d.Q, A1, d.Y, d.zeros)[0]
    t_cert = time.perf_counter() - t0
    t0 = time.perf_counter()
    ab, _why, z = decide(cert, d.Q, A1, d.Y)
    t_rays = time.perf_counter() - t0
    return {"dY": dY, "gammas": [str(g) for g in gammas], "strict_found": strict is not None,
            "strict_seconds": t_strict, "certificate_seconds": t_cert, "zero_set_seconds": t_rays,
            "dim_ker_S": z.dim, "rays_enumerated": z.rays, "admissible": len(z.admissible),
            "non_affine": len(z.non_affine), "all_minima_abstract": ab}


def random_scan(seed: int = 7) -> dict:
    """anisotropic gammas drawn from a grid (12 instances at dY = 4, 5; 5 at dY = 6): how many
    the Walsh route answers, and the slowest answer (the public entry point, floats in)"""
    import random

    from numeric.solver.walsh_family import answer
    grid = [0, 0.25, 0.5, 1, 2, 3, 5, 8]
    rng = random.Random(seed)
    out = {"instances": 0, "certified": 0, "all_minima_true": 0, "max_seconds": 0.0}
    for dY, count in ((4, 12), (5, 12), (6, 5)):
        for _ in range(count):
            g = [rng.choice(grid) for _ in range(dY)]
            t0 = time.perf_counter()
            a = answer(dY, "anisotropic", {"gammas": g}, float(LAM), float(LAM))
            out["max_seconds"] = max(out["max_seconds"], time.perf_counter() - t0)
            out["instances"] += 1
            if a is not None and a["certificate"]["global_optimum"]:
                out["certified"] += 1
                out["all_minima_true"] += a["certificate"]["all_minima_abstract"] is True
    return out


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
          "enumerated (admissible, non-affine) | every minimum abstract |\n|---|---|---|---|---|---|---|---|")
    for gammas in LARGE:
        r = large(gammas)
        rows_l.append(r)
        print(f"| {r['dY']} | ({', '.join(r['gammas'])}) | {r['strict_seconds']:.3g} s "
              f"({'found' if r['strict_found'] else 'none'}) | {r['certificate_seconds']:.3g} s | "
              f"{r['zero_set_seconds']:.3g} s | {r['dim_ker_S']} | {r['rays_enumerated']} "
              f"({r['admissible']}, {r['non_affine']}) | {r['all_minima_abstract']} |", flush=True)
    scan = random_scan()
    print(f"\nrandom anisotropic instances (dY = 4, 5, 6): {scan['instances']}, certified "
          f"{scan['certified']}, every minimum abstract {scan['all_minima_true']}, slowest "
          f"{scan['max_seconds']:.3g} s")
    Path(args.out).write_text(json.dumps({"dY3": rows_s, "large": rows_l, "random": scan},
                                         indent=1))


if __name__ == "__main__":
    main()
