r"""A rigorous floating-point filter for the exact cone tests of the fans.

The exact test of a cone (:func:`numeric.solver.simplices._cones_exact`,
:func:`numeric.solver.sectors._sectors_exact`) builds the integer form
T = alpha R R^T - C^T K C of its rays and box point and decides its copositivity with integer
determinants. At four outputs and P = 16 that is millions of cones in Python integers; at P = 12
it was 75 % of solve + certificate + re-verification. This module proves most cones copositive
in binary64 arithmetic with a bound on every rounding error; only the cones it cannot prove go
to the exact test. It never rejects, so the certificate's verdict cannot change, only its cost.
The simplicial fans (:func:`cone_filter`: integer rays, values at the unit rays) and the
two-output sector fans (:func:`sector_filter`: float rays, linear box points) share the proof.

Math (derived here; rounding bounds in the style of Higham, *Accuracy and Stability of Numerical
Algorithms*, ch. 3: |fl(x^T y) - x^T y| <= gamma_n |x|^T |y|, gamma_n = n u / (1 - n u),
u = 2^-53, for any order of summation, with or without fused multiply-add)
-------------------------------------------------------------------------------------------
1. *The exact objects.* A cone has integer (simplicial fans) or float (sectors) rays r_k; its
   exact scaled rays are rho_k = r_k / 2^{s_k} (a power-of-two scaling, so the cone is the
   same). Its box point is the float matrix c (P x d, column k the value at rho_k), taken
   *exactly* as the dyadic rationals it holds. It must satisfy the box exactly: c_ik >= (Lambda^T rho_k)_i for i in F,
   c_ik <= 0 off F. Off F, min(c, 0) is exact. On F, the float value l~ = fl(Lambda~^T rho~_k)
   errs from the exact Lambda^T rho_k by at most (gamma_d + eta + 2u(1 + eta)) (Lambda-bar^T
   rho-bar_k) (inputs below), so c_ik = max(c_ik, next-up(l~ + b)) with b = 2 (d + 8) u
   fl(Lambda-bar^T rho-bar_k) is >= the exact bound: b covers the product's error twice over and
   the rounding of the addition (u |l~ + b| <= b / 2 since b >= 16 u |l~|).
2. *Inputs.* Lambda~, X~~ and alpha~ are the floats of the certificate's exact rationals
   (integer numerator / integer denominator: relative error <= eta = 4u); rho~_k is the float of
   rho_k = r_k / 2^{b_k}, ||rho_k||_inf in [1/2, 1) (r_k shifted to 62 bits: a truncation
   < 2^-61 ||rho_k||_inf, then the rounding u |rho~|): |rho~_k - rho_k| <= 2u rho-bar_k entrywise
   with rho-bar_k = |rho~_k| + ||rho~_k||_inf.
3. *The form.* T_ab = alpha rho_a . rho_b - z_a . z_b, z = X~ c (exact). Its float value
   T~ = fl(alpha~ fl(rho~_a . rho~_b) - fl(z~_a . z~_b)), z~ = fl(X~~ c), errs by at most
   (d + 10) u alpha~ n_ab + (D + 2 P + 10) u m_a . m_b + u |T~| (to first order), with
   n_ab = rho-bar_a . rho-bar_b and m = |X~~| |c|. The filter uses
   E = 2 (D + 2P + d + 20) u fl(alpha~ n_ab + m_a . m_b) + tiny (tiny bounds underflow) and
   L = next-down(T~ - E). Hence L <= T entrywise.
4. *Copositivity of L, hence of T.* Copositivity is monotone: T >= L entrywise gives
   x^T T x >= x^T L x for x >= 0. Write L = Z + N, N its positive off-diagonal part (>= 0) and Z
   the rest (a symmetric Z-matrix). If some x > 0 has Z x > 0, then D Z D (D = diag x) has
   positive diagonal, non-positive off-diagonal entries and row sums x_i (Z x)_i > 0: it is
   strictly diagonally dominant, so positive definite (Gershgorin), and so is Z. Then
   x^T L x = x^T Z x + x^T N x > 0 for every x >= 0, x != 0: L, and T, are strictly copositive.
   x = fl(Z^{-1} 1) is tried; Z x > 0 is proved from fl(Z x) > 2 (d + 2) u fl(|Z| x) + tiny.
5. *Or L - theta L+ positive definite* (L+ the positive off-diagonal part, theta on a grid,
   :func:`psd_part`): congruence by an approximate inverse Cholesky factor and Gershgorin with
   rounding bounds (:func:`positive_definite`). For d <= 4 every copositive matrix is positive
   semidefinite plus non-negative (Diananda 1962); steps 4 and 5 try the splits N = L+ and
   N = theta L+ (any N with 0 <= N and L - N positive definite is a proof).

Hypotheses and failure modes: IEEE 754 binary64 with round-to-nearest (numpy on every platform
the suite supports); no trust is placed in the order of summation. Overflow or NaN anywhere
makes the filter decline the cone (a non-finite comparison is False). A cone that is copositive
but not by this sufficient test (its Z part not positive definite, or a margin below ~1e-13
relative, as near a tight direction) is declined and decided exactly; so is everything when
``EMERGENCE_EXACT_CONES=1`` is set (to re-check a certificate with no floating point at all).
"""
from __future__ import annotations

