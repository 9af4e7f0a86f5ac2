"""Benchmark: the exact face enumeration from the arrangement's rays (numeric.solver.flat_faces,
``faces.ENUMERATION = "rays"``) against the per-flat enumeration it replaced ("nullspaces": the
flats found hyperplane by hyperplane, each flat's cells from one integer null space per subset of
its hyperplanes), same data, same process.

Each row times ``faces.geometry`` with each method (best of ``REPEAT``), checks that the two
enumerations are identical flat by flat and row by row, and reports faces, flats and the ratio
nullspaces / rays. Rows with ``verify`` also solve the instance once, build its certificate,
and re-verify the certificate from its JSON with each method (the verifier enumerates the faces
again; the solver does it once per solve). Data: peers.random_instance (X ~ N(0, 1) with a bias,
the faces.py rows' seeds), and points of {-1, 0, 1}^3 (many collinear and coplanar points:
degenerate rays). ReLU, lam1 = lam2 = 1/20.

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/face_enumeration.py [--only I ...]
"""
from __future__ import annotations

import time

import numpy as np
from peers import markdown, random_instance, run_rows

from numeric.solver import certificate as cm
from numeric.solver import faces, make_problem, solve_relu, verify_certificate
from numeric.solver import rational as rq

REPEAT = 2


def _grid(P: int, seed: int):
    g = np.random.default_rng(seed)
    return g.integers(-1, 2, (3, P)).astype(float), np.sign(g.standard_normal((6, P)))


#: (label, data maker, solve and re-verify too)
INSTANCES = [("six outputs, dX = 2, P = 20 (rank 3)", lambda: random_instance(2, 20, 6, 96), False),
             ("four outputs, dX = 4, P = 16 (rank 5)", lambda: random_instance(4, 16, 4, 202), False),
             ("three outputs, dX = 5, P = 14 (rank 6)", lambda: random_instance(5, 14, 3, 201), False),
             ("grid points in 3-d, P = 24 (rank 4, degenerate)", lambda: _grid(24, 7), False),
             ("grid points in 3-d, P = 40 (rank 4, degenerate)", lambda: _grid(40, 8), False),
             ("six outputs, dX = 5, P = 16 (rank 6)", lambda: random_instance(5, 16, 6, 301), True),
             ("six outputs, dX = 6, P = 14 (rank 7)", lambda: random_instance(6, 14, 6, 302), True),
             ("six outputs, dX = 6, P = 16 (rank 7)", lambda: random_instance(6, 16, 6, 303), True)]


def _timed(how: str, fn):
    saved = faces.ENUMERATION
    faces.ENUMERATION = how
    try:
        best, out = float("inf"), None
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            out = fn()
            best = min(best, time.perf_counter() - t0)
    finally:
        faces.ENUMERATION = saved
    return best, out


def run_one(label, make, verify) -> dict:
    X, Y = make()
    prob = make_problem(X, Y, 0.05, 0.05)
    Xt = rq.mat(prob.X_tilde)
    row = {"instance": label}
    geoms = {}
    for how in ("nullspaces", "rays"):
        row[f"{how}_seconds"], geoms[how] = _timed(how, lambda: faces.geometry(Xt))
    a, b = geoms["rays"], geoms["nullspaces"]
    row["identical"] = bool(len(a.flats) == len(b.flats) and all(
        fa.zeros == fb.zeros and np.array_equal(fa.signs, fb.signs)
        for fa, fb in zip(a.flats, b.flats)))
    row["faces"], row["flats"] = a.n_faces, len(a.flats)
    row["ratio"] = row["nullspaces_seconds"] / row["rays_seconds"]
    if verify:
        t0 = time.perf_counter()
        sol = solve_relu(prob)
        row["solve_seconds"] = time.perf_counter() - t0
        cert = cm.build(sol)
        for how in ("nullspaces", "rays"):
            saved = faces.ENUMERATION
            faces.ENUMERATION = how
            try:
                t0 = time.perf_counter()
                rep = verify_certificate(cert)
                row[f"verify_{how}_seconds"] = time.perf_counter() - t0
            finally:
                faces.ENUMERATION = saved
            row[f"verify_{how}_ok"] = bool(rep.ok and rep.global_optimum)
        row["rel_gap"] = rep.rel_gap
    return row


def table(rows) -> str:
    def verify(r):
        if "verify_rays_seconds" not in r:
            return "—"
        return (f"{r['verify_nullspaces_seconds']:.1f} s → {r['verify_rays_seconds']:.1f} s "
                f"({'certified' if r['verify_rays_ok'] and r['verify_nullspaces_ok'] else 'NOT certified'}"
                f" {r['rel_gap']:.1e})")
    return markdown([("instance", lambda r: r["instance"]),
                     ("faces / flats", lambda r: f"{r['faces']:,} / {r['flats']:,}"),
                     ("null spaces", lambda r: f"{r['nullspaces_seconds']:.2f} s"),
                     ("rays", lambda r: f"{r['rays_seconds']:.2f} s"),
                     ("ratio", lambda r: f"{r['ratio']:.1f}"),
                     ("identical", lambda r: "yes" if r["identical"] else "NO"),
                     ("re-verification (null spaces → rays)", verify)], rows)


if __name__ == "__main__":
    from pathlib import Path
    run_rows(__doc__, INSTANCES, run_one, table, Path(__file__).with_suffix(".json"))
