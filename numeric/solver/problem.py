"""A mean-field instance in the form the global solver works with (ReLU, one hidden layer).

Data: inputs X (dX x P) and targets Y (dY x P), samples as columns; X~ = [X; 1^T] with the bias
(``bias=True``), X itself without. K_X = X~^T X~, K_Y = Y^T Y, Q = K_X^+ (Moore-Penrose).

A neuron with input weights w has preactivation pattern h = X~^T w (only patterns in the range of
X~^T are *reachable*) and, with the minimum-norm w, cost |w|^2 = h^T Q h. The energy of a measure
sum_k delta_{h_k} is (DESIGN.md)

    E = lam1 sum_k h_k^T Q h_k + lam2 tr((lam2 I + K)^{-1} K_Y),   K = sum_k relu(h_k) relu(h_k)^T.

Pattern modes (which patterns the solver must consider):

* ``orthant``: K_X invertible and Q a Z-matrix (off-diagonal entries <= 0). Then for a pattern
  h = p - q (p = h_+, q = h_-) the cost h^T Q h = p^T Q p + q^T Q q - 2 p^T Q q >= p^T Q p: the
  negative part only adds cost (lemma ``L.solver.zmatrix`` in :mod:`symbolic.solver`), so WLOG
  h = p >= 0 and the problem is convex over the completely positive cone. Whitened inputs
  (Q = I - J/(P+1) with bias, Q = I without) are the headline case.
* ``signed``: K_X invertible, Q not a Z-matrix: a pattern is a sign vector plus magnitudes; the
  silent entries' negative values matter (the cost of a firing pattern p is the convex problem
  min_{q >= 0 on the silent set} (p - q)^T Q (p - q)).
* ``range``: K_X singular (rank r < P): patterns must lie in the r-dimensional range of X~^T.
  Neurons are kept as input weights w (pattern w X~, cost |w|^2, always reachable); pricing is
  a gradient search over the sphere of input weights, plus the exhaustive signed search with the
  penalised cost Q_t = Q + t Pi_perp (Pi_perp the projector onto the null space of K_X), equal
  to Q on reachable patterns and a relaxation elsewhere -- so its float gap estimate is only
  conservative, and the exact certificate (same penalty, exact t) decides. Unreachable patterns
  never enter a solution.

Failure modes: NaN/inf, non-positive lambdas and mismatched shapes raise InputError; P above
``MAX_P`` is refused (the exhaustive pattern search is 2^P or 3^P) unless dY <= ``MAX_LOW_RANK_DY``
and the inputs have low rank r: then only the non-empty cells of the data's arrangement are
searched (at most 2 sum_{k<r} C(P-1, k) <= ``MAX_LOW_RANK_CELLS``), up to ``MAX_P_LOW_RANK``
samples (dY >= 2: on fans of simplicial cones of output directions per cell, or -- dY >= 6,
and dY = 2 .. 5 when they are few (:func:`numeric.solver.simplices.prefers_fan`) -- on the
faces of the arrangement, at most ``MAX_LOW_RANK_FACES`` of them for dY >= 6,
:mod:`numeric.solver.faces`, which replace the penalised ``range`` search whenever the fans do
not apply). For
dY <= 4, and dY = 5 on singular inputs or beyond 16 samples
(:func:`numeric.solver.simplices.prefers_fan`), the ``signed``/``range`` searches are replaced
by the cells of :mod:`numeric.solver.cells` / :mod:`numeric.solver.sectors` /
:mod:`numeric.solver.simplices` (P <= 18; singular inputs: the non-empty cells only), which use
the exact reachable cost |w|^2 instead of the penalised Q_t.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from numeric.solver.arrangement import generic_count
from numeric.solver.faces import generic_face_count
from numeric.tasks import augment
from numeric.validation import InputError, finite_matrix, positive

MAX_P = 20
#: beyond MAX_P: data of low rank r, whose arrangement has at most this many cells
#: (N(P, r) = 2 sum_{k<r} C(P-1, k); e.g. P = 200 points in the plane: 39 802)
MAX_LOW_RANK_CELLS = 100_000
MAX_P_LOW_RANK = 400
#: beyond MAX_P: at most this many outputs on the simplicial fans (numeric.solver.simplices);
#: more outputs are priced and certified on the faces of the arrangement
#: (numeric.solver.faces), at most MAX_LOW_RANK_FACES of them (generic count)
MAX_LOW_RANK_DY = 5
MAX_LOW_RANK_FACES = 250_000
#: relative singular-value threshold for the rank of X~ (float64 data).
RANK_RTOL = 1e-10
#: off-diagonal entries of Q above -ZMATRIX_RTOL * max|Q| but <= this count as "zero" (float
#: round-off of an exactly-zero entry); the certificate then bounds them rigorously.
ZMATRIX_RTOL = 1e-12


@dataclass(frozen=True)
class Problem:
    X_tilde: np.ndarray
    Y: np.ndarray
    lam1: float
    lam2: float
    bias: bool
    Q: np.ndarray = field(repr=False)
    rank: int = 0
    mode: str = "orthant"
    null_proj: np.ndarray | None = field(default=None, repr=False)

    @property
    def P(self) -> int:
        return self.Y.shape[1]

    @property
    def dY(self) -> int:
        return self.Y.shape[0]

    @property
    def KY(self) -> np.ndarray:
        return self.Y.T @ self.Y

    def input_cond(self) -> float:
        """cond(K_X) in the 2-norm (= cond(Q) on full-rank inputs); inf on singular inputs."""
        return float(np.linalg.cond(self.Q)) if self.rank == self.P else float("inf")

    def cost_matrix(self, t: float | None = None) -> np.ndarray:
        """Q, or Q_t = Q + t Pi_perp in ``range`` mode (default t = RANGE_T * max|Q|)."""
        if self.mode != "range":
            return self.Q
        t = RANGE_T * float(np.max(np.abs(self.Q))) if t is None else t
        return self.Q + t * self.null_proj

    def ps_defined(self) -> bool:
        return ps_defined(self.Y)


def ps_defined(Y: np.ndarray) -> bool:
    """PS needs dY >= 2 labels in {+-1} with every one of the 2^dY conditions present."""
    if Y.shape[0] < 2 or not np.all(np.abs(Y) == 1):
        return False
    return len(np.unique(Y.T, axis=0)) == 2 ** Y.shape[0]


#: penalty for leaving the range of X~^T in ``range`` mode (relative to max|Q|).
RANGE_T = 1e6


def make_problem(X, Y, lam1, lam2, *, bias: bool = True) -> Problem:
    """Validate data and classify the pattern mode (see module docstring)."""
    X = finite_matrix("X", X)
    Y = finite_matrix("Y", Y, cols=X.shape[1])
    lam1, lam2 = positive("lam1", lam1), positive("lam2", lam2)
    P = X.shape[1]
    if P > MAX_P_LOW_RANK:
        raise InputError(f"`P` (number of samples) must be <= {MAX_P_LOW_RANK} for the certified "
                         f"solver; got {P}")
    if not np.any(Y):
        raise InputError("`Y` must not be identically zero (the optimum is then trivially the "
                         "silent network); got all zeros")
    Xt = augment(X, bias)
    _, s, Vt = np.linalg.svd(Xt)                      # Vt: P x P
    rank = int(np.sum(s > RANK_RTOL * s[0])) if s.size and s[0] > 0 else 0
    if rank == 0:
        raise InputError("`X` must not be zero without the bias (no pattern is reachable); got X = 0")
    if P > MAX_P:
        cap = generic_count(P, rank)
        nfaces = generic_face_count(P, rank)
        if (cap > MAX_LOW_RANK_CELLS if Y.shape[0] <= MAX_LOW_RANK_DY
                else nfaces > MAX_LOW_RANK_FACES):
            raise InputError(
                f"`P` (number of samples) must be <= {MAX_P} for the dense certified solver (its "
                f"exhaustive pattern search is 2^P), unless the inputs have low rank (dY <= "
                f"{MAX_LOW_RANK_DY}: at most {MAX_LOW_RANK_CELLS} cells of their hyperplane "
                f"arrangement; more outputs: at most {MAX_LOW_RANK_FACES} faces); got "
                f"P = {P}, dY = {Y.shape[0]}, rank {rank} (up to {cap} cells, {nfaces} faces)")
    Vr = Vt[:rank].T
    Q = (Vr / s[:rank] ** 2) @ Vr.T                   # K_X^+ = V_r S_r^-2 V_r^T
    Q = (Q + Q.T) / 2
    null_proj = None
    if rank < P:
        mode = "range"
        N = Vt[rank:].T                               # P x (P - r) basis of the null space of K_X
        null_proj = N @ N.T
    else:
        off = Q - np.diag(np.diag(Q))
        mode = "orthant" if np.max(off) <= ZMATRIX_RTOL * np.max(np.abs(Q)) else "signed"
    return Problem(Xt, Y, lam1, lam2, bool(bias), Q, rank, mode, null_proj)
