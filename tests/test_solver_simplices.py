"""Simplicial fans for three or more outputs (numeric.solver.simplices)."""
from __future__ import annotations

import itertools
from fractions import Fraction

import flint
import numpy as np
import pytest

from numeric.solver import cells, copositive, faces, simplices
from numeric.solver import certificate as cm
from numeric.solver import rational as rq
from numeric.solver.problem import make_problem
from numeric.solver.relu import solve_relu
from numeric.solver import verify_certificate


def _simplex_minimum(T) -> Fraction:
    """min of x^T T x over the standard simplex, exactly: the minimum sits at a KKT point of some
    face, where T_SS x_S = mu 1, sum x_S = 1, x_S > 0 (value mu); every face is tried."""
    d = len(T)
    best = None
    for size in range(1, d + 1):
        for S in itertools.combinations(range(d), size):
            rows = [[T[i][j] for j in S] + [-1] for i in S] + [[1] * size + [0]]
            A = flint.fmpq_mat(rows)
            if A.rank() < size + 1:
                continue
            sol = A.solve(flint.fmpq_mat(size + 1, 1, [0] * size + [1]))
            x = [sol[k, 0] for k in range(size)]
            if all(v > 0 for v in x):
                mu = Fraction(int(sol[size, 0].p), int(sol[size, 0].q))
                best = mu if best is None else min(best, mu)
    # vertices (size-1 faces) are always KKT candidates, so best is never None
    return best


def _random_symmetric(rng, d, n):
    A = rng.integers(-6, 7, size=(n, d, d))
    return np.triu(A) + np.triu(A, 1).transpose(0, 2, 1)


@pytest.mark.parametrize("d", [2, 3, 4, 5])
def test_exact_copositivity_matches_the_minimum_over_the_simplex(d):
    rng = np.random.default_rng(d)
    T = _random_symmetric(rng, d, 150) + np.eye(d, dtype=int) * rng.integers(0, 8, size=(150, 1, 1))
    got = simplices.copositive(T.astype(object))
    want = np.array([_simplex_minimum(t.tolist()) >= 0 for t in T])
    assert want.any() and not want.all()
    assert np.array_equal(got, want)
    # the float path agrees away from the boundary
    assert np.array_equal(simplices.copositive(T.astype(float)), want)


def test_exact_psd_matches_eigenvalues_and_accepts_singular_forms():
    rng = np.random.default_rng(1)
    T = _random_symmetric(rng, 3, 200)
    ev = np.linalg.eigvalsh(T.astype(float))[:, 0]
    clear = np.abs(ev) > 1e-9
    assert np.array_equal(simplices.psd(T.astype(object))[clear], (ev >= 0)[clear])
    v = rng.integers(-5, 6, size=(20, 3))
    singular = (v[:, :, None] * v[:, None, :]).astype(object)          # rank one, det = 0
    assert simplices.psd(singular).all()
    assert not simplices.psd(-singular[np.abs(v).sum(axis=1) > 0]).any()


def test_edge_points_are_positive_combinations_of_the_edge():
    rng = np.random.default_rng(2)
    for _ in range(200):
        ra = np.array([int(x) for x in rng.integers(-2 ** 40, 2 ** 40, size=3)], dtype=object)
        rb = np.array([int(x) for x in rng.integers(-5, 6, size=3)], dtype=object)
        if not np.any(rb):
            continue
        m = simplices._edge_point(ra, rb, float(rng.uniform(-60, 60)), 40)
        M = flint.fmpz_mat([[int(v) for v in ra], [int(v) for v in rb], [int(v) for v in m]])
        assert M.det() == 0                                  # m in the plane of the edge
        # the coefficients of m in (ra, rb) are both positive (2 x 2 minors, Cramer)
        pairs = [(i, j) for i in range(3) for j in range(i + 1, 3)
                 if ra[i] * rb[j] - ra[j] * rb[i] != 0]
        i, j = pairs[0]
        det = ra[i] * rb[j] - ra[j] * rb[i]
        a = (m[i] * rb[j] - m[j] * rb[i]) * det
        b = (ra[i] * m[j] - ra[j] * m[i]) * det
        assert a > 0 and b > 0


def _instance(P=7, dX=4, dY=3, seed=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dX, P))
    Xt = np.vstack([X, np.ones(P)])
    return rng, X, Xt


def _sampled_ratio(Xt, Lam, rng, n=200_000):
    W = rng.standard_normal((n, Xt.shape[0]))
    V = np.maximum(W @ Xt, 0) @ Lam.T
    return float(np.max(np.sum(V * V, axis=1) / np.sum(W * W, axis=1)))


