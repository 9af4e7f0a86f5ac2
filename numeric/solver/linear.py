"""Global solver and exact certificate for the *linear* activation (one hidden layer, any data).

Problem: minimise over any width M the network loss
E(W, W2) = |Y - W2 W X~|_F^2 + lam1 |W|_F^2 + lam2 |W2|_F^2.

Reduction (derived here). For a fixed product A = W2 W (dY x D) the cheapest factorisation
costs lam1 |W|^2 + lam2 |W2|^2 = 2 tau |A|_* with tau = sqrt(lam1 lam2) (AM-GM on each singular
value; attained by the balanced SVD factors, width rank A <= min(dY, D)), so

    E* = min_A  f(A) = |Y - A X~|^2 + 2 tau |A|_*          (convex, nuclear-norm ridge).

Duality (derived here, the linear case of ``A.copositive``'s weak duality). For every Lambda
with |Lambda X~^T|_2 <= tau (spectral norm) and every network,
E >= 2<Lambda, Y - A X~> - |Lambda|^2 + 2 tau |A|_* >= D(Lambda) = 2<Lambda, Y> - |Lambda|^2,
because <Lambda, A X~> = <Lambda X~^T, A> <= |Lambda X~^T|_2 |A|_*. The copositivity of the ReLU
case becomes positive semi-definiteness: tau^2 I - Lambda K_X Lambda^T >= 0 (dY x dY). At the
optimum the residual Lambda* = Y - A* X~ satisfies Lambda* X~^T in tau d|A*|_*, so the gap is zero.

Algorithm: accelerated proximal gradient on A (singular value thresholding; restart when the
objective rises) until the float duality gap is below ``FISTA_GAP``, then pseudo-inverse Newton
steps on the balanced factors (width min(dY, D); exact gradient, Hessian by central differences
of it) to round-off; beyond ``NEWTON_MAX_VARS`` factor entries the proximal iteration alone runs
to the solver's gap tolerance. Certificate: the network rounded to a binary grid, its loss computed exactly
(upper bound); the residual scaled into |s Lambda X~^T|_2 <= tau, shrunk by 1 - 2^-44, and
checked exactly by Sylvester's criterion on tau^2 I - Lambda K_X Lambda^T (a rational square
root is avoided: the check is on tau^2 = lam1 lam2); D(Lambda) exactly (lower bound). The scale
s = 1 - 2^-44 is enlarged (``SHRINKS``) only when the exact check refuses it.

Failure modes: the proximal iteration is only linearly convergent when X~ X~^T is well
conditioned; ``max_iter`` reached leaves ``converged=False`` with the measured gap, and the exact
certificate then reports the bracket it can prove (never more).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import flint
import numpy as np

from numeric import tolerances as tol
from numeric.energy import network_loss_and_grad
from numeric.solver import rational as rq
from numeric.solver.landing import pseudo_newton_step

#: the proximal phase stops at this relative float gap when Newton follows (it takes it to
#: round-off); otherwise at the solver's gap tolerance
FISTA_GAP = 1e-9
#: Newton on the balanced factors (dense Hessian by differences of the gradient) only up to this
#: many variables k (D + dY); larger instances (e.g. hypercubes with dY >= 8) rely on the
#: proximal iteration alone, which converges linearly when X~ X~^T is well conditioned
NEWTON_MAX_VARS = 1200
#: relative shrinks of the dual point tried in turn before the exact PSD check (strictness
#: margin). The first suffices when |Lambda X~^T|_2 is computed to full relative accuracy; with
#: tiny lam1 lam2 it is a small difference of large terms (residual ~ |Y|, Lambda X~^T ~ tau) and
#: the float margin must be larger -- the bound then loses (1 - s) 2 tau |A|_*, still small
#: relative to E because tau is.
SHRINKS = tuple(2.0 ** -e for e in (44, 36, 28, 20, 12))


@dataclass
class LinearSolution:
    energy: float
    W: np.ndarray              # (k x D) input weights, balanced
    W2: np.ndarray             # (dY x k) read-out
    Lambda: np.ndarray         # dual point: the scaled residual
    lower_bound: float         # float D(Lambda)
    converged: bool
    iterations: int
    seconds: float
    log: list = field(default_factory=list, repr=False)

    @property
    def rel_gap(self) -> float:
        return (self.energy - self.lower_bound) / max(abs(self.energy), 1e-300)


def _check_inputs(Xt, Y, lam1, lam2):
    for name, a in (("X_tilde", Xt), ("Y", Y)):
        if a.ndim != 2 or not np.all(np.isfinite(a)):
            raise ValueError(f"`{name}` must be a finite 2-D array; got shape {a.shape}")
    if Xt.shape[1] != Y.shape[1]:
        raise ValueError(f"`Y` must have as many columns (samples) as `X_tilde`; got {Y.shape[1]} "
                         f"and {Xt.shape[1]}")
    for name, v in (("lam1", lam1), ("lam2", lam2)):
        if not (np.isfinite(v) and v > 0):
            raise ValueError(f"`{name}` must be a finite number > 0; got {v!r}")


def _svt(B, t):
    U, s, Vt = np.linalg.svd(B, full_matrices=False)
    s = np.maximum(s - t, 0.0)
    return (U * s) @ Vt, s


def _objective(A, Xt, Y, tau):
    R = Y - A @ Xt
    return float(np.sum(R * R) + 2 * tau * np.sum(np.linalg.svd(A, compute_uv=False)))


def _dual(R, Xt, Y, tau):
    """(D(s R), s R) for the residual R scaled into |s R X~^T|_2 <= tau."""
    nrm = float(np.linalg.norm(R @ Xt.T, 2))
    s = 1.0 if nrm <= tau else tau / nrm
    Lam = s * R
    return float(2 * np.sum(Lam * Y) - np.sum(Lam * Lam)), Lam


def _factors(A, lam1, lam2, k):
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    r = (lam2 / lam1) ** 0.25
    W = (np.sqrt(s[:k]) * r)[:, None] * Vt[:k]
    W2 = U[:, :k] * (np.sqrt(s[:k]) / r)[None, :]
    return W, W2


def _loss_grad(theta, shapes, Xt, Y, lam1, lam2):
    return network_loss_and_grad(theta, shapes, Xt, Y, lam1, lam2, activation="linear")


def _newton(W, W2, Xt, Y, lam1, lam2, steps=20):
    """Pseudo-inverse Newton on the factored loss; keeps a step only while the gradient falls."""
    shapes = (W.shape, W2.shape)
    th = np.concatenate([W.ravel(), W2.ravel()])
    f0, g = _loss_grad(th, shapes, Xt, Y, lam1, lam2)
    n = th.size
    for _ in range(steps):
        h = 1e-6 * max(1.0, float(np.max(np.abs(th))))
        Hm = np.empty((n, n))
        for i in range(n):
            e = np.zeros(n)
            e[i] = h
            Hm[:, i] = (_loss_grad(th + e, shapes, Xt, Y, lam1, lam2)[1]
                        - _loss_grad(th - e, shapes, Xt, Y, lam1, lam2)[1]) / (2 * h)
        tn = th + pseudo_newton_step((Hm + Hm.T) / 2, g)
        fn, gn = _loss_grad(tn, shapes, Xt, Y, lam1, lam2)
        if not (np.linalg.norm(gn) < np.linalg.norm(g) and fn <= f0 + 1e-14 * abs(f0)):
            break
        th, g = tn, gn
        if np.linalg.norm(g) <= 1e-15 * max(abs(fn), 1.0):
            break
    k, D = shapes[0]
    return th[:k * D].reshape(k, D), th[k * D:].reshape(shapes[1])


def solve_linear(X_tilde, Y, lam1: float, lam2: float, *, max_iter: int = 20000) -> LinearSolution:
    """Global optimum of the linear-activation network (module docstring)."""
    t0 = time.perf_counter()
    Xt, Y = np.asarray(X_tilde, dtype=float), np.asarray(Y, dtype=float)
    _check_inputs(Xt, Y, lam1, lam2)
    tau = float(np.sqrt(lam1 * lam2))
    dY, D = Y.shape[0], Xt.shape[0]
    L = 2 * float(np.linalg.norm(Xt, 2)) ** 2
    k = min(dY, D)
    use_newton = k * (D + dY) <= NEWTON_MAX_VARS
    target = FISTA_GAP if use_newton else tol.SOLVER_GAP_TOL
    A = np.zeros((dY, D))
    Z, t = A.copy(), 1.0
    best = (-np.inf, None)                     # every scaled residual is a valid dual point
    log, it = [], 0
    for it in range(1, max_iter + 1):
        G = -2 * (Y - Z @ Xt) @ Xt.T
        A_new, _ = _svt(Z - G / L, 2 * tau / L)
        # gradient-based adaptive restart (O'Donoghue-Candes): immune to round-off in f
        if np.sum((Z - A_new) * (A_new - A)) > 0:
            t = 1.0
        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2
        Z = A_new + ((t - 1) / t_new) * (A_new - A)
        step = float(np.linalg.norm(A_new - A))
        A, t = A_new, t_new
        if it % 25 == 0 or step <= 1e-15 * max(float(np.linalg.norm(A)), 1e-300):
            f = _objective(A, Xt, Y, tau)
            low, Lam = _dual(Y - A @ Xt, Xt, Y, tau)
            if low > best[0]:
                best = (low, Lam)
            log.append({"iteration": it, "energy": f, "lower": best[0]})
            if f - best[0] <= target * max(abs(f), 1e-300) or step <= 1e-15 * max(float(np.linalg.norm(A)), 1e-300):
                break
    W, W2 = _factors(A, lam1, lam2, k)
    if use_newton:
        W, W2 = _newton(W, W2, Xt, Y, lam1, lam2)
    keep = np.linalg.norm(W, axis=1) * np.linalg.norm(W2, axis=0) > 0
    W, W2 = W[keep], W2[:, keep]
    R = Y - W2 @ W @ Xt
    energy = float(np.sum(R * R) + lam1 * np.sum(W * W) + lam2 * np.sum(W2 * W2))
    lower, Lam = _dual(R, Xt, Y, tau)
    if best[0] > lower:
        lower, Lam = best
    conv = (energy - lower) <= tol.SOLVER_CONVERGED_GAP * max(abs(energy), 1e-300)
    return LinearSolution(energy, W, W2, Lam, lower, bool(conv), it, time.perf_counter() - t0, log)


# ----------------------------------------------------------------------------------- exact

@dataclass
class LinearCertificate:
    ok: bool                   # the dual point passed the exact PSD check
    upper: flint.fmpq          # exact loss of the rounded network
    lower: flint.fmpq          # exact D(Lambda)
    rel_gap: float
    global_optimum: bool       # ok and rel_gap <= the certificate tolerance
    data: dict                 # JSON-ready: the network and the dual point as rational strings


def certify_linear(sol: LinearSolution, X_tilde, Y, lam1, lam2) -> LinearCertificate:
    """Exact bracket of the linear problem's optimum (module docstring); floats enter exactly."""
    Xq, Yq = rq.mat(np.asarray(X_tilde, dtype=float)), rq.mat(np.asarray(Y, dtype=float))
    Wq, W2q = (rq.mat(a) if a.size else flint.fmpq_mat(*a.shape) for a in (sol.W, sol.W2))
    cert = None
    for shrink in SHRINKS:
        Lq = rq.mat(sol.Lambda * (1.0 - shrink))
        data = {"kind": "linear", "lam1": str(rq.q(lam1)), "lam2": str(rq.q(lam2)),
                "W": rq.to_strings(Wq), "W2": rq.to_strings(W2q), "Lambda": rq.to_strings(Lq),
                "X_tilde": rq.to_strings(Xq), "Y": rq.to_strings(Yq)}
        cert = verify_linear(data)
        if cert.ok:
            break
    return cert


