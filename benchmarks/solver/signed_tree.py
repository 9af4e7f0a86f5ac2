"""Benchmark: the signed supports walked as a tree (numeric.solver.signed_tree) against the walk by
levels (every block's float inverse; the code before), same instances, same process.

Each row solves twice (the pricing's screen walked as a tree, then by levels), then certifies and
re-verifies the first solution twice (the cone check walked as a tree, then by levels). The two
certificates must have identical brackets and dual points: both routes decide the same exact
question, and the shrink of the dual point does not depend on the route. Reported: seconds per
route, the solves' rounds and brackets, blocks visited by the tree, subtrees it skipped, blocks
decided in rationals, and the ratios levels / tree. ReLU, bias, lam1 = lam2 = 1/20; random data
X ~ N(0, 1) (dX = P - 1), labels sign(N(0, 1)) (peers.random_instance); full rank, so the
signed supports are the route beyond five outputs.

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/signed_tree.py [--only I ...] [--out FILE.json]
"""
from __future__ import annotations

import time

from peers import bench_main, gap_text, peak_rss_gb, random_instance, timed_certificate

from numeric.solver import copositive, make_problem, pricing, solve_relu

INSTANCES = [("six outputs, dX = 9, P = 10", 10, 6, 72),
             ("six outputs, dX = 11, P = 12", 12, 6, 73),
             ("eight outputs, dX = 11, P = 12", 12, 8, 82),
             ("six outputs, dX = 12, P = 13", 13, 6, 74),
             ("six outputs, dX = 13, P = 14", 14, 6, 75),
             ("six outputs, dX = 15, P = 16", 16, 6, 76)]


def _solve(X, Y, walk: str):
    pricing.SCREEN_WALK = walk
    try:
        t0 = time.perf_counter()
        sol = solve_relu(make_problem(X, Y, 0.05, 0.05))
        return sol, time.perf_counter() - t0
    finally:
        pricing.SCREEN_WALK = "tree"


def _certify(sol, walk: str) -> dict:
    copositive.SIGNED_WALK = walk
    try:
        cert, rep, seconds = timed_certificate(sol)
    finally:
        copositive.SIGNED_WALK = "tree"
    s = cert["summary"]
    method = s["cone_method"]
    out = {**seconds, "kind": cert["cost_bound"]["kind"],
           "blocks": s["supports_checked"], "rel_gap": rep.rel_gap,
           "certified": bool(rep.ok and rep.global_optimum), "bounds": cert["bounds"], "dual": cert["dual"],
           "in_rationals": int(method.split(", ")[-1].split()[0]) if "in rationals" in method else None}
    if "walked as a tree" in method:
        out["visited"] = int(method.split("walked as a tree: ")[1].split()[0])
        out["subtrees_skipped"] = int(method.split(" by the binary64 inverse filter, ")[1].split()[0])
    return out


def run_one(label, P, dY, seed) -> dict:
    X, Y = random_instance(P - 1, P, dY, seed)
    sol, t_tree = _solve(X, Y, "tree")
    sol_levels, t_levels = _solve(X, Y, "levels")
    row = {"instance": label, "P": P,
           "solve": {"tree_seconds": t_tree, "levels_seconds": t_levels, "ratio": t_levels / t_tree,
                     "tree_rounds": sol.iterations, "levels_rounds": sol_levels.iterations,
                     "tree_rel_gap": sol.rel_gap, "levels_rel_gap": sol_levels.rel_gap},
           "tree": _certify(sol, "tree"), "levels": _certify(sol, "levels")}
    for key in ("tree", "levels"):
        row[key].pop("dual")
    a, b = row["tree"], row["levels"]
    row["same_bounds"] = a["bounds"] == b["bounds"]
    row["ratio_certificate"] = b["certificate_seconds"] / a["certificate_seconds"]
    row["ratio_verify"] = b["verify_seconds"] / a["verify_seconds"]
    row["peak_rss_gb"] = peak_rss_gb()
    return row


def _cert_cell(r):
    a, b = r["tree"], r["levels"]
    return (f"{b['certificate_seconds']:.1f} → {a['certificate_seconds']:.2f} s "
            f"({r['ratio_certificate']:.1f}×)")


COLUMNS = [("instance", lambda r: r["instance"]),
           ("solve: levels → tree", lambda r: f"{r['solve']['levels_seconds']:.1f} → "
                                              f"{r['solve']['tree_seconds']:.1f} s ({r['solve']['ratio']:.1f}×; "
                                              f"{r['solve']['levels_rounds']} / {r['solve']['tree_rounds']} rounds)"),
           ("certificate: levels → tree", _cert_cell),
           ("re-verification: levels → tree", lambda r: f"{r['levels']['verify_seconds']:.1f} → "
                                                        f"{r['tree']['verify_seconds']:.2f} s "
                                                        f"({r['ratio_verify']:.1f}×)"),
           ("tree: visited / 3^P, subtrees skipped", lambda r: f"{r['tree']['visited'] / 3 ** r['P']:.0%}, "
                                                               f"{r['tree']['subtrees_skipped']:,}"),
           ("in rationals: levels / tree", lambda r: f"{r['levels']['in_rationals']} / {r['tree']['in_rationals']}"),
           ("bracket (same)", lambda r: gap_text(r["tree"]) + (" (yes)" if r["same_bounds"] else " (NO)")),
           ("peak memory", lambda r: f"{r['peak_rss_gb']:.2f} GB")]


if __name__ == "__main__":
    bench_main(__file__, __doc__, INSTANCES, run_one, COLUMNS)
