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

*Indefinite* (R2, R3, violations). When the last pivot is <= 0, y = (-L~_p^{-T} l~, 1) (l~ the
last row; any float vector would do) is tested: with r~ = fl(B~ y), q~ = fl(y . r~) and
N~ = fl(|y| . fl(|B~||y|)), |q~ - y^T B y| <= 2 (k + 4) u N~ + TINY (1 + sum |y|)^2 (two inner
products of length k, each within gamma_k of the exact one on |y|^T |B~| |y|, plus the entries'
2u). q~ below minus that bound (with a margin for its own rounding) proves y^T B y < 0.
For blocks built from scratch, y is the float eigenvector of the smallest eigenvalue.

Hypotheses and failure modes: IEEE binary64, round to nearest; no trust is placed in LAPACK or in
the order of summation. NaN or overflow make every comparison False, so the block is undecided
and goes to the exact test. A block whose smallest eigenvalue is within ~c of zero (a tight
pattern at the certified dual point) is undecided, and so is its subtree, which is built from
scratch; measured few (see ``benchmarks/solver/signed_tree.py``). Memory: batches of CHUNK nodes
with their k x k factors, walked depth first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from numeric.solver import signed_filter
from numeric.solver.float_filter import TINY, U

__all__ = ["CHUNK", "shift", "child_blocks", "forward", "backward", "negative_direction",
           "positive_definite", "TreeStats", "walk"]

#: nodes per batch of the depth-first walk
CHUNK = 4096


def shift(M0: np.ndarray, M1: np.ndarray) -> float:
    """The common shift c = 2 (P + 2)^2 u mu + 4 P^2 TINY of every block's factorisation (inf if
    an entry is not finite: then no block is proved positive definite)."""
    P = M0.shape[0]
    mu = max(float(np.max(np.abs(M0), initial=0.0)), float(np.max(np.abs(M1), initial=0.0)))
    return 2.0 * (P + 2) ** 2 * U * mu * (1 + 1e-9) + 4.0 * P * P * TINY


def child_blocks(M0: np.ndarray, M1: np.ndarray, J: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Float blocks (n x k x k) of the signed supports (J[a], s[a]), a sign vector per row:
    s_i s_j m_ij, m = M1 where both samples fire, M0 otherwise."""
    fire = s > 0
    both = fire[:, :, None] & fire[:, None, :]
    g = (J[:, :, None], J[:, None, :])
    return np.where(both, M1[g], M0[g]) * (s[:, :, None] * s[:, None, :])


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


def backward(L: np.ndarray, x: np.ndarray) -> np.ndarray:
    """y with L^T y = x (L: n x k x k lower triangular, x: n x k); only a float guess."""
    k = L.shape[1]
    y = np.empty_like(x)
    for t in range(k - 1, -1, -1):
        acc = x[:, t]
        if t < k - 1:
            acc = acc - np.einsum("ij,ij->i", L[:, t + 1:, t], y[:, t + 1:])
        y[:, t] = acc / L[:, t, t]
    return y


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
    violations: list = field(default_factory=list)


@dataclass
class _Batch:
    J: np.ndarray             # n x k sample indices, increasing
    s: np.ndarray             # n x k signs (+1 fires, -1 silent)
    L: np.ndarray | None      # n x k x k factors of B~ - c I (None: built from scratch)


def _chunks(b: _Batch):
    n = len(b.J)
    for a in range(0, n, CHUNK):
        yield _Batch(b.J[a:a + CHUNK], b.s[a:a + CHUNK], None if b.L is None else b.L[a:a + CHUNK])


def _children(b: _Batch, P: int):
    """(node, j, sign) of every child: j above the node's largest index, both signs."""
    k = b.J.shape[1]
    mx = b.J[:, -1] if k else np.full(len(b.J), -1)
    node, j = np.nonzero(np.arange(P)[None, :] > mx[:, None])
    node = np.repeat(node, 2)
    j = np.repeat(j, 2)
    sj = np.tile([1.0, -1.0], len(node) // 2)
    return node, j, sj


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
    d1, d0 = np.diag(M1), np.diag(M0)
    st = TreeStats()
    stack = [_Batch(np.zeros((1, 0), dtype=np.intp), np.zeros((1, 0)), np.zeros((1, 0, 0)))]
    while stack:
        b = stack.pop()
        node, j, sj = _children(b, P)
        if not len(node):
            continue
        J = np.concatenate([b.J[node], j[:, None]], axis=1)
        s = np.concatenate([b.s[node], sj[:, None]], axis=1)
        k = J.shape[1]
        counted = np.any(s > 0, axis=1)
        undecided = np.zeros(len(node), dtype=bool)
        indefinite = np.zeros(len(node), dtype=bool)
        st.visited += int(counted.sum())
        if b.L is not None:
            fire = b.s[node] > 0
            m = np.where(fire & (sj[:, None] > 0), M1[b.J[node], j[:, None]], M0[b.J[node], j[:, None]])
            rhs = (m * b.s[node] * sj[:, None])[:, :, None]
            with np.errstate(all="ignore"):
                l = forward(b.L[node], rhs)[:, :, 0]
                d2 = (np.where(sj > 0, d1[j], d0[j]) - c) - np.einsum("ij,ij->i", l, l)
            pd = d2 > 0
            st.by_factor += int((pd & counted).sum())
            rest = np.flatnonzero(~pd)
            if len(rest):
                with np.errstate(all="ignore"):
                    x = backward(b.L[node[rest]], l[rest]) if k > 1 else np.zeros((len(rest), 0))
                y = np.concatenate([-x, np.ones((len(rest), 1))], axis=1)
                neg = negative_direction(child_blocks(M0, M1, J[rest], s[rest]), y)
                mixed = np.any(y[:, :-1] <= 0, axis=1)
                indefinite[rest[neg]] = True
                st.by_factor += int((neg & mixed).sum())
                for a in np.flatnonzero(neg & ~mixed):
                    r = rest[a]
                    out = violation(J[r], s[r], y[a])
                    if out is not None:
                        return out, st
                    undecided[r] = True
                undecided[rest[~neg]] = True
            if pd.any():
                Ln = np.zeros((int(pd.sum()), k, k))
                Ln[:, :k - 1, :k - 1] = b.L[node[pd]]
                Ln[:, k - 1, :k - 1] = l[pd]
                Ln[:, k - 1, k - 1] = np.sqrt(d2[pd])
                stack.extend(_chunks(_Batch(J[pd], s[pd], Ln)))
        else:
            B = child_blocks(M0, M1, J, s)
            with np.errstate(all="ignore"):
                w, V = np.linalg.eigh(np.where(np.isfinite(B), B, 0.0))
            indefinite = negative_direction(B, V[:, :, 0]) & np.all(np.isfinite(B), axis=(1, 2))
            filt = signed_filter.no_witness(B) & counted
            st.by_filter += int(filt.sum())
            undecided = counted & ~filt
        for r in np.flatnonzero(undecided & counted):
            st.exact += 1
            out = exact(J[r], s[r])
            if out is not None:
                return out, st
        st.pruned_subtrees += int(indefinite.sum())
        skipped = 3 ** (P - 1 - J[indefinite, -1]) - 1
        st.covered += int(counted.sum()) + int(skipped.sum())
        # children without a proved factor: the undecided ones (R3 did not apply), or every
        # child of a node built from scratch; indefinite ones end their subtree (R2)
        loose = np.flatnonzero(~indefinite & (undecided if b.L is not None else True))
        if len(loose):
            stack.extend(_chunks(_Batch(J[loose], s[loose], None)))
    return None, st
