r"""The 3^P signed supports as a tree: most blocks are decided in O(k^2), whole subtrees skipped.

:func:`numeric.solver.copositive.signed` must show that no signed support (J, s) carries a
*minimal non-copositive* block B = E_s (alpha C - D_s Lambda^T Lambda D_s)_JJ E_s (every proper
principal block copositive, B not). Level by level, each block costs a float inverse and its
verification (:mod:`numeric.solver.signed_filter`), O(k^3). Here the supports are walked as a
tree -- the parent of (J, s) drops the largest index of J -- and two facts about minimal
non-copositive matrices (derived below) let the walk decide most blocks from their parent's
Cholesky factor in O(k^2) and skip every block that contains an indefinite one.

Math (derived here unless cited)
--------------------------------
*Lemma A* (Cottle, Habetler & Lemke 1970; Hadeler 1983): a minimal non-copositive B is
invertible, B^{-1} <= 0 entrywise, and B has exactly one negative eigenvalue.

*Lemma B.* Let B be minimal non-copositive. (ii) Every y with y^T B y < 0 has entries all > 0 or
all < 0. (i) Every proper principal block of B is positive semidefinite.
Proof. With one negative eigenvalue, K = {y : y^T B y < 0} is K+ u (-K+) with K+ an open convex
cone (in an eigenbasis, y_1 > ||y_rest||_D for a seminorm). B is not copositive, so some x >= 0
lies in K; by minimality x has no zero entry (else a proper block is violated), so x > 0; call
K+ the cone that holds x. If y in K+ had an entry <= 0, the segment from x to y (inside K+)
would meet a first point with a zero entry: a vector >= 0, non-zero, in K, with a zero entry --
a violated proper block. So K+ lies in {y > 0}, -K+ in {y < 0}: (ii). A proper block that is
not PSD gives y in K with a zero entry (pad its negative direction with zeros), against (ii). []

Rules (each implies "B is not minimal non-copositive"; none depends on the order of the walk):

* R1. B positive definite.
* R2. B contains a proper principal block that is not PSD (Lemma B (i)). So when a block is
  proved indefinite its whole subtree (every descendant contains it) is skipped.
* R3. B's parent is positive definite (so B has at most one negative eigenvalue, by
  interlacing) and some y with y^T B y < 0 has entries of both signs (one > 0, one <= 0): then
  B has exactly one negative eigenvalue and Lemma B (ii) fails.
* A block with a y > 0 and y^T B y < 0 is not copositive: y is handed back as a violation (the
  caller verifies it in rationals).
* A block none of this decides goes to the binary64 inverse filter and then to the exact test;
  its children are then built from scratch (no factor), R2 and the filter still apply.

Completeness: if some T_s is not copositive, a non-copositive principal block of least size is
minimal non-copositive; it is visited (its ancestors are not indefinite, by Lemma B (i)) and
no rule passes it, so it reaches the exact test, which finds it (Lemma A). All-negative sign
vectors give alpha C_JJ, positive definite: they are walked (as parents) but never tested.

*The factor* (rounding bounds in the style of Higham, *Accuracy and Stability of Numerical
Algorithms*, Thm 10.3; u = 2^-53, gamma_n = n u / (1 - n u)). Block entries are the correctly
rounded floats of the exact entries: B = B~ + E, |E| <= 2u |B~| + TINY (signed_filter, step 1).
With one shift c for every block, the walk computes the float Cholesky factor L~ of
A = B~ - c I (diagonal fl(B~_ii - c)) by the standard recurrences, a child's last row by forward
substitution against its parent's factor -- exactly what an unbordered Cholesky of the child
computes. If every pivot is > 0, L~ L~^T = A + dA with |dA| <= gamma_{k+1} |L~||L~^T| (any
order of summation, with or without fma), and ||l_i||^2 <= A_ii / (1 - gamma_{k+1}), so
||dA||_2 <= gamma' sum_i A_ii, gamma' = gamma_{k+1} / (1 - gamma_{k+1}). Then

    lambda_min(B) >= c - u (mu + c) - gamma' (1 + u) k mu - 2 u k mu - 2 k^2 TINY,

mu the largest |entry| of alpha C and alpha C - Lambda^T Lambda (a bound on every block's
entries), since B = L~ L~^T + diag(B~_ii - A_ii) - dA + E. For k <= P this is > 0 when
c = 2 (P + 2)^2 u mu + 4 P^2 TINY (the bracket is at most 1.002 (P + 2)^2 u mu): a block whose
shifted factorisation completes is positive definite (R1).

*Indefinite* (R2, R3, violations). When the last pivot is <= 0, y = (-x, 1) with
x = L~_p^{-T} l~ (l~ the last row; any float vector would do) is tested. The value
y^T B y = x^T B_p x - 2 x.b + beta is evaluated in that form (k = order of B_p): two inner
products of length k for x^T fl(B_p x), within (2 gamma_k + gamma_k^2) |x|^T |B_p| |x|, one for
x.b within gamma_k |x|.|b|, two additions within u each of N = |x|^T |B_p| |x| + 2 |x|.|b| +
|beta|, and the entries' own 2u N: together below 2 (k + 5) u N~ (N~ its float value, which
errs by gamma_{k+2} at most), plus TINY (2 + sum |x|)^2 for underflow. q~ below minus that
bound (with a margin for its own rounding) proves y^T B y < 0. For blocks built from scratch,
y is the float eigenvector of the smallest eigenvalue, and y^T B y is evaluated as y . fl(B~ y)
within 2 (k + 4) u |y|^T |B~| |y| (k = order of B).

*Cost.* A node's children share its factor: the forward substitution runs on all of them at
once (one right-hand side per child column), so a child costs O(k^2) flops and no copy of the
factor unless it is positive definite and becomes a node itself. Nodes are batched by their
largest index, so the columns of a batch are nearly all valid.

Hypotheses and failure modes: IEEE binary64, round to nearest; no trust is placed in LAPACK or in
the order of summation. NaN or overflow make every comparison False, so the block is undecided
and goes to the exact test. A block whose smallest eigenvalue is within ~c of zero (a tight
pattern at the certified dual point) is undecided, and so is its subtree, which is built from
scratch; measured few (see ``benchmarks/solver/signed_tree.py``). Memory: batches of CHUNK nodes
with their k x k factors, walked depth first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from numeric.solver import signed_filter
from numeric.solver.float_filter import TINY, U

__all__ = ["CHUNK", "shift", "signed_matrix", "child_blocks", "forward", "backward",
           "negative_direction", "quadratic_negative", "positive_definite", "TreeStats", "walk"]

#: nodes per batch of the depth-first walk
CHUNK = 4096


def shift(M0: np.ndarray, M1: np.ndarray) -> float:
    """The common shift c = 2 (P + 2)^2 u mu + 4 P^2 TINY of every block's factorisation (inf if
    an entry is not finite: then no block is proved positive definite)."""
    P = M0.shape[0]
    mu = max(float(np.max(np.abs(M0), initial=0.0)), float(np.max(np.abs(M1), initial=0.0)))
    return 2.0 * (P + 2) ** 2 * U * mu * (1 + 1e-9) + 4.0 * P * P * TINY


def signed_matrix(M0: np.ndarray, M1: np.ndarray) -> np.ndarray:
    """MM (2P x 2P) with MM[i', j'] = s_i s_j m_ij for the signed indices i' = i (s_i = +1, fires)
    and i' = i + P (s_i = -1), m = M1 where both fire, M0 otherwise (negations are exact): every
    block of a signed support is one gather MM[idx, idx], idx = J + P [s < 0]."""
    P = M0.shape[0]
    MM = np.empty((2 * P, 2 * P))
    MM[:P, :P], MM[:P, P:], MM[P:, :P], MM[P:, P:] = M1, -M0, -M0, M0
    return MM


def child_blocks(M0: np.ndarray, M1: np.ndarray, J: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Float blocks (n x k x k) of the signed supports (J[a], s[a]), a sign vector per row:
    s_i s_j m_ij, m = M1 where both samples fire, M0 otherwise."""
    idx = J + M0.shape[0] * (s < 0)
    return signed_matrix(M0, M1)[idx[:, :, None], idx[:, None, :]]


