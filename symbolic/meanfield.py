"""Paper A's mean-field reduction, derived in sympy (claim ``A.meanfield``).

Network and loss (conventions of DESIGN.md; samples are columns)::

    f(x) = W2 phi(W x~),   x~ = [x; 1],   X~ = [X; 1^T] in R^{(dX+1) x P}
    E(W, W2) = ||Y - W2 Phi||_F^2 + lam1 ||W||_F^2 + lam2 ||W2||_F^2,   Phi = phi(W X~).

Statement (stated in Paper A; the route below is derived here):

    min_{W2} min_{W : W X~ = H} E = lam1 sum_k h_k^T Q h_k + lam2 tr((lam2 I + K)^{-1} K_Y),
    K = sum_k phi(h_k) phi(h_k)^T,  Q = (X~^T X~)^+,  K_Y = Y^T Y,

for every H whose rows h_k lie in the row space of X~ (otherwise no W reaches H).

Route. Both inner problems decouple along singular directions:

1. Ridge over W2. Write Phi = U diag(s) V^T. Orthogonal invariance of the Frobenius norm splits
   ||Y - W2 Phi||^2 + lam2 ||W2||^2 into independent scalar problems
   min_w (y - w s)^2 + lam2 w^2 (one per singular direction and output row), plus ||y||^2 for
   directions with s = 0. The scalar minimum is lam2 y^2 / (lam2 + s^2); summing gives
   lam2 tr(Y V (lam2 + S^2)^{-1} V^T Y^T) = lam2 tr((lam2 I + Phi^T Phi)^{-1} Y^T Y).
2. Minimum norm over W. Each row w_k solves X~^T w_k = h_k. With X~ = A diag(t) B^T, the
   minimum-norm solution has coordinates h_j / t_j along the non-zero singular directions, and
   norm^2 = sum_j h_j^2 / t_j^2 = h_k^T (X~^T X~)^+ h_k.

The scalar steps are proved symbolically for all values; the decoupling itself is the named
linear-algebra lemma (orthogonal invariance / SVD). As a second, independent check the full
matrix identities are confirmed for fully symbolic matrices at small shapes
(:func:`matrix_identity_checks`) -- that is a check at those shapes, not a proof for all shapes;
the numeric witnesses in ``numeric.claims.meanfield`` cover random shapes.
"""
from __future__ import annotations

import sympy as sp

from symbolic.derivation import Derivation

y, w, s, lam1, lam2 = sp.symbols("y w s lambda_1 lambda_2", real=True)
lam2p = sp.Symbol("lambda_2", positive=True)
t = sp.Symbol("t", positive=True)
h = sp.Symbol("h", real=True)


def scalar_ridge():
    """Return (objective, argmin, minimum) of min_w (y - w s)^2 + lam2 w^2 with lam2 > 0."""
    obj = (y - w * s) ** 2 + lam2p * w ** 2
    w_star = sp.solve(sp.diff(obj, w), w)[0]
    return obj, w_star, sp.simplify(obj.subs(w, w_star))


def derivation() -> Derivation:
    """Lemma L.svd-decoupling: the two inner minimisations, scalar steps checked."""
    d = Derivation(
        "L.svd-decoupling: ridge over W2 and minimum norm over W",
        assumptions="lam1 > 0, lam2 > 0; rows of H in the row space of X~")
    obj, w_star, val = scalar_ridge()
    d.add("SVD decoupling of the ridge problem over W2 into scalar problems",
          0, 0, "orthogonal invariance of the Frobenius norm under Phi = U diag(s) V^T",
          relation="cite")
    d.add("stationarity of the scalar ridge objective at w* = y s / (s^2 + lam2)",
          sp.diff(obj, w).subs(w, w_star), 0, "d/dw of (y - w s)^2 + lam2 w^2")
    d.add("the scalar ridge objective is strictly convex in w",
          sp.diff(obj, w, 2), 0, "second derivative 2 s^2 + 2 lam2 > 0", relation="ge")
    d.add("scalar ridge minimum", val, lam2p * y ** 2 / (lam2p + s ** 2),
          "substitute w* and simplify")
    d.add("an unused direction (s = 0) contributes y^2 = lam2 y^2 / (lam2 + 0)",
          (lam2p * y ** 2 / (lam2p + s ** 2)).subs(s, 0), y ** 2, "s = 0")
    # min-norm over one coordinate: w t = h  ->  w = h / t, cost w^2
    wmin = sp.solve(sp.Eq(w * t, h), w)[0]
    d.add("minimum-norm coordinate along a singular direction of X~ with value t > 0",
          wmin ** 2, h ** 2 / t ** 2, "w t = h")
    d.add("sum over directions: h^T V diag(1/t^2) V^T h = h^T (X~^T X~)^+ h",
          0, 0, "Moore-Penrose inverse via the SVD: (X~^T X~)^+ = V diag(1/t^2) V^T",
          relation="cite")
    return d


