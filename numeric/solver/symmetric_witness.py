r"""An exact non-abstract global minimum for hypercube-symmetric inputs, built from candidate
firing sets (for instance the supports of the dense solver's atoms).

Setting: ReLU with the bias, hypercube labels Y (n = 1), an input kernel K_X invariant under the
cube's symmetries (sign flips and permutations of the latent variables: whitened, target-aligned
and interaction inputs), exact rational Q = K_X^{-1}; any lam1, lam2 > 0.

Math (derived here; the optimality conditions are ``A.kkt``, stated by paper A)
-------------------------------------------------------------------------------
1. *Dual by symmetry.* The dual optimum is unique and invariant, so Lambda* = kappa Y, and the
   cone condition lam1 lam2 u^T Q u >= kappa^2 |Y u_+|^2 holds for all u iff kappa^2 <= lam1 lam2
   / rho with rho = sup_u |Y u_+|^2 / u^T Q u, a number of the geometry alone (no lambda).
   Hence kappa*^2 = min(1, lam1 lam2 / rho) and the active regime is lam1 lam2 < rho.
2. *Candidates.* For a firing set p (0/1 vector), the cheapest pre-activation with relu(h) = p is
   h = p - q, q >= 0 off p, minimising (p - q)^T Q (p - q): a non-negative least-squares problem,
   solved exactly on the active set suggested by a float solve, its KKT conditions re-checked in
   rationals. Its ratio rho_p = |Y p|^2 / h^T Q h is exact; rho^ = max over the candidates.
3. *Certificate of rho.* V(u) = u^T Q u - |Y u_+|^2 / rho^ >= 0 for every u is decided exactly over
   all sign patterns (:func:`numeric.inputs.exact_kkt_check`) for P <= 8, and beyond by an exact
   Walsh-block certificate vanishing on the optimal candidates
   (:mod:`numeric.solver.walsh_certificate`; sufficient, so a failure gives None), so rho^ = rho,
   and every candidate with rho_p = rho^ is a zero of V: an optimal neuron.
4. *Weights.* A measure on optimal neurons with kernel K = c K~ is a global minimum iff
   Lambda(K) = lam2 Y (lam2 + K)^{-1} = kappa* Y, which holds when Y K~ = Y and c = lam2 (1 -
   kappa*)/kappa* (then Y (lam2 + K) = (lam2 + c) Y). Y K~ = Y is linear in the weights: found by a
   float NNLS on the non-affine optimal candidates first, then solved and checked in rationals.
5. *Not abstract.* The coding vectors of that measure, d_k = sqrt(w_k) (p_k(+, a) - p_k(-, a)),
   are compared exactly: two contexts with (sum w d d')^2 < (sum w d^2)(sum w d'^2) (or a
   negative inner product) have cosine < 1, so PS < 1 at this global minimum.

Hypotheses: the symmetry of K_X (the caller's responsibility; the sign flips are checked
exactly by both certificates), dY <= MAX_DY for :func:`refute_family`. Failure modes: candidates
that miss the true maximiser of the ratio fail step 3 (V < 0 somewhere): None, never a wrong
answer; no non-negative weights on non-affine neurons: None.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np
from scipy.optimize import nnls

from numeric.inputs import exact_kkt_check
from numeric.parallelism import coding_index_sets, parallelism_score
from numeric.solver import rational as rq
from numeric.solver.affine_minima import affine_basis, is_affine
from numeric.solver.walsh_certificate import WalshCertificate
from numeric.solver.walsh_certificate import certify as walsh_certify

#: the exhaustive sign-pattern check of rho up to this P; Walsh-block certificates beyond.
EXHAUSTIVE_MAX_P = 8
#: refute_family is attempted up to this dY (P = 64: candidates, weights and certificate < 10 s).
MAX_DY = 6


@dataclass(frozen=True)
class NonAbstractOptimum:
    rho: Fraction                   # sup |Y u_+|^2 / u^T Q u (certified)
    patterns: list[list[Fraction]]  # optimal pre-activations h_k = p_k - q_k
    weights: list[Fraction]         # w_k with Y K~ = Y, K~ = sum w_k p_k p_k^T
    ps: float                       # PS of this global minimum (float of the exact measure)
    contexts: tuple                 # (variable, context a, context b) with cosine < 1, exactly
    walsh: WalshCertificate | None = None   # the certificate of rho when P > EXHAUSTIVE_MAX_P


def _cheapest(p: np.ndarray, Q: flint.fmpq_mat, Qf: np.ndarray) -> list[Fraction] | None:
    """exact h = p - q minimising h^T Q h over q >= 0 off supp(p) (step 2), or None"""
    P = len(p)
    off = [i for i in range(P) if p[i] == 0]
    if not off:
        return [Fraction(int(v)) for v in p]
    # min |L^T (p - q)|^2 with Q = L L^T: NNLS in q on the free coordinates
    L = np.linalg.cholesky(Qf)
    q_off, _ = nnls(L.T[:, off], L.T @ p)
    act = [off[j] for j in range(len(off)) if q_off[j] > 1e-12 * max(1.0, float(q_off.max()))]
    q = [Fraction(0)] * P
    if act:
        A = flint.fmpq_mat(len(act), len(act), [Q[i, j] for i in act for j in act])
        if A.det() == 0:
            return None
        rhs = flint.fmpq_mat(len(act), 1, [sum((Q[i, j] * int(p[j]) for j in range(P)), flint.fmpq(0))
                                           for i in act])
        sol = A.solve(rhs)
        for k, i in enumerate(act):
            q[i] = rq.frac(sol[k, 0])
    h = [Fraction(int(p[i])) - q[i] for i in range(P)]
    grad = [sum((Q[i, j] * rq.q(h[j]) for j in range(P)), flint.fmpq(0)) for i in range(P)]   # Q h
    # KKT of min over q >= 0 of (p - q)^T Q (p - q): (Q h)_i = 0 where q_i > 0, (Q h)_i <= 0 elsewhere off p
    if any(q[i] < 0 for i in act) or any(grad[i] != 0 for i in act) or \
            any(grad[i] > 0 for i in off if i not in act):
        return None
    return h


def _ratio(h: list[Fraction], Q: flint.fmpq_mat, Y: np.ndarray) -> Fraction:
    P = len(h)
    hv = flint.fmpq_mat(P, 1, [rq.q(v) for v in h])
    cost = (hv.transpose() * Q * hv)[0, 0]
    yp = Y.astype(int) @ np.array([int(v > 0) for v in h])     # Y p, p = relu(h) of 0/1 entries
    return Fraction(int(yp @ yp)) / rq.frac(cost)


def non_abstract_optimum(Q: flint.fmpq_mat, Y: np.ndarray, supports) -> NonAbstractOptimum | None:
    """Steps 1-5 of the module docstring for the candidate firing sets ``supports`` (0/1 rows)."""
    P = Q.nrows()
    Qf = rq.to_float(Q)
    cands = {}
    for p in supports:
        p = (np.asarray(p) > 0).astype(int)
        if p.any() and tuple(p) not in cands:
            h = _cheapest(p, Q, Qf)
            if h is not None:
                cands[tuple(p)] = (h, _ratio(h, Q, Y))
    if not cands:
        return None
    rho = max(r for _, r in cands.values())
    KY = flint.fmpq_mat(P, P, [int(v) for v in (Y.T @ Y).ravel()])
    opt = [(np.array(p), h) for p, (h, r) in cands.items() if r == rho]
    if P <= EXHAUSTIVE_MAX_P:
        ok, _, _ = exact_kkt_check(Q, KY * rq.q(1 / rho), 1, 1, Y)
        cert = None
    else:
        cert, _why = walsh_certify(Q, KY * rq.q(1 / rho), Y, [h for _, h in opt])
        ok = cert is not None
    if not ok:
        return None
    B = affine_basis(Y)
    non_affine = [(p, h) for p, h in opt if not is_affine([Fraction(int(v)) for v in p], B)]
    for atoms in (non_affine, opt):
        w = _weights(atoms, Y)
        witness = _not_parallel(atoms, w, Y) if w is not None else None
        if witness is None:
            continue
        R = np.array([np.sqrt(float(wk)) * p for (p, _), wk in zip(atoms, w)])
        ps = float(parallelism_score(R, Y))
        return NonAbstractOptimum(rho, [h for _, h in atoms], w, ps, witness, cert)
    return None


def _weights(atoms, Y: np.ndarray) -> list[Fraction] | None:
    """w >= 0 with sum_k w_k (Y p_k) p_k^T = Y exactly (step 4), or None"""
    if not atoms:
        return None
    M = np.array([np.outer(Y @ p, p).ravel() for p, _ in atoms]).T
    w, res = nnls(M, Y.ravel())
    if res > 1e-9:
        return None
    sup = [k for k in range(len(atoms)) if w[k] > 1e-12]
    Me = flint.fmpq_mat(M.shape[0], len(sup), [int(round(M[i, k])) for i in range(M.shape[0]) for k in sup])
    rhs = flint.fmpq_mat(M.shape[0], 1, [int(v) for v in Y.ravel()])
    try:
        x = (Me.transpose() * Me).solve(Me.transpose() * rhs)
    except (ZeroDivisionError, ValueError):
        return None
    if Me * x != rhs:
        return None
    out = [Fraction(0)] * len(atoms)
    for j, k in enumerate(sup):
        out[k] = rq.frac(x[j, 0])
    return out if all(v >= 0 for v in out) else None


def _not_parallel(atoms, w, Y: np.ndarray):
    """(k, a, b): two contexts whose coding vectors have cosine < 1, exactly (step 5)"""
    sets = coding_index_sets(Y)
    for k, pairs in enumerate(sets):
        d = [[int(p[plus[0]]) - int(p[minus[0]]) for p, _ in atoms] for plus, minus in pairs]
        for a, b in itertools.combinations(range(len(d)), 2):
            dot = sum(wk * x * y for wk, x, y in zip(w, d[a], d[b]))
            na = sum(wk * x * x for wk, x in zip(w, d[a]))
            nb = sum(wk * y * y for wk, y in zip(w, d[b]))
            if na > 0 and nb > 0 and (dot < 0 or dot * dot < na * nb):
                return (k, a, b)
    return None


def pair_and_half_supports(Y: np.ndarray) -> list[np.ndarray]:
    """The conjunctions 1{y_i = s, y_j = t} and the half-cubes 1{y_i = s}: candidates that the
    solver's atoms may miss at ties (eta = 1)."""
    dY = Y.shape[0]
    out = [((Y[i] == s) & (Y[j] == t)).astype(int)
           for i, j in itertools.combinations(range(dY), 2) for s in (1, -1) for t in (1, -1)]
    return out + [(Y[i] == s).astype(int) for i in range(dY) for s in (1, -1)]


