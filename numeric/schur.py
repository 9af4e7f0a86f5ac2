"""Allocations across latent variables and their energies (numeric mirror of :mod:`symbolic.schur`).

An *allocation* distributes a budget over the latent variables (or over the 2 dY signed groups of
threshold units, or over neurons). This module builds explicit networks realising an allocation,
so that witnesses evaluate the energy from its definition, and provides the majorisation
helpers (Robin Hood transfers, majorisation test) used to check Schur-convexity numerically.

* :func:`linear_rows`: rows sqrt(kappa_i/P) v_i (phi = z), so e_i^T K e_i = kappa_i;
* :func:`relu_rows`: rows sqrt(a_{i,s}) (1 + s v_i) (phi = ReLU), order (i, s), s = +1 then -1;
* :func:`block_fit`: the fit term of a threshold-unit allocation on the (dY+1)-dimensional block
  spanned by 1 and the v_i (the form used in the sympy proof);
* :func:`robin_hood`: a T-transform moving part of the gap from a richer to a poorer entry,
  which produces a vector majorised by the input.
"""
from __future__ import annotations

import itertools

import numpy as np

from numeric.tasks import sign_vectors
from numeric.validation import InputError


def linear_rows(kappa, dY: int) -> np.ndarray:
    V = sign_vectors(dY)
    P = V.shape[1]
    kappa = np.asarray(kappa, dtype=float)
    if kappa.shape != (dY,) or np.any(kappa < 0):
        raise InputError(f"`kappa` must be {dY} non-negative numbers; got {kappa!r}")
    return np.sqrt(kappa / P)[:, None] * V


def relu_rows(a, dY: int) -> np.ndarray:
    V = sign_vectors(dY)
    a = np.asarray(a, dtype=float)
    if a.shape != (2 * dY,) or np.any(a < 0):
        raise InputError(f"`a` must be {2 * dY} non-negative squared amplitudes; got {a!r}")
    pats = [1 + s * V[i] for i in range(dY) for s in (1.0, -1.0)]
    return np.sqrt(a)[:, None] * np.array(pats)


def block_fit(a, dY: int, lam2: float) -> float:
    """lam2 P sum_i [(lam2 + P Khat)^{-1}]_{ii} with Khat = [[sum B, C^T], [C, diag B]],
    B_i = a_i+ + a_i-, C_i = a_i+ - a_i- (derivation in symbolic.schur)."""
    P = 2 ** dY
    a = np.asarray(a, dtype=float).reshape(dY, 2)
    B, C = a.sum(1), a[:, 0] - a[:, 1]
    K = np.zeros((dY + 1, dY + 1))
    K[0, 0] = B.sum()
    K[0, 1:] = K[1:, 0] = C
    K[1:, 1:] = np.diag(B)
    Ainv = np.linalg.inv(lam2 * np.eye(dY + 1) + P * K)
    return float(lam2 * P * np.trace(Ainv[1:, 1:]))


def robin_hood(x, i: int, j: int, frac) -> list:
    """Move frac * (x_rich - x_poor)/2 from the richer of x_i, x_j to the poorer (0 < frac <= 1):
    the result (a list; works for floats and mpmath numbers) is majorised by x (a T-transform)."""
    x = list(x)
    rich, poor = (i, j) if x[i] >= x[j] else (j, i)
    move = frac * (x[rich] - x[poor]) / 2
    x[rich] -= move
    x[poor] += move
    return x


def majorises(x, y, tol: float = 0.0) -> bool:
    """True when x majorises y: equal sums, partial sums of the decreasing rearrangements of x
    dominate those of y."""
    xs, ys = sorted(x, reverse=True), sorted(y, reverse=True)
    if abs(sum(xs) - sum(ys)) > tol * max(1.0, abs(sum(xs))):
        return False
    px = py = 0
    for a, b in zip(xs, ys):
        px, py = px + a, py + b
        if px < py - tol:
            return False
    return True


def compositions(M: int, parts: int):
    """All allocations (N_1, ..., N_parts) of M neurons, N_i >= 0."""
    for cut in itertools.combinations(range(M + parts - 1), parts - 1):
        prev, out = -1, []
        for c in cut:
            out.append(c - prev - 1)
            prev = c
        out.append(M + parts - 2 - prev)
        yield tuple(out)
