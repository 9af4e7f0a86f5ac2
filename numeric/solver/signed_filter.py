r"""A rigorous binary64 filter for the exact cone check over signed supports (3^P blocks).

:func:`numeric.solver.copositive.signed` decides the dual condition on patterns of both signs by
the order-free Cottle-Habetler-Lemke test: T_s = E_s (alpha C - D_s Lambda^T Lambda D_s) E_s is
copositive for every sign vector s iff no principal block B of any T_s (a *signed support*
(J, s_J)) is invertible with B^{-1} <= 0 entrywise. In rationals each block costs a determinant
and an inverse of order up to P (~0.3 ms at P = 10 .. 12, 3^P blocks). This module proves, in
binary64 with a bound on every rounding error, that B^{-1} has a positive entry -- so B is no
witness -- for whole batches of blocks at once; only the blocks it cannot prove go to the exact
test. It never rejects, so the check's verdict cannot change, only its cost.

Math (derived here; rounding bounds in the style of Higham, *Accuracy and Stability of Numerical
Algorithms*, ch. 3: |fl(x^T y) - x^T y| <= gamma_k |x|^T |y|, gamma_k = k u / (1 - k u),
u = 2^-53, any order of summation, with or without fused multiply-add)
------------------------------------------------------------------------------------------
1. *Entries.* Every block entry is s_i s_j m_ij with m = alpha C - Lambda^T Lambda (both indices
   firing) or m = alpha C (otherwise), exact rationals formed once per check. Their floats are
   correctly rounded (Python's integer true division): B~ = E_s fl(m) E_s is within u |m| <=
   2u |B~| (+ TINY for underflow) of the exact block B, entrywise.
2. *Verified inverse* (a Neumann-series argument, as in Rump's verification methods). For any
   float matrix R (here fl(inv(B~))), let F = I - R B (exact). With G~ = fl(R B~) and
   H~ = fl(I - G~): |F| <= |H~|(1 + 2u) + gamma_k |R||B~| + 2u |R||B~| (+ underflow terms)
   <= E := |H~|(1 + 4u) + 2 (k + 4) u fl(|R| |B~|) entrywise, with k TINY (1 + sum_l |R_il|)
   added to row i for underflow (each product or conversion that underflows errs by < 1e-323).
   If delta, an upper bound on the largest row sum of E, is <= 1/2, then R B = I - F is invertible (||F||_inf < 1), hence B
   is, and B^{-1} - R = sum_{n >= 1} F^n R, so |B^{-1} - R|_ij <= sum_n delta^n max_l |R_lj| <=
   2 delta c_j with c_j = max_l |R_lj| (row sums of |F|^n are <= delta^n).
3. *The proof.* If some R_ij > 2.0001 delta c_j + TINY (the factor covers the rounding of the
   product, TINY its underflow),
   then (B^{-1})_ij > 0: B is not a witness block. delta is the float row sum times
   (1 + 2(k + 2) u), rounded up (the sum of non-negative terms errs by at most gamma_k). Since
   R_ij <= c_j, the test itself implies delta < 1/2; the explicit check only documents it.

Where it runs: on every block when the signed check walks by levels
(``copositive.SIGNED_WALK = "levels"``); under the default tree walk
(:mod:`numeric.solver.signed_tree`) only on the few blocks built from scratch below a block whose
factorisation did not decide it.

Which blocks it leaves: exactly singular or ill-conditioned ones (cond(B) ~ 1e15, delta > 1/2)
and genuine witnesses (B^{-1} <= 0, an infeasible dual point). At a certified dual point, shrunk
by 2^-44, that is a handful of the tight blocks: measured in ``benchmarks/solver/signed_filter.py``.

Hypotheses and failure modes: IEEE 754 binary64 with round-to-nearest (numpy on every platform
the suite supports); LAPACK's inverse is used only as a guess (its accuracy is not trusted, only
checked). Overflow or NaN anywhere makes the filter decline the block (a non-finite comparison
is False). ``EMERGENCE_EXACT_CONES=1`` switches the filter off, as for the fans
(:func:`numeric.solver.float_filter.enabled`).
"""
from __future__ import annotations

import flint
import numpy as np

from numeric.solver.float_filter import TINY, U, enabled

__all__ = ["enabled", "entry_floats", "blocks", "float_inverse", "no_witness", "proved"]


def entry_floats(M: flint.fmpq_mat) -> np.ndarray:
    """Correctly rounded floats of the entries of an exact rational matrix (inf on overflow,
    which makes every block using the entry decline)."""
    n, m = M.nrows(), M.ncols()
    out = np.empty((n, m))
    for i in range(n):
        for j in range(m):
            v = M[i, j]
            try:
                out[i, j] = int(v.p) / int(v.q)
            except OverflowError:
                out[i, j] = np.inf if v > 0 else -np.inf
    return out


def blocks(M0: np.ndarray, M1: np.ndarray, subs: np.ndarray, signs: np.ndarray) -> np.ndarray:
    """Float blocks B~ (n x k x k) of the signed supports (subs[a], signs) for one sign vector:
    entries s_i s_j m_ij, m = M1 where both samples fire (sign +1), M0 otherwise (step 1)."""
    fire = signs > 0
    both = fire[:, None] & fire[None, :]
    ss = signs[:, None] * signs[None, :]
    g = (subs[:, :, None], subs[:, None, :])
    return np.where(both[None], M1[g], M0[g]) * ss[None]


def float_inverse(B: np.ndarray) -> np.ndarray:
    """fl(inv(B)) batch by batch; singular matrices (LAPACK refuses the batch) get NaN rows,
    found by bisection, so they decline."""
    try:
        return np.linalg.inv(B)
    except np.linalg.LinAlgError:
        if len(B) == 1:
            return np.full_like(B, np.nan)
        h = len(B) // 2
        return np.concatenate([float_inverse(B[:h]), float_inverse(B[h:])])


def no_witness(B: np.ndarray) -> np.ndarray:
    """Mask of the blocks B~ (n x k x k, floats of step 1) proved to have an inverse with a
    positive entry (steps 2-3): those are no witness of non-copositivity."""
    ok = np.zeros(len(B), dtype=bool)
    if not len(B):
        return ok
    with np.errstate(all="ignore"):
        cand = np.flatnonzero(np.all(np.isfinite(B), axis=(1, 2)))
        if len(cand):
            ok[cand] = proved(B[cand], float_inverse(B[cand]))
    return ok


def proved(B: np.ndarray, R: np.ndarray) -> np.ndarray:
    """Steps 2-3 for finite float blocks B (n x k x k) and *any* float matrices R (the guesses of
    their inverses): True where B^{-1} provably has a positive entry."""
    k = B.shape[1]
    with np.errstate(all="ignore"):
        H = np.eye(k)[None] - np.matmul(R, B)
        N = np.matmul(np.abs(R), np.abs(B))
        E = np.abs(H) * (1 + 4 * U) + 2 * (k + 4) * U * N
        rows = E.sum(axis=2) + k * TINY * (1.0 + np.abs(R).sum(axis=2))
        delta = np.nextafter(rows.max(axis=1) * (1 + 2 * (k + 2) * U), np.inf)
        c = np.abs(R).max(axis=1)                                   # c_j = max_l |R_lj|
        bound = (2.0001 * delta)[:, None, None] * c[:, None, :] + TINY
        pos = (R > bound).any(axis=(1, 2))
        return (delta <= 0.5) & pos & np.all(np.isfinite(R), axis=(1, 2))