import os

import numpy as np

U = 2.0 ** -53
#: bound on the absolute error an underflowing product or sum may add (per entry, generous).
TINY = 1e-280
#: grid of splits L = (L - theta L+) + theta L+ tried by :func:`psd_part`.
THETA_STEPS = 16
_BITS = np.frompyfunc(lambda v: abs(v).bit_length(), 1, 1)


def enabled() -> bool:
    """False when ``EMERGENCE_EXACT_CONES=1``: every cone then goes to the exact test."""
    return os.environ.get("EMERGENCE_EXACT_CONES", "") not in ("1", "true", "yes")


def ratio_floats(nums, den: int) -> np.ndarray:
    """Floats of the rationals nums_k / den (Python integers), each within 4u relative (two
    conversions and a division); huge entries give inf, which makes the filter decline."""
    def one(v):
        try:
            return float(v) / float(den)
        except OverflowError:
            return np.inf
    return np.array([one(v) for v in nums], dtype=float)


def exact_data_floats(xi, dx: int, li, dl: int, shape_x, shape_l, alpha) -> tuple:
    """(X~, Lambda, alpha) as floats within 4u relative, from the integer numerators xi, li over
    the common denominators dx, dl (:func:`numeric.solver.cells.int_scale`) and alpha (fmpq)."""
    return (ratio_floats(xi, dx).reshape(shape_x), ratio_floats(li, dl).reshape(shape_l),
            float(ratio_floats([int(alpha.p)], int(alpha.q))[0]))


def scaled_rays(R: np.ndarray) -> np.ndarray:
    """Floats of rho_k = r_k / 2^{b_k} (b_k the bit length of r_k's largest entry, so
    ||rho_k||_inf in [1/2, 1)): r_k shifted to 62 bits in integers (a right shift truncates by
    < 2^-61 ||rho_k||_inf, a left shift is exact), converted (rounding u) and scaled by 2^-62
    (exact). Equal scales keep the form well balanced for the test of step 4."""
    b = np.asarray(_BITS(R), dtype=int).max(axis=2)[:, :, None]
    down = np.maximum(b - 62, 0)
    up = np.maximum(62 - b, 0)
    return np.ldexp(np.asarray((R >> down) << up, dtype=float), -62)


def float_rays(R: np.ndarray) -> np.ndarray:
    """rho_k = r_k / 2^{b_k} for float rays R (n x d x d), ||rho_k||_inf in [1/2, 1): a
    power-of-two scaling, so rho~ = rho exactly (the bounds of step 2 hold a fortiori)."""
    _, e = np.frexp(np.abs(R).max(axis=2, keepdims=True))
    return np.ldexp(R, -e)