def refute_family(dY: int, family: str, params: dict, lam1, lam2, atoms) -> tuple[bool, str] | None:
    """(False, reason) when a non-abstract global minimum of the hypercube task with symmetric
    ``family`` inputs (aligned, interaction; n = 1, bias) is verified exactly at these lambdas
    (taken as rationals), from the solver's atoms ``atoms`` (pre-activation rows) and the pair /
    half-cube candidates; None otherwise."""
    from numeric.inputs import exact_input_matrices
    if family not in ("aligned", "interaction") or dY > MAX_DY:
        return None
    exact = {k: Fraction(v) for k, v in params.items()}
    Y, _, Q = exact_input_matrices(dY, family, exact)
    H = np.atleast_2d(np.asarray(atoms, dtype=float)) if len(atoms) else np.zeros((0, 2 ** dY))
    sup = [(h > 1e-9 * max(float(np.max(np.abs(h))), 1e-300)).astype(int) for h in H]
    r = non_abstract_optimum(Q, Y, sup + pair_and_half_supports(Y))
    if r is None or not Fraction(lam1) * Fraction(lam2) < r.rho:      # silent regime: no neurons
        return None
    k, a, b = r.contexts
    how = ("over all sign patterns" if r.walsh is None else
           "over all u by a Walsh-block certificate (numeric.solver.walsh_certificate)")
    return False, (f"refuted: an exact global minimum with PS = {r.ps:.6f} < 1 -- {len(r.weights)} "
                   f"non-affine neurons whose ratio |Y relu(h)|^2 / h^T Q h attains rho = {r.rho}, "
                   f"certified as the maximum {how} (exact), with weights solving "
                   f"Y K = c Y (Lambda(K) = kappa* Y by symmetry, kappa*^2 = lam1 lam2 / rho); the "
                   f"coding vectors of variable {k} in contexts {a} and {b} have cosine < 1, "
                   f"exactly (numeric.solver.symmetric_witness)")
