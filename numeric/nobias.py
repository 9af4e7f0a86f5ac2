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


import numpy as np

from numeric.tasks import hypercube_targets
from numeric.scale_closed_form import ScaleFamily
from symbolic import nobias as sym


closed_form = ScaleFamily("A.relu.nobias", (sym.P, sym.lam1, sym.lam2, sym.dY), sym.b_star,
                          sym.energy_star, sym.activity_threshold)
"""closed_form(dY, n, lam1, lam2, *, module="math") -> ScaleClosedForm"""


def relu_linear_neurons(dY: int, n: int, ws) -> np.ndarray:
    """Patterns ReLU(w.y) (rows) for the given w's: the zero set of S without the bias."""
    Y = hypercube_targets(dY, n)
    return np.array([np.maximum(0.0, np.asarray(w, dtype=float) @ Y) for w in ws])
