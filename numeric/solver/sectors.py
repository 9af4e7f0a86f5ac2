r"""Two outputs (dY = 2): the cell bound of :mod:`numeric.solver.cells` on a fan of directions.

Math (derived here)
-------------------
With two outputs the cone condition on the cell C_F (firing set F) is
|Lambda D_F X~^T w|^2 <= alpha |w|^2. Write v = Lambda D_F X~^T w in R^2; if v != 0 its
direction u = v/|v| lies in one sector cone(r1, r2) of a fan of rays covering the circle
(consecutive rays with det(r1, r2) > 0, i.e. sectors narrower than pi). Suppose that on this
sector a P x 2 matrix C gives, for every u in the sector, a vector c(u) = C u in the box

    c_i(u) >= (Lambda^T u)_i  (i in F),        c_i(u) <= 0  (i not in F)                   (box)

(linear in u, so it suffices to check the two rays). Then, as for dY = 1,

    |v| = u^T v = (Lambda^T u)^T D_F X~^T w <= (X~ C u)^T w <= sqrt(u^T C^T K C u) |w|,

and if the 2 x 2 form R^T (alpha I - C^T K C) R, R = [r1 r2], is copositive (u = a r1 + b r2 with
a, b >= 0) this is <= sqrt(alpha) |u| |w| = sqrt(alpha) |w|. A cell is therefore certified by a
fan of sectors, each with such a C; or at once, for every direction, when
alpha I - Lambda_F K_FF Lambda_F^T is positive semidefinite (C = D_F Lambda^T, no sign used).

Construction (float): start from the four quadrants; on each sector solve the box QP at the
centre direction, keep its active set and make the free coordinates the linear function of u
that is optimal for that active set (C_f = -K_ff^+ K_fb C_b: the optimum moves linearly with u
while the active set does not change). Where a free coordinate leaves its box inside the sector,
split the sector at the ray where it reaches the bound -- moved by ~1e-9 into the side where it
stays free, so the rounded exact check keeps a margin; where the form is not copositive, bisect.
Exact check: bound coordinates of C are the exact dual entries (or 0), free ones are rounded to a
dyadic grid; (box) at both rays and the 2 x 2 copositivity are decided in integers.

Singular K_X (rank r < P): the fans run over the non-empty cells of the arrangement only
(:func:`numeric.solver.cells.cell_set`, exact), and the centre's active set comes from the NNLS
form of the cell problem (:func:`numeric.solver.cells.cell_qp`), which leaves at most r
coordinates free with independent columns -- so the free block K_ff is invertible and c(u) is
unique (the box-QP active set of a singular K leaves too many coordinates free and the fans
degenerate).

Reuse (:func:`certify`'s ``hint``): the certificate's dual point is the solver's last one,
rounded and shrunk by ~2^-44, so the fan the solver's last exhaustive pricing built proves it
too once its box points are rescaled (they are linear in Lambda). Each reused sector is tested
exactly as a fresh one and each cell's chain of sectors is checked exactly; a cell that fails
either is rebuilt for the certified point. Measured: ``benchmarks/solver/fan_reuse.py``.

Failure modes: a tight direction exactly on an active-set switching line (degenerate dual) or a
dual point that is not feasible make some sector fail after ``MAX_DEPTH`` splits; the check then
reports failure (never a wrong certificate) and, when the float maximiser is a real violation,
an exact witness pattern.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import flint
import numpy as np

from numeric.solver import fan_hint
from numeric.solver import rational as rq
from numeric.solver.cells import (BATCH, CellCheck, CellSet, box_qp, cell_qp, cell_set,
                                  int_scale, low_rank_factor)
from numeric.solver.float_filter import exact_data_floats, sector_filter
from numeric.solver.rowforms import gram_stack

#: splits allowed per sector before the cell counts as not certified.
MAX_DEPTH = 40
#: relative shrink of the dual point before a pricing fan is built (below the solver's
#: violation threshold, so no violation that matters is hidden).
PRICING_MARGIN = 2.0 ** -44
#: a sector whose best pattern violates the cone condition by more than this (relative) is a
#: violation (reported, not split); float noise in the ratio is ~1e-15.
VIOLATION_REL = 1e-13
#: free coordinates within this (relative) of their bound over a whole sector are held there.
NEAR_BOUND = 1e-9
#: total sectors tried, per uncertified-by-PSD cell, before the construction gives up.
MAX_SECTORS_PER_CELL = 64
#: relative rotation of a switching-line split ray into the side where the coordinate is free.
NUDGE = 1e-9
_TO_INT = np.frompyfunc(int, 1, 1)
QUADRANTS = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])


@dataclass
class Fan:
    cell: np.ndarray      # (n,) firing-set index (bitmask) of each accepted sector
    r1: np.ndarray        # (n, 2) rays
    r2: np.ndarray
    C: np.ndarray         # (n, P, 2) linear box point c(u) = C u
    bound: np.ndarray     # (n, P) coordinates of C held at their box bound (exact in the check)
    psd: np.ndarray       # firing-set indices certified by the PSD test (no fan needed)
    failed: list          # (cell, u, ratio, pattern, r1, r2) of sectors left undecided
    sectors_tried: int = 0
    violations: list = None   # (cell, u, ratio, pattern): sectors with a real violating pattern
    cells: CellSet = None     # the firing sets the cell indices refer to
    lam: np.ndarray = None    # the float dual point the fan was built for
    scale: float = 1.0        # factor on C (a reused fan, without copying C)



def _centre(R1, R2):
    return R1 / np.linalg.norm(R1, axis=1, keepdims=True) + R2 / np.linalg.norm(R2, axis=1, keepdims=True)


def fit(K, Lam, F, u0, bound=None):
    """Box QP at the directions ``u0`` (n x dY, the centres of the sectors or cones); the linear
    box point C (n x P x dY) that is optimal on its active set (or on the given ``bound`` mask),
    and that mask. Any number of outputs dY."""
    n, P = F.shape
    if bound is None:
        lam_u = u0 @ Lam                                     # (n, P): (Lambda^T u0)_i
        lo = np.where(F, lam_u, -np.inf)
        hi = np.where(F, np.inf, 0.0)
        R = low_rank_factor(K)
        if R is None:
            c = box_qp(K, lo, hi)
            tol = 1e-11 * (np.abs(lam_u).max(axis=1, keepdims=True) + 1e-300)
            bound = (F & (c <= lo + tol)) | (~F & (c >= hi - tol))
        else:
            # singular K: the NNLS form keeps at most rank(K) coordinates free (independent
            # columns), so the free block K_ff below is invertible and c(u) is unique
            c = cell_qp(K, F, lam_u, 1.0, R)
            bound = np.where(F, c == lo, c == 0.0)
    Cb = np.where((bound & F)[:, :, None], Lam.T[None, :, :], 0.0)        # (n, P, dY)
    fm = (~bound).astype(float)
    M = K[None] * fm[:, :, None] * fm[:, None, :] + np.eye(P)[None] * (1 - fm)[:, :, None]
    rhs = -np.einsum("ij,njk->nik", K, Cb) * fm[:, :, None]
    ridge = 1e-10 * max(float(np.max(np.diag(K))), 1e-300)
    if np.linalg.matrix_rank(K) < P:
        Mr = M + ridge * np.eye(P)[None]
        Cf = np.linalg.solve(Mr, rhs)
        for _ in range(3):
            Cf += np.linalg.solve(Mr, rhs - M @ Cf)
    else:
        Cf = np.linalg.solve(M, rhs)
    C = np.where(bound[:, :, None], Cb, Cf)
    return C, bound


def slack(C, Lam, F, r):
    """Box slack at rays r (n x dY), n x P: >= 0 means feasible (bound coordinates: exactly 0)."""
    cu = np.einsum("npk,nk->np", C, r)
    return np.where(F, cu - r @ Lam, -cu)


def _sector_form(K, C, R1, R2, alpha):
    G = gram_stack(C, K)
    R = np.stack([R1, R2], axis=2)                             # (n, 2, 2) columns r1, r2
    return np.einsum("nki,nkl,nlj->nij", R, alpha * np.eye(2)[None] - G, R), G


def _copositive2(T, tol=0.0):
    a, b, c = T[:, 0, 0], T[:, 1, 1], T[:, 0, 1]
    return (a >= -tol) & (b >= -tol) & ((c >= -tol) | (c * c <= a * b + tol))


def build_fan(K: np.ndarray, Lam: np.ndarray, alpha: float, cells: CellSet | None = None) -> Fan:
    """Float construction of the certifying fans for every cell of ``cells`` (default: all 2^P
    firing sets; see module docstring)."""
    P = K.shape[0]
    if Lam.shape[0] != 2:
        raise ValueError(f"`Lambda` must have 2 rows (dY = 2) for the sector fan; got {Lam.shape[0]}")
    if cells is None:
        cells = CellSet(P)                        # all 2^P firing sets (P <= MAX_CELLS_P)
    psd_cells, work = [], []
    for idx in cells.index_batches():
        F = cells.masks(idx)
        L = Lam[None] * F[:, None, :]
        top = np.linalg.eigvalsh(gram_stack(L.transpose(0, 2, 1), K))[:, -1]
        ok = top <= alpha * (1 - 1e-12)
        psd_cells.append(idx[ok])
        work.append(idx[~ok])
    rest = np.concatenate(work)
    cell = np.repeat(rest, 4)
    R1 = np.tile(QUADRANTS, (len(rest), 1))
    R2 = np.tile(np.roll(QUADRANTS, -1, axis=0), (len(rest), 1))
    depth = np.zeros(len(cell), dtype=int)
    acc = {"cell": [], "r1": [], "r2": [], "C": [], "bound": []}
    failed, violations, tried = [], [], 0
    budget = MAX_SECTORS_PER_CELL * max(len(rest), 1)
    while len(cell):
        if tried + len(cell) > budget:                 # runaway splitting: give up, report
            F = cells.masks(cell[:8])
            C, _ = fit(K, Lam, F, _centre(R1[:8], R2[:8]))
            failed += [_failure(K, Lam, F[j], cell[j], R1[j], R2[j], C[j]) for j in range(len(F))]
            break
        nxt = {"cell": [], "r1": [], "r2": [], "depth": []}
        for s in range(0, len(cell), BATCH):
            sl = slice(s, s + BATCH)
            cc, a1, a2, dd = cell[sl], R1[sl], R2[sl], depth[sl]
            F = cells.masks(cc)
            C, bound = fit(K, Lam, F, _centre(a1, a2))
            tried += len(cc)
            s1, s2 = slack(C, Lam, F, a1), slack(C, Lam, F, a2)
            size = np.abs(C).max(axis=(1, 2)) + np.abs(Lam).max()
            scale = 1e-12 * size
            # a free coordinate that stays within NEAR_BOUND of its bound over the whole sector
            # is held at the bound instead (feasible by construction; value change ~NEAR_BOUND^2)
            near = ~bound & (np.minimum(s1, s2) < scale[:, None]) & \
                (np.maximum(s1, s2) < NEAR_BOUND * size[:, None])
            if near.any():
                C, bound = fit(K, Lam, F, None, bound | near)
                s1, s2 = slack(C, Lam, F, a1), slack(C, Lam, F, a2)
            feas = (np.minimum(s1, s2) >= np.where(bound, -np.inf, scale[:, None])).all(axis=1)
            T, _ = _sector_form(K, C, a1, a2, alpha)
            good = feas & _copositive2(T, 0.0) & (T[:, 0, 0] > 0) & (T[:, 1, 1] > 0)
            for key, val in (("cell", cc), ("r1", a1), ("r2", a2), ("C", C), ("bound", bound)):
                acc[key].append(val[good])
            bad = np.flatnonzero(~good)
            split = []
            for j in bad:
                if feas[j]:
                    v = _violation(K, Lam, C[j], a1[j], a2[j], alpha)
                    if v is not None:                  # a real violator: no point splitting
                        violations.append((cc[j], *v))
                        continue
                if dd[j] >= MAX_DEPTH:
                    failed.append(_failure(K, Lam, F[j], cc[j], a1[j], a2[j], C[j]))
                    continue
                split.append(j)
            if split:
                sp_ = np.array(split)
                m = _split_rays(s1[sp_], s2[sp_], bound[sp_], a1[sp_], a2[sp_], feas[sp_])
                nxt["cell"] += [cc[sp_], cc[sp_]]
                nxt["r1"] += [a1[sp_], m]
                nxt["r2"] += [m, a2[sp_]]
                nxt["depth"] += [dd[sp_] + 1, dd[sp_] + 1]
        cell = np.concatenate(nxt["cell"]).astype(np.int64) if nxt["cell"] else np.zeros(0, np.int64)
        R1 = np.concatenate(nxt["r1"]).reshape(-1, 2) if nxt["r1"] else np.zeros((0, 2))
        R2 = np.concatenate(nxt["r2"]).reshape(-1, 2) if nxt["r2"] else np.zeros((0, 2))
        depth = np.concatenate(nxt["depth"]).astype(int) if nxt["depth"] else np.zeros(0, int)
    cat = {k: (np.concatenate(v) if v else np.zeros((0,))) for k, v in acc.items()}
    return Fan(cat["cell"].astype(np.int64), cat["r1"].reshape(-1, 2), cat["r2"].reshape(-1, 2),
               cat["C"].reshape(-1, P, 2), cat["bound"].reshape(-1, P).astype(bool),
               np.concatenate(psd_cells), failed, tried, violations, cells, Lam)


def _violation(K, Lam, C, r1, r2, alpha):
    """(u, ratio, pattern) if the best direction of the sector gives a pattern violating the cone
    condition by more than VIOLATION_REL relative (ratio from the definition: |Lambda relu(h)|^2 / |w|^2
    with w = X~ c, h = K c), else None."""
    G = C.T @ K @ C
    ev, V = np.linalg.eigh(G)
    cands = [r1 / np.linalg.norm(r1), r2 / np.linalg.norm(r2)]
    top = V[:, -1]
    for t in (top, -top):
        if np.linalg.det(np.stack([r1, t])) >= 0 and np.linalg.det(np.stack([t, r2])) >= 0:
            cands.append(t)
    best = None
    for u in cands:
        c = C @ u
        cost = float(c @ K @ c)
        if cost <= 0:
            continue
        h = K @ c
        ratio = float(np.sum((Lam @ np.maximum(h, 0)) ** 2)) / cost
        if ratio > alpha * (1 + VIOLATION_REL) and (best is None or ratio > best[1]):
            best = (u, ratio, h)
    return best


@dataclass(frozen=True)
class FanPricing:
    ratio: float            # largest violation ratio found (alpha-relative units of the caller)
    patterns: list          # violating patterns, best first
    values: list
    exhaustive: bool        # every cell certified or shown violated: no hidden violation
    undecided: list = ()    # box-optimum patterns of the worst undecided sectors (candidates)
    fan: object = field(default=None, repr=False)   # the fan built (reusable by the certificate)


def price(K: np.ndarray, Lam: np.ndarray, alpha: float, *, keep: int = 8,
          margin: float = PRICING_MARGIN, cells: CellSet | None = None) -> FanPricing:
    """Pricing for dY = 2 by the fan: violators from sectors whose bound fails at a real
    pattern; ``exhaustive`` when no cell was left undecided.

    The fan is built for (1 - margin) Lambda: at an optimum the cone condition is tight, and a
    fan proving it with zero margin would have to resolve every tight direction exactly. The
    returned ``ratio`` is therefore an upper bound alpha / (1 - margin)^2 when nothing is
    violated (the caller's dual scaling stays valid) and the largest violation otherwise."""
    s = 1.0 - margin
    fan = build_fan(K, s * Lam, alpha, cells)
    v = sorted(fan.violations, key=lambda t: -t[2])[:keep]
    ratio = v[0][2] / s ** 2 if v else alpha / s ** 2
    und = [t[3] for t in sorted(fan.failed, key=lambda t: -t[2])[:keep]]
    return FanPricing(ratio, [t[3] for t in v], [t[2] / s ** 2 for t in v], not fan.failed, und, fan)


def _split_rays(s1, s2, bound, r1, r2, feas):
    """Split rays for a batch of failing sectors: where the most violated free coordinate meets
    its bound (nudged by NUDGE into the side where it stays free) for infeasible sectors whose
    slack changes sign; the bisector otherwise."""
    n = len(s1)
    rows = np.arange(n)
    i = np.argmin(np.where(bound, np.inf, np.minimum(s1, s2)), axis=1)
    a, b = s1[rows, i], s2[rows, i]
    n1 = r1 / np.linalg.norm(r1, axis=1, keepdims=True)
    n2 = r2 / np.linalg.norm(r2, axis=1, keepdims=True)
    m = np.abs(b)[:, None] * r1 + np.abs(a)[:, None] * r2       # zero of the linear slack
    m = m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-300)
    free_side = np.where((a > 0)[:, None], n1, n2)
    m = m + NUDGE * (free_side - m)
    use = ~feas & (a * b < 0)
    # a switching ray (numerically) on an end ray would leave an empty sector: bisect instead
    inner = (n1[:, 0] * m[:, 1] - n1[:, 1] * m[:, 0] > 1e-14) & \
        (m[:, 0] * n2[:, 1] - m[:, 1] * n2[:, 0] > 1e-14)
    return np.where((use & inner)[:, None], m, n1 + n2)


