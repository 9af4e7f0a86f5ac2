r"""Exact enumeration of the cells of a central hyperplane arrangement (the data's firing sets).

The cell decomposition of :mod:`numeric.solver.cells` splits input-weight space R^D by the P
hyperplanes x~_i^T w = 0. When the data have rank r < P most of the 2^P sign vectors are empty
cells: a central arrangement of P hyperplanes of rank r has at most

    N(P, r) = 2 sum_{k=0}^{r-1} C(P-1, k)

cells (Cover 1965 / Zaslavsky 1975; equality in general position), e.g. 3882 instead of 65536
for P = 16 points in R^4 with a bias, 22352 instead of 2^150 for P = 150 points in the plane.
This module lists exactly the non-empty cells, in integer arithmetic, so the cell checks cost
N(P, r) box QPs instead of 2^P and P is no longer limited by 2^P.

Algorithm (derived here)
------------------------
Let V (P x D) hold the data vectors as integer rows (each row scaled by a positive integer:
signs are unchanged). Reduce to the rank: pick r independent rows B and r columns on which B is
invertible; every row is v_j = a_j B with rational a_j, and z = B w runs over all of R^r, so the
sign vectors of V w are those of U z with U = [a_j] (rows scaled to integers). Now U has rank r
in R^r:

* r = 1: the two cells sign(U) and -sign(U);
* r >= 2: every cell is a pointed open cone, its closure has an extreme ray, and every extreme
  ray is a one-dimensional flat: the null line n of some r - 1 independent rows. The cells whose
  closure contains n are exactly sign(U n) on the rows with U_j n != 0, completed on the zero
  set Z(n) by any cell of the arrangement of the rows U_Z (signs of U_Z v for w = n + eps v).
  So the cells are the union over all null lines +-n of these completions; the rows U_Z have
  rank r - 1 (recursion), and in general position |Z| = r - 1 independent rows give all
  2^(r-1) completions.

Every sign is decided exactly: null lines are integer vectors (fmpz nullspace), the products
U n are integer matrix products (python-flint). Zero rows of V (a zero data vector never fires)
get the sign -1. The result is exact for any data (degenerate, repeated or parallel points).

Cost: C(P, r-1) null lines and one integer product; in general position each cell is produced
once per extreme ray (~r times) before de-duplication. ``max_cells`` stops the enumeration with a
ValueError when N(P, r) is too large to be useful.
"""
from __future__ import annotations

import itertools
import math

import flint
import numpy as np

#: refuse arrangements whose generic cell count N(P, r) exceeds this (each cell is a box QP).
MAX_CELLS = 1 << 20


def generic_count(P: int, r: int) -> int:
    """N(P, r) = 2 sum_{k<r} C(P-1, k): the number of cells of P central hyperplanes of rank r
    in general position (an upper bound for every central arrangement of rank r)."""
    if P < 0 or r < 0 or r > P:
        raise ValueError(f"need 0 <= r <= P; got P = {P}, r = {r}")
    if r == 0:
        return 1
    return 2 * sum(math.comb(P - 1, k) for k in range(r))


def integer_rows(Xt) -> list[list[int]]:
    """The columns of X~ (D x P; fmpq_mat or float array) as integer row vectors, each scaled by
    a positive factor (exactly; float entries enter as the dyadic rationals they are)."""
    if isinstance(Xt, flint.fmpq_mat):
        D, P = Xt.nrows(), Xt.ncols()
        cols = [[Xt[i, j] for i in range(D)] for j in range(P)]
    else:
        A = np.asarray(Xt, dtype=float)
        if not np.all(np.isfinite(A)):
            raise ValueError("`Xt` must be finite")
        cols = [[flint.fmpq(*v.as_integer_ratio()) for v in A[:, j]] for j in range(A.shape[1])]
    return [_primitive(col) for col in cols]


