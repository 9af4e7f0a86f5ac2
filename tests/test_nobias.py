"""Tests for the network without the bias row (numeric.nobias, symbolic.nobias, provider)."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from numeric.closed_forms import closed_form_for
from numeric.energy import dual_matrix, meanfield_energy, potential
from numeric.nobias import closed_form, relu_linear_neurons
from numeric.samples import optimal_neurons
from numeric.tasks import hypercube


@pytest.mark.parametrize("dY,n", [(1, 1), (2, 1), (3, 1), (2, 2)])
def test_closed_form_matches_direct_minimisation(dY, n):
    lam1, lam2 = 0.07, 0.2
    task = hypercube(dY, n, bias=False)
    cf = closed_form(dY, n, lam1, lam2)
    f = lambda b: meanfield_energy(optimal_neurons(dY, n, b), task.X_tilde(), task.Y, lam1, lam2)
    res = minimize_scalar(f, bounds=(1e-6, 5), method="bounded", options={"xatol": 1e-12})
    assert abs(res.x - cf.b) < 1e-6
    assert abs(res.fun - cf.energy) < 1e-12 * cf.energy


def test_bias_matters_for_the_scale():
    from numeric.samples import closed_form as with_bias
    a, b = closed_form(2, 1, 0.05, 0.05), with_bias(2, 1, 0.05, 0.05)
    assert a.b < b.b and a.energy > b.energy        # the bias discounts the constant direction


def test_zero_set_contains_relu_of_any_linear_map():
    """V(ReLU(w.y)) = 0 at K* for random real w, and V >= 0 on random u (float64)."""
    dY, lam1, lam2 = 3, 0.05, 0.1
    cf = closed_form(dY, 1, lam1, lam2)
    task = hypercube(dY, 1, bias=False)
    KY, Q = task.Y.T @ task.Y, np.eye(8)
    rng = np.random.default_rng(0)
    for w in rng.standard_normal((20, dY)):
        p = relu_linear_neurons(dY, 1, [w])[0]
        assert abs(potential(p, cf.kernel(), Q, KY, lam1, lam2)) < 1e-12 * (p @ p)
    vals = [potential(u, cf.kernel(), Q, KY, lam1, lam2) for u in rng.standard_normal((500, 8))]
    assert min(vals) > -1e-12


def test_one_hot_is_optimal_for_dY_2():
    lam1, lam2 = 0.05, 0.1
    cf = closed_form(2, 1, lam1, lam2)
    task = hypercube(2, 1, bias=False)
    mu = cf.b * 4
    H = np.sqrt(mu) * np.eye(4)                          # four one-hot neurons, K = mu I
    assert abs(meanfield_energy(H, task.X_tilde(), task.Y, lam1, lam2) - cf.energy) < 1e-13
    S = dual_matrix(mu * np.eye(4), np.eye(4), task.Y.T @ task.Y, lam1, lam2)
    assert np.min(np.linalg.eigvalsh(S)) < -1e-3          # S is not PSD: only copositivity holds
    assert all(np.maximum(x, 0) @ S @ np.maximum(x, 0) >= -1e-13
               for x in itertools.product([0, 1, 2], repeat=4))


def test_provider():
    inst = {"task": "hypercube", "dY": 3, "n": 1, "P": 8, "lam1": 0.1, "lam2": 0.1,
            "activation": "relu", "bias": False, "depth": 1, "inputs": "whitened"}
    ans, _ = closed_form_for(inst)
    assert ans["claim"] == "A.relu.nobias" and ans["unique"] is False
    assert ans["kernel"]["c"] == 3


def test_symbolic_derivations_check():
    from symbolic.nobias import derivation, nonunique_derivation
    assert all(r.ok for r in derivation().check())
    assert all(r.ok for r in nonunique_derivation().check())
