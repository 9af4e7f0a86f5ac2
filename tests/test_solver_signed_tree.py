"""The signed supports walked as a tree (numeric.solver.signed_tree): the lemma it rests on, the
rigour of its two float proofs (positive definite, negative direction), and the same verdicts,
witnesses and certificates as the check by levels and the all-rational check.

Mutation checks run by hand (each fails a test here): R3 without the mixed-sign condition;
pruning the subtree of every block not proved positive definite; the shift c = 0; the bound of
negative_direction or of quadratic_negative divided by 100; the loose branch skipping the exact test of the blocks
the inverse filter leaves."""
from __future__ import annotations

import itertools

import flint
import numpy as np
import pytest

from numeric.solver import copositive, make_problem, pricing, solve_relu
from numeric.solver import certificate as cm
from numeric.solver import rational as rq
from numeric.solver import signed_tree as tree
from test_solver_signed_filter import _random_dual


def _exact(B: np.ndarray) -> flint.fmpq_mat:
    k = B.shape[0]
    return flint.fmpq_mat(k, k, [rq.q(float(v)) for v in B.ravel()])


def _copositive_float(B: np.ndarray) -> bool:
    """Bottom-up CHL in floats, for generic random matrices (no ties): B is copositive iff its
    principal blocks of order k - 1 are and B^{-1} is not <= 0."""
    k = len(B)
    if k == 1:
        return B[0, 0] >= 0
    if not all(_copositive_float(np.delete(np.delete(B, i, 0), i, 1)) for i in range(k)):
        return False
    return not np.all(np.linalg.inv(B) <= 0)


def _minimal_non_copositive(rng, k: int, n: int) -> list[np.ndarray]:
    """B = -N^{-1} with N >= 0 entrywise (so B^{-1} <= 0: not copositive), N = u u^T - D plus
    non-negative noise; kept when every block of order k - 1 is copositive (most are)."""
    out = []
    while len(out) < n:
        u = rng.uniform(0.5, 1.5, k)
        N = np.outer(u, u) - np.diag(rng.uniform(0.05, 0.95, k) * u * u)
        N = N + 0.1 * np.abs(rng.standard_normal((k, k)))
        B = -np.linalg.inv((N + N.T) / 2)
        B = (B + B.T) / 2
        subs = [np.delete(np.delete(B, i, 0), i, 1) for i in range(k)]
        if all(_copositive_float(S) for S in subs) and not _copositive_float(B):
            out.append(B)
    return out


@pytest.mark.parametrize("k", [2, 3, 4, 5, 6])
def test_lemma_b_on_minimal_non_copositive_matrices(k):
    """Lemma B: every proper principal block is PSD, and the negative eigenvector (hence every
    negative direction tried) has entries of one strict sign. Also Lemma A's one negative
    eigenvalue and B^{-1} <= 0."""
    rng = np.random.default_rng(40 + k)
    for B in _minimal_non_copositive(rng, k, 60):
        w, V = np.linalg.eigh(B)
        assert w[0] < 0 <= w[1] and np.all(np.linalg.inv(B) <= 0)
        v = V[:, 0]
        assert np.all(v > 0) or np.all(v < 0)
        for m in range(1, k):
            for J in itertools.combinations(range(k), m):
                assert np.linalg.eigvalsh(B[np.ix_(J, J)])[0] >= -1e-12
        for _ in range(20):                 # random negative directions: one strict sign too
            y = v + 0.3 * rng.standard_normal(k) * abs(v).min()
            if y @ B @ y < 0:
                assert np.all(y > 0) or np.all(y < 0)


def _near_psd_boundary(rng, k: int, n: int) -> np.ndarray:
    """Symmetric floats whose smallest eigenvalue is +-10^-e of the largest (e = 6 .. 18), some
    badly scaled."""
    out = np.empty((n, k, k))
    for a in range(n):
        Q, _ = np.linalg.qr(rng.standard_normal((k, k)))
        lam = rng.uniform(0.5, 2.0, k)
        lam[0] = rng.choice([-1.0, 1.0]) * 10.0 ** rng.uniform(-18, -6)
        B = (Q * lam) @ Q.T
        if a % 3 == 0:
            d = 10.0 ** rng.uniform(-2, 2, k)
            B = d[:, None] * B * d[None, :]
        out[a] = (B + B.T) / 2
    return out


def _exactly_positive_definite(B: np.ndarray) -> bool:
    M = _exact(B)
    k = B.shape[0]
    return all(flint.fmpq_mat(m, m, [M[i, j] for i in range(m) for j in range(m)]).det() > 0
               for m in range(1, k + 1))