def _failure(K, Lam, F, cell, r1, r2, C):
    """Worst direction of an uncertified sector and the pattern of its box optimum there."""
    _, G = _sector_form(K, C[None], r1[None], r2[None], 1.0)
    th = np.linspace(0, 1, 33)
    U = (1 - th)[:, None] * r1 + th[:, None] * r2
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    vals = np.einsum("ni,ij,nj->n", U, G[0], U)
    u = U[int(np.argmax(vals))]
    h = K @ (C @ u)
    return cell, u, float(vals.max()), h, r1, r2


def pattern_ratio(Xt: np.ndarray, Lam: np.ndarray, h: np.ndarray) -> float:
    """|Lambda relu(h)|^2 / cost(h) for a reachable pattern h (cost = min-norm |w|^2)."""
    w = np.linalg.lstsq(Xt.T, h, rcond=None)[0]
    return float(np.sum((Lam @ np.maximum(Xt.T @ w, 0)) ** 2) / max(float(w @ w), 1e-300))


# ------------------------------------------------------------------------------------- exact

def _ray_ints(r: np.ndarray) -> list[int]:
    fr = [Fraction(float(x)) for x in r]
    d = 1
    for x in fr:
        d = math.lcm(d, x.denominator)
    return [int(x * d) for x in fr]