def _primitive(vals) -> list[int]:
    den = 1
    for v in vals:
        den = math.lcm(den, int(v.q))
    ints = [int(v.p) * (den // int(v.q)) for v in vals]
    g = math.gcd(*ints) if any(ints) else 1
    return [x // g for x in ints]


def cells(rows: list[list[int]], *, max_cells: int = MAX_CELLS) -> np.ndarray:
    """Sign vectors (n x P, int8 in {+1, -1}) of all non-empty cells of the central arrangement
    with normal vectors ``rows`` (P integer vectors of one length D), sorted lexicographically."""
    P = len(rows)
    if P == 0:
        return np.zeros((1, 0), dtype=np.int8)
    nz = [j for j, v in enumerate(rows) if any(v)]
    out_full = -np.ones((1, P), dtype=np.int8)
    if not nz:
        return out_full
    V = flint.fmpz_mat([rows[j] for j in nz])
    r = V.rank()
    bound = generic_count(len(nz), r)
    if bound > max_cells:
        raise ValueError(f"the arrangement has up to {bound} cells (P = {len(nz)} non-zero data "
                         f"vectors of rank {r}); `max_cells` is {max_cells}")
    S = _cells_full_rank(_reduce(V, r))
    out = -np.ones((S.shape[0], P), dtype=np.int8)
    out[:, nz] = S
    return np.unique(out, axis=0)


def masks(Xt, *, max_cells: int = MAX_CELLS) -> np.ndarray:
    """Boolean firing masks (n x P) of the non-empty cells of the data X~ (D x P)."""
    return cells(integer_rows(Xt), max_cells=max_cells) > 0


# ------------------------------------------------------------------------------------ internals

def _reduce(V: flint.fmpz_mat, r: int) -> list[list[int]]:
    """Rows a_j (integer, primitive) with v_j = a_j B for r independent rows B of V (rank r)."""
    m, D = V.nrows(), V.ncols()
    basis: list[int] = []
    for j in range(m):
        trial = flint.fmpz_mat([[V[i, k] for k in range(D)] for i in basis + [j]])
        if trial.rank() == len(basis) + 1:
            basis.append(j)
            if len(basis) == r:
                break
    B = flint.fmpz_mat([[V[i, k] for k in range(D)] for i in basis])
    cols: list[int] = []
    for k in range(D):
        trial = flint.fmpz_mat([[B[i, c] for c in cols + [k]] for i in range(r)])
        if trial.rank() == len(cols) + 1:
            cols.append(k)
            if len(cols) == r:
                break
    Bc = flint.fmpq_mat(flint.fmpz_mat([[B[i, c] for c in cols] for i in range(r)]))
    Vc = flint.fmpq_mat(flint.fmpz_mat([[V[j, c] for c in cols] for j in range(m)]))
    A = Vc * Bc.inv()                                  # m x r, rows a_j with v_j[cols] = a_j Bc
    return [_primitive([A[j, k] for k in range(r)]) for j in range(m)]


def _cells_full_rank(U: list[list[int]]) -> np.ndarray:
    """Cells of the arrangement of the rows of U (m x r integer, rank r, no zero row)."""
    m, r = len(U), len(U[0])
    if r == 1:
        s = np.array([1 if row[0] > 0 else -1 for row in U], dtype=np.int8)
        return np.vstack([s, -s])
    Um = flint.fmpz_mat(U)
    lines: dict[tuple, list[int]] = {}
    for sub in itertools.combinations(range(m), r - 1):
        N, nullity = flint.fmpz_mat([U[j] for j in sub]).nullspace()
        if nullity != 1:
            continue
        n = [int(N[k, 0]) for k in range(r)]
        g = math.gcd(*n)
        n = [x // g for x in n]
        if next(x for x in n if x) < 0:
            n = [-x for x in n]
        lines.setdefault(tuple(n), n)
    if not lines:
        raise ValueError("no null line found for a rank-r arrangement (internal error)")
    Nm = flint.fmpz_mat([list(col) for col in zip(*lines.values())])      # r x L
    prod = Um * Nm                                                          # m x L, exact
    L = Nm.ncols()
    sgn = np.array([(1 if v > 0 else (-1 if v < 0 else 0)) for v in prod.entries()],
                   dtype=np.int8).reshape(m, L)
    return completions(sgn.T, r - 1, lambda Z: [U[j] for j in Z])


def completions(base: np.ndarray, d: int, local_rows) -> np.ndarray:
    """The cells (sign rows, int8 +-1, distinct, sorted lexicographically with -1 < +1) whose
    closure contains one of the rays +-n.

    ``base`` (l x m, int8) holds the rays' signs sign(U n) on the m hyperplanes of a rank-(d + 1)
    arrangement, 0 on the hyperplanes through n. The cells at +-n keep the signs +-base off the
    zero set Z and, on Z, take every cell of the local arrangement of the rows U_Z (rank d):
    every orthant when |Z| = d (independent rows, general position), else the exact cells of
    ``local_rows(Z)`` (the integer rows U_j, j in Z), cached per zero set."""
    base = np.asarray(base, dtype=np.int8)
    m = base.shape[1]
    zeros = (base == 0).sum(axis=1)
    keys = [np.zeros((0, (m + 7) // 8), dtype=np.uint8)]
    gen = np.flatnonzero(zeros == d)
    orth = _orthants(d)
    for start in range(0, gen.size, CHUNK):
        rows = base[gen[start:start + CHUNK]]                       # l x m
        Zidx = np.argsort(rows != 0, axis=1, kind="stable")[:, :d]  # the zero positions
        for sign in (1, -1):
            R = np.repeat((sign * rows)[:, None, :], orth.shape[0], axis=1)
            R[np.arange(rows.shape[0])[:, None, None], np.arange(orth.shape[0])[None, :, None],
              Zidx[:, None, :]] = orth[None, :, :]
            keys.append(_pack(R.reshape(-1, m)))
    # degenerate rays (more than d hyperplanes through n): the local arrangement's cells
    local_cache: dict[tuple, np.ndarray] = {}
    for ell in np.flatnonzero(zeros != d):
        col = base[ell]
        Z = np.flatnonzero(col == 0)
        key = tuple(Z)
        if key not in local_cache:
            local_cache[key] = _local_cells(local_rows(Z))
        T = local_cache[key]
        for sign in (1, -1):
            block = np.repeat((sign * col)[None, :], T.shape[0], axis=0)
            block[:, Z] = T
            keys.append(_pack(block))
    return _unpack(_unique_rows(np.concatenate(keys)), m)


#: null lines processed per vectorised block (memory ~ CHUNK 2^(r-1) P bytes).
CHUNK = 4096


def _orthants(k: int) -> np.ndarray:
    return (1 - 2 * ((np.arange(2 ** k)[:, None] >> np.arange(k)) & 1)).astype(np.int8)


def _pack(S: np.ndarray) -> np.ndarray:
    """Rows of signs as rows of bytes (n x ceil(m / 8) uint8; bit set = +1, first column in the
    top bit), so that byte order is the lexicographic order of the signs (-1 < +1)."""
    return np.packbits(S > 0, axis=1)


def _unique_rows(b: np.ndarray) -> np.ndarray:
    """The distinct rows of a uint8 matrix, sorted lexicographically (as 64-bit big-endian
    integers when a row fits in 8 bytes, else as raw bytes)."""
    n, nb = b.shape
    if nb <= 8:
        w = np.zeros((n, 8), dtype=np.uint8)
        w[:, :nb] = b
        u = np.unique(w.view(">u8").ravel())
        return u.astype(">u8").view(np.uint8).reshape(-1, 8)[:, :nb]
    b = np.ascontiguousarray(b)
    u = np.unique(b.view(np.dtype((np.void, nb))).ravel())
    return u.view(np.uint8).reshape(-1, nb)


def _unpack(b: np.ndarray, m: int) -> np.ndarray:
    return 2 * np.unpackbits(b, axis=1)[:, :m].astype(np.int8) - 1


def direction(row: list[int]) -> tuple[tuple, int]:
    """A non-zero integer vector up to scaling: (its primitive multiple with the first non-zero
    entry positive, the sign +-1 that maps that back to the direction of ``row``)."""
    g = math.gcd(*row)
    if next(x for x in row if x) < 0:
        g = -g
    return tuple(x // g for x in row), (1 if g > 0 else -1)


def _local_cells(rows: list[list[int]]) -> np.ndarray:
    """All cells of the (lower-rank) arrangement of ``rows`` (non-zero integer vectors).
    Parallel rows (repeated or collinear data) are one hyperplane: its cells are computed once
    and each row takes its representative's signs, negated for an opposite direction."""
    k = len(rows)
    if k == 0:
        return np.zeros((1, 0), dtype=np.int8)
    reps: dict[tuple, int] = {}
    which, flip = [], []
    for row in rows:
        d, sign = direction(row)
        which.append(reps.setdefault(d, len(reps)))
        flip.append(sign)
    if len(reps) < k:
        T = _local_cells([list(d) for d in reps])
        return T[:, which] * np.array(flip, dtype=np.int8)
    M = flint.fmpz_mat(rows)
    rank = M.rank()
    if rank == k:                                # independent: every orthant is a cell
        return _orthants(k)
    return _cells_full_rank(_reduce(M, rank))
