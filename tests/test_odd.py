"""Odd activations: the closed form (fast path) against the energy from its definition."""
import math

import numpy as np
import pytest

from numeric import closed_forms
from numeric.energy import meanfield_energy
from numeric.odd import (balanced, closed_form, covers, optimal_neurons, ps_from_kernel, psd_exact,
                         tanh_width_energy)
from numeric.tasks import hypercube
from numeric.validation import InputError


@pytest.mark.parametrize("act,lam1,lam2", [("linear", 0.1, 0.1), ("hard-tanh", 0.01, 0.2),
                                           ("hard-sigmoid", 0.025, 0.1), ("linear", 0.02, 0.3)])
@pytest.mark.parametrize("dY", [2, 3])
def test_closed_form_matches_definition(act, lam1, lam2, dY):
    cf = closed_form(act, dY, lam1, lam2)
    task = hypercube(dY)
    H = optimal_neurons(cf)
    assert H.shape[0] == cf.width
    E = meanfield_energy(H, task.X_tilde(), task.Y, lam1, lam2, act)
    assert E == pytest.approx(cf.energy, rel=1e-12)


def test_perturbing_the_optimum_raises_the_energy():
    cf = closed_form("linear", 2, 0.1, 0.1)
    task = hypercube(2)
    H = optimal_neurons(cf)
    rng = np.random.default_rng(0)
    E0 = meanfield_energy(H, task.X_tilde(), task.Y, 0.1, 0.1, "linear")
    for _ in range(20):
        Hp = H + 1e-3 * rng.standard_normal(H.shape)
        assert meanfield_energy(Hp, task.X_tilde(), task.Y, 0.1, 0.1, "linear") > E0


def test_silent_regime():
    # lam1 lam2 >= L^2 P: b* = 0 and E = dY P
    cf = closed_form("linear", 2, 3.0, 2.0)
    assert not cf.active and cf.b == 0 and cf.energy == 2 * 4
    cf = closed_form("hard-sigmoid", 2, 0.5, 2.0)          # 1.0 >= P/4 = 1
    assert not cf.active


def test_formula_by_hand():
    # dY = 2, P = 4, lam1 = lam2 = 0.05: b* = sqrt(0.05/(0.05*4)) - 0.05/4 = 0.5 - 0.0125
    cf = closed_form("linear", 2, 0.05, 0.05)
    assert cf.b == pytest.approx(0.4875, rel=1e-14)
    assert cf.energy == pytest.approx(2 * (2 * math.sqrt(0.05 * 0.05 * 4) - 0.0025), rel=1e-14)


def test_tanh_width_energy_decreases_to_the_bound():
    cf = closed_form("tanh", 2, 0.05, 0.05)
    assert not cf.attained and cf.width is None
    Es = [tanh_width_energy(M, 2, 0.05, 0.05) for M in (2, 4, 8, 64, 512)]
    assert all(a > b for a, b in zip(Es, Es[1:])) and Es[-1] > cf.energy
    assert Es[-1] - cf.energy < 1e-3
    assert balanced(7, 3) == [3, 2, 2]


def test_ps_is_one_for_the_optimal_kernel_and_not_for_a_generic_one():
    cf = closed_form("linear", 3, 0.1, 0.1)
    assert np.allclose(ps_from_kernel(cf.kernel(0.3), 3), 1, atol=1e-12)
    rng = np.random.default_rng(1)
    A = rng.standard_normal((8, 8))
    assert min(ps_from_kernel(A @ A.T, 3)) < 0.9


def test_rejections_name_the_property():
    assert "not odd" in covers("relu2")
    with pytest.raises(InputError, match="`activation`.*relu"):
        closed_form("relu", 2, 0.1, 0.1)
    with pytest.raises(InputError, match="`lam1`"):
        closed_form("linear", 2, -1, 0.1)


def test_provider_answers_and_declines():
    base = {"task": "hypercube", "dY": 2, "n": 1, "P": 4, "lam1": 0.05, "lam2": 0.05, "bias": True,
            "depth": 1, "inputs": "whitened"}
    ans, why = closed_forms.closed_form_for({**base, "activation": "tanh"})
    assert ans["claim"] == "A.odd.width" and not ans["attained"] and why == []
    ans, _ = closed_forms.closed_form_for({**base, "activation": "linear"})
    assert ans["claim"] == "A.odd" and ans["energy"] == pytest.approx(0.395)
    from numeric.providers.odd import odd_whitened_bias_n1
    ans, why = odd_whitened_bias_n1({**base, "activation": "tanh", "bias": False})
    assert ans is None and why.startswith("A.odd") and "bias=False" in why
    ans, why = odd_whitened_bias_n1({**base, "activation": "relu2"})
    assert ans is None and "not odd" in why


def test_psd_exact_decides_small_cases():
    import flint
    assert psd_exact(flint.fmpq_mat(2, 2, [1, 0, 0, 0]))
    assert psd_exact(flint.fmpq_mat(2, 2, [2, 1, 1, 2]))
    assert not psd_exact(flint.fmpq_mat(2, 2, [1, 2, 2, 1]))           # eigenvalues 3, -1
    assert not psd_exact(flint.fmpq_mat(3, 3, [0, 0, 0, 0, 0, 0, 0, 0, -1]))
