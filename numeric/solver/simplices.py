r"""Three to five outputs (dY = 3 .. MAX_DY; dY = 2 on singular inputs, :func:`handles`; five
outputs where :func:`prefers_fan`): the cell bound on a fan of simplicial cones of directions.

Math (derived here; the dY = 2 case is :mod:`numeric.solver.sectors`)
----------------------------------------------------------------------
On the cell C_F (firing set F) the cone condition reads |Lambda D_F X~^T w|^2 <= alpha |w|^2.
Write v = Lambda D_F X~^T w in R^d (d = dY); |v| = max over unit u of u^T v, and a direction
u = v/|v| lies in some cone of a family of simplicial cones covering R^d. On a cone
cone(r_1, .., r_d) (rays r_k, the rows of R, linearly independent) let C be a P x d matrix with
c(u) = C u in the box

    c_i(u) >= (Lambda^T u)_i  (i in F),        c_i(u) <= 0  (i not in F)                   (box)

at every ray (the conditions are linear in u, so they then hold on the whole cone). As for
d = 1, 2,

    u^T v = (Lambda^T u)^T D_F X~^T w <= (X~ C u)^T w <= sqrt(u^T C^T K C u) |w|,

and if the d x d form T = R (alpha I - C^T K C) R^T is *copositive* (u = R^T a, a >= 0) this is
<= sqrt(alpha) |u| |w|. A cell is certified by cones covering R^d, each with such a C; or at once
when alpha I - Lambda_F K_FF Lambda_F^T is positive semidefinite (C = D_F Lambda^T).

Covering, exactly. The cones start as the 2^d orthants (rays +-e_k). A cone is split at a point
m = q r_i + p r_j (p, q positive integers) of an edge into the two cones with r_i, respectively
r_j, replaced by m; every a >= 0 combination of the parent's rays is one of a child's
(x = sum a_k r_k: if a_i/q >= a_j/p then x = (a_j/p) m + (a_i - q a_j/p) r_i + ..., in the cone
with r_j replaced), so the leaves cover R^d *by construction*. Rays are exact Python integers
(p, q from the float split point, rounded down to a few significant bits), so no rounding
enters the covering; the exact check uses the same integers.

Copositivity of T, exactly: the order-free Cottle-Habetler-Lemke test of
:mod:`numeric.solver.copositive` -- T is not copositive iff some principal block T_JJ is
invertible with T_JJ^{-1} <= 0 entrywise -- over the 2^d - 1 blocks, decided from integer
determinants and adjugates (the same code runs in float for the construction).

Box points on a cone are given by their values c_k at the rays (column k of Cv):
c(u) = sum_k a_k c_k for u = sum_k a_k r_k. Clamped into the box at every ray, they are in the
box on the whole cone (the box moves linearly with u), and the form in the coefficients
a >= 0 is T = alpha R R^T - Cv^T K Cv.

Construction (float): first the values of the linear box point that is optimal on the active
set of the cone's centre (:func:`numeric.solver.sectors.fit`: exact on the whole active-set
region, so tight directions inside a region need no refinement); where that fails, the box
optima at the rays themselves (convex interpolation: no active set, so it works across
switching planes; near a tight direction the cones must be small). A cone that fails both is
split -- at the switching plane of the centre's most violated free coordinate (moved by NUDGE
into its free side) when that crosses an edge away from its ends, else at the midpoint of the
longest edge. The exact check rounds the values to the dual's grid, clamps them into the box
at the integer rays in integers and decides T's copositivity.

Reuse (:func:`certify`'s ``hint``): the certificate's dual point is the solver's last one,
rounded and shrunk by ~2^-44, so the fan of the solver's last exhaustive pricing proves it too
once its vertex values are rescaled (box points are linear in Lambda). Each reused cone is
tested exactly as a fresh one; a cell with a failing cone is rebuilt whole, so every cell's
cones still come from one construction (the cover rests on the construction, as for a fresh
fan; the re-verification never uses a hint). Measured: ``benchmarks/solver/fan_reuse.py``.

Memory: the cones of a cell depend on that cell alone, so a fan is built part by part
(:func:`parts`, CHUNK_CELLS cells each): the pricing keeps the candidates of each part and the
whole fan only up to MAX_KEPT_CONES cones (for the certificate's reuse); the certificate checks
a fresh fan part by part. Five outputs at P = 14 took 3.3 M cones (6.0 GB peak as one fan); at
P = 16, 6.8 M cones in parts, 4.0 GB peak.

Failure modes: a tight direction on a switching plane, or a dual point that is not feasible,
leaves cones undecided after :func:`max_depth` splits (or rays beyond RAY_BITS bits); the check
then fails -- never a wrong certificate -- and reports the best ray pattern as an exact witness
when it violates the cone condition. Cost: ~2^d cones per non-PSD cell and 2^d - 1 exact blocks
per cone; d <= MAX_DY. Measured cones per cell (random full-rank data at the optimum): four
outputs ~70 at P = 8, ~40 at P = 12, ~32 at P = 16; five outputs ~260 at P = 8, ~165 at P = 10,
~235 at P = 12. Memory grows with them (~1.8 GB peak for five outputs at P = 12).
"""
from __future__ import annotations

import contextlib

import itertools
import math

import flint
import numpy as np

from numeric.solver import faces, fan_hint
from numeric.solver.cells import (BATCH, CellCheck, CellSet, cell_qp, cell_set, int_scale,
                                  low_rank_factor)
from numeric.solver.float_filter import cone_filter, exact_data_floats
from numeric.solver.rowforms import gram_stack
from numeric.solver.sectors import VIOLATION_REL, FanPricing, _failed, fit, slack

