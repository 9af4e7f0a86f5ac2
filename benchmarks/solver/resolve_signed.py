"""Benchmark: signed violations confirmed by the least-squares quotient before they become columns,
and the solve ended at the float noise floor (``relu.RESOLVE_SIGNED = True``), against every
float violation a column (``False``, the method before), same instances, same process.

Each row solves twice and certifies both solutions exactly. Reported: solve seconds, rounds,
tree walks (``pricing.walk_flags`` calls), whether the solver's float gap reads converged, the
exact brackets (they must overlap) and the ratio peer / method of solve + certificate.
Instances: the benchmark table's full-rank rows on the signed supports (random data, X ~ N(0, 1),
dX = P - 1, ``peers.random_instance``) and ill-conditioned ones from ``signed_conditioning.py``
(rows of X scaled over 3.75 and 8 decades). ReLU, bias, lam1 = lam2 = 1/20.

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/resolve_signed.py [--only I ...] [--out FILE.json]
"""
from __future__ import annotations

from peers import (bench_main, gap_text, paired_columns, paired_row, random_instance,
                   walked_certified_solve)
from signed_conditioning import _instance

from numeric.solver import make_problem, relu

INSTANCES = [("two outputs, dX = 11, P = 12 (table)", ("random", 11, 12, 2, 23)),
             ("three outputs, dX = 9, P = 10 (table)", ("random", 9, 10, 3, 32)),
             ("three outputs, dX = 13, P = 14 (table)", ("random", 13, 14, 3, 35)),
             ("six outputs, dX = 13, P = 14", ("random", 13, 14, 6, 75)),
             ("four outputs, dX = 15, P = 16 (table)", ("random", 15, 16, 4, 43)),
             ("six outputs, dX = 15, P = 16 (table)", ("random", 15, 16, 6, 76)),
             ("six outputs, P = 10, cond 7.2e7", ("scaled", 6, 10, 3)),
             ("three outputs, P = 10, cond 7.2e7", ("scaled", 3, 10, 3)),
             ("six outputs, P = 10, cond 1.9e9", ("scaled", 6, 10, -2))]


def _run(prob, resolve: bool) -> dict:
    relu.RESOLVE_SIGNED = resolve
    try:
        return walked_certified_solve(prob)
    finally:
        relu.RESOLVE_SIGNED = True


def run_one(label, spec) -> dict:
    if spec[0] == "random":
        X, Y = random_instance(*spec[1:])
    else:
        X, Y = _instance(spec[1], spec[2], spec[3])
    prob = make_problem(X, Y, 0.05, 0.05)
    a, b = _run(prob, True), _run(prob, False)
    return paired_row(label, prob.P, "resolve", a, "every", b, cond=prob.input_cond(),
                      ratio_solve=b["solve_seconds"] / max(a["solve_seconds"], 1e-9))


def _side(o):
    return (f"{o['solve_seconds']:.1f} s ({o['rounds']} rounds, {o['walks']} walks"
            f"{'' if o['converged'] else ', float: not converged'}) + "
            f"{o['certificate_seconds']:.1f} s, "
            f"{'no certificate (refused)' if o['rel_gap'] is None else gap_text(o)}")


COLUMNS = paired_columns("every", "every float violation: solve + certificate, bracket", "resolve",
                         "confirmed violations: solve + certificate, bracket", _side,
                         ("every", "confirmed"))


if __name__ == "__main__":
    bench_main(__file__, __doc__, INSTANCES, run_one, COLUMNS)
