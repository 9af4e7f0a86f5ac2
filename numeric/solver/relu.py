"""Global solver for the ReLU mean-field problem (column generation with exhaustive pricing).

Problem (DESIGN.md conventions; :mod:`numeric.solver.problem`): minimise over finite measures
sum_k delta_{h_k} of reachable patterns h_k = X~^T w_k

    E = lam1 sum_k |w_k|^2 + lam2 tr((lam2 I + K)^{-1} K_Y),   K = sum_k relu(h_k) relu(h_k)^T.

E is convex in the measure (K is linear in it and the trace term is convex in K), so a measure
is optimal iff the first variation V(h) = lam1 h^T Q h - lam2 relu(h)^T A relu(h),
A = (lam2+K)^{-1} K_Y (lam2+K)^{-1}, is >= 0 for every reachable h (claim ``A.kkt``).

Algorithm
---------
1. *Master*: optimal weights on the current patterns (:mod:`numeric.solver.master`).
2. *Polish*: optimise the active patterns inside their sign structure
   (:mod:`numeric.solver.polish`; in input-weight space for singular inputs and for the
   simplicial fans, dY >= 3, where the pattern-space cost K_X^-1 can be ill-conditioned), then
   *land* them (:mod:`numeric.solver.landing`: merge round-off copies, Newton steps on the
   gradient with every firing and zero set fixed), then re-solve the master.
3. *Price*: find h with V(h) < 0 (heuristic first, then the exhaustive search over all
   (signed) supports, :mod:`numeric.solver.pricing`; for dY = 1 with signed or singular inputs
   the 2^P cells of :mod:`numeric.solver.cells`, for dY = 2 those cells on a fan of output
   directions, :mod:`numeric.solver.sectors`, for dY = 3, 4 (and dY = 2 on singular inputs) on
   a fan of simplicial cones of directions, :mod:`numeric.solver.simplices`, whose violators
   are improved by an alternating ascent; singular inputs: the non-empty cells only, any P;
   exact reachable cost; singular inputs with six or more outputs, and with two to five when
   the arrangement has few faces, simplices.prefers_fan: every face of the data's
   arrangement, :mod:`numeric.solver.faces`, a generalised eigenproblem per face); add the
   violators and repeat. With fans, one ascent per cell from
   the top direction of its relaxed bound (:mod:`numeric.solver.cell_ascent`) runs before the
   fan, and the fan is built only when it finds nothing: measured with four outputs, P = 12,
   the solve went from 112 s (nine fans) to 22 s (one fan), and P = 16 (dX = 15), which did
   not finish in 40 min, was solved in 6 min (benchmarks/solver/README.md). Ascent violations
   below ASCENT_MIN_REL go to the fan, which decides them with its margin.
4. Stop when the float duality gap is below ``gap_tol``: with Lambda = lam2 Y R (the residual
   Y - W2 relu(H) at the optimal read-out) and mu = min_h V(h)/(h^T C h) from the exhaustive
   search, s Lambda with s = (1 - min(mu,0)/lam1)^{-1/2} is dual feasible (copositivity scaled
   into place), so D(s Lambda) = 2<s Lambda, Y> - s^2 |Lambda|^2 <= E* <= E.
5. *Reduce* (every round, before pricing): Caratheodory steps on the weights (moves keeping K
   and the cost fixed) until the active patterns are linearly independent in (p p^T, cost): the
   returned width is that of a basic optimal solution.

The float gap is an estimate; the *proof* is :func:`numeric.solver.certificate.build`, which
re-derives both bounds in exact rational arithmetic.

Failure modes: if the gap does not close within ``max_iter`` rounds (or stalls at the float64
floor) the solution is returned with ``converged=False`` and the gap measured (never hidden); P
above the exhaustive limits makes the pricing heuristic only (``exhaustive=False``). With
lam1 lam2 below ~1e-10 the resolvent (1 + K)^{-1} is so ill-conditioned that the float energy
itself is only good to ~1e-9 (it may even fall below E* by that much): ``converged`` is then
False and only the exact certificate's bracket should be trusted. In ``range`` mode the float gap
estimate uses the penalised relaxation and is pessimistic. On ill-conditioned full-rank inputs
the signed pricing's quotients (through K_X^{-1}) err by ~eps cond(K_X): its violations are
confirmed by the least-squares quotient first (RESOLVE_SIGNED); an exhaustive round with none
confirmed prices every block its walk flagged in the weight-space form (ACCURATE_FLAGGED,
:mod:`numeric.solver.accurate_blocks`), and with none there either the solve ends (the float
noise floor). Its float bound then scales the dual point by the least of those accurate minima
(NOISE_FLOOR_MU): an estimate like every float bound (a block the float screen did not flag is
not re-checked). Measured in benchmarks/solver/heuristic_floor.py against the exact brackets;
with the walk's float mu it read 1e-10 .. 2e-7 and ``converged`` was False.
``Solution.stop_reason`` names why the iteration ended (STOP_REASONS); ``emergence solve``
reports it as ``numeric.stop_reason``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from numeric import tolerances as tol
from numeric.energy import network_loss, optimal_readout
from numeric.solver import (accurate_blocks, box_newton, cell_ascent, cells, faces, pricing, ridge,
                            sectors, simplices)
from numeric.solver import rational as rq
from numeric.solver.master import _parts, solve_master
from numeric.solver.landing import merge_parallel, newton_range
from numeric.solver.polish import polish_box, polish_range, polish_range_blocks, refine_range
from numeric.solver.problem import Problem

#: relative float duality gap at which the iteration stops (the certificate then bounds the
#: true gap rigorously; 1e-13 leaves a decade of head-room below the 1e-12 target).
GAP_TOL = tol.SOLVER_GAP_TOL
#: the result counts as converged when the float gap after an exhaustive pricing is below this
#: (the issue's target accuracy for the optimal energy).
CONVERGED_GAP = tol.SOLVER_CONVERGED_GAP
#: a heuristic pricing value mu counts as a violation below -VIOLATION_REL * lam1 (smaller
#: values are at the round-off of S = lam1 C - lam2 A and go to the exhaustive search).
VIOLATION_REL = tol.SOLVER_VIOLATION_REL
#: full-rank signed data with at most this many samples: when the fans leave sectors undecided,
#: the 3^P signed search prices exhaustively instead (3^8 = 6561 supports).
FAN_FALLBACK_P = 8
#: stop after this many rounds without halving the best gap (float64 floor reached).
STALL_ROUNDS = 4
#: ... or this many once an exhaustive round has the gap within CONVERGED_GAP (the solve is
#: converged; the rounds left only chase SOLVER_GAP_TOL at the float floor)
FLOOR_STALL_ROUNDS = 2
#: low-rank cell mode: rounds without progress count as a stall only below this float gap.
FLOOR_GAP = 1e-9
#: violations found by the cell ascent below this (relative to lam1 lam2) are left to the fan,
#: which decides them with its margin: on 1-d inputs, P = 30, three outputs, columns from
#: violations of ~2e-12 no longer lowered the energy and the solve stalled un-converged
ASCENT_MIN_REL = 1e-10
#: the fans price the dual point as the stable ridge residual (numeric.solver.ridge), the point
#: the bound scales, instead of lam2 Y R through the inverse. Measured (same process, one run
#: each, benchmarks' instances): full-rank two to four outputs, P = 8 .. 12, same rounds and
#: brackets (1.1-1.2e-13); points of a line with two to four outputs, P = 30 .. 60: brackets
#: 3.2e-13 -> 1.1e-13, 5.9e-13 -> 4.2e-13, 3.0e-13 -> 1.3e-13 (solve 18.8 -> 4.6 s),
#: 7.3e-13 -> 5.3e-13. (Before the stable fit term, the Woodbury form of the point had failed
#: more often at the optimum than lam2 Y R on the P = 12 benchmark.)
FAN_PRICES_RIDGE = True
#: faces route: polish one neuron at a time (polish.polish_range_blocks) instead of the joint
#: SLSQP until an exhaustive pricing shows violations below BLOCKS_UNTIL_REL * lam1, then the
#: joint SLSQP. Measured (six outputs, singular random inputs, one run each, same instance,
#: blocks throughout): P = 10, rank 3: 2.9 s -> 1.8 s; P = 16, rank 5: 52 s -> 15 s; P = 20,
#: rank 3: 62 s -> 14 s, every certificate <= 1.7e-13. Blocks throughout stalled on three
#: outputs (P = 20, rank 3): the energy was right to 1e-14 but the kernel, hence the dual point,
#: only to ~1e-8 (the energy is flat to second order), and the pricing kept a 5e-8 violation
#: that new columns could not remove; the joint polish in the last rounds closes it.
FACE_POLISH_BLOCKS = True
BLOCKS_UNTIL_REL = 1e-6
#: pattern-space (box) polish: "newton" (numeric.solver.box_newton, projected Newton) while the
#: neurons have at most BOX_NEWTON_MAX_VARS entries in all, else "lbfgsb" (polish.polish_box,
#: the method before and the benchmark peer). Measured in benchmarks/solver/box_newton.py.
BOX_POLISH = "newton"
BOX_NEWTON_MAX_VARS = 1200
#: signed rounds whose heuristic finds nothing re-price the last walk's flagged blocks before
#: walking again (pricing.signed_search's ``warm``); False: walk every such round (the peer).
#: Measured in benchmarks/solver/warm_flags.py.
WARM_FLAGS = True
#: full-rank signed inputs: violations the signed pricing reports are confirmed by the quotient
#: with the least-squares cost (pricing.accurate_quotients) before they become columns; a round
#: whose exhaustive pricing shows none confirmed ends the solve (the float noise floor). False:
#: every float violation is a column (the peer). Six outputs, P = 10, cond(K_X) = 7.2e7: all 60
#: rounds chased float violations of ~3.4e-10 lam1 (6.7 s, never an exhaustive round) whose
#: accurate quotients were >= -2.4e-14 lam1.
RESOLVE_SIGNED = True
#: before an exhaustive signed round with no confirmed violation ends the solve, every block its
#: walk flagged is priced in the weight-space form (numeric.solver.accurate_blocks, errors
#: ~eps sqrt(cond(K_X))); a violation found there is a column and the solve goes on. False: only
#: the walk's eight best patterns are confirmed (the peer). Six outputs, P = 10, cond(K_X) =
#: 4.4e10: without it the solve stopped with a violation of -1.17e-10 lam1 in a flagged block,
#: and the exact certificate closed at 2.0e-10. Only beyond cond(K_X) = ACCURATE_FLAGGED_COND:
#: the walk's float quotients err by ~eps cond(K_X) lam1, ~2e-11 lam1 at 1e5, a fifth of
#: VIOLATION_REL, so below it the walk resolves the violations that matter; there the pass only
#: costs (six outputs, P = 16, cond 4.8e3, forced: 6.4 s of a 66 s solve, nothing found).
ACCURATE_FLAGGED = True
ACCURATE_FLAGGED_COND = 1e5
#: at the noise floor (RESOLVE_SIGNED) the float bound scales the dual point by mu = the least
#: accurate quotient found: of the walk's best patterns (least-squares cost) and, with
#: ACCURATE_FLAGGED, of every flagged block (at most 0): "accurate"; or by the walk's own float
#: mu, the noise of K_X^-1 (~eps cond(K_X) lam1):
#: "float", the method before, under which the float gap read 1e-10 .. 1e-9 and ``converged``
#: False on solves the exact certificate closes at ~5e-14. Either is an estimate; the exact
#: certificate does not use it (it prices its own rational point).
NOISE_FLOOR_MU = "accurate"
#: why solve_relu stopped (Solution.stop_reason): the float gap within gap_tol after an
#: exhaustive pricing; an exhaustive signed round with no violation confirmed (RESOLVE_SIGNED);
#: STALL_ROUNDS (or FLOOR_STALL_ROUNDS) rounds without progress; a non-exhaustive pricing (P
#: beyond the exhaustive limits) that found nothing; max_iter rounds.
STOP_REASONS = ("gap", "noise floor", "stalled", "no violation found (pricing not exhaustive)",
                "round limit")
#: the 3^P signed supports polish the atoms in input-weight space (as the simplicial fans do)
#: when cond(K_X) exceeds this, in pattern space (the box polish) below. Measured (P = 10, rows
#: of X scaled over 8 decades, three and six outputs, seeds 1-5, cond 8.8e8 .. 1.1e11; one run
#: each): the box polish left 6 of 10 uncertified (no shrink passed, or a 5.8e-2 bracket), the
#: weight-space polish certified all 10 (4.4e-14 .. 9.9e-14) in 2.2-4.7 s. Below, on the 16
#: three- and six-output instances of benchmarks/solver/signed_conditioning.py (cond 2.9e4 ..
#: 7.2e7), the box polish certified all 16 and the weight-space polish failed twice (cond 2.8e5
#: and 9.1e5). (How it failed, three outputs at cond 9.1e5: the rounds crawled, each taking a
#: heuristic violation of ~2e-9 lam1 and lowering the energy by ~2e-8 relative, and the round
#: limit came 7e-4 above the optimum that the box polish reaches in 15 rounds. Both failures were
#: that crawl, not the polish: with HEURISTIC_MIN_REL the weight-space polish certified all 16,
#: at 5.1-5.7e-14 in 13-32 rounds (single runs, other jobs sharing the cores). The threshold was
#: left where it was: against the box polish the rounds were mixed (fewer on 4 of the 16, more on
#: 10) and no timing was taken on a quiet machine.)
SIGNED_WEIGHT_POLISH_COND = 1e8
#: the 3^P signed supports: a violation found by the heuristic, or by re-pricing the last walk's
#: flagged blocks (WARM_FLAGS), becomes the round's column only below -tau lam1, with
#: tau = min(HEURISTIC_MIN_REL, HEURISTIC_GAP_FRACTION * the float gap known so far) (inf before
#: the first exhaustive round); a smaller one sends the round to the walk, which then also stops
#: only at a support size showing a violation below -tau lam1 (else it is exhaustive and bounds
#: the gap). None: any violation below -VIOLATION_REL lam1 (the peer). Why: the most violated
#: support can be far from where the heuristic or the flags look, and the walk, run only when
#: they find nothing, never ran. Three outputs, P = 10, cond(K_X) = 9.1e5, weight-space polish:
#: 35 rounds took heuristic columns of 1e-9 .. 5e-8 lam1 while the most violated support stood
#: at -2.75e-2 lam1 (the round limit came 7e-4 above the optimum); six outputs at cond 2.8e5, the
#: same with the warm flags' violations of ~3e-8 against -5.6e-2; with the box polish at cond
#: 7.2e7, 19 such rounds (heuristic 1e-9 .. 5e-8, most violated -0.23). Late in a solve, where
#: the known gap is small, tau follows it down and the small violations that remain are taken.
HEURISTIC_MIN_REL = 1e-6
HEURISTIC_GAP_FRACTION = 1e-3


def _polish_box(H0, C, KY, lam1, lam2, *, signed: bool):
    """The box polish by the method ``BOX_POLISH`` names (the projected Newton method only while
    the Hessian stays small, ``BOX_NEWTON_MAX_VARS``)."""
    if BOX_POLISH not in ("newton", "lbfgsb"):
        raise ValueError(f"`BOX_POLISH` must be 'newton' or 'lbfgsb'; got {BOX_POLISH!r}")
    if BOX_POLISH == "newton" and H0.size <= BOX_NEWTON_MAX_VARS:
        return box_newton.polish(H0, C, KY, lam1, lam2, signed=signed)
    return polish_box(H0, C, KY, lam1, lam2, signed=signed)


@dataclass
class Solution:
    problem: Problem = field(repr=False)
    energy: float                   # mean-field energy of the returned measure (float64)
    W: np.ndarray                   # input weights of the neurons (M x D)
    W2: np.ndarray                  # optimal read-out (dY x M)
    network_energy: float           # network loss of (W, W2) from its definition
    lower_bound: float              # float dual bound D(s Lambda)
    Lambda: np.ndarray              # dual variable lam2 Y R (dY x P)
    mu: float                       # min V/cost found by the last pricing
    exhaustive: bool                # the last pricing was the exhaustive search
    converged: bool
    iterations: int
    seconds: float
    log: list = field(default_factory=list, repr=False)
    #: the float fan of the pricing round whose bound is returned (dY = 2 .. 5 on the cell
    #: fans; None otherwise, and for fans beyond simplices.MAX_KEPT_CONES cones): the
    #: certificate reuses its cones and rebuilds only the cells they do not prove
    #: (:func:`numeric.solver.simplices.certify`). Not part of any result.
    fan: object = field(default=None, repr=False, compare=False)
    #: the exact face enumeration the pricing used (faces route; None otherwise): the
    #: certificate reuses it instead of enumerating again (the verifier always re-enumerates).
    #: Not part of any result.
    faces: object = field(default=None, repr=False, compare=False)
    #: why the iteration ended (one of STOP_REASONS)
    stop_reason: str = ""

    @property
    def H(self) -> np.ndarray:
        return self.W @ self.problem.X_tilde

    @property
    def kernel(self) -> np.ndarray:
        Phi = np.maximum(self.H, 0)
        return Phi.T @ Phi

    @property
    def width(self) -> int:
        return self.W.shape[0]

    @property
    def rel_gap(self) -> float:
        return (self.energy - self.lower_bound) / max(abs(self.energy), 1e-300)

    def width_lower_bound(self) -> int:
        """rank of Z* = W2 relu(H): every optimal network has at least this many neurons."""
        Z = self.W2 @ np.maximum(self.H, 0)
        s = np.linalg.svd(Z, compute_uv=False)
        return int(np.sum(s > 1e-8 * s[0])) if s.size and s[0] > 0 else 0


def _dual_bound(prob: Problem, R: np.ndarray, mu: float, lam1: float, lam2: float, Phi=None):
    """D(s Lambda) with Lambda = lam2 Y R and the copositivity-restoring scale s.

    With the weighted firing parts Phi (m x P) Lambda is computed as the residual Y - A Phi of
    the ridge fit, by least squares (:func:`numeric.solver.ridge.fit`; the same matrix as
    lam2 Y R): its error is ~eps |Y| instead of eps cond(lam2 + K) |Y|, which matters when
    lam1 lam2 is tiny or the kernel ill-conditioned. (The Woodbury form
    Y - Y Phi^T (lam2 + Phi Phi^T)^{-1} Phi used before gave 1.06e-12 where this gives 3.3e-13
    together with the stable master, on 40 points of a line with eight outputs.)"""
    if Phi is not None and Phi.shape[0] and ridge.METHOD == "inverse":
        # (the benchmark's peer: the Woodbury form this solver used before ridge.fit)
        G = Phi @ Phi.T + lam2 * np.eye(Phi.shape[0])
        Lam = prob.Y - (prob.Y @ Phi.T) @ np.linalg.solve(G, Phi)
    elif Phi is not None and Phi.shape[0]:
        Lam = ridge.fit(Phi, prob.Y, lam2)[1]
    else:
        Lam = lam2 * prob.Y @ R
    s = 1.0 / np.sqrt(1.0 - min(mu, 0.0) / lam1)
    return float(2 * s * np.sum(Lam * prob.Y) - s * s * np.sum(Lam * Lam)), Lam


def _confirmed(prob: Problem, Lam: np.ndarray, lam1: float, lam2: float, hs) -> tuple[list, float]:
    """The patterns among ``hs`` whose quotient with the least-squares cost
    (:func:`numeric.solver.pricing.accurate_quotients`) is a violation, below -VIOLATION_REL lam1
    (full-rank inputs; RESOLVE_SIGNED), and the least of those quotients (inf for no pattern)."""
    if not len(hs):
        return [], np.inf
    q = pricing.accurate_quotients(lam1, lam2, prob.X_tilde, Lam, hs)
    return [h for h, v in zip(hs, q) if v < -VIOLATION_REL * lam1], float(np.min(q))


def _initial_weights(prob: Problem, rng) -> np.ndarray:
    """Seed patterns: unit vectors and relu(+-y_i + c) (projected onto the range of X~^T)."""
    P = prob.P
    pats = [np.eye(P)]
    Ys = prob.Y / np.maximum(np.max(np.abs(prob.Y), axis=1, keepdims=True), 1e-300)
    for sgn in (1.0, -1.0):
        pats.append(np.maximum(1.0 + sgn * Ys, 0.0))
        pats.append(np.maximum(sgn * Ys, 0.0))
    if prob.mode != "orthant":
        pats.append(rng.standard_normal((2 * P, P)))
    H = np.vstack(pats)
    H = H[np.linalg.norm(H, axis=1) > 0]
    return H @ np.linalg.pinv(prob.X_tilde)


def _unit(W: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(W, axis=1)
    keep = n > 0
    return W[keep] / n[keep, None]


def _caratheodory(F: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Zero out weights along null directions of [vech(p p^T); 1] until none is left."""
    w = w.copy()
    P = F.shape[1]
    iu = np.triu_indices(P)
    while True:
        act = np.flatnonzero(w > 0)
        if act.size <= 1:
            return w
        G = np.vstack([np.einsum("ki,kj->kij", F[act], F[act])[:, iu[0], iu[1]].T,
                       np.ones((1, act.size))])
        # (economy size when G is tall: the same s and Vt without the rows x rows U, which
        # took 40 of 55 s at P = 100 -- G has P(P+1)/2 + 1 rows; a wide G needs the full Vt)
        _, s, Vt = np.linalg.svd(G, full_matrices=G.shape[0] < G.shape[1])
        rank = int(np.sum(s > 1e-10 * s[0]))
        if rank >= act.size:
            return w
        d = Vt[-1]
        if not np.any(d > 0):
            d = -d
        pos = d > 0
        t = np.min(w[act][pos] / d[pos])
        w[act] = w[act] - t * d
        w[act[np.argmin(np.where(pos, w[act], np.inf))]] = 0.0
        w[w < 0] = 0.0


