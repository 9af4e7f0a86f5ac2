r"""The signed supports' block minima in the weight-space form, accurate on ill-conditioned inputs.

Problem (full-rank inputs, lam2 = 1 as in :mod:`numeric.solver.relu`). For a signed support
(J, s) -- patterns h with h_j = 0 off J and sign(h_j) = s_j on J, firing set F = {j : s_j > 0} --
the least quotient

    q(J, s) = min_h  lam1 - |Lam relu(h)|^2 / cost(h),   cost(h) = min{|w|^2 : X~^T w = h},

is what :func:`numeric.solver.pricing.signed_search` computes through C = K_X^-1 (a generalised
eigenproblem per block), whose float blocks carry relative errors ~eps cond(K_X).

Derived here: the patterns of the face are h = X~^T w with w in ker X~_{J^c}^T; with Z an
orthonormal basis of that kernel and B = X~_J^T Z, h_J = B u and min |w|^2 over the w giving h is
min |u|^2 over the u giving h (w = Z u, and the least-norm u lies in B's row space). So

    max_h |Lam relu(h)|^2 / cost(h) = max_u |Lam_F B_F u|^2 / |u|^2 = sigma_max(Lam_F B_F)^2

over the face's closure, attained in the open face (q is then the block's own minimum) iff the
top right singular vector u (or -u) gives B u the signs s (for a simple top singular value; with
a multiple one only that vector is tried, as the float search tries one eigenvector). Z comes from an SVD of X~_{J^c}^T, so
the errors are ~eps cond(X~) = eps sqrt(cond(K_X)) instead of eps cond(K_X).

Why (measured here, six outputs, P = 10, rows of X scaled over 8 decades, cond(K_X) = 4.4e10,
``benchmarks/solver/heuristic_floor.py``): the solver's float walk at its last point read
quotients as low as -6.6e-7 lam1 whose accurate values were all >= -5e-14 lam1, so every
violation looked like noise -- but a flagged block whose float eigenvector had the wrong signs
held q = -1.17e-10 lam1 in this form, and the exact certificate of that point closed only at
2.0e-10. Hypotheses: full rank (every pattern reachable); the blocks checked are those the float
screen flagged (a block it did not flag is not re-checked here).
"""
from __future__ import annotations

import itertools

import numpy as np

from numeric.solver.pricing import Pricing, contains_flag


def _kernel_basis(Xt: np.ndarray, Jc: np.ndarray) -> np.ndarray:
    """Orthonormal basis (columns) of ker X~_{J^c}^T."""
    if not len(Jc):
        return np.eye(Xt.shape[0])
    _, sv, Vt = np.linalg.svd(Xt[:, Jc].T)
    rank = int(np.sum(sv > max(Xt.shape) * np.finfo(float).eps * sv[0]))
    return Vt[rank:].T


def block_minima(lam1: float, X_tilde: np.ndarray, Lam: np.ndarray, subs: np.ndarray,
                 s: np.ndarray, cache: dict | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
    """q(J, s) for the supports J = rows of ``subs`` (n x k) with the signs ``s`` (k), and the
    minimising patterns h (length P; inf and a zero pattern where the minimum is not in the
    open face). ``cache``: kernel bases by support, shared across calls with other signs."""
    P = X_tilde.shape[1]
    F = s > 0
    q = np.full(len(subs), np.inf)
    hs = [np.zeros(P) for _ in range(len(subs))]
    for i, J in enumerate(subs):
        key = J.tobytes()
        Z = None if cache is None else cache.get(key)
        if Z is None:
            Z = _kernel_basis(X_tilde, np.setdiff1d(np.arange(P), J))
            if cache is not None:
                cache[key] = Z
        if not Z.shape[1]:
            continue
        B = X_tilde[:, J].T @ Z
        _, sv, Vt = np.linalg.svd(Lam[:, J[F]] @ B[F])
        hJ = B @ Vt[0]
        hJ = -hJ if hJ @ s < 0 else hJ
        if np.all(hJ * s > 0):
            q[i] = lam1 - float(sv[0]) ** 2
            hs[i][J] = hJ
    return q, hs


def flagged_minima(lam1: float, X_tilde: np.ndarray, Lam: np.ndarray,
                   flags: tuple[np.ndarray, np.ndarray], *, keep: int = 8) -> Pricing:
    """q(J, s) on every signed support that contains a flagged block of a float walk
    (``Pricing.flags`` of :func:`numeric.solver.pricing.signed_search`): the least (0 when none is
    negative) and the patterns of the ``keep`` most negative ones. Not exhaustive."""
    P = X_tilde.shape[1]
    flagged_J, flagged_p = (np.asarray(f, dtype=np.int64) for f in flags)
    best: list[tuple[float, np.ndarray]] = []
    bases: dict = {}                      # (one kernel basis per support, whatever its signs)
    for k in range(1, P + 1):
        subs = np.array(list(itertools.combinations(range(P), k)), dtype=np.intp)
        bits = np.left_shift(np.int64(1), subs.astype(np.int64))
        Jm = bits.sum(axis=1)
        for sg in itertools.product([1.0, -1.0], repeat=k):
            s = np.array(sg)
            if not np.any(s > 0):
                continue
            idx = np.flatnonzero(contains_flag(Jm, bits[:, s > 0].sum(axis=1), flagged_J, flagged_p))
            if not len(idx):
                continue
            q, hs = block_minima(lam1, X_tilde, Lam, subs[idx], s, bases)
            best.extend((float(v), h) for v, h in zip(q, hs) if v < 0)
    best.sort(key=lambda t: t[0])
    mu = best[0][0] if best else 0.0
    return Pricing(mu, [h for _, h in best[:keep]], False, None)
