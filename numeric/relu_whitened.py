"""Closed form of the ReLU hypercube task with whitened inputs (fast path of ``A.relu.whitened``).

Evaluates the expressions derived in :mod:`symbolic.relu_whitened` (lambdified, never retyped):

    b*  = sqrt((lam2/lam1)(P+1)/(P(P+2))) - lam2/P,   K* = b*(dY J + K_Y),
    E*  = dY (2 sqrt(lam1 lam2 P(P+2)/(P+1)) - lam1 lam2 (P+2)/(P+1)),

valid with the bias row, whitened inputs (K_X = I + J) and P = 2^dY (n = 1). When
lam1 lam2 >= P(P+1)/(P+2) the stationary point is not positive and the optimum over the ansatz
is the silent network b = 0 with E = dY P (derived here; the seed does not state this regime).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

from symbolic import relu_whitened as sym
from numeric.tasks import sign_vectors
from numeric.validation import integer_at_least, positive


@lru_cache(maxsize=None)
def _compiled(module: str):
    args = (sym.P, sym.lam1, sym.lam2, sym.dY)
    return (sp.lambdify(args, sym.b_star_seed(), module),
            sp.lambdify(args, sym.energy_star(), module),
            sp.lambdify(args, sym.activity_threshold(), module),
            sp.lambdify(args + (sym.b,), sym.energy_along_ansatz(), module))


@dataclass(frozen=True)
class ClosedForm:
    dY: int
    P: int
    lam1: float
    lam2: float
    b: float            # kernel scale b* (0 when silent)
    energy: float
    active: bool        # b* > 0
    claim: str = "A.relu.whitened"

    def kernel(self) -> np.ndarray:
        """Dense P x P kernel b*(dY J + K_Y) (only sensible for small P)."""
        Y = sign_vectors(self.dY)
        return self.b * (self.dY * np.ones((self.P, self.P)) + Y.T @ Y)


def closed_form(dY: int, lam1: float, lam2: float, *, module: str = "math") -> ClosedForm:
    """b*, E* for P = 2^dY. ``module='mpmath'`` evaluates at the current mpmath precision."""
    integer_at_least("dY", dY, 1)
    lam1, lam2 = (positive("lam1", lam1), positive("lam2", lam2)) if module == "math" else (lam1, lam2)
    P = 2 ** dY
    bfun, efun, tfun, _ = _compiled(module)
    active = lam1 * lam2 < tfun(P, lam1, lam2, dY)
    if active:
        return ClosedForm(dY, P, lam1, lam2, bfun(P, lam1, lam2, dY), efun(P, lam1, lam2, dY), True)
    return ClosedForm(dY, P, lam1, lam2, 0 * lam1, dY * P * (lam1 / lam1), False)


def energy_along_ansatz(dY: int, lam1, lam2, b, *, module: str = "math"):
    """E(b) of the symmetric ansatz (derived formula; the witnesses never compare against it)."""
    return _compiled(module)[3](2 ** dY, lam1, lam2, dY, b)


def optimal_neurons(dY: int, b: float) -> np.ndarray:
    """2 dY patterns sqrt(b/2)(1 +- v_i) (rows) realising K = b(dY J + K_Y) under ReLU."""
    V = sign_vectors(dY)
    rows = [np.sqrt(b / 2) * (1 + s * V[i]) for i in range(dY) for s in (1.0, -1.0)]
    return np.array(rows)
