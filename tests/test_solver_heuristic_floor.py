"""The signed route takes a violation from the heuristic or the warm flags as a column only when
it is not tiny against the gap known so far (``relu.HEURISTIC_MIN_REL``,
``relu.HEURISTIC_GAP_FRACTION``): otherwise the walk decides the round.

Instances: P = 10, rows of X scaled over 3.75 .. 4.5 decades (cond(K_X) 2.8e5 .. 9.1e5), with
the weight-space polish forced (``relu.SIGNED_WEIGHT_POLISH_COND = 0``), where the crawl was
found. Taking every heuristic violation (three outputs, cond 9.1e5), 35 rounds took columns of
1e-9 .. 5e-8 lam1 while the most violated signed support stood at -2.75e-2 lam1, and the round
limit came 7e-4 above the optimum (benchmarks/solver/heuristic_floor.py). The mutation
``HEURISTIC_MIN_REL = None`` fails the first test, the walk's stop at -VIOLATION_REL lam1 the
second; the third shows the crawl itself, so that the first cannot pass for another reason.
"""
from __future__ import annotations

import numpy as np
import pytest

from numeric.solver import build_certificate, make_problem, pricing, relu, simplices, solve_relu
from numeric.solver import verify_certificate


def _problem(dY: int = 3, seed: int = 502, decades: float = 4.5):
    """benchmarks/solver/signed_conditioning.py's instance i = seed - 500 with dY outputs."""
    r = np.random.default_rng(seed)
    X = r.standard_normal((9, 10)) * np.logspace(0, -decades / 2, 9)[:, None]
    return make_problem(X, np.sign(r.standard_normal((dY, 10))), 0.05, 0.05)


@pytest.fixture
def forced_weight_polish(monkeypatch):
    """The signed supports for three outputs at this conditioning, polished in weight space."""
    monkeypatch.setattr(simplices, "SMALL_DY_SIGNED_P", {2: 16, 3: 16, 4: 16})
    monkeypatch.setattr(simplices, "SIGNED_MAX_COND", float("inf"))
    monkeypatch.setattr(relu, "SIGNED_WEIGHT_POLISH_COND", 0.0)
    return monkeypatch


def _certifies_within(prob, rounds: int) -> None:
    """The solve stops on its own within ``rounds`` rounds and its certificate closes (<= 1e-12)."""
    sol = solve_relu(prob, max_iter=rounds)
    assert sol.stop_reason in ("gap", "noise floor"), sol.stop_reason
    rep = verify_certificate(build_certificate(sol))
    assert rep.ok and rep.global_optimum and rep.rel_gap <= 1e-12, rep.rel_gap


def test_small_heuristic_violations_go_to_the_search(forced_weight_polish):
    prob = _problem()
    assert prob.mode == "signed" and 5e5 < prob.input_cond() < 2e6
    _certifies_within(prob, 35)


def test_small_warm_violations_go_to_the_walk(forced_weight_polish):
    """Six outputs, cond(K_X) = 2.8e5: here the crawl came from the warm flags (re-priced blocks
    of an earlier walk showing violations of ~3e-8 lam1 against -5.6e-2 elsewhere); with the
    walk's stop at -tau lam1 too the solve certifies within 30 rounds (25 measured). The mutation
    ``stop_below=-VIOLATION_REL * lam1`` in the signed search's call reaches the round limit."""
    prob = _problem(6, 501, 3.75)
    assert prob.mode == "signed" and 2e5 < prob.input_cond() < 4e5
    _certifies_within(prob, 30)


def test_taking_every_heuristic_violation_crawls(forced_weight_polish):
    """The peer: no round's pricing is exhaustive, and at the round limit the most violated
    signed support is still below -1e-3 lam1 (-2.75e-2 measured)."""
    forced_weight_polish.setattr(relu, "HEURISTIC_MIN_REL", None)
    prob = _problem()
    sol = solve_relu(prob, max_iter=35)
    assert sol.stop_reason == "round limit"
    assert not any(r["exhaustive"] for r in sol.log)
    # the dual point of the last round, priced in full
    lam1 = prob.lam1 * prob.lam2
    Phi = np.maximum(sol.W / np.sqrt(prob.lam2) @ prob.X_tilde, 0)
    A = np.linalg.solve(np.eye(prob.P) + Phi.T @ Phi, prob.KY)
    A = np.linalg.solve(np.eye(prob.P) + Phi.T @ Phi, A.T)
    full = pricing.signed_search(lam1, 1.0, prob.cost_matrix(), A)
    assert full.exhaustive and full.mu < -1e-3 * lam1, full.mu / lam1