def forward(L: np.ndarray, B: np.ndarray) -> np.ndarray:
    """X with L X = B by forward substitution (L: n x k x k lower triangular; B: n x k x m): the
    recurrence of the Cholesky factorisation for the rows that border L."""
    X = np.empty_like(B)
    for t in range(L.shape[1]):
        acc = B[:, t, :]
        if t:
            acc = acc - np.matmul(L[:, t:t + 1, :t], X[:, :t, :])[:, 0, :]
        X[:, t, :] = acc / L[:, t, t][:, None]
    return X


def backward(L: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Y with L^T Y = X (L: n x k x k lower triangular, X: n x k x m); only a float guess."""
    k = L.shape[1]
    Y = np.empty_like(X)
    for t in range(k - 1, -1, -1):
        acc = X[:, t, :]
        if t < k - 1:
            acc = acc - np.matmul(L[:, t + 1:, t][:, None, :], Y[:, t + 1:, :])[:, 0, :]
        Y[:, t, :] = acc / L[:, t, t][:, None]
    return Y


def negative_direction(B: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mask of the rows where y^T B y < 0 is proved for the exact blocks B~ + E (n x k x k float
    blocks B~, n x k float vectors y): the bound of the module docstring."""
    k = B.shape[1]
    with np.errstate(all="ignore"):
        q = np.einsum("ni,ni->n", y, np.matmul(B, y[:, :, None])[:, :, 0])
        ay = np.abs(y)
        N = np.einsum("ni,ni->n", ay, np.matmul(np.abs(B), ay[:, :, None])[:, :, 0])
        bound = (2 * (k + 4) * U * N + TINY * (1 + ay.sum(axis=1)) ** 2) * (1 + 1e-6)
        return q < -bound


def quadratic_negative(Bp: np.ndarray, X: np.ndarray, b: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Mask (r x m) of proved y^T B y < 0 for y = (-x, 1), B = [[B_p, b], [b^T, beta]] exact
    (the floats B~ + E), for every column x = X[:, :, q], b = b[:, :, q], beta[q] (B_p: r x k x k
    floats; X, b: r x k x m). The value x^T B_p x - 2 x.b + beta is evaluated in that form; the
    bound of the module docstring covers it."""
    k = Bp.shape[1]
    with np.errstate(all="ignore"):
        q = (np.einsum("nkq,nkq->nq", X, np.matmul(Bp, X)) - 2 * np.einsum("nkq,nkq->nq", X, b)
             + beta[None, :])
        aX = np.abs(X)
        N = (np.einsum("nkq,nkq->nq", aX, np.matmul(np.abs(Bp), aX))
             + 2 * np.einsum("nkq,nkq->nq", aX, np.abs(b)) + np.abs(beta)[None, :])
        bound = (2 * (k + 5) * U * N + TINY * (2 + aX.sum(axis=1)) ** 2) * (1 + 1e-6)
        return q < -bound


def positive_definite(B: np.ndarray, c: float) -> np.ndarray:
    """Mask of the float blocks (n x k x k) proved positive definite by the shifted Cholesky
    factorisation of the module docstring (c from :func:`shift` of the matrices they come from)."""
    n, k = B.shape[:2]
    L = np.zeros((n, 0, 0))
    ok = np.all(np.isfinite(B), axis=(1, 2)) & np.isfinite(c)
    for r in range(k):
        with np.errstate(all="ignore"):
            l = forward(L, B[:, :r, r:r + 1])[:, :, 0]
            d2 = (B[:, r, r] - c) - np.einsum("ij,ij->i", l, l)
        ok &= d2 > 0
        Ln = np.zeros((n, r + 1, r + 1))
        Ln[:, :r, :r] = L
        Ln[:, r, :r] = l
        Ln[:, r, r] = np.sqrt(np.where(d2 > 0, d2, 1.0))
        L = Ln
    return ok


@dataclass
class TreeStats:
    """What the walk did. ``covered`` counts the signed supports (not all negative) it accounts
    for: visited ones plus the subtrees skipped by R2."""
    visited: int = 0
    by_factor: int = 0        # R1 or R3 from the parent's factor
    by_filter: int = 0        # the binary64 inverse filter (blocks built from scratch)
    exact: int = 0            # handed to the exact test
    pruned_subtrees: int = 0  # indefinite blocks whose descendants were skipped (R2)
    covered: int = 0


@dataclass
class _Batch:
    idx: np.ndarray           # n x k signed indices (J + P [s < 0]), J increasing
    L: np.ndarray | None      # n x k x k factors of B~ - c I (None: built from scratch)


def _batches(idx: np.ndarray, L: np.ndarray | None, P: int) -> list[_Batch]:
    """Nodes sorted by their largest index, CHUNK at a time (so a batch's nodes have nearly the
    same children columns)."""
    order = np.argsort(idx[:, -1] % P, kind="stable")
    return [_Batch(idx[order[a:a + CHUNK]], None if L is None else L[order[a:a + CHUNK]])
            for a in range(0, len(order), CHUNK)]


def _split(idx: np.ndarray, P: int):
    return idx % P, np.where(idx < P, 1.0, -1.0)


def walk(M0: np.ndarray, M1: np.ndarray,
         exact: Callable[[np.ndarray, np.ndarray], object | None],
         violation: Callable[[np.ndarray, np.ndarray, np.ndarray], object | None]):
    """Walk the signed supports of the P x P float matrices M0 = fl(alpha C), M1 =
    fl(alpha C - Lambda^T Lambda) (correctly rounded entries).

    ``exact(J, s)`` decides one block in rationals and returns a result to stop with (a witness)
    or None; ``violation(J, s, y)`` is offered every float y > 0 proved to violate its block and
    returns a result to stop with, or None (then the block goes to ``exact``). Returns
    (result or None, TreeStats)."""
    P = M0.shape[0]
    if M0.shape != (P, P) or M1.shape != (P, P):
        raise ValueError(f"`M0` and `M1` must be square of one size; got {M0.shape} and {M1.shape}")
    c = shift(M0, M1)
    MM = signed_matrix(M0, M1)
    st = TreeStats()
    stack = [_Batch(np.zeros((1, 0), dtype=np.intp), np.zeros((1, 0, 0)))]
    while stack:
        b = stack.pop()
        n, k = b.idx.shape
        mx = b.idx[:, -1] % P if k else np.full(n, -1)
        lo = int(mx.min()) + 1
        if lo >= P:
            continue
        cols = np.concatenate([np.arange(lo, P), np.arange(P + lo, 2 * P)])
        valid = (cols % P)[None, :] > mx[:, None]                 # child (a, q): index cols[q]
        fires = valid & (np.any(b.idx < P, axis=1)[:, None] | (cols < P)[None, :])
        if b.L is not None:
            out, kids = _from_factors(b, P, MM, cols, valid, fires, c, st, exact, violation)
        else:
            out, kids = _from_scratch(b, P, MM, cols, valid, fires, st, exact)
        if out is not None:
            return out, st
        stack.extend(kids)
    return None, st


def _account(st: TreeStats, P: int, counted: int, indefinite_j: np.ndarray) -> None:
    st.visited += counted
    st.pruned_subtrees += len(indefinite_j)
    st.covered += counted + int(np.sum(3 ** (P - 1 - indefinite_j) - 1))


def _from_factors(b, P, MM, cols, valid, fires, c, st, exact, violation):
    """Children of nodes with proved factors: the last pivots by forward substitution (every
    child column of a node at once), negative directions y = (-x, 1) where a pivot fails."""
    n, k = b.idx.shape
    m = len(cols)
    beta = MM[cols, cols]
    rhs = MM[b.idx[:, :, None], cols[None, None, :]]                     # n x k x m
    with np.errstate(all="ignore"):
        l = forward(b.L, rhs)
        d2 = (beta - c)[None, :] - np.einsum("nkq,nkq->nq", l, l)
    pd = valid & (d2 > 0)
    rest = valid & ~pd
    st.by_factor += int((pd & fires).sum())
    undecided = np.zeros_like(rest)
    indefinite = np.zeros_like(rest)
    if rest.any():
        rows = np.flatnonzero(rest.any(axis=1))
        with np.errstate(all="ignore"):
            X = backward(b.L[rows], l[rows]) if k else np.zeros((len(rows), 0, m))
            neg = quadratic_negative(MM[b.idx[rows][:, :, None], b.idx[rows][:, None, :]], X,
                                     rhs[rows], beta)
        neg &= rest[rows]
        mixed = np.any(X >= 0, axis=1)                            # y = (-x, 1) has an entry <= 0
        indefinite[rows] = neg
        st.by_factor += int((neg & mixed & fires[rows]).sum())
    _account(st, P, int(fires.sum()), cols[np.nonzero(indefinite)[1]] % P)
    if rest.any():
        for r, q in zip(*np.nonzero(neg & ~mixed & fires[rows])):
            J, s = _split(np.append(b.idx[rows[r]], cols[q]), P)
            out = violation(J, s, np.append(-X[r, :, q], 1.0))
            if out is not None:
                return out, []
            undecided[rows[r], q] = True
        undecided |= rest & ~indefinite
    for a, q in zip(*np.nonzero(undecided & fires)):
        st.exact += 1
        out = exact(*_split(np.append(b.idx[a], cols[q]), P))
        if out is not None:
            return out, []
    a, q = np.nonzero(pd)
    Ln = np.zeros((len(a), k + 1, k + 1))
    Ln[:, :k, :k] = b.L[a]
    Ln[:, k, :k] = l[a, :, q]
    Ln[:, k, k] = np.sqrt(d2[a, q])
    kids = _batches(np.concatenate([b.idx[a], cols[q][:, None]], axis=1), Ln, P)
    a, q = np.nonzero(undecided & ~indefinite)
    return None, kids + _batches(np.concatenate([b.idx[a], cols[q][:, None]], axis=1), None, P)


def _from_scratch(b, P, MM, cols, valid, fires, st, exact):
    """Children of nodes without a factor (below an undecided block): full blocks, eigenvector
    directions for R2, the inverse filter and the exact test for the blocks themselves."""
    a, q = np.nonzero(valid)
    kids = np.concatenate([b.idx[a], cols[q][:, None]], axis=1)
    counted = fires[a, q]
    B = MM[kids[:, :, None], kids[:, None, :]]
    with np.errstate(all="ignore"):
        _, V = np.linalg.eigh(np.where(np.isfinite(B), B, 0.0))
    indefinite = negative_direction(B, V[:, :, 0]) & np.all(np.isfinite(B), axis=(1, 2))
    filt = signed_filter.no_witness(B) & counted
    st.by_filter += int(filt.sum())
    _account(st, P, int(counted.sum()), cols[q[indefinite]] % P)
    for r in np.flatnonzero(counted & ~filt):
        st.exact += 1
        out = exact(*_split(kids[r], P))
        if out is not None:
            return out, []
    return None, _batches(kids[~indefinite], None, P)
