"""The stable ridge fit term (numeric.solver.ridge) against its definition at 50 digits."""
from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest

from numeric.solver import certificate as cm
from numeric.solver import make_problem, ridge, solve_relu, verify_certificate


def _ill_conditioned(seed=0, m=7, P=12, dY=3, big=1e5):
    """firing parts with singular values from 1 to `big`: cond(lam2 + K) ~ big^2 / lam2"""
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((m, m)))
    V, _ = np.linalg.qr(rng.standard_normal((P, m)))
    Phi = U @ np.diag(np.logspace(0, np.log10(big), m)) @ V.T
    return Phi, np.sign(rng.standard_normal((dY, P)))


def _defining_minimum(Phi, Y, lam2, dps=50):
    """min_A |Y - A Phi|^2 + lam2 |A|^2 from its normal equations in mpmath (A solves
    A (Phi Phi^T + lam2) = Y Phi^T), evaluated as the objective at that A."""
    with mp.workdps(dps):
        P_, Y_ = mp.matrix(Phi.tolist()), mp.matrix(Y.tolist())
        A = (Y_ * P_.T) * (P_ * P_.T + mp.mpf(lam2) * mp.eye(Phi.shape[0])) ** -1
        Res = Y_ - A * P_
        val = sum(x ** 2 for x in Res) + mp.mpf(lam2) * sum(x ** 2 for x in A)
        return val, np.array(Res.tolist(), dtype=float)


@pytest.mark.parametrize("lam2", [1.0, 1e-4])
@pytest.mark.parametrize("big", [1e3, 1e5])
def test_fit_matches_the_defining_minimum_where_the_resolvent_loses_digits(lam2, big):
    Phi, Y = _ill_conditioned(big=big)
    exact, Lam_exact = _defining_minimum(Phi, Y, lam2)
    exact = float(exact)
    val, Lam, A = ridge.fit(Phi, Y, lam2)
    # the documented accuracy: ~eps |A*| |Phi| (relative), not eps cond(lam2 + K)
    scale = 16 * np.finfo(float).eps * np.linalg.norm(A, 2) * np.linalg.norm(Phi, 2)
    assert abs(val - exact) <= scale * exact
    assert np.max(np.abs(Lam - Lam_exact)) <= scale * np.max(np.abs(Y))
    assert np.allclose(Lam, Y - A @ Phi, rtol=0, atol=1e-15 * np.max(np.abs(Y)))
    # the resolvent form of the same quantity is measurably worse here (why this module exists)
    val_inv, Lam_inv, _ = ridge.fit(Phi, Y, lam2, method="inverse")
    assert abs(val_inv - exact) > 100 * abs(val - exact)
    assert np.max(np.abs(Lam_inv - Lam_exact)) > 100 * np.max(np.abs(Lam - Lam_exact))


def test_fit_is_the_gram_matrix_function_and_its_gradient_is_minus_two_A_T_Lambda():
    rng = np.random.default_rng(3)
    Phi, Y = np.abs(rng.standard_normal((5, 9))), np.sign(rng.standard_normal((4, 9)))
    B = ridge.gram_factor(Y.T @ Y)
    assert B.shape[0] == np.linalg.matrix_rank(Y)
    assert np.allclose(B.T @ B, Y.T @ Y, atol=1e-13)
    assert ridge.fit(Phi, B, 0.3)[0] == pytest.approx(ridge.fit(Phi, Y, 0.3)[0], rel=1e-14)
    val, Lam, A = ridge.fit(Phi, Y, 0.3)
    G = -2 * A.T @ Lam
    D = rng.standard_normal(Phi.shape) * 1e-6
    fd = (ridge.fit(Phi + D, Y, 0.3)[0] - ridge.fit(Phi - D, Y, 0.3)[0]) / 2
    assert fd == pytest.approx(float(np.sum(G * D)), rel=1e-6)


def test_no_atoms_gives_the_targets_exactly_and_bad_input_is_named():
    Y = np.array([[1.0, -1.0, 1.0]])
    val, Lam, A = ridge.fit(np.zeros((0, 3)), Y, 2.0)
    assert val == 3.0 and np.array_equal(Lam, Y) and A.shape == (1, 0)
    with pytest.raises(ValueError, match="`lam2` must be > 0; got 0.0"):
        ridge.fit(np.ones((2, 3)), Y, 0.0)
    with pytest.raises(ValueError, match=r"must share P; got shapes \(2, 4\) and \(1, 3\)"):
        ridge.fit(np.ones((2, 4)), Y, 1.0)
    with pytest.raises(ValueError, match="`method` must be 'lstsq' or 'inverse'; got 'qr'"):
        ridge.fit(np.ones((2, 3)), Y, 1.0, method="qr")


def test_eight_outputs_on_forty_points_of_a_line_are_certified_below_1e_12():
    """Before the stable fit term this instance stopped at a certified 1.05e-12 (reported not
    optimal): its dual point was infeasible by 7.5e-12 and the float energy too low."""
    g = np.random.default_rng(97)          # (benchmarks/solver/faces.py's row, peers.random_instance)
    X, Y = g.standard_normal((1, 40)), np.sign(g.standard_normal((8, 40)))
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05))
    cert = cm.build(sol)
    rep = verify_certificate(cert)
    assert cert["cost_bound"]["kind"] == "faces"
    assert rep.ok and rep.global_optimum and rep.rel_gap <= 1e-12
