"""Full-rank inputs with cond(K_X) ~ 3e7: the signed route's two float limits and their fixes.

* the certificate rounds the exact Q = K_X^-1 to more bits on ill-conditioned inputs
  (certificate.cost_round_bits): with a fixed 60 bits the subtracted rounding error ate the
  shrink's margin and the bracket stayed at ~2.7e-11;
* the solver confirms the signed pricing's violations by the quotient with the least-squares
  cost (pricing.accurate_quotients, relu.RESOLVE_SIGNED) and ends at the float noise floor,
  where its float bound takes the least accurate quotient as mu (relu.NOISE_FLOOR_MU).

Mutation checks run by hand, each failing a test here: cost_round_bits returning ROUND_BITS;
accurate_quotients computing the cost as h^T Q h; ``resolved`` keeping every candidate.
"""
from __future__ import annotations

import numpy as np
import pytest

from numeric.solver import build_certificate, certificate, make_problem, pricing, relu, ridge
from numeric.solver import rational as rq
from numeric.solver import solve_relu, verify_certificate


def _instance():
    """Six outputs, P = 6, rows of X scaled over 2.5 decades: cond(K_X) = 3.2e7."""
    r = np.random.default_rng(4)
    X = r.standard_normal((5, 6)) * np.logspace(0, -2.5, 5)[:, None]
    return make_problem(X, np.sign(r.standard_normal((6, 6))), 0.05, 0.05)


@pytest.fixture(scope="module")
def solved():
    prob = _instance()
    assert prob.mode == "signed" and prob.input_cond() > 1e7
    return prob, solve_relu(prob)


def _exact_quotient(lam1, Xt: np.ndarray, Phi: np.ndarray, Y: np.ndarray, h: np.ndarray):
    """lam1 - |Lam relu(h)|^2 / h^T K_X^-1 h with lam2 = 1 and Lam = Y (1 + Phi^T Phi)^-1, in
    rationals from the defining formulas (every float read as the rational it is)."""
    Xq, Pq, Yq, hq = rq.mat(Xt), rq.mat(Phi), rq.mat(Y), rq.mat(h[None, :])
    P = Xq.ncols()
    Lam = Yq * (rq.eye(P) + Pq.transpose() * Pq).inv()
    cost = (hq * (Xq.transpose() * Xq).inv() * hq.transpose())[0, 0]
    fire = rq.relu(hq).transpose()
    return float(rq.frac(rq.q(lam1) - rq.sqnorm(Lam * fire) / cost))


def test_accurate_quotients_match_the_exact_quotient(solved):
    """At the solver's point, the signed search's candidates: the least-squares quotient agrees
    with the exact one to 1e-12 lam1, where the search's own float quotient (through C = K_X^-1)
    is off by more than 1e-11 lam1 on at least one of them."""
    prob, sol = solved
    lam1 = prob.lam1 * prob.lam2
    Phi = np.maximum(sol.W / np.sqrt(prob.lam2) @ prob.X_tilde, 0)
    Lam = ridge.fit(Phi, prob.Y, 1.0)[1]
    C = prob.cost_matrix()
    hs = pricing.signed_search(lam1, 1.0, C, Lam.T @ Lam).candidates
    hs = hs + [np.where(np.arange(prob.P) % 2 == 0, 1.0, -0.5)]     # (one non-tight pattern)
    acc = pricing.accurate_quotients(lam1, 1.0, prob.X_tilde, Lam, hs)
    exact = np.array([_exact_quotient(lam1, prob.X_tilde, Phi, prob.Y, h) for h in hs])
    fl = np.array([(lam1 * h @ C @ h - np.maximum(h, 0) @ Lam.T @ Lam @ np.maximum(h, 0)) / (h @ C @ h)
                   for h in hs])
    assert np.max(np.abs(acc - exact)) <= 1e-12 * lam1
    assert np.max(np.abs(fl - exact)) > 1e-11 * lam1
    assert exact[-1] > 0.1 * lam1          # the non-tight pattern is far from the cone's edge


def test_cost_rounding_bits_follow_the_conditioning(solved, monkeypatch):
    """ROUND_BITS on well-conditioned Q; ROUND_MARGIN_BITS + log2(P cond) beyond. On the
    ill-conditioned instance the certificate closes within 1e-12 (and re-verifies); with the
    fixed 60 bits the same solution's bracket is above the tolerance."""
    prob, sol = solved
    assert certificate.cost_round_bits(np.eye(6)) == certificate.ROUND_BITS
    bits = certificate.cost_round_bits(prob.Q)
    assert bits >= certificate.ROUND_MARGIN_BITS + np.log2(prob.P * prob.input_cond())
    cert = build_certificate(sol)
    rep = verify_certificate(cert)
    assert cert["cost_bound"]["kind"] == "signed"
    assert rep.ok and rep.global_optimum and rep.rel_gap <= 1e-13
    # the certified delta is below the 2^-44 shrink's margin on the smallest cost direction
    lam_min = float(np.min(np.linalg.eigvalsh(prob.Q)))
    assert float(rq.frac(rq.q(cert["cost_bound"]["delta"]))) <= 2.0 ** -46 * lam_min
    monkeypatch.setattr(certificate, "cost_round_bits", lambda Qf: certificate.ROUND_BITS)
    fixed = verify_certificate(build_certificate(sol))
    assert fixed.ok and not fixed.global_optimum and fixed.rel_gap > 1e-12