def certify(Xt: flint.fmpq_mat, Lam: flint.fmpq_mat, alpha: flint.fmpq,
            hint: Fan | None = None) -> CellCheck:
    """Exact decision of the dY = 2 cone condition from a float-built fan (module docstring).

    ``hint``: a fan the solver built for (nearly) the same dual point (its last exhaustive
    pricing, :attr:`numeric.solver.relu.Solution.fan`), reused as :mod:`numeric.solver.fan_hint`
    describes: the free coordinates of its box points rescaled (the bound ones are set to Lambda
    exactly by the check), every sector tested exactly, and a cell whose sectors fail or do not
    form a closed chain (:func:`fan_covers`) rebuilt for this Lambda."""
    D, P = Xt.nrows(), Xt.ncols()
    xi, dx = int_scale(Xt.entries())
    li, dl = int_scale(Lam.entries())
    Li = np.array(li, dtype=object).reshape(2, P)
    Xi = flint.fmpz_mat(D, P, xi)
    an, ad = int(alpha.p), int(alpha.q)
    big = an * (dx * dl) ** 2                         # alpha scaled to the integer Gram units
    Xf = np.array([[float(Xt[i, j]) for j in range(P)] for i in range(D)])
    K = Xf.T @ Xf
    Lf = np.array([[float(Lam[i, j]) for j in range(P)] for i in range(2)])
    flt = exact_data_floats(xi, dx, li, dl, (D, P), (2, P), alpha)
    ex = (Xi, Li, dl, big, ad, P, D)
    cs = cell_set(Xt)                                          # cells re-derived exactly from X~
    fan = _from_hint(hint, cs, Lf)
    exact = checked = 0
    if fan is not None:
        bad, exact = fan_hint.failing_cells(fan, lambda idx: _psd_cells(cs, idx, ex),
                                            lambda sl: _sectors_pass(fan, sl, flt, ex), _unchained)
        checked = len(fan.psd) + len(fan.cell)
        if bad is not None and not len(bad):
            return CellCheck(True, checked, exact_cones=exact)
        # a fresh fan of the failing cells only, indexed within them (all checks below apply)
        fan = None if bad is None else build_fan(K, Lf, float(alpha), CellSet(P, cs.masks(bad)))
    if fan is None:
        fan = build_fan(K, Lf, float(alpha), cs)
    checked += len(fan.psd) + len(fan.cell)
    # PSD cells: a I - Lambda_F K_FF Lambda_F^T >= 0 exactly (2 x 2: diagonal and determinant)
    for start in range(0, len(fan.psd), BATCH):
        if not np.all(_psd_cells(fan.cells, fan.psd[start:start + BATCH], ex)):
            return CellCheck(False, checked)
    if fan.violations or fan.failed:
        return _failed(Xt, Lam, alpha, fan, checked)
    if not fan_covers(fan, P):
        # (deep splits of nearly tight sectors can leave an empty sector: no proof, the caller
        # tries a larger shrink of the dual point)
        return CellCheck(False, checked)
    for start in range(0, len(fan.cell), BATCH):
        ok, n_exact = _sectors_pass(fan, slice(start, start + BATCH), flt, ex)
        exact += n_exact
        if not np.all(ok):
            return CellCheck(False, checked, exact_cones=exact)
    return CellCheck(True, checked, exact_cones=exact)


