"""Threshold-like activations: closed form (fast path) against the energy from its definition."""
import math

import mpmath as mp
import numpy as np
import pytest

from numeric.energy import meanfield_energy
from numeric.relu_whitened import closed_form as relu_closed_form
from numeric.tasks import hypercube, sign_vectors
from numeric.threshold import (closed_form, covers, group_size, kernel_form_distance, mp_power,
                               optimal_neurons, tuned_lower_bound)
from numeric.validation import InputError


@pytest.mark.parametrize("dY,lam1,lam2", [(2, 0.02, 0.1), (3, 0.05, 0.05), (2, 0.005, 0.3)])
def test_clipped_relu_closed_form_matches_definition(dY, lam1, lam2):
    cf = closed_form("clipped-relu", dY, lam1, lam2)
    H = optimal_neurons(cf)
    assert H.max() <= 1 + 1e-15                         # stays in the linear range
    task = hypercube(dY)
    E = meanfield_energy(H, task.X_tilde(), task.Y, lam1, lam2, "clipped-relu")
    assert E == pytest.approx(cf.energy, rel=1e-12)
    K = np.minimum(np.maximum(H, 0), 1).T @ np.minimum(np.maximum(H, 0), 1)
    assert np.allclose(K, cf.kernel(), atol=1e-12)


def test_clipped_relu_coefficient_equals_relu():
    for dY in (1, 2, 5):
        a, b = closed_form("clipped-relu", dY, 0.03, 0.2), relu_closed_form(dY, 0.03, 0.2)
        assert a.b == pytest.approx(b.b, rel=1e-14) and a.energy == pytest.approx(b.energy, rel=1e-14)


def test_saturated_neurons_do_worse():
    # one neuron per group at the same kernel would need 2 alpha > 1: clipped, the energy rises
    cf = closed_form("clipped-relu", 2, 0.02, 0.1)
    assert cf.per_group == 2 and cf.width == 8
    V = sign_vectors(2)
    alpha = math.sqrt(cf.b / 2)                         # > 1/2
    H = np.array([alpha * (1 + s * V[i]) for i in range(2) for s in (1, -1)])
    task = hypercube(2)
    assert meanfield_energy(H, task.X_tilde(), task.Y, 0.02, 0.1, "clipped-relu") > cf.energy * 1.01


def test_group_size_by_hand():
    assert group_size(0.9956, 1.0, 1.0) == 2            # 2 b = 1.99
    assert group_size(0.4, 1.0, 1.0) == 1
    assert group_size(1.8, 2.0, 0.5) == 4               # 2 b/(L z)^2 = 3.6
    assert group_size(5.0, 1.0, math.inf) == 1
    assert group_size(0.0, 1.0, 1.0) == 0


def test_silent_regime():
    cf = closed_form("clipped-relu", 2, 3.0, 2.0)
    assert not cf.active and cf.energy == 8
    with pytest.raises(InputError, match="silent"):
        optimal_neurons(cf)


def test_rejections_name_the_hypothesis():
    assert "not Lipschitz" in covers("relu2")
    assert "not threshold-like" in covers("tanh")
    assert covers("relu") == "" and covers("clipped-relu") == ""
    with pytest.raises(InputError, match="`activation`"):
        closed_form("hard-sigmoid", 2, 0.1, 0.1)


def test_tuned_lower_bound_is_below_the_symmetric_tuned_relu2_network():
    dY, lam = 2, 0.05
    with mp.workdps(30):
        bound, W = tuned_lower_bound(dY, 2, mp.mpf(lam), mp.mpf(lam))
    task = hypercube(dY)
    V = sign_vectors(dY)
    best = min(meanfield_energy(np.array([a * (1 + s * V[i]) for i in range(dY) for s in (1, -1)]),
                                task.X_tilde(), task.Y, lam, lam, "relu2")
               for a in np.linspace(0.05, 1.5, 600))
    assert float(bound) < best
    assert float(bound) > 0.3                            # well above the trained relu2 network 0.3267


def test_form_distance():
    dY = 3
    Y = sign_vectors(dY)
    K = 0.3 * np.ones((8, 8)) + 0.7 * Y.T @ Y
    assert kernel_form_distance(K, dY) < 1e-14
    assert kernel_form_distance(K + np.eye(8), dY) > 0.1


def test_mp_power():
    f = mp_power(mp.mpf(1) / 2)
    assert f(mp.mpf(4)) == 2 and f(mp.mpf(-1)) == 0


def test_provider_answers_and_declines():
    from numeric.providers.threshold import threshold_whitened_bias_n1 as prov
    base = {"task": "hypercube", "dY": 2, "n": 1, "P": 4, "lam1": 0.02, "lam2": 0.1, "bias": True,
            "depth": 1, "inputs": "whitened"}
    ans, why = prov({**base, "activation": "clipped-relu"})
    assert ans["claim"] == "A.threshold" and ans["width"] == 8 and why == ""
    assert ans["ps"] == pytest.approx([1.0, 1.0], abs=1e-12)
    ans, why = prov({**base, "activation": "relu2"})
    assert ans is None and "A.threshold.power" in why
    ans, why = prov({**base, "activation": "clipped-relu", "n": 2})
    assert ans is None and "n=2" in why