@pytest.mark.parametrize("k", [2, 4, 7, 10])
def test_positive_definite_proofs_are_sound_and_not_vacuous(k):
    rng = np.random.default_rng(k)
    B = _near_psd_boundary(rng, k, 150)
    ok = np.array([tree.positive_definite(b[None], tree.shift(b, b))[0] for b in B])
    for b, o in zip(B, ok):
        if o:
            assert _exactly_positive_definite(b)
    assert ok.any() and not ok.all()
    generic = rng.standard_normal((40, k, k))
    generic = generic @ generic.transpose(0, 2, 1) + 0.1 * np.eye(k)
    assert all(tree.positive_definite(g[None], tree.shift(g, g))[0] for g in generic)


@pytest.mark.parametrize("k", [2, 5, 9, 16])
def test_negative_directions_are_sound_and_not_vacuous(k):
    """y^T B y set to eps |y|^4 by a rank-one change of B, eps = +-10^-e (e = 14 .. 19 for most,
    so that the rounding of B and of the evaluation decides the sign; 4 .. 8 for the rest),
    entries of B and y over four orders of magnitude: a proof must hold for the exact rationals
    the floats hold. (The realised error is ~0.1 of the bound; a bound 100x smaller fails here.)"""
    rng = np.random.default_rng(100 + k)
    Bs, ys = [], []
    for a in range(500):
        G = rng.standard_normal((k, k)) * 10.0 ** rng.uniform(-1, 1, (k, k))
        B = (G + G.T) / 2
        y = rng.standard_normal(k) * 10.0 ** rng.uniform(-1, 1, k)
        e = rng.uniform(14, 19) if a % 5 else rng.uniform(4, 8)
        eps = rng.choice([-1.0, 1.0]) * 10.0 ** -e
        n2 = y @ y
        B = B - ((y @ B @ y) - eps * n2 * n2) * np.outer(y, y) / (n2 * n2)
        Bs.append((B + B.T) / 2)
        ys.append(y)
    Bs, ys = np.array(Bs), np.array(ys)
    ok = tree.negative_direction(Bs, ys)
    truth = []
    for B, y in zip(Bs, ys):
        yv = flint.fmpq_mat(k, 1, [rq.q(float(v)) for v in y])
        truth.append((yv.transpose() * _exact(B) * yv)[0, 0] < 0)
    truth = np.array(truth)
    assert not (ok & ~truth).any()
    assert ok.sum() > 0.15 * truth.sum()


@pytest.mark.parametrize("k", [1, 4, 8, 15])
def test_bordered_negative_directions_are_sound_and_not_vacuous(k):
    """The walk's form of the same proof: y = (-x, 1) against B = [[B_p, b], [b^T, beta]],
    evaluated as x^T B_p x - 2 x.b + beta, several children (columns) per parent."""
    rng = np.random.default_rng(200 + k)
    n, m = 60, 6
    Bp = np.empty((n, k, k))
    X = np.empty((n, k, m))
    b = np.empty((n, k, m))
    beta = np.empty((n, m))
    for a in range(n):
        G = rng.standard_normal((k, k)) * 10.0 ** rng.uniform(-1, 1, (k, k))
        Bp[a] = (G + G.T) / 2
        X[a] = rng.standard_normal((k, m)) * 10.0 ** rng.uniform(-1, 1, (k, 1))
        b[a] = rng.standard_normal((k, m))
        for q in range(m):
            x = X[a, :, q]
            e = rng.uniform(14, 19) if (a + q) % 5 else rng.uniform(4, 8)
            eps = rng.choice([-1.0, 1.0]) * 10.0 ** -e
            y2 = x @ x + 1
            beta[a, q] = -(x @ Bp[a] @ x - 2 * x @ b[a, :, q]) + eps * y2 * y2
    ok = np.zeros((n, m), dtype=bool)
    for q in range(m):           # beta is per column for the whole batch: one column at a time
        ok[:, q] = [tree.quadratic_negative(Bp[a:a + 1], X[a:a + 1, :, q:q + 1], b[a:a + 1, :, q:q + 1],
                                            beta[a, q:q + 1])[0, 0] for a in range(n)]
    truth = np.zeros((n, m), dtype=bool)
    for a in range(n):
        for q in range(m):
            B = np.zeros((k + 1, k + 1))
            B[:k, :k], B[:k, k], B[k, :k], B[k, k] = Bp[a], b[a, :, q], b[a, :, q], beta[a, q]
            y = np.append(-X[a, :, q], 1.0)
            yv = flint.fmpq_mat(k + 1, 1, [rq.q(float(v)) for v in y])
            truth[a, q] = (yv.transpose() * _exact(B) * yv)[0, 0] < 0
    assert not (ok & ~truth).any()
    assert ok.sum() > 0.15 * truth.sum()


