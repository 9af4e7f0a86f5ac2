"""Benchmark: the 3^P signed supports against the cell fans on ill-conditioned full-rank inputs,
the measurement behind ``numeric.solver.simplices.SIGNED_MAX_COND``.

Each row solves and certifies one instance twice, with the routes forced (the signed supports:
``SMALL_DY_SIGNED_P`` and ``SIGNED_MAX_COND`` lifted; the fans: ``SMALL_DY_SIGNED_P = 0`` and, for
five outputs, ``SIGNED_FASTER_P = 0``). Reported: cond(K_X), whether the solve converged (float gap
<= 1e-12 after an exhaustive pricing), whether the exact certificate closed (<= 1e-12), its
bracket, and seconds. Instances: X ~ N(0, 1) (dX = P - 1) with its rows scaled by a log-spaced
range of 10^-(1.5 .. 3.75) / 2 .. 10^0 (so cond(K_X) spans ~10^4 .. 10^8), labels sign(N(0, 1)),
seeds 500 + i; two to six outputs (six: the signed supports only); then rows scaled over 8 decades
(cond ~1e9 .. 1e11), seeds 1 .. 5, two, three, four and six outputs. ReLU, bias, lam1 = lam2 = 1/20.

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/signed_conditioning.py [--only I ...] [--out FILE.json]
"""
from __future__ import annotations

import time

import numpy as np
from peers import bench_main, route_cell

from numeric.solver import build_certificate, make_problem, simplices, solve_relu, verify_certificate
from numeric.solver.certificate import CertificateError

INSTANCES = ([(f"{dY} outputs, P = 10, seed {500 + i}", dY, 10, i)
              for dY in (2, 3, 4, 5, 6) for i in range(8)]
             + [(f"{dY} outputs, P = 10, 8 decades, seed {s}", dY, 10, -s)
                for dY in (2, 3, 4, 6) for s in range(1, 6)])


def _instance(dY: int, P: int, i: int):
    """i >= 0: seed 500 + i, rows scaled over 3 + (i mod 4) 0.75 decades; i < 0: seed -i, rows
    scaled over 8 decades (cond(K_X) ~1e9 .. 1e11)."""
    r = np.random.default_rng(500 + i if i >= 0 else -i)
    decades = 3 + i % 4 * 0.75 if i >= 0 else 8.0
    X = r.standard_normal((P - 1, P)) * np.logspace(0, -decades / 2, P - 1)[:, None]
    return X, np.sign(r.standard_normal((dY, P)))


def _route(prob, route: str) -> dict:
    saved = (simplices.SMALL_DY_SIGNED_P, simplices.SIGNED_MAX_COND, simplices.SIGNED_FASTER_P)
    if route == "signed":
        simplices.SMALL_DY_SIGNED_P, simplices.SIGNED_MAX_COND = {2: 16, 3: 16, 4: 16}, float("inf")
    else:
        simplices.SMALL_DY_SIGNED_P, simplices.SIGNED_FASTER_P = {2: 0, 3: 0, 4: 0}, 0
    try:
        t0 = time.perf_counter()
        sol = solve_relu(prob)
        try:
            cert = build_certificate(sol)
            rep = verify_certificate(cert)
            ok, gap, kind = bool(rep.ok and rep.global_optimum), rep.rel_gap, cert["cost_bound"]["kind"]
        except CertificateError as e:
            ok, gap, kind = False, None, f"refused: {e}"
        return {"converged": bool(sol.converged), "certified": ok, "rel_gap": gap, "kind": kind,
                "seconds": time.perf_counter() - t0}
    finally:
        simplices.SMALL_DY_SIGNED_P, simplices.SIGNED_MAX_COND, simplices.SIGNED_FASTER_P = saved


def run_one(label, dY, P, i) -> dict:
    prob = make_problem(*_instance(dY, P, i), 0.05, 0.05)
    # (six or more outputs have no fans on full-rank inputs)
    return {"instance": label, "dY": dY, "cond": prob.input_cond(),
            "signed": _route(prob, "signed"),
            "fans": _route(prob, "fans") if dY <= simplices.MAX_DY else None}


def _cell(o: dict) -> str:
    gap = "no certificate" if o["rel_gap"] is None else f"{o['rel_gap']:.1e}"
    return (f"{'converged' if o['converged'] else 'not converged'}, "
            f"{gap}{'' if o['certified'] else ' (NOT certified)'}, {o['seconds']:.1f} s")


COLUMNS = [("instance", lambda r: r["instance"]),
           ("cond(K_X)", lambda r: f"{r['cond']:.1e}"),
           ("signed supports", route_cell("signed", _cell)),
           ("fans", route_cell("fans", _cell))]


if __name__ == "__main__":
    bench_main(__file__, __doc__, INSTANCES, run_one, COLUMNS)
