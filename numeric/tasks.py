"""Tasks: inputs X (dX x P) and targets Y (dY x P), samples as columns.

The hypercube task (Paper A): the 2^dY sign vectors, each repeated n times, P = n 2^dY.
Whitened inputs satisfy X^T X = I_P (needs dX >= P); with the bias row, K_X = I + J.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from numeric.validation import InputError, integer_at_least


@dataclass(frozen=True)
class Task:
    X: np.ndarray
    Y: np.ndarray
    bias: bool = True

    @property
    def P(self) -> int:
        return self.Y.shape[1]

    @property
    def dY(self) -> int:
        return self.Y.shape[0]

    def X_tilde(self) -> np.ndarray:
        return augment(self.X, self.bias)


def sign_vectors(dY: int) -> np.ndarray:
    """All 2^dY sign vectors as columns (dY x 2^dY), canonical itertools.product order."""
    integer_at_least("dY", dY, 1)
    return np.array(list(itertools.product([-1.0, 1.0], repeat=dY))).T


def hypercube_targets(dY: int, n: int = 1) -> np.ndarray:
    integer_at_least("n", n, 1)
    return np.repeat(sign_vectors(dY), n, axis=1)


def whitened_inputs(P: int, dX: int | None = None, seed: int | None = None) -> np.ndarray:
    """X with X^T X = I_P: the identity (dX = P) or, with a seed, random orthonormal columns."""
    dX = P if dX is None else dX
    if dX < P:
        raise InputError(f"`dX` must be >= P = {P} for whitened inputs; got {dX}")
    if seed is None:
        return np.eye(dX, P)
    q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((dX, P)))
    return q


def hypercube(dY: int, n: int = 1, *, bias: bool = True, seed: int | None = None) -> Task:
    Y = hypercube_targets(dY, n)
    return Task(whitened_inputs(Y.shape[1], seed=seed), Y, bias)


def augment(X: np.ndarray, bias: bool) -> np.ndarray:
    """X~ = [X; 1^T] with the bias, X itself without."""
    return np.vstack([X, np.ones((1, X.shape[1]))]) if bias else np.asarray(X, dtype=float)


def input_kernel_pinv(X_tilde: np.ndarray) -> np.ndarray:
    """Q = (X~^T X~)^+ (Moore-Penrose)."""
    return np.linalg.pinv(X_tilde.T @ X_tilde, hermitian=True)
