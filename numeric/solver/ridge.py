r"""The ridge fit term of the energy, evaluated without the resolvent's round-off.

For firing parts Phi (m x P), targets Y (dY x P) and lam2 > 0 the fit term is

    fit(Phi) = min_A |Y - A Phi|^2 + lam2 |A|^2 = lam2 tr(Y (lam2 + Phi^T Phi)^{-1} Y^T),

with minimiser A* = Lambda Phi^T / lam2 and residual Lambda = Y - A* Phi = lam2 Y (lam2 + K)^{-1}
(the dual point); its gradient in Phi is -2 A*^T Lambda. Only K_Y = Y^T Y enters, so any B with
B^T B = K_Y may stand for Y (:func:`gram_factor`).

Evaluating the right-hand side through the inverse R = (lam2 + K)^{-1} loses
~eps cond(lam2 + K) relative accuracy in the value, the dual point and the gradient. Measured
here on 40 points of a line with eight outputs (cond 1.3e5): the solver's energy read up to
1.1e-12 (relative) below the true energy of its own network, its dual point stayed infeasible
by 7.5e-12 (confirmed by the exact face check), so it stopped on a float gap that was not there
and the certified bracket was 1.05e-12; with this evaluation in the master, the polishes and
the dual point, 2.6e-13 (derived and measured here; ``benchmarks/solver/ridge.py``).

Method (``"lstsq"``, the default): the minimiser by least squares on the stacked system
[Phi^T; sqrt(lam2) I] A^T = [Y^T; 0] (Householder QR, backward stable, one step of iterative
refinement); the value is the objective *at that A* -- a sum of squares with no cancellation,
an upper bound on the minimum, quadratically close to it (the objective is stationary at A*) --
and Lambda is the residual Y - A Phi. Both are accurate to ~eps |A*| |Phi| (relative) instead of
eps cond(lam2 + K) -- the rounding of A alone moves Lambda by that much, so no backward-stable
method does better in binary64. Measured against 50-digit normal equations
(``tests/test_solver_ridge.py``; Phi with singular values 1 .. 1e5, lam2 = 1e-4, |A*| |Phi| =
1.6e5): value 1.4e-13, Lambda 1.1e-12, against 2.3e-4 and 3.2e-3 through the inverse. ``"inverse"`` is the resolvent form, kept as the peer of the benchmark.
Cost: one QR of a (P + m) x m matrix, m the number of atoms (the inverse: P x P).
"""
from __future__ import annotations

import numpy as np

#: "lstsq" (stable, default) or "inverse" (the resolvent form; benchmark peer)
METHOD = "lstsq"


def fit(Phi: np.ndarray, Y: np.ndarray, lam2: float, *,
        method: str | None = None) -> tuple[float, np.ndarray, np.ndarray]:
    """(fit term, residual Lambda = Y - A Phi, readout A) for firing parts Phi (m x P).

    ``Y`` may be any B with B^T B = K_Y. Raises ValueError for mismatched shapes or lam2 <= 0."""
    method = METHOD if method is None else method
    if method not in ("lstsq", "inverse"):
        raise ValueError(f"`method` must be 'lstsq' or 'inverse'; got {method!r}")
    if not lam2 > 0:
        raise ValueError(f"`lam2` must be > 0; got {lam2!r}")
    if Phi.ndim != 2 or Y.ndim != 2 or Phi.shape[1] != Y.shape[1]:
        raise ValueError(f"`Phi` (m x P) and `Y` (dY x P) must share P; got shapes "
                         f"{Phi.shape} and {Y.shape}")
    m, P = Phi.shape
    dY = Y.shape[0]
    if m == 0:
        return float(np.sum(Y * Y)), Y.copy(), np.zeros((dY, 0))
    if method == "inverse":
        R = np.linalg.inv(lam2 * np.eye(P) + Phi.T @ Phi)
        Lam = lam2 * Y @ ((R + R.T) / 2)
        return float(np.sum(Lam * Y)), Lam, Lam @ Phi.T / lam2
    M = np.vstack([Phi.T, np.sqrt(lam2) * np.eye(m)])
    b = np.vstack([Y.T, np.zeros((m, dY))])
    Qm, Rm = np.linalg.qr(M)
    x = np.linalg.solve(Rm, Qm.T @ b)
    x = x + np.linalg.solve(Rm, Qm.T @ (b - M @ x))
    A = x.T
    Lam = Y - A @ Phi
    return float(np.sum(Lam * Lam) + lam2 * np.sum(A * A)), Lam, A


def gram_factor(KY: np.ndarray) -> np.ndarray:
    """B (r x P, r = rank) with B^T B = K_Y to round-off, for callers that hold only K_Y (the
    fit term does not see a rotation of the targets). Pass the targets themselves where known:
    they are exact."""
    ev, V = np.linalg.eigh((KY + KY.T) / 2)
    keep = ev > 1e-14 * max(float(ev[-1]), 0.0) if ev.size else ev > 0
    return np.sqrt(ev[keep])[:, None] * V[:, keep].T
