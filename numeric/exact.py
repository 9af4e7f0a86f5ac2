"""Exact rational versions of the hypercube instance (python-flint ``fmpq_mat``).

Used by certificates: with rational lam2 and a rational target scale b, the choice
lam1 = lam2 (P+1) / (P (P+2) (b + lam2/P)^2) makes the closed-form b* equal b exactly, so the
dual matrix S at the closed-form optimum is rational and its copositivity is decidable exactly.
"""
from __future__ import annotations

from fractions import Fraction

import flint

from numeric.tasks import sign_vectors


def fmpq(x) -> flint.fmpq:
    x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


def rational_lam1_for(dY: int, lam2, b) -> Fraction:
    """lam1 making b* = b exactly (inverts the closed form; used only to choose instances)."""
    P = 2 ** dY
    lam2, b = Fraction(lam2), Fraction(b)
    return lam2 * (P + 1) / (P * (P + 2) * (b + lam2 / P) ** 2)


def hypercube_matrices(dY: int, bias: bool = True):
    """(K_Y, Q) exactly: K_Y = Y^T Y and Q = (X~^T X~)^{-1} by exact inversion of I + J (or I)."""
    Y = sign_vectors(dY).astype(int)
    P = Y.shape[1]
    KY = flint.fmpq_mat(P, P, [int(v) for v in (Y.T @ Y).ravel()])
    KX = flint.fmpq_mat(P, P, [int(i == j) + int(bias) for i in range(P) for j in range(P)])
    return KY, KX.inv()


def dual_matrix_exact(K: flint.fmpq_mat, Q: flint.fmpq_mat, KY: flint.fmpq_mat, lam1, lam2):
    """S = lam1 Q - lam2 R K_Y R with R = (lam2 I + K)^{-1}, exactly."""
    P = K.nrows()
    l1, l2 = fmpq(lam1), fmpq(lam2)
    eye = flint.fmpq_mat(P, P, [int(i == j) for i in range(P) for j in range(P)])
    R = (eye * l2 + K).inv()
    return Q * l1 - (R * KY * R) * l2


def to_rows(A: flint.fmpq_mat) -> list[list[Fraction]]:
    return [[Fraction(int(A[i, j].p), int(A[i, j].q)) for j in range(A.ncols())]
            for i in range(A.nrows())]
