"""Benchmark: the stable ridge fit term (numeric.solver.ridge, least squares) against the resolvent
form (inverse of lam2 + K) in the whole ReLU solve, same instances, same process.

``ridge.METHOD`` switches every use at once: the master's energy and gradient, the polishes'
energy and gradient, the landing's gradient and the dual point that is priced and bounded
(``"inverse"``: exactly the solver before ridge.fit, whose dual point was the Woodbury form
Y - Y Phi^T (lam2 + Phi Phi^T)^{-1} Phi).
Each row is solved and certified from scratch with each method (``cm.build``: the route the
instance takes by default; the last row on the fans) and the certificate re-verified from its JSON. Reported per method:
solve and certificate seconds, rounds, the certified bracket and whether it meets the 1e-12
target; ratio = resolvent / stable (solve + certificate). ReLU, bias, lam1 = lam2 = 1/20 (the
``line`` rows: benchmarks/solver/low_rank.py's tasks and lam).

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/ridge.py [--only I ...] [--out FILE.json]
"""
from __future__ import annotations

import time

from families import LAM
from low_rank import line_task
from peers import gap_text, markdown, random_instance, route_cell, run_rows

from numeric.solver import certificate as cm
from numeric.solver import faces, make_problem, ridge, solve_relu, verify_certificate

#: (label, data maker, lam, on the fans: faces.PREFERRED_DY_MIN raised to 6)
INSTANCES = [("eight outputs, 40 points of a line (faces)", lambda: random_instance(1, 40, 8, 97), 0.05, False),
             ("six outputs, 100 points of a line (faces)", lambda: random_instance(1, 100, 6, 98), 0.05, False),
             ("six outputs, dX = 4, P = 16 (faces)", lambda: random_instance(4, 16, 6, 95), 0.05, False),
             ("three outputs, 60 points of a line (faces)", lambda: line_task(60, 3, 5), LAM[0], False),
             ("two outputs, 60 points of a line (faces)", lambda: line_task(60, 2, 4), LAM[0], False),
             ("three outputs, dX = 9, P = 10 (fans, full rank)", lambda: random_instance(9, 10, 3, 32), 0.05, False),
             ("six outputs, dX = 11, P = 12 (signed supports)", lambda: random_instance(11, 12, 6, 61), 0.05, False),
             ("three outputs, 60 points of a line (fans)", lambda: line_task(60, 3, 5), LAM[0], True)]


def _run(X, Y, lam, method, on_fans) -> dict:
    saved = ridge.METHOD, faces.PREFERRED_DY_MIN
    ridge.METHOD = method
    faces.PREFERRED_DY_MIN = 6 if on_fans else saved[1]
    try:
        t0 = time.perf_counter()
        sol = solve_relu(make_problem(X, Y, lam, lam))
        t1 = time.perf_counter()
        cert = cm.build(sol)
        t2 = time.perf_counter()
    finally:
        ridge.METHOD, faces.PREFERRED_DY_MIN = saved
    rep = verify_certificate(cert)
    return {"solve_seconds": t1 - t0, "certificate_seconds": t2 - t1, "rounds": sol.iterations,
            "kind": cert["cost_bound"]["kind"], "rel_gap": rep.rel_gap,
            "certified": bool(rep.ok and rep.global_optimum), "total_seconds": t2 - t0}


def run_one(label, make, lam, on_fans) -> dict:
    X, Y = make()
    row = {"instance": label, "inverse": _run(X, Y, lam, "inverse", on_fans),
           "lstsq": _run(X, Y, lam, "lstsq", on_fans)}
    row["ratio"] = row["inverse"]["total_seconds"] / row["lstsq"]["total_seconds"]
    return row


def table(rows) -> str:
    def side(name):
        return [(f"{name} solve + cert", route_cell(name, lambda o: f"{o['solve_seconds']:.3g} + "
                                                             f"{o['certificate_seconds']:.2g} s ({o['rounds']} rounds)")),
                (f"{name} bracket", route_cell(name, gap_text))]
    return markdown([("instance", lambda r: r["instance"]), *side("inverse"), *side("lstsq"),
                     ("ratio", lambda r: f"{r['ratio']:.2f}")], rows)


if __name__ == "__main__":
    from pathlib import Path
    run_rows(__doc__, INSTANCES, run_one, table, Path(__file__).with_suffix(".json"))
