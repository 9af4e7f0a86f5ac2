"""Benchmark: a simplicial fan built part by part (``numeric.solver.simplices.parts``, CHUNK_CELLS
cells each) against one construction over all cells, same dual point, same process, as ratios.

Each instance is solved once (ReLU, bias, lam1 = lam2 = 1/20; peers.random_instance); on the
solution's dual point, scaled onto the cone as the certificate scales it, the fan pricing
(``simplices.price``) and the exact fan check (``simplices.certify`` without a hint) run with
CHUNK_CELLS at its default and with one part, alternately, ``--repeat`` times each; the
fastest time of each is reported, with the verdicts of both. What the parts are for is memory
(one part's cones at a time instead of the whole fan's): that is measured apart, on the
five-output runs of five_outputs.py (peak resident size), since one process cannot show both.

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/fan_parts.py [--only I ...] [--out FILE.json]
"""
from __future__ import annotations

import time

import numpy as np
from peers import bench_main, fan_instances, on_fans, solved_instance

from numeric.solver import rational as rq
from numeric.solver import simplices
from numeric.solver.sectors import PRICING_MARGIN

INSTANCES = fan_instances(6, 8)          # three outputs, P = 14; four outputs, P = 16
REPEAT = 2


def _timed(chunk, f):
    saved = simplices.CHUNK_CELLS
    simplices.CHUNK_CELLS = chunk
    try:
        t0 = time.perf_counter()
        out = f()
        return time.perf_counter() - t0, out
    finally:
        simplices.CHUNK_CELLS = saved


def run_one(label, dX, P, dY, seed) -> dict:
    sol, secs = solved_instance(dX, P, dY, seed)
    prob = sol.problem
    sol.fan = None
    K, alpha = prob.X_tilde.T @ prob.X_tilde, prob.lam1 * prob.lam2
    Lam = np.asarray(sol.Lambda) / np.sqrt(1 - min(sol.mu, 0.0) / alpha)
    Xq, Lq, aq = rq.mat(prob.X_tilde), rq.mat(Lam * (1 - 2.0 ** -44)), rq.q(alpha)
    row = {"instance": label, "solve_seconds": secs, "chunk_cells": simplices.CHUNK_CELLS}
    times = {k: [] for k in ("price_parts", "price_one", "certify_parts", "certify_one")}
    for _ in range(REPEAT):
        for name, chunk in (("parts", simplices.CHUNK_CELLS), ("one", 10 ** 9)):
            t, fp = _timed(chunk, lambda: simplices.price(K, Lam, alpha, margin=PRICING_MARGIN))
            times[f"price_{name}"].append(t)
            row[f"price_{name}_ratio"] = fp.ratio / alpha
            t, res = _timed(chunk, lambda: simplices.certify(Xq, Lq, aq))
            times[f"certify_{name}"].append(t)
            row[f"certify_{name}_ok"] = bool(res.ok)
            row[f"cones_{name}"] = int(res.checked)
    row.update({k: min(v) for k, v in times.items()})
    return row


COLUMNS = [("instance", lambda r: r["instance"]),
           ("pricing: parts / one", lambda r: f"{r['price_parts']:.1f} s / {r['price_one']:.1f} s"),
           ("ratio", lambda r: f"{r['price_one'] / r['price_parts']:.2f}"),
           ("certificate: parts / one",
            lambda r: f"{r['certify_parts']:.1f} s / {r['certify_one']:.1f} s"),
           ("ratio", lambda r: f"{r['certify_one'] / r['certify_parts']:.2f}"),
           ("same verdicts", lambda r: "yes" if (r["certify_parts_ok"] == r["certify_one_ok"]
                                                and r["price_parts_ratio"] == r["price_one_ratio"])
            else "NO"),
           ("cells and cones checked: parts / one",
            lambda r: f"{r['cones_parts']:,} / {r['cones_one']:,}")]


if __name__ == "__main__":
    bench_main(__file__, __doc__, INSTANCES, on_fans(run_one), COLUMNS)
