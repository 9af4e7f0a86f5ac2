"""Benchmark: the rigorous binary64 filter of the fans' cone checks (numeric.solver.float_filter;
sectors for two outputs, simplicial cones for three and four) against the exact integer test
alone, same instances, same process, as ratios.

Each instance is solved once (ReLU, bias, lam1 = lam2 = 1/20); then the certificate is built
and re-verified twice from the same solution: with the filter (the default) and with
EMERGENCE_EXACT_CONES=1 (every cone to the exact test). Reported: seconds of each, the cones
that reached the exact test (certificate + re-verification), and whether the two runs gave the same bracket and verdict.

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/float_filter.py [--only I ...] [--out FILE.json]
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from peers import fan_instances, on_fans, run_rows, solved_instance

from numeric.solver import build_certificate, verify_certificate
from numeric.solver import sectors, simplices

INSTANCES = fan_instances(0, 1, 2, 3, 4, 5, 6)     # (peers.FAN_INSTANCES)


def run_one(label, dX, P, dY, seed) -> dict:
    sol, secs = solved_instance(dX, P, dY, seed)
    row = {"instance": label, "solve_seconds": secs}
    seen = []
    originals = {m: m.certify for m in (simplices, sectors)}
    for m, f in originals.items():                                  # to read exact_cones
        m.certify = (lambda f: lambda *a: seen.append(f(*a)) or seen[-1])(f)
    try:
        for mode, flag in (("filter", "0"), ("exact", "1")):
            os.environ["EMERGENCE_EXACT_CONES"] = flag
            seen.clear()
            t0 = time.perf_counter()
            cert = build_certificate(sol)
            t1 = time.perf_counter()
            rep = verify_certificate(cert)
            t2 = time.perf_counter()
            row[mode] = {"certificate_seconds": t1 - t0, "verify_seconds": t2 - t1,
                         "exact_cones": [c.exact_cones for c in seen], "ok": bool(rep.ok),
                         "global_optimum": bool(rep.global_optimum), "rel_gap": rep.rel_gap,
                         "lower": str(rep.lower), "upper": str(rep.upper)}
    finally:
        for m, f in originals.items():
            m.certify = f
        os.environ.pop("EMERGENCE_EXACT_CONES", None)
    f, e = row["filter"], row["exact"]
    row["same_result"] = (f["lower"], f["upper"], f["ok"]) == (e["lower"], e["upper"], e["ok"])
    row["certificate_ratio"] = e["certificate_seconds"] / f["certificate_seconds"]
    row["verify_ratio"] = e["verify_seconds"] / f["verify_seconds"]
    return row


def table(rows) -> str:
    out = ["| instance | solve | certificate: filter / exact only | ratio | re-verify: filter / exact only "
           "| ratio | cones to the exact test: filter / exact only | same bracket and verdict |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        f, e = r["filter"], r["exact"]
        out.append(f"| {r['instance']} | {r['solve_seconds']:.1f} s | {f['certificate_seconds']:.1f} s / "
                   f"{e['certificate_seconds']:.1f} s | {r['certificate_ratio']:.1f}x | "
                   f"{f['verify_seconds']:.1f} s / {e['verify_seconds']:.1f} s | {r['verify_ratio']:.1f}x | "
                   f"{'+'.join(map(str, f['exact_cones']))} / {'+'.join(map(str, e['exact_cones']))} | {'yes' if r['same_result'] else 'NO'} |")
    return "\n".join(out)


def main() -> None:
    run_rows(__doc__, INSTANCES, on_fans(run_one), table, Path(__file__).with_suffix(".json"))


if __name__ == "__main__":
    main()