#: largest number of outputs handled (2^d orthants, 2^d - 1 copositivity blocks per cone).
MAX_DY = 5
#: splits allowed per cone before its cell counts as not certified, for d <= 4; doubled per
#: output beyond (:func:`max_depth`).
MAX_DEPTH = 40
#: five outputs on full-rank inputs: the 3^P signed supports are faster up to this P (measured,
#: :func:`prefers_fan`).
SIGNED_FASTER_P = 16
#: two to four outputs on full-rank inputs: the 3^P signed supports up to this P (by number of
#: outputs), the fans beyond (measured with the tree walk and the Newton box polish,
#: :func:`prefers_fan`).
SMALL_DY_SIGNED_P = {2: 14, 3: 14, 4: 16}
#: ... and only while cond(K_X) is at most this (NaN: the fans). Until 2026-11-27 this was 1e5:
#: the signed route then lost ill-conditioned inputs (two to four outputs, P = 10: 2e-13 at
#: cond 2.8e5, mostly unconverged from 9.1e5 and uncertified at 7.2e7). The causes were the
#: certificate's 60-bit rounding of K_X^-1 (now :func:`numeric.solver.certificate.cost_round_bits`),
#: float-noise violations taken as columns (now confirmed first, relu.RESOLVE_SIGNED) and the
#: pattern-space polish beyond cond ~1e8 (relu.SIGNED_WEIGHT_POLISH_COND). Since then (measured,
#: ``benchmarks/solver/signed_conditioning.py`` and benchmarks/solver/README.md): every one of
#: 24 instances with two to four outputs at P = 10, cond 2.9e4 .. 7.2e7, certified at
#: 5.1-5.6e-14 on the signed supports in 0.19-1.28x the fans' time (fans: 1.0-1.1e-13), and 15
#: of 15 at cond 8.8e8 .. 1.1e11 (2-4 outputs, 4.1e-14 .. 1.9e-13), where the fans failed 3 of
#: the 5 two-output instances. So no limit.
SIGNED_MAX_COND = float("inf")
#: cones tried per non-PSD cell before the construction gives up (d <= 4; doubled per output
#: beyond, as :func:`max_depth`).
MAX_CONES_PER_CELL = 512
#: cones tried beyond MAX_CONES_PER_CELL per cell, for tight cells built alone (a rebuild of a
#: reused fan's failing cells): with five outputs (P = 8, seed 51 of the tests) one tight cell
#: took 2 720 tries alone, against a per-cell budget of 1 024, and the largest cell of that fan
#: kept 3 353 cones.
BUDGET_SLACK = 16_384
#: cells per part when a fan is built part by part (:func:`parts`: bounded memory).
CHUNK_CELLS = 4096
#: the pricing keeps its fan for the certificate (:attr:`FanPricing.fan`) up to this many cones;
#: beyond, it keeps none and the certificate builds its own, part by part. Five outputs at
#: P = 14 took 3.3 M cones (~1.8 kB each with their vertex values and integer rays).
MAX_KEPT_CONES = 3_000_000
#: rays are exact integers; a cone whose new ray would need more bits counts as undecided.
RAY_BITS = 4000
#: relative move of a switching-plane split point into the side where the coordinate is free.
NUDGE = 1e-9
#: a switching plane this close (edge fraction) to a ray is not split at (a sliver): bisect.
SLIVER = 0.02
#: significant bits of a switching-plane split point's coefficient (its direction to ~2^-40).
SPLIT_BITS = 40
_TO_INT = np.frompyfunc(int, 1, 1)
_BITS = np.frompyfunc(lambda v: abs(v).bit_length(), 1, 1)
_GCD = np.frompyfunc(math.gcd, 2, 1)
_ISQRT = np.frompyfunc(math.isqrt, 1, 1)


def handles(dY: int, full_rank: bool) -> bool:
    """Whether the fan of an instance with dY outputs is this module's (else the sectors of
    :mod:`numeric.solver.sectors`): three or more outputs, and two outputs on singular inputs.

    Two outputs, rank < P: the sector fan's linear box points (one active set per sector) leave
    tight directions undecided when the optimum's atoms sit on many cell faces, as they do on
    low-rank data -- measured on rank 3, P = 24: the sector fan left 8 tight sectors undecided in
    every round and the solve stopped at a 1.8e-3 gap; this fan (ray-interpolated box points where
    the active set fails) proves a 6.7e-12 bracket on the same instance (150 s, stalled at the
    float floor; 1-d inputs, P = 30 and 60: certified to 3.1e-13 and 8.1e-13)."""
    return dY >= 3 or (dY == 2 and not full_rank)


def prefers_fan(dY: int, P: int, full_rank: bool, rank: int | None = None,
                cond: float | None = None) -> bool:
    """Whether the solver and the certificate price and check an instance on the cell fans
    (this module's or :mod:`numeric.solver.sectors`') rather than over the 3^P signed supports.

    Two to four outputs: on singular inputs, and on full-rank inputs beyond
    ``SMALL_DY_SIGNED_P[dY]`` samples or with cond(K_X) above ``SIGNED_MAX_COND`` (``cond``; not
    given: not checked). Measured with the tree walk and the Newton box polish
    (``benchmarks/solver/signed_or_fans.py``, solve + certificate, signed / fans): 0.60, 0.52,
    0.17 for two, three, four outputs at P = 12; 1.02, 0.64, 0.39 at P = 14; 0.70 for four at
    P = 16, where the signed route also re-verifies 6x faster (25 s against 157 s) and brackets
    tighter (5-6e-14 against 1.1-1.2e-13). (Before the Newton polish: 0.31-0.79 at P = 12, but
    1.47 and 1.95 for two and three outputs at P = 14 and 1.16 for four at P = 16.) On
    ill-conditioned inputs the signed route certifies too, since 2026-11-27 (``SIGNED_MAX_COND``:
    every measured instance up to cond 1.1e11, at ~5e-14). ``fans_on_full_rank()`` restores the
    fans for a block of code.

    Five outputs: on singular inputs (only the non-empty cells of the arrangement, few when the
    rank is low), and on full-rank inputs beyond SIGNED_FASTER_P samples. Measured (``benchmarks/solver/five_outputs.py``, one thread, random data,
    lam1 = lam2 = 0.05, solve + certificate, every bracket <= 4.4e-13), before the binary64
    filter of the signed check: signed supports / fans = 1.7 / 11.9 s at P = 8, 24 / 33 s at
    P = 10, 195 / 84 s at P = 11, 386 / 215 s at P = 12. With the filter
    (:mod:`numeric.solver.signed_filter`) and the screened signed pricing the signed supports
    took 54 s at P = 12, 163 s at P = 14 and 17.6 min at P = 16 (fans: 215 s, 1 223 s and
    37 min; peak memory 0.25 GB against 4.0 GB at P = 16), and walked as a tree
    (:mod:`numeric.solver.signed_tree`) 137 + 27 s at P = 16, so up to the signed check's limit
    (P = 16) they are used; the fans from P = 17 (to 18). Five labels on 30 points of a line: no
    certificate over signed supports (P > 16), 95 s on the fans of the 60 non-empty cells.

    Singular inputs with at least ``faces.PREFERRED_DY_MIN`` outputs (default 2) go to the faces
    of the arrangement (:mod:`numeric.solver.faces`) instead: six or more always, three to five
    when ``rank`` is given and the arrangement has at most ``faces.PREFERRED_MAX_FACES`` faces,
    two up to ``faces.MAX_FACES`` (generic count; measured in ``benchmarks/solver/faces.py``);
    raising PREFERRED_DY_MIN to 6 restores the fans for two to five outputs."""
    limit = faces.MAX_FACES if dY == 2 else faces.PREFERRED_MAX_FACES
    if not full_rank and dY >= faces.PREFERRED_DY_MIN and (
            dY > MAX_DY or rank is None or faces.generic_face_count(P, rank) <= limit):
        return False
    if 2 <= dY <= 4:
        return (not full_rank or P > SMALL_DY_SIGNED_P[dY]
                or (cond is not None and not cond <= SIGNED_MAX_COND))
    return dY == MAX_DY and (not full_rank or P > SIGNED_FASTER_P)