def test_non_finite_blocks_prove_nothing():
    B = np.stack([np.diag([1.0, np.nan]), np.diag([1.0, np.inf]), np.diag([-np.inf, 1.0])])
    y = np.ones((3, 2))
    assert not tree.negative_direction(B, y).any()
    assert not tree.positive_definite(B, 1e-12).any()


@pytest.mark.parametrize("P,dY", [(6, 2), (7, 6), (8, 3)])
def test_tree_levels_and_rationals_agree_across_the_feasibility_boundary(P, dY, monkeypatch):
    rng = np.random.default_rng(7 * P + dY)
    C, Lam = _random_dual(rng, P, dY)
    verdicts = []
    for a in ("1/50", "1/10", "1/4", "3/10", "1/2", "1", "2", "5"):
        alpha = rq.q(a)
        out = {}
        for name, walk, exact in (("tree", "tree", "0"), ("levels", "levels", "0"), ("rational", "tree", "1")):
            monkeypatch.setattr(copositive, "SIGNED_WALK", walk)
            monkeypatch.setenv("EMERGENCE_EXACT_CONES", exact)
            out[name] = copositive.signed(alpha, C, Lam, max_p=P)
        assert out["tree"].ok == out["levels"].ok == out["rational"].ok
        r = out["tree"]
        if r.ok:
            assert r.checked == 3 ** P - 2 ** P and "walked as a tree" in r.method
        else:
            assert r.value < 0 and r.witness is not None
        verdicts.append(r.ok)
    assert not verdicts[0] and verdicts[-1]


@pytest.mark.parametrize("P,dY", [(7, 6), (8, 3)])
def test_the_loose_branch_alone_gives_the_same_verdicts(P, dY, monkeypatch):
    """With an infinite shift nothing is proved positive definite: every block is built from
    scratch (eigenvector directions, inverse filter, exact test), and the verdicts hold."""
    monkeypatch.setattr(tree, "shift", lambda M0, M1: np.inf)
    rng = np.random.default_rng(7 * P + dY)
    C, Lam = _random_dual(rng, P, dY)
    for a in ("1/10", "3/10", "1", "5"):
        alpha = rq.q(a)
        monkeypatch.setattr(copositive, "SIGNED_WALK", "levels")
        ref = copositive.signed(alpha, C, Lam, max_p=P)
        monkeypatch.setattr(copositive, "SIGNED_WALK", "tree")
        got = copositive.signed(alpha, C, Lam, max_p=P)
        assert got.ok == ref.ok
        if got.ok:
            assert "0 decided from their parent's" in got.method and got.checked == 3 ** P - 2 ** P


def test_walk_rejects_matrices_of_two_sizes():
    with pytest.raises(ValueError, match="`M0` and `M1` must be square of one size"):
        tree.walk(np.eye(3), np.eye(4), lambda J, s: None, lambda J, s, y: None)


def test_a_bad_walk_name_is_refused(monkeypatch):
    C, Lam = _random_dual(np.random.default_rng(0), 4, 2)
    monkeypatch.setattr(copositive, "SIGNED_WALK", "depth")
    with pytest.raises(ValueError, match="SIGNED_WALK"):
        copositive.signed(rq.q(1), C, Lam, max_p=4)
    monkeypatch.setattr(pricing, "SCREEN_WALK", "depth")
    with pytest.raises(ValueError, match="SCREEN_WALK"):
        pricing.signed_search(1.0, 1.0, np.eye(3), np.eye(3))


def test_six_outputs_certificate_is_the_same_and_most_blocks_are_never_built(monkeypatch):
    """Six outputs, P = 10: the same brackets and dual as the check by levels; the tree visits
    well under half of the 3^P supports and decides almost all of them from parent factors."""
    rng = np.random.default_rng(72)
    X = rng.standard_normal((9, 10))
    Y = np.sign(rng.standard_normal((6, 10)))
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05))
    monkeypatch.setattr(copositive, "SIGNED_WALK", "tree")
    fast = cm.build(sol)
    assert fast["cost_bound"]["kind"] == "signed" and fast["summary"]["global_optimum"]
    method = fast["summary"]["cone_method"]
    visited = int(method.split("walked as a tree: ")[1].split()[0])
    by_factor = int(method.split(" blocks visited, ")[1].split()[0])
    assert visited < 0.5 * 3 ** 10 and by_factor > 0.99 * visited
    assert fast["summary"]["supports_checked"] == 3 ** 10 - 2 ** 10
    assert cm.verify(fast).ok
    monkeypatch.setattr(copositive, "SIGNED_WALK", "levels")
    slow = cm.build(sol)
    assert slow["bounds"] == fast["bounds"] and slow["dual"] == fast["dual"]