def solve_relu(prob: Problem, *, gap_tol: float = GAP_TOL, max_iter: int = 60, seed: int = 0,
               exhaustive: bool = True) -> Solution:
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    C = prob.cost_matrix()
    KY = prob.KY
    KYB = prob.Y                          # (the stable fit term: numeric.solver.ridge)
    # Scale invariance: with h = sqrt(lam2) g the energy is that of (lam1 lam2, 1) in g, and the
    # dual variable lam2 Y (lam2 + K)^{-1} = Y (1 + K_g)^{-1} is unchanged. Work at lam2 = 1.
    lam1, lam2 = prob.lam1 * prob.lam2, 1.0
    root_lam2 = np.sqrt(prob.lam2)
    signed = prob.mode != "orthant"
    # dY = 1 with signed or singular inputs: the cell enumeration (2^P box QPs, exact reachable
    # cost) replaces the 3^P signed-support search
    use_cells = signed and prob.dY == 1 and (prob.P <= cells.MAX_CELLS_P or prob.rank < prob.P)
    # dY = 2: the same cells on a fan of output directions (numeric.solver.sectors); singular
    # inputs: only the non-empty cells, with NNLS active sets
    # dY = 3 .. simplices.MAX_DY: the same on a fan of simplicial cones of directions
    # (five outputs on full-rank inputs only beyond simplices.SIGNED_FASTER_P: simplices.prefers_fan)
    fan_ok = (prob.mode != "orthant" and 2 <= prob.dY <= simplices.MAX_DY
              and (prob.P <= cells.MAX_CELLS_P or prob.rank < prob.P))
    use_fan = fan_ok and simplices.prefers_fan(prob.dY, prob.P, prob.rank == prob.P, prob.rank,
                                               cond=prob.input_cond())
    # singular inputs (six or more outputs, and fewer when their arrangement has few faces):
    # every face of the arrangement (numeric.solver.faces: exact reachable cost, any dY), when
    # there are not too many faces
    face_geom = None
    if prob.mode == "range" and not use_cells and not use_fan:
        try:
            face_geom = faces.geometry(rq.mat(prob.X_tilde))
        except ValueError:
            face_geom = None            # too many faces: the fans, or the penalised signed search
            use_fan = fan_ok
    use_faces = face_geom is not None
    signed_limit = pricing.MAX_SIGNED_P if prob.mode == "signed" else pricing.MAX_RANGE_P
    can_exhaust = exhaustive and (use_cells or use_fan or use_faces
                                  or (prob.P <= signed_limit if signed else True))
    KX = prob.X_tilde.T @ prob.X_tilde
    # rank-deficient data: only the non-empty cells of the arrangement (exact enumeration)
    cell_masks = cells.cell_masks(prob.X_tilde) if use_cells else None
    fan_cells = cells.cell_set(prob.X_tilde) if use_fan else None
    # simplicial fans: polish the atoms in input-weight space (cost |w|^2, perfectly conditioned;
    # sign constraints linear), not in pattern space (cost h^T K_X^-1 h, condition number that
    # of K_X). Measured with three outputs, P = 8, cond(K_X) = 3.5e6: 60 rounds and a 5.2e-9
    # bracket in pattern space, 18 rounds (4.7 s) and 1.2e-13 in weight space; P = 12,
    # cond 2.2e5: 127 s / 4.4e-11 vs 47 s / 1.3e-13. (Not used for dY <= 2: on the two-output
    # P = 16 benchmark instance it stopped at a 1.5e-3 gap after 757 s.)
    # the 3^P signed supports on very ill-conditioned inputs: the same (SIGNED_WEIGHT_POLISH_COND)
    # the 3^P signed supports price this problem (not the cells, fans or faces)
    signed_walk = signed and not use_cells and not use_fan and not use_faces
    accurate_flagged = (ACCURATE_FLAGGED and prob.mode == "signed"
                        and not prob.input_cond() <= ACCURATE_FLAGGED_COND)
    weight_polish = (use_fan and prob.dY >= 3) or (
        prob.mode == "signed" and not use_fan and not use_cells
        and not prob.input_cond() <= SIGNED_WEIGHT_POLISH_COND)
    # (the resolvent peer of benchmarks/solver/ridge.py prices lam2 Y R, as before)
    fan_ridge = FAN_PRICES_RIDGE and ridge.METHOD == "lstsq"
    Xp = np.linalg.pinv(prob.X_tilde)
    Wat = _unit(_initial_weights(prob, rng))
    w = np.zeros(len(Wat))
    log = []
    converged, mu, did_exhaust = False, -np.inf, False
    lower, energy = -np.inf, np.inf
    best_gap = prev_best = prev_energy = np.inf
    best = (-np.inf, None, -np.inf, False)
    best_fan = None
    warm_flags, last_warm = None, False
    stall = 0
    it = 0
    reason = "round limit"
    for it in range(1, max_iter + 1):
        F = np.maximum(Wat @ prob.X_tilde, 0)
        ms = solve_master(F, KY, lam1, lam2, w, targets=KYB)
        act = ms.w > 0
        # polish the active patterns (amplitudes sqrt(w) absorbed), then re-solve
        if act.any():
            Wact = np.sqrt(ms.w[act])[:, None] * Wat[act]
            if prob.mode == "range" or weight_polish:
                if use_faces and FACE_POLISH_BLOCKS and not (did_exhaust and mu > -BLOCKS_UNTIL_REL * lam1):
                    Wp = polish_range_blocks(Wact, prob.X_tilde, KY, lam1, lam2)
                else:
                    Wp = polish_range(Wact, prob.X_tilde, KY, lam1, lam2)
                Wp = refine_range(Wp, prob.X_tilde, KY, lam1, lam2)
            else:
                Hp = _polish_box(Wact @ prob.X_tilde, C, KY, lam1, lam2, signed=signed)
                Wp = Hp @ Xp
            # land the atoms: merge round-off copies, then Newton on the gradient
            # (numeric.solver.landing; measured there and in benchmarks/solver/README.md)
            Wp = newton_range(merge_parallel(Wp, prob.X_tilde), prob.X_tilde, KY, lam1, lam2)
            amp = np.linalg.norm(Wp, axis=1)
            ok = amp > 1e-12 * max(float(np.max(amp)), 1e-300)
            Wat = np.vstack([_unit(Wp[ok]), Wat[~act]])
            w = np.concatenate([amp[ok] ** 2, np.zeros(int((~act).sum()))])
            F = np.maximum(Wat @ prob.X_tilde, 0)
            ms = solve_master(F, KY, lam1, lam2, w, targets=KYB)
        w = ms.w
        # Caratheodory: a basic solution with the same K and cost (exactly the same energy)
        F = np.maximum(Wat @ prob.X_tilde, 0)
        w = _caratheodory(F, w)
        # on the basic (linearly independent) support the master's Newton step is well posed:
        # re-solve once so the weights are optimal to round-off, not to the degenerate stop
        ms = solve_master(F, KY, lam1, lam2, w, targets=KYB)
        if ms.energy <= _parts(w, F, KY, lam1, lam2, KYB)[0]:
            w = ms.w
        energy, _, R, A = _parts(w, F, KY, lam1, lam2, KYB)
        S = lam1 * C - lam2 * A
        # pricing: heuristic first
        if prob.mode == "range":
            starts = np.vstack([Wat, rng.standard_normal((64 * prob.rank, prob.X_tilde.shape[0]))])
            mu_h, h = pricing.heuristic_range(lam1, lam2, prob.X_tilde, A, starts)
        elif signed:
            starts = np.vstack([Wat @ prob.X_tilde, rng.standard_normal((32, prob.P))])
            mu_h, h = pricing.heuristic_signed(lam1, lam2, C, A, starts)
        else:
            starts = np.vstack([np.maximum(Wat @ prob.X_tilde, 0), np.eye(prob.P),
                                rng.dirichlet(np.full(prob.P, 0.5), size=32)])
            mu_h, h = pricing.heuristic_orthant(S, C, starts)
        cands, did_exhaust, round_fan = [], False, None
        was_warm, last_warm = last_warm, False
        Phi_w = np.sqrt(w)[:, None] * F
        lower, Lam = _dual_bound(prob, R, min(mu_h, 0.0), lam1, lam2, Phi_w)
        scale = max(abs(energy), 1e-300)
        # full-rank signed inputs: a violation counts only if the well-conditioned quotient
        # (least-squares cost, pricing.accurate_quotients) confirms it
        resolve = RESOLVE_SIGNED and prob.mode == "signed"
        noise_floor = False
        # (the signed route takes a violation from the heuristic or the warm flags only when it
        # is not tiny against the gap known so far: HEURISTIC_MIN_REL, HEURISTIC_GAP_FRACTION)
        heur_min = VIOLATION_REL
        if signed_walk and can_exhaust and HEURISTIC_MIN_REL:
            known_gap = (energy - best[0]) / scale
            heur_min = max(VIOLATION_REL, min(HEURISTIC_MIN_REL, HEURISTIC_GAP_FRACTION * known_gap))
        if (mu_h < -heur_min * lam1 and (energy - lower) / scale > gap_tol
                and (not resolve or _confirmed(prob, Lam, lam1, lam2, [h])[0])):
            cands, mu = [h], mu_h
        elif can_exhaust:
            if use_cells:
                cp = cells.price(KX, Lam[0], masks=cell_masks)     # the dual point itself
                mu = lam1 - cp.ratio
                cands = [h for v, h in zip(cp.values, cp.patterns) if v > lam1]
            elif use_fan:
                # the dual point as the stable ridge residual (FAN_PRICES_RIDGE), else lam2 Y R
                YR = ridge.fit(Phi_w, prob.Y, lam2)[1] if fan_ridge else prob.Y @ R * lam2
                # one ascent per cell first: a round that only needs *a* violation does not
                # need the fan (numeric.solver.cell_ascent; measured in benchmarks/solver/README.md)
                ra, cands = cell_ascent.price(KX, YR, lam1, fan_cells)
                mu, fan_ran = lam1 - ra, False
                if cands and (ra <= lam1 * (1 + ASCENT_MIN_REL)
                              or (energy - _dual_bound(prob, R, mu, lam1, lam2, Phi_w)[0]) / scale <= gap_tol):
                    cands = []
                if not cands:
                    fan_price = (simplices.price if simplices.handles(prob.dY, prob.rank == prob.P)
                                 else sectors.price)
                    best_fan = fp = None     # (one fan in memory: ~3 GB at P = 16, four outputs)
                    fp = fan_price(KX, YR, lam1, cells=fan_cells, margin=sectors.PRICING_MARGIN)
                    round_fan = fp.fan
                    # undecided sectors (no violation shown, none excluded): their box optima
                    # are the best guesses for the next columns
                    mu, cands = lam1 - fp.ratio, fp.patterns or list(fp.undecided)
                    did_exhaust = fp.exhaustive
                    fan_ran = True
                if fan_ran and not did_exhaust and prob.mode == "signed" and prob.P <= FAN_FALLBACK_P:
                    # tight sectors left undecided at the optimum: on few samples the 3^P
                    # signed search decides (interaction inputs, eta = 3, dY = 2: the fans
                    # stayed undecided for 60 rounds at a 5e-14 gap, reported as not converged)
                    mu, cands = pricing.exhaustive_signed(lam1, lam2, C, A)
                    did_exhaust = True
            elif use_faces:
                # the Woodbury form of the dual point (accurate to eps / kappa) is priced, and
                # the bound scales that same matrix. Measured against pricing lam2 Y R (random
                # 1-d inputs, certified brackets): three outputs, P = 30: 5.2e-13 against
                # 2.2e-12 (a stall on violations of ~2e-11 lam1 whose columns no longer lowered
                # the energy); eight outputs, P = 40: 1.05e-12 against 3.5e-12. (Dropping the
                # columns of violations below 1e-10 lam1 instead gave 9.3e-13 and 9.3e-12.)
                fp = faces.price(face_geom, Lam, threshold=lam1)   # (Lam: Woodbury form, above)
                mu, cands, did_exhaust = lam1 - fp.ratio, fp.patterns, True
            elif signed:
                # stops at the first size of support that shows a violation (the last round,
                # which shows none, is then the exhaustive one)
                # (a round whose heuristic fails first re-prices the blocks the last walk
                # flagged: pricing.signed_search's ``warm``, measured there; not after a warm
                # round whose columns did not lower the energy, so a stale violation cannot
                # stall the solve)
                stale = was_warm and prev_energy - energy <= 1e-15 * scale
                found = pricing.signed_search(lam1, lam2, C, A, stop_below=-heur_min * lam1,
                                              warm=warm_flags if WARM_FLAGS and not stale else None)
                mu, cands, did_exhaust = found.mu, found.candidates, found.exhaustive
                warm_flags = found.flags if found.flags is not None else warm_flags
                last_warm = found.warm
                if resolve and cands:
                    cands, q_min = _confirmed(prob, Lam, lam1, lam2, cands)
                    if not cands and not found.exhaustive:
                        # every violation shown was float noise of K_X^-1: walk in full
                        found = pricing.signed_search(lam1, lam2, C, A)
                        mu, did_exhaust, last_warm = found.mu, True, False
                        warm_flags = found.flags if found.flags is not None else warm_flags
                        cands, q_min = _confirmed(prob, Lam, lam1, lam2, found.candidates)
                    if not cands and found.flags is not None and accurate_flagged:
                        # every block the walk flagged, its minimum in the weight-space form
                        # (numeric.solver.accurate_blocks): a float eigenvector with the wrong
                        # signs hid a violation of -1.2e-10 lam1 at cond 4.4e10
                        acc = accurate_blocks.flagged_minima(lam1, prob.X_tilde, Lam, found.flags)
                        cands, q_acc = _confirmed(prob, Lam, lam1, lam2, acc.candidates)
                        q_min = min(q_min, q_acc, acc.mu)
                    # exhaustive, and no violation beyond the float noise: new columns cannot
                    # help. The float mu is then that noise; the bound takes the least accurate
                    # quotient found instead (NOISE_FLOOR_MU)
                    noise_floor = not cands
                    if noise_floor and NOISE_FLOOR_MU == "accurate":
                        mu = min(q_min, 0.0)
            else:
                mu, cands = pricing.exhaustive_orthant(S, C)
            did_exhaust = did_exhaust if (use_fan or (signed and not use_cells and not use_faces)) else True
        else:
            mu = mu_h
        # the bound must scale the matrix that was priced: the fans price lam2 Y R, and on
        # singular inputs its Woodbury form differs enough that mu under-scaled it (1-d inputs,
        # P = 60, three outputs: the bounded point was still infeasible by 1.9e-11 after the
        # scale, so the float gap was optimistic and the certified bracket 2.0e-11)
        priced_yr = use_fan and did_exhaust and prob.rank < prob.P and not fan_ridge
        lower, Lam = _dual_bound(prob, R, mu, lam1, lam2, None if priced_yr else Phi_w)
        if (did_exhaust or not can_exhaust) and lower > best[0]:
            best = (lower, Lam, mu, did_exhaust)      # every such bound is valid: keep the best
            best_fan = round_fan
        gap = (energy - best[0]) / scale
        log.append({"iteration": it, "energy": energy, "lower": best[0], "rel_gap": gap, "mu": mu,
                    "atoms": int((w > 0).sum()), "exhaustive": did_exhaust})
        best_gap = min(best_gap, gap)
        if prob.mode == "range" and not use_cells and not use_faces:
            # the penalised float gap cannot certify reachable optima: stall on the energy instead
            # (the cells price the exact reachable cost, so their gap is a true float gap)
            stall = stall + 1 if prev_energy - energy <= 1e-14 * scale else 0
        elif use_cells and prob.mode == "range":
            # low-rank data with many atoms: plateaus of ~1e-7 are left after several rounds,
            # so only count stalls at the float floor
            stall = stall + 1 if gap > 0.5 * prev_best and gap < FLOOR_GAP else 0
        elif use_fan and prob.dY >= 3:
            # simplicial fans: the bound improves only on exhaustive rounds (a fan at the
            # optimum can leave tight cones undecided), while columns found by the heuristic
            # still lower the energy and sharpen the dual point -- a round stalls only when the
            # bound does not halve (gap = inf counts) and the energy is at the float floor
            stall = stall + 1 if not gap < 0.5 * prev_best and prev_energy - energy <= 1e-15 * scale else 0
        else:
            # (a signed search stopped early leaves the bound as it was: such a round stalls
            # only when the energy did not move either; "not <" so that rounds before the first
            # bound, gap = inf, stall too)
            stall = stall + 1 if not gap < 0.5 * prev_best and (
                did_exhaust or prev_energy - energy <= 1e-15 * scale) else 0
        prev_best, prev_energy = best_gap, energy
        if gap <= gap_tol and (did_exhaust or not can_exhaust):
            reason = "gap"
            break
        if noise_floor:
            reason = "noise floor"
            break
        if stall >= (FLOOR_STALL_ROUNDS if did_exhaust and gap <= CONVERGED_GAP else STALL_ROUNDS):
            reason = "stalled"
            break
        if not cands and not did_exhaust:
            reason = "no violation found (pricing not exhaustive)"
            break
        keep = w > 0
        new = _unit(np.array(cands) @ Xp) if cands else np.zeros((0, Wat.shape[1]))
        Wat = np.vstack([Wat[keep], new])
        w = np.concatenate([w[keep], np.zeros(len(new))])
    keep = w > 0
    W = root_lam2 * np.sqrt(w[keep])[:, None] * Wat[keep]
    Phi = np.maximum(W @ prob.X_tilde, 0)
    W2 = optimal_readout(Phi, prob.Y, prob.lam2) if len(W) else np.zeros((prob.dY, 0))
    net = (network_loss(W, W2, prob.X_tilde, prob.Y, prob.lam1, prob.lam2) if len(W)
           else float(np.sum(prob.Y ** 2)))
    lower, Lam, mu, did_exhaust = best if best[1] is not None else (lower, Lam, mu, False)
    converged = bool(did_exhaust and (energy - lower) <= CONVERGED_GAP * max(abs(energy), 1e-300))
    return Solution(prob, energy, W, W2, net, lower, Lam, mu, did_exhaust, converged, it,
                    time.perf_counter() - t0, log, best_fan if best[1] is not None else None,
                    face_geom, reason)
