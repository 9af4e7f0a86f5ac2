"""Refuting "every global minimum is abstract" from the certified outputs
(numeric.solver.not_abstract, claim ``L.solver.not-abstract``).

The claim's independent checks (distance to the abstract outputs from the defining set,
optimised PS = 1 networks, agreement with the linear kernel-based decision) are its registry
witnesses, run by tests/test_registry.py. Here: the exact edge cases of the test, its JSON
re-verification, bad input, and the wiring into the solver's answer."""
import json
from fractions import Fraction

import flint
import numpy as np
import pytest

from numeric.solver import build_certificate, make_problem, solve_relu
from numeric.solver import rational as rq
from numeric.solver.api import dense_answer
from numeric.solver.not_abstract import refute, refute_from_certificate
from numeric.tasks import hypercube

Y2 = np.tile(hypercube(2).Y, 2)          # every condition twice


def _F_with(dev: float):
    """outputs (1/2) Y plus a deviation of the coding vector of variable 0 in one context"""
    F = 0.5 * Y2.copy()
    F[1, 0] += dev                       # sample 0 is condition (-1, -1)
    return F


@pytest.mark.parametrize("dev, gap, refuted", [
    (0.0, 0, False),                     # exactly parallel coding vectors: never refuted
    (1e-3, 0, True),                     # exact outputs, non-parallel: refuted
    (1e-3, Fraction(1, 10 ** 12), True),
    (1e-3, Fraction(1, 10 ** 4), False),  # a ball wide enough to hold parallel outputs
])
def test_refutation_is_exact_and_one_sided(dev, gap, refuted):
    F = _F_with(dev)
    Yq, Lam = rq.mat(Y2), rq.mat(Y2 - F)
    ref = refute(Yq, Lam, flint.fmpq(gap.numerator, gap.denominator) if gap else flint.fmpq(0))
    assert ref.refuted is refuted
    if refuted:
        w = next(w for w in ref.witnesses if w.variable == 0)
        assert w.cos_upper < 1 and w.clearance > ref.radius and w.price > 0
        assert 1 not in [v.variable for v in ref.witnesses]     # variable 1 stays parallel
    else:
        assert ref.price == 0.0


def test_refutation_reverifies_from_json_and_refuses_a_broken_certificate():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((7, 8))
    cert = build_certificate(solve_relu(make_problem(X, Y2, 0.05, 0.05)))
    ref = refute_from_certificate(cert)
    again = refute_from_certificate(json.loads(json.dumps(cert)))
    assert ref.refuted and again == ref
    broken = {**cert, "dual": {"Lambda": [[str(2 * Fraction(v)) for v in row]
                                          for row in cert["dual"]["Lambda"]]}}
    assert refute_from_certificate(broken) is None


def test_bad_input_is_named():
    Yq = rq.mat(Y2)
    with pytest.raises(ValueError, match="`Y` must have dY >= 2"):
        refute(rq.mat(Y2[:1]), rq.mat(Y2[:1]), flint.fmpq(0))
    with pytest.raises(ValueError, match="`gap` must be >= 0"):
        refute(Yq, Yq, flint.fmpq(-1))
    with pytest.raises(ValueError, match="condition"):
        refute(rq.mat(Y2[:, :3]), rq.mat(Y2[:, :3]), flint.fmpq(0))


def test_answer_reports_false_on_generic_data_and_none_on_the_hypercube():
    rng = np.random.default_rng(5)
    out = dense_answer(rng.standard_normal((7, 8)), Y2, 0.05, 0.05, True)
    cert = out["certificate"]
    assert cert["global_optimum"] and cert["all_minima_abstract"] is False
    w = cert["witness"]["abstraction_witness"]
    assert w["variables"] and w["price"] > 0 and "refuted" in cert["witness"]["all_minima_reason"]
    T = hypercube(2)
    cert = dense_answer(T.X, T.Y, 0.05, 0.05, True)["certificate"]
    assert cert["global_optimum"] and cert["all_minima_abstract"] is None
    assert cert["witness"]["all_minima_reason"].startswith("not decided")


def test_antiparallel_coding_vectors_are_refuted():
    """cos = -1 (opposite coding vectors) is as far from parallel as it gets"""
    F = 0.5 * Y2.copy()
    F[0, [1, 5]] = 1.5                  # condition (-1, +1): variable 0 flips its coding vector
    ref = refute(rq.mat(Y2), rq.mat(Y2 - F), flint.fmpq(1, 10 ** 10))
    w = next(w for w in ref.witnesses if w.variable == 0)
    assert w.cos_centre < -0.99 and w.cos_upper < -0.99
