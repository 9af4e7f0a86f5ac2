"""The binary64 filter of the exact cone check over signed supports
(numeric.solver.signed_filter): it may only skip blocks whose exact inverse has a positive entry,
its entries must be correctly rounded, the check's verdict must not change with it, and it must
decide almost every block of a real certificate.

Mutation checks run by hand: testing R_ij > 0 without the 2 delta c_j margin, a margin of
delta c_j / 2 instead, or skipping every block fails a test here. Two changes fail none:
accepting delta up to 1 (the entry test already implies delta < 1/2, since R_ij <= c_j), and
dropping the |R||B~| term of the residual bound (it covers the rounding of fl(R B~); on every
stack tried the computed residual already exceeded it). That term stays, as the proof needs it.
The screened search: not flagging a witness block, or flagging by det > 0 instead of < 0, fails
a test; dropping the sign match of the containment test only flags more blocks (same answers,
more eigenproblems) and fails none."""
from __future__ import annotations

from fractions import Fraction

import flint
import numpy as np
import pytest

from numeric.solver import copositive, make_problem, solve_relu
from numeric.solver import certificate as cm
from numeric.solver import rational as rq
from numeric.solver import signed_filter as sf


def _exact_inverse_has_positive_entry(B: np.ndarray) -> bool | None:
    """The exact answer for the float matrix B taken as the rationals it holds (None: singular)."""
    k = len(B)
    M = flint.fmpq_mat(k, k, [rq.q(float(v)) for v in B.ravel()])
    if M.det() == 0:
        return None
    return any(e > 0 for e in M.inv().entries())


def _near_witness_stack(rng, k: int, n: int) -> np.ndarray:
    """Inverses of matrices N that are <= 0 entrywise except for one entry pushed to relative
    heights -1e-3 .. +1e-3 (log-uniform, both signs) of its row: the witness boundary."""
    out = np.empty((n, k, k))
    for a in range(n):
        N = -np.abs(rng.standard_normal((k, k))) - 0.05
        N = (N + N.T) / 2
        i, j = rng.integers(k, size=2)
        t = 10.0 ** rng.uniform(-18, -3) * rng.choice([-1.0, 1.0]) * np.abs(N[i]).max()
        N[i, j] = N[j, i] = t
        if a % 2:                  # badly scaled (cond up to ~1e12): float inverses err visibly
            d = 10.0 ** rng.uniform(-3, 3, k)
            N = d[:, None] * N * d[None, :]
        out[a] = np.linalg.inv(N)
    return out


@pytest.mark.parametrize("k", [2, 3, 5, 8])
def test_the_filter_only_skips_blocks_whose_exact_inverse_has_a_positive_entry(k):
    rng = np.random.default_rng(70 + k)
    near = _near_witness_stack(rng, k, 400)
    generic = rng.standard_normal((120, k, k))
    generic = (generic + generic.transpose(0, 2, 1)) / 2
    B = np.concatenate([near, generic])
    ok = sf.no_witness(B)
    truth = [_exact_inverse_has_positive_entry(b) for b in B]
    assert all(t is True for t, o in zip(truth, ok) if o)
    witnesses = [t is False for t in truth]
    assert any(witnesses) and not ok[witnesses].any()
    # not vacuous: the generic blocks whose inverse has a positive entry (well conditioned) are
    # proved, and so is part of the boundary
    positive = np.array([t is True for t in truth[400:]])
    assert ok[400:][positive].mean() > 0.95 and ok[:400].any()


def test_singular_and_non_finite_blocks_are_declined():
    B = np.stack([np.ones((3, 3)), np.eye(3), np.diag([1.0, np.inf, 1.0]), np.diag([1.0, np.nan, 1.0])])
    assert sf.no_witness(B).tolist() == [False, True, False, False]


