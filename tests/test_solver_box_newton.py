"""The box polish by projected Newton (numeric.solver.box_newton): its derivatives against finite
differences of the energy's value, the KKT conditions of the box problem at its result, and the
solver's certified answer with it against the one with L-BFGS-B."""
from __future__ import annotations

import numpy as np
import pytest

from numeric.solver import box_newton, make_problem, relu, ridge, solve_relu
from numeric.solver import build_certificate, verify_certificate


def _problem(seed: int, m: int = 3, P: int = 4, dY: int = 2):
    rng = np.random.default_rng(seed)
    Q = rng.standard_normal((P, P))
    C = Q @ Q.T / P + 0.5 * np.eye(P)
    Y = rng.standard_normal((dY, P))
    return rng.standard_normal((m, P)), C, Y.T @ Y


def _value(H, pos, C, B, lam1, lam2):
    return box_newton.energy(H, pos, C, B, lam1, lam2)[0]


@pytest.mark.parametrize("signed", [True, False])
@pytest.mark.parametrize("seed", [0, 1])
def test_gradient_and_hessian_match_differences_of_the_value(signed, seed):
    """Central differences of E itself (first and second), not of the closed-form gradient."""
    H, C, KY = _problem(seed)
    H = H if signed else np.abs(H)
    pos = H > 0 if signed else np.ones_like(H, dtype=bool)
    B = ridge.gram_factor(KY)
    lam1, lam2 = 0.3, 0.7
    f, g, Phi, A = box_newton.energy(H, pos, C, B, lam1, lam2)
    Hs = box_newton.hessian(Phi, A, pos, C, lam1, lam2)
    n = H.size
    E = [np.eye(n)[i].reshape(H.shape) for i in range(n)]
    h1, h2 = 1e-6, 1e-4
    g_fd = np.array([(_value(H + h1 * e, pos, C, B, lam1, lam2)
                      - _value(H - h1 * e, pos, C, B, lam1, lam2)) / (2 * h1) for e in E])
    assert np.max(np.abs(g_fd - g.ravel())) <= 1e-7 * np.max(np.abs(g))
    H_fd = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            H_fd[i, j] = (_value(H + h2 * (E[i] + E[j]), pos, C, B, lam1, lam2)
                          - _value(H + h2 * (E[i] - E[j]), pos, C, B, lam1, lam2)
                          - _value(H - h2 * (E[i] - E[j]), pos, C, B, lam1, lam2)
                          + _value(H - h2 * (E[i] + E[j]), pos, C, B, lam1, lam2)) / (4 * h2 * h2)
    assert np.max(np.abs(H_fd - Hs)) <= 1e-5 * np.max(np.abs(Hs))
    # silent entries meet the fit term nowhere: their block is the cost alone
    off = ~pos.ravel()
    if off.any():
        cost = np.kron(np.eye(H.shape[0]), 2 * lam1 * C)
        assert np.allclose(Hs[np.ix_(off, off)], cost[np.ix_(off, off)], rtol=0, atol=1e-14)


@pytest.mark.parametrize("seed", range(6))
def test_polish_ends_at_a_kkt_point_of_the_box_problem(seed):
    """Signs kept, energy not raised, and stationarity: free entries have zero gradient, entries
    at zero have a gradient pointing out of their half-line."""
    H0, C, KY = _problem(seed, m=5, P=6, dY=3)
    lam1, lam2 = 0.05, 1.0
    pos = H0 > 0
    B = ridge.gram_factor(KY)
    H = box_newton.polish(H0, C, KY, lam1, lam2, signed=True)
    assert np.all(H[pos] >= 0) and np.all(H[~pos] <= 0)
    f0, g0 = box_newton.energy(H0, pos, C, B, lam1, lam2)[:2]
    f, g = box_newton.energy(H, pos, C, B, lam1, lam2)[:2]
    assert f <= f0
    scale = np.max(np.abs(g0))
    free = H != 0
    assert np.max(np.abs(g[free]), initial=0.0) <= 1e-11 * scale
    at_zero = ~free
    assert np.all(np.where(pos, g, -g)[at_zero] >= -1e-11 * scale)


def test_polish_from_its_own_result_stays_put():
    H0, C, KY = _problem(3, m=4, P=5, dY=2)
    H = box_newton.polish(H0, C, KY, 0.05, 1.0, signed=True)
    assert np.allclose(box_newton.polish(H, C, KY, 0.05, 1.0, signed=True), H, rtol=0,
                       atol=1e-10 * np.max(np.abs(H)))


def _certified(X, Y):
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05))
    rep = verify_certificate(build_certificate(sol))
    assert rep.ok and rep.global_optimum
    return float(rep.lower), float(rep.upper)


def test_solver_certifies_the_same_optimum_with_either_polish(monkeypatch):
    """Six outputs on full-rank data (the signed supports' route): both polishes give certified
    brackets, and the brackets overlap; the Newton polish is the one that ran."""
    rng = np.random.default_rng(72)
    X, Y = rng.standard_normal((7, 8)), np.sign(rng.standard_normal((6, 8)))
    calls = []
    real = box_newton.polish
    monkeypatch.setattr(box_newton, "polish", lambda *a, **k: calls.append(1) or real(*a, **k))
    lo_n, up_n = _certified(X, Y)
    assert calls
    monkeypatch.setattr(relu, "BOX_POLISH", "lbfgsb")
    n_calls = len(calls)
    lo_l, up_l = _certified(X, Y)
    assert len(calls) == n_calls
    assert max(lo_n, lo_l) <= min(up_n, up_l)


def test_large_polishes_fall_back_to_lbfgsb(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("the Newton polish ran above BOX_NEWTON_MAX_VARS")

    monkeypatch.setattr(box_newton, "polish", refuse)
    monkeypatch.setattr(relu, "BOX_NEWTON_MAX_VARS", 0)
    H0, C, KY = _problem(4)
    H = relu._polish_box(H0, C, KY, 0.05, 1.0, signed=True)
    assert H.shape == H0.shape


def test_unknown_polish_is_refused(monkeypatch):
    monkeypatch.setattr(relu, "BOX_POLISH", "bfgs")
    H0, C, KY = _problem(5)
    with pytest.raises(ValueError, match="BOX_POLISH.*'newton' or 'lbfgsb'.*'bfgs'"):
        relu._polish_box(H0, C, KY, 0.05, 1.0, signed=True)