def test_fan_covers_every_direction_of_every_cell():
    rng, _, Xt = _instance()
    Lam = rng.standard_normal((3, 7))
    alpha = 1.05 * _sampled_ratio(Xt, Lam, rng)
    fan = simplices.build_fan(Xt.T @ Xt, Lam, alpha)
    assert len(fan.cell) and not fan.failed and not fan.violations
    # sampled directions: each lies in (at least) one accepted cone of each non-PSD cell
    U = rng.standard_normal((300, 3))
    Ru = simplices._unit(fan.rays)
    inv = np.linalg.inv(Ru.transpose(0, 2, 1))                  # a = R^-T u
    for c in np.unique(fan.cell)[:20]:
        sel = fan.cell == c
        coef = np.einsum("nij,mj->nmi", inv[sel], U)
        assert np.all((coef >= -1e-12).all(axis=2).any(axis=0))


@pytest.mark.parametrize("dY", [3, 4, 5])
def test_certify_decides_inside_and_outside_exactly(dY):
    rng, _, Xt = _instance()
    Lam = rng.standard_normal((dY, 7))
    top = _sampled_ratio(Xt, Lam, rng)
    Xq, Lq = rq.mat(Xt), rq.mat(Lam)
    assert simplices.certify(Xq, Lq, rq.q(1.05 * top)).ok
    res = simplices.certify(Xq, Lq, rq.q(0.95 * top))
    assert not res.ok and res.witness is not None and res.value < 0
    # the witness is a pattern of an actual weight: re-evaluate from the definition
    h = np.array([float(v) for v in res.witness])
    w = np.linalg.lstsq(Xt.T, h, rcond=None)[0]
    assert np.allclose(Xt.T @ w, h, atol=1e-9)
    assert np.sum((Lam @ np.maximum(h, 0)) ** 2) > 0.95 * top * (w @ w)


def test_three_outputs_certified_by_fans_agree_with_the_signed_support_check(fans_on_full_rank):
    rng = np.random.default_rng(31)
    X, Y = rng.standard_normal((7, 8)), np.sign(rng.standard_normal((3, 8)))
    prob = make_problem(X, Y, 0.05, 0.05)
    assert prob.mode == "signed"
    sol = solve_relu(prob)
    cert = cm.build(sol)
    assert cert["cost_bound"]["kind"] == "cells" and "dY = 3" in cert["summary"]["cone_method"]
    rep = cm.verify(cm.dumps(cert))
    assert rep.ok and rep.global_optimum and rep.rel_gap <= cm.CERT_REL_GAP
    # the same exact dual point through the independent 3^P signed-support check
    Xt = rq.augment(rq.mat(X), True)
    Q = (Xt.transpose() * Xt).inv()
    Lam = rq.from_strings(cert["dual"]["Lambda"], "Lambda")
    alpha = rq.q(0.05) * rq.q(0.05)
    assert copositive.signed(alpha, Q, Lam).ok
    bigger = Lam * flint.fmpq(101, 100)
    assert not copositive.signed(alpha, Q, bigger).ok
    bad = cm.verify(dict(cert, dual={"Lambda": rq.to_strings(bigger)}))
    assert not bad.ok and any("cone check failed" in p for p in bad.problems)


def test_three_outputs_on_ill_conditioned_inputs_reach_the_tolerance(fans_on_full_rank):
    # cond(K_X) = 3.5e6, on the fans: polishing the atoms in pattern space (cost K_X^-1) stalled
    # at a 5.2e-9 bracket after 60 rounds; in weight space the solve closes in ~18 rounds
    rng = np.random.default_rng(50)
    X, Y = rng.standard_normal((7, 8)), np.sign(rng.standard_normal((3, 8)))
    prob = make_problem(X, Y, 0.05, 0.05)
    assert np.linalg.cond(prob.X_tilde.T @ prob.X_tilde) > 1e6
    sol = solve_relu(prob)
    assert sol.converged and sol.iterations < 40
    rep = cm.verify(cm.build(sol))
    assert rep.ok and rep.global_optimum


def test_three_outputs_on_singular_inputs_use_the_non_empty_cells(monkeypatch):
    monkeypatch.setattr(faces, "PREFERRED_DY_MIN", 6)        # (default: the faces, few here)
    rng = np.random.default_rng(14)
    X, Y = rng.standard_normal((3, 9)), np.sign(rng.standard_normal((3, 9)))
    prob = make_problem(X, Y, 0.05, 0.05)
    assert prob.mode == "range"
    sol = solve_relu(prob)
    cert = cm.build(sol)
    rep = cm.verify(cert)
    assert cert["cost_bound"]["kind"] == "cells" and rep.ok and rep.global_optimum
    # only the N(9, 4) - 1 = 185 non-empty cells (of 511 firing sets) are visited
    assert cells.cell_set(np.vstack([X, np.ones(9)])).count == 185
    assert "dY = 3" in rep.cone


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="`Lambda`"):
        simplices.build_fan(np.eye(4), np.ones((1, 4)), 1.0)
    with pytest.raises(ValueError, match="`Lambda`"):
        simplices.build_fan(np.eye(4), np.ones((simplices.MAX_DY + 1, 4)), 1.0)