@contextlib.contextmanager
def fans_on_full_rank():
    """Within this block, two to five outputs on full-rank inputs go to the cell fans at every P
    (solver and certificate alike), instead of the 3^P signed supports that :func:`prefers_fan`
    takes for them up to ``SMALL_DY_SIGNED_P`` / ``SIGNED_FASTER_P`` samples. For a cross-check of
    the two routes, or to see the fans at work on a small instance."""
    global SMALL_DY_SIGNED_P, SIGNED_FASTER_P
    saved = SMALL_DY_SIGNED_P, SIGNED_FASTER_P
    SMALL_DY_SIGNED_P, SIGNED_FASTER_P = {2: 0, 3: 0, 4: 0}, 0
    try:
        yield
    finally:
        SMALL_DY_SIGNED_P, SIGNED_FASTER_P = saved


def max_depth(d: int) -> int:
    """Splits allowed per cone with d outputs: MAX_DEPTH for d <= 4, doubled per output beyond.
    A split halves one of the d(d - 1)/2 edges, so shrinking every edge alike takes ~d^2/2 times
    more splits. Measured, five outputs, P = 8 (seed 51): at depth 40 tight cones stay undecided
    and the certificate needs a 2^-20 shrink (bracket 9.5e-7); at 80 it closes at 2^-44 (1.1e-13)."""
    return MAX_DEPTH * 2 ** max(d - 4, 0)


class SimplexFan:
    """Accepted cones (cell index, integer rays, vertex values Cv), PSD cells, undecided cones
    (``failed``) and cones whose ray pattern violates the condition (``violations``)."""

    def __init__(self, cells: CellSet, d: int):
        self.cells, self.d = cells, d
        self.cell = np.zeros(0, np.int64)
        self.rays = np.zeros((0, d, d), dtype=object)
        self.Cv = np.zeros((0, 0, d))    # (n, P, d) box point at unit ray k, column k
        self.psd = np.zeros(0, np.int64)
        self.failed, self.violations, self.tried = [], [], 0
        self.exhausted = False           # the budget ran out: cones in flight were dropped
        self.R = None                    # factor of K when singular (cells.low_rank_factor)
        self.lam = None                  # the float dual point the fan was built for
        self.scale = 1.0                 # factor on Cv (a reused fan, without copying Cv)


def orthant_cones(d: int) -> np.ndarray:
    """The 2^d orthant cones as integer rays (2^d x d x d object array, row k = +-e_k)."""
    S = np.array(list(itertools.product((1, -1), repeat=d)), dtype=object)
    return S[:, :, None] * np.eye(d, dtype=int).astype(object)[None]


def _det(A):
    """Determinants of a stack (n x m x m) of float or integer (object) matrices, Laplace."""
    m = A.shape[1]
    if m == 1:
        return A[:, 0, 0]
    if m == 2:
        return A[:, 0, 0] * A[:, 1, 1] - A[:, 0, 1] * A[:, 1, 0]
    out = 0
    for j in range(m):
        cols = [k for k in range(m) if k != j]
        term = A[:, 0, j] * _det(A[:, 1:][:, :, cols])
        out = out + term if j % 2 == 0 else out - term
    return out


def _adjugate(A):
    m = A.shape[1]
    if m == 1:
        return np.ones_like(A)
    adj = np.empty_like(A)
    for i in range(m):
        for j in range(m):
            rows = [k for k in range(m) if k != j]
            cols = [k for k in range(m) if k != i]
            c = _det(A[:, rows][:, :, cols])
            adj[:, i, j] = c if (i + j) % 2 == 0 else -c
    return adj


def copositive(T: np.ndarray) -> np.ndarray:
    """Copositivity of each d x d matrix of the stack T (n x d x d): exact for integer (object)
    entries, a float test otherwise. Not copositive iff some principal block is invertible with
    an entrywise non-positive inverse (Cottle-Habetler-Lemke, Hadeler 1983). Shortcuts, each a
    proof: diagonal dominance (:func:`_dominant`), blocks with a non-negative row skipped and one
    exact cofactor per block (:func:`_chl`, :func:`_ruled_out`)."""
    n, d, _ = T.shape
    ok = _dominant(T)
    rest = np.flatnonzero(~ok)
    if len(rest):
        ok[rest] = _chl(T[rest])
    return ok


def _dominant(T: np.ndarray) -> np.ndarray:
    """Cheap sufficient test: T_ii >= sum_{j != i} max(-T_ij, 0) for every i. Then for x >= 0,
    x^T T x >= sum_i x_i^2 (T_ii - sum_{j != i} max(-T_ij, 0)) >= 0 (2 x_i x_j <= x_i^2 + x_j^2
    on the negative entries, T symmetric), so T is copositive. Integer sums only."""
    n, d, _ = T.shape
    ok = np.ones(n, dtype=bool)
    for i in range(d):
        s = T[:, i, i]
        for j in range(d):
            if j != i:
                s = s + np.minimum(T[:, i, j], 0)
        ok &= np.asarray(s >= 0, dtype=bool)
    return ok


def _chl(T: np.ndarray) -> np.ndarray:
    """The Cottle-Habetler-Lemke decision of :func:`copositive` on every principal block.

    A block J can only be a witness (T_JJ^{-1} <= 0, so x = -T_JJ^{-1} 1 >= 0 has T_JJ x = -1)
    if every row of T_JJ has a negative entry; blocks with a non-negative row are skipped
    (exact sign tests, no determinants)."""
    n, d, _ = T.shape
    bad = np.zeros(n, dtype=bool)
    neg = np.asarray(T < 0, dtype=bool)
    for size in range(1, d + 1):
        for J in itertools.combinations(range(d), size):
            rows = np.flatnonzero(neg[:, J][:, :, J].any(axis=2).all(axis=1) & ~bad)
            if not len(rows):
                continue
            B = T[rows][:, J][:, :, J]
            det = _det(B)
            if size >= 2 and B.dtype == object:
                # one cofactor of the sign that rules J out, picked in float, decided exactly
                keep = ~_ruled_out(B, det)
                rows, B, det = rows[keep], B[keep], det[keep]
                if not len(rows):
                    continue
            adj = _adjugate(B)
            pos = np.asarray(det > 0, dtype=bool)
            dneg = np.asarray(det < 0, dtype=bool)
            le = np.asarray(adj <= 0, dtype=bool).all(axis=(1, 2))
            ge = np.asarray(adj >= 0, dtype=bool).all(axis=(1, 2))
            bad[rows] |= (pos & le) | (dneg & ge)
    return ~bad


