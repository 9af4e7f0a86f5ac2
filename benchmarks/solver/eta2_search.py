"""Search for a neuron better than the pair conjunctions: interaction inputs, eta = 2, dY = 9.

There the Walsh-block certificate reduced by the cube symmetry (numeric.solver.walsh_symmetric)
cannot certify the pair conjunctions' ratio rho^ = max |Y relu(h)|^2 / h^T Q h over conjunctions:
the relaxation's best certifiable ratio is ~8e-6 (relative) higher. Either a better neuron
exists (and the pair conjunctions are not optimal) or the relaxation is not tight. This script
looks for such a neuron over *all* pre-activations h in R^P (P = 512; neurons that may depend on
every variable): L-BFGS ascents of the ratio from random, conjunction, threshold-of-a-sum and
random-quadratic starts, and from perturbations of the pair conjunction itself. A ratio above
rho^ (by more than 1e-12 relative) would be a counterexample to the pair conjunctions'
optimality; finding none is evidence, not a proof.

    OPENBLAS_NUM_THREADS=1 python benchmarks/solver/eta2_search.py [--starts N] [--out FILE.json]
"""
from __future__ import annotations

import argparse
import itertools
import json
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from numeric.solver import walsh_symmetric as ws


def cost_matrix(dY: int, q) -> tuple[np.ndarray, np.ndarray]:
    """Points z of the cube (P x dY, the order of itertools.product((1, -1))) and Q with Walsh
    eigenvalue q_|S| on chi_S."""
    Z = np.array(list(itertools.product((1, -1), repeat=dY)), float)
    subsets = [S for r in range(dY + 1) for S in itertools.combinations(range(dY), r)]
    H = np.array([np.prod(Z[:, list(S)], axis=1) if S else np.ones(len(Z)) for S in subsets])
    qv = np.array([float(q[len(S)]) for S in subsets])
    return Z, (H.T * qv) @ H / len(Z)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dY", type=int, default=9)
    ap.add_argument("--eta", default="2")
    ap.add_argument("--starts", type=int, default=300)
    ap.add_argument("--out", default=str(Path(__file__).with_suffix(".json")))
    args = ap.parse_args()
    t0 = time.perf_counter()
    dY = args.dY
    q = ws.walsh_degrees(dY, "interaction", {"eta": Fraction(args.eta)})
    rho, cands = ws.best_conjunctions(dY, q)
    Z, Q = cost_matrix(dY, q)
    Y = Z.T
    P = len(Z)

    def neg_ratio(h):
        v = Y @ np.maximum(h, 0)
        Qh = Q @ h
        den = h @ Qh
        num = v @ v
        return -num / den, -(2 * (Y.T @ v) * (h > 0) / den - 2 * num * Qh / den ** 2)

    def ascend(h0):
        res = minimize(neg_ratio, h0, jac=True, method="L-BFGS-B",
                       options={"maxiter": 3000, "gtol": 1e-12, "ftol": 1e-15})
        return -float(res.fun)

    pair = np.array([float(v) for v in ws.orbit_patterns(dY, cands[0][0], cands[0][1])[0]])
    pair_ratio = -neg_ratio(pair)[0]
    rng = np.random.default_rng(0)
    found = {"random": [], "conjunction": [], "threshold": [], "quadratic": [], "perturbed pair": []}
    for k in range(args.starts):
        kind = list(found)[k % 5]
        r = int(rng.integers(1, dY + 1))
        S, sg = rng.choice(dY, r, replace=False), rng.choice([-1, 1], r)
        if kind == "random":
            h0 = rng.standard_normal(P)
        elif kind == "conjunction":
            h0 = np.all(Z[:, S] * sg > 0, axis=1) - 0.2
        elif kind == "threshold":
            h0 = Z[:, S] @ sg - rng.integers(-r, r + 1) + 0.5
        elif kind == "quadratic":
            A = rng.standard_normal((dY, dY))
            h0 = np.einsum("pi,ij,pj->p", Z, A, Z) + Z @ rng.standard_normal(dY) + rng.standard_normal()
        else:
            h0 = pair + 10 ** rng.uniform(-4, 0) * np.abs(pair).max() * rng.standard_normal(P)
        if kind != "perturbed pair":
            h0 = h0 + 0.05 * rng.standard_normal(P)
        found[kind].append(ascend(h0))
    best = max(max(v) for v in found.values())
    out = {"dY": dY, "eta": args.eta, "P": P, "starts": args.starts,
           "rho_pair_conjunctions": float(rho), "pair_pattern_ratio": pair_ratio,
           "best_found": best, "best_over_rho_rel": best / float(rho) - 1,
           "best_by_kind": {k: max(v) for k, v in found.items()},
           "above_rho": sum(x > float(rho) * (1 + 1e-12) for v in found.values() for x in v),
           "seconds": time.perf_counter() - t0}
    Path(args.out).write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
