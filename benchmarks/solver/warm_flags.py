"""Benchmark: signed rounds re-price the last walk's flagged blocks before walking again
(``relu.WARM_FLAGS = True``, ``pricing.signed_search``'s ``warm``) against walking every round
whose heuristic finds nothing (``False``, the method before), same instances, same process.

Each row solves twice and certifies both solutions exactly. Reported: solve seconds, rounds,
the number of tree walks (``pricing.walk_flags`` calls) and the seconds spent in them, the
exact brackets (they must overlap: both are certified enclosures of the same optimum) and the
ratio walk / warm of solve + certificate (the certificate's own walk is the same for both).
ReLU, bias, lam1 = lam2 = 1/20, random data X ~ N(0, 1) (dX = P - 1, full rank, labels
sign(N(0, 1)); peers.random_instance): the signed supports' route (five outputs and more).

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/warm_flags.py [--only I ...] [--out FILE.json]
"""
from __future__ import annotations

from peers import (PAIRED_COLUMNS, bench_main, certified_fields, gap_text, paired_row, random_instance,
                   timed_calls, timed_certified_solve)

from numeric.solver import pricing, relu

INSTANCES = [("five outputs, dX = 11, P = 12", 11, 12, 5, 71),
             ("six outputs, dX = 11, P = 12", 11, 12, 6, 73),
             ("seven outputs, dX = 11, P = 12", 11, 12, 7, 3),
             ("eight outputs, dX = 11, P = 12", 11, 12, 8, 82),
             ("six outputs, dX = 12, P = 13", 12, 13, 6, 74),
             ("six outputs, dX = 13, P = 14", 13, 14, 6, 75),
             ("six outputs, dX = 15, P = 16", 15, 16, 6, 76),
             ("eight outputs, dX = 15, P = 16", 15, 16, 8, 86)]


def _run(X, Y, warm: bool) -> dict:
    relu.WARM_FLAGS = warm
    try:
        with timed_calls(pricing, "walk_flags") as walks:
            sol, cert, rep, seconds = timed_certified_solve(X, Y)
    finally:
        relu.WARM_FLAGS = True
    return {**seconds, "walks": walks.calls, "walk_seconds": walks.seconds, "rounds": sol.iterations,
            **certified_fields(cert, rep)}


def run_one(label, dX, P, dY, seed) -> dict:
    X, Y = random_instance(dX, P, dY, seed)
    a, b = _run(X, Y, True), _run(X, Y, False)
    return paired_row(label, P, "warm", a, "walk", b,
                      ratio_solve=b["solve_seconds"] / max(a["solve_seconds"], 1e-9))


def _side(o):
    return (f"{o['solve_seconds']:.1f} s ({o['rounds']} rounds, {o['walks']} walks, "
            f"{o['walk_seconds']:.1f} s) + {o['certificate_seconds']:.1f} s, {gap_text(o)}")


COLUMNS = [("instance", lambda r: r["instance"]),
           ("walk every round: solve + certificate, bracket", lambda r: _side(r["walk"])),
           ("warm flags: solve + certificate, bracket", lambda r: _side(r["warm"])),
           ("solve walk / warm", lambda r: f"{r['ratio_solve']:.2f}×"),
           ("solve + certificate walk / warm", lambda r: f"{r['ratio']:.2f}×")] + PAIRED_COLUMNS


if __name__ == "__main__":
    bench_main(__file__, __doc__, INSTANCES, run_one, COLUMNS)
