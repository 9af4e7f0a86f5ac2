"""Closed form without the bias row (fast path of ``A.relu.nobias``).

Evaluates the expressions of :mod:`symbolic.nobias` (lambdified), for the ReLU hypercube task with
n >= 1 samples per class, whitened inputs X^T X = I_P and *no* bias (K_X = I, Q = I):

    b* = sqrt(lam2/(2 lam1 P)) - lam2/P,   K* = b*(dY J + K_Y),
    E* = dY (2 sqrt(2 lam1 lam2 P) - 2 lam1 lam2),

silent (b = 0, E = dY P) iff lam1 lam2 >= P/2. K* is *one* optimal kernel: every measure on the
neurons ReLU(w.y) whose kernel has eigenvalue b* P on span{v_i} and the right cost reaches E* as
well (``A.relu.nobias.not-unique``), so "the" optimal kernel is not unique without the bias.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

from numeric.tasks import hypercube_targets
from numeric.validation import integer_at_least, positive
from symbolic import nobias as sym


@lru_cache(maxsize=None)
def _compiled(module: str):
    args = (sym.P, sym.lam1, sym.lam2, sym.dY)
    return (sp.lambdify(args, sym.b_star(), module),
            sp.lambdify(args, sym.energy_star(), module),
            sp.lambdify(args, sym.activity_threshold(), module))


@dataclass(frozen=True)
class ClosedForm:
    dY: int
    n: int
    P: int
    lam1: float
    lam2: float
    b: float
    energy: float
    active: bool
    claim: str = "A.relu.nobias"

    def kernel(self) -> np.ndarray:
        Y = hypercube_targets(self.dY, self.n)
        return self.b * (self.dY * np.ones((self.P, self.P)) + Y.T @ Y)


def closed_form(dY: int, n: int, lam1, lam2, *, module: str = "math") -> ClosedForm:
    integer_at_least("dY", dY, 1)
    integer_at_least("n", n, 1)
    if module == "math":
        lam1, lam2 = positive("lam1", lam1), positive("lam2", lam2)
    P = n * 2 ** dY
    bf, ef, tf = _compiled(module)
    if lam1 * lam2 < tf(P, lam1, lam2, dY):
        return ClosedForm(dY, n, P, lam1, lam2, bf(P, lam1, lam2, dY), ef(P, lam1, lam2, dY), True)
    return ClosedForm(dY, n, P, lam1, lam2, 0 * lam1, dY * P * (lam1 / lam1), False)


def relu_linear_neurons(dY: int, n: int, ws) -> np.ndarray:
    """Patterns ReLU(w.y) (rows) for the given w's: the zero set of S without the bias."""
    Y = hypercube_targets(dY, n)
    return np.array([np.maximum(0.0, np.asarray(w, dtype=float) @ Y) for w in ws])