def _from_hint(hint: Fan | None, cs: CellSet, Lf: np.ndarray) -> Fan | None:
    """The hint's sectors with the box points rescaled to Lf (:mod:`numeric.solver.fan_hint`);
    None when it cannot be reused."""
    kappa = fan_hint.scale(hint, cs, Lf) if isinstance(hint, Fan) else None
    if kappa is None:
        return None
    return Fan(hint.cell, hint.r1, hint.r2, hint.C, hint.bound, hint.psd, [],
               hint.sectors_tried, hint.violations or [], cs, Lf, kappa * hint.scale)


def _psd_cells(cells: CellSet, idx: np.ndarray, ex) -> np.ndarray:
    """Exact alpha I - Lambda_F K_FF Lambda_F^T >= 0 for the cells idx (2 x 2: the diagonal and
    the determinant)."""
    Xi, Li, _, big, ad, P, D = ex
    Fm = cells.masks(idx)
    Z = [Xi * flint.fmpz_mat(P, len(idx), [int(v) for v in (Fm * Li[a][None, :]).T.ravel()])
         for a in range(2)]
    Zo = [np.array(z.entries(), dtype=object).reshape(D, len(idx)) for z in Z]
    g11, g22, g12 = ((Zo[0] * Zo[0]).sum(0), (Zo[1] * Zo[1]).sum(0), (Zo[0] * Zo[1]).sum(0))
    h11, h22, h12 = big - ad * g11, big - ad * g22, -ad * g12
    return np.asarray((h11 >= 0) & (h22 >= 0) & (h11 * h22 - h12 * h12 >= 0), dtype=bool)


