"""The signed supports' block minima in the weight-space form (numeric.solver.accurate_blocks).

* On a well-conditioned instance q(J, s) equals the block's minimum of the defining quotient
  lam1 - |Lam relu(h)|^2 / h^T K_X^-1 h over the open face, computed apart at 50 digits (mpmath:
  the generalised eigenproblem of the block with the exact K_X^-1) -- on every signed support.
* At cond(K_X) = 4.4e10 (six outputs, P = 10, rows of X over 8 decades), at the point where the
  solver without this pricing stopped (``relu.ACCURATE_FLAGGED = False``): its float walk's
  eight best patterns show no violation in the accurate quotient, the flagged blocks priced here
  show one below -1e-10 lam1, and that pattern's quotient in exact rationals (cost h^T K_X^-1 h
  from the exact inverse) confirms it. With the default the solve certifies within 1e-12.
Mutations checked by hand: skipping the flagged minima in relu's noise-floor branch fails the
last assertion (the certificate closes at 2.0e-10); dropping the sign flip of the top singular
vector in ``block_minima`` fails the first test.
"""
from __future__ import annotations

import itertools

import mpmath
import numpy as np
import pytest

from numeric.solver import accurate_blocks, build_certificate, make_problem, pricing, relu, ridge
from numeric.solver import rational as rq
from numeric.solver import simplices, solve_relu, verify_certificate


def _exact_block_min(lam1, Xt, Lam, J, s):
    """min over the open face (J, s) of lam1 - |Lam_F h_F|^2 / h_J^T (K_X^-1)_JJ h_J, at 50
    digits: the least generalised eigenvalue of (lam1 C_JJ - D Lam^T Lam D, C_JJ), kept when its
    eigenvector has the signs s (None otherwise)."""
    with mpmath.workdps(50):
        K = mpmath.matrix(Xt.T.tolist()) * mpmath.matrix(Xt.tolist())
        C = K ** -1
        k = len(J)
        CJ = mpmath.matrix(k, k)
        AJ = mpmath.matrix(k, k)
        L = mpmath.matrix(Lam.tolist())
        for a in range(k):
            for b in range(k):
                CJ[a, b] = C[J[a], J[b]]
                if s[a] > 0 and s[b] > 0:
                    AJ[a, b] = sum(L[i, J[a]] * L[i, J[b]] for i in range(L.rows))
        R = mpmath.cholesky(CJ)
        Ri = R ** -1
        M = Ri * (lam1 * CJ - AJ) * Ri.T
        M = (M + M.T) / 2
        ev, V = mpmath.eigsy(M)
        j = min(range(k), key=lambda t: ev[t])
        x = Ri.T * V[:, j]
        x = [float(v) for v in x]
        sg = np.sign(x) * s
        if np.all(sg > 0) or np.all(sg < 0):
            return float(ev[j])
        return None


def test_block_minima_match_the_defining_quotient():
    r = np.random.default_rng(3)
    P = 5
    Xt = np.vstack([r.standard_normal((P - 1, P)), np.ones((1, P))])
    Lam = 0.6 * r.standard_normal((2, P))
    lam1 = 0.05
    checked = 0
    for k in range(1, P + 1):
        for J in itertools.combinations(range(P), k):
            for sg in itertools.product([1.0, -1.0], repeat=k):
                s = np.array(sg)
                if not np.any(s > 0):
                    continue
                q, hs = accurate_blocks.block_minima(lam1, Xt, Lam, np.array([J]), s)
                exact = _exact_block_min(lam1, Xt, Lam, list(J), s)
                if exact is None:
                    assert not np.isfinite(q[0]), (J, sg)
                else:
                    assert abs(q[0] - exact) <= 1e-12 * max(1.0, abs(exact)), (J, sg, q[0], exact)
                    h = hs[0]
                    assert np.all(h[list(J)] * s > 0) and np.all(np.delete(h, list(J)) == 0)
                    checked += 1
    assert checked > 20


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
