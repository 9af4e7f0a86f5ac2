r"""A rigorous binary64 filter for the exact face check of :mod:`numeric.solver.faces`.

:func:`numeric.solver.faces.certify` decides, face by face, whether a face (flat basis N, r x k;
signs s; T = {s = +1}) is a witness against the cone condition: with C = R^T N (P x k),
A = N^T M N (k x k) and B = Lambda D_T C (dY x k),

    G = alpha A - B^T B,   c = G^{-1} C^T s,   v = C c,

the face is a witness iff G is invertible and s_i v_i < 0 for every i with s_i != 0. In integers
each face costs ~60 us (dozens of big-integer matrix operations); this module proves in binary64,
a whole flat's faces at once, that some s_i v_i > 0 -- so the face is no witness -- and leaves
only the faces it cannot prove to the integers. It never declares a witness, so the check's
verdict cannot change, only its cost.

Math (derived here; rounding bounds as in :mod:`numeric.solver.signed_filter`:
|fl(x^T y) - x^T y| <= gamma_m |x|^T |y|, gamma_m = m u / (1 - m u), u = 2^-53; every float of an
exact rational is correctly rounded, so within 2u of it relative to the float)
------------------------------------------------------------------------------------------
1. *B.* B~ = fl(Lambda~ D_T C~) is within e_B = 1.01 (P + 8) u fl(|Lambda~| D_T |C~|) of B
   (conversions 2u each, the product gamma_P; 1.01 covers the float evaluation of the bound).
2. *G.* G~ = fl(alpha~ A~ - B~^T B~) is within
   E_G = 1.01 [7u alpha~ |A~| + (dY + 4) u |B~|^T |B~| + 2 e_B^T |B~| + e_B^T e_B] of G
   (alpha A - alpha~ A~ <= 5u alpha~ |A~|; products and the subtraction: 2u alpha~ |A~| +
   (gamma_dY + u) |B~|^T|B~|; B^T B - B~^T B~ = (B - B~)^T B + B~^T (B - B~)).
3. *Verified inverse.* For X~ = fl(inv(G~)) (only a guess), F = I - X~ G satisfies
   |F| <= |H~| (1 + 4u) + 2 (k + 4) u fl(|X~||G~|) + 1.01 fl(|X~| E_G), H~ = fl(I - X~ G~)
   (the first two terms are signed_filter's step 2 for the float matrix G~; the third is
   X~ (G~ - G)). If delta >= every row sum of that bound (rounded up) is <= 1/2, then
   ||F||_inf < 1: X~ G, hence G, is invertible.
4. *c.* With b = C^T s, b~ = fl(C~^T s), e_b = 1.01 (P + 6) u |C~|^T |s|, c~ = fl(X~ b~) and
   r = 1.01 (|X~| e_b + (k + 2) u |X~||b~|) >= |X~ b - c~|: c = X~ b + F c gives
   ||c||_inf <= 2 ||X~ b||_inf and |c - c~| <= e_c = 2 delta (||c~||_inf + ||r||_inf) + r.
5. *v.* v~ = fl(C~ c~) is within e_v = 1.01 (|C~| e_c + (k + 3) u |C~||c~|) of v = C c.
   If s_i v~_i > e_v,i for some i with s_i != 0, then s_i v_i > 0: no witness.
Underflow: every bound gets TINY (1e-280) added per term, as in the other filters.

Which faces it leaves: G singular or nearly (delta > 1/2), the tight faces where every |v_i| is
within its bound, and genuine witnesses. Hypotheses: IEEE 754 binary64, round to nearest;
LAPACK's inverse is a guess whose accuracy is checked, not trusted; a non-finite value anywhere
declines the face. ``EMERGENCE_EXACT_CONES=1`` turns the filter off
(:func:`numeric.solver.float_filter.enabled`). Measured in ``benchmarks/solver/faces.py``.
"""
from __future__ import annotations

import numpy as np

from numeric.solver.float_filter import TINY, U
from numeric.solver.signed_filter import float_inverse