def _sectors_pass(fan: Fan, sl: slice, flt, ex) -> tuple[np.ndarray, int]:
    """Per-sector verdicts for the sectors sl: the binary64 filter first, the rest exactly."""
    F = fan.cells.masks(fan.cell[sl])
    ok = sector_filter(*flt, fan.r1[sl], fan.r2[sl], fan.C[sl] * fan.scale, F)
    rest = np.flatnonzero(~ok)
    if len(rest):
        ok[rest] = _sectors_exact(*ex[:5], fan, sl.start + rest, *ex[5:])
    return ok, len(rest)


def _det_positive(r1: np.ndarray, r2: np.ndarray) -> np.ndarray:
    """Exact sign test det(r1, r2) > 0 for float rays (float with a rigorous error bound, exact
    rationals where the bound does not decide)."""
    ad, bc = r1[:, 0] * r2[:, 1], r1[:, 1] * r2[:, 0]
    det = ad - bc
    err = 4 * np.finfo(float).eps * (np.abs(ad) + np.abs(bc))
    out = det > err
    for j in np.flatnonzero(np.abs(det) <= err):
        a, b = [Fraction(float(x)) for x in r1[j]], [Fraction(float(x)) for x in r2[j]]
        out[j] = a[0] * b[1] - a[1] * b[0] > 0
    return out