def _ruled_out(B: np.ndarray, det: np.ndarray) -> np.ndarray:
    """Rows of the integer stack B (n x m x m, exact determinants ``det``) proven not to be CHL
    witnesses: det = 0, or one entry of sign(det) adj(B) is > 0 (then B^{-1} has a positive
    entry). The entry is the float estimate's largest; its cofactor is then computed exactly, so
    a wrong float guess only leaves the row to the full test."""
    n, m, _ = B.shape
    out = np.asarray(det == 0, dtype=bool)
    shift = np.maximum(np.asarray(_BITS(B), dtype=int).max(axis=(1, 2)) - 60, 0)
    Bf = np.asarray(B >> shift[:, None, None], dtype=float)
    sgn = np.sign(np.asarray(det > 0, dtype=float) - 0.5)
    score = sgn[:, None, None] * _adjugate(Bf)
    flat = np.argmax(score.reshape(n, m * m), axis=1)
    for f in np.unique(flat):
        sel = np.flatnonzero((flat == f) & ~out)
        if not len(sel):
            continue
        i, j = divmod(int(f), m)
        # adj[i, j] = (-1)^(i+j) det of B without row j and column i
        r = [k for k in range(m) if k != j]
        c = [k for k in range(m) if k != i]
        cof = _det(B[sel][:, r][:, :, c])
        cof = cof if (i + j) % 2 == 0 else -cof
        pos = sgn[sel] > 0
        out[sel] |= np.where(pos, np.asarray(cof > 0, dtype=bool), np.asarray(cof < 0, dtype=bool))
    return out


def psd(H: np.ndarray) -> np.ndarray:
    """Positive semidefiniteness of each matrix of the stack H (n x d x d): every principal
    minor >= 0 (exact for integer entries)."""
    n, d, _ = H.shape
    ok = np.ones(n, dtype=bool)
    for size in range(1, d + 1):
        for J in itertools.combinations(range(d), size):
            ok &= np.asarray(_det(H[:, J][:, :, J]) >= 0, dtype=bool)
    return ok


def _scaled(R):
    """Integer rays (object arrays of any size) as floats shifted down by 2^shift to ~62 bits
    (direction kept to ~2^-60), and the shifts (n x d)."""
    if R.dtype != object or not R.size:
        return np.asarray(R, dtype=float), np.zeros(R.shape[:2], dtype=int)
    shift = np.maximum(np.asarray(_BITS(R), dtype=int).max(axis=2) - 62, 0)
    return np.asarray(R >> shift[:, :, None], dtype=float), shift


def _unit(R):
    """Float unit rays of a stack of integer rays."""
    Rf, _ = _scaled(R)
    return Rf / np.linalg.norm(Rf, axis=2, keepdims=True)


def _log2norm(R):
    Rf, shift = _scaled(R)
    return np.log2(np.linalg.norm(Rf, axis=2)) + shift


def _split(R: np.ndarray, U: np.ndarray, ln: np.ndarray, S0: np.ndarray, free0: np.ndarray):
    """Split each cone (integer rays R, their unit rays U and log2 norms ln) in two at a point
    m = q r_a + p r_b of an edge (exact integers). Where a coordinate free at the centre leaves
    its box inside the cone (slacks S0, d x n x P, of the centre's fit), at the edge point where
    its slack crosses 0, moved by NUDGE into the side where it stays free; otherwise at the
    midpoint of the longest edge. Returns the two children as (rays, unit rays, log2 norms,
    position of the new ray) -- the float data of the new ray only are computed, the others are
    the parent's -- and a mask of cones whose new ray exceeds RAY_BITS."""
    n, d, _ = R.shape
    rows = np.arange(n)
    # longest edge, midpoint: m ~ r_i/|r_i| + r_j/|r_j| = (r_i + rho r_j)/|r_i|, rho = |r_i|/|r_j|
    cos = np.einsum("nid,njd->nij", U, U)
    cos[:, np.arange(d), np.arange(d)] = 2.0
    flat = np.argmin(cos.reshape(n, -1), axis=1)
    a, b = flat // d, flat % d
    t = np.full(n, 0.5)
    # switching plane of the most violated free coordinate, where its slack changes sign
    smin = np.where(free0, S0.min(axis=0), np.inf)
    i = np.argmin(smin, axis=1)
    si = S0[:, rows, i].T                                     # (n, d) slack of i at each ray
    ka, kb = np.argmax(si, axis=1), np.argmin(si, axis=1)
    sa, sb = si[rows, ka], si[rows, kb]
    cross = (smin[rows, i] < 0) & (sa > 0)
    tc = np.where(cross, sa / np.where(cross, sa - sb, 1.0), 0.5) * (1 - NUDGE)
    use = cross & (tc > SLIVER) & (tc < 1 - SLIVER)        # (no slivers: bisect instead)
    a, b, t = np.where(use, ka, a), np.where(use, kb, b), np.where(use, tc, t)
    # point (1-t) u_a + t u_b  ~  r_a + rho r_b with rho = t |r_a| / ((1-t) |r_b|), rho rounded
    # down to SPLIT_BITS significant bits (3 for a bisection: any interior point will do)
    lrho = np.log2(t / (1 - t)) + ln[rows, a] - ln[rows, b]
    m = np.empty((n, d), dtype=object)
    for j in range(n):
        m[j] = _edge_point(R[j, a[j]], R[j, b[j]], float(lrho[j]), SPLIT_BITS if use[j] else 3)
    big = np.asarray(_BITS(m), dtype=int).max(axis=1) > RAY_BITS
    mf, mshift = _scaled(m[:, None, :])
    mnorm = np.linalg.norm(mf[:, 0], axis=1)
    mu, mln = mf[:, 0] / mnorm[:, None], np.log2(mnorm) + mshift[:, 0]
    children = []
    for k in (a, b):
        Rc, Uc, lc = R.copy(), U.copy(), ln.copy()
        Rc[rows, k], Uc[rows, k], lc[rows, k] = m, mu, mln
        children.append((Rc, Uc, lc, k))
    return children[0], children[1], big


def _edge_point(ra, rb, log2rho: float, bits: int):
    """Integer ray m = 2^s r_a + M 2^e r_b ~ r_a + rho r_b (M the leading ``bits`` bits of
    rho = 2^log2rho, rounded down), divided by the gcd of its entries; a positive combination of
    r_a and r_b, exactly."""
    e = math.floor(log2rho) + 1
    f = 2.0 ** (log2rho - e)                       # rho = f 2^e, f in [1/2, 1)
    M = max(int(math.floor(f * 2 ** bits)), 1)
    E = e - bits
    m = ra + rb * (M << E) if E >= 0 else ra * (1 << -E) + rb * M
    g = int(_GCD.reduce(np.abs(m)))
    return m // max(g, 1)


def _clamp(Cv, Lam, F, U):
    """Clamp vertex values Cv (n x P x d: the box point at unit ray k in column k) into the
    box at each ray: c_i >= (Lambda^T u_k)_i on F, c_i <= 0 off F."""
    lo = np.einsum("kp,njk->npj", Lam, U)
    return np.where(F[:, :, None], np.maximum(Cv, lo), np.minimum(Cv, 0.0))


