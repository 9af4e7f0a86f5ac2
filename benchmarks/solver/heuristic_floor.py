"""Benchmark: on the 3^P signed supports, a violation from the heuristic or from the warm flags
becomes the round's column only below -tau lam1, tau = min(1e-6, 1e-3 x the float gap known so
far) (``relu.HEURISTIC_MIN_REL``, ``relu.HEURISTIC_GAP_FRACTION``); smaller ones send the round to
the walk, which stops early only at a violation below -tau lam1. Against any violation below
-1e-10 lam1 a column (``HEURISTIC_MIN_REL = None``, the method before), same instances, same
process.

Each row solves twice and certifies both solutions exactly. Reported: solve seconds, rounds, tree
walks (``pricing.walk_flags`` calls), the stop reason, the exact brackets and the ratio peer /
method of solve + certificate. Instances: the benchmark table's full-rank rows on the signed
supports (random data, X ~ N(0, 1), dX = P - 1, ``peers.random_instance``); the three- and
six-output instances of ``signed_conditioning.py`` (P = 10, rows of X scaled over 3 .. 5.25 and
8 decades, cond(K_X) 2.9e4 .. 1.1e11); and two rows with the weight-space polish forced below its
threshold (``relu.SIGNED_WEIGHT_POLISH_COND = 0``), where the crawl was first seen. ReLU, bias,
lam1 = lam2 = 1/20. The two methods alternate which runs first, row by row.

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/heuristic_floor.py [--only I ...] [--out FILE.json]
"""
from __future__ import annotations

from peers import (bench_main, gap_text, paired_columns, paired_row, random_instance,
                   walked_certified_solve)
from signed_conditioning import _instance

from numeric.solver import make_problem, relu, simplices

INSTANCES = ([("two outputs, dX = 11, P = 12 (table)", ("random", 11, 12, 2, 23)),
              ("three outputs, dX = 9, P = 10 (table)", ("random", 9, 10, 3, 32)),
              ("three outputs, dX = 13, P = 14 (table)", ("random", 13, 14, 3, 35)),
              ("six outputs, dX = 13, P = 14", ("random", 13, 14, 6, 75)),
              ("four outputs, dX = 15, P = 16 (table)", ("random", 15, 16, 4, 43)),
              ("six outputs, dX = 15, P = 16 (table)", ("random", 15, 16, 6, 76)),
              ("eight outputs, dX = 15, P = 16 (table)", ("random", 15, 16, 8, 86)),
              ("three outputs, P = 10, seed 502, weight-space polish forced", ("forced", 3, 10, 2)),
              ("six outputs, P = 10, seed 501, weight-space polish forced", ("forced", 6, 10, 1))]
             + [(f"{dY} outputs, P = 10, seed {500 + i}", ("scaled", dY, 10, i))
                for dY in (3, 6) for i in range(8)]
             + [(f"{dY} outputs, P = 10, 8 decades, seed {s}", ("scaled", dY, 10, -s))
                for dY in (3, 6) for s in range(1, 6)])


def _run(prob, heur_min, forced: bool) -> dict:
    saved = (relu.HEURISTIC_MIN_REL, relu.SIGNED_WEIGHT_POLISH_COND, simplices.SMALL_DY_SIGNED_P,
             simplices.SIGNED_MAX_COND)
    relu.HEURISTIC_MIN_REL = heur_min
    # (the signed supports for two to four outputs at any conditioning, as the defaults on
    # well-conditioned inputs: signed_conditioning.py)
    simplices.SMALL_DY_SIGNED_P, simplices.SIGNED_MAX_COND = {2: 16, 3: 16, 4: 16}, float("inf")
    if forced:
        relu.SIGNED_WEIGHT_POLISH_COND = 0.0
    try:
        return walked_certified_solve(prob)
    finally:
        (relu.HEURISTIC_MIN_REL, relu.SIGNED_WEIGHT_POLISH_COND, simplices.SMALL_DY_SIGNED_P,
         simplices.SIGNED_MAX_COND) = saved


def run_one(label, spec) -> dict:
    X, Y = random_instance(*spec[1:]) if spec[0] == "random" else _instance(*spec[1:])
    prob = make_problem(X, Y, 0.05, 0.05)
    forced = spec[0] == "forced"
    order = [relu.HEURISTIC_MIN_REL, None]
    if sum(map(ord, label)) % 2:               # (alternate which method runs first)
        order.reverse()
    out = {str(h): _run(prob, h, forced) for h in order}
    a, b = out[str(relu.HEURISTIC_MIN_REL)], out["None"]
    return paired_row(label, prob.P, "floor", a, "any", b, cond=prob.input_cond(),
                      ratio_solve=b["solve_seconds"] / max(a["solve_seconds"], 1e-9))


def _side(o):
    return (f"{o['solve_seconds']:.1f} s ({o['rounds']} rounds, {o['walks']} walks, "
            f"{o['stop_reason']}) + {o['certificate_seconds']:.1f} s, "
            f"{'no certificate (refused)' if o['rel_gap'] is None else gap_text(o)}")


COLUMNS = paired_columns("any", "any heuristic violation: solve + certificate, bracket", "floor",
                         "only below -tau lam1: solve + certificate, bracket", _side, ("any", "floor"))


if __name__ == "__main__":
    bench_main(__file__, __doc__, INSTANCES, run_one, COLUMNS)
