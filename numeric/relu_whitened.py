"""Closed form of the ReLU hypercube task with whitened inputs (fast path of ``A.relu.whitened``).

Evaluates the expressions derived in :mod:`symbolic.relu_whitened` (lambdified, never retyped):

    b*  = sqrt((lam2/lam1)(P+1)/(P(P+2))) - lam2/P,   K* = b*(dY J + K_Y),
    E*  = dY (2 sqrt(lam1 lam2 P(P+2)/(P+1)) - lam1 lam2 (P+2)/(P+1)),

valid with the bias row, whitened inputs (K_X = I + J) and P = 2^dY (n = 1). When
lam1 lam2 >= P(P+1)/(P+2) the stationary point is not positive and the optimum over the ansatz
is the silent network b = 0 with E = dY P (derived here; the seed does not state this regime).
"""
from __future__ import annotations

import numpy as np

from symbolic import relu_whitened as sym
from numeric.scale_closed_form import ScaleClosedForm, ScaleFamily
from numeric.tasks import sign_vectors


_FAMILY = ScaleFamily("A.relu.whitened", (sym.P, sym.lam1, sym.lam2, sym.dY), sym.b_star_seed,
                      sym.energy_star, sym.activity_threshold)


def closed_form(dY: int, lam1, lam2, *, module: str = "math") -> ScaleClosedForm:
    """b*, E* for P = 2^dY. ``module='mpmath'`` evaluates at the current mpmath precision."""
    return _FAMILY(dY, 1, lam1, lam2, module=module)


def optimal_neurons(dY: int, b: float) -> np.ndarray:
    """2 dY patterns sqrt(b/2)(1 +- v_i) (rows) realising K = b(dY J + K_Y) under ReLU."""
    V = sign_vectors(dY)
    rows = [np.sqrt(b / 2) * (1 + s * V[i]) for i in range(dY) for s in (1.0, -1.0)]
    return np.array(rows)