def test_the_solve_ends_at_the_noise_floor(solved, monkeypatch):
    """The last round is exhaustive, and the violations a float search at the returned point
    reports (~1e-10 lam1) vanish in the accurate quotient (below 1e-12 lam1); the peer (every float violation a column) needs more rounds to stop.
    Both points certify. The float bound scaled by the accurate quotients (relu.NOISE_FLOOR_MU)
    reads converged, within the certified bracket's order; scaled by the float mu it does not."""
    prob, sol = solved
    assert sol.log[-1]["exhaustive"] and sol.stop_reason == "gap"
    assert sol.converged and sol.rel_gap <= 1e-13
    monkeypatch.setattr(relu, "NOISE_FLOOR_MU", "float")
    noisy = solve_relu(prob)
    assert noisy.stop_reason == "noise floor" and not noisy.converged and noisy.rel_gap > 1e-12
    assert noisy.iterations == sol.iterations and noisy.energy == sol.energy
    monkeypatch.setattr(relu, "NOISE_FLOOR_MU", "accurate")
    lam1 = prob.lam1 * prob.lam2
    Phi = np.maximum(sol.W / np.sqrt(prob.lam2) @ prob.X_tilde, 0)
    Lam = ridge.fit(Phi, prob.Y, 1.0)[1]
    found = pricing.signed_search(lam1, 1.0, prob.cost_matrix(), Lam.T @ Lam)
    assert found.exhaustive and found.mu < -1e-11 * lam1          # float: "violated"
    acc = pricing.accurate_quotients(lam1, 1.0, prob.X_tilde, Lam, found.candidates)
    assert np.all(acc >= -1e-12 * lam1)                                   # accurately: not
    monkeypatch.setattr(relu, "RESOLVE_SIGNED", False)
    peer = solve_relu(prob)
    assert sol.iterations < peer.iterations and peer.stop_reason == "stalled"
    for s in (sol, peer):
        rep = verify_certificate(build_certificate(s))
        assert rep.ok and rep.global_optimum


def test_accurate_quotients_refuse_nothing_silently():
    """A zero pattern has no cost: its quotient is +inf (never a violation), not a NaN."""
    X = np.eye(3)
    q = pricing.accurate_quotients(1.0, 1.0, X, np.ones((1, 3)), [np.zeros(3), np.array([1.0, 0, 0])])
    assert q[0] == np.inf and np.isclose(q[1], 0.0)


def test_dense_answer_reports_the_float_gap_but_passes_on_the_certificate(monkeypatch):
    """`emergence solve`'s dense answer: with the float bound scaled by the float mu (the noise of
    K_X^-1; relu.NOISE_FLOOR_MU = "float") the float gap of this instance is above 1e-12, so
    ``converged`` is false and said so; the check passes because the exact certificate closes.
    Without certification the same check fails. With the default the float gap reads converged."""
    from numeric.solver.api import dense_answer
    r = np.random.default_rng(4)
    X = r.standard_normal((5, 6)) * np.logspace(0, -2.5, 5)[:, None]
    Y = np.sign(r.standard_normal((6, 6)))
    default = dense_answer(X, Y, 0.05, 0.05, True, certify=False)
    assert default["numeric"]["converged"] is True and default["numeric"]["float_gap"] <= 1e-12
    assert all(c["ok"] for c in default["checks"])
    monkeypatch.setattr(relu, "NOISE_FLOOR_MU", "float")
    out = dense_answer(X, Y, 0.05, 0.05, True)
    assert out["numeric"]["converged"] is False and out["numeric"]["float_gap"] > 1e-12
    assert out["numeric"]["stop_reason"] == "noise floor"
    assert out["certificate"]["global_optimum"] is True
    conv = [c for c in out["checks"] if c["name"].startswith("solver converged")]
    assert len(conv) == 1 and conv[0]["ok"] and "certificate closes" in conv[0]["detail"]
    assert all(c["ok"] for c in out["checks"])
    bare = dense_answer(X, Y, 0.05, 0.05, True, certify=False)
    assert not [c for c in bare["checks"] if c["name"].startswith("solver converged")][0]["ok"]


def test_very_ill_conditioned_inputs_polish_in_weight_space(monkeypatch):
    """Three outputs, P = 8, rows of X scaled over 4 decades: cond(K_X) = 1.6e11. With the atoms
    polished in input-weight space beyond relu.SIGNED_WEIGHT_POLISH_COND the signed route
    certifies; held to the pattern-space box polish (cost K_X^-1) the same solve runs its 60
    rounds and no shrink of its dual point passes the exact check."""
    r = np.random.default_rng(1)
    X = r.standard_normal((7, 8)) * np.logspace(0, -4, 7)[:, None]
    prob = make_problem(X, np.sign(r.standard_normal((3, 8))), 0.05, 0.05)
    assert prob.mode == "signed" and prob.input_cond() > 1e11
    sol = solve_relu(prob)
    cert = build_certificate(sol)
    rep = verify_certificate(cert)
    assert cert["cost_bound"]["kind"] == "signed" and rep.ok and rep.global_optimum
    monkeypatch.setattr(relu, "SIGNED_WEIGHT_POLISH_COND", float("inf"))
    box = solve_relu(prob)
    assert not box.converged and box.energy > sol.energy
    with pytest.raises(certificate.CertificateError, match="no shrink"):
        certificate.build_without_fans(box)


def test_stop_reasons_name_why_the_solve_ended(monkeypatch):
    """A well-conditioned instance ends on the gap; the same with one round allowed ends on the
    round limit; every reason is one of relu.STOP_REASONS."""
    r = np.random.default_rng(91)
    prob = make_problem(r.standard_normal((7, 8)), np.sign(r.standard_normal((6, 8))), 0.05, 0.05)
    sol = solve_relu(prob)
    assert sol.converged and sol.stop_reason == "gap"
    short = solve_relu(prob, max_iter=1)
    assert not short.converged and short.stop_reason == "round limit"
    assert {sol.stop_reason, short.stop_reason} <= set(relu.STOP_REASONS)
