r"""The box polish by a projected Newton method (Bertsekas 1982), the alternative to L-BFGS-B.

Problem (as in :func:`numeric.solver.polish.polish_box`): neurons h_k (rows of H, m x P), each
entry kept on the side of zero it starts on (``pos``: h_kj >= 0, else h_kj <= 0), firing parts
Phi = pos o H, and

    E(H) = lam1 sum_k h_k C h_k^T + fit(Phi),   fit(Phi) = lam2 tr(R K_Y),  R = (lam2 + Phi^T Phi)^-1.

Derivatives (derived here; checked against finite differences in tests/test_solver_box_newton.py).
With A = R K_Y R, the gradient is 2 lam1 H C - 2 lam2 pos o (Phi A), and the Hessian of the fit
term in the firing entries, differentiating Phi A with dR = -R dG R, dG = dPhi^T Phi + Phi^T dPhi:

    d2 fit / dPhi_ki dPhi_lj = -2 lam2 [ delta_kl A_ij - (Phi R)_kj (Phi A)_li - (Phi A)_kj (Phi R)_li
                                         - (Phi R Phi^T)_kl A_ij - (Phi A Phi^T)_kl R_ij ],

to which the cost adds 2 lam1 delta_kl C_ij (on every entry, firing or not).

Method. At each iterate the entries at their bound (exactly 0) whose gradient points out of the
box are held at 0 (the active set; entries within eps of the bound count as at it, Bertsekas's
eps-active set with eps the length of the projected-gradient step, capped); on the others the
step is -|H_ff|^+ g_f (:func:`numeric.solver.landing.pseudo_newton_step`: negative curvature by
its modulus, null directions -- rotations of neurons that share a firing set -- dropped), and a
backtracking search along the projection arc x(t) = P(x + t d) takes the first t = 2^-i with the
Armijo decrease E(x(t)) <= E(x) + 1e-4 g.(x(t) - x). Near the optimum E's decrease falls below
its own round-off (a gradient of relative size ~sqrt(eps) changes E by ~eps), so a step that
keeps E within FLAT_ULPS ulps and shrinks the projected gradient is taken too: Newton then
drives the gradient to its floor (~eps cond) instead of stopping at ~1e-8. It stops when the
projected gradient is below ``gtol`` times its first value's scale, when no step is taken, or
after ``maxiter`` steps.

Hypotheses and failure modes: a local method (it certifies nothing; the pricing detects a
non-global point). The Hessian costs O((mP)^2) memory and an eigendecomposition O((mP)^3) per
step, so it is meant for mP up to a few hundred (the full-rank signed route, P <= 17). Values
come through the stable ridge fit (:mod:`numeric.solver.ridge`); R, which only steers the step,
through the inverse.
"""
from __future__ import annotations

import numpy as np

from numeric.solver import ridge
from numeric.solver.landing import pseudo_newton_step

#: Armijo constant and the most halvings of a step
ARMIJO, MAX_HALVINGS = 1e-4, 40
#: a step that changes E by at most this many ulps counts as flat (see :func:`polish`)
FLAT_ULPS = 4
#: the eps of the eps-active set is at most this fraction of the largest |entry| (1e-3 was
#: measured no faster: benchmarks/solver/README.md, warm_flags section)
EPS_ACTIVE_REL = 1e-8


def energy(H: np.ndarray, pos: np.ndarray, C: np.ndarray, B: np.ndarray, lam1: float,
           lam2: float) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """(E, gradient, Phi, A) at H; ``B`` any factor with B^T B = K_Y."""
    Phi = np.where(pos, H, 0.0)
    fit, Lam, _ = ridge.fit(Phi, B, lam2)
    A = (Lam.T @ Lam) / lam2 ** 2
    f = lam1 * float(np.sum((H @ C) * H)) + fit
    g = 2 * lam1 * H @ C - 2 * lam2 * np.where(pos, Phi @ A, 0.0)
    return f, g, Phi, A


def hessian(Phi: np.ndarray, A: np.ndarray, pos: np.ndarray, C: np.ndarray, lam1: float,
            lam2: float) -> np.ndarray:
    """The Hessian of E in the entries of H, as an (mP) x (mP) matrix (row-major order)."""
    m, P = Phi.shape
    R = np.linalg.inv(lam2 * np.eye(P) + Phi.T @ Phi)
    R = (R + R.T) / 2
    PR, PA = Phi @ R, Phi @ A
    eye = np.eye(m)
    T = (np.einsum("kl,ij->kilj", eye, A)
         - np.einsum("kj,li->kilj", PR, PA) - np.einsum("kj,li->kilj", PA, PR)
         - np.einsum("kl,ij->kilj", PR @ Phi.T, A) - np.einsum("kl,ij->kilj", PA @ Phi.T, R))
    f = pos.ravel().astype(float)
    Hf = -2 * lam2 * T.reshape(m * P, m * P) * np.outer(f, f)
    return Hf + np.kron(eye, 2 * lam1 * C)


def polish(H0: np.ndarray, C: np.ndarray, KY: np.ndarray, lam1: float, lam2: float, *,
           signed: bool, maxiter: int = 200, gtol: float = 1e-13) -> np.ndarray:
    """Projected Newton over H with each entry kept on the side of zero it starts on (orthant
    mode, ``signed=False``: every entry >= 0). Returns the last iterate (never worse than H0)."""
    m, P = H0.shape
    pos = H0 > 0 if signed else np.ones_like(H0, dtype=bool)
    lo = np.where(pos, 0.0, -np.inf).ravel()
    hi = np.where(pos, np.inf, 0.0).ravel()
    B = ridge.gram_factor(KY)
    x = np.clip(H0.ravel(), lo, hi)
    f, g, Phi, A = energy(x.reshape(m, P), pos, C, B, lam1, lam2)
    g = g.ravel()
    scale = None
    for _ in range(maxiter):
        pg = x - np.clip(x - g, lo, hi)                       # projected gradient step
        norm = float(np.max(np.abs(pg)))
        scale = norm if scale is None else scale
        if norm <= gtol * max(scale, 1e-300):
            break
        eps = min(norm, EPS_ACTIVE_REL * max(float(np.max(np.abs(x))), 1e-300))
        at_lo = (x - lo <= eps) & (g > 0)
        at_hi = (hi - x <= eps) & (g < 0)
        free = ~(at_lo | at_hi)
        d = np.zeros_like(x)
        if free.any():
            Hm = hessian(Phi, A, pos, C, lam1, lam2)
            d[free] = pseudo_newton_step(Hm[np.ix_(free, free)], g[free])
        d[~free] = -g[~free]                                  # projected out at once
        t, moved = 1.0, False
        for _ in range(MAX_HALVINGS):
            xt = np.clip(x + t * d, lo, hi)
            ft, gt, Phit, At = energy(xt.reshape(m, P), pos, C, B, lam1, lam2)
            if ft <= f + ARMIJO * float(g @ (xt - x)) and ft < f:
                moved = True
                break
            # at the round-off of E a decrease can no longer be seen: a step that leaves E
            # within a few ulps and shrinks the projected gradient is taken too
            gtr = gt.ravel()
            if (ft <= f + FLAT_ULPS * np.spacing(abs(f))
                    and float(np.max(np.abs(xt - np.clip(xt - gtr, lo, hi)))) < norm):
                moved = True
                break
            t /= 2
        if not moved:
            break
        x, f, g, Phi, A = xt, ft, gt.ravel(), Phit, At
    return x.reshape(m, P)
