r"""High-precision refinement of the linear solver's optimum, for decisions a float bracket cannot make.

The PS interval of :mod:`numeric.solver.linear_abstraction` has width ~ sqrt(g) (g the certified
gap, ~1e-14 E from float64) plus ~ sqrt(eps) from the float square root |A-|; a PS within ~1e-6 of
1 then stays undecided. Here the float optimum is polished in mpmath and re-certified exactly:

* **Newton** on the balanced factors (width r = the float rank) of the network loss
  |Y - W2 W X~|^2 + lam1 |W|^2 + lam2 |W2|^2 at ``DPS`` digits: exact gradient, Hessian by central
  differences of it (step 10^-(DPS/2)), pseudo-inverse step (the rotations W -> R W,
  W2 -> W2 R^T are a null space); the float start is within the quadratic-convergence region
  (relative gap ~1e-13).
* **Dual point**: the residual Lambda = Y - W2 W X~ scaled into |Lambda X~^T|_2 <= tau in mpmath and
  shrunk by 1 - 2^-(3 DPS); everything then enters :func:`numeric.solver.linear.verify_linear` as
  exact rationals (an mpf *is* a rational), which recomputes both bounds and the PSD check exactly.
  Nothing is trusted to the mpmath arithmetic: a refinement that did not converge only gives a
  wider (still valid) bracket or a refused dual point.

Cost: pure-Python mpmath, O(n) gradient evaluations per step for n = r (D + dY) unknowns; used only
up to ``MAX_VARS`` unknowns.
"""
from __future__ import annotations

import mpmath as mp
import numpy as np

from numeric.solver import rational as rq
from numeric.solver.linear import LinearCertificate, verify_linear

#: working precision (decimal digits)
DPS = 60
#: largest number of factor entries r (D + dY) refined
MAX_VARS = 64
STEPS = 6


def _grad(W, W2, Xt, Y, l1, l2):
    R = Y - W2 * W * Xt
    gW = -2 * W2.T * R * Xt.T + 2 * l1 * W
    gW2 = -2 * R * (W * Xt).T + 2 * l2 * W2
    return gW, gW2


def _pack(a, b):
    return mp.matrix([a[i, j] for i in range(a.rows) for j in range(a.cols)]
                     + [b[i, j] for i in range(b.rows) for j in range(b.cols)])


def _unpack(v, shapes):
    (r, D), (dY, _) = shapes
    W = mp.matrix(r, D)
    W2 = mp.matrix(dY, r)
    for i in range(r):
        for j in range(D):
            W[i, j] = v[i * D + j]
    o = r * D
    for i in range(dY):
        for j in range(r):
            W2[i, j] = v[o + i * r + j]
    return W, W2


def _pinv_solve(H, g, rtol):
    U, S, V = mp.svd_r(H)
    smax = max(abs(s) for s in S)
    x = mp.matrix(H.cols, 1)
    for k in range(len(S)):
        if abs(S[k]) > rtol * smax:
            coef = sum(U[i, k] * g[i] for i in range(H.rows)) / S[k]
            for i in range(H.cols):
                x[i] += coef * V[k, i]
    return x


def refine(W: np.ndarray, W2: np.ndarray, X_tilde, Y, lam1, lam2) -> LinearCertificate | None:
    """Exact certificate of the mpmath-polished network (module docstring), or None when the
    instance is too large."""
    r, D = W.shape
    dY = Y.shape[0]
    if r == 0 or r * (D + dY) > MAX_VARS:
        return None
    with mp.workdps(DPS):
        Xt = mp.matrix(np.asarray(X_tilde, dtype=float).tolist())
        Ym = mp.matrix(np.asarray(Y, dtype=float).tolist())
        l1, l2 = mp.mpf(float(lam1)), mp.mpf(float(lam2))
        Wm, W2m = mp.matrix(W.tolist()), mp.matrix(W2.tolist())
        shapes = ((r, D), (dY, r))
        n = r * (D + dY)
        h = mp.mpf(10) ** (-(DPS // 2))
        for _ in range(STEPS):
            g = _pack(*_grad(Wm, W2m, Xt, Ym, l1, l2))
            if mp.norm(g) <= mp.mpf(10) ** (-(DPS - 5)):
                break
            x0 = _pack(Wm, W2m)
            H = mp.matrix(n, n)
            for k in range(n):
                e = mp.matrix(n, 1)
                e[k] = h
                gp = _pack(*_grad(*_unpack(x0 + e, shapes), Xt, Ym, l1, l2))
                gm = _pack(*_grad(*_unpack(x0 - e, shapes), Xt, Ym, l1, l2))
                for i in range(n):
                    H[i, k] = (gp[i] - gm[i]) / (2 * h)
            H = (H + H.T) / 2
            Wm, W2m = _unpack(x0 - _pinv_solve(H, g, mp.mpf(10) ** (-(DPS // 3))), shapes)
        R = Ym - W2m * Wm * Xt
        M = R * Xt.T
        nrm = max(mp.svd_r(M, compute_uv=False))
        tau = mp.sqrt(l1 * l2)
        scale = (tau / nrm if nrm > tau else mp.mpf(1)) * (1 - mp.mpf(2) ** (-3 * DPS))
        Lam = R * scale
        to_s = lambda A: [[str(rq.from_mpf(A[i, j])) for j in range(A.cols)] for i in range(A.rows)]
        data = {"kind": "linear", "lam1": str(rq.q(lam1)), "lam2": str(rq.q(lam2)),
                "W": to_s(Wm), "W2": to_s(W2m), "Lambda": to_s(Lam),
                "X_tilde": rq.to_strings(rq.mat(np.asarray(X_tilde, dtype=float))),
                "Y": rq.to_strings(rq.mat(np.asarray(Y, dtype=float)))}
    return verify_linear(data)
