"""Benchmark: two to four outputs on full-rank inputs, the cell fans against the 3^P signed supports
walked as a tree (numeric.solver.signed_tree), same instances, same process.

``numeric.solver.simplices.prefers_fan`` chooses the route; here each instance runs through
both, the choice forced by replacing ``prefers_fan`` for full-rank inputs: solve + exact
certificate, then the independent re-verification of the JSON certificate, timed apart.
Reported per route: seconds, the certified bracket, and whether the two routes' exact brackets
overlap (they must). ReLU, bias, lam1 = lam2 = 1/20; random data X ~ N(0, 1) (dX = P - 1),
labels sign(N(0, 1)) (peers.random_instance); the P = 16 four-output and P = 14 three-output
rows are the main table's instances (``run.py``).

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/signed_or_fans.py [--only I ...] [--out FILE.json]
"""
from __future__ import annotations

from peers import (bench_main, gap_text, peak_rss_gb, random_instance, route_cell, route_comparison,
                   timed_certified_solve)

from numeric.solver import simplices

INSTANCES = [("two outputs, dX = 11, P = 12", (11, 12, 2, 23)),
             ("three outputs, dX = 11, P = 12", (11, 12, 3, 91)),
             ("four outputs, dX = 11, P = 12", (11, 12, 4, 90)),
             ("two outputs, dX = 13, P = 14", (13, 14, 2, 92)),
             ("three outputs, dX = 13, P = 14", (13, 14, 3, 35)),
             ("four outputs, dX = 13, P = 14", (13, 14, 4, 93)),
             ("four outputs, dX = 15, P = 16", (15, 16, 4, 43))]


def _route(X, Y, route) -> dict:
    saved = simplices.prefers_fan
    if route == "signed":
        simplices.prefers_fan = lambda dY, P, full_rank, rank=None, cond=None: (
            False if full_rank else saved(dY, P, full_rank, rank))
    else:
        simplices.prefers_fan = lambda dY, P, full_rank, rank=None, cond=None: (
            dY >= 2 if full_rank else saved(dY, P, full_rank, rank))
    try:
        sol, cert, rep, seconds = timed_certified_solve(X, Y)
    finally:
        simplices.prefers_fan = saved
    return {**seconds, "rounds": sol.iterations,
            "kind": cert["cost_bound"]["kind"], "rel_gap": rep.rel_gap,
            "certified": bool(rep.ok and rep.global_optimum),
            "upper": float(rep.upper), "lower": float(rep.lower)}


def run_one(label, spec) -> dict:
    X, Y = random_instance(*spec)
    row = {"instance": label, "signed": _route(X, Y, "signed"), "fans": _route(X, Y, "fans")}
    row.update(route_comparison(row["signed"], row["fans"]))
    row["peak_rss_gb"] = peak_rss_gb()
    return row


def _cell(route):
    return route_cell(route, lambda o: f"{o['solve_seconds']:.1f} + {o['certificate_seconds']:.1f} s, "
                                       f"re-verify {o['verify_seconds']:.1f} s ({gap_text(o)}; "
                                       f"{o['rounds']} rounds, {o['kind']})")


COLUMNS = [("instance", lambda r: r["instance"]),
           ("signed supports (tree)", _cell("signed")),
           ("fans", _cell("fans")),
           ("ratio signed / fans (solve + certificate)", lambda r: f"{r['ratio']:.2f}"),
           ("brackets overlap", lambda r: "yes" if r["overlap"] else "NO"),
           ("peak memory", lambda r: f"{r['peak_rss_gb']:.2f} GB")]


if __name__ == "__main__":
    bench_main(__file__, __doc__, INSTANCES, run_one, COLUMNS)
