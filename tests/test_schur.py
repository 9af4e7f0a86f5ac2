"""Allocations and majorisation helpers (numeric/schur.py) against the definitions."""
import math

import numpy as np
import pytest

from numeric.energy import fit_term, kernel, meanfield_energy
from numeric.schur import (block_fit, compositions, linear_rows, majorises, relu_rows, robin_hood)
from numeric.tasks import hypercube, sign_vectors
from numeric.validation import InputError


@pytest.mark.parametrize("dY", [1, 2, 3])
def test_block_fit_equals_fit_from_definition(dY):
    rng = np.random.default_rng(dY)
    Y = sign_vectors(dY)
    for _ in range(5):
        a = rng.uniform(0, 1, 2 * dY)
        K = kernel(relu_rows(a, dY), "relu")
        assert block_fit(a, dY, 0.3) == pytest.approx(fit_term(K, Y.T @ Y, 0.3), rel=1e-12)


def test_linear_rows_put_kappa_on_each_task_direction():
    dY = 3
    kappa = np.array([0.5, 1.0, 2.0])
    K = kernel(linear_rows(kappa, dY), "linear")
    E = sign_vectors(dY) / math.sqrt(2 ** dY)
    assert np.allclose(np.diag(E @ K @ E.T), kappa)


def test_fit_lower_bound_from_rayleigh_quotients():
    # lam2 tr((lam2+K)^-1 K_Y) >= lam2 P sum_i 1/(lam2 + e_i^T K e_i) for arbitrary PSD K
    rng = np.random.default_rng(3)
    dY, lam2 = 3, 0.2
    Y = sign_vectors(dY)
    P = Y.shape[1]
    E = Y / math.sqrt(P)
    for _ in range(50):
        A = rng.standard_normal((P, P))
        K = A @ A.T
        kap = np.diag(E @ K @ E.T)
        assert fit_term(K, Y.T @ Y, lam2) >= lam2 * P * np.sum(1 / (lam2 + kap)) - 1e-12


def test_equal_sign_split_beats_unbalanced_at_fixed_total():
    task = hypercube(2)
    a_eq = np.full(4, 0.25)
    rng = np.random.default_rng(0)
    E0 = meanfield_energy(relu_rows(a_eq, 2), task.X_tilde(), task.Y, 0.05, 0.05, "relu")
    for _ in range(20):
        a = rng.dirichlet(np.ones(4))
        assert meanfield_energy(relu_rows(a, 2), task.X_tilde(), task.Y, 0.05, 0.05, "relu") > E0


def test_robin_hood_is_a_majorisation_step():
    x = [5.0, 1.0, 0.0, 2.0]
    y = robin_hood(x, 0, 2, 0.5)
    assert sum(y) == sum(x) and majorises(x, y) and not majorises(y, x)
    assert majorises(x, [2.0] * 4)


def test_compositions():
    c = list(compositions(5, 3))
    assert len(c) == math.comb(7, 2) and all(sum(t) == 5 for t in c) and len(set(c)) == len(c)


def test_relu2_splitting_a_neuron_costs_more_for_the_same_kernel():
    # z^2: one neuron alpha(1+v) vs two at alpha 2^(-1/4): same kernel, cost sqrt(2) times larger
    task = hypercube(1)
    h = 0.7 * (1 + sign_vectors(1)[0])
    one = meanfield_energy(h[None, :], task.X_tilde(), task.Y, 0.1, 0.1, "relu2")
    two = meanfield_energy(np.array([h, h]) * 2 ** -0.25, task.X_tilde(), task.Y, 0.1, 0.1, "relu2")
    assert np.allclose(kernel(h[None, :], "relu2"), kernel(np.array([h, h]) * 2 ** -0.25, "relu2"))
    cost = 0.1 * (h @ np.linalg.pinv(task.X_tilde().T @ task.X_tilde()) @ h)
    assert two - one == pytest.approx((math.sqrt(2) - 1) * cost, rel=1e-10)


def test_bad_allocations_are_named():
    with pytest.raises(InputError, match="`a`"):
        relu_rows([1.0, -1.0], 1)
    with pytest.raises(InputError, match="`kappa`"):
        linear_rows([1.0], 2)
