"""The signed supports' block minima in the weight-space form (numeric.solver.accurate_blocks).

* (q(J, s) against the block's minimum of the defining quotient at 50 digits, on every signed
  support of an ill-conditioned instance: the registry witness of ``L.solver.conditioning``,
  run by tests/test_registry.py.)
* At cond(K_X) = 4.4e10 (six outputs, P = 10, rows of X over 8 decades), at the point where the
  solver without this pricing stopped (``relu.ACCURATE_FLAGGED = False``): its float walk's
  eight best patterns show no violation in the accurate quotient, the flagged blocks priced here
  show one below -1e-10 lam1, and that pattern's quotient in exact rationals (cost h^T K_X^-1 h
  from the exact inverse) confirms it. With the default the solve certifies within 1e-12.
Mutations checked by hand: skipping the flagged minima in relu's noise-floor branch fails the
last assertion (the certificate closes at 2.0e-10); dropping the sign flip of the top singular
vector in ``block_minima`` fails the registry witness.
"""
from __future__ import annotations

import numpy as np
import pytest

from numeric.solver import accurate_blocks, build_certificate, make_problem, pricing, relu, ridge
from numeric.solver import rational as rq
from numeric.solver import simplices, solve_relu, verify_certificate


@pytest.fixture
def signed_route(monkeypatch):
    monkeypatch.setattr(simplices, "SMALL_DY_SIGNED_P", {2: 16, 3: 16, 4: 16})
    monkeypatch.setattr(simplices, "SIGNED_MAX_COND", float("inf"))
    return monkeypatch


def _problem():
    """benchmarks/solver/signed_conditioning.py's instance i = -1: seed 1, eight decades."""
    r = np.random.default_rng(1)
    X = r.standard_normal((9, 10)) * np.logspace(0, -4, 9)[:, None]
    return make_problem(X, np.sign(r.standard_normal((6, 10))), 0.05, 0.05)


def test_a_violation_the_float_walk_hid(signed_route):
    prob = _problem()
    assert prob.input_cond() > 1e10
    signed_route.setattr(relu, "ACCURATE_FLAGGED", False)
    sol = solve_relu(prob)
    lam1 = prob.lam1 * prob.lam2
    Phi = np.maximum(sol.W / np.sqrt(prob.lam2) @ prob.X_tilde, 0)
    Lam = ridge.fit(Phi, prob.Y, 1.0)[1]
    found = pricing.signed_search(lam1, 1.0, prob.cost_matrix(), Lam.T @ Lam)
    seen = pricing.accurate_quotients(lam1, 1.0, prob.X_tilde, Lam, found.candidates)
    assert np.all(seen >= -1e-12 * lam1)                   # the walk's best: no violation
    acc = accurate_blocks.flagged_minima(lam1, prob.X_tilde, Lam, found.flags)
    assert acc.mu < -1e-10 * lam1
    h = acc.candidates[0]
    Xq, Lq, hq = rq.mat(prob.X_tilde), rq.mat(Lam), rq.mat(h[None, :])
    cost = (hq * (Xq.transpose() * Xq).inv() * hq.transpose())[0, 0]
    exact = rq.q(lam1) - rq.sqnorm(Lq * rq.relu(hq).transpose()) / cost
    assert float(rq.frac(exact)) < -1e-10 * lam1           # exactly a violation
    signed_route.setattr(relu, "ACCURATE_FLAGGED", True)
    rep = verify_certificate(build_certificate(solve_relu(prob)))
    assert rep.ok and rep.global_optimum and rep.rel_gap <= 1e-12, rep.rel_gap
