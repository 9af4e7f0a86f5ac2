"""The restricted master problem: optimal non-negative weights on a finite set of patterns.

Given atoms (patterns) h_k with firing parts p_k = relu(h_k), normalised to unit cost
c_k = h_k^T Q h_k = 1, the energy of the measure sum_k w_k delta_{h_k} is

    F(w) = lam1 sum_k w_k + lam2 tr((lam2 I + K(w))^{-1} K_Y),   K(w) = sum_k w_k p_k p_k^T,

convex in w >= 0 (the inverse is operator convex). With R = (lam2 + K)^{-1}, A = R K_Y R:

    dF/dw_k = lam1 - lam2 p_k^T A p_k                          (= V(h_k), the first variation)
    d2F/dw_k dw_l = 2 lam2 (p_k^T R p_l)(p_k^T A p_l)           (Hadamard product of PSD: PSD)

Evaluation: F(w) and its gradient through the ridge residual Lambda = lam2 Y R
(:mod:`numeric.solver.ridge`, error ~eps instead of eps cond(lam2 + K)); R itself only for the
Newton Hessian. Method: (cold start only) L-BFGS-B to locate the support, then an active-set Newton iteration (least-squares
Newton step on the free weights, projected line search, re-admitting a zero weight whose
gradient is negative) until the projected gradient is at round-off. Failure: the iteration
limit is reported through ``converged=False``, never hidden.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from numeric.solver import ridge
from numeric.solver.rowforms import rowquad


@dataclass
class MasterResult:
    w: np.ndarray
    energy: float
    R: np.ndarray
    grad: np.ndarray
    converged: bool
    iterations: int


def _resolvent(w, F, lam2):
    """R = (lam2 I + K(w))^{-1}, symmetrised."""
    P = F.shape[1]
    R = np.linalg.inv(lam2 * np.eye(P) + F.T @ (w[:, None] * F))
    return (R + R.T) / 2


def _parts(w, F, KY, lam1, lam2, B=None, *, need_R: bool = True):
    """(F(w), dF/dw, R, A). With B (B^T B = K_Y, :func:`numeric.solver.ridge.gram_factor`) the
    energy, gradient and A come from the stable ridge residual (:mod:`numeric.solver.ridge`);
    R, which only the Newton Hessian uses then, from the inverse -- or None when not
    ``need_R`` (line searches: measured, six outputs on 100 points of a line, the P x P
    inverses were 4.5 of the master's 10.5 s)."""
    stable = B is not None and ridge.METHOD != "inverse"
    R = _resolvent(w, F, lam2) if need_R or not stable else None
    if not stable:
        energy = lam1 * float(np.sum(w)) + lam2 * float(np.sum(R * KY))
        A = R @ KY @ R
    else:
        on = w > 0
        fit, Lam, _ = ridge.fit(np.sqrt(w[on])[:, None] * F[on], B, lam2)
        energy = lam1 * float(np.sum(w)) + fit
        A = (Lam.T @ Lam) / lam2 ** 2
    g = lam1 - lam2 * rowquad(F, A)
    return energy, g, R, A


def solve_master(F: np.ndarray, KY: np.ndarray, lam1: float, lam2: float,
                 w0: np.ndarray | None = None, *, targets: np.ndarray | None = None,
                 max_newton: int = 200) -> MasterResult:
    """Minimise F(w) over w >= 0 for unit-cost atoms with firing parts F (m x P).

    ``targets``: Y (B^T B = K_Y) for the stable fit term; default a factor of K_Y."""
    m = F.shape[0]
    B = ridge.gram_factor(KY) if targets is None else targets
    w = np.zeros(m) if w0 is None else np.maximum(np.asarray(w0, dtype=float), 0.0)
    if not np.any(w > 0):                     # cold start: L-BFGS-B locates the support
        fg = lambda x: _parts(x, F, KY, lam1, lam2, B, need_R=False)[:2]
        res = minimize(fg, w, jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * m,
                       options={"ftol": 1e-15, "gtol": 1e-13, "maxiter": 5000})
        w = np.asarray(res.x, dtype=float)
        w[w <= 1e-12 * max(float(np.max(w)), 1e-300)] = 0.0
    f, g, R, A = _parts(w, F, KY, lam1, lam2, B)
    gscale = max(abs(lam1), 1e-300)            # gradients are lam1 - lam2 p^T A p (unit cost)
    free = w > 0
    converged = False
    best_pg, no_progress = np.inf, 0
    f_readmit, j_readmit = np.inf, -1
    it = 0
    for it in range(1, max_newton + 1):
        idx = np.flatnonzero(free)
        d = np.zeros(m)
        if idx.size:
            R = _resolvent(w, F, lam2) if R is None else R
            H = 2 * lam2 * (F[idx] @ R @ F[idx].T) * (F[idx] @ A @ F[idx].T)
            d[idx] = -np.linalg.lstsq(H, g[idx], rcond=1e-14)[0]
            if g[idx] @ d[idx] > 0:           # not a descent direction (rank trouble): gradient
                d[idx] = -g[idx]
        neg = d < 0
        ratios = np.where(neg, -w / np.where(neg, d, -1.0), np.inf)
        t_max = float(np.min(ratios)) if neg.any() else np.inf
        t = min(1.0, t_max)
        while t > 1e-30:
            wn = np.maximum(w + t * d, 0.0)
            if t == t_max:
                wn[int(np.argmin(ratios))] = 0.0
            fn, gn, Rn, An = _parts(wn, F, KY, lam1, lam2, B, need_R=False)
            if fn <= f:
                w, f, g, R, A = wn, fn, gn, Rn, An
                break
            t /= 2
        free = w > 0
        pg = np.max(np.abs(g[free]), initial=0.0)
        if pg < 0.5 * best_pg:
            best_pg, no_progress = pg, 0
        else:
            no_progress += 1
        if pg <= 1e-15 * gscale or no_progress >= 4:
            cand = np.where(free, np.inf, g)
            j = int(np.argmin(cand))
            if cand[j] < -1e-13 * gscale and (f < f_readmit or j != j_readmit):
                # re-admit the most violated zero weight -- the same one again only if the
                # energy went down since (at round-off, degenerate atoms otherwise cycle)
                f_readmit, j_readmit = f, j
                free[j] = True
                best_pg, no_progress = np.inf, 0
                continue
            converged = pg <= 1e-9 * gscale
            break
    return MasterResult(w, f, _resolvent(w, F, lam2) if R is None else R, g, converged, it)
