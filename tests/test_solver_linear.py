"""Linear-activation global solver and its exact certificate (numeric.solver.linear)."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from numeric.energy import network_loss
from numeric.solver import rational as rq
from numeric.solver.linear import SHRINKS, certify_linear, solve_linear, verify_linear


def _data(seed=3, dX=6, P=12, dY=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dX, P))
    return np.vstack([X, np.ones(P)]), np.sign(rng.standard_normal((dY, P)))


def test_energy_is_the_network_loss_and_the_bracket_is_tight():
    Xt, Y = _data()
    sol = solve_linear(Xt, Y, 0.05, 0.05)
    assert sol.converged
    # the returned network, scored by the defining loss with the linear activation
    assert network_loss(sol.W, sol.W2, Xt, Y, 0.05, 0.05, activation="linear") == pytest.approx(sol.energy, rel=1e-14)
    c = certify_linear(sol, Xt, Y, 0.05, 0.05)
    assert c.ok and c.global_optimum and 0 <= c.rel_gap <= 1e-12
    assert float(rq.frac(c.lower)) <= sol.energy <= float(rq.frac(c.upper)) * (1 + 1e-15)


def test_balanced_factors_and_width_at_most_min_dY_D():
    Xt, Y = _data(dY=4)
    sol = solve_linear(Xt, Y, 0.1, 0.4)
    assert sol.W.shape[0] <= min(Y.shape[0], Xt.shape[0])
    # at the optimum every neuron is balanced: sqrt(lam1)|w_k| = sqrt(lam2)|w2_k|
    np.testing.assert_allclose(np.sqrt(0.1) * np.linalg.norm(sol.W, axis=1),
                               np.sqrt(0.4) * np.linalg.norm(sol.W2, axis=0), rtol=1e-8)


def test_large_regularisation_gives_the_silent_network_certified():
    Xt, Y = _data()
    sol = solve_linear(Xt, Y, 50.0, 50.0)
    assert sol.W.shape[0] == 0 and sol.energy == pytest.approx(float(np.sum(Y * Y)))
    c = certify_linear(sol, Xt, Y, 50.0, 50.0)
    assert c.ok and c.global_optimum and c.rel_gap == pytest.approx(0.0, abs=1e-20)


def test_tiny_regularisation_is_certified():
    # lam1 lam2 = 1e-14: Lambda X~^T ~ tau is a small difference of large terms
    Xt, Y = _data(seed=5, dX=5)
    sol = solve_linear(Xt, Y, 1e-8, 1e-6)
    c = certify_linear(sol, Xt, Y, 1e-8, 1e-6)
    assert c.ok and c.global_optimum


def test_a_dual_point_slightly_outside_takes_a_larger_shrink():
    # push the dual point 1e-12 outside the feasible set: the first shrink (2^-44 ~ 6e-14) is
    # refused by the exact check, a larger one is taken and the bracket widens accordingly
    Xt, Y = _data(seed=6)
    sol = solve_linear(Xt, Y, 0.05, 0.05)
    sol.Lambda = sol.Lambda * (1 + 1e-12)
    c = certify_linear(sol, Xt, Y, 0.05, 0.05)
    assert c.ok
    first = rq.to_strings(rq.mat(sol.Lambda * (1 - SHRINKS[0])))
    assert not verify_linear(dict(c.data, Lambda=first)).ok
    assert c.data["Lambda"] == rq.to_strings(rq.mat(sol.Lambda * (1 - SHRINKS[1])))


def test_certificate_json_round_trip_and_refusals():
    Xt, Y = _data(seed=8)
    c = certify_linear(solve_linear(Xt, Y, 0.05, 0.05), Xt, Y, 0.05, 0.05)
    again = verify_linear(json.loads(json.dumps(c.data)))
    assert again.ok and again.upper == c.upper and again.lower == c.lower
    bigger = rq.from_strings(c.data["Lambda"], "Lambda") * rq.q(1.001)
    assert not verify_linear(dict(c.data, Lambda=rq.to_strings(bigger))).ok
    # a worse network is still an exact upper bound, just a wider bracket
    W = rq.from_strings(c.data["W"], "W") * rq.q(1.01)
    worse = verify_linear(dict(c.data, W=rq.to_strings(W)))
    assert worse.ok and worse.upper > c.upper and not worse.global_optimum


@pytest.mark.parametrize("kwargs, match", [
    ({"X_tilde": np.full((3, 4), np.nan)}, "`X_tilde`"),
    ({"Y": np.ones((2, 5))}, "`Y`"),
    ({"lam1": 0.0}, "`lam1`"),
    ({"lam2": float("inf")}, "`lam2`"),
])
def test_bad_input_names_the_argument(kwargs, match):
    args = {"X_tilde": np.ones((3, 4)), "Y": np.ones((2, 4)), "lam1": 0.1, "lam2": 0.1}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        solve_linear(**args)


def test_cli_linear_hypercube_agrees_with_the_closed_form():
    out = subprocess.run([sys.executable, "-m", "numeric.cli", "solve", "--dY", "3", "--lam1", "0.05",
                          "--lam2", "0.05", "--activation", "linear", "--certify", "--json"],
                         capture_output=True, text=True, check=True)
    d = json.loads(out.stdout)
    assert d["certificate"]["global_optimum"] is True
    assert d["closed_form"]["claim"] == "A.odd"
    assert all(c["ok"] for c in d["checks"]) and any("A.odd" in c["name"] for c in d["checks"])
    assert d["ps"] == pytest.approx([1.0, 1.0, 1.0])


def test_other_activations_are_reported_as_not_covered():
    from numeric.solve import solve
    out = solve(dY=2, lam1=0.1, lam2=0.1, activation="relu2", certify=True)
    assert out["numeric"] is None and out["certificate"] is None
    assert any("ReLU and linear" in n for n in out["notes"])


def test_large_hypercube_without_newton_reaches_the_tolerance():
    # P = 256: the factors have 8 (257 + 8) > NEWTON_MAX_VARS entries, so the proximal iteration
    # alone must close the gap; A.odd's closed form must lie in the exact bracket
    from numeric.odd import closed_form
    from numeric.solver.linear import NEWTON_MAX_VARS
    from numeric.tasks import hypercube
    T = hypercube(8)
    assert 8 * (T.X_tilde().shape[0] + 8) > NEWTON_MAX_VARS
    sol = solve_linear(T.X_tilde(), T.Y, 0.05, 0.05)
    c = certify_linear(sol, T.X_tilde(), T.Y, 0.05, 0.05)
    assert sol.converged and c.global_optimum
    E = closed_form("linear", 8, 0.05, 0.05).energy
    assert float(rq.frac(c.lower)) * (1 - 1e-13) <= E <= float(rq.frac(c.upper)) * (1 + 1e-13)


def test_cli_linear_on_a_data_file(tmp_path):
    rng = np.random.default_rng(12)
    f = tmp_path / "task.npz"
    np.savez(f, X=rng.standard_normal((4, 10)), Y=np.sign(rng.standard_normal((2, 10))))
    out = subprocess.run([sys.executable, "-m", "numeric.cli", "solve", "--data", str(f), "--lam1", "0.05",
                          "--lam2", "0.05", "--activation", "linear", "--certify", "--json"],
                         capture_output=True, text=True, check=True)
    d = json.loads(out.stdout)
    assert d["closed_form"] is None and d["certificate"]["global_optimum"] is True
    # the certificate in the JSON re-verifies on its own
    again = verify_linear(d["certificate"]["witness"]["certificate"])
    assert again.ok and again.global_optimum and str(again.upper) == d["certificate"]["witness"]["upper"]
