r"""Cell decomposition for single-output (dY = 1) ReLU problems: exact pricing and certificates
for *any* inputs (signed Q, singular K_X) with 2^P small convex problems instead of 3^P.

Math (derived here; the dual condition itself is ``A.copositive``)
------------------------------------------------------------------
For dY = 1 the dual point is a row vector lambda (length P) and the cone condition reads

    (lambda^T relu(X~^T w))^2 <= alpha |w|^2     for every input weight w in R^D.          (*)

Split R^D into the 2^P *cells* C_F = {w : x~_i^T w >= 0 (i in F), x~_i^T w <= 0 (i not in F)},
F the firing set (every w lies in C_F with F = {i : x~_i^T w > 0}). On C_F,
relu(X~^T w) = D_F X~^T w, so with s_i = +1 on F, -1 off F (S_F X~^T w >= 0 on C_F) and any
sign sigma = +-1, any nu >= 0, and c = sigma D_F lambda + S_F nu:

    sigma lambda^T D_F X~^T w = (X~ c)^T w - nu^T S_F X~^T w <= |X~ c| |w| = sqrt(c^T K c) |w|,

K = X~^T X~ (the Gram matrix of the data; no inverse, any rank). So (*) holds on C_F as soon as
for both signs a vector c in the box

    B_{F,sigma} = {c : c_i >= sigma lambda_i (i in F),  c_i <= 0 (i not in F)}

has c^T K c <= alpha. The best such c solves the box QP  min_{c in B} c^T K c, and its value is
exactly max_{w in C_F} (sigma lambda^T D_F X~^T w)_+^2 / |w|^2 (Moreau: |Pi_C(a)| is the distance
from a to the polar cone {-X~ S_F nu}); the maximiser is w* = X~ c*, pattern h* = K c*.
Hence:

* **pricing** (float): the maximum over (F, sigma) of the box-QP values is max_w of the ratio in
  (*), attained at h* = K c* -- an exhaustive first-variation oracle over all reachable patterns
  (unreachable firing sets have empty cells and value 0);
* **certificate** (exact): the box QPs are solved in float, each c is rounded to a rational,
  clamped into its box exactly, and c^T K c <= alpha is checked in exact integer arithmetic
  (python-flint); 2^(P+1) quadratic forms. A failure re-evaluates (*) exactly at w = X~ c: a
  negative margin there is an exact witness that the dual point is infeasible.

Scope and failure modes: dY = 1 here (for dY >= 2 the square |Lambda relu|^2 couples the
outputs and a sign sigma becomes a direction u on the sphere: :mod:`numeric.solver.sectors`
for dY = 2, :mod:`numeric.solver.simplices` for dY = 3, 4). The float box QP (coordinate descent + Newton polish on the active set)
can miss the exact optimum on degenerate cells; the exact check then fails and the caller tries
a larger shrink of the dual point -- never a wrong certificate. Cost 2^P (P x P) work per sign:
P <= MAX_CELLS_P.

Data of rank r < P (low-dimensional inputs, many samples): only the non-empty cells can hold a
maximiser, at most 2 sum_{k<r} C(P-1, k) of them, listed exactly by
:mod:`numeric.solver.arrangement` (:func:`cell_masks`), and each box QP is solved as a
non-negative least-squares problem in r equations (:func:`cell_qp`). P is then limited by the
cell count, not by 2^P (P = 60 points in the plane: 3 542 cells).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import flint
import numpy as np

from numeric.solver import arrangement
from numeric.solver.rowforms import rowquad

#: refuse the cell enumeration above this P (2^P box QPs of size P, two signs).
MAX_CELLS_P = 18
#: coordinate-descent sweeps before the active-set iteration of the box QPs.
SWEEPS = 5
#: cells processed per batch (memory: batch x P floats, a few arrays).
BATCH = 1 << 15


@dataclass(frozen=True)
class CellPricing:
    ratio: float                 # max over w of (lambda^T relu(X~^T w))^2 / |w|^2
    patterns: list[np.ndarray]   # patterns h = K c* of the best cells, best first
    values: list[float]          # their ratios
    cells: int                   # (cell, sign) box QPs solved


def masks_of(cells_idx: np.ndarray, P: int) -> np.ndarray:
    """Boolean (n x P) masks of the firing sets with the given indices (bit i = sample i fires)."""
    return ((np.asarray(cells_idx)[:, None] >> np.arange(P)) & 1).astype(bool)


def firing_masks(P: int, start: int = 1, stop: int | None = None) -> np.ndarray:
    """Masks of the firing sets start..stop-1 (default: every non-empty set)."""
    return masks_of(np.arange(start, 2 ** P if stop is None else stop), P)


def cell_masks(Xt) -> np.ndarray | None:
    """Firing sets to check for data X~ (D x P, float array or fmpq_mat), or None for all of them.

    With rank r < P only the non-empty cells of the arrangement can hold a maximiser
    (:mod:`numeric.solver.arrangement`, exact); they are listed when their generic count
    N(P, r) is below half of 2^P, otherwise every non-empty firing set is checked (an empty
    cell's box QP bounds a face of a non-empty one, so checking it is harmless)."""
    P = Xt.ncols() if isinstance(Xt, flint.fmpq_mat) else np.asarray(Xt).shape[1]
    rows = arrangement.integer_rows(Xt)
    r = flint.fmpz_mat(rows).rank() if P else 0
    if P <= MAX_CELLS_P and arrangement.generic_count(P, r) * 2 > 2 ** P:
        return None
    M = arrangement.cells(rows) > 0
    return M[M.any(axis=1)]


@dataclass(frozen=True)
class CellSet:
    """The firing sets a check visits, by index: all 2^P - 1 non-empty ones (indices 1..2^P-1,
    bit i = sample i fires) or an explicit list of masks (indices 0..n-1, :func:`cell_masks`)."""
    P: int
    explicit: np.ndarray | None = None

    def __post_init__(self):
        if self.explicit is None and self.P > MAX_CELLS_P:
            raise ValueError(f"`P` must be <= {MAX_CELLS_P} to check all 2^P firing sets; "
                             f"got {self.P}")

    @property
    def count(self) -> int:
        return 2 ** self.P - 1 if self.explicit is None else int(self.explicit.shape[0])

    def index_batches(self):
        lo, hi = (1, 2 ** self.P) if self.explicit is None else (0, self.explicit.shape[0])
        for start in range(lo, hi, BATCH):
            yield np.arange(start, min(start + BATCH, hi))

    def masks(self, idx: np.ndarray) -> np.ndarray:
        return masks_of(idx, self.P) if self.explicit is None else self.explicit[np.asarray(idx)]


def cell_set(Xt) -> CellSet:
    """:class:`CellSet` of the data X~ (D x P): see :func:`cell_masks`."""
    P = Xt.ncols() if isinstance(Xt, flint.fmpq_mat) else np.asarray(Xt).shape[1]
    return CellSet(P, cell_masks(Xt))


def box_bounds(F: np.ndarray, lam: np.ndarray, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    lo = np.where(F, sigma * np.atleast_2d(lam), -np.inf)      # lam: (P,) or one row per mask
    hi = np.where(F, np.inf, 0.0)
    return lo, hi


def box_qp(K: np.ndarray, lo: np.ndarray, hi: np.ndarray, *, sweeps: int = SWEEPS,
           max_iter: int | None = None) -> np.ndarray:
    """Batched min c^T K c over lo <= c <= hi (rows are independent problems; K PSD).

    Projected coordinate descent (exact line minimisation per coordinate) finds the active set
    approximately; a primal active-set method then finishes each row: Newton step on the free
    coordinates (a ridge-regularised solve with iterative refinement when K is singular), ratio test to the first blocking bound,
    and at a subspace minimum the bound coordinate whose gradient points most into the box is
    released; a row stops when no gradient points inwards (KKT). Rows are always feasible; a row
    still iterating after ``max_iter`` steps is returned as it is (a valid, possibly suboptimal
    point: the certificate then just fails to close, it is never wrong).
    """
    n, P = lo.shape
    c = np.clip(np.zeros((n, P)), lo, hi)
    d = np.diag(K).copy()
    KC = c @ K
    for _ in range(sweeps):
        for i in range(P):
            if d[i] <= 0:
                continue
            new = np.clip(c[:, i] - KC[:, i] / d[i], lo[:, i], hi[:, i])
            KC += (new - c[:, i])[:, None] * K[i][None, :]
            c[:, i] = new
    singular = np.linalg.matrix_rank(K) < P
    ridge = 1e-10 * max(float(np.max(d)), 1e-300)
    at_lo, at_hi = c <= lo, c >= hi
    todo = np.arange(n)
    gtol = 1e-14 * max(float(np.max(np.abs(K))), 1e-300)
    eye = np.eye(P)
    for _ in range(max_iter or 4 * P + 10):
        if todo.size == 0:
            break
        C, L, H = c[todo], lo[todo], hi[todo]
        free = ~(at_lo[todo] | at_hi[todo])
        fm = free.astype(float)
        M = K[None] * fm[:, :, None] * fm[:, None, :] + eye[None] * (1 - fm)[:, :, None]
        rhs = -((C * (1 - fm)) @ K) * fm
        if singular:
            # regularised solve + iterative refinement: converges to a solution of the
            # (consistent, singular) free-set system; LU is ~10x cheaper than a batched SVD
            Mr = M + ridge * eye[None]
            target = np.linalg.solve(Mr, rhs[:, :, None])[:, :, 0]
            for _ in range(3):
                res = rhs - np.einsum("nij,nj->ni", M, target)
                target += np.linalg.solve(Mr, res[:, :, None])[:, :, 0]
        else:
            target = np.linalg.solve(M, rhs[:, :, None])[:, :, 0]
        step = np.where(free, target - C, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            rl = np.where(free & (step < 0), (L - C) / step, np.inf)
            rh = np.where(free & (step > 0), (H - C) / step, np.inf)
        r = np.minimum(rl, rh)
        tau = np.minimum(1.0, r.min(axis=1))
        C = C + tau[:, None] * step
        blocked = tau < 1.0
        jb = np.argmin(r, axis=1)
        rows = np.flatnonzero(blocked)
        cols = jb[rows]
        hit_lo = rl[rows, cols] <= rh[rows, cols]
        C[rows, cols] = np.where(hit_lo, L[rows, cols], H[rows, cols])
        C = np.clip(C, L, H)
        c[todo] = C
        al, ah = at_lo[todo], at_hi[todo]
        al[rows, cols] |= hit_lo
        ah[rows, cols] |= ~hit_lo
        # at a subspace minimum: release the bound with the most inward-pointing gradient
        g = C @ K
        viol = np.where(al, -g, 0.0) + np.where(ah, g, 0.0)     # > 0: wants to move inside
        viol[blocked] = 0.0
        jr = np.argmax(viol, axis=1)
        rel = viol[np.arange(len(todo)), jr] > gtol * (1 + np.abs(C).max(axis=1))
        rr = np.flatnonzero(rel)
        al[rr, jr[rr]] = False
        ah[rr, jr[rr]] = False
        at_lo[todo], at_hi[todo] = al, ah
        todo = todo[blocked | rel]
    return c


def low_rank_factor(K: np.ndarray) -> np.ndarray | None:
    """R (r x P) with R^T R = K when K has rank r < P (float, for proposals), else None."""
    vals, vecs = np.linalg.eigh(K)
    keep = vals > 1e-10 * max(float(vals[-1]), 1e-300)
    if keep.all():
        return None
    return (vecs[:, keep] * np.sqrt(vals[keep])).T


def cell_qp(K: np.ndarray, F: np.ndarray, lam: np.ndarray, sigma: float,
            R: np.ndarray | None = None) -> np.ndarray:
    """Minimisers c of c^T K c over the boxes B_{F, sigma} (one row per firing mask F).

    K of full rank: the batched :func:`box_qp`. With a factor K = R^T R of rank r < P
    (:func:`low_rank_factor`) the same problem is the non-negative least-squares problem
    min_{nu >= 0} |R (sigma D_F lam + S_F nu)|^2 in r equations (c = sigma D_F lam + S_F nu, at
    most r multipliers positive), solved per cell by scipy's active-set NNLS -- O(r^2 P) per cell
    instead of O(P^3), which is what makes hundreds of samples in low dimension affordable."""
    if R is None:
        return box_qp(K, *box_bounds(F, lam, sigma))
    from scipy.optimize import nnls
    n, P = F.shape
    S = np.where(F, 1.0, -1.0)
    base = sigma * np.where(F, np.atleast_2d(lam), 0.0)       # lam: (P,) or one row per cell
    T = -(base @ R.T)
    c = base.copy()
    for b in range(n):
        nu, _ = nnls(R * S[b], T[b], maxiter=50 * P)
        c[b] += S[b] * nu
    return c


def price(K: np.ndarray, lam: np.ndarray, *, keep: int = 8,
          masks: np.ndarray | None = None) -> CellPricing:
    """max over all w of (lam^T relu(X~^T w))^2 / |w|^2 via the cells (float64): the given
    firing ``masks`` (those of :func:`cell_masks`) or all 2^P - 1 non-empty firing sets."""
    cs = CellSet(K.shape[0], masks)
    R = low_rank_factor(K)
    best: list[tuple[float, np.ndarray]] = []
    ratio, count = 0.0, 0
    for idx in cs.index_batches():
        F = cs.masks(idx)
        for sigma in (1.0, -1.0):
            c = cell_qp(K, F, lam, sigma, R)
            val = rowquad(c, K)
            count += len(val)
            ratio = max(ratio, float(val.max(initial=0.0)))
            for j in np.argsort(-val)[:keep]:
                if val[j] > 0:
                    best.append((float(val[j]), K @ c[j]))
    best.sort(key=lambda t: -t[0])
    best = best[:keep]
    return CellPricing(ratio, [h for _, h in best], [v for v, _ in best], count)


# ------------------------------------------------------------------------------------- exact

def int_scale(entries) -> tuple[list[int], int]:
    """Integers n_k and a common denominator d with entries_k = n_k / d (fmpq entries)."""
    d = 1
    for v in entries:
        d = math.lcm(d, int(v.q))
    return [int(v.p) * (d // int(v.q)) for v in entries], d


@dataclass(frozen=True)
class CellCheck:
    ok: bool
    checked: int
    witness: list | None = None      # exact pattern h = X~^T w violating (*), if one was found
    value: object = None             # alpha |w|^2 - (lam^T relu(h))^2 at the witness (< 0)
    exact_cones: int = 0             # fans: cone tests decided in integers (float_filter)
    failing: object = None           # simplicial fans with ``collect``: the unproved cells


def certify(Xt: flint.fmpq_mat, lam: flint.fmpq_mat, alpha: flint.fmpq) -> CellCheck:
    """Decide (*) exactly for a rational row vector lam (1 x P) and rational data X~ (D x P).

    The cells are those of :func:`cell_masks` (recomputed exactly from X~). Float box QPs propose
    c for every (cell, sign); each c is rounded, clamped into its box in exact integers and
    c^T K c <= alpha is checked as |X~ c|^2 in integer arithmetic."""
    D, P = Xt.nrows(), Xt.ncols()
    cs = cell_set(Xt)
    xi, dx = int_scale(Xt.entries())
    Xi = flint.fmpz_mat(D, P, xi)
    li, dl = int_scale(lam.entries())
    # alpha |w|^2 compared with |X~ c|^2 = |Xi ci|^2 / (dx dl)^2
    rhs = int(alpha.p) * (dx * dl) ** 2
    den = int(alpha.q)
    Xf = np.array([[float(Xt[i, j]) for j in range(P)] for i in range(D)])
    K = Xf.T @ Xf
    R = low_rank_factor(K)
    lam_f = np.array([float(v) for v in lam.entries()])
    li_obj = np.array(li, dtype=object)
    checked = 0
    for idx in cs.index_batches():
        F = cs.masks(idx)
        for sigma in (1, -1):
            c = cell_qp(K, F, lam_f, float(sigma), R)
            # exact: integers on the grid 1/dl, clamped into the box
            ci = np.array([[int(v) for v in row] for row in np.round(c * float(dl))], dtype=object) \
                if dl < 2 ** 1000 else None
            if ci is None:
                raise ValueError("dual point has denominators beyond 2^1000: cannot scale")
            lo = sigma * li_obj
            ci = np.where(F, np.maximum(ci, lo[None, :]), np.minimum(ci, 0))
            n = ci.shape[0]
            Z = Xi * flint.fmpz_mat(P, n, [int(v) for v in ci.T.ravel()])
            Zo = np.array(Z.entries(), dtype=object).reshape(D, n)
            sq = (Zo * Zo).sum(axis=0)
            bad = np.flatnonzero(sq * den > rhs)
            checked += n
            if bad.size:
                j = int(bad[np.argmax([sq[k] for k in bad])])
                return _witness(Xt, lam, alpha, [flint.fmpq(int(v), dl) for v in ci[j]], checked)
    return CellCheck(True, checked)


def _witness(Xt, lam, alpha, c, checked) -> CellCheck:
    """Evaluate (*) exactly at w = X~ c; a negative margin is an exact counterexample."""
    P = Xt.ncols()
    w = Xt * flint.fmpq_mat(P, 1, c)
    h = Xt.transpose() * w
    r = sum((lam[0, i] * h[i, 0] for i in range(P) if h[i, 0] > 0), flint.fmpq(0))
    margin = alpha * sum((v * v for v in w.entries()), flint.fmpq(0)) - r * r
    if margin < 0:
        return CellCheck(False, checked, [h[i, 0] for i in range(P)], margin)
    return CellCheck(False, checked)
