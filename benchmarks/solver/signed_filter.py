"""Benchmark: the exact cone check over the 3^P signed supports with the binary64 filter
(numeric.solver.signed_filter) against the same check all in rationals, same dual point, same
process.

Six outputs on full-rank random data take the signed supports (the fans stop at five outputs).
Each row solves once, builds the certificate with the filter and, where the all-rational check
is affordable (P <= 12), again with ``EMERGENCE_EXACT_CONES=1``; both are re-verified. The
brackets must be identical (the filter only skips blocks whose inverse provably has a positive
entry, so the same shrink passes). Reported: solve, certificate and re-verification seconds per
route, the blocks decided in rationals, the ratio all-rational / filtered (certificate). Beyond
P = 12 (the old limit of the signed check) only the filtered route runs. ReLU, bias,
lam1 = lam2 = 1/20; random data X ~ N(0, 1) (dX = P - 1), labels sign(N(0, 1))
(peers.random_instance).

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/signed_filter.py [--only I ...] [--out FILE.json]
"""
from __future__ import annotations

import os
import time

from peers import bench_main, gap_text, peak_rss_gb, random_instance, route_cell, timed_certificate

from numeric.solver import make_problem, solve_relu

INSTANCES = [("six outputs, dX = 7, P = 8", 8, 6, 81, True),
             ("six outputs, dX = 9, P = 10", 10, 6, 72, True),
             ("six outputs, dX = 11, P = 12", 12, 6, 73, True),
             ("eight outputs, dX = 11, P = 12", 12, 8, 82, True),
             ("six outputs, dX = 12, P = 13", 13, 6, 74, False),
             ("six outputs, dX = 13, P = 14", 14, 6, 75, False),
             ("six outputs, dX = 15, P = 16", 16, 6, 76, False)]


def _certify(sol, exact: bool) -> dict:
    saved = os.environ.get("EMERGENCE_EXACT_CONES")
    os.environ["EMERGENCE_EXACT_CONES"] = "1" if exact else "0"
    try:
        cert, rep, seconds = timed_certificate(sol)
    finally:
        if saved is None:
            del os.environ["EMERGENCE_EXACT_CONES"]
        else:
            os.environ["EMERGENCE_EXACT_CONES"] = saved
    s = cert["summary"]
    method = s["cone_method"]
    in_rationals = (int(method.split(", ")[-1].split()[0]) if "decided in rationals" in method
                    else s["supports_checked"])
    return {**seconds, "kind": cert["cost_bound"]["kind"],
            "blocks": s["supports_checked"], "in_rationals": in_rationals, "rel_gap": rep.rel_gap,
            "certified": bool(rep.ok and rep.global_optimum), "bounds": cert["bounds"]}


def run_one(label, P, dY, seed, both) -> dict:
    X, Y = random_instance(P - 1, P, dY, seed)
    t0 = time.perf_counter()
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05))
    row = {"instance": label, "solve_seconds": time.perf_counter() - t0, "rounds": sol.iterations,
           "filtered": _certify(sol, exact=False)}
    if both:
        row["rational"] = _certify(sol, exact=True)
        row["same_bounds"] = row["rational"]["bounds"] == row["filtered"]["bounds"]
        row["ratio"] = row["rational"]["certificate_seconds"] / row["filtered"]["certificate_seconds"]
    row["peak_rss_gb"] = peak_rss_gb()
    return row


def _cert(route):
    return route_cell(route, lambda o: f"{o['certificate_seconds']:.1f} s / {o['verify_seconds']:.1f} s "
                                       f"({gap_text(o)}; {o['in_rationals']:,} of {o['blocks']:,} "
                                       "blocks in rationals)")


COLUMNS = [("instance", lambda r: r["instance"]),
           ("solve", lambda r: f"{r['solve_seconds']:.1f} s ({r['rounds']} rounds)"),
           ("filtered: certificate / re-verify", _cert("filtered")),
           ("all rational: certificate / re-verify", _cert("rational")),
           ("ratio (certificate)", lambda r: f"{r['ratio']:.0f}" if "ratio" in r else "—"),
           ("same bounds", lambda r: {True: "yes", False: "NO"}.get(r.get("same_bounds"), "—")),
           ("peak memory", lambda r: f"{r['peak_rss_gb']:.2f} GB")]


if __name__ == "__main__":
    bench_main(__file__, __doc__, INSTANCES, run_one, COLUMNS)