def verify_linear(data: dict) -> LinearCertificate:
    """Re-check a linear certificate from its JSON alone, exactly."""
    Xq, Yq = rq.from_strings(data["X_tilde"], "X_tilde"), rq.from_strings(data["Y"], "Y")
    lam1, lam2 = rq.q(data["lam1"]), rq.q(data["lam2"])
    dY, D = Yq.nrows(), Xq.nrows()
    W = rq.from_strings(data["W"], "W") if data["W"] else flint.fmpq_mat(0, D)
    W2 = rq.from_strings(data["W2"], "W2") if data["W"] else flint.fmpq_mat(dY, 0)
    Lam = rq.from_strings(data["Lambda"], "Lambda")
    R = Yq - W2 * (W * Xq) if W.nrows() else Yq
    upper = rq.sqnorm(R) + lam1 * rq.sqnorm(W) + lam2 * rq.sqnorm(W2)
    M = Lam * Xq.transpose()
    T = lam1 * lam2 * rq.eye(dY) - M * M.transpose()
    ok = rq.is_positive_definite(T)
    lower = rq.dual_value(Lam, Yq) if ok else flint.fmpq(0)
    gap = float(rq.frac((upper - lower) / upper)) if upper != 0 else 0.0
    return LinearCertificate(ok, upper, lower, gap, bool(ok and gap <= tol.SOLVER_CERT_REL_GAP), data)
