"""The solver's stall rule at the float floor (relu.FLOOR_STALL_ROUNDS): once an exhaustive round
has the float gap within CONVERGED_GAP, two rounds without halving it end the solve (four
before). Mutation check run by hand: the floor condition dropped (always STALL_ROUNDS) fails the
test."""
from __future__ import annotations

import numpy as np

from numeric.solver import build_certificate, make_problem, relu, solve_relu, verify_certificate


def test_floor_rounds_end_sooner_with_the_same_certified_optimum(monkeypatch):
    """Six outputs, P = 10, cond(K_X) = 1.2e6 (the signed_conditioning benchmark's seed 506):
    the gap sits at ~4e-13 between the 1e-13 target and the 1e-12 acceptance. The short rule
    stops sooner; both solves converge and their exact brackets overlap. (With the violations
    confirmed by their accurate quotients, relu.RESOLVE_SIGNED, this instance converges at
    7.2e-14 and the signed route ends at the noise floor before the rule matters; the rule is
    checked on the peer that takes every float violation as a column, and it still serves the
    fans, cells and faces.)"""
    monkeypatch.setattr(relu, "RESOLVE_SIGNED", False)
    r = np.random.default_rng(506)
    X = r.standard_normal((9, 10)) * np.logspace(0, -(3 + 6 % 4 * 0.75) / 2, 9)[:, None]
    Y = np.sign(r.standard_normal((6, 10)))
    prob = make_problem(X, Y, 0.05, 0.05)
    out = {}
    for rounds in (2, 4):
        monkeypatch.setattr(relu, "FLOOR_STALL_ROUNDS", rounds)
        sol = solve_relu(prob)
        rep = verify_certificate(build_certificate(sol))
        assert sol.converged and rep.ok and rep.global_optimum
        assert sol.log[-1]["exhaustive"] and sol.log[-1]["rel_gap"] > relu.tol.SOLVER_GAP_TOL
        out[rounds] = (sol.iterations, rep)
    (n2, a), (n4, b) = out[2], out[4]
    assert n2 < n4
    assert max(a.lower, b.lower) <= min(a.upper, b.upper)