def box_values(Lf: np.ndarray, rho: np.ndarray, c: np.ndarray, F: np.ndarray) -> np.ndarray:
    """Box point values (n x P x d; column k any float guess of the value at rho_k) moved
    exactly into the box (step 1): >= next-up(fl(Lambda^T rho_k) + b) on F, <= 0 off F."""
    d = rho.shape[1]
    rbar = np.abs(rho) + np.abs(rho).max(axis=2, keepdims=True)
    lo = np.einsum("ap,nka->npk", Lf, rho)
    b = 2 * (d + 8) * U * np.einsum("ap,nka->npk", np.abs(Lf), rbar)
    lo_up = np.nextafter(lo + b, np.inf)
    return np.where(F[:, :, None], np.maximum(c, lo_up), np.minimum(c, 0.0))


def lower_form(Xf: np.ndarray, alpha: float, rho: np.ndarray, c: np.ndarray) -> np.ndarray:
    """L <= T = alpha rho rho^T - (X c)^T (X c) entrywise (steps 2-3), n x d x d."""
    D, P = Xf.shape
    d = rho.shape[1]
    rbar = np.abs(rho) + np.abs(rho).max(axis=2, keepdims=True)
    z = np.matmul(Xf, c)                                          # (n, D, d)
    m = np.matmul(np.abs(Xf), np.abs(c))
    T = alpha * np.einsum("nak,nbk->nab", rho, rho) - np.einsum("nia,nib->nab", z, z)
    mag = alpha * np.einsum("nak,nbk->nab", rbar, rbar) + np.einsum("nia,nib->nab", m, m)
    E = 2 * (D + 2 * P + d + 20) * U * mag + TINY
    return np.nextafter(T - E, -np.inf)


def m_matrix_copositive(L: np.ndarray) -> np.ndarray:
    """Proof of strict copositivity of each L (n x d x d, exact float entries) when its Z-part
    Z (L with the positive off-diagonal entries set to 0) has x > 0 with Z x > 0 (step 4)."""
    n, d, _ = L.shape
    off = ~np.eye(d, dtype=bool)
    Z = np.where(off[None] & (L > 0), 0.0, L)
    ok = np.all(np.isfinite(Z), axis=(1, 2))
    x = np.full((n, d), np.nan)
    with np.errstate(all="ignore"):
        ok &= (np.einsum("nii->ni", Z) > 0).all(axis=1)
        # x = S solve(S Z S, 1), S = diag(Z_ii)^(-1/2): any x > 0 will do; this one is accurate
        sc = 1.0 / np.sqrt(np.where(ok[:, None], np.einsum("nii->ni", Z), 1.0))
        Zs = Z * sc[:, :, None] * sc[:, None, :]
        if ok.any():
            try:
                x[ok] = np.linalg.solve(Zs[ok], np.ones((int(ok.sum()), d, 1)))[:, :, 0]
            except np.linalg.LinAlgError:                 # one singular Z: solve one by one
                for j in np.flatnonzero(ok):
                    try:
                        x[j] = np.linalg.solve(Zs[j], np.ones(d))
                    except np.linalg.LinAlgError:
                        pass
        x = x * sc
        y = np.einsum("nab,nb->na", Z, x)
        slack = 2 * (d + 2) * U * np.einsum("nab,nb->na", np.abs(Z), x) + TINY
        good = (x > 0).all(axis=1) & (y > slack).all(axis=1)
    return ok & good