def _form(K, Cv, U, alpha):
    """T = alpha U U^T - Cv^T K Cv: the cone's form in the coefficients a >= 0 of u = U^T a."""
    return alpha * np.einsum("nid,njd->nij", U, U) - gram_stack(Cv, K)


def _accepts(T):
    d = T.shape[1]
    return copositive(T) & (T[:, np.arange(d), np.arange(d)] > 0).all(axis=1)


def _centre_values(K, Lam, F, U):
    """Vertex values of the linear box point that is optimal on the active set of the cone's
    centre (:func:`numeric.solver.sectors.fit`), clamped into the box at every ray; with the
    unclamped slacks (d x n x P) and free mask, which locate the switching planes."""
    d = U.shape[1]
    C, bound = fit(K, Lam, F, U.sum(axis=1))
    S0 = np.stack([slack(C, Lam, F, U[:, k]) for k in range(d)])
    Cv = np.einsum("npk,njk->npj", C, U)
    return _clamp(Cv, Lam, F, U), S0, ~bound


def _ray_values(K, Lam, F, U, R=None, known=None, cached=None):
    """Vertex values interpolating the box optimum at each ray: c(u) = sum_k a_k c*(u_k) for
    u = sum_k a_k u_k is in the box on the whole cone (the box moves linearly with u), and it
    is exact at the rays -- no active set, so it works across switching planes (its cost is
    convex-interpolated, so cones near a tight direction must be small).

    ``known`` (n x d) marks rays whose clamped values ``cached`` (n x P x d) already holds (a
    child cone shares d - 1 rays with its parent): only the others are solved."""
    n, d = U.shape[:2]
    out = np.empty((n, F.shape[1], d)) if cached is None else cached.copy()
    for k in range(d):
        rows = np.arange(n) if known is None else np.flatnonzero(~known[:, k])
        if len(rows):
            out[rows, :, k] = cell_qp(K, F[rows], U[rows, k] @ Lam, 1.0, R)
    return _clamp(out, Lam, F, U)       # (idempotent on the cached columns)


def pattern_and_cost(K, C, R=None):
    """Patterns h = K c and costs |w|^2 = c^T K c of box points C (n x P x k, columns c).

    With a factor K = R^T R of rank r < P (:func:`numeric.solver.cells.low_rank_factor`) both
    come from g = R c (the input weight in r coordinates): h = R^T g, |w|^2 = |g|^2. A box point
    of singular K carries large null-space components, and h = K c then loses its digits to
    cancellation -- measured on 1-d inputs (rank 2, P = 30): ray patterns off the range of X~^T
    by 6e-11 showed ratios 5e-5 above alpha where the true ratio of the nearest reachable
    pattern was below alpha (spurious violations that blocked the certificate)."""
    if R is None:
        H = np.einsum("pq,nqk->npk", K, C)
        return H, np.einsum("npk,npk->nk", C, H)
    G = np.einsum("rp,npk->nrk", R, C)
    return np.einsum("rp,nrk->npk", R, G), np.einsum("nrk,nrk->nk", G, G)


def _patterns(K, Lam, Cv, alpha, R=None):
    """Best ray pattern h = K c of each cone and its ratio |Lambda relu(h)|^2 / c^T K c."""
    H, cost = pattern_and_cost(K, Cv, R)
    num = (np.einsum("ap,npk->nak", Lam, np.maximum(H, 0)) ** 2).sum(axis=1)
    ratio = np.where(cost > 0, num / np.where(cost > 0, cost, 1.0), 0.0)
    k = np.argmax(ratio, axis=1)
    rows = np.arange(len(k))
    return H[rows, :, k], ratio[rows, k]


def build_fan(K: np.ndarray, Lam: np.ndarray, alpha: float, cells: CellSet | None = None) -> SimplexFan:
    """Float construction of the certifying cones for every cell of ``cells`` (default: all
    2^P firing sets); see the module docstring."""
    P = K.shape[0]
    d = Lam.shape[0]
    if not 2 <= d <= MAX_DY:
        raise ValueError(f"`Lambda` must have 2..{MAX_DY} rows for the simplicial fan; got {d}")
    if cells is None:
        cells = CellSet(P)
    fan = SimplexFan(cells, d)
    fan.lam = Lam
    Rk = fan.R = low_rank_factor(K)
    psd_cells, work = [], []
    for idx in cells.index_batches():
        F = cells.masks(idx)
        L = Lam[None] * F[:, None, :]
        top = np.linalg.eigvalsh(gram_stack(L.transpose(0, 2, 1), K))[:, -1]
        ok = top <= alpha * (1 - 1e-12)
        psd_cells.append(idx[ok])
        work.append(idx[~ok])
    fan.psd = np.concatenate(psd_cells)
    rest = np.concatenate(work)
    roots = orthant_cones(d)
    cell = np.repeat(rest, len(roots))
    R = np.tile(roots, (len(rest), 1, 1))
    # float unit rays and log2 norms travel with the integer rays (a split computes its new
    # ray's only: converting every Python-integer ray of every cone cost ~30 % of the fan)
    U_all = np.tile(_unit(roots), (len(rest), 1, 1))
    LN = np.tile(_log2norm(roots), (len(rest), 1))
    depth = np.zeros(len(cell), dtype=int)
    # ray values a split cone computed, for its children (they share d - 1 rays); none at the
    # roots. Measured (four outputs, P = 12): ~2/3 of the ray box QPs saved.
    RV, KN = None, None
    acc = {"cell": [], "rays": [], "Cv": []}
    # (both scale with the 2^d root cones: 2^(d - 4) times more for five outputs)
    budget = (MAX_CONES_PER_CELL * max(len(rest), 1) + BUDGET_SLACK) * 2 ** max(d - 4, 0)
    depth_cap = max_depth(d)
    while len(cell):
        if fan.tried + len(cell) > budget:             # runaway splitting: give up, report
            F, U = cells.masks(cell[:8]), U_all[:8]
            h, ratio = _patterns(K, Lam, _ray_values(K, Lam, F, U, Rk), alpha, Rk)
            fan.failed += [(cell[j], U[j], ratio[j], h[j]) for j in range(len(F))]
            fan.exhausted = True
            break
        nxt = {"cell": [], "rays": [], "unit": [], "ln": [], "depth": [], "rv": [], "known": []}
        for s in range(0, len(cell), BATCH):
            sl = slice(s, s + BATCH)
            cc, Rb, dd = cell[sl], R[sl], depth[sl]
            F = cells.masks(cc)
            U = U_all[sl]
            fan.tried += len(cc)
            Cv, S0, free0 = _centre_values(K, Lam, F, U)
            good = _accepts(_form(K, Cv, U, alpha))
            rest_ = np.flatnonzero(~good)
            h = np.zeros((len(cc), P))
            ratio = np.zeros(len(cc))
            if len(rest_):
                CvB = _ray_values(K, Lam, F[rest_], U[rest_], Rk,
                                  None if KN is None else KN[sl][rest_],
                                  None if RV is None else RV[sl][rest_])
                okB = _accepts(_form(K, CvB, U[rest_], alpha))
                Cv[rest_[okB]] = CvB[okB]
                good[rest_[okB]] = True
                h[rest_], ratio[rest_] = _patterns(K, Lam, CvB, alpha, Rk)
            for key, val in (("cell", cc), ("rays", Rb), ("Cv", Cv)):
                acc[key].append(val[good])
            split = []
            for j in np.flatnonzero(~good):
                if ratio[j] > alpha * (1 + VIOLATION_REL):   # a ray's box optimum violates
                    fan.violations.append((cc[j], U[j], ratio[j], h[j]))
                elif dd[j] >= depth_cap:
                    fan.failed.append((cc[j], U[j], ratio[j], h[j]))
                else:
                    split.append(j)
            if split:
                sp_ = np.array(split)
                A, B, big = _split(Rb[sp_], U[sp_], LN[sl][sp_], S0[:, sp_], free0[sp_])
                for j in sp_[big]:
                    fan.failed.append((cc[j], U[j], ratio[j], h[j]))
                keep = ~big
                nxt["cell"] += [cc[sp_][keep]] * 2
                # (a split cone failed both tests, so it has ray values: rest_ holds it)
                parent_rv = CvB[np.searchsorted(rest_, sp_)][keep]
                for child in (A, B):
                    for key, val in zip(("rays", "unit", "ln"), child[:3]):
                        nxt[key].append(val[keep])
                    known = np.ones((int(keep.sum()), d), dtype=bool)
                    known[np.arange(len(known)), child[3][keep]] = False
                    nxt["rv"].append(parent_rv)
                    nxt["known"].append(known)
                nxt["depth"] += [dd[sp_][keep] + 1] * 2
        cell = np.concatenate(nxt["cell"]).astype(np.int64) if nxt["cell"] else np.zeros(0, np.int64)
        R = np.concatenate(nxt["rays"]) if nxt["rays"] else np.zeros((0, d, d), dtype=object)
        U_all = np.concatenate(nxt["unit"]) if nxt["unit"] else np.zeros((0, d, d))
        LN = np.concatenate(nxt["ln"]) if nxt["ln"] else np.zeros((0, d))
        RV = np.concatenate(nxt["rv"]) if nxt["rv"] else np.zeros((0, P, d))
        KN = np.concatenate(nxt["known"]) if nxt["known"] else np.zeros((0, d), dtype=bool)
        depth = np.concatenate(nxt["depth"]).astype(int) if nxt["depth"] else np.zeros(0, int)
    if acc["cell"]:
        fan.cell = np.concatenate(acc["cell"]).astype(np.int64)
        fan.rays = np.concatenate(acc["rays"])
        fan.Cv = np.concatenate(acc["Cv"])
    return fan


