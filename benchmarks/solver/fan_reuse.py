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

import argparse
import json
import time
from pathlib import Path

import numpy as np

from numeric.solver import build_certificate, make_problem, sectors, simplices, solve_relu, verify_certificate

#: (label, dX, P, dY, seed)
INSTANCES = [("two outputs, dX = 11, P = 12", 11, 12, 2, 23),
             ("two outputs, dX = 13, P = 14", 13, 14, 2, 25),
             ("three outputs, dX = 9, P = 10", 9, 10, 3, 32),
             ("four outputs, dX = 7, P = 8", 7, 8, 4, 41),
             ("four outputs, dX = 11, P = 12", 11, 12, 4, 42),
             ("three outputs, dX = 13, P = 14", 13, 14, 3, 35),
             ("three outputs, dX = 15, P = 16", 15, 16, 3, 36),
             ("four outputs, dX = 15, P = 16", 15, 16, 4, 43),
             ("two outputs, dX = 15, P = 16", 15, 16, 2, 24)]


def run_one(label, dX, P, dY, seed) -> dict:
    g = np.random.default_rng(seed)
    X, Y = g.standard_normal((dX, P)), np.sign(g.standard_normal((dY, P)))
    t0 = time.perf_counter()
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05, bias=True))
    row = {"instance": label, "solve_seconds": time.perf_counter() - t0,
           "hint_cones": None if sol.fan is None else int(len(sol.fan.cell))}
    rebuilt = []                 # cells left to a fresh construction, per exact check (None: all)
    originals = {m: m._failing_cells for m in (sectors, simplices)}
    for m, f in originals.items():
        m._failing_cells = (lambda f: lambda *a: (lambda r: rebuilt.append(
            None if r[0] is None else len(r[0])) or r)(f(*a)))(f)
    try:
        t0 = time.perf_counter()
        cert = build_certificate(sol)
        row["certificate_hint_seconds"] = time.perf_counter() - t0
    finally:
        for m, f in originals.items():
            m._failing_cells = f
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


def table(rows) -> str:
    out = ["| instance | solve | certificate: reused fan / own fan | ratio | cells rebuilt | re-verify "
           "| bracket | identical certificates |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['instance']} | {r['solve_seconds']:.1f} s | {r['certificate_hint_seconds']:.1f} s / "
                   f"{r['certificate_fresh_seconds']:.1f} s | {r['ratio']:.1f}x | "
                   f"{'+'.join('all' if c is None else str(c) for c in r['cells_rebuilt']) or '0'} | {r['verify_seconds']:.1f} s | {r['rel_gap']:.2e} | "
                   f"{'yes' if r['identical'] else 'NO'} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", type=int, nargs="*", help="indices into INSTANCES")
    ap.add_argument("--out", default=str(Path(__file__).with_suffix(".json")))
    args = ap.parse_args()
    chosen = INSTANCES if args.only is None else [INSTANCES[i] for i in args.only]
    out = Path(args.out)
    # --only re-runs rows in place: the other rows of an existing file are kept
    old = json.loads(out.read_text())["rows"] if args.only is not None and out.exists() else []
    rows = {r["instance"]: r for r in old}
    for inst in chosen:
        print("==", inst[0], flush=True)
        rows[inst[0]] = run_one(*inst)
        print(json.dumps(rows[inst[0]]), flush=True)
        ordered = [rows[i[0]] for i in INSTANCES if i[0] in rows]
        out.write_text(json.dumps({"rows": ordered}, indent=1))
    print(table(ordered))


if __name__ == "__main__":
    main()
