"""The active-set Newton method over a polyhedral cone (numeric.solver.cone_newton).

References: the KKT conditions of the defining problem checked directly (feasibility,
stationarity with non-negative multipliers, a positive semi-definite reduced Hessian), a
strictly convex quadratic whose constrained minimiser is computed independently by scipy's
non-negative least squares, and the one-neuron energy's derivatives by finite differences.

Mutations that fail these tests (tried by hand): the multiplier test's sign flipped (``mu.max()
<= gscale``); the blocking constraint not added to the active set; the negative-curvature step
removed (the saddle test); the Hessian's last term 2N v v^T / d^3 dropped.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import nnls

from numeric.solver import cone_newton
from numeric.solver.polish import one_neuron_energy, one_neuron_form


def _quadratic(A, b):
    def fgh(w):
        r = A @ w - b
        return float(r @ r), 2 * A.T @ r, 2 * A.T @ A
    return fgh


@pytest.mark.parametrize("seed", range(6))
def test_a_convex_quadratic_on_the_orthant_matches_nnls(seed):
    """min |A w - b|^2 over w >= 0 (G = I) has the unique minimiser of nnls(A, b)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 7))
    A, b = rng.standard_normal((n + 3, n)), rng.standard_normal(n + 3)
    res = cone_newton.minimise(_quadratic(A, b), np.ones(n), np.eye(n))
    ref = nnls(A, b)[0]
    assert res.status == "kkt"
    assert np.allclose(res.w, ref, atol=1e-12)


def test_a_quadratic_on_a_general_cone_matches_nnls_in_cone_coordinates():
    """G invertible: w = G^{-1} x with x >= 0, so the minimiser is G^{-1} nnls(A G^{-1}, b)."""
    rng = np.random.default_rng(9)
    G = rng.standard_normal((4, 4))
    A, b = rng.standard_normal((7, 4)), rng.standard_normal(7)
    Gi = np.linalg.inv(G)
    w0 = Gi @ np.ones(4)
    res = cone_newton.minimise(_quadratic(A, b), w0, G)
    assert np.allclose(res.w, Gi @ nnls(A @ Gi, b)[0], atol=1e-10)


def _kkt(fgh, w, G, tol):
    f, g, H = fgh(w)
    slack = G @ w
    act = slack <= 1e-10 * np.linalg.norm(G, axis=1) * max(1, np.abs(w).max())
    mu = nnls(G[act].T, g)[0] if act.any() else np.zeros(0)
    stat = np.linalg.norm(G[act].T @ mu - g) if act.any() else np.linalg.norm(g)
    _, s, Vt = np.linalg.svd(G[act]) if act.any() else (None, np.zeros(0), np.eye(w.size))
    Z = Vt[int(np.sum(s > 1e-12 * s[0])) if s.size else 0:].T
    second = np.linalg.eigvalsh(Z.T @ H @ Z).min() if Z.shape[1] else 0.0
    return slack.min(), stat / max(1, np.linalg.norm(g)), second / max(1, np.abs(H).max())


@pytest.mark.parametrize("seed", range(40))
def test_one_neuron_problems_end_at_second_order_kkt_points(seed):
    """The solver's use: the one-neuron energy of a random network (its own signs as the cone).
    The result is feasible, stationary with non-negative multipliers (nnls residual) and has a
    positive semi-definite reduced Hessian, and its energy is not above the start's."""
    rng = np.random.default_rng(seed)
    D, P, M = int(rng.integers(2, 8)), int(rng.integers(6, 20)), int(rng.integers(2, 10))
    Xt = np.vstack([rng.standard_normal((D - 1, P)), np.ones(P)])
    Y = np.sign(rng.standard_normal((int(rng.integers(1, 7)), P)))
    W = rng.standard_normal((M, D))
    S = np.sign(W @ Xt)
    a, r = one_neuron_form(W, S, 0, Xt, Y.T @ Y, 0.05)
    G = S[0][:, None] * Xt.T

    def fgh(w):
        return one_neuron_energy(w, a, r, 0.05, 0.05, hessian=True)

    res = cone_newton.minimise(fgh, W[0], G)
    assert res.status == "kkt"
    assert res.f <= fgh(W[0])[0]
    slack, stat, second = _kkt(fgh, res.w, G, 1e-10)
    assert slack >= -1e-14 * max(1, np.abs(res.w).max())
    assert stat <= 1e-9
    assert second >= -1e-10


def test_the_one_neuron_hessian_is_the_derivative_of_its_gradient():
    rng = np.random.default_rng(1)
    B = rng.standard_normal((5, 5))
    a, r = B @ B.T, np.cov(rng.standard_normal((5, 9)))
    w = rng.standard_normal(5)
    _, g, H = one_neuron_energy(w, a, r, 0.05, 0.05, hessian=True)
    assert np.allclose(g, one_neuron_energy(w, a, r, 0.05, 0.05)[1])
    e = 1e-6
    fd = np.array([(one_neuron_energy(w + e * d, a, r, 0.05, 0.05)[1]
                    - one_neuron_energy(w - e * d, a, r, 0.05, 0.05)[1]) / (2 * e)
                   for d in np.eye(5)])
    assert np.allclose(fd, H, rtol=1e-6, atol=1e-8 * np.abs(H).max())


def test_a_saddle_of_a_face_is_left_along_negative_curvature():
    """f = (w1^2 - 1)^2 + (w2^2 - 1)^2 on w1 >= 0 from (0.5, 0): the gradient in w2 is exactly
    0 all along, so Newton steps reach the saddle (1, 0) (curvature -4 in w2); the method must
    leave it and reach a minimum, f = 0."""
    def fgh(w):
        f = float(np.sum((w ** 2 - 1) ** 2))
        g = 4 * w * (w ** 2 - 1)
        return f, g, np.diag(12 * w ** 2 - 4)

    res = cone_newton.minimise(fgh, np.array([0.5, 0.0]), np.array([[1.0, 0.0]]))
    assert res.status == "kkt" and res.f == pytest.approx(0.0, abs=1e-20)
    assert np.allclose(np.abs(res.w), 1.0)


def test_bad_input_is_refused_by_name():
    fgh = _quadratic(np.eye(2), np.ones(2))
    with pytest.raises(ValueError, match=r"`G` must be \(m, 2\) for `w0` of length 2"):
        cone_newton.minimise(fgh, np.ones(2), np.ones((3, 3)))
    with pytest.raises(ValueError, match="`w0` must satisfy G w0 >= 0; constraint 1 is"):
        cone_newton.minimise(fgh, np.array([1.0, -1.0]), np.eye(2))
    with pytest.raises(ValueError, match="must be finite"):
        cone_newton.minimise(fgh, np.array([np.nan, 1.0]), np.eye(2))