def fan_covers(fan: Fan, P: int) -> bool:
    """Every non-PSD cell's sectors form a closed chain r1 -> r2 = next r1 (exact float
    equality) of sectors with det(r1, r2) > 0: a closed chain of positively oriented sectors
    winds around the origin at least once, so the sectors cover every direction."""
    total = fan.cells.count if fan.cells is not None else 2 ** P - 1
    if len(fan.cell) == 0:
        return len(fan.psd) == total
    cells_ok = len(np.union1d(np.unique(fan.cell), fan.psd)) == total
    return bool(cells_ok and not len(_unchained(fan)))


def _unchained(fan: Fan) -> np.ndarray:
    """The cells whose sectors do not form a closed chain of positively oriented sectors."""
    if len(fan.cell) == 0:
        return np.zeros(0, np.int64)
    ang = np.arctan2(fan.r1[:, 1], fan.r1[:, 0])
    order = np.lexsort((ang, fan.cell))
    cell, r1, r2 = fan.cell[order], fan.r1[order], fan.r2[order]
    start = np.r_[True, cell[1:] != cell[:-1]]
    first = np.flatnonzero(start)
    nxt = np.arange(len(cell)) + 1
    ends = np.r_[first[1:], len(cell)] - 1                   # last sector of each cell
    nxt[ends] = first                                        # wrap around
    good = _det_positive(r1, r2) & np.all(r2 == r1[nxt], axis=1)
    return np.unique(cell[~good])


