"""Benchmark: the certificate reusing the solver's last fan (``Solution.fan``, the ``hint`` of
numeric.solver.simplices.certify and numeric.solver.sectors.certify) against the certificate
building its own fan, same instances, same process, as ratios.

Each instance is solved once (ReLU, bias, lam1 = lam2 = 1/20; data X ~ N(0, 1), labels
sign(N(0, 1)), as in benchmarks/solver/run.py); then the certificate is built twice from the same
solution, with the hint and with ``Solution.fan`` set to None, and the first is re-verified
(the verifier never sees a hint). Reported: seconds of each, the cells the hint left to a fresh
construction, and whether the two certificates are identical (dual point, bounds).

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/fan_reuse.py [--only I ...] [--out FILE.json]
"""
from __future__ import annotations

import time

from peers import bench_main, fan_instances, on_fans, solved_instance

from numeric.solver import build_certificate, fan_hint, verify_certificate

INSTANCES = fan_instances(0, 1, 2, 4, 5, 6, 7, 8, 9)     # (peers.FAN_INSTANCES)


def run_one(label, dX, P, dY, seed) -> dict:
    sol, secs = solved_instance(dX, P, dY, seed)
    row = {"instance": label, "solve_seconds": secs,
           "hint_cones": None if sol.fan is None else int(len(sol.fan.cell))}
    rebuilt = []                 # cells left to a fresh construction, per exact check (None: all)
    orig = fan_hint.failing_cells

    def spy(*a):
        bad, exact = orig(*a)
        rebuilt.append(None if bad is None else len(bad))
        return bad, exact

    fan_hint.failing_cells = spy
    try:
        t0 = time.perf_counter()
        cert = build_certificate(sol)
        row["certificate_hint_seconds"] = time.perf_counter() - t0
    finally:
        fan_hint.failing_cells = orig
    row["cells_rebuilt"] = rebuilt
    sol.fan = None
    t0 = time.perf_counter()
    fresh = build_certificate(sol)
    row["certificate_fresh_seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    rep = verify_certificate(cert)
    row["verify_seconds"] = time.perf_counter() - t0
    row.update(ok=bool(rep.ok), global_optimum=bool(rep.global_optimum), rel_gap=rep.rel_gap,
               identical=(cert["dual"], cert["bounds"]) == (fresh["dual"], fresh["bounds"]),
               ratio=row["certificate_fresh_seconds"] / row["certificate_hint_seconds"])
    return row


def _rebuilt(r) -> str:
    return "+".join("all" if c is None else str(c) for c in r["cells_rebuilt"]) or "0"


COLUMNS = [("instance", lambda r: r["instance"]),
           ("solve", lambda r: f"{r['solve_seconds']:.1f} s"),
           ("certificate: reused fan / own fan",
            lambda r: f"{r['certificate_hint_seconds']:.1f} s / {r['certificate_fresh_seconds']:.1f} s"),
           ("ratio", lambda r: f"{r['ratio']:.1f}x"),
           ("cells rebuilt", _rebuilt),
           ("re-verify", lambda r: f"{r['verify_seconds']:.1f} s"),
           ("bracket", lambda r: f"{r['rel_gap']:.2e}"),
           ("identical certificates", lambda r: "yes" if r["identical"] else "NO")]


if __name__ == "__main__":
    bench_main(__file__, __doc__, INSTANCES, on_fans(run_one), COLUMNS)
