"""The exact zero set of a Walsh-block certificate (numeric.solver.walsh_zeros): the extreme rays
against a brute-force enumeration, the rays against the defining cone form, and the decision
against the exhaustive sign-pattern check and a known non-affine optimum."""
from __future__ import annotations

import itertools
from fractions import Fraction

import flint
import numpy as np
import pytest

from numeric.solver import rational as rq
from numeric.solver.affine_minima import (affine_basis, closed_form_dual, decide_by_walsh,
                                          decide_inputs_family, is_affine)
from numeric.solver.walsh_certificate import certify
from numeric.solver.walsh_family import answer
from numeric.solver.walsh_zeros import _primitive, decide, extreme_rays, zero_rays


def _brute_rays(rows, k):
    """every (k-1)-subset of rows of rank k-1 fixes a line; keep the directions inside the cone"""
    out = set()
    for I in itertools.combinations(range(len(rows)), k - 1):
        M = flint.fmpz_mat(k - 1, k, [x for i in I for x in rows[i]])
        if M.rank() != k - 1:
            continue
        N, nul = M.nullspace()
        assert nul == 1
        v = [int(N[j, 0]) for j in range(k)]
        for s in (1, -1):
            r = [s * x for x in v]
            if all(sum(a * b for a, b in zip(row, r)) >= 0 for row in rows):
                out.add(_primitive(r))
    return out


@pytest.mark.parametrize("k", [3, 4, 5, 6])
def test_extreme_rays_match_brute_force(k):
    """random pointed cones with entries in {-1, 0, 1} (degenerate vertices: the adjacency test
    matters, a count of shared facets alone gives extra rays from k = 5 on)"""
    for seed in range(25):
        rng = np.random.default_rng(100 * k + seed)
        c = rng.integers(1, 3, k)             # every row has r . c > 0: the cone is pointed
        rows = []
        while len(rows) < 12:
            r = rng.integers(-1, 2, k)
            if r @ c > 0:
                rows.append(tuple(int(x) for x in r))
        rows.append(tuple(2 * x for x in rows[0]))
        got = extreme_rays(rows, k)
        assert got is not None and len(got) == len(set(got))
        assert set(got) == _brute_rays(rows, k), (k, seed)


@pytest.mark.parametrize("k", [4, 5, 6])
def test_conflicts_keep_every_wanted_extreme_ray(k):
    """with conflicting pairs of rows, the early pruning keeps every extreme ray whose positive
    rows hold no conflicting pair, and returns only points of the cone"""
    for seed in range(20):
        rng = np.random.default_rng(1000 * k + seed)
        c = rng.integers(1, 3, k)
        rows = []
        while len(rows) < 12:
            r = rng.integers(-1, 2, k)
            if r @ c > 0:
                rows.append(tuple(int(x) for x in r))
        conflicts = [set() for _ in rows]
        for _ in range(6):
            i, j = (int(v) for v in rng.choice(len(rows), 2, replace=False))
            conflicts[i].add(j)

        def wanted(z):
            pos = {i for i, r in enumerate(rows) if sum(a * b for a, b in zip(r, z)) > 0}
            return not any(j in pos for i in pos for j in conflicts[i])

        got = extreme_rays(rows, k, conflicts)
        assert all(all(sum(a * b for a, b in zip(r, z)) >= 0 for r in rows) for z in got)
        assert {z for z in _brute_rays(rows, k) if wanted(z)} <= set(got), (k, seed)


def test_extreme_rays_reject_a_cone_with_a_line():
    with pytest.raises(ValueError, match="`rows` must have rank k = 3"):
        extreme_rays([(1, 0, 0), (0, 1, 0), (1, 1, 0)], 3)


def _V(u, Q, A):
    x = np.array([Fraction(v) for v in u], dtype=object)
    p = np.array([max(v, Fraction(0)) for v in x], dtype=object)
    Qd, Ad = (np.array([[rq.frac(M[i, j]) for j in range(M.ncols())] for i in range(M.nrows())],
                       dtype=object) for M in (Q, A))
    return x @ Qd @ x - p @ Ad @ p


