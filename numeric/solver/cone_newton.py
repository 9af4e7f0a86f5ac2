r"""Minimise a smooth function of a few variables over a polyhedral cone {w : G w >= 0}.

Used by the one-neuron polish (:func:`numeric.solver.polish.polish_range_blocks`): D input
weights (D = the input dimension with the bias, a handful), P sign constraints. Called once per
neuron per round, so the cost that matters is the per-call overhead: a general-purpose SQP
(scipy's SLSQP) spends most of its time in Python wrappers around ~50 function evaluations.

Method (a textbook primal active-set Newton method, written here for this use):

* the active set A holds the constraints at zero (G_A w = 0, relative to the row norms); steps
  stay in the null space Z of G_A (an SVD basis, so dependent rows -- points on a common
  hyperplane -- are handled);
* the step is the Newton step of the reduced problem, -Z (Z^T H Z)^{-1} Z^T g, with the reduced
  Hessian's eigenvalues replaced by their absolute values (floored) where it is not positive
  definite, so it is always a descent direction; at a stationary point of the face whose reduced
  Hessian has a negative eigenvalue the step follows that eigenvector instead (a saddle is left);
* the step length is cut at the first inactive constraint it would cross (which then joins A)
  and by Armijo backtracking (where f no longer resolves the decrease, a step that halves the
  reduced gradient without raising f beyond round-off is taken);
* when the reduced gradient vanishes (or the Newton step is round-off, 1e-13 |w|, or no step
  along it decreases f), the multipliers mu of g = G_A^T mu (least squares) decide: all mu >= 0 is a KKT
  point (with a positive semi-definite reduced Hessian: second order too, up to round-off);
  otherwise the constraint with the most negative multiplier leaves A.

Hypotheses: G w0 >= 0 (checked); f, g, H finite along the path. It is a local method: it stops
at a KKT point (or after ``maxiter`` steps, or when backtracking cannot decrease f), never
certifies anything, and returns the best feasible point it visited together with a status
string -- callers keep a result only if it is feasible and lowers their energy.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ConeResult:
    w: np.ndarray
    f: float
    status: str            # "kkt", "maxiter" or "stalled"
    iterations: int


def minimise(fgh, w0: np.ndarray, G: np.ndarray, *, maxiter: int = 60,
             gtol: float = 1e-13, active_rtol: float = 1e-12) -> ConeResult:
    """min f(w) subject to G w >= 0, from the feasible start ``w0``.

    ``fgh(w)`` returns (f, gradient, Hessian). ``gtol``: the reduced gradient counts as zero
    below gtol * max(1, |g|) and a multiplier as non-negative above minus that;
    ``active_rtol``: a constraint is active when (G w)_j <= active_rtol |G_j| max(1, |w|) (a
    start violating a constraint by up to 1e4 times that counts as on it; beyond, ValueError)."""
    w = np.array(w0, dtype=float)
    G = np.asarray(G, dtype=float)
    if w.ndim != 1 or G.ndim != 2 or G.shape[1] != w.size:
        raise ValueError(f"`G` must be (m, {w.size}) for `w0` of length {w.size}; "
                         f"got G {G.shape}, w0 {np.shape(w0)}")
    if not (np.all(np.isfinite(w)) and np.all(np.isfinite(G))):
        raise ValueError("`w0` and `G` must be finite")
    rown = np.linalg.norm(G, axis=1)
    slack_tol = active_rtol * rown * max(1.0, float(np.max(np.abs(w))))
    if np.any(G @ w < -1e4 * slack_tol):
        j = int(np.argmin(G @ w / np.maximum(rown, 1e-300)))
        raise ValueError(f"`w0` must satisfy G w0 >= 0; constraint {j} is {float(G[j] @ w):.3e}")
    f, g, H = fgh(w)
    if not np.isfinite(f):
        raise ValueError(f"`fgh` must be finite at `w0`; got f = {f}")
    active = G @ w <= slack_tol
    status = "maxiter"
    it = 0
    stuck = False              # the last Newton step found no decrease: stationary to round-off
    for it in range(1, maxiter + 1):
        Z = _null_basis(G[active], w.size)
        gz = Z.T @ g
        gscale = gtol * max(1.0, float(np.linalg.norm(g)))
        vals, vecs = np.linalg.eigh(Z.T @ H @ Z)
        floor = 1e-12 * max(1.0, float(np.max(np.abs(vals)))) if vals.size else 1.0
        pz = -(vecs @ ((vecs.T @ gz) / np.maximum(np.abs(vals), floor)))
        wscale = max(1.0, float(np.linalg.norm(w)))
        # stationary on the face: the reduced gradient or the Newton step is round-off
        stationary = (stuck or np.linalg.norm(gz) <= gscale
                      or np.linalg.norm(pz) <= 1e-13 * wscale)
        stuck = False
        curvature = False
        if stationary and vals.size and vals[0] < -floor:
            # a saddle of the face: leave it along the most negative curvature
            pz = vecs[:, 0] * (-1.0 if float(gz @ vecs[:, 0]) > 0 else 1.0) * wscale
            curvature = True
        elif stationary:
            if _kkt_or_drop(G, g, active, gscale):
                status = "kkt"
                break
            continue
        p = Z @ pz
        slack, Gp = G @ w, G @ p
        block = ~active & (Gp < 0)
        amax = float(np.min(-slack[block] / Gp[block])) if block.any() else np.inf
        step = min(1.0, max(amax, 0.0))
        slope = float(g @ p)
        while step > 1e-14:
            wn = w + step * p
            fn, gn, Hn = fgh(wn)
            if np.isfinite(fn) and ((fn < f and fn <= f + 1e-4 * step * slope) or (
                    not curvature and fn <= f + 4e-16 * abs(f)
                    and np.linalg.norm(Z.T @ gn) <= 0.5 * np.linalg.norm(gz))):
                break            # Armijo, or (near round-off in f) a halved reduced gradient
            step /= 2
        else:
            if curvature:
                status = "stalled"
                break
            stuck = True         # no decrease beyond round-off along the Newton step
            continue
        hit = step == amax
        w, f, g, H = wn, fn, gn, Hn
        if hit:
            j = np.flatnonzero(block)[int(np.argmin(-slack[block] / Gp[block]))]
            active[j] = True
    return ConeResult(w, float(f), status, it)


def _kkt_or_drop(G, g, active, tol) -> bool:
    """At a stationary point of the face: True when the multipliers of g = G_A^T mu (least
    squares) are all >= -tol (a KKT point); else the most negative one's constraint leaves the
    active set (in place) and False."""
    if not active.any():
        return True
    idx = np.flatnonzero(active)
    mu = np.linalg.lstsq(G[idx].T, g, rcond=None)[0]
    if mu.min() >= -tol:
        return True
    active[idx[int(np.argmin(mu))]] = False
    return False


def _null_basis(A: np.ndarray, n: int) -> np.ndarray:
    """An orthonormal basis (n x k) of {x : A x = 0} (rank decided at 1e-12 relative)."""
    if A.shape[0] == 0:
        return np.eye(n)
    _, s, Vt = np.linalg.svd(A)
    rank = int(np.sum(s > 1e-12 * s[0])) if s.size and s[0] > 0 else 0
    return Vt[rank:].T
