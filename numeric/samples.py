"""Closed form for n >= 1 samples per class (fast path of ``A.relu.whitened.n``).

Evaluates the expressions of :mod:`symbolic.samples` (lambdified, never retyped), with
P = n 2^dY, whitened inputs X^T X = I_P and the bias row (K_X = I + J):

    b*  = sqrt((lam2/lam1)(P+1)/(P(P+2))) - lam2/P,     K* = b*(dY J + K_Y),
    E*  = dY (2 sqrt(lam1 lam2 P(P+2)/(P+1)) - lam1 lam2 (P+2)/(P+1)),

silent network (b = 0, E = dY P) iff lam1 lam2 >= P(P+1)/(P+2). K_Y is the n-fold repeated
target kernel, so K* is constant on the n x n class blocks; the optimal neurons are
sqrt(b*/2)(1 +- v_i) with v_i the repeated i-th row of Y (:func:`optimal_neurons`).

Hypotheses are validated (InputError naming the argument). Provenance: derived here; the paper's
summary states only n = 1.
"""
from __future__ import annotations


import numpy as np

from numeric.tasks import hypercube_targets
from numeric.scale_closed_form import ScaleFamily
from symbolic import samples as sym


closed_form = ScaleFamily("A.relu.whitened.n", (sym.P, sym.lam1, sym.lam2, sym.dY), sym.b_star,
                          sym.energy_star, sym.activity_threshold)
"""closed_form(dY, n, lam1, lam2, *, module="math") -> ScaleClosedForm: b*, E* for P = n 2^dY; ``module='mpmath'`` evaluates at the current mpmath precision."""


def optimal_neurons(dY: int, n: int, b: float) -> np.ndarray:
    """The 2 dY patterns sqrt(b/2)(1 +- v_i) (rows, length P = n 2^dY)."""
    Y = hypercube_targets(dY, n)
    return np.array([np.sqrt(b / 2) * (1 + s * Y[i]) for i in range(dY) for s in (1.0, -1.0)])


# ---------------------------------------------------------------- exact rational instances

def rational_lam1_for(dY: int, n: int, lam2, b, *, bias: bool = True):
    """lam1 (a Fraction) making the closed-form b* equal the rational b exactly (inverts
    b* + lam2/P = sqrt(lam2 C / lam1) with C = (P+1)/(P(P+2)) with bias, 1/(2P) without).
    Used only to choose instances whose certificate is rational."""
    from fractions import Fraction
    P = n * 2 ** dY
    lam2, b = Fraction(lam2), Fraction(b)
    C = Fraction(P + 1, P * (P + 2)) if bias else Fraction(1, 2 * P)
    return lam2 * C / (b + lam2 / P) ** 2


def exact_matrices(dY: int, n: int, *, bias: bool = True):
    """(Y as int array, K_Y, Q) exactly (python-flint); Q = (I + J)^{-1} with bias, I without."""
    import flint
    Y = hypercube_targets(dY, n).astype(int)
    P = Y.shape[1]
    KY = flint.fmpq_mat(P, P, [int(v) for v in (Y.T @ Y).ravel()])
    KX = flint.fmpq_mat(P, P, [int(i == j) + int(bias) for i in range(P) for j in range(P)])
    return Y, KY, KX.inv()


def exact_energy_and_dual(patterns, weights, KY, Q, lam1, lam2):
    """Energy from its definition and the dual matrix S, exactly, for the measure
    sum_k weights_k delta_{patterns_k} (integer patterns >= 0, rational weights):
    E = lam1 sum_k w_k h_k^T Q h_k + lam2 tr((lam2 + K)^{-1} K_Y), K = sum_k w_k h_k h_k^T."""
    import flint
    from numeric.exact import dual_matrix_exact, fmpq
    P = KY.nrows()
    K = flint.fmpq_mat(P, P)
    cost = flint.fmpq(0)
    for h, w in zip(patterns, weights):
        hv = flint.fmpq_mat(P, 1, [int(x) for x in h])
        K += (hv * hv.transpose()) * fmpq(w)
        cost += (hv.transpose() * Q * hv)[0, 0] * fmpq(w)
    eye = flint.fmpq_mat(P, P, [int(i == j) for i in range(P) for j in range(P)])
    fit = ((eye * fmpq(lam2) + K).inv() * KY)
    trace = sum((fit[i, i] for i in range(P)), flint.fmpq(0))
    E = cost * fmpq(lam1) + trace * fmpq(lam2)
    return E, dual_matrix_exact(K, Q, KY, lam1, lam2), K
