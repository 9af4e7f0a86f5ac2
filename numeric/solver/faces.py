r"""Singular inputs, any number of outputs: the cone condition on every face of the arrangement.

Problem
-------
On singular inputs (rank r of X~ below P) the reachable patterns are h = X~^T w, and the cone
condition of a dual point Lambda (dY x P) is

    |Lambda relu(h)|^2 <= alpha cost(h)   for every reachable h,   alpha = lam1 lam2,    (*)

cost(h) = min{|w|^2 : X~^T w = h}. The penalised ``range`` minorant of
:mod:`numeric.solver.certificate` relaxes this to all of R^P (3^P signed supports, P <= 12);
the cell fans (:mod:`numeric.solver.simplices`) need a fan of output directions, at most five
outputs. This module decides (*) exactly with neither limit.

Coordinates. Let R (r x P) be r independent rows of X~ and X~ = F R (F = D x r). Then
h = R^T u with u = F^T w running over R^r, and cost(h) = u^T M u with M = (F^T F)^{-1} (the
least |w|^2 with F^T w = u); M = I when X~ has full row rank. The sample hyperplanes are
R_i^T u = 0 (R_i the i-th column).

Theorem (derived here; the order-free Cottle-Habetler-Lemke test with linear constraints).
Let A be symmetric and K = {x in R^n : x >= 0, E x = 0}. For S in [n] let Z_S be a basis of
{y in R^S : E_S y = 0} and, when G_S = Z_S^T A_SS Z_S is invertible, H_S = Z_S G_S^{-1} Z_S^T.
Then A is copositive on K iff no S has G_S invertible and H_S 1 < 0 entrywise.

*Witness => not copositive.* x = -H_S 1 > 0 on S lies in K, and H A H = H gives
x^T A x = 1^T H_S 1 = -1^T x < 0.
*Not copositive => witness.* Take a minimiser x* of x^T A x on K with 1^T x = 1 (value m < 0)
of least support S. KKT on the face: A_SS x* = m 1 + E_S^T nu, so x* = Z y with
G_S y = m Z^T 1. If G_S z = 0 for some z != 0, the line x* + t Z z keeps the value m (and 1^T x
changes unless 1^T Z z = 0, which would make the homogeneous quotient x^T A x / (1^T x)^2 < m
on one side, contradicting minimality); moving along it until an entry vanishes gives a
minimiser of smaller support -- a contradiction. So G_S is invertible, x* = m H_S 1, and
m < 0, x* > 0 give H_S 1 < 0.

Application. On the orthant of a sign vector s in {+1,-1}^P, write h = D_s x, x >= 0; the
reachable ones are those with D_s x in range(R^T), and (*) there is the copositivity of
A = alpha D_s Q D_s - D_+ Lambda^T Lambda D_+ (Q the cost form, D_+ the indicator of s = +1) on
that cone. For a subset S the witness x = -H_S 1 is positive on S and zero elsewhere, so
h = D_s x is a reachable pattern with sign vector exactly s on S and 0 off S: a *face* of the
sample arrangement. Only the faces can carry a witness. On the face with zero set Z (a flat
{R_Z^T u = 0} with an integer basis N, r x k) and signs s, with RN = R^T N (P x k) and
T = {s = +1}:

    G = alpha N^T M N - B^T B,   B = Lambda D_T RN (dY x k),   c = G^{-1} RN^T s,

and the face is a witness iff s_i (RN c)_i < 0 for every i outside Z (then u = -N c violates
(*): alpha u^T M u - |Lambda relu(R^T u)|^2 = -sum_i |(RN c)_i| < 0). So (*) holds iff no face
of the arrangement is a witness: one k x k rational solve per face, k <= r, whatever dY.
There are far fewer faces than 3^P signed supports when r is small (P = 30 samples in the plane
with a bias, r = 3: 1 801 faces), as many (up to the empty ones) when r = P.

Filter. Before the integers, a rigorous binary64 filter (:mod:`numeric.solver.face_filter`,
derived there: a verified inverse of G and error bounds on v) proves most faces no witness, a
flat at a time; it never declares a witness, so the verdict cannot change. Measured on three
outputs, P = 14, rank 6 (134 008 faces, a certified dual point): 95 faces left to the integers,
0.78 s against 10 s for all of them in integers.

Enumeration (exact, :func:`flats`). Every face is an open cell of the arrangement restricted to
its flat. Flats are generated from the whole space by intersecting with one more sample
hyperplane at a time; each is keyed by its *closed* zero set (every sample hyperplane that
contains it), so repeated, parallel or coplanar data give each flat once; the hyperplanes that
cut a flat in the same sub-flat are grouped by the direction of their restricted normals, so a
basis is computed once per new flat. The cells of each flat are read off the arrangement's rays
(:mod:`numeric.solver.flat_faces`: the one-dimensional flats in it, completed around each ray;
derived there), identical to :func:`numeric.solver.arrangement.cells` on the restricted normals
R_i^T N (``ENUMERATION = "nullspaces"``, the code before). Measured
(``benchmarks/solver/face_enumeration.py``, one thread): 5.3-7.5x faster on random data with
1 522-134 008 faces, 1.8-2.2x on grid points with many collinear and coplanar points
(both sides merging parallel rows; 3.3x against the code before at P = 40).
Dimension 0 (the origin) carries no pattern.

Pricing (:func:`price`, float64). The largest ratio |Lambda relu(h)|^2 / cost(h) over the
reachable patterns is attained in the relative interior of some face, where it is a critical
point of the generalised Rayleigh quotient of (B^T B, N^T M N): a generalised eigenvector with
the face's signs. All faces are enumerated, batched per flat (``eigh``), so the maximum is
exhaustive up to round-off (a degenerate eigenspace may hide a vector of the face; the value is
then attained on a smaller face, which is enumerated too). The exact check above is the proof.

Failure modes: arrangements with more than ``max_faces`` faces are refused (ValueError naming
the count); a witness that fails exact re-evaluation raises RuntimeError (a bug, never a
result).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import flint
import numpy as np

from numeric.solver import arrangement, face_filter, flat_faces, float_filter
from numeric.solver.cells import int_scale
from numeric.solver import rational as rq
from numeric.solver.signed_filter import entry_floats

#: refuse arrangements with more faces than this (one exact k x k solve each, most of them
#: proved by the binary64 filter). Measured, six outputs, random inputs (one thread, solve +
#: certificate, all certified): P = 16, rank 6 (288 576 faces) 38 + 11 s; P = 14, rank 7
#: (417 146) 22 + 14 s; P = 16, rank 7 (1 084 226) 59 + 43 s, of which the exact enumeration
#: 24 s (the verifier repeats it; 4.3 s since the enumeration reads the faces off the rays,
#: re-verification 29 -> 10 s); P = 16, rank 8 (3 217 216 faces) 296 + 57 s, a valid bracket
#: of 1.07e-12, just above the 1e-12 tolerance (the float gap stalls there). Was 2^20 before
#: the filter.
MAX_FACES = 1 << 22
#: how the faces of each flat are enumerated: "rays" (:mod:`numeric.solver.flat_faces`: the
#: arrangement's rays, found once, completed per flat; flats grouped per direction) or
#: "nullspaces" (the code before: each flat on its own, one integer null space per subset of its
#: hyperplanes; the benchmark peer). Same output, flat by flat (tested).
ENUMERATION = "rays"
#: faces priced per numpy batch (memory ~ BATCH dY P doubles).
BATCH = 4096
#: float pricing: a pattern counts as inside its face when s_i h_i >= -SIGN_TOL max|h|.
SIGN_TOL = 1e-12
#: singular inputs with at least this many outputs are priced and certified on the faces when
#: their arrangement has at most PREFERRED_MAX_FACES faces (generic count), the rest of two to
#: five outputs on the cell fans of numeric.solver.simplices / sectors
#: (:func:`numeric.solver.simplices.prefers_fan`). Measured (benchmarks/solver/faces.py, solve +
#: certificate, one thread): the faces were 2.1-73x faster on the five instances of two to five
#: outputs with at most 9 024 faces, and -- since the ridge fit term is evaluated stably
#: (numeric.solver.ridge) -- as tight or tighter on 30-60 points of a line (3.1e-13 against
#: 8.3e-13, three outputs, P = 60), where before they stopped at 1.1-2.7e-12. (Before that it
#: was 6: six or more outputs only.)
PREFERRED_DY_MIN = 2
#: ... up to this many faces (generic count); beyond, two to five outputs go to the fans.
#: Measured (solve + certificate, benchmarks/solver/faces.py): four outputs, P = 16, rank 5
#: (59 202 faces): faces 9.2 + 2.6 s, fans 27 + 10 s; three outputs, P = 14, rank 6 (134 008
#: faces): faces 11.5 + 4.8 s, fans 9.2 + 3.9 s (with the face filter; before it the faces'
#: certificates took 6.7 and 16 s).
PREFERRED_MAX_FACES = 1 << 16
#: (two outputs: up to MAX_FACES -- their fans are far slower: 2-d inputs, P = 24, rank 3,
#: 2 210 faces: fans 513 s, faces 7 s; 3-d inputs, P = 40, rank 4, 158 240 faces: faces 57 + 13 s,
#: fans 257 + 1 016 s, 60 rounds (the limit), bracket 1.2e-2, not certified.)


@dataclass(frozen=True)
class Flat:
    zeros: tuple                  # samples whose hyperplane contains the flat (closed set)
    N: flint.fmpz_mat             # r x k integer basis of the flat, u = N c
    signs: np.ndarray             # (n, P) int8 sign vectors of its faces (0 on ``zeros``)


@dataclass
class Geometry:
    R: flint.fmpq_mat             # r x P: h = R^T u
    M: flint.fmpq_mat             # r x r: cost(h) = u^T M u
    flats: list
    float_flats: list = field(default_factory=list, repr=False)
    source: object = field(default=None, repr=False, compare=False)   # the X~ it was made from

    @property
    def n_faces(self) -> int:
        return sum(f.signs.shape[0] for f in self.flats)


@dataclass(frozen=True)
class FaceCheck:
    ok: bool
    checked: int
    witness: list | None = None   # exact pattern h violating (*) (fmpq), when not ok
    value: object = None          # alpha cost(h) - |Lambda relu(h)|^2 at the witness (< 0)
    exact: int | None = None      # faces decided in integers (the rest by the binary64 filter)


@dataclass(frozen=True)
class FacePricing:
    ratio: float                  # max |lam relu(h)|^2 / cost(h) over the reachable patterns
    patterns: list                # patterns h (cost 1) with ratio above the threshold, best first
    values: list                  # their ratios
    faces: int


def generic_face_count(P: int, r: int) -> int:
    """Faces of dimension >= 1 of P central hyperplanes of rank r in general position:
    sum over codimension c < r of C(P, c) N(P - c, r - c) (N of
    :func:`numeric.solver.arrangement.generic_count`)."""
    if P < 0 or r < 0 or r > P:
        raise ValueError(f"need 0 <= r <= P; got P = {P}, r = {r}")
    return sum(math.comb(P, c) * arrangement.generic_count(P - c, r - c) for c in range(r))


def reduce(Xt: flint.fmpq_mat) -> tuple[flint.fmpq_mat, flint.fmpq_mat]:
    """(R, M) with X~ = F R, R = r independent rows of X~, M = (F^T F)^{-1}; checked exactly."""
    D, P = Xt.nrows(), Xt.ncols()
    basis = rq.row_basis(Xt)
    r = len(basis)
    if r == 0:
        raise ValueError("`Xt` must have rank >= 1; got the zero matrix")
    R = flint.fmpq_mat(r, P, [Xt[i, j] for i in basis for j in range(P)])
    if r == D:
        return Xt, rq.eye(D)
    cols: list[int] = []
    for j in range(P):
        trial = flint.fmpq_mat(r, len(cols) + 1, [R[i, c] for i in range(r) for c in cols + [j]])
        if trial.rank() == len(cols) + 1:
            cols.append(j)
            if len(cols) == r:
                break
    Rc = flint.fmpq_mat(r, r, [R[i, c] for i in range(r) for c in cols])
    Xc = flint.fmpq_mat(D, r, [Xt[i, c] for i in range(D) for c in cols])
    F = Xc * Rc.inv()
    if F * R != Xt:
        raise RuntimeError("internal error: rank factorisation X~ = F R failed exactly")
    return R, (F.transpose() * F).inv()


def flats(rows: list[list[int]]) -> list[tuple[tuple, flint.fmpz_mat]]:
    """Every flat of dimension >= 1 of the central arrangement with integer normals ``rows``
    (P vectors in Z^r of rank r), as (closed zero set, integer basis r x k), largest first.

    A flat F (basis N) cut by a hyperplane i outside its zero set Z gives the flat F n H_i,
    whose closed zero set is Z together with every j whose restricted normal U_j N is parallel
    to U_i N (U_j vanishes on the hyperplane {U_i N c = 0} of F exactly then); so the free
    hyperplanes are grouped by the direction of U_j N, and a basis is computed once per new
    flat."""
    def split(Um, Z, N, k, nxt):
        ent = [int(v) for v in (Um * N).entries()]
        covered = set(Z)
        groups: dict[tuple, list[int]] = {}
        for i in range(Um.nrows()):
            if i not in covered:
                key = arrangement.direction(ent[i * k:(i + 1) * k])[0]
                groups.setdefault(key, []).append(i)
        for members in groups.values():
            Z2 = tuple(sorted(covered.union(members)))
            if Z2 not in nxt:
                i = members[0]
                nxt[Z2] = _cut(N, flint.fmpz_mat(1, k, ent[i * k:(i + 1) * k]))

    return _by_levels(rows, split)


def _by_levels(rows, split) -> list[tuple[tuple, flint.fmpz_mat]]:
    """The flats level by level from the whole space: ``split(Um, Z, N, k, nxt)`` adds to
    ``nxt`` the flats of dimension k - 1 inside the flat (Z, N) of dimension k."""
    r = len(rows[0])
    Um = flint.fmpz_mat(rows)
    eye = flint.fmpz_mat(r, r, [int(i == j) for i in range(r) for j in range(r)])
    level = {_zero_set(Um, eye): eye}
    out = list(level.items())
    for k in range(r, 1, -1):
        nxt: dict[tuple, flint.fmpz_mat] = {}
        for Z, N in level.items():
            split(Um, Z, N, k, nxt)
        out.extend(nxt.items())
        level = nxt
    return out


def _cut(N: flint.fmpz_mat, a: flint.fmpz_mat) -> flint.fmpz_mat:
    """A primitive integer basis (r x (k - 1)) of the flat {N c : a c = 0} (a: 1 x k, non-zero)."""
    k = N.ncols()
    X, nullity = a.nullspace()
    if nullity != k - 1:
        raise RuntimeError("internal error: a sample hyperplane contains its flat")
    return _primitive_columns(N * flint.fmpz_mat(k, k - 1, [X[i, j] for i in range(k)
                                                           for j in range(k - 1)]))


def geometry(Xt: flint.fmpq_mat, *, max_faces: int | None = None) -> Geometry:
    """The exact face enumeration of the data X~ (D x P, rational); at most ``max_faces``
    faces (default: MAX_FACES, read at call time)."""
    max_faces = MAX_FACES if max_faces is None else max_faces
    R, M = reduce(Xt)
    r, P = R.nrows(), R.ncols()
    bound = generic_face_count(P, r)
    if bound > 64 * max_faces:
        raise ValueError(f"the arrangement has up to {bound} faces (P = {P}, rank {r}); "
                         f"`max_faces` is {max_faces}")
    rows = arrangement.integer_rows(R)
    if ENUMERATION not in ("rays", "nullspaces"):
        raise ValueError(f"`faces.ENUMERATION` must be 'rays' or 'nullspaces'; got {ENUMERATION!r}")
    flat_list = (flats if ENUMERATION == "rays" else _flats_one_by_one)(rows)
    if ENUMERATION == "rays":
        per_flat = flat_faces.per_flat(rows, flat_list)
    else:
        per_flat = (_cells_of_flat(rows, Z, N) for Z, N in flat_list)
    out, total = [], 0
    for (Z, N), signs in zip(flat_list, per_flat):
        total += signs.shape[0]
        if total > max_faces:
            raise ValueError(f"the arrangement has more than {max_faces} faces (P = {P}, "
                             f"rank {r}); `max_faces` is {max_faces}")
        out.append(Flat(tuple(Z), N, signs))
    return Geometry(R, M, out, source=Xt)


def _flats_one_by_one(rows: list[list[int]]) -> list[tuple[tuple, flint.fmpz_mat]]:
    """:func:`flats` as it was before the grouping (the ``"nullspaces"`` benchmark peer): one
    null space and one closed zero set per (flat, hyperplane) pair. Same output."""
    def split(Um, Z, N, k, nxt):
        UN = Um * N
        covered = set(Z)
        for i in range(Um.nrows()):
            if i not in covered:
                B = _cut(N, flint.fmpz_mat(1, k, [UN[i, j] for j in range(k)]))
                Z2 = _zero_set(Um, B)
                covered.update(Z2)
                nxt.setdefault(Z2, B)

    return _by_levels(rows, split)


def _cells_of_flat(rows, Z, N) -> np.ndarray:
    """The faces spanning one flat on their own: the cells of the normals U_i N, i not in Z
    (:func:`numeric.solver.arrangement.cells`; the ``"nullspaces"`` enumeration)."""
    P = len(rows)
    free = [i for i in range(P) if i not in set(Z)]
    UN = flint.fmpz_mat([rows[i] for i in free]) * N
    k = N.ncols()
    sub = arrangement.cells([[int(UN[a, b]) for b in range(k)] for a in range(len(free))])
    signs = np.zeros((sub.shape[0], P), dtype=np.int8)
    signs[:, free] = sub
    return signs


# ------------------------------------------------------------------------------- exact check

def certify(geom: Geometry, Lam: flint.fmpq_mat, alpha: flint.fmpq, *,
            use_filter: bool | None = None) -> FaceCheck:
    """Decide (*) exactly: the first face that is a witness gives an exact violating pattern.

    The rigorous binary64 filter (:mod:`numeric.solver.face_filter`; default on unless
    ``EMERGENCE_EXACT_CONES=1``) proves most faces no witness, a flat at a time; the rest are
    decided in integers: with Lambda = L / dl, R^T N = RN / dn, N^T M N = G1 / dg and
    alpha = p / q (L, RN, G1 integer), q dg (dl dn)^2 G = p (dl dn)^2 G1 - q dg B^T B with
    B = L D_T RN; a positive multiple of G leaves the witness test unchanged."""
    R, M = geom.R, geom.M
    P = R.ncols()
    if Lam.ncols() != P:
        raise ValueError(f"`Lam` must have P = {P} columns; got {Lam.ncols()}")
    if not alpha > 0:
        raise ValueError(f"`alpha` must be > 0; got {alpha}")
    use_filter = float_filter.enabled() if use_filter is None else use_filter
    Lf, af = (entry_floats(Lam), int(alpha.p) / int(alpha.q)) if use_filter else (None, None)
    li, dl = int_scale(Lam.entries())
    L = flint.fmpz_mat(Lam.nrows(), P, li)
    p, q = int(alpha.p), int(alpha.q)
    checked = exact = 0
    for fl in geom.flats:
        N = flint.fmpq_mat(fl.N)
        RNq, G1q = R.transpose() * N, N.transpose() * M * N
        signs = fl.signs
        if use_filter:
            proved = face_filter.no_witness(Lf, af, entry_floats(RNq), entry_floats(G1q), signs)
            checked += int(proved.sum())
            signs = signs[~proved]
            if not len(signs):
                continue
        k = N.ncols()
        rni, dn = int_scale(RNq.entries())
        g1i, dg = int_scale(G1q.entries())
        RN = flint.fmpz_mat(P, k, rni)
        RNT = RN.transpose()
        A0 = flint.fmpz_mat(k, k, g1i) * (p * (dl * dn) ** 2)
        qd = q * dg
        # B = L D_T RN = sum over i in T of the outer products L_i RN_i
        outer = [L * flint.fmpz_mat(P, k, [rni[j * k + b] if j == i else 0 for j in range(P)
                                           for b in range(k)]) for i in range(P)]
        zero = flint.fmpz_mat(Lam.nrows(), k)
        for s in signs:
            checked += 1
            exact += 1
            B = sum((outer[i] for i in range(P) if s[i] > 0), zero)
            G = A0 - (B.transpose() * B) * qd
            try:
                c = G.solve(RNT * flint.fmpz_mat(P, 1, [int(v) for v in s]))
            except ZeroDivisionError:                    # G singular: never a witness
                continue
            ci, _ = int_scale(c.entries())              # a positive multiple of c, integer
            v = (RN * flint.fmpz_mat(k, 1, ci)).entries()
            if all(v[i] * int(s[i]) < 0 for i in range(P) if s[i]):
                return _witness(geom, Lam, alpha, N * c * (-1), checked, exact)
    return FaceCheck(True, checked, exact=exact)


def violation(geom: Geometry, Lam: flint.fmpq_mat, alpha: flint.fmpq, u: flint.fmpq_mat):
    """(h, alpha cost(h) - |Lambda relu(h)|^2) for h = R^T u, exactly."""
    h = geom.R.transpose() * u
    hp = flint.fmpq_mat(h.nrows(), 1, [x if x > 0 else flint.fmpq(0) for x in h.entries()])
    cost = (u.transpose() * geom.M * u)[0, 0]
    return h, alpha * cost - rq.sqnorm(Lam * hp)


def _witness(geom, Lam, alpha, u, checked, exact) -> FaceCheck:
    h, val = violation(geom, Lam, alpha, u)
    if not val < 0:
        raise RuntimeError(f"internal error: face witness failed exact verification (value {val}); "
                           "this is a bug")
    return FaceCheck(False, checked, list(h.entries()), val, exact)


# ------------------------------------------------------------------------------------ pricing

def _float_flats(geom: Geometry) -> list:
    """Per flat: (RNt, signs) with h = RNt c and cost(h) = |c|^2 (float64)."""
    if not geom.float_flats:
        R, M = rq.to_float(geom.R), rq.to_float(geom.M)
        for fl in geom.flats:
            N = rq.to_float(flint.fmpq_mat(fl.N))
            N = N / np.linalg.norm(N, axis=0)
            L = np.linalg.cholesky(N.T @ M @ N)
            RNt = np.linalg.solve(L, (R.T @ N).T).T               # P x k
            geom.float_flats.append((RNt, fl.signs))
    return geom.float_flats


def price(geom: Geometry, lam: np.ndarray, *, threshold: float | None = None,
          keep: int = 8) -> FacePricing:
    """max |lam relu(h)|^2 / cost(h) over every face (float64, exhaustive up to round-off), and
    up to ``keep`` patterns (cost 1) whose ratio exceeds ``threshold``, best first."""
    lam = np.asarray(lam, dtype=float)
    best, found = 0.0, []
    n = 0
    for RNt, signs in _float_flats(geom):
        for start in range(0, signs.shape[0], BATCH):
            S = signs[start:start + BATCH]
            n += S.shape[0]
            B = (lam[None, :, :] * (S > 0)[:, None, :]) @ RNt          # (m, dY, k)
            vals, vecs = np.linalg.eigh(np.swapaxes(B, 1, 2) @ B)      # (m, k), (m, k, k)
            H = RNt[None, :, :] @ vecs                                  # (m, P, k)
            sh = S[:, :, None] * H
            scale = np.max(np.abs(H), axis=1, keepdims=True)
            tol = SIGN_TOL * scale
            on = (S != 0)[:, :, None]
            plus = np.all(~on | (sh >= -tol), axis=1) & np.any(on & (sh > tol), axis=1)
            minus = np.all(~on | (sh <= tol), axis=1) & np.any(on & (sh < -tol), axis=1)
            inside = plus | minus
            if not inside.any():
                continue
            v = np.where(inside, vals, -np.inf)
            best = max(best, float(v.max()))
            if threshold is not None:
                for a, j in zip(*np.nonzero(v > threshold)):
                    h = H[a, :, j] * (1.0 if plus[a, j] else -1.0)
                    found.append((float(vals[a, j]), h))
                if len(found) > 4 * keep:
                    found.sort(key=lambda t: -t[0])
                    found = found[:keep]
    found.sort(key=lambda t: -t[0])
    found = found[:keep]
    return FacePricing(best, [h for _, h in found], [v for v, _ in found], n)


# ---------------------------------------------------------------------------------- internals

def _zero_set(Um: flint.fmpz_mat, B: flint.fmpz_mat) -> tuple:
    prod = Um * B
    k = B.ncols()
    return tuple(i for i in range(Um.nrows()) if all(prod[i, j] == 0 for j in range(k)))


def _primitive_columns(B: flint.fmpz_mat) -> flint.fmpz_mat:
    r, k = B.nrows(), B.ncols()
    cols = []
    for j in range(k):
        col = [int(B[i, j]) for i in range(r)]
        g = math.gcd(*col) or 1
        cols.append([x // g for x in col])
    return flint.fmpz_mat(r, k, [cols[j][i] for i in range(r) for j in range(k)])
