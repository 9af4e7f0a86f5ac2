"""The zero-set route to "every global minimum is abstract" on non-whitened inputs
(numeric.solver.affine_minima). Its proofs on target-aligned, anisotropic and interaction
inputs and its two answers on the whitened cube are registry witnesses (A.relu.all-minima,
L.solver.affine-minima; tests/test_registry.py). Here: the guards that keep it from claiming
a proof it does not have."""
from fractions import Fraction

import numpy as np
import pytest

from numeric.claims.inputs import LAM2, abstract_instance
from numeric.solver import rational as rq
from numeric.solver.affine_minima import affine_basis, is_affine, decide
from numeric.tasks import hypercube_targets


@pytest.fixture(scope="module")
def aligned():
    return abstract_instance(2, "aligned", {"gamma": Fraction(2)}, with_kernel=True)


def test_proves_the_aligned_instance(aligned):
    lam1, Y, Q, A, _, _, _, K = aligned
    assert decide(Q, A, lam1, LAM2, Y, K).all_minima_abstract is True


def test_a_dual_point_that_is_not_optimal_decides_nothing(aligned):
    lam1, Y, Q, A, _, _, _, K = aligned
    d = decide(Q, A * rq.q(Fraction(11, 10)), lam1, LAM2, Y, K)      # too large: V < 0 somewhere
    assert d.all_minima_abstract is None and "cone condition fails" in d.reason


def test_a_silent_variable_decides_nothing(aligned):
    lam1, Y, Q, A, _, _, _, _ = aligned
    P = Y.shape[1]
    K_silent = rq.mat(np.outer(Y[0], Y[0])) + rq.ones(P, P)              # K y_1 = 0
    d = decide(Q, A, lam1, LAM2, Y, K_silent)
    assert d.all_minima_abstract is None and "variable 1 is silent" in d.reason


def test_affine_test_is_exact():
    Y = hypercube_targets(2)
    B = affine_basis(Y)
    assert is_affine([Fraction(3) + Fraction(1, 7) * int(a) - int(b) for a, b in Y.T], B)
    assert not is_affine([Fraction(int(a == 1 and b == 1)) for a, b in Y.T], B)   # a quadrant


def test_too_many_samples_is_refused(aligned):
    lam1, _, Q, A, _, _, _, K = aligned
    with pytest.raises(ValueError, match="`Y` must have at most 8 samples"):
        decide(Q, A, lam1, LAM2, np.tile(hypercube_targets(2), 3), K)


def test_closed_form_dual_matrix_equals_the_measures():
    """A = R K_Y R from the explicit optimal measure (exact) equals the formula used for any lam."""
    from numeric.claims.inputs import ANISO_EXACT, _c
    from numeric.solver.affine_minima import closed_form_dual_matrix
    for family, dY, params in [("aligned", 3, {"gamma": Fraction(3)}), ("anisotropic", *ANISO_EXACT[1])]:
        lam1, Y, _, A, *_ = abstract_instance(dY, family, params)
        gam = [params["gamma"]] * dY if family == "aligned" else params["gammas"]
        cs = [_c(g, Y.shape[1]) for g in gam]
        assert closed_form_dual_matrix(Y, cs, lam1, LAM2) == A


@pytest.mark.parametrize("family, dY, params, lam, expected, expected_dY4", [
    ("aligned", 2, {"gamma": 0.3}, (0.05, 0.05), True, True),    # float instances: exact route
    ("interaction", 2, {"eta": 3.0}, (0.05, 0.05), None, None),  # conjunctive optimum: no proof
    # silent at P = 4; at P = 16 the threshold (lam2 / P)^2 moves and the variable is active
    ("aligned", 2, {"gamma": 1.0}, (20.0, 5.0), None, True),
])
def test_inputs_family_any_lambda(family, dY, params, lam, expected, expected_dY4):
    from numeric.solver.affine_minima import decide_inputs_family
    assert decide_inputs_family(dY, family, params, *lam).all_minima_abstract is expected
    # P = 16: the Walsh-block route (numeric.solver.walsh_certificate)
    assert decide_inputs_family(4, family, params, *lam).all_minima_abstract is expected_dY4
    assert decide_inputs_family(9, family, params, *lam) is None   # P = 512: not attempted


def test_cli_answer_proves_aligned_and_the_zero_set_route_stays_one_sided():
    from numeric.solve import solve
    out = solve(task="hypercube", dY=2, lam1=0.05, lam2=0.05, inputs="aligned",
                input_params={"gamma": 0.3}, certify=True)
    cert = out["certificate"]
    assert cert["global_optimum"] and cert["all_minima_abstract"] is True
    assert all(c["ok"] for c in out["checks"])
    out = solve(task="hypercube", dY=2, lam1=0.05, lam2=0.05, inputs="interaction",
                input_params={"eta": 3.0}, certify=True)
    # the zero-set route says nothing here (its abstract closed form is not optimal); the
    # answer false comes from the exact conjunctive optimum (numeric.solver.symmetric_witness)
    from numeric.solver.affine_minima import decide_inputs_family
    assert decide_inputs_family(2, "interaction", {"eta": 3.0}, 0.05, 0.05).all_minima_abstract is None
    assert out["certificate"]["all_minima_abstract"] is False
    assert all(c["ok"] for c in out["checks"])      # the solver converges (3^P fallback)
