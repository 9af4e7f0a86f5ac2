"""Tests for input geometry (numeric.inputs, symbolic.inputs, provider)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import minimize

from numeric.closed_forms import closed_form_for
from numeric.energy import meanfield_energy, potential
from numeric.inputs import closed_form, exact_kkt_check, inputs
from numeric.tasks import augment, sign_vectors
from numeric.validation import InputError


def _task(dY, fam, params):
    return augment(inputs(dY, fam, params), True), sign_vectors(dY)


@pytest.mark.parametrize("fam,params", [("aligned", {"gamma": 0.4}), ("aligned", {"gamma": 3.0}),
                                        ("anisotropic", {"gammas": [0.2, 5.0]}),
                                        ("interaction", {"eta": 0.7})])
def test_closed_form_is_a_stationary_point_of_the_two_parameter_ansatz(fam, params):
    """Minimise E over (b_i, x_i/z_i) from the definition (scipy, float64): lands on the closed form."""
    lam1, lam2, dY = 0.05, 0.1, 2
    Xt, Y = _task(dY, fam, params)
    cf = closed_form(dY, fam, params, lam1, lam2)

    def E(theta):
        rows = []
        for i in range(dY):
            b, r = np.exp(theta[2 * i]), 1 / (1 + np.exp(-theta[2 * i + 1]))
            sig = np.sqrt(2 * b)
            z = sig / (1 + r)
            rows += [sig - z + s * z * Y[i] for s in (1, -1)]
        return meanfield_energy(np.array(rows), Xt, Y, lam1, lam2)
    th0 = np.concatenate([[np.log(b), 0.0] for b in cf.scales])
    res = minimize(E, th0, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-15, "maxiter": 5000})
    assert abs(res.fun - cf.energy) < 1e-9 * cf.energy
    assert res.fun >= cf.energy * (1 - 1e-12)
    assert abs(E(th0 * 0 + np.concatenate([[np.log(b), 30.0 if r == 1 else np.log(r / (1 - r))]
                                          for b, r in zip(cf.scales, cf.silent_ratio)])) - cf.energy) < 1e-9


def test_aligned_energy_decreases_with_gamma():
    Es = [closed_form(3, "aligned", {"gamma": g}, 0.05, 0.05).energy for g in (0, 0.3, 1, 2, 10)]
    assert all(a > b for a, b in zip(Es, Es[1:]))
    # gamma = 0 is the whitened closed form
    from numeric.samples import closed_form as whitened
    assert abs(Es[0] - whitened(3, 1, 0.05, 0.05).energy) < 1e-14


def test_potential_nonnegative_float_cross_check():
    lam1, lam2 = 0.05, 0.1
    for fam, params in (("aligned", {"gamma": 2.5}), ("anisotropic", {"gammas": [0.0, 4.0]})):
        Xt, Y = _task(2, fam, params)
        cf = closed_form(2, fam, params, lam1, lam2)
        Q = np.linalg.inv(Xt.T @ Xt)
        K = np.maximum(cf.patterns(), 0).T @ np.maximum(cf.patterns(), 0)
        assert np.allclose(K, cf.kernel(), atol=1e-12)
        rng = np.random.default_rng(0)
        vals = [potential(u, K, Q, Y.T @ Y, lam1, lam2) for u in rng.standard_normal((2000, 4))]
        assert min(vals) > -1e-12
        for h in cf.patterns():
            assert abs(potential(h, K, Q, Y.T @ Y, lam1, lam2)) < 1e-12


def test_exact_check_detects_a_violation():
    """eta = 3: the whitened optimum violates V >= 0 on a conjunction neuron (dY = 2)."""
    from numeric.claims.inputs import abstract_instance
    lam1, Y, Q, A, pats, E, Ecf = abstract_instance(2, "interaction", {"eta": Fraction(3)})
    ok, _, wit = exact_kkt_check(Q, A, lam1, Fraction(1, 10), Y)
    assert not ok and wit[2] < 0 and sum(1 for v in wit[1] if v > 0) == 1


def test_conjunctive_optimum_dy2_beats_abstract():
    ab = closed_form(2, "interaction", {"eta": 1.0}, 0.05, 0.05)
    cj = closed_form(2, "interaction", {"eta": 1.5}, 0.05, 0.05)
    assert ab.code == "abstract" and cj.code == "conjunctive" and cj.energy < ab.energy
    Xt, Y = _task(2, "interaction", {"eta": 1.5})
    assert abs(meanfield_energy(cj.patterns(), Xt, Y, 0.05, 0.05) - cj.energy) < 1e-12
    with pytest.raises(InputError, match="no closed form for interaction inputs with eta > 1"):
        closed_form(3, "interaction", {"eta": 2.0}, 0.05, 0.05)


@pytest.mark.parametrize("fam,params,match", [
    ("aligned", {"gamma": -1}, "`gamma` must be a finite number >= 0; got -1"),
    ("anisotropic", {"gammas": [1.0]}, "`gammas` must be 2 finite numbers >= 0"),
    ("interaction", {"eta": float("nan")}, "`eta` must be a finite number >= 0"),
    ("diagonal", {}, "`family` must be one of"),
])
def test_bad_input(fam, params, match):
    with pytest.raises(InputError, match=match):
        closed_form(2, fam, params, 0.1, 0.1)


def test_provider():
    inst = {"task": "hypercube", "dY": 2, "n": 1, "P": 4, "lam1": 0.05, "lam2": 0.05,
            "activation": "relu", "bias": True, "depth": 1, "inputs": "aligned",
            "input_params": {"gamma": 2.0}}
    ans, _ = closed_form_for(inst)
    assert ans["claim"] == "A.inputs.aligned" and ans["kernel"]["c"] == 2
    assert ans["ps"] == pytest.approx([1.0, 1.0])
    inst.update(inputs="interaction", input_params={"eta": 2.0})
    ans, _ = closed_form_for(inst)
    assert ans["code"] == "conjunctive" and ans["ps"] == pytest.approx([0.0, 0.0], abs=1e-12)
    inst.update(dY=3, P=8, input_params={"eta": 2.0})
    ans, why = closed_form_for(inst)
    assert ans is None and any("A.inputs.interaction: no closed form" in w for w in why)


def test_symbolic_derivations_check():
    from symbolic.inputs import aligned_derivation, anisotropic_derivation, interaction_derivation
    for f in (aligned_derivation, anisotropic_derivation, interaction_derivation):
        assert all(r.ok for r in f().check())