def parts(cs: CellSet, size: int | None = None):
    """``(offset, part)`` pairs covering the cells of ``cs`` in index order, ``size``
    (default CHUNK_CELLS) cells each: cell j of a part is cell offset + j of ``cs``. A fan built
    on each part in turn holds one part's cones at a time (the cones of a cell do not depend on
    the other cells, so the parts' fans are the whole fan's, cut by cell); ``cs`` itself, offset
    0, when it fits in one part."""
    size = size or CHUNK_CELLS
    if cs.count <= size:
        yield 0, cs
        return
    lo = fan_hint.every_cell(cs)[0]
    for start in range(lo, lo + cs.count, size):
        idx = np.arange(start, min(start + size, lo + cs.count))
        yield int(start), CellSet(cs.P, cs.masks(idx))


def merge(cs: CellSet, pieces: list) -> SimplexFan:
    """One fan on ``cs`` from the fans of its :func:`parts`, given as ``(offset, fan)`` pairs."""
    if len(pieces) == 1 and pieces[0][1].cells is cs:
        return pieces[0][1]
    first = pieces[0][1]
    fan = SimplexFan(cs, first.d)
    fan.lam, fan.R = first.lam, first.R
    fan.cell = np.concatenate([lo + f.cell for lo, f in pieces])
    fan.rays = np.concatenate([f.rays for _, f in pieces])
    fan.Cv = np.concatenate([f.Cv.reshape(-1, cs.P, first.d) for _, f in pieces])
    fan.psd = np.concatenate([lo + f.psd for lo, f in pieces])
    fan.failed = [(lo + c, *t) for lo, f in pieces for c, *t in f.failed]
    fan.violations = [(lo + c, *t) for lo, f in pieces for c, *t in f.violations]
    fan.tried = sum(f.tried for _, f in pieces)
    fan.exhausted = any(f.exhausted for _, f in pieces)
    return fan


def ascend(K: np.ndarray, Lam: np.ndarray, F: np.ndarray, U: np.ndarray, *, iters: int = 30,
           rise: float = 0.0, target: float | None = None):
    """Alternating ascent of the ratio |Lambda relu(h)|^2 / |w|^2 from directions U (n x d), one
    cell F per row: w-step, the box optimum c*(u) of the cell (w = X~ c*, h = K c*, the best w
    of the cell for u^T Lambda relu); u-step, u = Lambda relu(h) / |.| (the best u for h).
    Both steps can only raise the ratio; a row that did not rise is at a fixed point and leaves
    the batch (three outputs, P = 14: the solve 35 s -> 30 s, same rounds and energy), and so
    does a row whose step raised it by less than ``rise`` (relative; 0: any rise continues) and,
    given a ``target``, a row that would end below it if it kept rising at its last step's rate
    for the steps left. Returns the patterns h (n x P) and their ratios."""
    R = low_rank_factor(K)
    best_h, best = np.zeros((len(U), K.shape[0])), np.zeros(len(U))
    live = np.arange(len(U))             # rows still rising
    U = U.copy()
    for step in range(iters):
        c = cell_qp(K, F[live], U[live] @ Lam, 1.0, R)
        H, cost = pattern_and_cost(K, c[:, :, None], R)
        h, cost = H[:, :, 0], cost[:, 0]
        v = np.maximum(h, 0) @ Lam.T
        ratio = np.where(cost > 0, (v * v).sum(axis=1) / np.where(cost > 0, cost, 1.0), 0.0)
        old = best[live]                 # (a live row rose last step: its previous ratio)
        up = ratio > old
        best_h[live[up]], best[live[up]] = h[up], ratio[up]
        nv = np.linalg.norm(v, axis=1, keepdims=True)
        keep = up & (nv[:, 0] > 0) & (ratio > old * (1 + rise))
        if target is not None and step:
            # at its last rate a row that cannot reach the target in the steps left stops
            rate = np.where(old > 0, ratio / np.where(old > 0, old, 1.0), np.inf)
            with np.errstate(over="ignore"):
                keep &= ratio * rate ** (iters - 1 - step) > target
        if not keep.any():
            break
        U[live[keep]] = v[keep] / nv[keep]
        live = live[keep]
    return best_h, best


