import numpy as np
import pytest

from numeric.energy import (dual_matrix, kernel, meanfield_energy, min_norm_weights,
                            network_loss, network_loss_and_grad, optimal_readout, potential)
from numeric.tasks import augment, hypercube, input_kernel_pinv, whitened_inputs


def test_energy_equals_loss_at_optimal_weights_without_bias_rank_deficient():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 7))
    X = np.vstack([X, X[0] + X[1]])            # rank-deficient inputs
    Y = rng.standard_normal((2, 7))
    Xt = augment(X, False)
    H = rng.standard_normal((5, 4)) @ Xt
    W = min_norm_weights(H, Xt)
    W2 = optimal_readout(np.maximum(W @ Xt, 0), Y, 0.4)
    assert network_loss(W, W2, Xt, Y, 0.3, 0.4) == pytest.approx(
        meanfield_energy(H, Xt, Y, 0.3, 0.4), rel=1e-12)


def test_unreachable_patterns_are_rejected():
    rng = np.random.default_rng(1)
    Xt = augment(rng.standard_normal((2, 6)), True)      # rank 3 < P = 6
    with pytest.raises(ValueError, match="row space"):
        meanfield_energy(rng.standard_normal((2, 6)), Xt, np.ones((1, 6)), 1.0, 1.0)


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(2)
    task = hypercube(2)
    Xt = task.X_tilde()
    shapes = ((3, Xt.shape[0]), (2, 3))
    theta = rng.standard_normal(3 * Xt.shape[0] + 6)
    f, g = network_loss_and_grad(theta, shapes, Xt, task.Y, 0.2, 0.3, "tanh")
    e = np.zeros_like(theta)
    for i in range(0, theta.size, 3):
        e[:] = 0
        e[i] = 1e-6
        fd = (network_loss_and_grad(theta + e, shapes, Xt, task.Y, 0.2, 0.3, "tanh")[0]
              - network_loss_and_grad(theta - e, shapes, Xt, task.Y, 0.2, 0.3, "tanh")[0]) / 2e-6
        assert fd == pytest.approx(g[i], rel=1e-5, abs=1e-7)


def test_relu_potential_is_quadratic_form_of_dual_matrix_on_the_orthant():
    rng = np.random.default_rng(3)
    task = hypercube(2)
    Q = input_kernel_pinv(task.X_tilde())
    H = np.abs(rng.standard_normal((4, 4)))
    K, KY = kernel(H), task.Y.T @ task.Y
    S = dual_matrix(K, Q, KY, 0.2, 0.3)
    p = np.abs(rng.standard_normal(4))
    assert potential(p, K, Q, KY, 0.2, 0.3) == pytest.approx(p @ S @ p, rel=1e-12)


def test_whitened_inputs():
    X = whitened_inputs(8, dX=11, seed=4)
    assert np.allclose(X.T @ X, np.eye(8))
    with pytest.raises(ValueError, match="dX"):
        whitened_inputs(8, dX=5)