def _instance(dY, family, params):
    d = closed_form_dual(dY, family, params, 0.1, 0.1)
    A1 = d.A * rq.q(d.lam2 / d.lam1)
    return d, A1


def test_singular_block_instance_decided_from_its_zero_set():
    """(0, 2, 2, 1/2): only a certificate with a singular degree-2 block exists; its zero set
    (checked against the defining form: admissible rays are zeros, the others are not) holds the
    closed form's 8 neurons and nothing non-affine, so every global minimum is abstract."""
    d, A1 = _instance(4, "anisotropic", {"gammas": [0, 2, 2, Fraction(1, 2)]})
    assert certify(d.Q, A1, d.Y, d.zeros, strict_degree=2)[0] is None
    cert = certify(d.Q, A1, d.Y, d.zeros)[0]
    z = zero_rays(cert, d.Y)
    assert z.non_affine == () and len(z.admissible) == 8
    assert all(_V(u, d.Q, A1) == 0 for u in z.admissible)
    known = {_primitive([int(v * 100) for v in u]) for u in d.zeros}   # closed form: x/z = 33/17
    assert known == {_primitive(list(u)) for u in z.admissible}
    out = answer(4, "anisotropic", {"gammas": [0, 2, 2, 0.5]}, 0.1, 0.1)
    assert out["certificate"]["all_minima_abstract"] is True
    assert out["certificate"]["global_optimum"] is True
    assert out["certificate"]["witness"]["zero_set"]["admissible"] == 8
    assert all(c["ok"] for c in out["checks"]) and any("zero set recomputed" in c["name"]
                                                       for c in out["checks"])


def test_rejected_rays_are_not_zeros():
    """the admissibility filter against the definition: every extreme ray of K it rejects has
    V > 0 (on an instance with rejected rays)"""
    d, A1 = _instance(4, "anisotropic", {"gammas": [0, 2, 2, Fraction(1, 2)]})
    cert = certify(d.Q, A1, d.Y, d.zeros)[0]
    from numeric.solver.walsh_zeros import _primitive as prim, kernel_basis
    z = zero_rays(cert, d.Y)
    # rebuild all rays and evaluate V on each rejected one
    from numeric.solver.walsh_certificate import _parity, label_masks
    masks = label_masks(d.Y)
    P = len(masks)
    cols = []
    for S, al, be in kernel_basis(cert):
        den = int(np.lcm(al.denominator, be.denominator))
        chi = [_parity(S & m) for m in masks]
        cols.append([int(al * den) * c for c in chi] + [int(be * den) * c for c in chi])
    rows = [tuple(col[t] for col in cols) for t in range(2 * P)]
    adm = {prim(list(u)) for u in z.admissible}
    rejected = 0
    every = extreme_rays(rows, len(cols))                  # no conflicts: every extreme ray
    for r in every:
        x = [sum(col[t] * v for col, v in zip(cols, r)) for t in range(2 * P)]
        u = prim([x[a] - x[P + a] for a in range(P)])
        if u not in adm:
            rejected += 1
            assert _V(u, d.Q, A1) > 0
    assert rejected == len(every) - len(z.admissible) > 0


@pytest.mark.parametrize("gammas", [(0, 2, 2), (1, 2, 3)])
def test_singular_route_agrees_with_the_exhaustive_check(gammas):
    """dY = 3 instances without a strict certificate: the zero-set route and the exact zero set
    over all 3^8 sign patterns both prove every minimum abstract"""
    params = {"gammas": [Fraction(g) for g in gammas]}
    d, A1 = _instance(3, "anisotropic", params)
    assert certify(d.Q, A1, d.Y, d.zeros, strict_degree=2)[0] is None
    walsh = decide_by_walsh(d.Q, A1, d.Y, d.zeros)
    exhaustive = decide_inputs_family(3, "anisotropic", params, 0.1, 0.1)
    assert walsh.all_minima_abstract is True and exhaustive.all_minima_abstract is True
    assert "singular" in walsh.reason


