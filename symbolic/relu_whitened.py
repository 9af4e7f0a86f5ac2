"""ReLU network, hypercube task, whitened inputs with bias, one sample per class.

Instance: Y has as columns the P = 2^dY sign vectors (n = 1); its rows v_1..v_dY satisfy
1^T v_i = 0 and v_i^T v_j = P delta_ij. Whitened inputs with the bias row give
K_X = X~^T X~ = I + J, so Q = K_X^{-1} = I - J/(P+1).

Ansatz (stated in Paper A: optimal neurons h = alpha (1 +- v_i)). A group of neurons with pattern
1 + s v_i (s = +-1) fires on half the samples; ReLU leaves it unchanged. Giving every one of the
2 dY groups the same squared amplitude b/2 yields

    K = (b/2) sum_{i,s} (1 + s v_i)(1 + s v_i)^T = b (dY J + K_Y).

Derived here (each step checked below):

* cost  (1 + s v)^T Q (1 + s v) = 2P - P^2/(P+1) = P(P+2)/(P+1);
* energy along the ansatz  E(b) = dY [ lam1 b P(P+2)/(P+1) + lam2 P / (lam2 + b P) ]
  (K has eigenvalue b dY P on 1 and b P on each v_i; K_Y = P on each v_i, 0 elsewhere);
* stationarity gives b* = sqrt((lam2/lam1) (P+1)/(P(P+2))) - lam2/P  -- the seed's formula;
* b* > 0 iff lam1 lam2 < P(P+1)/(P+2); otherwise the minimiser over b >= 0 is b = 0 (the
  trivial network) with E = dY P;
* E* = dY ( 2 sqrt(lam1 lam2 P (P+2)/(P+1)) - lam1 lam2 (P+2)/(P+1) ) when b* > 0.

The derivation proves optimality *within the symmetric ansatz* only. Global optimality over all
measures is the KKT condition (copositivity of S, ``A.kkt``); the registry witnesses it in exact
arithmetic for dY = 2, 3.
"""
from __future__ import annotations

import sympy as sp

from symbolic.derivation import Derivation

P, lam1, lam2, b, dY = sp.symbols("P lambda_1 lambda_2 b d_Y", positive=True)


def cost_per_pattern():
    """(1 + s v)^T Q (1 + s v) from |x|^2 = 2P, 1^T x = P and Q = I - J/(P+1)."""
    norm2, ones_dot = 2 * P, P
    return norm2 - ones_dot ** 2 / (P + 1)


def energy_along_ansatz():
    """E(b) on K = b (dY J + K_Y) with total cost from 2 dY groups of squared amplitude b/2."""
    cost = lam1 * 2 * dY * (b / 2) * cost_per_pattern()
    fit = dY * lam2 * P / (lam2 + b * P)
    return cost + fit


def b_star_seed():
    """The seed's stated formula (Paper A summary)."""
    return sp.sqrt((lam2 / lam1) * (P + 1) / (P * (P + 2))) - lam2 / P


def energy_star():
    """Optimal energy on the ansatz when b* > 0 (derived here)."""
    return dY * (2 * sp.sqrt(lam1 * lam2 * P * (P + 2) / (P + 1)) - lam1 * lam2 * (P + 2) / (P + 1))


def activity_threshold():
    """b* > 0 iff lam1 * lam2 < this (derived here)."""
    return P * (P + 1) / (P + 2)


def b_star_derived():
    """Solve dE/db = 0 for b and keep the root with lam2 + b P > 0."""
    roots = sp.solve(sp.Eq(sp.diff(energy_along_ansatz(), b), 0), b)
    keep = [r for r in roots if sp.simplify(lam2 + r * P).is_positive]
    if len(keep) != 1:
        raise RuntimeError(f"expected one admissible stationary point, got {roots}")
    return keep[0]


def explicit_trace_check(d: int):
    """lam2 tr((lam2 + b(dY J + K_Y))^{-1} K_Y) for the explicit 2^d x 2^d hypercube matrices."""
    import itertools
    cols = list(itertools.product([-1, 1], repeat=d))
    Y = sp.Matrix(d, len(cols), lambda i, j: cols[j][i])
    n = len(cols)
    KY = Y.T * Y
    K = b * (d * sp.ones(n, n) + KY)
    return sp.simplify(lam2 * ((lam2 * sp.eye(n) + K).inv() * KY).trace()), d * lam2 * n / (lam2 + b * n)


def derivation() -> Derivation:
    d = Derivation("A.relu.whitened: b*, K*, E* for the ReLU hypercube task (whitened, bias, n=1)",
                   assumptions="lam1, lam2 > 0; P = 2^dY; K_X = I + J; phi = ReLU")
    s = sp.Symbol("s")
    d.add("ReLU leaves 1 + s v unchanged (entries in {0, 2})",
          sp.Max(0, 1 + s * 1).subs(s, 1), 2, "entry where s v = +1")
    d.add("cost of one pattern 1 + s v under Q = I - J/(P+1)",
          cost_per_pattern(), P * (P + 2) / (P + 1), "|x|^2 = 2P, 1^T x = P")
    for dd in (1, 2):
        lhs, rhs = explicit_trace_check(dd)
        d.add(f"data-fit term on K = b(dY J + K_Y), explicit hypercube dY = {dd}", lhs,
              rhs, "exact inverse of the 2^dY x 2^dY matrix")
    E = energy_along_ansatz()
    bs = b_star_derived()
    d.add("stationary point of E(b) equals the seed's b*", bs, b_star_seed(),
          "solve dE/db = 0, keep lam2 + bP > 0")
    d.add("E(b) is convex in b", sp.diff(E, b, 2), 0, "2 dY lam2 P^3/(lam2+bP)^3 > 0",
          relation="ge")
    d.add("optimal energy on the ansatz", E.subs(b, b_star_seed()), energy_star(),
          "substitute b*")
    d.add("b* > 0 exactly below the activity threshold: (lam2 + b* P)^2 - lam2^2 "
          "is proportional to threshold - lam1 lam2",
          sp.factor((lam2 + b_star_seed() * P) ** 2 - lam2 ** 2),
          lam2 * (activity_threshold() - lam1 * lam2) / lam1, "square both sides")
    return d