def test_entries_are_correctly_rounded():
    rng = np.random.default_rng(3)
    vals = [Fraction(int(p), int(q)) for p, q in zip(rng.integers(-10 ** 18, 10 ** 18, 50),
                                                     rng.integers(1, 10 ** 18, 50))]
    vals += [Fraction(1, 3) * Fraction(2) ** -1070, Fraction(10 ** 400), -Fraction(10 ** 400)]
    M = flint.fmpq_mat(1, len(vals), [flint.fmpq(v.numerator, v.denominator) for v in vals])
    got = sf.entry_floats(M)[0]
    expect = [float(v) if abs(v) < 10 ** 300 else (np.inf if v > 0 else -np.inf) for v in vals]
    assert got.tolist() == expect


def _random_dual(rng, P: int, dY: int):
    G = rng.standard_normal((P, P))
    C = rq.mat(np.round(G @ G.T / P + 0.3 * np.eye(P), 6))
    Lam = rq.mat(np.round(rng.standard_normal((dY, P)) * 0.3, 6))
    return C, Lam


@pytest.mark.parametrize("P,dY", [(6, 2), (7, 6), (8, 3)])
def test_the_signed_check_gives_the_same_verdict_with_and_without_the_filter(P, dY, monkeypatch):
    """Across the feasibility boundary (alpha from far below to far above the smallest feasible
    one) the filtered and the all-rational checks agree, and every rejection carries an exact
    witness."""
    rng = np.random.default_rng(10 * P + dY)
    C, Lam = _random_dual(rng, P, dY)
    verdicts = []
    for a in ("1/50", "1/10", "1/4", "1/2", "1", "2", "5"):
        alpha = rq.q(a)
        out = {}
        for exact in ("1", "0"):
            monkeypatch.setenv("EMERGENCE_EXACT_CONES", exact)
            out[exact] = copositive.signed(alpha, C, Lam, max_p=P)
        assert out["1"].ok == out["0"].ok
        for r in out.values():
            assert r.ok or r.value < 0
        if out["0"].ok:
            assert out["0"].exact < out["0"].checked == out["1"].exact == 3 ** P - 2 ** P
        verdicts.append(out["0"].ok)
    assert not verdicts[0] and verdicts[-1]


def test_six_outputs_certified_with_almost_every_block_filtered(monkeypatch):
    """Six outputs, P = 8 (the signed supports are the route beyond five outputs): the filtered
    certificate agrees with the all-rational one, bracket for bracket, and re-verifies."""
    rng = np.random.default_rng(72)
    X = rng.standard_normal((7, 8))
    Y = np.sign(rng.standard_normal((6, 8)))
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05))
    monkeypatch.setenv("EMERGENCE_EXACT_CONES", "0")
    fast = cm.build(sol)
    assert fast["cost_bound"]["kind"] == "signed" and fast["summary"]["global_optimum"]
    assert "decided in rationals" in fast["summary"]["cone_method"]
    n_exact = int(fast["summary"]["cone_method"].split(", ")[-1].split()[0])
    assert n_exact < 0.02 * fast["summary"]["supports_checked"]
    assert cm.verify(fast).ok
    monkeypatch.setenv("EMERGENCE_EXACT_CONES", "1")
    slow = cm.build(sol)
    assert slow["bounds"] == fast["bounds"] and slow["dual"] == fast["dual"]


def test_the_bound_holds_for_an_adversarial_guess_of_the_inverse():
    """A witness block B (exact inverse N <= 0, one entry -1e-12) with the guess R = N except for
    that entry set to +1e-9: R B is then I up to ~1e-9 in one row, so a bound on |B^{-1} - R|
    that undercounts the series (a factor 1/2 instead of 2) would accept R's positive entry."""
    k = 4
    N = np.full((k, k), -0.01)
    np.fill_diagonal(N, -1.0)
    N[0, 1] = N[1, 0] = -1e-12
    M = flint.fmpq_mat(k, k, [rq.q(float(v)) for v in N.ravel()]).inv()
    B = np.array([[float(rq.frac(M[i, j])) for j in range(k)] for i in range(k)])
    Binv = flint.fmpq_mat(k, k, [rq.q(float(v)) for v in B.ravel()]).inv()
    assert all(e <= 0 for e in Binv.entries())                 # B is a witness block, exactly
    R = np.array([[float(rq.frac(Binv[i, j])) for j in range(k)] for i in range(k)])
    assert sf.proved(B[None], R[None]).tolist() == [False]     # the honest guess: no positive entry
    R[0, 1] = 1e-9
    assert sf.proved(B[None], R[None]).tolist() == [False]
    R[0, 1] = -1e-12
    R[2, 3] = 0.5                                              # a big positive entry, a big residual
    assert sf.proved(B[None], R[None]).tolist() == [False]


