"""Tests for neuron tuning and minimal width (numeric.width, symbolic.width)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import minimize

from numeric.energy import meanfield_energy
from numeric.samples import closed_form
from numeric.tasks import hypercube
from numeric.width import forced_masses, min_width, width_one_dy1, zero_set


def test_zero_set_of_simple_matrices():
    assert zero_set([[1, 0], [0, 1]]) == ([], [])
    # [[1, -1], [-1, 1]] is PSD with kernel (1, 1): one zero with full support
    zeros, und = zero_set([[1, -1], [-1, 1]])
    assert zeros == [((0, 1), [Fraction(1), Fraction(1)])] and und == []
    # a zero diagonal entry is a zero with support {0}
    zeros, _ = zero_set([[0, 1], [1, 1]])
    assert ((0,), [Fraction(1)]) in zeros
    with pytest.raises(ValueError, match="max_n"):
        zero_set([[1] * 13 for _ in range(13)])


def test_forced_masses_and_min_width():
    assert forced_masses(2, 1, Fraction(1, 3)) == [Fraction(1, 6)] * 4
    assert min_width(3, 1, 0.1, 0.1) == 6
    assert min_width(3, 1, 100.0, 100.0) == 0          # silent regime


def test_width_one_optimum_dy1_by_direct_minimisation():
    """Best single neuron for dY = 1 from the mean-field energy, many starts (independent)."""
    lam1, lam2 = 0.2, 0.3
    task = hypercube(1, 1)
    Xt = task.X_tilde()
    f = lambda h: meanfield_energy(h.reshape(1, 2), Xt, task.Y, lam1, lam2, check_reachable=False)
    rng = np.random.default_rng(1)
    best = min(minimize(f, x0, method="Nelder-Mead",
                        options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 4000}).fun
               for x0 in rng.standard_normal((30, 2)))
    _, e1 = width_one_dy1(lam1, lam2)
    assert abs(best - e1) < 1e-8
    assert e1 - closed_form(1, 1, lam1, lam2).energy == pytest.approx(
        (1 - np.sqrt(2 * lam1 * lam2 / 3)) ** 2, rel=1e-12)


def test_symbolic_derivations_check():
    from symbolic.width import tuning_derivation, width_derivation
    assert all(r.ok for r in tuning_derivation().check())
    assert all(r.ok for r in width_derivation().check())