def polish_on_faces(Lam: np.ndarray, H: np.ndarray, R: np.ndarray):
    """Ratios of patterns moved to the top of their faces (singular K = R^T R, rank r).

    A pattern h (one row of H) fixes a face: Z = its zero entries, F = its positive ones. On the
    face (g in R^r with (R^T g)_Z = 0; g the input weight in r coordinates, h = R^T g,
    |w| = |g|) the ratio |Lambda D_F R^T g|^2 / |g|^2 is a Rayleigh quotient whose top eigenvector
    is found exactly (to round-off) by one small eigen-decomposition; the returned ratio is
    evaluated from the definition, |Lambda relu(R^T g)|^2 / |g|^2, so it is the ratio of a
    reachable pattern whatever the signs of the new point. Optimal atoms of low-rank data sit on
    faces (kinks at data points), where the fan's rays and the ascent stop ~1e-11 short of the
    sup (measured on 1-d inputs, P = 60), so the dual point is scaled by too little."""
    out_h, out_r = [], []
    for h in np.atleast_2d(H):
        top = float(np.max(np.abs(h)))
        if top <= 0:
            continue
        Z, F = np.abs(h) <= 1e-9 * top, h > 1e-9 * top
        if Z.any():
            _, sv, Vt = np.linalg.svd(R[:, Z].T)
            rank = int(np.sum(sv > 1e-12 * max(float(sv[0]), 1e-300)))
            N = Vt[rank:].T
        else:
            N = np.eye(R.shape[0])
        if N.shape[1] == 0:
            continue
        B = Lam[:, F] @ R[:, F].T @ N
        g = N @ np.linalg.eigh(B.T @ B)[1][:, -1]
        hh = R.T @ g
        if hh[F].sum() < 0:
            g, hh = -g, -hh
        v = Lam @ np.maximum(hh, 0)
        out_h.append(hh)
        out_r.append(float(v @ v) / float(g @ g))
    return np.array(out_h).reshape(-1, R.shape[1]), np.array(out_r)


def price(K: np.ndarray, Lam: np.ndarray, alpha: float, *, keep: int = 8, margin: float,
          cells: CellSet | None = None) -> FanPricing:
    """Pricing by the simplicial fan of (1 - margin) Lambda (see
    :func:`numeric.solver.sectors.price`, whose contract this follows); the directions of the
    violating and undecided cones are improved by :func:`ascend` (the fan finds violations at
    its rays only)."""
    s = 1.0 - margin
    cells = cells if cells is not None else CellSet(K.shape[0])
    # part by part (:func:`parts`); the candidates carry their firing sets, and the fan is kept
    # for the certificate while it has at most MAX_KEPT_CONES cones
    found, failed, kept, n_cones = [], [], [], 0
    for lo, part in parts(cells):
        f = build_fan(K, s * Lam, alpha, part)
        new = [(part.masks(np.array([c]))[0], u, r, h) for c, u, r, h in f.violations + f.failed]
        found = sorted(found + new, key=lambda t: -t[2])[:4 * keep]
        failed = sorted(failed + [(r, h) for _, _, r, h in f.failed], key=lambda t: -t[0])[:keep]
        n_cones += len(f.cell)
        kept = kept + [(lo, f)] if kept is not None and n_cones <= MAX_KEPT_CONES else None
    fan = merge(cells, kept) if kept else None
    if found:
        F = np.array([t[0] for t in found])
        # start from the cone's ray that best aligns with Lambda relu(h) of its ray pattern
        U = np.array([t[1][int(np.argmax(t[1] @ Lam @ np.maximum(t[3], 0)))] for t in found])
        H, ratio = ascend(K, Lam, F, U)
        # the ray patterns themselves are reachable patterns too: the ascent can end below
        # them (measured on 1-d inputs: the dual scaled by the ascent's best ratio was still
        # infeasible by 1.2e-12, which blocked the certificate's smallest shrinks)
        H = np.vstack([H, [t[3] for t in found]])
        ratio = np.concatenate([ratio, [t[2] / s ** 2 for t in found]])
        Rk = low_rank_factor(K)
        if Rk is not None:
            Hp, rp = polish_on_faces(Lam, H, Rk)
            H, ratio = np.vstack([H, Hp]), np.concatenate([ratio, rp])
        order = np.argsort(-ratio)[:keep]
        viol = [j for j in order if ratio[j] > alpha * (1 + VIOLATION_REL)]
    else:
        viol = []
    if viol:
        return FanPricing(float(ratio[viol[0]]), [H[j] for j in viol], [float(ratio[j]) for j in viol],
                          not failed, (), fan)
    return FanPricing(alpha / s ** 2, [], [], not failed, [h for _, h in failed], fan)


# ------------------------------------------------------------------------------------- exact

