r"""Certificates of global optimality: build, serialise to JSON, re-verify without re-solving.

A certificate brackets the global minimum E* of the mean-field problem (equivalently the infimum
of the network loss over all widths) between two *exact rational* numbers:

* **upper** U = E(W, W2), the network loss of a concrete network, evaluated exactly from its
  definition |Y - W2 relu(W X~)|^2 + lam1 |W|^2 + lam2 |W2|^2 (floats enter as the rationals
  they are);
* **lower** L = D(Lambda) = 2 <Lambda, Y> - |Lambda|^2 for a rational dual point Lambda whose
  feasibility -- |Lambda relu(h)|^2 <= lam1 lam2 cost(h) for every reachable pattern h -- is
  proved exactly (weak duality, :mod:`symbolic.solver`).

The dual point of the float solution, Lambda = lam2 Y (lam2 + K)^{-1}, is feasible only up to
round-off, and at the optimum the cone condition is *tight* (zero on the support), so no float
or interval test can decide it. The certificate therefore shrinks it, Lambda_L = (1 - eps)
Lambda: since alpha C - (1-eps)^2 Lambda^T Lambda = (1-eps)^2 (alpha C - Lambda^T Lambda)
+ (2 eps - eps^2) alpha C, the shrunk point is *strictly* feasible with a margin ~ 2 eps alpha
lambda_min(C) that absorbs the round-off, and it costs only O(eps) in the bound. eps = 0, then
2^-44, 2^-43, ... are tried until the exact check passes. On the simplicial fans a shrink checks
only the cells the previous one left unproved: the cone condition is homogeneous in Lambda, so
a cell proved for a dual point is proved for every smaller multiple of it (the verifier re-checks
every cell of the certified point).

Cost minorants C (how the cone condition becomes a copositivity statement), re-derived by the
verifier from the data:

``structured``  C = (1 - delta) I - c J with c >= 0, (1 - delta) - cP >= 0 (a PSD Z-matrix) and
                delta^2 >= |Q - (I - cJ)|_F^2, so h^T Q h >= h^T C h >= relu(h)^T C relu(h)
                (Z-matrix lemma). Whitened inputs: c = 1/(P+1) (bias) or 0, delta = 0.
``zmatrix``     C = round(Q_-) - e I, Q_- the Z-matrix part of Q (positive off-diagonal entries set
                to 0), rounded to a dyadic grid 2^-g, e^2 >= |Q - round(Q_-)|_F^2 and C positive
                definite (Sylvester, exact).
``signed``      C = round(Q) - delta I with delta^2 >= |Q - round(Q)|_F^2 (so h^T Q h >= h^T C h for
                every h); both signs of every pattern entry are checked (3^P signed supports,
                P <= MAX_SIGNED_P; a rigorous binary64 filter proves almost every block no
                witness, :mod:`numeric.solver.signed_filter`, the rest are decided in rationals).
``range``       K_X singular: C = round(K_X^+) + t round(Pi_perp) - delta I (t > 0), below the true
                cost on reachable patterns (Pi_perp h = 0) and a relaxation elsewhere; delta
                covers both roundings; checked as ``signed`` (P <= MAX_RANGE_P: the penalty
                makes most blocks too ill-conditioned for the filter).
``faces``       K_X singular, any dY: no minorant -- the condition is checked in the reduced input
                coordinates (exact cost u^T M u) on every face of the data's hyperplane
                arrangement, one exact k x k solve per face (a constrained CHL test,
                :mod:`numeric.solver.faces`; a rigorous binary64 filter proves most faces
                first, :mod:`numeric.solver.face_filter`); the verifier re-enumerates the
                faces exactly.
                Used for six or more outputs (beyond the fans), and two to five where the
                arrangement has few faces (simplices.prefers_fan), up to faces.MAX_FACES faces.
``cells``       signed or singular inputs, dY <= 5 (P <= 18, or any P when rank < P): no
                minorant -- the condition is checked in input-weight space on each cell of the
                data's hyperplane arrangement by an exact box-QP bound
                (:mod:`numeric.solver.cells`; for dY = 2 and full rank on a fan of output
                directions, :mod:`numeric.solver.sectors`; for dY = 3 .. 5, and dY = 2 on
                singular inputs, on a fan of simplicial cones of directions,
                :mod:`numeric.solver.simplices`, see its ``handles``); works for any rank of
                K_X; for rank r < P only the non-empty cells, enumerated exactly by the verifier
                too (:mod:`numeric.solver.arrangement`), so P is limited by their number, not
                by 2^P.

Rounding matters for speed: the exact Q of float data has rationals with thousands of digits,
the rounded minorant 60-bit (or more) dyadics. It also matters for tightness: the certified
delta must stay below the shrink's margin on the smallest direction of Q, so ill-conditioned
inputs get 52 + log2(P cond(Q)) bits (:func:`cost_round_bits`; with a fixed 60 bits, six outputs
at cond(K_X) = 7.2e7 closed at 2.8e-11 instead of 5.1e-14).

The verifier recomputes Q, U, L and the cone check from the JSON alone; a certificate whose
stored bounds disagree with the recomputation, or whose cone check fails, is rejected.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from fractions import Fraction

import flint
import numpy as np

from numeric import tolerances as tol
from numeric.solver import cells, copositive, faces, float_filter, sectors, simplices
from numeric.solver import rational as rq

FORMAT = "emergence.relu-certificate/1"
#: certified relative gap (U - L)/U at or below which ``global_optimum`` is reported true: the
#: issue's target accuracy for the optimal energy.
CERT_REL_GAP = tol.SOLVER_CERT_REL_GAP
#: above this P the exact signed cone check is refused (3^P blocks, walked as a tree,
#: numeric.solver.signed_tree; six outputs: 1.7 s at P = 14, 16 s at P = 16, 113 s at P = 17,
#: re-verified in 66 s; each step of P costs ~5x, so P = 18 would take ~10 min per walk).
#: Kept equal to pricing.MAX_SIGNED_P: the solver prices exhaustively where this can certify.
MAX_SIGNED_P = 17
#: the same for the penalised ``range`` minorant: its blocks mix the penalty t ~ 2^20 .. 2^80
#: with the cost, so the filter proves few of them (2 595 of 19 171 at P = 9, rank 5) and the
#: rest cost as much as before the filter.
MAX_RANGE_P = 12
MAX_ORTHANT_P = 16
#: structured minorant used when |Q - (I - cJ)|_F <= this (float-whitened inputs).
STRUCTURED_DELTA_MAX = tol.SOLVER_STRUCTURED_DELTA_MAX
#: dual rounding grid: Lambda is rounded to multiples of 2^-GRID_BITS * max|Lambda|.
GRID_BITS = 52
#: the exact data-derived cost matrix is rounded to at least ROUND_BITS significant bits (its
#: rational entries can have thousands of digits); the rounding error is certified and
#: subtracted (delta). More bits on ill-conditioned inputs: :func:`cost_round_bits`.
ROUND_BITS = 60
#: the subtracted delta |h|^2 must stay below the shrink's margin ~2^-43 lam_min(Q) |h|^2, and
#: delta ~ P max|Q| 2^-bits / 2, so ``cost_round_bits`` keeps bits >= ROUND_MARGIN_BITS +
#: log2(P cond(Q)) (cond on the range of Q).
ROUND_MARGIN_BITS = 52
#: shrinks 1 - 2^-bits of the dual point tried in turn. The lower bound falls linearly in the
#: shrink (D(s Lambda) is not stationary along the ray), so bits 44..39 are tried one by one:
#: measured on 1-d inputs with two and three outputs (rank 2, P = 30), 2^-41 failed (the
#: ascent's largest violation ratio was ~1e-12 short of the true one) and 2^-38 gave a
#: 2.1e-12 gap, above the 1e-12 target that 2^-40 meets.
EPS_TRIES = (0, 44, 43, 42, 41, 40, 39, 38, 35, 32, 29, 26, 20, 14)


class CertificateError(ValueError):
    """The certificate is malformed or fails exact re-verification."""


@dataclass
class VerifyReport:
    ok: bool
    upper: Fraction | None
    lower: Fraction | None
    rel_gap: float | None
    cone: str
    checked: int
    seconds: float
    problems: list[str] = field(default_factory=list)

    @property
    def global_optimum(self) -> bool:
        return self.ok and self.rel_gap is not None and self.rel_gap <= CERT_REL_GAP


# ----------------------------------------------------------------------------------- exact data

def _exact_problem(X, Y, lam1, lam2, bias):
    Xq, Yq = rq.mat(X), rq.mat(Y)
    Xt = rq.augment(Xq, bias)
    return Xq, Yq, rq.q(lam1), rq.q(lam2), Xt


def _range_data(Xt: flint.fmpq_mat):
    """(rank, K_X^+, Pi_perp) exactly: K_X^+ = B (B^T K_X B)^{-1} B^T, B a basis of range(X~^T)."""
    P = Xt.ncols()
    KX = Xt.transpose() * Xt
    XtT = Xt.transpose()                                  # P x D: columns span range(X~^T)
    basis = rq.row_basis(Xt)                              # independent rows of X~ = columns of X~^T
    r = len(basis)
    B = flint.fmpq_mat(P, r, [XtT[i, j] for i in range(P) for j in basis])
    Qp = B * (B.transpose() * KX * B).inv() * B.transpose()
    Pi = rq.eye(P) - B * (B.transpose() * B).inv() * B.transpose()
    return r, KX, Qp, Pi


def _cost_minorant(kind: str, params: dict, Q, Pi, P):
    """(C, problems) for a stored minorant recipe, with every side condition checked exactly."""
    bad = []
    if kind == "structured":
        c, delta = rq.q(params["c"]), rq.q(params["delta"])
        if c < 0 or delta < 0:
            bad.append(f"structured minorant needs c >= 0 and delta >= 0; got c={c}, delta={delta}")
        if (1 - delta) - c * P < 0:
            bad.append("structured minorant (1-delta) I - cJ is not positive semidefinite")
        S = rq.eye(P) - rq.ones(P, P) * c
        if delta * delta < rq.sqnorm(Q - S):
            bad.append("delta^2 < |Q - (I - cJ)|_F^2: the minorant is not certified")
        return (S - rq.eye(P) * delta), bad, (1 - delta, c)
    if kind == "zmatrix":
        e, g = rq.q(params["e"]), int(params["grid"])
        Qm = flint.fmpq_mat(P, P, [Q[i, j] if (i == j or Q[i, j] <= 0) else 0
                                   for i in range(P) for j in range(P)])
        Qr = rq.round_to_grid(Qm, g)
        if e < 0 or e * e < rq.sqnorm(Q - Qr):
            bad.append("e^2 < |Q - round(Q_-)|_F^2: the Z-matrix minorant is not certified")
        if any(Qr[i, j] > 0 for i in range(P) for j in range(P) if i != j):
            bad.append("Z-matrix minorant has a positive off-diagonal entry")
        C = Qr - rq.eye(P) * e
        if not rq.is_positive_definite(C):
            bad.append("Z-matrix minorant round(Q_-) - e I is not positive definite")
        return C, bad, None
    if kind == "signed":
        delta, g = rq.q(params["delta"]), int(params["grid"])
        Qr = rq.round_to_grid(Q, g)
        if delta < 0 or delta * delta < rq.sqnorm(Q - Qr):
            bad.append("delta^2 < |Q - round(Q)|_F^2: the rounded cost is not a minorant")
        return Qr - rq.eye(P) * delta, bad, None
    if kind == "range":
        t, delta = rq.q(params["t"]), rq.q(params["delta"])
        g, gp = int(params["grid"]), int(params["grid_pi"])
        if not t > 0:
            bad.append(f"range penalty t must be > 0; got {t}")
        Qr, Pr = rq.round_to_grid(Q, g), rq.round_to_grid(Pi, gp)
        d1 = rq.rational_upper_sqrt(rq.sqnorm(Q - Qr))
        d2 = rq.rational_upper_sqrt(rq.sqnorm(Pi - Pr))
        if delta < d1 + t * d2:
            bad.append("delta < |Q - round(Q)|_F + t |Pi - round(Pi)|_F: the rounded penalised "
                       "cost is not a minorant")
        return Qr + Pr * t - rq.eye(P) * delta, bad, None
    raise CertificateError(f"`cost_bound.kind` must be one of structured, zmatrix, signed, range, cells, faces; got {kind!r}")


def _cells_cone(Xt, alpha, Lam, hint=None, only=None, *,
                collect: bool = True) -> tuple[copositive.ConeResult, object]:
    """The cells check of the dual point Lam, and (simplicial fans, ``collect``) the cells it
    left unproved (None: all, or not collected); ``only``: check those cells alone
    (:func:`numeric.solver.simplices.certify`). The verifier does not collect: it stops at the
    first unproved cell and reports a witness when there is one."""
    if Lam.nrows() == 1:
        res = cells.certify(Xt, Lam, alpha)
        method = ("exact box-QP bounds on every cell of the input arrangement (dY = 1; all 2^P "
                  "firing sets, or the exactly enumerated non-empty cells when rank < P)")
    elif not simplices.handles(Lam.nrows(), Xt.rank() == Xt.ncols()):
        res = sectors.certify(Xt, Lam, alpha, hint if isinstance(hint, sectors.Fan) else None)
        method = ("exact box-QP bounds on every cell of the input arrangement, on a fan of "
                  "output directions per cell (dY = 2)")
    else:
        res = simplices.certify(Xt, Lam, alpha, hint if isinstance(hint, simplices.SimplexFan) else None,
                                only=only, collect=collect)
        method = ("exact box-QP bounds on every cell of the input arrangement, on a fan of "
                  f"simplicial cones of output directions per cell (dY = {Lam.nrows()})")
    if Lam.nrows() > 1 and res.ok:
        method += (f"; {res.exact_cones} cone tests in integers, the others proved by the binary64 "
                   "filter" if float_filter.enabled() else "; every cone test in integers")
    return copositive.ConeResult(res.ok, method, res.checked,
                                 None if res.witness is None else [rq.frac(x) for x in res.witness],
                                 None if res.value is None else rq.frac(res.value)), res.failing


def _faces_cone(geom, alpha, Lam) -> copositive.ConeResult:
    res = faces.certify(geom, Lam, alpha)
    method = (f"exact constrained CHL test on every face of the input arrangement ({res.checked} "
              f"faces checked of {geom.n_faces}, {res.exact} of them in integers, the rest by the "
              f"rigorous binary64 filter; any dY, singular inputs)")
    return copositive.ConeResult(res.ok, method, res.checked,
                                 None if res.witness is None else [rq.frac(x) for x in res.witness],
                                 None if res.value is None else rq.frac(res.value))


def _cone(kind, alpha, C, Lam, extra) -> copositive.ConeResult:
    if kind == "structured":
        return copositive.structured(alpha, extra[0], extra[1], Lam)
    if kind == "zmatrix":
        return copositive.orthant(alpha, C, Lam, max_n=MAX_ORTHANT_P + 4)
    return copositive.signed(alpha, C, Lam, max_p=MAX_SIGNED_P)


# ------------------------------------------------------------------------------------- building

def _choose_minorant(Q, full_rank: bool, Qf: np.ndarray, P: int, bias: bool, dY: int = 2,
                     fans: bool = True):
    if not full_rank:
        return ("cells", {}) if dY == 1 else ("range", {"t": None})
    off = Qf - np.diag(np.diag(Qf))
    c_guess = Fraction(max(0.0, float(-off.sum() / max(P * (P - 1), 1)))).limit_denominator(10 ** 6)
    for c in (Fraction(1, P + 1) if bias else Fraction(0), c_guess):
        S = rq.eye(P) - rq.ones(P, P) * rq.q(c)
        d2 = rq.sqnorm(Q - S)
        delta = rq.rational_upper_sqrt(d2)
        if float(rq.frac(delta)) <= STRUCTURED_DELTA_MAX and (1 - float(rq.frac(delta))) - float(c) * P >= 0:
            return "structured", {"c": str(c), "delta": str(delta)}
    Qm = flint.fmpq_mat(P, P, [Q[i, j] if (i == j or Q[i, j] <= 0) else 0 for i in range(P) for j in range(P)])
    g = rq.grid_exponent(Q, ROUND_BITS)
    if float(rq.frac(rq.sqnorm(Q - Qm))) <= STRUCTURED_DELTA_MAX ** 2 and P <= MAX_ORTHANT_P:
        e = rq.rational_upper_sqrt(rq.sqnorm(Q - rq.round_to_grid(Qm, g)))
        return "zmatrix", {"e": str(e), "grid": g}
    if ((dY == 1 or (fans and simplices.prefers_fan(dY, P, True, cond=float(np.linalg.cond(Qf)))))
            and P <= cells.MAX_CELLS_P):
        return "cells", {}
    g = rq.grid_exponent(Q, cost_round_bits(Qf))
    delta = rq.rational_upper_sqrt(rq.sqnorm(Q - rq.round_to_grid(Q, g)))
    return "signed", {"delta": str(delta), "grid": g}


def cost_round_bits(Qf: np.ndarray) -> int:
    """Significant bits to which the exact cost matrix Q (or K_X^+) is rounded for the ``signed``
    and ``range`` minorants: ROUND_BITS, or ROUND_MARGIN_BITS + log2(P cond(Q)) when that is more.

    Why. The minorant subtracts delta I with delta >= |Q - round(Q)|_F ~ P max|Q| 2^-bits / 2,
    while the dual point's shrink by 2^-44 only buys a margin ~2^-43 alpha lam_min(Q) |h|^2; on
    the direction of lam_min(Q) the loss is a fraction ~P cond(Q) 2^-bits of the cost. With a
    fixed 60 bits, six outputs at P = 10 with cond(K_X) = 7.2e7 needed the shrink 2^-35 and
    certified only 2.8e-11, although the float solution's exact dual point is feasible to 1e-14
    there: with 82 bits the same solution certifies at 5.1e-14 (benchmarks/solver/README.md,
    ``signed_conditioning.py``). ``Qf`` is the float Q: the choice is a heuristic for
    tightness and speed only; delta itself is certified exactly whatever the bits."""
    ev = np.abs(np.linalg.eigvalsh((Qf + Qf.T) / 2)) if Qf.size else np.zeros(0)
    top = float(np.max(ev, initial=0.0))
    rng = ev[ev > 1e-13 * top] if top > 0 else ev[:0]
    if not rng.size or not np.all(np.isfinite(rng)):
        return ROUND_BITS
    need = ROUND_MARGIN_BITS + np.log2(Qf.shape[0] * top / float(np.min(rng)))
    return max(ROUND_BITS, int(np.ceil(need)))


def _round_dual(Lam: np.ndarray) -> flint.fmpq_mat:
    scale = float(np.max(np.abs(Lam))) if Lam.size else 0.0
    if scale == 0:
        return rq.mat(np.zeros_like(Lam))
    k = GRID_BITS - int(np.ceil(np.log2(scale)))
    ints = np.round(Lam * 2.0 ** k)
    return flint.fmpq_mat(Lam.shape[0], Lam.shape[1],
                          [flint.fmpq(int(v), 1) / flint.fmpq(2) ** k for v in ints.ravel()])


def build(solution, *, max_p_signed: int = MAX_SIGNED_P) -> dict:
    """Exact certificate (a JSON-ready dict) for a :class:`numeric.solver.relu.Solution`.

    Singular inputs go to the faces of the arrangement where
    :func:`numeric.solver.simplices.prefers_fan` says so (six or more outputs; two to five when
    the arrangement has few faces -- the fans are then the fallback, :func:`build_on_fans`).
    Two to four outputs, and five where :func:`numeric.solver.simplices.prefers_fan`, try the cell
    fans first (on singular inputs over the non-empty cells of the arrangement); when the fans
    do not close -- or, for two outputs, close only with a
    bracket above the tolerance (the fans resolve tight directions to ~1e-12) -- the ``signed``
    or penalised ``range`` minorant (3^P signed supports, P <= ``max_p_signed``) is tried too
    and the tighter certificate is returned. The other way round, two to four outputs on
    full-rank inputs that :func:`numeric.solver.simplices.prefers_fan` sends to the signed
    supports fall back to the fans when that certificate fails or closes above the tolerance
    (the tighter one is returned)."""
    prob = solution.problem
    P = prob.P
    if prob.dY == 1 or not simplices.prefers_fan(prob.dY, P, prob.rank == P, prob.rank,
                                                 cond=prob.input_cond()):
        fans_reach = (prob.mode == "signed" and prob.rank == P and 2 <= prob.dY <= 4
                      and P <= cells.MAX_CELLS_P)
        try:
            first = _build(solution, max_p_signed, fans=True)
        except CertificateError:
            if prob.rank < P and 2 <= prob.dY <= simplices.MAX_DY:
                return build_on_fans(solution)  # two to five outputs on the faces: the fallback
            if not fans_reach:
                raise
            first = None
        if first is not None and (first["summary"]["global_optimum"] or not fans_reach):
            return first
        with simplices.fans_on_full_rank():     # the signed supports did not close: the fans
            return _tighter(first, lambda: _build(solution, max_p_signed, fans=True))
    try:
        fan = _build(solution, max_p_signed, fans=True)
    except CertificateError:
        fan = None
    # (three or more outputs: the 3^P check costs minutes at P = 12 and was never tighter than
    # the fans on the measured instances; it stays the fallback when the fans fail outright)
    if fan is not None and (fan["summary"]["global_optimum"] or prob.P > max_p_signed
                            or prob.dY >= 3):
        return fan
    return _tighter(fan, lambda: _build(solution, max_p_signed, fans=False))


def _tighter(first: dict | None, other) -> dict:
    """The fallback step of :func:`build`: the certificate ``other()`` builds, or ``first``
    (None: it failed) where that one fails or is not tighter."""
    try:
        second = other()
    except CertificateError:
        if first is None:
            raise
        return first
    if first is None or second["summary"]["rel_gap"] < first["summary"]["rel_gap"]:
        return second
    return first


def build_without_fans(solution, *, max_p_signed: int = MAX_SIGNED_P) -> dict:
    """The certificate of :func:`build` over the 3^P signed supports (the ``signed``, or on
    singular inputs the penalised ``range``, minorant; P <= ``max_p_signed``), never on the cell
    fans: an independent exact cross-check of a fan certificate of the same solution."""
    return _build(solution, max_p_signed, fans=False, on_faces=False)


def build_on_fans(solution) -> dict:
    """The certificate of a solution on singular inputs with two to five outputs checked on the
    cell fans over the non-empty cells of the arrangement (:mod:`numeric.solver.simplices`,
    :mod:`numeric.solver.sectors`): :func:`build`'s fallback where the faces are preferred, and
    an independent exact cross-check of a faces certificate."""
    prob = solution.problem
    if prob.rank == prob.P or not 2 <= prob.dY <= simplices.MAX_DY:
        raise CertificateError(f"the fans over the non-empty cells are for singular inputs with 2 .. "
                               f"{simplices.MAX_DY} outputs; got rank {prob.rank} of P = {prob.P}, "
                               f"dY = {prob.dY}")
    return _build(solution, MAX_SIGNED_P, fans=True, on_faces=False, cells_first=True)


def build_on_faces(solution) -> dict:
    """The certificate of a solution on singular inputs (any dY) checked on the faces of the
    data's arrangement (:mod:`numeric.solver.faces`): what :func:`build` does for six or more
    outputs and for two to five on arrangements with few faces, and an independent exact
    cross-check of the fans (dY <= 5) and of the penalised ``range`` minorant."""
    if solution.problem.rank == solution.problem.P:
        raise CertificateError("the face check is for singular inputs (rank < P); got full rank "
                               f"P = {solution.problem.P}")
    return _build(solution, MAX_SIGNED_P, fans=False, on_faces=True)


def _face_geometry(Xt, P: int, r: int, reuse=None):
    """The exact face enumeration, or None when the arrangement has too many faces. ``reuse``:
    the solver's enumeration (:attr:`numeric.solver.relu.Solution.faces`), taken when it was
    made from the same exact data (measured: 24 of the 109 s of six outputs at P = 16, rank 7,
    1 084 226 faces, went into enumerating them a second time)."""
    if reuse is not None and reuse.source == Xt:
        return reuse
    if faces.generic_face_count(P, r) > 64 * faces.MAX_FACES:
        return None
    try:
        return faces.geometry(Xt)
    except ValueError:
        return None


def _build(solution, max_p_signed: int, *, fans: bool, on_faces: bool = True,
           cells_first: bool = False) -> dict:
    t0 = time.perf_counter()
    prob = solution.problem
    P = prob.P
    X = prob.X_tilde[:-1] if prob.bias else prob.X_tilde
    _, Yq, l1, l2, Xt = _exact_problem(X, prob.Y, prob.lam1, prob.lam2, prob.bias)
    alpha = l1 * l2
    r = rq.rank(Xt)
    full = r == P
    geom = None
    if not full and (prob.dY == 1 or cells_first
                     or (fans and simplices.prefers_fan(prob.dY, P, False, r))):
        # cells need neither K_X^+ nor the null projector (exact pseudo-inverses of large P)
        Q = Pi = None
        kind, params = "cells", {}
    elif not full and on_faces and (
            geom := _face_geometry(Xt, P, r, getattr(solution, "faces", None))) is not None:
        Q = Pi = None
        kind, params = "faces", {}
    else:
        r, KX, Qp, Pi = _range_data(Xt)
        Q = KX.inv() if full else Qp
        kind, params = _choose_minorant(Q, full, prob.Q, P, prob.bias, prob.dY, fans)
    limit = max_p_signed if kind == "signed" else min(max_p_signed, MAX_RANGE_P)
    if kind in ("signed", "range") and P > limit:
        raise CertificateError(f"`P` must be <= {limit} for an exact certificate with "
                               f"cost minorant {kind!r} (3^P signed supports); got {P}")
    Wq, W2q = rq.mat(solution.W), rq.mat(solution.W2)
    if solution.W.shape[0] == 0:
        Wq = flint.fmpq_mat(0, Xt.nrows(), [])
        W2q = flint.fmpq_mat(prob.dY, 0, [])
    upper = rq.network_loss(Wq, W2q, Xt, Yq, l1, l2)
    Lam_f = np.asarray(solution.Lambda, dtype=float)
    if kind == "cells":
        # scale the float dual point onto the cone first (its float ratio is known)
        KX_f = prob.X_tilde.T @ prob.X_tilde
        # (dY >= 2: a fan is as costly as the check itself; the solver's last exhaustive mu,
        # mu = alpha (1 - ratio), gives the same scale)
        if prob.dY == 1:
            ratio = cells.price(KX_f, Lam_f[0], masks=cells.cell_masks(prob.X_tilde)).ratio / float(alpha)
        else:
            ratio = 1.0 - min(float(solution.mu), 0.0) / float(alpha)
            if not full:
                # singular inputs (fans over the non-empty cells, cheap): price the very point
                # that is certified, with the face polish, rather than trust the solver's mu
                # (measured before the solver bounded the matrix it priced: on 1-d inputs,
                # P = 60, three outputs, the point scaled by mu was still infeasible by 3.1e-11
                # and this re-pricing took the bracket from 2.0e-11 to 9.5e-12)
                fan_price = simplices.price if simplices.handles(prob.dY, False) else sectors.price
                fp = fan_price(KX_f, Lam_f, float(alpha), margin=sectors.PRICING_MARGIN,
                               cells=cells.cell_set(prob.X_tilde))
                ratio = max(ratio, fp.ratio / float(alpha))
        if ratio > 1:
            Lam_f = Lam_f / np.sqrt(ratio)
    if kind == "faces":
        # price the very point that is certified on every face (float, exhaustive)
        ratio = max(1.0 - min(float(solution.mu), 0.0) / float(alpha),
                    faces.price(geom, Lam_f).ratio / float(alpha))
        if ratio > 1:
            Lam_f = Lam_f / np.sqrt(ratio)
    Lam0 = _round_dual(Lam_f)
    t_values = [None]
    if kind == "range":
        lam_norm = float(np.linalg.norm(solution.Lambda)) ** 2
        t_values = [rq.q(2.0 ** k * max(lam_norm, 1e-300) / float(prob.lam1 * prob.lam2))
                    for k in (20, 40, 60, 80)]
        g = rq.grid_exponent(Q, cost_round_bits(prob.Q))
        d1 = rq.rational_upper_sqrt(rq.sqnorm(Q - rq.round_to_grid(Q, g)))
    cone = None
    # fans (dY >= 2) cannot resolve a zero margin; from 2^-44 on the outcome of a fan is not
    # monotone in the margin (its splits differ), so every shrink is tried in turn
    tries = EPS_TRIES[1:] if kind == "cells" and prob.dY >= 2 else EPS_TRIES
    # simplicial fans: a shrink checks only the cells the previous one left unproved -- each
    # shrink scales the previous dual point by c < 1, and a cell proved for Lambda is proved for
    # c Lambda (the cone condition is homogeneous in Lambda). Measured: five outputs, P = 16,
    # the 2^-44 shrink left cells unproved and 2^-43 re-checked all 6.8 M cones (2 357 s).
    pending, proved = None, 0
    for bits in tries:
        shrink = flint.fmpq(1) - (flint.fmpq(1) / flint.fmpq(2) ** bits if bits else 0)
        Lam = Lam0 * shrink
        for t in t_values:
            if t is not None:
                gp = rq.grid_exponent(Pi, ROUND_BITS) + int(np.ceil(np.log2(float(rq.frac(t)))))
                d2 = rq.rational_upper_sqrt(rq.sqnorm(Pi - rq.round_to_grid(Pi, gp)))
                params = {"t": str(t), "grid": g, "grid_pi": gp, "delta": str(d1 + t * d2)}
            if kind == "cells":
                # (the solver's last fan, reused where its cones pass the exact test)
                cone, failing = _cells_cone(Xt, alpha, Lam, getattr(solution, "fan", None), pending)
                if not cone.ok:            # (failing None: the next shrink checks every cell)
                    proved = proved + cone.checked if failing is not None else 0
                    pending = failing
                break
            if kind == "faces":
                cone = _faces_cone(geom, alpha, Lam)
                break
            C, bad, extra = _cost_minorant(kind, params, Q, Pi, P)
            if bad:
                raise CertificateError("; ".join(bad))
            cone = _cone(kind, alpha, C, Lam, extra)
            if cone.ok:
                break
        if cone.ok:
            break
    if not cone.ok:
        raise CertificateError("no shrink of the dual point passed the exact cone check: the float "
                               "solution is not near a global optimum (pricing incomplete?)")
    lower = rq.dual_value(Lam, Yq)
    U, L = rq.frac(upper), rq.frac(lower)
    rel_gap = float((U - L) / abs(U)) if U != 0 else float(U - L)
    return {
        "format": FORMAT,
        "problem": {"X": rq.to_strings(rq.mat(X)), "Y": rq.to_strings(Yq), "lam1": str(l1),
                    "lam2": str(l2), "bias": bool(prob.bias)},
        "primal": {"W": rq.to_strings(Wq), "W2": rq.to_strings(W2q)},
        "dual": {"Lambda": rq.to_strings(Lam)},
        "cost_bound": {"kind": kind, **params},
        "bounds": {"upper": str(upper), "lower": str(lower)},
        "summary": {"upper": float(U), "lower": float(L), "rel_gap": rel_gap,
                    "global_optimum": rel_gap <= CERT_REL_GAP, "tolerance": CERT_REL_GAP,
                    "width": int(solution.W.shape[0]), "cone_method": cone.method,
                    "supports_checked": proved + cone.checked, "shrink_bits": bits,
                    "seconds": round(time.perf_counter() - t0, 3)},
    }


# ------------------------------------------------------------------------------------ verifying

def verify(cert: dict | str) -> VerifyReport:
    """Re-check a certificate from its data alone (exact); never raises on a wrong certificate."""
    t0 = time.perf_counter()
    try:
        if isinstance(cert, str):
            cert = json.loads(cert)
        if cert.get("format") != FORMAT:
            raise CertificateError(f"`format` must be {FORMAT!r}; got {cert.get('format')!r}")
        pb = cert["problem"]
        Xq = rq.from_strings(pb["X"], "problem.X")
        Yq = rq.from_strings(pb["Y"], "problem.Y")
        l1, l2, bias = rq.q(pb["lam1"]), rq.q(pb["lam2"]), bool(pb["bias"])
        if not (l1 > 0 and l2 > 0):
            raise CertificateError("lam1 and lam2 must be > 0")
        Xt = rq.augment(Xq, bias)
        P = Xt.ncols()
        if Yq.ncols() != P:
            raise CertificateError(f"`problem.Y` must have P = {P} columns; got {Yq.ncols()}")
        W = _matrix_or_empty(cert["primal"]["W"], "primal.W", Xt.nrows())
        W2 = _matrix_or_empty(cert["primal"]["W2"], "primal.W2", W.nrows(), rows=Yq.nrows())
        Lam = rq.from_strings(cert["dual"]["Lambda"], "dual.Lambda")
        if (Lam.nrows(), Lam.ncols()) != (Yq.nrows(), P):
            raise CertificateError("`dual.Lambda` must be dY x P")
        problems = []
        upper = rq.network_loss(W, W2, Xt, Yq, l1, l2)
        lower = rq.dual_value(Lam, Yq)
        if str(upper) != str(rq.q(cert["bounds"]["upper"])):
            problems.append(f"stored upper bound {cert['bounds']['upper']} != network loss {upper}")
        if str(lower) != str(rq.q(cert["bounds"]["lower"])):
            problems.append(f"stored lower bound {cert['bounds']['lower']} != dual value {lower}")
        cb = dict(cert["cost_bound"])
        kind = cb.pop("kind")
        if kind in ("cells", "faces"):
            r, Q, Pi = rq.rank(Xt), None, None
        else:
            r, KX, Qp, Pi = _range_data(Xt)
            Q = KX.inv() if r == P else Qp
        if kind in ("structured", "zmatrix", "signed") and r < P:
            problems.append(f"cost minorant {kind!r} needs K_X invertible; rank {r} < P = {P}")
        if kind == "cells":
            if Yq.nrows() > simplices.MAX_DY:
                raise CertificateError(f"cost_bound 'cells' needs dY <= {simplices.MAX_DY}; "
                                       f"got dY = {Yq.nrows()}")
            cone, _ = _cells_cone(Xt, l1 * l2, Lam, collect=False)
        elif kind == "faces":
            if r == P:
                raise CertificateError(f"cost_bound 'faces' is for singular inputs; rank {r} = P")
            cone = _faces_cone(faces.geometry(Xt), l1 * l2, Lam)
        else:
            C, bad, extra = _cost_minorant(kind, cb, Q, Pi, P)
            problems += bad
            cone = _cone(kind, l1 * l2, C, Lam, extra)
        if not cone.ok and cone.witness is None:
            problems.append("cone check failed: the exact bound does not close on some cell (no "
                            "violating pattern found; the dual point is not certified)")
        elif not cone.ok:
            problems.append(f"cone check failed: pattern h = {[str(x) for x in cone.witness]} has "
                            f"lam1 lam2 cost(h) - |Lambda relu(h)|^2 = {cone.value} < 0")
        if lower > upper:
            problems.append("lower bound exceeds upper bound")
        U, L = rq.frac(upper), rq.frac(lower)
        gap = float((U - L) / abs(U)) if U != 0 else float(U - L)
        claimed = cert.get("summary", {}).get("rel_gap")
        if claimed is not None and gap > float(claimed) * (1 + 1e-9) + 1e-300:
            problems.append(f"claimed rel_gap {claimed} is below the recomputed {gap}")
        return VerifyReport(not problems, U, L, gap, cone.method, cone.checked,
                            time.perf_counter() - t0, problems)
    except (CertificateError, KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        return VerifyReport(False, None, None, None, "", 0, time.perf_counter() - t0,
                            [f"{type(exc).__name__}: {exc}"])


def _matrix_or_empty(data, name: str, ncols: int, *, rows: int | None = None) -> flint.fmpq_mat:
    """Parse a possibly empty matrix with ``ncols`` columns (and ``rows`` rows if given)."""
    if not isinstance(data, list) or any(not isinstance(r, list) for r in data):
        raise CertificateError(f"`{name}` must be a list of rows")
    nrows = len(data)
    if rows is not None and nrows != rows:
        raise CertificateError(f"`{name}` must have {rows} rows; got {nrows}")
    if any(len(r) != ncols for r in data):
        raise CertificateError(f"`{name}` must have {ncols} columns")
    if nrows == 0 or ncols == 0:
        return flint.fmpq_mat(nrows, ncols, [])
    return rq.from_strings(data, name)


def dumps(cert: dict) -> str:
    return json.dumps(cert, indent=1, sort_keys=True)