@pytest.mark.parametrize("d", [3, 4])
def test_pruned_copositivity_on_huge_and_singular_forms(d):
    """The shortcuts of the exact test (diagonal dominance, blocks with a non-negative row
    skipped, one float-chosen cofactor decided exactly) on forms scaled far beyond float range
    and on singular forms, against the exact minimum over the simplex."""
    rng = np.random.default_rng(20 + d)
    T = _random_symmetric(rng, d, 150) + np.eye(d, dtype=int) * rng.integers(0, 8, size=(150, 1, 1))
    u, v = rng.integers(-3, 4, size=(2, 100, d))
    S = u[:, :, None] * u[:, None, :] - v[:, :, None] * v[:, None, :]   # rank <= 2: det = 0
    T = np.concatenate([T, S, S + np.eye(d, dtype=int)])
    want = np.array([_simplex_minimum(t.tolist()) >= 0 for t in T])
    assert want.any() and not want.all()
    huge = T.astype(object) * flint.fmpz(3) ** 700                     # ~1100 bits per entry
    assert np.array_equal(simplices.copositive(huge), want)
    assert np.array_equal(simplices.copositive(T.astype(object)), want)


def test_cached_ray_values_give_the_same_fan(monkeypatch):
    # a child cone reuses its parent's box optima at the d - 1 rays they share; solving every
    # ray afresh must give the same cones (values equal up to the batches' rounding)
    rng = np.random.default_rng(31)
    X, Y = rng.standard_normal((7, 8)), np.sign(rng.standard_normal((3, 8)))
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05))       # a dual point at the optimum: tight
    Xt, Lam, alpha = sol.problem.X_tilde, sol.Lambda * (1 - 2 ** -44), 0.05 * 0.05
    cached = simplices.build_fan(Xt.T @ Xt, Lam, alpha)
    orig = simplices._ray_values
    monkeypatch.setattr(simplices, "_ray_values",
                        lambda K, L, F, U, R=None, known=None, cached=None: orig(K, L, F, U, R))
    fresh = simplices.build_fan(Xt.T @ Xt, Lam, alpha)
    assert fresh.tried == cached.tried and fresh.tried > 2 * len(np.unique(fresh.cell)) * 8
    assert np.array_equal(fresh.cell, cached.cell) and np.array_equal(fresh.rays, cached.rays)
    assert np.allclose(fresh.Cv, cached.Cv, rtol=0, atol=1e-12)


def test_well_conditioned_full_rank_inputs_take_the_signed_supports_and_agree_with_the_fans(monkeypatch):
    """Two to four outputs on full-rank inputs with cond(K_X) <= SIGNED_MAX_COND: the solver and
    the certificate take the 3^P signed supports by default; forcing the fans certifies the
    same optimum (overlapping exact brackets)."""
    rng = np.random.default_rng(91)
    X, Y = rng.standard_normal((7, 8)), np.sign(rng.standard_normal((3, 8)))
    prob = make_problem(X, Y, 0.05, 0.05)
    assert prob.input_cond() <= simplices.SIGNED_MAX_COND
    brackets = {}
    for route, table in (("signed", simplices.SMALL_DY_SIGNED_P), ("cells", {2: 0, 3: 0, 4: 0})):
        monkeypatch.setattr(simplices, "SMALL_DY_SIGNED_P", table)
        cert = cm.build(solve_relu(prob))
        rep = verify_certificate(cert)
        assert cert["cost_bound"]["kind"] == route and rep.ok and rep.global_optimum
        brackets[route] = (float(rep.lower), float(rep.upper))
    (a, b), (c, d) = brackets.values()
    assert max(a, c) <= min(b, d)


def test_a_failed_signed_certificate_falls_back_to_the_fans(monkeypatch):
    """Two to four outputs on full-rank inputs go to the signed supports; when that exact check
    fails (here: forced to refuse every shrink), the certificate is built on the fans instead,
    and it re-verifies."""
    rng = np.random.default_rng(91)
    X, Y = rng.standard_normal((7, 8)), np.sign(rng.standard_normal((3, 8)))
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05))
    real = cm._cone

    def refuse_signed(kind, *args):
        if kind == "signed":
            return copositive.ConeResult(False, "refused by the test", 0, None, None)
        return real(kind, *args)

    monkeypatch.setattr(cm, "_cone", refuse_signed)
    with pytest.raises(cm.CertificateError):
        cm._build(sol, cm.MAX_SIGNED_P, fans=True)          # the signed route alone fails
    cert = cm.build(sol)
    rep = verify_certificate(cert)
    assert cert["cost_bound"]["kind"] == "cells" and rep.ok and rep.global_optimum