def no_witness(Lf: np.ndarray, alpha: float, Cf: np.ndarray, Af: np.ndarray,
               signs: np.ndarray, *, guess: np.ndarray | None = None) -> np.ndarray:
    """Mask of the faces (rows of ``signs``, n x P in {-1, 0, 1}) of one flat proved no witness.

    ``Lf`` (dY x P), ``alpha``, ``Cf`` (P x k) and ``Af`` (k x k) are the correctly rounded floats
    of Lambda, alpha, R^T N and N^T M N. ``guess`` replaces the float inverses of step 3 (any
    float matrices; for tests)."""
    n = signs.shape[0]
    if n == 0 or Cf.shape[1] == 0:
        return np.zeros(n, dtype=bool)
    v, ev, delta, finite = bounds(Lf, alpha, Cf, Af, signs, guess=guess)
    with np.errstate(all="ignore"):
        pos = ((signs * v > ev) & (signs != 0)).any(axis=1)
        return (delta <= 0.5) & pos & finite


def bounds(Lf: np.ndarray, alpha: float, Cf: np.ndarray, Af: np.ndarray, signs: np.ndarray, *,
           guess: np.ndarray | None = None) -> tuple:
    """(v~, e_v, delta, finite) of steps 1-5 for each face (rows of ``signs``): where
    delta <= 1/2 and finite, |v - v~| <= e_v entrywise for the exact v = C G^{-1} C^T s."""
    n, P = signs.shape
    k = Cf.shape[1]
    dY = Lf.shape[0]
    with np.errstate(all="ignore"):
        fire = (signs > 0)[:, :, None]
        s = signs.astype(float)
        # step 1: B~ and its bound (n x dY x k)
        B = np.matmul(Lf, fire * Cf)
        eB = 1.01 * (P + 8) * U * np.matmul(np.abs(Lf), fire * np.abs(Cf)) + TINY
        # step 2: G~ and its bound (n x k x k)
        G = alpha * Af - np.matmul(np.swapaxes(B, 1, 2), B)
        absB = np.abs(B)
        eBt = np.swapaxes(eB, 1, 2)
        EG = 1.01 * (7 * U * alpha * np.abs(Af) + (dY + 4) * U * np.matmul(np.swapaxes(absB, 1, 2), absB)
                     + 2 * np.matmul(eBt, absB) + np.matmul(eBt, eB)) + TINY
        # step 3: verified inverse
        X = float_inverse(G) if guess is None else guess
        absX = np.abs(X)
        H = np.eye(k)[None] - np.matmul(X, G)
        E = (np.abs(H) * (1 + 4 * U) + 2 * (k + 4) * U * np.matmul(absX, np.abs(G))
             + 1.01 * np.matmul(absX, EG))
        rows = E.sum(axis=2) + k * TINY * (1.0 + absX.sum(axis=2))
        delta = np.nextafter(rows.max(axis=1) * (1 + 2 * (k + 2) * U), np.inf)
        # step 4: c
        b = np.einsum("pk,np->nk", Cf, s)
        eb = 1.01 * (P + 6) * U * np.einsum("pk,np->nk", np.abs(Cf), np.abs(s)) + TINY
        c = np.einsum("nij,nj->ni", X, b)
        r = 1.01 * (np.einsum("nij,nj->ni", absX, eb)
                    + (k + 2) * U * np.einsum("nij,nj->ni", absX, np.abs(b))) + TINY
        ec = 1.01 * (2 * delta[:, None] * (np.abs(c).max(axis=1) + r.max(axis=1))[:, None] + r) + TINY
        # step 5: v and its bound
        v = c @ Cf.T
        ev = 1.01 * (ec @ np.abs(Cf).T + (k + 3) * U * (np.abs(c) @ np.abs(Cf).T)) + TINY
        finite = (np.all(np.isfinite(G), axis=(1, 2)) & np.all(np.isfinite(X), axis=(1, 2))
                  & np.all(np.isfinite(v), axis=1) & np.all(np.isfinite(ev), axis=1)
                  & np.isfinite(delta))
    return v, ev, delta, finite
