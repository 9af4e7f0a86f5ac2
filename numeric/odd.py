"""Closed forms for odd (and odd + constant) activations on the whitened hypercube task with bias,
n = 1 (fast path of ``A.odd`` / ``A.odd.width``; mathematics in :mod:`symbolic.odd`).

For phi with phi - phi(0) odd and L-Lipschitz, every network (any width) has

    E >= dY e*,   e* = 2 sqrt(lam1 lam2 P)/L - lam1 lam2/L^2   (lam1 lam2 < L^2 P; else e* = P),

and the bound is the optimum, with K* = b* K_Y + c J, b* = sqrt(lam2 L^2/(lam1 P)) - lam2/P,
c = phi(0)^2 x (number of neurons), as soon as phi - phi(0) = L z on an interval [-z_lin, z_lin]
(linear: all z; hard-tanh: |z| <= 1; hard-sigmoid: L = 1/2, |z| <= 1). For tanh the gain reaches
L = 1 only as z -> 0: dY e* is the M -> infinity limit and no finite width attains it; at width M
(per-variable neurons beta v_i, balanced allocation) the energy is computed here by a 1-D
minimisation per variable.

Expressions are lambdified from :mod:`symbolic.odd`, never retyped. Hypotheses that fail raise
``InputError`` naming the activation and the property it lacks.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import flint
import mpmath as mp
import numpy as np
import sympy as sp
from scipy.optimize import minimize_scalar

from numeric import activations
from numeric.exact import fmpq, hypercube_matrices
from numeric.parallelism import parallelism_score
from numeric.tasks import sign_vectors
from numeric.validation import InputError, integer_at_least, positive
from symbolic import odd as sym

CLAIM = "A.odd"


@lru_cache(maxsize=None)
def _compiled(module: str):
    args = (sym.P, sym.lam1, sym.lam2, sym.L, sym.dY)
    return (sp.lambdify(args, sym.b_star(), module),
            sp.lambdify(args, sym.energy_star(), module),
            sp.lambdify(args, sym.activity_threshold(), module))


@dataclass(frozen=True)
class OddClosedForm:
    activation: str
    dY: int
    P: int
    lam1: float
    lam2: float
    L: float                 # Lipschitz constant of phi - phi(0)
    b: float                 # K* = b K_Y + c J
    energy: float            # optimum (attained) or infimum over widths (tanh)
    active: bool             # b > 0
    attained: bool           # some finite width reaches the energy
    width: int | None        # a sufficient width (None: never attained)
    offset: float            # phi(0); the J coefficient is offset^2 * (number of neurons)
    claim: str = CLAIM

    def kernel(self, constant: float = 0.0) -> np.ndarray:
        Y = sign_vectors(self.dY)
        return self.b * (Y.T @ Y) + constant * np.ones((self.P, self.P))


def lipschitz_bound(dY: int, lam1, lam2, L, *, module: str = "math"):
    """(b*, dY e*, active) of the per-variable bound; module='mpmath' at the current precision."""
    P = 2 ** dY
    bfun, efun, tfun = _compiled(module)
    if lam1 * lam2 < tfun(P, lam1, lam2, L, dY):
        return bfun(P, lam1, lam2, L, dY), efun(P, lam1, lam2, L, dY), True
    return 0 * lam1, dY * P * (lam1 / lam1), False


def _pairs_needed(b: float, L: float, z_lin: float, offset: float) -> int:
    """Smallest N per variable with N neurons beta_k v_i, |beta_k| <= z_lin, sum L^2 beta_k^2 = b
    and (when phi(0) != 0) sum beta_k = 0 (no 1 v_i^T cross terms)."""
    if b <= 0:
        return 0
    if math.isinf(z_lin):
        return 2 if offset else 1
    unit = L * L * z_lin * z_lin
    n = max(1, math.ceil(b / unit - 1e-12))
    if offset:
        n = max(2, n)
        if n % 2 and (n - 1) * unit < b:      # odd N: one neuron must sit at 0
            n += 1
    return n


def covers(activation: str) -> str:
    """'' when the odd theory covers ``activation``, else the reason it does not."""
    pr = activations.properties(activation)
    if pr.odd_about is None:
        return f"phi = {activation} is not odd (nor odd plus a constant)"
    if pr.lipschitz is None:
        return f"phi = {activation} is not Lipschitz"
    return ""


def closed_form(activation: str, dY: int, lam1, lam2, *, module: str = "math") -> OddClosedForm:
    integer_at_least("dY", dY, 1)
    if module == "math":
        lam1, lam2 = positive("lam1", lam1), positive("lam2", lam2)
    why = covers(activation)
    if why:
        raise InputError(f"`activation` must be odd (up to a constant) and Lipschitz; {why}")
    pr = activations.properties(activation)
    L = pr.lipschitz
    b, E, active = lipschitz_bound(dY, lam1, lam2, L if module == "math" else mp.mpf(L), module=module)
    attained = pr.linear_up_to is not None
    width = None
    if attained:
        width = dY * _pairs_needed(float(b), L, pr.linear_up_to, pr.odd_about) if active else 0
    return OddClosedForm(activation, dY, 2 ** dY, lam1, lam2, L, b, E, active, attained, width,
                         pr.odd_about)


def optimal_neurons(cf: OddClosedForm) -> np.ndarray:
    """Rows beta v_i realising K* (needs an attaining activation): per variable, N neurons with
    equal |beta| (signs alternating when phi(0) != 0; one neuron at 0 when N is odd)."""
    if not cf.attained or not cf.active:
        raise InputError(f"`activation` {cf.activation!r} has no finite-width optimum to build")
    V = sign_vectors(cf.dY)
    n = cf.width // cf.dY
    signs = [1.0] * n
    if cf.offset:
        signs = [(-1.0) ** k for k in range(n)]
        if n % 2:
            signs[-1] = 0.0
    used = sum(s != 0 for s in signs)
    beta = math.sqrt(cf.b / used) / cf.L
    return np.array([s * beta * V[i] for i in range(cf.dY) for s in signs])


# ------------------------------------------------------------------ tanh at finite width

def tanh_per_variable(N: int, P: int, lam1: float, lam2: float):
    """min over beta of lam1 N beta^2 P + lam2 P/(lam2 + N P tanh(beta)^2) -> (energy, beta)."""
    if N == 0:
        return float(P), 0.0
    f = lambda t: lam1 * N * t * t * P + lam2 * P / (lam2 + N * P * math.tanh(t) ** 2)
    r = minimize_scalar(f, bounds=(0.0, 20.0), method="bounded", options={"xatol": 1e-13})
    # the silent point beta = 0 competes (no interior minimum when lam1 lam2 is large)
    return (r.fun, float(r.x)) if r.fun < f(0.0) else (f(0.0), 0.0)


def balanced(M: int, dY: int) -> list[int]:
    return [M // dY + (1 if i < M % dY else 0) for i in range(dY)]


def tanh_width_energy(M: int, dY: int, lam1: float, lam2: float, allocation=None) -> float:
    """Energy of the per-variable tanh ansatz at width M (balanced allocation by default)."""
    alloc = balanced(M, dY) if allocation is None else list(allocation)
    return sum(tanh_per_variable(n, 2 ** dY, lam1, lam2)[0] for n in alloc)


def mp_tanh_per_variable(N: int, P: int, lam1, lam2, beta0: float):
    """60-digit minimiser of the per-variable tanh energy (findroot on d/dbeta from beta0)."""
    f = lambda t: lam1 * N * t * t * P + lam2 * P / (lam2 + N * P * mp.tanh(t) ** 2)
    t = mp.findroot(lambda t: mp.diff(f, t), mp.mpf(beta0))
    return f(t), t


# ------------------------------------------------------------------ energies from the definition

def hypercube_mp(dY: int):
    """(Q, K_Y) as mpmath matrices: Q = (I + J)^{-1} (whitened, bias), K_Y = Y^T Y."""
    V = sign_vectors(dY)
    P = V.shape[1]
    KY = mp.matrix([[int(x) for x in row] for row in (V.T @ V)])
    Q = mp.inverse(mp.eye(P) + mp.ones(P, P))
    return Q, KY


def mp_energy(atoms, weights, phi, lam1, lam2, dY: int, QKY=None):
    """E[rho] for rho = sum_k weights_k delta_{atoms_k}, scalar mpmath activation ``phi``,
    computed from the definition (cost with Q = (I+J)^{-1}, fit with an explicit inverse)."""
    Q, KY = hypercube_mp(dY) if QKY is None else QKY
    P = Q.rows
    K = mp.matrix(P, P)
    cost = mp.mpf(0)
    for h, w in zip(atoms, weights):
        h = [mp.mpf(x) for x in h]
        f = [phi(x) for x in h]
        cost += w * mp.fsum(h[i] * Q[i, j] * h[j] for i in range(P) for j in range(P))
        for i in range(P):
            for j in range(P):
                K[i, j] += w * f[i] * f[j]
    A = mp.inverse(lam2 * mp.eye(P) + K) * KY
    return lam1 * cost + lam2 * mp.fsum(A[i, i] for i in range(P))


def ps_from_kernel(K: np.ndarray, dY: int) -> list[float]:
    """PS per variable of any code with Gram matrix K over the 2^dY conditions (n = 1): PS
    depends on the code only through K, so factor K = R^T R and score R."""
    w, U = np.linalg.eigh((K + K.T) / 2)
    R = np.sqrt(np.clip(w, 0, None))[:, None] * U.T
    return parallelism_score(R, sign_vectors(dY), per_variable=True)


# ------------------------------------------------------------------ exact certificate (linear phi)

def rational_lam1_linear(dY, lam2, b, L2=Fraction(1)):
    """lam1 with b* = b exactly: sqrt(lam2 L^2/(lam1 P)) = b + lam2/P."""
    P = 2 ** dY
    return lam2 * L2 / (P * (b + lam2 / P) ** 2)


def linear_dual_exact(dY, lam1, lam2, b):
    """G = lam1 Q - lam2 R K_Y R at K = b K_Y (R = (lam2 + K)^{-1}): V(u) = u^T G u (linear phi)."""
    KY, Q = hypercube_matrices(dY, bias=True)
    P = KY.nrows()
    eye = flint.fmpq_mat(P, P, [int(i == j) for i in range(P) for j in range(P)])
    R = (eye * fmpq(lam2) + KY * fmpq(b)).inv()
    return Q * fmpq(lam1) - R * KY * R * fmpq(lam2), KY * fmpq(b)


def psd_exact(G: flint.fmpq_mat) -> bool:
    """Symmetric G is PSD iff the coefficients of det(tI - G) alternate in sign (Descartes:
    all roots real, none negative)."""
    coeffs = G.charpoly().coeffs()              # low to high degree
    n = G.nrows()
    return all((-1) ** (n - k) * c >= 0 for k, c in enumerate(coeffs))