def certify(Xt: flint.fmpq_mat, Lam: flint.fmpq_mat, alpha: flint.fmpq,
            hint: SimplexFan | None = None, *, only: np.ndarray | None = None,
            collect: bool = False) -> CellCheck:
    """Exact decision of the cone condition (d = dY outputs) from a float-built simplicial fan.

    ``hint``: a fan the solver built for (nearly) the same dual point (its last exhaustive
    pricing, :attr:`numeric.solver.relu.Solution.fan`), reused as :mod:`numeric.solver.fan_hint`
    describes: its vertex values rescaled to this Lambda, every cone tested exactly as a fresh
    one, every cell with a failing cone rebuilt whole (so a cell's cones always come from one
    construction and cover by construction). Without a usable hint the fan is built here.

    ``only``: indices into :func:`numeric.solver.cells.cell_set` of ``Xt`` -- check those cells
    alone (no hint). ``collect``: do not stop at the first unproved cell; a failed check then
    lists every unproved cell in ``failing`` (indices as ``only``), or None once more than
    MAX_FAILING_SHARE of the cones fail (:func:`numeric.solver.fan_hint.failing_cells`). The
    certificate uses both across its shrinks of one dual point: the cone condition is
    homogeneous in Lambda, so a cell proved for Lambda is proved for c Lambda, 0 < c <= 1."""
    D, P = Xt.nrows(), Xt.ncols()
    d = Lam.nrows()
    xi, dx = int_scale(Xt.entries())
    li, dl = int_scale(Lam.entries())
    Li = np.array(li, dtype=object).reshape(d, P)
    Xi = flint.fmpz_mat(D, P, xi)
    big = int(alpha.p) * (dx * dl) ** 2               # alpha in the integer Gram units
    ad = int(alpha.q)
    Xf = np.array([[float(Xt[i, j]) for j in range(P)] for i in range(D)])
    Lf = np.array([[float(Lam[i, j]) for j in range(P)] for i in range(d)])
    flt = exact_data_floats(xi, dx, li, dl, (D, P), (d, P), alpha)
    exact_args = (Xi, Li, dl, big, ad)
    cs = cell_set(Xt)                                  # cells re-derived exactly
    index = None                  # index[j]: the cell of cell_set(Xt) that cell j of cs is
    if only is not None:
        hint, index = None, np.asarray(only, dtype=np.int64)
        cs = CellSet(P, cs.masks(index))
    fan = _from_hint(hint, cs, Lf)
    exact = checked = 0
    if fan is not None:
        bad, exact = fan_hint.failing_cells(
            fan, lambda idx: _psd_cells(cs, idx, Xi, Li, big, ad),
            lambda sl: _cones_pass(fan, sl, flt, exact_args))
        checked = len(fan.psd) + len(fan.cell)
        if bad is not None and not len(bad):
            return CellCheck(True, checked, exact_cones=exact)
        # a fresh fan of the failing cells only, indexed within them (all checks below apply)
        if bad is not None:
            cs, index = CellSet(P, cs.masks(bad)), bad
    # a fresh fan, part by part (bounded memory); every check below applies to each part
    failing = []
    for lo, part in parts(cs):
        fan = build_fan(Xf.T @ Xf, Lf, float(alpha), part)
        checked += len(fan.psd) + len(fan.cell)
        if collect:
            bad, n_exact = fan_hint.failing_cells(
                fan, lambda idx: _psd_cells(part, idx, Xi, Li, big, ad),
                lambda sl: _cones_pass(fan, sl, flt, exact_args))
            exact += n_exact
            if bad is None or fan.exhausted:       # (an exhausted fan lists only some cells)
                return CellCheck(False, checked, exact_cones=exact)
            failing.append(lo + np.union1d(bad, np.array([t[0] for t in fan.failed], dtype=np.int64)))
            continue
        for start in range(0, len(fan.psd), BATCH):
            if not np.all(_psd_cells(part, fan.psd[start:start + BATCH], Xi, Li, big, ad)):
                return CellCheck(False, checked)
        if fan.violations or fan.failed:
            return _failed(Xt, Lam, alpha, fan, checked)
        if not np.array_equal(np.union1d(np.unique(fan.cell), fan.psd), fan_hint.every_cell(part)):
            return CellCheck(False, checked)
        for start in range(0, len(fan.cell), BATCH):
            ok, n_exact = _cones_pass(fan, slice(start, start + BATCH), flt, exact_args)
            exact += n_exact
            if not np.all(ok):
                return CellCheck(False, checked, exact_cones=exact)
    bad = np.concatenate(failing) if failing else np.zeros(0, np.int64)
    if len(bad):
        return CellCheck(False, checked, exact_cones=exact,
                         failing=np.sort(bad if index is None else index[bad]))
    return CellCheck(True, checked, exact_cones=exact)


def _from_hint(hint: SimplexFan | None, cs: CellSet, Lf: np.ndarray) -> SimplexFan | None:
    """The hint's cones with their vertex values rescaled to the dual point Lf
    (:mod:`numeric.solver.fan_hint`); None when it cannot be reused."""
    kappa = fan_hint.scale(hint, cs, Lf) if isinstance(hint, SimplexFan) else None
    if kappa is None:
        return None
    fan = SimplexFan(cs, hint.d)
    fan.lam, fan.R = Lf, hint.R
    fan.cell, fan.rays, fan.psd = hint.cell, hint.rays, hint.psd
    fan.Cv, fan.scale = hint.Cv, kappa * hint.scale
    fan.violations = hint.violations
    return fan


def _psd_cells(cells: CellSet, idx: np.ndarray, Xi, Li, big, ad) -> np.ndarray:
    """Exact alpha I - Lambda_F K_FF Lambda_F^T >= 0 for the cells idx (C = D_F Lambda^T)."""
    Fm = cells.masks(idx)
    Ci = np.where(Fm[:, :, None], Li.T[None], 0)
    return psd(_gram_form(Xi, Ci, big, ad))


def _cones_pass(fan: SimplexFan, sl: slice, flt, exact_args) -> tuple[np.ndarray, int]:
    """Per-cone verdicts for the cones sl: the binary64 filter first, the rest in integers."""
    F = fan.cells.masks(fan.cell[sl])
    ok = cone_filter(*flt, fan.rays[sl], fan.Cv[sl] * fan.scale, F)
    rest = np.flatnonzero(~ok)
    if len(rest):
        ok[rest] = _cones_exact(*exact_args, fan, sl.start + rest)
    return ok, len(rest)


def _gram_form(Xi, Ci, big, ad):
    """H = big I - ad (Xi C)^T (Xi C) for a stack of integer C (n x P x d): alpha I - C^T K C
    in integer units."""
    n, P, d = Ci.shape
    flat = [int(v) for v in np.concatenate([Ci[:, :, k] for k in range(d)], axis=0).T.ravel()]
    Z = Xi * flint.fmpz_mat(P, d * n, flat)
    Zo = np.array(Z.entries(), dtype=object).reshape(Xi.nrows(), d * n)
    z = [Zo[:, k * n:(k + 1) * n] for k in range(d)]
    H = np.empty((n, d, d), dtype=object)
    for a in range(d):
        for b in range(a, d):
            g = -ad * (z[a] * z[b]).sum(axis=0)
            H[:, a, b] = H[:, b, a] = g + big if a == b else g
    return H


def _cones_exact(Xi, Li, dl, big, ad, fan, sl) -> np.ndarray:
    """Exact check, a verdict per cone, of accepted cones (``sl``: indices or a slice into the
    fan; the cones that :func:`numeric.solver.float_filter.cone_filter` proved skip it): the
    vertex values are rounded to the grid 1/dl for the integer rays, clamped into the box at
    each ray in integers (so the box holds on the cone by linearity), and
    T = alpha R R^T - Cv^T K Cv is tested for copositivity."""
    cellv, Cv = fan.cell[sl], fan.Cv[sl] * fan.scale
    F = fan.cells.masks(cellv)
    d = fan.d
    R = fan.rays[sl]                                             # (n, d, d) exact integers
    # vertex values at the integer rays r_k: the unit-ray values times ~|r_k| (integer sqrt)
    N = _ISQRT(sum(R[:, :, j] * R[:, :, j] for j in range(d)) << 120)        # |r_k| 2^60
    Ci = (_TO_INT(np.round(Cv * (float(dl) * 2.0 ** 30))) * N[:, None, :]) >> 90
    lo = sum(Li.T[None, :, j, None] * R[:, None, :, j] for j in range(d))   # (Lambda^T r_k) dl
    Ci = np.where(F[:, :, None], np.maximum(Ci, lo), np.minimum(Ci, 0))
    H = _gram_form(Xi, Ci, 0, ad)                                # -ad (Xi Cv)^T (Xi Cv)
    RR = sum(R[:, :, None, j] * R[:, None, :, j] for j in range(d))         # R R^T
    return np.asarray(copositive(RR * big + H), dtype=bool)