@pytest.mark.parametrize("dY", [3, 4])
def test_non_affine_zeros_found_at_eta_one(dY):
    """interaction inputs at eta = 1: the pair conjunctions are optimal too; the zero set must
    report them -- exact zeros of V whose activity is not affine in the labels -- and decide
    nothing"""
    d, A1 = _instance(dY, "interaction", {"eta": Fraction(1)})
    cert = certify(d.Q, A1, d.Y, d.zeros)[0]
    ab, reason, z = decide(cert, d.Q, A1, d.Y)
    assert ab is None and "non-affine" in reason
    assert len(z.non_affine) == 4 * dY * (dY - 1) // 2           # 1{y_i = s, y_j = t}
    B = affine_basis(d.Y)
    for u in z.non_affine:
        assert _V(u, d.Q, A1) == 0
        assert not is_affine([Fraction(max(v, 0)) for v in u], B)
        assert sum(v > 0 for v in u) == 2 ** dY // 4              # a conjunction of two labels


def test_walsh_route_agrees_with_the_exhaustive_check_on_random_gammas():
    """dY = 2, 3, gammas drawn from a grid that mixes both regimes: whenever the Walsh route
    (strict certificate, else singular blocks and their zero set) decides, the exhaustive zero set
    over all sign patterns gives the same answer; and it decides on every draw (measured)"""
    rng = np.random.default_rng(5)
    grid = [Fraction(0), Fraction(1, 4), Fraction(1, 2), Fraction(1), Fraction(2), Fraction(3),
            Fraction(5), Fraction(8)]
    decided = 0
    for dY in (2, 3, 3, 3, 3, 3):
        gammas = [grid[int(i)] for i in rng.integers(0, len(grid), dY)]
        params = {"gammas": gammas}
        d = closed_form_dual(dY, "anisotropic", params, Fraction(1, 10), Fraction(1, 10))
        A1 = d.A * rq.q(d.lam2 / d.lam1)
        walsh = decide_by_walsh(d.Q, A1, d.Y, d.zeros).all_minima_abstract
        exhaustive = decide_inputs_family(dY, "anisotropic", params, Fraction(1, 10),
                                          Fraction(1, 10)).all_minima_abstract
        assert walsh is None or walsh == exhaustive, (gammas, walsh, exhaustive)
        decided += walsh is not None
    assert decided == 6


def test_a_spent_budget_decides_nothing(monkeypatch):
    """the interaction eta = 1 zero set needs adjacency tests; with no budget for them the answer
    is None with the reason, never a guess"""
    from numeric.solver import walsh_zeros
    d, A1 = _instance(4, "interaction", {"eta": Fraction(1)})
    cert = certify(d.Q, A1, d.Y, d.zeros)[0]
    monkeypatch.setattr(walsh_zeros, "MAX_WORK", 0)
    ab, reason, z = decide(cert, d.Q, A1, d.Y)
    assert ab is None and z is None and "budget" in reason


def test_dispatcher_answers_two_high_regime_gammas_from_the_walsh_route():
    """emergence solve's route for (2, 3, 4, 5) at dY = 4: the Walsh certificate with singular
    blocks (no dense solve); every check green, the closed form equal to the certified optimum,
    every minimum abstract"""
    from numeric.solve import solve
    out = solve(task="hypercube", dY=4, lam1=0.1, lam2=0.1, inputs="anisotropic",
                input_params={"gammas": [2.0, 3.0, 4.0, 5.0]}, certify=True)
    cert = out["certificate"]
    assert cert["global_optimum"] and cert["all_minima_abstract"] is True
    assert "Walsh-block" in cert["method"] and cert["witness"]["zero_set"]["non_affine"] == []
    assert all(c["ok"] for c in out["checks"]) and len(out["checks"]) >= 4
    assert out["ps"] == pytest.approx([1.0] * 4, abs=1e-12)
