"""Certified answers for target-aligned and interaction inputs at any dY without the dense
solver (numeric.solver.inputs_family; theorems A.inputs.aligned, A.inputs.interaction,
L.inputs.all-minima). The theorems are registry claims; here: dispatch, the independent network
loss check, the regimes, and agreement with the dense route where both run."""
from fractions import Fraction

import pytest

from numeric.solve import solve
from numeric.solver.inputs_family import answer, theorem_applies


def _solve(dY, inputs, params, lam=(0.05, 0.05)):
    return solve(task="hypercube", dY=dY, lam1=lam[0], lam2=lam[1], inputs=inputs,
                 input_params=params, certify=True)


@pytest.mark.parametrize("inputs, params", [("aligned", {"gamma": 2.0}),
                                            ("interaction", {"eta": 0.3})])
def test_any_dY_without_the_dense_solver(inputs, params):
    out = _solve(5, inputs, params)
    cert = out["certificate"]
    assert cert["global_optimum"] and cert["all_minima_abstract"] is True
    assert "Walsh certificate" in cert["method"] and all(c["ok"] for c in out["checks"])
    assert out["ps"] == [1.0] * 5
    assert out["numeric"]["min_width"] == 10 and out["numeric"]["kernel"]["unique"]


def test_fast_path_agrees_with_the_dense_route_at_dY_3():
    dense = _solve(3, "aligned", {"gamma": 2.0})
    fast = answer(3, "aligned", {"gamma": 2.0}, 0.05, 0.05)
    lo, hi = (float(Fraction(dense["certificate"]["witness"][k])) for k in ("lower", "upper"))
    assert lo * (1 - 1e-12) <= fast["numeric"]["energy"] <= hi * (1 + 1e-12)
    assert dense["certificate"]["all_minima_abstract"] is True
    assert dense["numeric"]["min_width"] == fast["numeric"]["min_width"] == 6
    assert fast["certificate"]["all_minima_abstract"] is True


def test_regimes_and_boundaries():
    out = _solve(4, "aligned", {"gamma": 0.5}, lam=(30.0, 30.0))        # silent regime
    assert out["certificate"]["global_optimum"] and out["certificate"]["all_minima_abstract"] is None
    assert out["numeric"]["energy"] == 4 * 16 and out["ps"] is None
    # eta = 1, the sharp boundary: the theorem says nothing there; the pair conjunctions are an
    # exact non-abstract optimum (Walsh-certified at P = 16), so false (tests/test_solver_walsh.py)
    out = _solve(4, "interaction", {"eta": 1.0})
    assert out["certificate"]["all_minima_abstract"] is False
    assert out["numeric"]["min_width"] is None
    assert not theorem_applies("interaction", {"eta": 1.5})
    assert not theorem_applies("anisotropic", {"gammas": [1.0, 2.0]})
    with pytest.raises(ValueError, match="`family` must be aligned or interaction"):
        answer(4, "interaction", {"eta": 2.0}, 0.05, 0.05)


@pytest.mark.parametrize("dY, eta, ps", [(2, 3.0, 0.0), (3, 2.0, 1 / 3), (2, 1.0, 0.0), (3, 1.0, 1 / 3)])
def test_interaction_eta_at_least_one_refuted_exactly(dY, eta, ps):
    """eta > 1, and the tie eta = 1: an exact non-abstract global minimum (conjunctions)."""
    out = _solve(dY, "interaction", {"eta": eta})
    cert = out["certificate"]
    assert cert["global_optimum"] and cert["all_minima_abstract"] is False
    assert f"PS = {ps:.6f}" in cert["witness"]["all_minima_reason"]
    assert all(c["ok"] for c in out["checks"])


def test_refutation_needs_the_active_regime_and_the_right_candidates():
    from numeric.solver.symmetric_witness import refute_family
    assert refute_family(2, "interaction", {"eta": 3.0}, 30.0, 30.0, []) is None   # silent
    assert refute_family(3, "interaction", {"eta": 0.5}, 0.05, 0.05, []) is None   # abstract optimum
    assert refute_family(3, "aligned", {"gamma": 2.0}, 0.05, 0.05, []) is None


def test_a_disagreement_between_routes_is_a_failed_check(monkeypatch):
    """If the exact zero set contradicted the theorem, the answer would be null and a check red."""
    from numeric.solver import api
    from numeric.solver.affine_minima import AffineDecision
    monkeypatch.setattr(api, "decide_inputs_family",
                        lambda *a, **k: AffineDecision(False, "contradiction (test)", 0, 0))
    out = _solve(2, "aligned", {"gamma": 2.0})
    assert out["certificate"]["all_minima_abstract"] is None
    bad = [c for c in out["checks"] if not c["ok"]]
    assert [c["name"] for c in bad] == ["all-minima decisions agree (theorem, exact zero set, outputs)"]
