"""Benchmark: singular inputs with six or more outputs -- the exact check on the faces of the
arrangement (numeric.solver.faces) against the penalised ``range`` minorant over the 3^P signed
supports, on the same solution, same process.

Each row draws random low-rank data (X ~ N(0, 1), dX < P - 1, so rank dX + 1 < P with the
bias; labels sign(N(0, 1)); peers.random_instance), solves once (the solver prices on the faces),
builds the certificate on the faces (what ``build`` does for dY >= 6 on singular inputs) and,
where the 3^P check is affordable (P <= 10 here; at P = 12 it ran over 30 min), the ``range`` certificate of the same
solution (``build_without_fans``); both are re-verified from their JSON. Reported: solve seconds
and rounds, certificate and re-verification seconds per route, the faces checked, the
brackets, whether the two exact brackets overlap, the ratio range / faces (certificate).
ReLU, bias, lam1 = lam2 = 1/20.

Rows marked "vs fans" (two to five outputs, singular inputs) compare whole runs instead: the
cell fans (numeric.solver.simplices / sectors; ``faces.PREFERRED_DY_MIN`` raised to 6) against
the faces (``faces.PREFERRED_DY_MIN`` = 2 and no face limit), each solved and certified from
scratch in the same process; ratio = fans / faces (solve + certificate). The last two rows
bracket ``faces.PREFERRED_MAX_FACES`` (59 202 and 134 008 faces).

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/faces.py [--only I ...] [--out FILE.json]
"""
from __future__ import annotations

import time
from fractions import Fraction

from peers import gap_text, markdown, peak_rss_gb, random_instance, route_cell, run_rows

from numeric.solver import certificate as cm
from numeric.solver import faces
from numeric.solver import make_problem, solve_relu, verify_certificate

INSTANCES = [("six outputs, dX = 2, P = 8", 2, 8, 6, 91, True),
             ("six outputs, dX = 2, P = 10", 2, 10, 6, 92, True),
             ("six outputs, dX = 2, P = 12", 2, 12, 6, 93, False),
             ("six outputs, dX = 4, P = 10", 4, 10, 6, 94, True),
             ("six outputs, dX = 4, P = 16", 4, 16, 6, 95, False),
             ("six outputs, dX = 2, P = 20", 2, 20, 6, 96, False),
             ("eight outputs, dX = 1, P = 40", 1, 40, 8, 97, False),
             ("two outputs, dX = 2, P = 24 (vs fans)", 2, 24, 2, 101, "fans"),
             ("three outputs, dX = 1, P = 30 (vs fans)", 1, 30, 3, 102, "fans"),
             ("three outputs, dX = 2, P = 20 (vs fans)", 2, 20, 3, 103, "fans"),
             ("four outputs, dX = 3, P = 16 (vs fans)", 3, 16, 4, 104, "fans"),
             ("five outputs, dX = 2, P = 24 (vs fans)", 2, 24, 5, 105, "fans"),
             ("four outputs, dX = 4, P = 16 (vs fans)", 4, 16, 4, 202, "fans"),
             ("three outputs, dX = 5, P = 14 (vs fans)", 5, 14, 3, 201, "fans"),
             ("six outputs, dX = 5, P = 16", 5, 16, 6, 301, False),
             ("six outputs, dX = 6, P = 14", 6, 14, 6, 302, False),
             ("six outputs, dX = 6, P = 16", 6, 16, 6, 303, False)]


def _certify(build, sol) -> dict:
    t0 = time.perf_counter()
    cert = build(sol)
    t1 = time.perf_counter()
    rep = verify_certificate(cert)
    t2 = time.perf_counter()
    s = cert["summary"]
    return {"certificate_seconds": t1 - t0, "verify_seconds": t2 - t1,
            "kind": cert["cost_bound"]["kind"], "checked": s["supports_checked"],
            "rel_gap": rep.rel_gap, "certified": bool(rep.ok and rep.global_optimum),
            "bounds": cert["bounds"]}


