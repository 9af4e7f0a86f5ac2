"""Input geometry: families of K_X, their closed forms, and an exact all-sign-pattern KKT check.

Numeric mirror of :mod:`symbolic.inputs` (hypercube task, n = 1, ReLU, bias row). Families
(X = [I_P; F], X~ = [X; 1^T]):

* ``aligned``      F = sqrt(gamma) Y                      K_X = I + J + gamma K_Y
* ``anisotropic``  F = diag(sqrt(gamma_i)) Y               K_X = I + J + sum gamma_i v_i v_i^T
* ``interaction``  F = sqrt(eta) [y_i y_j]_{i<j}           K_X = I + J + eta sum_{|S|=2} chi_S chi_S^T

Closed forms (:func:`closed_form`): per latent variable c_i = c(gamma_i) (lambdified from
symbolic), b_i* = sqrt(lam2/(lam1 c_i)) - lam2/P, E* = sum_i (2 sqrt(lam1 lam2 c_i) -
lam1 lam2 c_i/P) (a silent variable contributes P), K* = sum_i b_i* (J + v_i v_i^T), neurons
x 1 +- z v_i with x/z = min(1, q_i/q_0). For ``interaction`` the closed form is the whitened one
and holds only for eta <= 1 (:func:`closed_form` raises for eta > 1 with dY >= 3; for dY = 2 it
returns the conjunctive code).

Exact check (:func:`exact_kkt_check`). For general Q the ReLU copositivity reduction of A.kkt
fails, so V(u) = lam1 u^T Q u - lam2 u_+^T A u_+ >= 0 is checked over *every* sign pattern: for the
firing set F (G its complement) and u = p - q (p >= 0 on F, q >= 0 on G), V is the quadratic
form of M_F = [[lam1 Q_FF - lam2 A_FF, -lam1 Q_FG], [-lam1 Q_GF, lam1 Q_GG]] on the orthant, so
V >= 0 everywhere iff every M_F is copositive (exact, :func:`numeric.copositivity.decide_copositive`).
Sign-flip symmetries y -> y * s that fix Q and A (checked exactly) map M_F to a permutation of
M_{gF}; only one F per orbit is decided. Cost: (number of orbits) x O(2^P P^3); P <= 8 here.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import numpy as np
import sympy as sp

from numeric.tasks import sign_vectors
from numeric.validation import InputError, integer_at_least, positive
from symbolic import inputs as sym

FAMILIES = ("aligned", "anisotropic", "interaction")


def _finite(v) -> bool:
    try:
        return np.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def _check_params(dY, family, params):
    integer_at_least("dY", dY, 1)
    if family not in FAMILIES:
        raise InputError(f"`family` must be one of {list(FAMILIES)}; got {family!r}")
    if family == "aligned":
        g = params.get("gamma")
        if g is None or not _finite(g) or g < 0:
            raise InputError(f"`gamma` must be a finite number >= 0; got {g!r}")
        return [g] * dY
    if family == "anisotropic":
        gs = params.get("gammas")
        if gs is None or len(gs) != dY or any((not _finite(g)) or g < 0 for g in gs):
            raise InputError(f"`gammas` must be {dY} finite numbers >= 0 (one per latent "
                             f"variable); got {gs!r}")
        return list(gs)
    e = params.get("eta")
    if e is None or not _finite(e) or e < 0:
        raise InputError(f"`eta` must be a finite number >= 0; got {e!r}")
    if dY < 2:
        raise InputError(f"`dY` must be >= 2 for interaction inputs (needs a pair y_i y_j); got {dY}")
    return [0] * dY


def features(dY: int, family: str, params: dict, *, exact: bool = False):
    """Rows of F (list of (weight, row)) with rows integer vectors of length P; K_X = I + J +
    sum weight row row^T. ``exact`` keeps the weights as given (Fractions allowed)."""
    gam = _check_params(dY, family, params)
    Y = sign_vectors(dY).astype(int)
    feats = []
    if family in ("aligned", "anisotropic"):
        feats = [(g, Y[i]) for i, g in enumerate(gam) if g != 0]
    else:
        feats = [(params["eta"], Y[i] * Y[j]) for i, j in itertools.combinations(range(dY), 2)]
    return feats, Y


def inputs(dY: int, family: str, params: dict) -> np.ndarray:
    """Float X = [I_P; F] (dX x P) without the bias row (add it with numeric.tasks.augment)."""
    feats, Y = features(dY, family, params)
    P = Y.shape[1]
    rows = [np.eye(P)] + [np.sqrt(float(w)) * r[None, :].astype(float) for w, r in feats]
    return np.vstack(rows)


def cost_coefficient_exact(gamma, P: int) -> Fraction:
    """c(gamma) in exact rationals (gamma converted exactly): P/(P+1) + P/(1 + gamma P) for
    gamma <= 1, else 4 A B/(A + B) with A = P/(P+1), B = P/(1 + gamma P) (the two regimes of
    :func:`cost_coefficient`)."""
    g = Fraction(gamma)
    A, B = Fraction(P, P + 1), Fraction(P) / (1 + g * P)
    return A + B if g <= 1 else 4 * A * B / (A + B)


@lru_cache(maxsize=None)
def _cost(module):
    g, P = sym.gamma, sym.P
    lo = sp.lambdify((g, P), sym.cost_coefficient(sym.q_latent(g, P), P=P, regime="low"), module)
    hi = sp.lambdify((g, P), sym.cost_coefficient(sym.q_latent(g, P), P=P, regime="high"), module)
    return lo, hi


def cost_coefficient(gamma, P, *, module="math"):
    lo, hi = _cost(module)
    if module == "mpmath":
        import mpmath
        P = mpmath.mpf(P)
    return lo(gamma, P) if gamma <= 1 else hi(gamma, P)


@dataclass(frozen=True)
class InputsClosedForm:
    dY: int
    family: str
    params: dict
    lam1: float
    lam2: float
    energy: float
    scales: list            # b_i* per latent variable (0 when silent)
    costs: list             # c_i
    silent_ratio: list      # x_i / z_i of the optimal neuron (1: silent half at exactly 0)
    code: str               # "abstract" or "conjunctive"
    claim: str
    neurons: list = field(default_factory=list)

    def kernel(self) -> np.ndarray:
        Y = sign_vectors(self.dY)
        P = Y.shape[1]
        if self.code == "conjunctive":
            return self.scales[0] * np.eye(P)
        return sum(b * (np.ones((P, P)) + np.outer(Y[i], Y[i])) for i, b in enumerate(self.scales))

    def patterns(self) -> np.ndarray:
        """Pre-activation patterns (rows) realising K* (weights folded in)."""
        Y = sign_vectors(self.dY)
        P = Y.shape[1]
        if self.code == "conjunctive":
            q0, q2 = 1 / (P + 1), 1 / (1 + self.params["eta"] * P)
            beta = (q0 - q2) / (2 * (q0 + q2))
            rows = []
            for k in range(P):
                h = np.array([1.0 if j == k else (-beta if np.sum(Y[:, j] != Y[:, k]) == 1 else 0.0)
                              for j in range(P)])
                rows.append(np.sqrt(self.scales[0]) * h)
            return np.array(rows)
        rows = []
        for i, (b, r) in enumerate(zip(self.scales, self.silent_ratio)):
            if b <= 0:
                continue
            sig = np.sqrt(2 * b)                       # x + z
            z = sig / (1 + r)
            x = sig - z
            rows += [x + s * z * Y[i] for s in (1.0, -1.0)]
        return np.array(rows)


def closed_form(dY: int, family: str, params: dict, lam1, lam2, *, module="math") -> InputsClosedForm:
    if module == "math":
        lam1, lam2 = positive("lam1", lam1), positive("lam2", lam2)
    gam = _check_params(dY, family, params)
    P = 2 ** dY
    if module == "math":
        sqrt = math.sqrt
    else:
        import mpmath
        sqrt = mpmath.sqrt
    if family == "interaction" and params["eta"] > 1:
        if dY != 2:
            raise InputError(f"no closed form for interaction inputs with eta > 1 and dY = {dY} "
                             f"(the abstract optimum fails there; only dY = 2 is solved); got "
                             f"eta = {params['eta']!r}")
        q0, q2 = 1 / (P + 1) * (lam1 / lam1), 1 / (1 + params["eta"] * P) * (lam1 / lam1)
        C = 2 + 4 * q0 * q2 / (q0 + q2)
        mu = sqrt(8 * lam2 / (lam1 * C)) - lam2
        if mu <= 0:
            return InputsClosedForm(dY, family, dict(params), lam1, lam2, dY * P * (lam1 / lam1),
                                    [0 * lam1], [C], [], "silent", "A.inputs.interaction")
        E = 2 * sqrt(8 * lam1 * lam2 * C) - lam1 * lam2 * C
        return InputsClosedForm(dY, family, dict(params), lam1, lam2, E, [mu], [C], [],
                                "conjunctive", "A.inputs.interaction")
    E, scales, costs, ratios = 0 * lam1, [], [], []
    for g in gam:
        c = cost_coefficient(g, P, module=module)
        bb = sqrt(lam2 / (lam1 * c)) - lam2 / P
        if bb > 0:
            E += 2 * sqrt(lam1 * lam2 * c) - lam1 * lam2 * c / P
        else:
            bb = 0 * lam1
            E += P * (lam1 / lam1)
        scales.append(bb)
        costs.append(c)
        ratios.append(min(1, (P + 1) / (1 + g * P)))      # x/z = q_i/q_0 in the high regime
    claim = {"aligned": "A.inputs.aligned", "anisotropic": "A.inputs.anisotropic",
             "interaction": "A.inputs.interaction"}[family]
    return InputsClosedForm(dY, family, dict(params), lam1, lam2, E, scales, costs, ratios,
                            "abstract", claim)


# ----------------------------------------------------------------------- exact KKT check

def exact_input_matrices(dY: int, family: str, params: dict):
    """(Y int array, K_Y, Q) exactly: Q = (I + J + sum w f f^T)^{-1} built from the features."""
    import flint
    from numeric.exact import fmpq
    feats, Y = features(dY, family, params)
    P = Y.shape[1]
    KX = flint.fmpq_mat(P, P, [int(i == j) + 1 for i in range(P) for j in range(P)])
    for w, r in feats:
        rv = flint.fmpq_mat(P, 1, [int(v) for v in r])
        KX += (rv * rv.transpose()) * fmpq(w)
    KY = flint.fmpq_mat(P, P, [int(v) for v in (Y.T @ Y).ravel()])
    return Y, KY, KX.inv()


def _flip_perms(Y):
    d, P = Y.shape
    index = {tuple(Y[:, k]): k for k in range(P)}
    perms = []
    for s in itertools.product([-1, 1], repeat=d):
        perms.append([index[tuple(Y[:, k] * np.array(s))] for k in range(P)])
    return perms


def sign_pattern_blocks(Q, A, lam1, lam2, Y):
    """One firing set F per orbit of the label sign flips that fix Q and A, with its block form:
    yields (F, order, sign, M), u = p - q restricted to ``order`` (F first, then its complement)
    with ``sign`` +1 on F and -1 off it, and V(u) = x^T M x for x = (p, q) >= 0 (module
    docstring). Q, A: flint fmpq_mat (symmetric); M: nested lists of Fractions."""
    from numeric.exact import to_rows
    l1, l2 = Fraction(lam1), Fraction(lam2)
    Qr, Ar = to_rows(Q), to_rows(A)
    P = len(Qr)
    perms = [g for g in _flip_perms(Y)
             if all(Qr[g[i]][g[j]] == Qr[i][j] and Ar[g[i]][g[j]] == Ar[i][j]
                    for i in range(P) for j in range(P))]
    seen = set()
    for mask in range(1 << P):
        F = frozenset(k for k in range(P) if mask >> k & 1)
        if F in seen:
            continue
        for g in perms:
            seen.add(frozenset(g[k] for k in F))
        Fl = sorted(F)
        order = Fl + [k for k in range(P) if k not in F]
        sign = [1] * len(Fl) + [-1] * (P - len(Fl))
        M = [[(l1 * Qr[i][j] - (l2 * Ar[i][j] if (i in F and j in F) else 0)) * si * sj
              for j, sj in zip(order, sign)] for i, si in zip(order, sign)]
        yield Fl, order, sign, M


def exact_kkt_check(Q, A, lam1, lam2, Y):
    """Decide exactly whether V(u) = lam1 u^T Q u - lam2 u_+^T A u_+ >= 0 for all u.

    Q, A: flint fmpq_mat (symmetric). Returns (ok, n_orbits, witness): witness = (F, u as
    Fractions, V(u)) for the first violating sign pattern, else None."""
    from numeric.copositivity import decide_copositive
    n_orbits = 0
    for Fl, order, sign, M in sign_pattern_blocks(Q, A, lam1, lam2, Y):
        n_orbits += 1
        res = decide_copositive(M)
        if not res.copositive:
            u = [Fraction(0)] * len(order)
            for pos, k in enumerate(order):
                u[k] = res.witness[pos] * sign[pos]
            return False, n_orbits, (Fl, u, res.value)
    return True, n_orbits, None


def potential_exact(u, Q, A, lam1, lam2):
    """V(u) = lam1 u^T Q u - lam2 u_+^T A u_+ exactly (a Fraction) from Q, A (flint)."""
    import flint
    from numeric.exact import fmpq
    P = len(u)
    uu = flint.fmpq_mat(P, 1, [fmpq(v) for v in u])
    up = flint.fmpq_mat(P, 1, [fmpq(max(Fraction(0), Fraction(v))) for v in u])
    val = fmpq(lam1) * (uu.transpose() * Q * uu)[0, 0] - fmpq(lam2) * (up.transpose() * A * up)[0, 0]
    return Fraction(int(val.p), int(val.q))


def exact_energy_and_A(patterns, weights, KY, Q, lam1, lam2):
    """Energy from its definition and A = R K_Y R (R = (lam2 + K)^{-1}) exactly for the measure
    sum_k w_k delta_{h_k}: pre-activation patterns h_k (rationals, any sign), K = sum w phi(h)phi(h)^T."""
    import flint
    from numeric.exact import fmpq
    P = KY.nrows()
    K = flint.fmpq_mat(P, P)
    cost = flint.fmpq(0)
    for h, w in zip(patterns, weights):
        hv = flint.fmpq_mat(P, 1, [fmpq(v) for v in h])
        fv = flint.fmpq_mat(P, 1, [fmpq(max(Fraction(v), Fraction(0))) for v in h])
        K += (fv * fv.transpose()) * fmpq(w)
        cost += (hv.transpose() * Q * hv)[0, 0] * fmpq(w)
    eye = flint.fmpq_mat(P, P, [int(i == j) for i in range(P) for j in range(P)])
    R = (eye * fmpq(lam2) + K).inv()
    fit = R * KY
    E = cost * fmpq(lam1) + sum((fit[i, i] for i in range(P)), flint.fmpq(0)) * fmpq(lam2)
    return Fraction(int(E.p), int(E.q)), R * KY * R, K
