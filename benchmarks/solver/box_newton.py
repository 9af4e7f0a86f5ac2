"""Benchmark: the box polish by projected Newton (numeric.solver.box_newton) against L-BFGS-B
(numeric.solver.polish.polish_box, the method before), same instances, same process.

Each row solves twice (``relu.BOX_POLISH = "newton"``, then ``"lbfgsb"``) and certifies both
solutions exactly. Reported: solve seconds and the part spent in the box polish, rounds, the
exact brackets (they must overlap: both are certified enclosures of the same optimum) and the
ratio L-BFGS-B / Newton of solve + certificate. ReLU, bias, lam1 = lam2 = 1/20. Random data
X ~ N(0, 1) (dX = P - 1, full rank, labels sign(N(0, 1)); peers.random_instance): the signed
supports' route for five outputs and more, and for two on well-conditioned inputs up to P = 14
(``simplices.prefers_fan``; on the fans, the other route that polishes in pattern space, before
2026-11-27). Scaled
one-hot inputs (X diagonal, so Q = K_X^-1 is a Z-matrix): the orthant route.

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/box_newton.py [--only I ...] [--out FILE.json]
"""
from __future__ import annotations

import numpy as np
from peers import (PAIRED_COLUMNS, bench_main, certified_fields, gap_text, paired_row, random_instance,
                   timed_calls, timed_certified_solve)

from numeric.solver import relu

INSTANCES = [("four outputs, scaled one-hot inputs, P = 16 (orthant)", 0, 16, 4, 92),
             ("two outputs, dX = 11, P = 12", 11, 12, 2, 61),
             ("five outputs, dX = 11, P = 12", 11, 12, 5, 71),
             ("six outputs, dX = 9, P = 10", 9, 10, 6, 72),
             ("six outputs, dX = 11, P = 12", 11, 12, 6, 73),
             ("eight outputs, dX = 11, P = 12", 11, 12, 8, 82),
             ("six outputs, dX = 12, P = 13", 12, 13, 6, 74),
             ("six outputs, dX = 13, P = 14", 13, 14, 6, 75),
             ("six outputs, dX = 15, P = 16", 15, 16, 6, 76)]


def _instance(dX, P, dY, seed):
    """dX = 0: one-hot inputs scaled by exp(N(0, 1)) (a diagonal X), labels as usual."""
    if dX == 0:
        g = np.random.default_rng(seed)
        return np.diag(np.exp(g.standard_normal(P))), np.sign(g.standard_normal((dY, P)))
    return random_instance(dX, P, dY, seed)


def _run(X, Y, method: str) -> dict:
    relu.BOX_POLISH = method
    try:
        with timed_calls(relu, "_polish_box") as polish:
            sol, cert, rep, seconds = timed_certified_solve(X, Y)
    finally:
        relu.BOX_POLISH = "newton"
    return {**seconds, "polish_seconds": polish.seconds, "rounds": sol.iterations,
            **certified_fields(cert, rep)}


def run_one(label, dX, P, dY, seed) -> dict:
    X, Y = _instance(dX, P, dY, seed)
    a, b = _run(X, Y, "newton"), _run(X, Y, "lbfgsb")
    return paired_row(label, P, "newton", a, "lbfgsb", b,
                      ratio_polish=b["polish_seconds"] / max(a["polish_seconds"], 1e-9))


def _side(o):
    return (f"{o['solve_seconds']:.1f} s (polish {o['polish_seconds']:.1f} s; {o['rounds']} rounds) "
            f"+ {o['certificate_seconds']:.1f} s, {gap_text(o)}")


COLUMNS = [("instance", lambda r: r["instance"]),
           ("L-BFGS-B: solve + certificate, bracket", lambda r: _side(r["lbfgsb"])),
           ("Newton: solve + certificate, bracket", lambda r: _side(r["newton"])),
           ("polish L-BFGS-B / Newton", lambda r: f"{r['ratio_polish']:.1f}×"),
           ("solve + certificate L-BFGS-B / Newton", lambda r: f"{r['ratio']:.2f}×")] + PAIRED_COLUMNS


if __name__ == "__main__":
    bench_main(__file__, __doc__, INSTANCES, run_one, COLUMNS)
