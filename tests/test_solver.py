"""Certified global solver (numeric/solver): optimum, certificates, corrupted certificates, bad input."""
from __future__ import annotations

import copy
import json
from fractions import Fraction

import flint
import numpy as np
import pytest

from numeric.relu_whitened import closed_form
from numeric.solver import copositive, rational as rq
from numeric.solver.certificate import build, dumps, verify
from numeric.solver.problem import make_problem
from numeric.solver.relu import solve_relu
from numeric.solver.symmetry import solve_hypercube
from numeric.tasks import hypercube
from numeric.training import train_network
from numeric.validation import InputError


def _solve(dY, bias=True, n=1, lam1=0.1, lam2=0.2, seed=None):
    T = hypercube(dY, n, bias=bias, seed=seed)
    return solve_relu(make_problem(T.X, T.Y, lam1, lam2, bias=bias))


@pytest.mark.parametrize("dY,lam1,lam2", [(2, 0.1, 0.2), (3, 0.05, 0.05), (3, 1e-3, 2.0)])
def test_hypercube_bias_matches_closed_form(dY, lam1, lam2):
    sol = _solve(dY, lam1=lam1, lam2=lam2)
    cf = closed_form(dY, lam1, lam2)
    assert sol.converged
    assert abs(sol.energy - cf.energy) <= 1e-12 * cf.energy
    assert abs(sol.network_energy - cf.energy) <= 1e-12 * cf.energy
    assert sol.width == 2 * dY                                  # basic solution: the half-cubes
    K = sol.kernel
    Y = hypercube(dY).Y
    assert np.allclose(K, cf.b * (dY * np.ones_like(K) + Y.T @ Y), rtol=0, atol=1e-9 * cf.b)


@pytest.mark.parametrize("dY,n", [(2, 1), (3, 1), (2, 2)])
def test_no_bias_and_repeated_samples_match_symmetric_solver(dY, n):
    for bias in (False, True):
        sol = _solve(dY, bias=bias, n=n)
        sym = solve_hypercube(dY, n, 0.1, 0.2, bias=bias)
        assert abs(sol.energy - sym.energy) <= 1e-12 * sym.energy


def test_certificate_round_trip_and_gap():
    sol = _solve(3)
    cert = build(sol)
    text = dumps(cert)
    rep = verify(json.loads(text))
    assert rep.ok, rep.problems
    assert rep.global_optimum and rep.rel_gap <= 1e-12
    assert rep.lower <= rep.upper
    cf = closed_form(3, 0.1, 0.2)
    assert float(rep.lower) * (1 - 1e-14) <= cf.energy <= float(rep.upper) * (1 + 1e-14)


def test_silent_regime_certificate_has_zero_gap():
    sol = _solve(2, lam1=3.0, lam2=2.0)          # lam1 lam2 = 6 >= P(P+1)/(P+2) = 10/3
    assert sol.width == 0 and sol.energy == 8.0
    rep = verify(build(sol))
    assert rep.ok and rep.upper == rep.lower == 8


def _corrupt(cert, path, fn):
    bad = copy.deepcopy(cert)
    node = bad
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = fn(node[path[-1]])
    return bad


@pytest.fixture(scope="module")
def good_cert():
    return build(_solve(2))


def test_corrupted_dual_fails_cone_check(good_cert):
    scale = lambda rows: [[str(Fraction(v) * (1 + Fraction(1, 2 ** 20))) for v in r] for r in rows]
    bad = _corrupt(good_cert, ["dual", "Lambda"], scale)
    Lam = rq.from_strings(bad["dual"]["Lambda"], "L")
    bad["bounds"]["lower"] = str(rq.dual_value(Lam, rq.from_strings(bad["problem"]["Y"], "Y")))
    rep = verify(bad)
    assert not rep.ok
    assert any("cone check failed" in p for p in rep.problems)


def test_corrupted_primal_and_bounds_fail(good_cert):
    bump = lambda rows: [[str(Fraction(v) + Fraction(1, 1000)) if (i, j) == (0, 0) else v
                          for j, v in enumerate(r)] for i, r in enumerate(rows)]
    assert not verify(_corrupt(good_cert, ["primal", "W"], bump)).ok
    lower_up = lambda v: str(Fraction(v) + Fraction(1, 10 ** 6))
    rep = verify(_corrupt(good_cert, ["bounds", "lower"], lower_up))
    assert not rep.ok and any("stored lower bound" in p for p in rep.problems)
    rep = verify(_corrupt(good_cert, ["cost_bound", "c"], lambda v: "0"))
    assert not rep.ok and any("delta" in p for p in rep.problems)
    rep = verify(_corrupt(good_cert, ["summary", "rel_gap"], lambda v: 0.0))
    assert not rep.ok and any("rel_gap" in p for p in rep.problems)


