"""Benchmark: five outputs (dY = 5) on the simplicial fans against the 3^P signed supports, same
instances, same process.

The solver and the certificate choose between the two exact routes by
``numeric.solver.simplices.prefers_fan``: for five outputs on full-rank inputs the signed
supports up to ``SIGNED_FASTER_P`` samples (16, where the filtered signed check stops), the
fans beyond and on singular inputs. Here each full-rank instance is run through both routes (the choice forced by
setting ``SIGNED_FASTER_P``), where both exist: solve + exact certificate, then the independent
re-verification of the JSON certificate, timed apart. Reported per route: seconds, the certified
bracket, the cones (fans) or signed supports checked, and whether the two routes' exact
brackets overlap (they must). ReLU, bias, lam1 = lam2 = 1/20; random data X ~ N(0, 1), labels
sign(N(0, 1)) (peers.random_instance), and five labels on points of a line (low_rank.line_task).
``peak_rss_gb`` is the process's peak resident memory after the row (monotone over the run).

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/five_outputs.py [--only I ...] [--out FILE.json]
"""
from __future__ import annotations

from low_rank import line_task
from peers import (bench_main, gap_text, peak_rss_gb, random_instance, route_cell, route_comparison,
                   timed_certified_solve)

from numeric.solver import simplices

INSTANCES = [("five outputs, dX = 7, P = 8", "random", (7, 8, 51), ("signed", "fans")),
             ("five outputs, dX = 9, P = 10", "random", (9, 10, 52), ("signed", "fans")),
             ("five outputs, dX = 10, P = 11", "random", (10, 11, 56), ("signed", "fans")),
             ("five outputs, dX = 11, P = 12", "random", (11, 12, 53), ("signed", "fans")),
             ("five labels, 30 points on a line (rank 2)", "line", (30, 1), ("fans",)),
             ("five outputs, dX = 13, P = 14", "random", (13, 14, 54), ("fans",)),
             ("five outputs, dX = 15, P = 16", "random", (15, 16, 55), ("fans",))]


def _data(kind, spec):
    if kind == "line":
        return line_task(spec[0], 5, spec[1])
    dX, P, seed = spec
    return random_instance(dX, P, 5, seed)


def _route(X, Y, route) -> dict:
    saved = simplices.SIGNED_FASTER_P
    simplices.SIGNED_FASTER_P = 0 if route == "fans" else 10 ** 6
    try:
        sol, cert, rep, seconds = timed_certified_solve(X, Y)
    finally:
        simplices.SIGNED_FASTER_P = saved
    s = cert["summary"]
    return {**seconds, "rounds": sol.iterations,
            "kind": cert["cost_bound"]["kind"], "checked": s["supports_checked"],
            "rel_gap": rep.rel_gap, "certified": bool(rep.ok and rep.global_optimum),
            "upper": float(rep.upper), "lower": float(rep.lower)}


def run_one(label, kind, spec, routes) -> dict:
    X, Y = _data(kind, spec)
    row = {"instance": label}
    for route in routes:
        row[route] = _route(X, Y, route)
    if len(routes) == 2:
        row.update(route_comparison(row["signed"], row["fans"]))
    row["peak_rss_gb"] = peak_rss_gb()
    return row


def _cell(route):
    unit = "cones" if route == "fans" else "supports"
    return route_cell(route, lambda o: f"{o['solve_seconds']:.1f} + {o['certificate_seconds']:.1f} s "
                                       f"({gap_text(o)}; {o['checked']:,} {unit})")


COLUMNS = [("instance", lambda r: r["instance"]),
           ("3^P signed supports: solve + certificate", _cell("signed")),
           ("fans: solve + certificate", _cell("fans")),
           ("ratio signed / fans", lambda r: f"{r['ratio']:.2f}" if "ratio" in r else "—"),
           ("re-verify (fans)", lambda r: f"{r['fans']['verify_seconds']:.1f} s"),
           ("brackets overlap", lambda r: {True: "yes", False: "NO"}.get(r.get("overlap"), "—")),
           ("peak memory", lambda r: f"{r['peak_rss_gb']:.1f} GB")]


if __name__ == "__main__":
    bench_main(__file__, __doc__, INSTANCES, run_one, COLUMNS)
