import pytest
import sympy as sp

from symbolic.derivation import Derivation, Step

x = sp.Symbol("x", positive=True)
y = sp.Symbol("y", real=True)


def test_true_identity_passes_and_false_identity_fails():
    assert Step("square of a sum", (x + 1) ** 2, x ** 2 + 2 * x + 1).check().ok
    bad = Step("wrong expansion", (x + 1) ** 2, x ** 2 + 1).check()
    assert not bad.ok and "undecided" in bad.reason


def test_sign_step_uses_assumptions():
    assert Step("x^2 + x >= 0 for x > 0", x ** 2 + x, 0, relation="ge").check().ok
    assert not Step("y >= 0 is unknown for real y", y, 0, relation="ge").check().ok
    assert Step("x^2 + x > 0 for x > 0", x ** 2 + x, 0, relation="gt").check().ok
    assert not Step("y^2 > 0 fails at y = 0", y ** 2, 0, relation="gt").check().ok
    assert Step("y^2 >= 0 holds", y ** 2, 0, relation="ge").check().ok


def test_matrix_steps_compare_elementwise():
    A = sp.Matrix([[x, 1], [0, x]])
    assert Step("A^2", A * A, sp.Matrix([[x ** 2, 2 * x], [0, x ** 2]])).check().ok
    assert not Step("A^2 wrong", A * A, sp.Matrix([[x ** 2, x], [0, x ** 2]])).check().ok


def test_radical_identity():
    lhs = 1 / (sp.sqrt(x) + 1)
    rhs = (sp.sqrt(x) - 1) / (x - 1)
    assert Step("rationalise", lhs, rhs).check().ok


def test_bad_relation_and_lemma_without_id_are_rejected():
    with pytest.raises(ValueError, match="relation"):
        Step("?", x, x, relation="approx")
    with pytest.raises(ValueError, match="lemma"):
        Step("?", 0, 0, relation="lemma")


def test_derivation_latex_and_report():
    d = Derivation("demo")
    d.add("identity", x + x, 2 * x, "collect")
    d.add("textbook", 0, 0, "Cauchy-Schwarz", relation="cite")
    assert "2 x" in d.latex()
    assert "[ok] identity" in d.report() and "[cited] textbook" in d.report()
    assert d.citations() == ["Cauchy-Schwarz"]
