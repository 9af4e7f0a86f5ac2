"""The sympy derivations close, and they would not close for a wrong formula."""
import sympy as sp

from symbolic import kkt, meanfield, relu_whitened as rw
from symbolic.derivation import Step


def _all_ok(d):
    res = d.check()
    return [s.claim for s, r in zip(d.steps, res) if not r.ok]


def test_meanfield_lemma_and_assembly_close():
    assert _all_ok(meanfield.derivation()) == []
    assert _all_ok(meanfield.meanfield_derivation()) == []
    assert _all_ok(meanfield.matrix_identity_checks()) == []


def test_kkt_derivation_closes():
    assert _all_ok(kkt.derivation()) == []


def test_relu_whitened_derivation_closes():
    assert _all_ok(rw.derivation()) == []


def test_seed_b_star_is_the_stationary_point_but_a_perturbed_formula_is_not():
    derived = rw.b_star_derived()
    assert Step("seed", derived, rw.b_star_seed()).check().ok
    P, l1, l2 = rw.P, rw.lam1, rw.lam2
    wrong = sp.sqrt((l2 / l1) * (P + 1) / (P * (P + 1))) - l2 / P
    assert not Step("perturbed", derived, wrong).check().ok


def test_energy_star_at_dY2_by_explicit_numbers():
    # dY = 2, P = 4, lam1 = lam2 = 1/10: E* = 2 (2 sqrt(0.01 * 24/5) - 0.01 * 6/5) by hand
    val = rw.energy_star().subs({rw.dY: 2, rw.P: 4, rw.lam1: sp.Rational(1, 10), rw.lam2: sp.Rational(1, 10)})
    assert sp.simplify(val - 2 * (2 * sp.sqrt(sp.Rational(24, 500)) - sp.Rational(6, 500))) == 0
