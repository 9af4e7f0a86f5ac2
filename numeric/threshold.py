"""Closed forms for threshold-like activations phi = phi_+ 1{z >= 0} on the whitened hypercube task
with bias, n = 1 (fast path of ``A.threshold``; mathematics in :mod:`symbolic.threshold`), and the
helpers of the ``A.threshold.power`` counterexample (phi_+ = z^p).

Covered: phi L-Lipschitz with phi_+(z) = L z on (0, z_lin] (relu: z_lin = inf; clipped-relu:
L = 1, z_lin = 1). Then K* = b_L (dY J + K_Y) with b_L the ReLU b* at lam1/L^2, attained by
N >= 2 b_L/(L z_lin)^2 neurons alpha (1 +- v_i) per signed group, 2 alpha <= z_lin. Not covered
(``covers`` says why): relu2 (not Lipschitz; see A.threshold.power), non-threshold activations.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import mpmath as mp
import numpy as np
import sympy as sp

from numeric import activations
from numeric.tasks import sign_vectors
from numeric.validation import InputError, integer_at_least, positive
from symbolic import relu_whitened as relu_sym
from symbolic import threshold as sym

CLAIM = "A.threshold"


@lru_cache(maxsize=None)
def _compiled(module: str):
    args = (sym.P, sym.lam1, sym.lam2, sym.L, sym.dY)
    thr = relu_sym.activity_threshold().subs(relu_sym.P, sym.P)     # lam1 lam2 / L^2 < thr
    return (sp.lambdify(args, sym.b_star(), module), sp.lambdify(args, sym.energy_star(), module),
            sp.lambdify(args, sym.L ** 2 * thr, module))


@dataclass(frozen=True)
class ThresholdClosedForm:
    activation: str
    dY: int
    P: int
    lam1: float
    lam2: float
    L: float
    z_lin: float
    b: float                   # K* = b (dY J + K_Y)
    energy: float
    active: bool
    per_group: int             # neurons per signed group (a sufficient number)
    claim: str = CLAIM

    @property
    def width(self) -> int:
        return 2 * self.dY * self.per_group

    def kernel(self) -> np.ndarray:
        Y = sign_vectors(self.dY)
        return self.b * (self.dY * np.ones((self.P, self.P)) + Y.T @ Y)


def covers(activation: str) -> str:
    """'' when A.threshold covers ``activation``, else the failed hypothesis."""
    pr = activations.properties(activation)
    if not pr.threshold:
        return f"phi = {activation} is not threshold-like (phi(z) != 0 for some z <= 0)"
    if pr.lipschitz is None:
        return (f"phi = {activation} is not Lipschitz (z^p with p > 1): the tuned form is beaten "
                f"(A.threshold.power)")
    if pr.linear_up_to is None:
        return f"phi = {activation}: the gain phi_+(z)/z never reaches its Lipschitz constant"
    return ""


def group_size(b: float, L: float, z_lin: float) -> int:
    if b <= 0:
        return 0
    if math.isinf(z_lin):
        return 1
    return max(1, math.ceil(2 * b / (L * z_lin) ** 2 - 1e-12))


def closed_form_gain(dY: int, lam1, lam2, L, *, module: str = "math"):
    """(b_L, E*, active) for gain L (any threshold-like phi whose gain L is attained)."""
    P = 2 ** dY
    bfun, efun, tfun = _compiled(module)
    if lam1 * lam2 < tfun(P, lam1, lam2, L, dY):
        return bfun(P, lam1, lam2, L, dY), efun(P, lam1, lam2, L, dY), True
    return 0 * lam1, dY * P * (lam1 / lam1), False


def closed_form(activation: str, dY: int, lam1, lam2, *, module: str = "math") -> ThresholdClosedForm:
    integer_at_least("dY", dY, 1)
    if module == "math":
        lam1, lam2 = positive("lam1", lam1), positive("lam2", lam2)
    why = covers(activation)
    if why:
        raise InputError(f"`activation` must be threshold-like, Lipschitz, with attained gain; {why}")
    pr = activations.properties(activation)
    L = pr.lipschitz if module == "math" else mp.mpf(pr.lipschitz)
    b, E, active = closed_form_gain(dY, lam1, lam2, L, module=module)
    n = group_size(float(b), pr.lipschitz, pr.linear_up_to) if active else 0
    return ThresholdClosedForm(activation, dY, 2 ** dY, lam1, lam2, pr.lipschitz, pr.linear_up_to,
                               b, E, active, n)


def optimal_neurons(cf: ThresholdClosedForm) -> np.ndarray:
    """per_group neurons alpha (1 + s v_i) per signed group, N L^2 alpha^2 = b/2."""
    if not cf.active:
        raise InputError("`lam1 lam2` is above the activity threshold: the optimum is silent")
    V = sign_vectors(cf.dY)
    alpha = math.sqrt(cf.b / (2 * cf.per_group)) / cf.L
    return np.array([alpha * (1 + s * V[i]) for i in range(cf.dY) for s in (1.0, -1.0)
                     for _ in range(cf.per_group)])


# ------------------------------------------------------------------ phi_+ = z^p (A.threshold.power)

def mp_power(p):
    """mpmath phi(z) = z^p for z > 0, 0 otherwise."""
    p = mp.mpf(p)
    return lambda z: z ** p if z > 0 else mp.mpf(0)


def tuned_bound_per_variable(W, p, P: int, lam1, lam2):
    """g(W) = lam1 c (4W)^{1/p}/4 + lam2 P/(lam2 + P W): a lower bound (p >= 1) on the energy one
    latent variable can reach with tuned neurons alpha (1 +- v_i) of total kernel weight W."""
    c = mp.mpf(P) * (P + 2) / (P + 1)
    return lam1 * c * (4 * W) ** (1 / mp.mpf(p)) / 4 + lam2 * P / (lam2 + P * W)


def tuned_lower_bound(dY: int, p, lam1, lam2, grid: int = 4000):
    """dY min_{W >= 0} g(W) at the current mpmath precision: a log grid on (0, W_max] (beyond
    W_max the cost alone exceeds the silent value P), then findroot on g' from every local
    minimum of the grid.
    Returns (bound, W*). Raises RuntimeError when the refinement leaves the grid cell."""
    P = 2 ** dY
    c = float(P * (P + 2) / (P + 1))
    g = lambda W: tuned_bound_per_variable(W, p, P, lam1, lam2)
    W_max = (4 * P / (float(lam1) * c)) ** float(p) / 4
    Ws = np.geomspace(1e-12, W_max, grid)
    vals = np.array([float(g(mp.mpf(w))) for w in Ws])
    best = mp.mpf(P)                               # W = 0: the silent value
    W_best = mp.mpf(0)
    interior = [k for k in range(1, grid - 1) if vals[k] <= vals[k - 1] and vals[k] <= vals[k + 1]]
    for k in interior:                             # every local minimum of the grid
        lo, hi = Ws[k - 1], Ws[k + 1]
        W = mp.findroot(lambda w: mp.diff(g, w), mp.mpf(Ws[k]))
        if not (lo <= W <= hi):
            raise RuntimeError(f"refinement left the grid cell [{lo:g}, {hi:g}]: W = {float(W):g}")
        if g(W) < best:
            best, W_best = g(W), W
    return dY * best, W_best


@lru_cache(maxsize=None)
def relu2_best_network(dY: int, lam: float = 0.05, seeds: tuple = (0, 1, 2, 3)):
    """Best of a few L-BFGS runs of the relu2 network at width 2 dY, lam1 = lam2 = lam (float64
    weights; cached). The counterexample of A.threshold.power re-evaluates its energy exactly."""
    from numeric.tasks import hypercube
    from numeric.training import train_network
    task = hypercube(dY)
    runs = [train_network(task.X_tilde(), task.Y, lam, lam, 2 * dY, activation="relu2", seed=s)
            for s in seeds]
    return min(runs, key=lambda r: r.loss)


def kernel_form_distance(K: np.ndarray, dY: int) -> float:
    """Relative Frobenius distance of K from span{J, K_Y} (0 iff K = a J + b K_Y)."""
    Y = sign_vectors(dY)
    P = Y.shape[1]
    B = np.stack([np.ones((P, P)).ravel(), (Y.T @ Y).ravel()], 1)
    coef, *_ = np.linalg.lstsq(B, K.ravel(), rcond=None)
    return float(np.linalg.norm(K.ravel() - B @ coef) / np.linalg.norm(K))