def meanfield_derivation() -> Derivation:
    """A.meanfield: assemble the energy from the lemma's two minima."""
    d = Derivation("A.meanfield: network loss -> energy over preactivation patterns",
                   assumptions="lam1 > 0, lam2 > 0; rows of H in the row space of X~")
    d.add("min over W2 of the data term + lam2||W2||^2 is lam2 tr((lam2 + K)^{-1} K_Y), "
          "K = Phi^T Phi = sum_k phi(h_k) phi(h_k)^T", 0, 0, "ridge half of the lemma",
          relation="lemma", lemma="L.svd-decoupling")
    d.add("min over W with W X~ = H of lam1||W||^2 is lam1 sum_k h_k^T Q h_k", 0, 0,
          "min-norm half of the lemma, row by row", relation="lemma", lemma="L.svd-decoupling")
    k1, k2 = sp.symbols("f_1 f_2", real=True)
    d.add("Phi^T Phi = sum_k phi(h_k) phi(h_k)^T (two neurons, generic P = 2)",
          sp.Matrix([[k1, k2], [sp.Symbol("g_1"), sp.Symbol("g_2")]]).T
          * sp.Matrix([[k1, k2], [sp.Symbol("g_1"), sp.Symbol("g_2")]]),
          sp.Matrix([k1, k2]) * sp.Matrix([k1, k2]).T
          + sp.Matrix([sp.Symbol("g_1"), sp.Symbol("g_2")]) * sp.Matrix([sp.Symbol("g_1"), sp.Symbol("g_2")]).T,
          "rows of Phi are the neurons' activity patterns")
    return d


def _sym_matrix(name, rows, cols):
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}{i}{j}", real=True))


def ridge_matrix_identity(M: int, P: int, dY: int):
    """Return (ridge minimum via normal equations, lam2 tr((lam2+Phi^T Phi)^{-1} Y^T Y)).

    Both computed for fully symbolic Phi (M x P) and Y (dY x P); equality is the ridge half of
    the statement at that shape.
    """
    Phi = _sym_matrix("f", M, P)
    Y = _sym_matrix("y", dY, P)
    W2 = Y * Phi.T * (Phi * Phi.T + lam2p * sp.eye(M)).inv()
    R = Y - W2 * Phi
    direct = (R * R.T).trace() + lam2p * (W2 * W2.T).trace()
    formula = lam2p * ((lam2p * sp.eye(P) + Phi.T * Phi).inv() * Y.T * Y).trace()
    return direct, formula


def matrix_identity_checks(shapes=((1, 1, 1), (1, 2, 1), (2, 1, 2))) -> Derivation:
    """Full symbolic-matrix confirmation of the ridge identity at small shapes (M, P, dY)."""
    d = Derivation("A.meanfield (matrix form at small shapes)")
    for M, P, dY in shapes:
        direct, formula = ridge_matrix_identity(M, P, dY)
        d.add(f"ridge identity, fully symbolic at (M, P, dY) = ({M}, {P}, {dY})",
              direct, formula, "normal equations W2 (Phi Phi^T + lam2) = Y Phi^T")
    return d
