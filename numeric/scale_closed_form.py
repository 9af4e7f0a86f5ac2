"""Shared fast path for closed forms of the *kernel-scale* type: K* = b*(dY J + K_Y).

Several claims (``A.relu.whitened``, ``A.relu.whitened.n``, ``A.relu.nobias``) end in the same
shape of answer: a scale b*(P, lam1, lam2, dY), an energy E*, and an activity threshold T such
that b* > 0 iff lam1 lam2 < T; beyond it the optimum is the silent network (b = 0, E = dY P).
:class:`ScaleFamily` lambdifies a symbolic module's three expressions once per evaluation
module (``math`` for float64, ``mpmath`` for the current mpmath precision) and returns
:class:`ScaleClosedForm` records. The expressions are never retyped here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy as sp

from numeric.tasks import hypercube_targets
from numeric.validation import integer_at_least, positive


@dataclass(frozen=True)
class ScaleClosedForm:
    dY: int
    n: int
    P: int
    lam1: float
    lam2: float
    b: float            # kernel scale b* (0 when silent)
    energy: float
    active: bool        # b* > 0
    claim: str

    def kernel(self) -> np.ndarray:
        """Dense P x P kernel b*(dY J + K_Y), class-major column order (small P only)."""
        Y = hypercube_targets(self.dY, self.n)
        return self.b * (self.dY * np.ones((self.P, self.P)) + Y.T @ Y)


class ScaleFamily:
    """``family(dY, n, lam1, lam2, module=...)`` evaluates one claim's b*, E*, threshold."""

    def __init__(self, claim: str, symbols: tuple, b_star: Callable, energy_star: Callable,
                 threshold: Callable):
        self.claim, self._symbols = claim, symbols        # (P, lam1, lam2, dY)
        self._exprs = (b_star, energy_star, threshold)
        self._compiled: dict[str, tuple] = {}

    def compiled(self, module: str) -> tuple:
        if module not in self._compiled:
            self._compiled[module] = tuple(sp.lambdify(self._symbols, f(), module)
                                           for f in self._exprs)
        return self._compiled[module]

    def __call__(self, dY: int, n: int, lam1, lam2, *, module: str = "math") -> ScaleClosedForm:
        integer_at_least("dY", dY, 1)
        integer_at_least("n", n, 1)
        if module == "math":
            lam1, lam2 = positive("lam1", lam1), positive("lam2", lam2)
        P = n * 2 ** dY
        bf, ef, tf = self.compiled(module)
        if lam1 * lam2 < tf(P, lam1, lam2, dY):
            return ScaleClosedForm(dY, n, P, lam1, lam2, bf(P, lam1, lam2, dY),
                                   ef(P, lam1, lam2, dY), True, self.claim)
        return ScaleClosedForm(dY, n, P, lam1, lam2, 0 * lam1, dY * P * (lam1 / lam1), False,
                               self.claim)
