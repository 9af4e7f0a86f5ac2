"""Tests for n > 1 samples per class (numeric.samples, symbolic.samples, provider)."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from numeric.closed_forms import closed_form_for
from numeric.copositivity import min_on_simplex_estimate
from numeric.energy import dual_matrix, kernel, meanfield_energy
from numeric.samples import closed_form, optimal_neurons
from numeric.tasks import hypercube
from numeric.validation import InputError


def _ansatz_energy(dY, n, lam1, lam2, b):
    task = hypercube(dY, n)
    return meanfield_energy(optimal_neurons(dY, n, b), task.X_tilde(), task.Y, lam1, lam2)


@pytest.mark.parametrize("dY,n", [(1, 2), (2, 2), (2, 3), (3, 2)])
def test_closed_form_matches_direct_minimisation(dY, n):
    lam1, lam2 = 0.07, 0.2
    cf = closed_form(dY, n, lam1, lam2)
    res = minimize_scalar(lambda b: _ansatz_energy(dY, n, lam1, lam2, b), bounds=(1e-6, 5),
                          method="bounded", options={"xatol": 1e-12})
    assert abs(res.x - cf.b) < 1e-6
    assert abs(res.fun - cf.energy) < 1e-12 * cf.energy + 1e-13
    # the closed-form kernel is the kernel of the closed-form neurons
    assert np.allclose(kernel(optimal_neurons(dY, n, cf.b)), cf.kernel(), atol=1e-12)


def test_n1_agrees_with_the_seed_formula():
    from numeric.relu_whitened import closed_form as seed_cf
    for dY in (1, 2, 3):
        a, s = closed_form(dY, 1, 0.1, 0.3), seed_cf(dY, 0.1, 0.3)
        assert abs(a.b - s.b) < 1e-15 and abs(a.energy - s.energy) < 1e-13


def test_dual_matrix_copositive_float_cross_check():
    dY, n = 2, 3
    cf = closed_form(dY, n, 0.05, 0.1)
    task = hypercube(dY, n)
    Q = np.linalg.inv(task.X_tilde().T @ task.X_tilde())
    S = dual_matrix(cf.kernel(), Q, task.Y.T @ task.Y, 0.05, 0.1)
    val, _ = min_on_simplex_estimate(S, starts=40)
    assert val > -1e-12
    # negative control: half the optimal scale is not a KKT point
    S_lo = dual_matrix(cf.kernel() / 2, Q, task.Y.T @ task.Y, 0.05, 0.1)
    assert min_on_simplex_estimate(S_lo, starts=40)[0] < -1e-4


def test_silent_regime():
    P = 2 * 4
    thr = P * (P + 1) / (P + 2)
    cf = closed_form(2, 2, 1.0, 1.01 * thr)
    assert not cf.active and cf.b == 0 and cf.energy == 2 * P
    assert closed_form(2, 2, 1.0, 0.99 * thr).active


@pytest.mark.parametrize("kwargs,match", [
    (dict(dY=2, n=0, lam1=0.1, lam2=0.1), "`n` must be an integer >= 1; got 0"),
    (dict(dY=0, n=2, lam1=0.1, lam2=0.1), "`dY` must be an integer >= 1; got 0"),
    (dict(dY=2, n=2, lam1=-1, lam2=0.1), "`lam1` must be a finite number > 0; got -1"),
])
def test_bad_input(kwargs, match):
    with pytest.raises(InputError, match=match):
        closed_form(**kwargs)


def _inst(**kw):
    base = {"task": "hypercube", "dY": 2, "n": 2, "P": 8, "lam1": 0.1, "lam2": 0.1,
            "activation": "relu", "bias": True, "depth": 1, "inputs": "whitened"}
    base.update(kw)
    return base


def test_provider_answers_n_gt_1():
    ans, why = closed_form_for(_inst())
    assert ans["claim"] == "A.relu.whitened.n" and why == []
    assert ans["kernel"]["P"] == 8 and np.array(ans["kernel"]["dense"]).shape == (8, 8)
    assert ans["ps"] == pytest.approx([1.0, 1.0])
    assert abs(ans["energy"] - closed_form(2, 2, 0.1, 0.1).energy) < 1e-15


def test_provider_declines_with_reason():
    from numeric.providers.samples import relu_whitened_bias_n
    ans, why = relu_whitened_bias_n(_inst(activation="tanh", bias=False))
    assert ans is None
    assert why == ("A.relu.whitened.n: activation='tanh' (needs 'relu'), bias=False (needs True)")


def test_symbolic_derivation_checks():
    from symbolic.samples import derivation
    results = derivation().check()
    assert all(r.ok for r in results)
