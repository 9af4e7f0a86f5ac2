"""Local polishing of the active patterns with their sign structure held fixed.

Column generation adds patterns that are only approximately optimal inside their face; the exact
optimum of a face is reached faster by optimising the patterns themselves (a Burer-Monteiro step
on the support of the current measure). With neurons h_k (rows of H, weights absorbed into the
amplitudes) the energy is

    E(H) = lam1 sum_k cost(h_k) + lam2 tr((lam2 I + relu(H)^T relu(H))^{-1} K_Y),

and with the sign of every entry fixed it is smooth: relu(H) = D_s o H.

* ``orthant``: H >= 0 (bounds), cost h^T Q h; E is smooth on the whole orthant (projected
  Newton, :mod:`numeric.solver.box_newton`, or L-BFGS-B).
* ``signed``: bounds h_kj >= 0 where s_kj = +, h_kj <= 0 where s_kj = - (the same two).
* ``range``: h_k = X~^T w_k with cost |w_k|^2 (w_k in the row space), sign constraints
  s_kj (X~^T w_k)_j >= 0 are linear inequalities (SLSQP).

This is a local method: it never certifies anything and may stop at a non-global point, which
the pricing step then detects.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from numeric.solver import box_newton, ridge
from numeric.solver.landing import FixedSupport


def _fit(Phi, B, lam2):
    """(fit term, A = R K_Y R) from the stable ridge residual (B^T B = K_Y)."""
    fit, Lam, _ = ridge.fit(Phi, B, lam2)
    return fit, (Lam.T @ Lam) / lam2 ** 2


def polish_box(H0: np.ndarray, C: np.ndarray, KY, lam1, lam2, *, signed: bool) -> np.ndarray:
    """L-BFGS-B over H with each entry kept on the side of zero it starts on. (The solver's
    default for up to ``relu.BOX_NEWTON_MAX_VARS`` entries is the projected Newton method of
    :mod:`numeric.solver.box_newton` on the same energy; this is its benchmark peer.)"""
    M, P = H0.shape
    pos = H0 > 0 if signed else np.ones_like(H0, dtype=bool)
    B = ridge.gram_factor(KY)

    def fun(x):
        f, G, _, _ = box_newton.energy(x.reshape(M, P), pos, C, B, lam1, lam2)
        return f, G.ravel()

    bounds = [(0.0, None) if b else (None, 0.0) for b in pos.ravel()]
    res = minimize(fun, H0.ravel(), jac=True, method="L-BFGS-B", bounds=bounds,
                   options={"ftol": 1e-16, "gtol": 1e-14, "maxiter": 5000, "maxcor": 50})
    return res.x.reshape(M, P)


def polish_range(W0: np.ndarray, X_tilde: np.ndarray, KY, lam1, lam2) -> np.ndarray:
    """SLSQP over input weights W (M x D) with the sign pattern of W X~ held fixed."""
    M, D = W0.shape
    S = np.sign(W0 @ X_tilde)
    S[S == 0] = -1.0
    B = ridge.gram_factor(KY)

    def fun(x):
        W = x.reshape(M, D)
        H = W @ X_tilde
        Phi = np.where(S > 0, H, 0.0)
        fit, A = _fit(Phi, B, lam2)
        f = lam1 * float(np.sum(W * W)) + fit
        GH = -2 * lam2 * np.where(S > 0, Phi @ A, 0.0)
        return f, (2 * lam1 * W + GH @ X_tilde.T).ravel()

    rows = []
    for k in range(M):
        blk = np.zeros((X_tilde.shape[1], M * D))
        blk[:, k * D:(k + 1) * D] = (S[k][:, None] * X_tilde.T)
        rows.append(blk)
    G = np.vstack(rows)
    cons = [{"type": "ineq", "fun": lambda x: G @ x, "jac": lambda x: G}]
    try:
        res = minimize(fun, W0.ravel(), jac=True, method="SLSQP", constraints=cons,
                       options={"ftol": 1e-16, "maxiter": 100})
    except np.linalg.LinAlgError:       # SLSQP stepped to non-finite weights: keep the start
        return W0
    if not np.all(np.isfinite(res.x)):
        return W0
    W = res.x.reshape(M, D)
    # keep the result only if it is feasible and better (SLSQP may wander at round-off)
    if np.all(G @ res.x >= -1e-12 * max(1.0, float(np.max(np.abs(W0))))) and fun(res.x)[0] <= fun(W0.ravel())[0]:
        return W
    return W0


def refine_range(W0: np.ndarray, X_tilde: np.ndarray, KY, lam1, lam2, *, zero_rtol: float = 1e-8) -> np.ndarray:
    """Second stage of the ``range`` polish: fix each neuron's zero set Z_k (entries of h_k = w_k X~
    within ``zero_rtol`` of 0) and its positive set, restrict w_k to {w : w X~_j = 0, j in Z_k}
    (:class:`numeric.solver.landing.FixedSupport`), and minimise the now smooth, unconstrained
    energy with L-BFGS. Kept only if every sign is preserved and the energy does not increase."""
    sup = FixedSupport(W0, X_tilde, zero_rtol=zero_rtol)
    z0 = sup.pack(W0)

    def fun(z):
        f, g, _ = sup.evaluate(z, KY, lam1, lam2, with_state=False)
        return f, g

    res = minimize(fun, z0, jac=True, method="L-BFGS-B",
                   options={"ftol": 1e-16, "gtol": 1e-15, "maxiter": 5000, "maxcor": 50})
    W = sup.unpack(res.x)
    if sup.signs_ok(W) and fun(res.x)[0] <= fun(z0)[0]:
        return W
    return W0


def one_neuron_form(W, S, k: int, X_tilde, KY, lam2) -> tuple[np.ndarray, np.ndarray]:
    """(a, r) of :func:`polish_range_blocks`: with neuron k's signs S[k] fixed and the other
    neurons as in W, E = lam1 |w_k|^2 - lam2 w_k^T a w_k / (1 + w_k^T r w_k) + const."""
    P = X_tilde.shape[1]
    Phi = np.maximum(W @ X_tilde, 0.0) * (S > 0)
    Phi[k] = 0.0
    R = np.linalg.inv(lam2 * np.eye(P) + Phi.T @ Phi)
    R = (R + R.T) / 2
    B = (S[k] > 0)[:, None] * X_tilde.T                               # P x D
    RB = R @ B
    return RB.T @ KY @ RB, B.T @ RB


def one_neuron_energy(w, a, r, lam1, lam2) -> tuple[float, np.ndarray]:
    """lam1 |w|^2 - lam2 w^T a w / (1 + w^T r w) and its gradient in w."""
    aw, rw = a @ w, r @ w
    den = 1.0 + w @ rw
    num = w @ aw
    f = lam1 * (w @ w) - lam2 * num / den
    g = 2 * lam1 * w - lam2 * (2 * aw * den - num * 2 * rw) / den ** 2
    return float(f), g


def polish_range_blocks(W0: np.ndarray, X_tilde: np.ndarray, KY, lam1, lam2, *,
                        sweeps: int = 2) -> np.ndarray:
    """Block-coordinate version of :func:`polish_range`: one neuron at a time, the others fixed.

    With the other neurons' kernel K' and R = (lam2 I + K')^{-1}, Sherman-Morrison gives the
    energy as a function of one neuron's weights w (its signs s fixed, firing part phi = B w,
    B = D_+ X~^T) as

        E(w) = lam1 |w|^2 - lam2 (w^T a w) / (1 + w^T r w) + const,  a = B^T R K_Y R B, r = B^T R B,

    a D-variable problem with P linear constraints s_j (X~^T w)_j >= 0 (SLSQP). ``sweeps``
    passes over the neurons; a neuron's step is kept only if its energy does not increase.
    Cost per neuron O(P^2 D + D^3) instead of the joint SLSQP's dense (M D)^2 M P."""
    W = W0.copy()
    M = W.shape[0]
    S = np.sign(W @ X_tilde)
    S[S == 0] = -1.0
    for _ in range(sweeps):
        for k in range(M):
            a, r = one_neuron_form(W, S, k, X_tilde, KY, lam2)

            def fun(w, a=a, r=r):
                return one_neuron_energy(w, a, r, lam1, lam2)

            G = S[k][:, None] * X_tilde.T                              # G w >= 0
            w0 = W[k]
            try:
                res = minimize(fun, w0, jac=True, method="SLSQP",
                               constraints=[{"type": "ineq", "fun": lambda w, G=G: G @ w,
                                             "jac": lambda w, G=G: G}],
                               options={"ftol": 1e-16, "maxiter": 100})
            except np.linalg.LinAlgError:
                continue
            w = res.x
            if (np.all(np.isfinite(w)) and np.all(G @ w >= -1e-12 * max(1.0, float(np.max(np.abs(w0)))))
                    and fun(w)[0] <= fun(w0)[0]):
                W[k] = w
    return W