@pytest.mark.parametrize("scale", [0.2, 0.9, 1.0, 1.02, 1.3, 3.0])
def test_the_walked_screen_prices_as_the_screen_by_levels(scale, monkeypatch):
    """The pricing's minimum and candidates are the same whichever walk flags the minimal
    non-copositive blocks (A scaled across the point where the blocks stop being copositive)."""
    rng = np.random.default_rng(5)
    P = 9
    G = rng.standard_normal((P, P))
    C = G @ G.T / P + 0.3 * np.eye(P)
    H = rng.standard_normal((4, P))
    A = scale * H.T @ H / 4
    res = {}
    for walk in ("tree", "levels"):
        monkeypatch.setattr(pricing, "SCREEN_WALK", walk)
        res[walk] = pricing.signed_search(1.0, 1.0, C, A)
    full = pricing.signed_search(1.0, 1.0, C, A, screen=False)
    a, b = res["tree"], res["levels"]
    assert a.exhaustive == b.exhaustive
    assert a.mu == pytest.approx(b.mu, rel=1e-9, abs=1e-13)
    assert a.mu == pytest.approx(min(full.mu, 0.0), rel=1e-9, abs=1e-13)
    assert len(a.candidates) == len(b.candidates)
    for x, y in zip(a.candidates, b.candidates):
        assert np.allclose(x, y, rtol=1e-8, atol=1e-12)


def _missed_block_problem():
    """The dual point at which the screened pricing once missed a violation (six outputs, P = 14,
    the benchmarks' random_instance(13, 14, 6, 75); tests/data/missed_minimal_block.json)."""
    import json
    from pathlib import Path

    d = json.loads((Path(__file__).parent / "data" / "missed_minimal_block.json").read_text())
    Lam = np.array([[float.fromhex(x) for x in row] for row in d["Lambda"]])
    g = np.random.default_rng(75)
    X, Y = g.standard_normal((13, 14)), np.sign(g.standard_normal((6, 14)))
    prob = make_problem(X, Y, 0.05, 0.05)
    return prob.lam1 * prob.lam2, prob.cost_matrix(), Lam.T @ Lam


def test_a_nearly_singular_minimal_block_is_flagged_and_its_violation_priced():
    """Regression: a minimal non-copositive block of order 10 (eigenvalues -1.9e-9, 1.1e-6, ...)
    whose float inverse has a positive entry at the rounding level. Its violation, computed
    here from the defining generalised eigenproblem on that face, must be found by the screened
    search (the tree walk) and the block flagged by pricing.minimal_flags."""
    lam1, C, A = _missed_block_problem()
    J = np.array([0, 1, 2, 3, 4, 5, 6, 7, 12, 13])
    s = np.array([-1.0, 1, 1, 1, 1, 1, 1, 1, -1, -1])
    D = (s > 0).astype(float)
    CJ = C[np.ix_(J, J)]
    B = lam1 * CJ - A[np.ix_(J, J)] * np.outer(D, D)
    L = np.linalg.cholesky(CJ)
    Li = np.linalg.inv(L)
    ev, V = np.linalg.eigh(Li @ B @ Li.T)
    x = Li.T @ V[:, 0]
    x = x if x @ s > 0 else -x
    assert np.all(x * s > 0) and ev[0] < -1e-8            # a violation on this very face
    T = B * np.outer(s, s)
    assert pricing.minimal_flags(T[None])[0]
    assert pricing.SCREEN_WALK == "tree"
    found = pricing.signed_search(lam1, 1.0, C, A)
    assert found.exhaustive and found.mu <= ev[0] * (1 - 1e-9)


def test_the_solver_prices_exhaustively_exactly_where_the_certificate_can_check():
    """One limit on P for the exhaustive signed pricing and the exact signed cone check; beyond
    it both refuse with an error naming P, the limit and the value received."""
    from numeric.solver import certificate as cm

    assert pricing.MAX_SIGNED_P == cm.MAX_SIGNED_P
    P = cm.MAX_SIGNED_P + 1
    with pytest.raises(ValueError, match=rf"`P` must be <= {P - 1} .*got {P}"):
        pricing.signed_search(1.0, 1.0, np.eye(P), np.eye(P))
    C, Lam = _random_dual(np.random.default_rng(1), P, 2)
    with pytest.raises(ValueError, match=rf"`P` must be <= {P - 1} .*got {P}"):
        copositive.signed(rq.q(1), C, Lam, max_p=cm.MAX_SIGNED_P)