def positive_definite(L: np.ndarray) -> np.ndarray:
    """Proof that each L (n x d x d, exact float entries) is positive definite (step 5): with
    V = G^{-T} from a float Cholesky factor G of L, M = V^T L V is within E of fl(V^T fl(L V))
    entrywise, and a strictly diagonally dominant M - E (Gershgorin, checked with its own
    rounding slack) makes M, hence V (non-singular, else M would be singular) and L, positive
    definite."""
    n, d, _ = L.shape
    ok = np.zeros(n, dtype=bool)
    with np.errstate(all="ignore"):
        fin = np.all(np.isfinite(L), axis=(1, 2))
        cand = np.flatnonzero(fin)
        if not len(cand):
            return ok
        cand = cand[np.linalg.eigvalsh(L[cand])[:, 0] > 0]
        if not len(cand):
            return ok
        try:
            G = np.linalg.cholesky(L[cand])
        except np.linalg.LinAlgError:
            return ok
        V = np.linalg.inv(G).transpose(0, 2, 1)
        A = np.abs(V)
        M = np.matmul(V.transpose(0, 2, 1), np.matmul(L[cand], V))
        E = 2 * (2 * d + 2) * U * np.matmul(A.transpose(0, 2, 1), np.matmul(np.abs(L[cand]), A)) + TINY
        diag = np.einsum("nii->ni", M)
        absoff = np.abs(M).sum(axis=2) - np.abs(diag)
        r = diag - absoff - E.sum(axis=2)
        slack = 2 * (2 * d + 2) * U * (np.abs(M).sum(axis=2) + E.sum(axis=2)) + TINY
        ok[cand] = np.all(r > slack, axis=1) & np.all(np.isfinite(r), axis=1)
    return ok


def cone_filter(Xf: np.ndarray, Lf: np.ndarray, alpha: float, R: np.ndarray, Cv: np.ndarray,
                F: np.ndarray) -> np.ndarray:
    """Cones (integer rays R, unit-ray box values Cv, firing masks F) proved copositive in
    rounded arithmetic; the others are left to the exact test. Xf, Lf, alpha: floats of the exact
    data, each within 4u relative (:func:`ratio_floats`)."""
    if not enabled() or not len(R):
        return np.zeros(len(R), dtype=bool)
    rho = scaled_rays(R)
    return _prove(Xf, Lf, alpha, rho, Cv * np.linalg.norm(rho, axis=2)[:, None, :], F)


def sector_filter(Xf: np.ndarray, Lf: np.ndarray, alpha: float, r1: np.ndarray, r2: np.ndarray,
                  C: np.ndarray, F: np.ndarray) -> np.ndarray:
    """Sectors cone(r1, r2) of the two-output fans (float rays, linear box points c(u) = C u,
    :mod:`numeric.solver.sectors`) proved copositive in rounded arithmetic; the same proof with
    d = 2 and the values C rho_k as the guess."""
    if not enabled() or not len(r1):
        return np.zeros(len(r1), dtype=bool)
    rho = float_rays(np.stack([r1, r2], axis=1))
    return _prove(Xf, Lf, alpha, rho, np.einsum("npa,nka->npk", C, rho), F)


def _prove(Xf, Lf, alpha, rho, guess, F) -> np.ndarray:
    with np.errstate(all="ignore"):
        c = box_values(Lf, rho, guess, F)
        L = lower_form(Xf, alpha, rho, c)
        ok = m_matrix_copositive(L)
        rest = np.flatnonzero(~ok)
        if len(rest):
            ok[rest] = positive_definite(psd_part(L[rest]))
        return ok


def psd_part(L: np.ndarray, steps: int = THETA_STEPS) -> np.ndarray:
    """S = L - N with N = theta L+ (L+ the positive off-diagonal part), theta on a grid of
    ``steps`` + 1 points chosen per matrix by the largest float smallest eigenvalue of S (a
    heuristic: any theta is sound). Entries are min(fl((1 - theta) L_ij), L_ij), so N = L - S is
    exactly >= 0 whatever the rounding."""
    d = L.shape[1]
    off = ~np.eye(d, dtype=bool)[None]
    Lp = np.where(off & (L > 0), L, 0.0)
    with np.errstate(all="ignore"):
        fin = np.all(np.isfinite(L), axis=(1, 2))
        thetas = np.linspace(0.0, 1.0, steps + 1)
        score = np.full((len(L), len(thetas)), -np.inf)
        for k, th in enumerate(thetas):
            score[fin, k] = np.linalg.eigvalsh(L[fin] - th * Lp[fin])[:, 0]
        th = thetas[np.argmax(score, axis=1)][:, None, None]
        return np.where(Lp > 0, np.minimum((1.0 - th) * L, L), L)
