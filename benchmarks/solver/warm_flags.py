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

import time

from peers import bench_main, gap_text, peak_rss_gb, random_instance, route_comparison, timed_certified_solve

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
    walks = [0, 0.0]
    inner = pricing.walk_flags

    def counted(*a, **k):
        t0 = time.perf_counter()
        try:
            return inner(*a, **k)
        finally:
            walks[0] += 1
            walks[1] += time.perf_counter() - t0

    pricing.walk_flags = counted
    try:
        sol, cert, rep, seconds = timed_certified_solve(X, Y)
    finally:
        pricing.walk_flags = inner
        relu.WARM_FLAGS = True
    return {**seconds, "walks": walks[0], "walk_seconds": walks[1], "rounds": sol.iterations,
            "rel_gap": rep.rel_gap, "certified": bool(rep.ok and rep.global_optimum),
            "kind": cert["cost_bound"]["kind"], "upper": float(rep.upper), "lower": float(rep.lower)}


def run_one(label, dX, P, dY, seed) -> dict:
    X, Y = random_instance(dX, P, dY, seed)
    a, b = _run(X, Y, True), _run(X, Y, False)
    cmp = route_comparison(b, a)
    return {"instance": label, "P": P, "warm": a, "walk": b, "overlap": cmp["overlap"],
            "ratio": cmp["ratio"], "ratio_solve": b["solve_seconds"] / max(a["solve_seconds"], 1e-9),
            "peak_rss_gb": peak_rss_gb()}


def _side(o):
    return (f"{o['solve_seconds']:.1f} s ({o['rounds']} rounds, {o['walks']} walks, "
            f"{o['walk_seconds']:.1f} s) + {o['certificate_seconds']:.1f} s, {gap_text(o)}")


COLUMNS = [("instance", lambda r: r["instance"]),
           ("walk every round: solve + certificate, bracket", lambda r: _side(r["walk"])),
           ("warm flags: solve + certificate, bracket", lambda r: _side(r["warm"])),
           ("solve walk / warm", lambda r: f"{r['ratio_solve']:.2f}×"),
           ("solve + certificate walk / warm", lambda r: f"{r['ratio']:.2f}×"),
           ("brackets overlap", lambda r: "yes" if r["overlap"] else "NO"),
           ("peak memory", lambda r: f"{r['peak_rss_gb']:.2f} GB")]


if __name__ == "__main__":
    bench_main(__file__, __doc__, INSTANCES, run_one, COLUMNS)
