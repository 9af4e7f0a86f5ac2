r"""The minimal width of the linear network, certified: rank A* bracketed from the exact bracket.

Math (derived here). Every global minimum (W, W2) has W^T W = sqrt(lam2/lam1) |A*|
(:mod:`numeric.solver.linear_abstraction`), so its width is at least rank A*, and the balanced
SVD factors reach the optimum with exactly rank A* neurons: the minimal width is rank A*.
From a verified certificate (network W, W2; dual Lambda_L; U >= E* >= L = D(Lambda_L); g = U - L):

* **lower** -- A- = W2 W Pi satisfies |A- - A*|_F^2 <= g/s (quadratic growth, s <= the least
  non-zero eigenvalue of K_X; the same steps as the PS ball), so by Weyl
  sigma_i(A*) >= sigma_i(A-) - sqrt(g/s) > 0 whenever sigma_i(A-)^2 > g/s: rank A* is at least
  the number of eigenvalues of A- A-^T above t = g/s.
* **upper** -- the dual is strongly concave, D(Lambda) = D* - |Lambda - Lambda*|^2 - (a
  non-negative term) on the feasible set, so |Lambda_L - Lambda*|_F^2 <= g. At the optimum
  Lambda* X~^T lies in tau d|A*|_* (tau = sqrt(lam1 lam2)), so at least rank A* singular values of
  Lambda* X~^T equal tau; with eta = sqrt(g) |X~|_2 every such value is >= tau - eta for
  Lambda_L (Weyl), so rank A* is at most the number of eigenvalues of Lambda_L K_X Lambda_L^T above
  r = a rational lower bound of (tau - eta)^2.

Eigenvalues above a threshold are counted exactly: for a symmetric rational M the number of
positive roots of det(t I - (M - c I)) equals its number of sign changes (Descartes' rule is exact
for real-rooted polynomials). When lower = upper the minimal width is certified.

Failure modes: a bracket too wide to separate small singular values leaves lower < upper (both
reported); inputs of deficient rank (no Pi), no eigenvalue bound, or D, P > ``MAX_DIM`` of
:mod:`numeric.solver.linear_abstraction` give None.
"""
from __future__ import annotations

import flint
import numpy as np

from numeric.solver import rational as rq
from numeric.solver.linear_abstraction import MAX_DIM, geometry

PREC = 128


def eigen_count_above(M: flint.fmpq_mat, c: flint.fmpq) -> int:
    """Exact number of eigenvalues of the symmetric rational M that are > c."""
    n = M.nrows()
    coeffs = [flint.fmpq(v) for v in (M - c * rq.eye(n)).charpoly().coeffs()]
    nz = [v for v in coeffs if v != 0]
    return sum(1 for a, b in zip(nz, nz[1:]) if (a > 0) != (b > 0))


def _lam_max_bound(G: flint.fmpq_mat) -> flint.fmpq:
    """A rational >= the largest eigenvalue of the PSD rational G (checked exactly)."""
    ev = float(np.linalg.eigvalsh(rq.to_float(G)).max())
    b = rq.q(max(ev, 0.0) * (1 + 1e-6) + 1e-300)
    while eigen_count_above(G, b) > 0:
        b = 2 * b
    return b


def width_bracket(cert_data: dict, upper: flint.fmpq, lower: flint.fmpq) -> dict | None:
    """{"lower", "upper", "certified"} for rank A* (module docstring), or None."""
    Xq = rq.from_strings(cert_data["X_tilde"], "X_tilde")
    dY = len(cert_data["Y"])
    if max(Xq.nrows(), Xq.ncols()) > MAX_DIM:
        return None
    lam1, lam2 = rq.q(cert_data["lam1"]), rq.q(cert_data["lam2"])
    Lam = rq.from_strings(cert_data["Lambda"], "Lambda")
    Pi, s, why = geometry(cert_data)
    if why:
        return None
    gap = upper - lower
    if cert_data["W"]:
        A = rq.from_strings(cert_data["W2"], "W2") * rq.from_strings(cert_data["W"], "W")
        if Pi is not None:
            A = A * Pi
        lo = eigen_count_above(A * A.transpose(), gap / s)
    else:
        lo = 0
    KX = Xq.transpose() * Xq
    x2 = _lam_max_bound(KX)                                   # |X~|_2^2
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        tau = flint.arb(lam1 * lam2).sqrt()
        eta = (flint.arb(gap) * flint.arb(x2)).sqrt()
        thr = tau - eta
        if not bool(thr > 0):
            hi = dY
        else:
            r = thr * thr
            # a rational strictly below every point of the ball r
            rl = rq.q(float(r.lower().mid()) - 2 * float(r.lower().rad())) * (1 - flint.fmpq(1, 10 ** 12))
            hi = eigen_count_above(Lam * KX * Lam.transpose(), rl)
    finally:
        flint.ctx.prec = old
    hi = min(hi, dY, Xq.nrows())
    return {"lower": lo, "upper": hi, "certified": lo == hi}
