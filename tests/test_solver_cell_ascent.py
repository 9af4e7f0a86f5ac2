"""Cell-ascent pricing (numeric.solver.cell_ascent): every violation it reports is a real one."""
from __future__ import annotations

import numpy as np
import pytest

from numeric.solver import cell_ascent, cells
from numeric.solver.problem import make_problem
from numeric.solver.relu import solve_relu


@pytest.fixture(scope="module")
def optimum():
    g = np.random.default_rng(7)
    X, Y = g.standard_normal((7, 8)), np.sign(g.standard_normal((3, 8)))
    prob = make_problem(X, Y, 0.05, 0.05, bias=True)
    sol = solve_relu(prob)
    assert sol.converged
    return prob, sol


def _ratio_from_definition(Xt, Lam, h):
    """|Lambda relu(h)|^2 / |w|^2 for the least-norm input weight w with X~^T w = h."""
    w = np.linalg.lstsq(Xt.T, h, rcond=None)[0]
    assert np.allclose(Xt.T @ w, h, atol=1e-9 * np.abs(h).max())          # h is reachable
    v = Lam @ np.maximum(h, 0)
    return float(v @ v) / float(w @ w)


def test_reported_violations_are_real_and_a_feasible_point_has_none(optimum):
    prob, sol = optimum
    Xt = prob.X_tilde
    K = Xt.T @ Xt
    alpha = prob.lam1 * prob.lam2
    cs = cells.CellSet(prob.P)
    # the optimal dual point is tight: scaled up by 5% it is violated somewhere ...
    ratio, hs = cell_ascent.price(K, 1.05 * sol.Lambda, alpha, cs)
    assert hs and ratio > alpha
    for h in hs:
        assert _ratio_from_definition(Xt, 1.05 * sol.Lambda, h) > alpha
    # ... and scaled down by 5% it is strictly feasible, so no report can be a violation
    ratio, hs = cell_ascent.price(K, 0.95 * sol.Lambda, alpha, cs)
    assert hs == [] and ratio <= alpha


def test_bad_shape_names_the_argument(optimum):
    prob, sol = optimum
    K = prob.X_tilde.T @ prob.X_tilde
    with pytest.raises(ValueError, match="`Lam` must have 8 columns"):
        cell_ascent.price(K, sol.Lambda[:, :5], 1.0, cells.CellSet(prob.P))


def test_the_solve_builds_the_fan_only_when_the_ascent_finds_nothing(monkeypatch, fans_on_full_rank):
    """Three outputs, P = 8: with the ascent the exhaustive fan is built once (measured 1 of 18
    rounds; 6 fans when the ascent is switched off), and the solve still converges."""
    from numeric.solver import simplices
    calls = []
    original = simplices.price
    monkeypatch.setattr(simplices, "price", lambda *a, **k: calls.append(1) or original(*a, **k))
    g = np.random.default_rng(7)
    X, Y = g.standard_normal((7, 8)), np.sign(g.standard_normal((3, 8)))
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05, bias=True))
    assert sol.converged and sol.exhaustive
    assert 1 <= len(calls) <= 2


def _random_starts():
    """K, Lambda, 40 firing masks and unit starts. Full rank: on singular inputs a cell's box
    optimum can have cost ~1e-31, and its ratio is then round-off over round-off, different for
    every batch size (seen at rank 6 of 7)."""
    rng = np.random.default_rng(12)
    Xt = rng.standard_normal((7, 7))
    F = rng.random((40, 7)) < 0.6
    U = rng.standard_normal((40, 3))
    return Xt.T @ Xt, rng.standard_normal((3, 7)), F, U / np.linalg.norm(U, axis=1, keepdims=True)


def test_the_ascent_treats_every_row_as_if_it_were_alone():
    """simplices.ascend drops rows that stopped rising; each row's result must be the one it
    gets when it is ascended on its own (rows are independent problems)."""
    from numeric.solver import simplices
    K, Lam, F, U = _random_starts()
    h, ratio = simplices.ascend(K, Lam, F, U)
    alone = [simplices.ascend(K, Lam, F[i:i + 1], U[i:i + 1]) for i in range(40)]
    assert np.allclose(np.concatenate([a[1] for a in alone]), ratio, rtol=1e-12, atol=0)
    # the ratio is flat at its maximum: patterns agree only to ~sqrt(eps) across batch sizes
    assert np.allclose(np.concatenate([a[0] for a in alone]), h, rtol=1e-6, atol=1e-9)
    assert (ratio > 0).sum() > 20


def test_a_row_stops_once_a_step_raises_it_by_less_than_rise():
    from numeric.solver import simplices
    K, Lam, F, U = _random_starts()
    full = simplices.ascend(K, Lam, F, U)[1]
    two = simplices.ascend(K, Lam, F, U, iters=2)[1]
    stopped = simplices.ascend(K, Lam, F, U, rise=1e100)[1]      # no rise is that large
    assert np.allclose(stopped, two, rtol=1e-12, atol=0)           # the first rise is its last
    assert np.all(stopped <= full * (1 + 1e-12)) and np.any(stopped < full * (1 - 1e-6))


def test_a_row_that_cannot_reach_the_target_in_the_steps_left_stops():
    from numeric.solver import simplices
    K, Lam, F, U = _random_starts()
    full, two = simplices.ascend(K, Lam, F, U)[1], simplices.ascend(K, Lam, F, U, iters=2)[1]
    # the projection starts after the second step: out of reach, every row stops there
    assert np.allclose(simplices.ascend(K, Lam, F, U, target=1e300)[1], two, rtol=1e-12, atol=0)
    assert np.allclose(simplices.ascend(K, Lam, F, U, target=0.0)[1], full, rtol=1e-12, atol=0)
    # a reachable target: rows projected to reach it go on as without one
    mid = float(np.median(full[full > 0]))
    some = simplices.ascend(K, Lam, F, U, target=mid)[1]
    assert np.all(some <= full * (1 + 1e-12)) and np.any(some > two * (1 + 1e-9))


def test_the_pricing_ascends_towards_alpha(optimum, monkeypatch):
    prob, sol = optimum
    seen = []
    orig = cell_ascent.ascend
    monkeypatch.setattr(cell_ascent, "ascend", lambda *a, **k: seen.append(k) or orig(*a, **k))
    K = prob.X_tilde.T @ prob.X_tilde
    cell_ascent.price(K, 1.5 * sol.Lambda, 0.05 * 0.05, cells.cell_set(prob.X_tilde))
    assert seen and all(k["target"] == 0.05 * 0.05 and k["rise"] == cell_ascent.RISE for k in seen)