def test_six_outputs_beyond_the_old_limit_of_twelve_samples():
    """P = 13 (3^13 = 1.6 M signed supports; refused before the filter): solved with the
    early-stopping search, certified below the tolerance."""
    rng = np.random.default_rng(74)
    X = rng.standard_normal((12, 13))
    Y = np.sign(rng.standard_normal((6, 13)))
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05))
    assert sol.converged and sol.exhaustive
    cert = cm.build(sol)
    assert cert["cost_bound"]["kind"] == "signed" and cert["summary"]["global_optimum"]
    assert cert["summary"]["supports_checked"] == 3 ** 13 - 2 ** 13


def test_the_signed_search_stops_early_only_on_a_violation():
    from numeric.solver import pricing
    rng = np.random.default_rng(5)
    G = rng.standard_normal((8, 8))
    C = G @ G.T / 8 + 0.3 * np.eye(8)
    L = rng.standard_normal((6, 8))
    A = L.T @ L
    full = pricing.signed_search(0.05, 1.0, C, A)
    early = pricing.signed_search(0.05, 1.0, C, A, stop_below=-1e-3)
    assert full.exhaustive and full.mu < -1e-3
    assert not early.exhaustive and early.candidates and full.mu <= early.mu < -1e-3
    # no violation below the threshold: the search runs to the end and says so
    calm = pricing.signed_search(0.05, 1.0, C, A, stop_below=10 * full.mu)
    assert calm.exhaustive and calm.mu == full.mu


@pytest.mark.parametrize("scale", [0.99, 1.0, 1.0001, 1.05])
def test_the_screened_search_finds_what_the_dense_search_finds(scale):
    """Around a solved dual point (six outputs, P = 8: feasible below, violated above), the
    search that solves eigenproblems only on blocks flagged non-copositive returns the same
    minimum and the same candidate patterns as the search over every block. At the point itself
    the minimum is at the noise level (~1e-14 alpha), where either search may list a pattern the
    other does not; no caller treats such a quotient as a violation."""
    from numeric.solver import pricing
    rng = np.random.default_rng(72)
    X = rng.standard_normal((7, 8))
    Y = np.sign(rng.standard_normal((6, 8)))
    prob = make_problem(X, Y, 0.05, 0.05)
    sol = solve_relu(prob)
    A = scale * np.asarray(sol.Lambda).T @ np.asarray(sol.Lambda)
    alpha, C = prob.lam1 * prob.lam2, prob.cost_matrix()
    dense = pricing.signed_search(alpha, 1.0, C, A, screen=False)
    fast = pricing.signed_search(alpha, 1.0, C, A)
    assert fast.exhaustive and dense.exhaustive
    if scale < 1:
        assert dense.mu > 0 and fast.mu == 0 and not fast.candidates and not dense.candidates
    elif scale == 1:
        assert abs(fast.mu - dense.mu) <= 1e-12 * alpha and abs(dense.mu) <= 1e-12 * alpha
    else:
        assert dense.mu < -1e-6 * alpha and fast.mu == dense.mu
        assert len(fast.candidates) == len(dense.candidates) > 0
        for a, b in zip(fast.candidates, dense.candidates):
            assert np.array_equal(a, b)
