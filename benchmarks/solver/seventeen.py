"""Benchmark: six outputs at P = 17 on full-rank inputs, the largest P the signed supports accept
(``pricing.MAX_SIGNED_P = certificate.MAX_SIGNED_P = 17``). One solve, its exact certificate and
the certificate's re-verification, timed apart, with the number of tree walks of the pricing and
their time. ReLU, bias, lam1 = lam2 = 1/20, X ~ N(0, 1) (dX = 16), labels sign(N(0, 1))
(peers.random_instance). No peer: at P = 17 nothing else here certifies full-rank inputs with
six outputs (the fans stop at five).

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/seventeen.py [--out FILE.json]   (~10 min)
"""
from __future__ import annotations

from peers import bench_main, certified_fields, gap_text, peak_rss_gb, random_instance, timed_calls, timed_certified_solve

from numeric.solver import pricing

INSTANCES = [("six outputs, dX = 16, P = 17", 16, 17, 6, 77)]


def run_one(label, dX, P, dY, seed) -> dict:
    X, Y = random_instance(dX, P, dY, seed)
    with timed_calls(pricing, "walk_flags") as walks:
        sol, cert, rep, seconds = timed_certified_solve(X, Y)
    return {"instance": label, "P": P, **seconds, "walks": walks.calls, "walk_seconds": walks.seconds,
            "rounds": sol.iterations, **certified_fields(cert, rep), "peak_rss_gb": peak_rss_gb()}


COLUMNS = [("instance", lambda r: r["instance"]),
           ("solve (rounds, walks, their time)",
            lambda r: f"{r['solve_seconds']:.0f} s ({r['rounds']} rounds, {r['walks']} walks, {r['walk_seconds']:.0f} s)"),
           ("certificate", lambda r: f"{r['certificate_seconds']:.0f} s"),
           ("re-verification", lambda r: f"{r['verify_seconds']:.0f} s"),
           ("bracket", gap_text),
           ("peak memory", lambda r: f"{r['peak_rss_gb']:.2f} GB")]


if __name__ == "__main__":
    bench_main(__file__, __doc__, INSTANCES, run_one, COLUMNS)