def test_malformed_certificates_are_rejected_not_raised(good_cert):
    assert not verify("{not json").ok
    assert not verify({"format": "something else"}).ok
    bad = copy.deepcopy(good_cert)
    del bad["dual"]
    assert not verify(bad).ok


def test_signed_mode_general_data_beats_training_and_bounds_it():
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((8, 6)), np.sign(rng.standard_normal((2, 6)))
    prob = make_problem(X, Y, 0.05, 0.1, bias=True)
    assert prob.mode == "signed"
    sol = solve_relu(prob)
    rep = verify(build(sol))
    assert rep.ok and rep.global_optimum, rep.problems
    losses = [train_network(prob.X_tilde, Y, 0.05, 0.1, 12, seed=s, maxiter=1000).loss for s in range(2)]
    assert all(loss >= float(rep.lower) * (1 - 1e-12) for loss in losses)
    assert sol.energy <= min(losses) * (1 + 1e-9)


def test_rank_deficient_data_certificate_is_valid():
    rng = np.random.default_rng(1)
    rng.standard_normal((8, 6)), rng.standard_normal((2, 6))
    X, Y = rng.standard_normal((2, 7)), rng.standard_normal((1, 7))
    prob = make_problem(X, Y, 0.05, 0.1, bias=True)
    assert prob.mode == "range" and prob.rank == 3
    sol = solve_relu(prob)
    rep = verify(build(sol))
    assert rep.ok, rep.problems
    assert rep.rel_gap <= 1e-6                 # certified, to the accuracy the range mode reaches
    best = min(train_network(prob.X_tilde, Y, 0.05, 0.1, 10, seed=s, maxiter=1000).loss for s in range(2))
    assert best >= float(rep.lower) * (1 - 1e-12)


@pytest.mark.parametrize("kwargs,match", [
    (dict(X=np.array([[np.nan, 1.0]]), Y=np.ones((1, 2))), "`X` must be finite"),
    (dict(X=np.eye(2), Y=np.ones((1, 2)), lam1=0.0), "`lam1`"),
    (dict(X=np.eye(2), Y=np.ones((1, 3))), "`Y` must have 2 columns"),
    (dict(X=np.eye(21), Y=np.ones((1, 21))), "`P`"),
    (dict(X=np.eye(2), Y=np.zeros((1, 2))), "`Y` must not be identically zero"),
])
def test_bad_input_is_refused(kwargs, match):
    args = dict(lam1=0.1, lam2=0.1, bias=True)
    args.update(kwargs)
    with pytest.raises(InputError, match=match):
        make_problem(args.pop("X"), args.pop("Y"), args.pop("lam1"), args.pop("lam2"), **args)


def test_targets_not_pm1_are_solved():
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((6, 5)), rng.standard_normal((2, 5))
    prob = make_problem(X, Y, 0.1, 0.1, bias=True)
    assert not prob.ps_defined()
    rep = verify(build(solve_relu(prob)))
    assert rep.ok and rep.global_optimum


def test_exact_cone_methods_agree_and_witness_is_exact():
    rng = np.random.default_rng(0)
    for trial in range(6):
        P, d = 5, 2
        L = rng.standard_normal((d, P)) * 0.6
        Lam = rq.mat(np.round(L * 64) / 64)
        alpha = flint.fmpq(1)
        c = flint.fmpq(1, P + 1)
        C = flint.fmpq_mat(P, P, [int(i == j) - c for i in range(P) for j in range(P)])
        r1 = copositive.structured(alpha, flint.fmpq(1), c, Lam)
        r2 = copositive.orthant(alpha, C, Lam)
        r3 = copositive.signed(alpha, C, Lam)
        assert r1.ok == r2.ok == r3.ok
        for r in (r1, r2, r3):
            if not r.ok:
                h = [flint.fmpq(x.numerator, x.denominator) for x in r.witness]
                assert copositive._violation(alpha, C, Lam, h) < 0
    # a certainly non-copositive case: Lambda large
    big = rq.mat(np.ones((1, 3)) * 2)
    C3 = flint.fmpq_mat(3, 3, [int(i == j) for i in range(3) for j in range(3)])
    assert not copositive.structured(flint.fmpq(1), flint.fmpq(1), flint.fmpq(0), big).ok
    assert not copositive.orthant(flint.fmpq(1), C3, big).ok
