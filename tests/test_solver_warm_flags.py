"""Warm pricing on the signed supports: a round whose heuristic finds nothing first re-prices the
blocks the last tree walk flagged (``pricing.signed_search``'s ``warm``, ``relu.WARM_FLAGS``).

Mutation checks run by hand (each fails a test here): warm violations returned whatever their
quotient (no ``< stop_below``); the eigenvector's sign check in ``flagged_quotients`` dropped;
``relu`` not handing the flags on (``warm_flags`` never set)."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg

from numeric.solver import make_problem, pricing, relu, solve_relu


def _pair(rng, P, scale):
    G = rng.standard_normal((P, P))
    C = G @ G.T / P + 0.3 * np.eye(P)
    H = rng.standard_normal((4, P))
    return C, scale * H.T @ H / 4


def _V(h, lam1, lam2, C, A):
    """The first variation from its definition: lam1 h^T C h - lam2 relu(h)^T A relu(h)."""
    p = np.maximum(h, 0.0)
    return lam1 * h @ C @ h - lam2 * p @ A @ p


def _bits(idx):
    return int(sum(1 << int(i) for i in idx))


def test_flagged_quotients_solve_the_defining_problem_on_each_signed_support():
    """For signed supports given as bit masks: the returned pattern lives on the support with the
    support's signs, its quotient V(h) / h^T C h (from the definition) is the returned value, and
    no sampled h with that support and those signs does better; supports whose lowest
    eigenvector has the wrong signs get inf."""
    rng = np.random.default_rng(3)
    P = 7
    C, A = _pair(rng, P, 1.3)
    lam1, lam2 = 0.7, 1.0
    Jb, pb, sups = [], [], []
    for _ in range(40):
        k = int(rng.integers(1, P + 1))
        J = np.sort(rng.choice(P, k, replace=False))
        s = np.where(rng.random(k) < 0.6, 1.0, -1.0)
        Jb.append(_bits(J))
        pb.append(_bits(J[s > 0]))
        sups.append((J, s))
    q, hs = pricing.flagged_quotients(lam1, lam2, C, A, np.array(Jb), np.array(pb))
    finite = 0
    for (J, s), qq, h in zip(sups, q, hs):
        rest = np.setdiff1d(np.arange(P), J)
        samples = rng.random((4000, len(J))) * s + 1e-3 * s
        H = np.zeros((4000, P))
        H[:, J] = samples
        vals = np.array([_V(x, lam1, lam2, C, A) / (x @ C @ x) for x in H])
        if np.isfinite(qq):
            finite += 1
            assert np.all(h[rest] == 0) and np.all(h[J] * s > 0)
            assert _V(h, lam1, lam2, C, A) / (h @ C @ h) == pytest.approx(qq, rel=1e-9, abs=1e-12)
            assert vals.min() >= qq - 1e-9
        else:
            # no critical point on the open face: scipy's generalised eigenvector of the
            # smallest eigenvalue (its own factorisation) does not have the signs s
            D = (s > 0).astype(float)
            B = lam1 * C[np.ix_(J, J)] - lam2 * A[np.ix_(J, J)] * np.outer(D, D)
            x = scipy.linalg.eigh(B, C[np.ix_(J, J)])[1][:, 0]
            assert not (np.all(x * s > 0) or np.all(-x * s > 0))
    assert 5 <= finite < len(sups)


def test_warm_flags_skip_the_walk_only_when_they_show_a_violation(monkeypatch):
    rng = np.random.default_rng(5)
    P = 9
    C, A = _pair(rng, P, 1.3)
    cold = pricing.signed_search(1.0, 1.0, C, A, stop_below=-1e-10)
    assert cold.flags is not None and len(cold.flags[0]) and cold.mu < -1e-3

    def no_walk(*a, **k):
        raise AssertionError("walked")

    with monkeypatch.context() as m:
        m.setattr(pricing, "walk_flags", no_walk)
        warm = pricing.signed_search(1.0, 1.0, C, A, stop_below=-1e-10, warm=cold.flags)
    assert not warm.exhaustive and warm.flags is cold.flags
    assert warm.mu < -1e-10 and len(warm.candidates)
    for h in warm.candidates:
        assert _V(h, 1.0, 1.0, C, A) < 0
    # flags that show no violation at a feasible point: the walk runs and decides, as without them
    Cf, Af = _pair(np.random.default_rng(5), P, 0.2)
    ref = pricing.signed_search(1.0, 1.0, Cf, Af, stop_below=-1e-10)
    got = pricing.signed_search(1.0, 1.0, Cf, Af, stop_below=-1e-10, warm=cold.flags)
    assert got.exhaustive and ref.exhaustive and got.mu == ref.mu == 0.0


def test_solves_with_and_without_warm_flags_reach_the_same_certified_optimum(monkeypatch):
    """Six outputs, P = 10: the same optimum (certified brackets overlap), fewer walks warm."""
    from numeric.solver import build_certificate, verify_certificate

    rng = np.random.default_rng(72)
    X = rng.standard_normal((9, 10))
    Y = np.sign(rng.standard_normal((6, 10)))
    out = {}
    inner = pricing.walk_flags
    for warm in (True, False):
        calls = [0]

        def counted(*a, **k):
            calls[0] += 1
            return inner(*a, **k)

        monkeypatch.setattr(pricing, "walk_flags", counted)
        monkeypatch.setattr(relu, "WARM_FLAGS", warm)
        sol = solve_relu(make_problem(X, Y, 0.05, 0.05))
        rep = verify_certificate(build_certificate(sol))
        assert sol.converged and rep.ok and rep.global_optimum
        out[warm] = (calls[0], rep)
    (nw, a), (nc, b) = out[True], out[False]
    assert max(a.lower, b.lower) <= min(a.upper, b.upper)
    assert nw < nc


def test_a_stale_warm_violation_cannot_stall_the_solve(monkeypatch):
    """Warm flags that always report a violation whose column is useless (a fixed random pattern
    offered with quotient -1): after a warm round that did not lower the energy the solver walks,
    so it still converges to the certified optimum."""
    from numeric.solver import build_certificate, verify_certificate

    rng = np.random.default_rng(72)
    X = rng.standard_normal((9, 10))
    Y = np.sign(rng.standard_normal((6, 10)))
    junk = np.abs(np.random.default_rng(1).standard_normal(10))
    offered = [0]

    def fake(lam1, lam2, C, A, Jb, pb):
        offered[0] += 1
        return np.array([-1.0]), [junk.copy()]

    monkeypatch.setattr(pricing, "flagged_quotients", fake)
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05))
    rep = verify_certificate(build_certificate(sol))
    assert offered[0] >= 1
    assert sol.converged and rep.ok and rep.global_optimum