def _whole_run(prob, on_faces: bool) -> dict:
    saved = faces.PREFERRED_DY_MIN, faces.PREFERRED_MAX_FACES
    faces.PREFERRED_DY_MIN = 2 if on_faces else 6
    faces.PREFERRED_MAX_FACES = faces.MAX_FACES      # (the faces whatever their number)
    try:
        t0 = time.perf_counter()
        sol = solve_relu(prob)
        out = {"solve_seconds": time.perf_counter() - t0, "rounds": sol.iterations,
               "width": sol.width, **_certify(cm.build, sol)}
    finally:
        faces.PREFERRED_DY_MIN, faces.PREFERRED_MAX_FACES = saved
    out["total_seconds"] = out["solve_seconds"] + out["certificate_seconds"]
    return out


def run_one(label, dX, P, dY, seed, both) -> dict:
    X, Y = random_instance(dX, P, dY, seed)
    prob = make_problem(X, Y, 0.05, 0.05)
    if both == "fans":
        row = {"instance": label, "rank": prob.rank, "fans": _whole_run(prob, False),
               "faces_run": _whole_run(prob, True)}
        a, b = row["faces_run"]["bounds"], row["fans"]["bounds"]
        row["overlap"] = (max(Fraction(a["lower"]), Fraction(b["lower"]))
                          <= min(Fraction(a["upper"]), Fraction(b["upper"])))
        row["ratio"] = row["fans"]["total_seconds"] / row["faces_run"]["total_seconds"]
        row["peak_rss_gb"] = peak_rss_gb()
        return row
    t0 = time.perf_counter()
    sol = solve_relu(prob)
    row = {"instance": label, "rank": prob.rank, "solve_seconds": time.perf_counter() - t0,
           "rounds": sol.iterations, "width": sol.width, "faces": _certify(cm.build, sol)}
    if both:
        row["range"] = _certify(cm.build_without_fans, sol)
        a, b = row["faces"]["bounds"], row["range"]["bounds"]
        row["overlap"] = (max(Fraction(a["lower"]), Fraction(b["lower"]))
                          <= min(Fraction(a["upper"]), Fraction(b["upper"])))
        row["ratio"] = row["range"]["certificate_seconds"] / row["faces"]["certificate_seconds"]
    row["peak_rss_gb"] = peak_rss_gb()
    return row


def _cert(route, unit):
    return route_cell(route, lambda o: f"{o['certificate_seconds']:.2f} s / {o['verify_seconds']:.2f} s "
                                       f"({gap_text(o)}; {o['checked']:,} {unit})")


COLUMNS = [("instance", lambda r: f"{r['instance']} (rank {r['rank']})"),
           ("solve", lambda r: f"{r['solve_seconds']:.1f} s ({r['rounds']} rounds, width {r['width']})"),
           ("faces: certificate / re-verify", _cert("faces", "faces")),
           ("range (3^P): certificate / re-verify", _cert("range", "signed supports")),
           ("ratio (certificate)", lambda r: f"{r['ratio']:.0f}" if "ratio" in r else "—"),
           ("brackets overlap", lambda r: {True: "yes", False: "NO"}.get(r.get("overlap"), "—")),
           ("peak memory", lambda r: f"{r['peak_rss_gb']:.2f} GB")]


def _run(route):
    return route_cell(route, lambda o: f"{o['solve_seconds']:.1f} + {o['certificate_seconds']:.2f} s "
                                       f"({o['rounds']} rounds; {o['kind']}, {gap_text(o)}; "
                                       f"re-verify {o['verify_seconds']:.2f} s)")


FAN_COLUMNS = [("instance (vs fans)", lambda r: f"{r['instance']} (rank {r['rank']})"),
               ("fans: solve + certificate", _run("fans")),
               ("faces: solve + certificate", _run("faces_run")),
               ("ratio (fans / faces)", lambda r: f"{r['ratio']:.1f}"),
               ("brackets overlap", lambda r: "yes" if r["overlap"] else "NO"),
               ("peak memory", lambda r: f"{r['peak_rss_gb']:.2f} GB")]


def _tables(rows):
    return "\n\n".join([markdown(COLUMNS, [r for r in rows if "faces" in r]),
                         markdown(FAN_COLUMNS, [r for r in rows if "fans" in r])])


if __name__ == "__main__":
    from pathlib import Path
    run_rows(__doc__, INSTANCES, run_one, _tables, Path(__file__).with_suffix(".json"))
