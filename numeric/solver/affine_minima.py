r"""Every global minimum abstract on non-whitened hypercube inputs: the exact zero set over all
sign patterns, and every optimal neuron affine in the labels.

Setting: ReLU, one hidden layer with the bias row, hypercube labels Y (every condition n times,
so 1, y_1, ..., y_dY are orthogonal), any input geometry Q = K_X^{-1} (``numeric.inputs``:
target-aligned, anisotropic, interaction), rational lam1, lam2 and an exact optimum whose dual
matrix A = R K_Y R (R = (lam2 + K*)^{-1}, so Lambda*^T Lambda* = lam2^2 A) is known in rationals.

Math (derived here; the optimality conditions are ``A.kkt``, stated by paper A)
-------------------------------------------------------------------------------
1. *Support.* If V(u) = lam1 u^T Q u - lam2 u_+^T A u_+ >= 0 for every u (the cone condition,
   decided exactly by :func:`numeric.inputs.exact_kkt_check`) and the given measure reaches the
   dual value, the duality gap is zero and every optimal measure is supported on the zero set
   Z = {u : V(u) = 0} (each term of the weak-duality identity must vanish).
2. *Zero set over sign patterns.* For the firing set F, u = p - q with p >= 0 on F, q >= 0 off F,
   V = x^T M_F x on x = (p, q) >= 0 with M_F copositive. Its zeros with support I are exactly the
   non-negative vectors of ker (M_F)_II (first-order conditions on the open face;
   :mod:`numeric.solver.zeroset`), so Z is the union over (F, I) of these kernels, computed here
   in exact rationals (one F per orbit of the label sign flips that fix Q and A).
3. *Affine neurons.* The hidden activity of u is relu(u) = p. If for every (F, I) with a
   non-trivial kernel the p-part of every kernel vector lies in span{1, y_1, ..., y_dY} (a linear
   condition, so checking a basis suffices, and invariant under the sign flips), every optimal
   neuron is affine in the labels: relu(u) = a_0 1 + sum_i a_i y_i. Then the coding vector of
   variable k is (2 a_k,j sqrt(w_j))_j in *every* context: PS_k = 1 provided it is not zero.
4. *No vanishing variable.* If every atom had a_k,j = 0 then K y_k = 0 (orthogonality of the
   labels) and the outputs' row k, y_k^T K (lam2 + K)^{-1}, would vanish. All global minima share
   their outputs (``L.solver.outputs``), so it suffices that one known optimum has K* y_k != 0.

*Instances of* ``A.inputs`` *at any rational lam1, lam2* (:func:`decide_inputs_family`). For the
abstract closed form K* = sum_i b_i* (J + v_i v_i^T), b_i* = sqrt(lam2/(lam1 c_i)) - lam2/P, the
optimum is irrational, but its dual matrix is not: R = (lam2 + K*)^{-1} acts on v_i by
1/(lam2 + b_i* P) and (lam2 + b_i* P)^2 = P^2 lam2/(lam1 c_i), so A = R K_Y R =
sum_i lam1 c_i/(P^2 lam2) v_i v_i^T exactly (c_i = c(gamma_i) rational, ``numeric.inputs``). Floats
are rationals, so every user instance with P <= 8 gets the exact route: cone condition over
all sign patterns, complementary slackness on the closed form's neurons x 1 +- z v_i (x/z =
min(1, (P+1)/(1 + gamma_i P))), then the zero set. Active variables (b_i* > 0, i.e.
lam2/(lam1 c_i) > (lam2/P)^2) have K* y_i = b_i* P y_i != 0, so the kernel sum_i (J + v_i v_i^T)
stands in for K* in step 4.

Hence, under 1-4, **every global minimum is abstract** (PS = 1), whatever its width and weights.
If some kernel vector has a non-affine p-part, the test decides nothing (that neuron may or may
not enter an optimal measure). Cost: per orbit of firing sets, 2^P - 1 exact kernels of at most
P x P rational blocks; P <= 8 (dY <= 3, n = 1) in practice.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

from numeric.solver import rational as rq
from numeric.inputs import (FAMILIES, cost_coefficient_exact, exact_input_matrices, exact_kkt_check,
                            potential_exact, sign_pattern_blocks)

#: zero-set enumeration up to this many samples (2^P kernels per orbit of firing sets).
MAX_P = 8
#: beyond MAX_P, Walsh-block certificates (numeric.solver.walsh_certificate) up to this dY.
WALSH_MAX_DY = 8


@dataclass(frozen=True)
class AffineDecision:
    all_minima_abstract: bool | None
    reason: str
    orbits: int                      # firing-set orbits examined
    kernels: int                     # (F, I) pairs with a non-trivial non-negative kernel vector
    non_affine: list | None = None   # a kernel vector whose hidden part is not affine (u, in samples)
    activities: tuple = ()           # distinct zero activities relu(u) (orbit representatives, max 1)


def affine_basis(Y: np.ndarray) -> flint.fmpq_mat:
    dY, P = Y.shape
    return flint.fmpq_mat(dY + 1, P, [1] * P + [int(v) for v in Y.ravel()])


def is_affine(p: list[Fraction], B: flint.fmpq_mat) -> bool:
    """p in the row space of B (exact rank test)"""
    P = B.ncols()
    ext = flint.fmpq_mat(B.nrows() + 1, P, list(B.entries()) + [flint.fmpq(v.numerator, v.denominator)
                                                                  for v in p])
    return ext.rank() == B.rank()


def _kernel_vectors(M: list[list[Fraction]], I: tuple[int, ...]) -> list[list[Fraction]]:
    """a basis of ker M_II if it contains a vector > 0 on I (zeros with support I), else []"""
    k = len(I)
    B = flint.fmpq_mat(k, k, [flint.fmpq(M[i][j].numerator, M[i][j].denominator) for i in I for j in I])
    if k > 1 and B.det() != 0 or k == 1 and B[0, 0] != 0:
        return []
    N, nullity = B.numer_denom()[0].nullspace()
    basis = [[Fraction(int(N[r, c])) for r in range(k)] for c in range(nullity)]
    if nullity == 1:
        v = basis[0]
        if all(t < 0 for t in v):
            return [[-t for t in v]]
        return basis if all(t > 0 for t in v) else []
    return basis        # a face: its basis is tested (conservative: may hold no positive vector)


def decide(Q, A, lam1, lam2, Y: np.ndarray, K_opt) -> AffineDecision:
    """Every global minimum abstract? (module docstring). Q, A, K_opt: flint fmpq_mat (K_opt the
    kernel of one known optimum, for step 4); Y: the +-1 labels (dY x P)."""
    dY, P = Y.shape
    if P > MAX_P:
        raise ValueError(f"`Y` must have at most {MAX_P} samples for the exact zero set; got {P}")
    ok, orbits, wit = exact_kkt_check(Q, A, lam1, lam2, Y)
    if not ok:
        return AffineDecision(None, f"not decided: the cone condition fails at u = {wit[1]} (the "
                                    f"given point is not the dual optimum)", orbits, 0)
    for k in range(dY):
        yk = flint.fmpq_mat(P, 1, [int(v) for v in Y[k]])
        if all(v == 0 for v in (K_opt * yk).entries()):
            return AffineDecision(None, f"not decided: variable {k} is silent at the optimum "
                                        f"(K* y_k = 0, PS undefined)", orbits, 0)
    B = affine_basis(Y)
    orbits, kernels, acts = 0, 0, set()
    for _F, order, sign, M in sign_pattern_blocks(Q, A, lam1, lam2, Y):
        orbits += 1
        for size in range(1, P + 1):
            for I in itertools.combinations(range(P), size):
                for vec in _kernel_vectors(M, I):
                    kernels += 1
                    u, p = [Fraction(0)] * P, [Fraction(0)] * P
                    for pos, val in zip(I, vec):
                        u[order[pos]] = val * sign[pos]
                        if sign[pos] > 0:          # the firing part x_F: relu(u) on the face
                            p[order[pos]] = val
                    if not is_affine(p, B):
                        return AffineDecision(None, "not decided: the zero set holds a neuron whose "
                                                    "activity is not affine in the labels", orbits,
                                              kernels, [str(t) for t in u])
                    top = max(p)
                    if top > 0:
                        acts.add(tuple(t / top for t in p))
    return AffineDecision(True, (
        f"proved: V >= 0 over all sign patterns (exact), and every zero of V ({kernels} exact "
        f"kernels over {orbits} orbits of firing sets) fires an activity affine in the labels, so "
        f"every optimal neuron codes each variable identically in every context; no variable is "
        f"silent (K* y_k != 0, outputs shared by all global minima): PS = 1 at every global "
        f"minimum"), orbits, kernels, None, tuple(sorted(acts)))


def closed_form_dual_matrix(Y: np.ndarray, cs: list[Fraction], lam1: Fraction,
                            lam2: Fraction) -> flint.fmpq_mat:
    """A = R K_Y R of the abstract closed form, sum_i lam1 c_i/(P^2 lam2) v_i v_i^T, exactly
    (all variables active; module docstring)."""
    P = Y.shape[1]
    A = flint.fmpq_mat(P, P)
    for i, c in enumerate(cs):
        v = flint.fmpq_mat(P, 1, [int(t) for t in Y[i]])
        w = lam1 * c / (P * P * lam2)
        A += (v * v.transpose()) * flint.fmpq(w.numerator, w.denominator)
    return A


@dataclass(frozen=True)
class ClosedFormDual:
    """The abstract closed form of ``numeric.inputs`` in exact rationals: labels Y, Q = K_X^{-1},
    its dual matrix A (the cone form is lam1 u^T Q u - lam2 u_+^T A u_+), its 2 dY neurons x 1 +-
    z v_i (zeros of that form, checked exactly) and the lambdas as rationals."""
    Y: np.ndarray
    Q: flint.fmpq_mat
    A: flint.fmpq_mat
    zeros: list
    lam1: Fraction
    lam2: Fraction


def closed_form_dual(dY: int, family: str, params: dict, lam1, lam2) -> ClosedFormDual | str:
    """The exact dual of the abstract closed form (module docstring), or the reason it does not
    apply: a silent variable, or closed-form neurons that are not zeros of the cone form."""
    if family not in FAMILIES:
        raise ValueError(f"`family` must be one of {list(FAMILIES)}; got {family!r}")
    P = 2 ** dY
    l1, l2 = Fraction(lam1), Fraction(lam2)
    if family == "aligned":
        gam = [Fraction(params["gamma"])] * dY
    elif family == "anisotropic":
        gam = [Fraction(g) for g in params["gammas"]]
    else:
        gam = [Fraction(0)] * dY              # interaction: the whitened closed form (eta <= 1)
    exact = {k: ([Fraction(x) for x in v] if isinstance(v, (list, tuple)) else Fraction(v))
             for k, v in params.items()}
    Y, _KY, Q = exact_input_matrices(dY, family, exact)
    cs = [cost_coefficient_exact(g, P) for g in gam]
    silent = [i for i, c in enumerate(cs) if l2 / (l1 * c) <= (l2 / P) ** 2]
    if silent:
        return f"not decided: variable {silent[0]} is silent in the closed form (b* <= 0, PS undefined)"
    A = closed_form_dual_matrix(Y, cs, l1, l2)
    zeros = [_closed_form_neuron(Y[i], g, s) for i, g in enumerate(gam) for s in (1, -1)]
    if any(potential_exact(u, Q, A, l1, l2) != 0 for u in zeros):
        return ("not decided: the abstract closed form's neurons are not zeros of the cone form (it "
                "is not the optimum here)")
    return ClosedFormDual(Y, Q, A, zeros, l1, l2)


def decide_inputs_family(dY: int, family: str, params: dict, lam1, lam2) -> AffineDecision | None:
    """Every global minimum abstract? for the hypercube task (n = 1, with the bias) with inputs of
    ``numeric.inputs`` family ``family`` and any lam1, lam2 > 0, taken as exact rationals (module
    docstring): the exact zero set for P <= MAX_P, Walsh-block certificates up to dY =
    WALSH_MAX_DY; None beyond (not attempted)."""
    if family not in FAMILIES:
        raise ValueError(f"`family` must be one of {list(FAMILIES)}; got {family!r}")
    if dY > WALSH_MAX_DY:
        return None
    d = closed_form_dual(dY, family, params, lam1, lam2)
    if isinstance(d, str):
        return AffineDecision(None, d, 0, 0)
    P = 2 ** dY
    if P > MAX_P:
        return decide_by_walsh(d.Q, d.A * rq.q(d.lam2 / d.lam1), d.Y, d.zeros)
    Ksur = flint.fmpq_mat(P, P)
    for i in range(dY):
        v = flint.fmpq_mat(P, 1, [int(t) for t in d.Y[i]])
        Ksur += v * v.transpose() + flint.fmpq_mat(P, P, [1] * (P * P))
    return decide(d.Q, d.A, d.lam1, d.lam2, d.Y, Ksur)


def _closed_form_neuron(y: np.ndarray, gamma: Fraction, s: int) -> list[Fraction]:
    """x 1 + s z y of the abstract closed form, x/z = min(1, (P+1)/(1 + gamma P)), x + z = 1"""
    P = len(y)
    r = min(Fraction(1), Fraction(P + 1) / (1 + gamma * P))
    x, z = r / (1 + r), 1 / (1 + r)
    return [x + s * z * int(t) for t in y]


def walsh_all_minima(Q, A, Y: np.ndarray, zeros):
    """(certificate, answer, reason, zero set) for V(u) = u^T Q u - u_+^T A u_+ >= 0 by an exact
    Walsh-block certificate vanishing on the known optimal neurons ``zeros``
    (:mod:`numeric.solver.walsh_certificate`); (None, None, reason, None) when none is found.
    Blocks of degree >= 2 positive definite: every zero of V fires an activity in span{1, y_1,
    ..., y_dY} (its Walsh coefficients of degree >= 2 vanish), step 3 without the enumeration;
    one singular: the certificate's exact zero set decides (:mod:`numeric.solver.walsh_zeros`,
    zero set returned). The caller guarantees that ``zeros`` reach the dual value (zero gap) and
    that no variable is silent (step 4)."""
    from numeric.solver.walsh_certificate import certify, verify
    from numeric.solver.walsh_zeros import decide
    cert, why = certify(Q, A, Y, zeros)
    if cert is None:
        return None, None, f"not decided: no Walsh-block certificate ({why})", None
    if all(bin(S).count("1") < 2 for S in verify(cert)[2]):
        return cert, True, (
            "proved: V >= 0 for every u by an exact Walsh-block certificate (2 x 2 blocks per "
            "character, numeric.solver.walsh_certificate) that vanishes on the closed form's "
            "neurons and is positive definite on every character of degree >= 2, so every zero of "
            "V (every optimal neuron) fires an activity affine in the labels; no variable is "
            "silent: PS = 1 at every global minimum"), None
    ab, reason, z = decide(cert, Q, A, Y)
    if ab is None:
        return cert, None, reason, z
    return cert, True, (
        "proved: V >= 0 for every u by an exact Walsh-block certificate that vanishes on the closed "
        "form's neurons (a block of degree >= 2 is singular); " + reason + "; no variable is "
        "silent: PS = 1 at every global minimum"), z


def decide_by_walsh(Q, A, Y: np.ndarray, zeros) -> AffineDecision:
    """P > MAX_P: :func:`walsh_all_minima` as an :class:`AffineDecision`."""
    _cert, ab, reason, z = walsh_all_minima(Q, A, Y, zeros)
    rays = len(z.admissible) if z is not None else 0
    witness = [str(t) for t in z.non_affine[0]] if z is not None and z.non_affine else None
    return AffineDecision(ab, reason, 0, rays, witness, ())