def _sectors_exact(Xi, Li, dl, big, ad, fan, sl, P, D) -> np.ndarray:
    """Exact verdict per sector (``sl``: indices or a slice into the fan): the box at both rays
    and the copositivity of the 2 x 2 form in the ray coefficients, in integers."""
    cellv, C, bound = fan.cell[sl], fan.C[sl] * fan.scale, fan.bound[sl]
    n = len(cellv)
    F = fan.cells.masks(cellv)
    # exact C: bound coordinates = Lambda^T rows on F, 0 off F; free ones on the grid 1/dl
    Ci = _TO_INT(np.round(C * float(dl)))
    LT = Li.T                                                     # (P, 2) object
    Ci = np.where(bound[:, :, None], np.where(F[:, :, None], LT[None], 0), Ci)
    # (box) at both rays, exactly
    in_box = np.ones(n, dtype=bool)
    for R in (fan.r1[sl], fan.r2[sl]):
        ri = np.array([_ray_ints(r) for r in R], dtype=object)    # (n, 2)
        cu = Ci[:, :, 0] * ri[:, 0:1] + Ci[:, :, 1] * ri[:, 1:2]
        lu = LT[None, :, 0] * ri[:, 0:1] + LT[None, :, 1] * ri[:, 1:2]
        slack = np.where(F, cu - lu, -cu)
        in_box &= np.all((slack >= 0) | bound, axis=1)
    # 2 x 2 forms: G = (Xi C)^T (Xi C) in units (dx dl)^2
    flat = [int(v) for v in np.concatenate([Ci[:, :, 0], Ci[:, :, 1]], axis=0).T.ravel()]
    Z = Xi * flint.fmpz_mat(P, 2 * n, flat)
    Zo = np.array(Z.entries(), dtype=object).reshape(D, 2 * n)
    z0, z1 = Zo[:, :n], Zo[:, n:]
    g11, g22, g12 = (z0 * z0).sum(0), (z1 * z1).sum(0), (z0 * z1).sum(0)
    h11, h22, h12 = big - ad * g11, big - ad * g22, -ad * g12
    r1 = np.array([_ray_ints(r) for r in fan.r1[sl]], dtype=object)
    r2 = np.array([_ray_ints(r) for r in fan.r2[sl]], dtype=object)

    def form(a, b):
        return (a[:, 0] * (h11 * b[:, 0] + h12 * b[:, 1]) + a[:, 1] * (h12 * b[:, 0] + h22 * b[:, 1]))

    t11, t22, t12 = form(r1, r1), form(r2, r2), form(r1, r2)
    ok = (t11 >= 0) & (t22 >= 0) & ((t12 >= 0) | (t12 * t12 <= t11 * t22))
    return np.asarray(ok, dtype=bool) & in_box


def _failed(Xt, Lam, alpha, fan, checked) -> CellCheck:
    """An uncertified sector: evaluate the float maximiser exactly; report it if it violates."""
    P = Xt.ncols()
    for _cell, _u, _ratio, h, *_ in sorted(fan.violations + fan.failed, key=lambda t: -t[2])[:8]:
        Xf = np.array([[float(Xt[i, j]) for j in range(P)] for i in range(Xt.nrows())])
        w = np.linalg.lstsq(Xf.T, h, rcond=None)[0]
        wq = rq.mat(w[:, None])
        hq = Xt.transpose() * wq
        r = Lam * flint.fmpq_mat(P, 1, [v if v > 0 else flint.fmpq(0) for v in hq.entries()])
        margin = alpha * sum((v * v for v in wq.entries()), flint.fmpq(0)) - sum((v * v for v in r.entries()), flint.fmpq(0))
        if margin < 0:
            return CellCheck(False, checked, list(hq.entries()), margin)
    return CellCheck(False, checked)
