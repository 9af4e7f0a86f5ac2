"""Simplicial fans built part by part (numeric.solver.simplices.parts / merge): the same cones as
one construction, the same pricing and certificate verdicts, and no fan kept for reuse beyond
MAX_KEPT_CONES."""
from __future__ import annotations

import numpy as np
import pytest

from numeric.solver import cells, simplices
from numeric.solver import certificate as cm
from numeric.solver import rational as rq
from numeric.solver.problem import make_problem
from numeric.solver.relu import solve_relu


def _data(P=7, dX=4, dY=3, seed=3):
    rng = np.random.default_rng(seed)
    Xt = np.vstack([rng.standard_normal((dX, P)), np.ones(P)])
    return Xt, rng.standard_normal((dY, P))


@pytest.mark.parametrize("explicit", [False, True])
def test_parts_cover_the_cells_in_order(explicit):
    Xt, _ = _data(P=9, dX=3)
    cs = cells.cell_set(Xt) if explicit else cells.CellSet(9)
    every = np.arange(cs.count) + (0 if explicit else 1)
    got = [(lo, part) for lo, part in simplices.parts(cs, 50)]
    assert len(got) == -(-cs.count // 50) > 1
    assert np.array_equal(np.vstack([p.masks(np.arange(p.count)) for _, p in got]), cs.masks(every))
    for lo, part in got:                      # cell j of a part is cell lo + j of cs
        j = np.arange(part.count)
        assert np.array_equal(part.masks(j), cs.masks(lo + j))
    assert list(simplices.parts(cs, cs.count)) == [(0, cs)]


def _cones(fan):
    return [(int(c), tuple(map(int, r.ravel())), tuple(v.ravel())) for c, r, v in
            zip(fan.cell, fan.rays, fan.Cv)]


def test_a_fan_built_in_parts_is_the_whole_fan():
    Xt, Lam = _data()
    K = Xt.T @ Xt
    alpha = 0.6 * float(np.max(np.sum((Lam @ np.maximum(Xt.T @ np.linalg.pinv(Xt.T), 0)) ** 2)))
    whole = simplices.build_fan(K, Lam, alpha)
    cs = cells.CellSet(7)
    pieces = [(lo, simplices.build_fan(K, Lam, alpha, part)) for lo, part in simplices.parts(cs, 20)]
    assert len(pieces) > 1
    merged = simplices.merge(cs, pieces)
    assert len(whole.cell) > 100 and (whole.violations or whole.failed)
    assert np.array_equal(merged.psd, whole.psd)
    # the same cones (cell, exact rays, vertex values), in another order (part by part)
    assert sorted(_cones(merged)) == sorted(_cones(whole))
    key = lambda t: (t[0], t[2])                                  # noqa: E731
    assert sorted(map(key, merged.violations)) == sorted(map(key, whole.violations))
    assert sorted(map(key, merged.failed)) == sorted(map(key, whole.failed))


def test_pricing_and_certificate_in_parts_agree_with_one_construction(monkeypatch):
    Xt, Lam = _data(seed=5)
    K = Xt.T @ Xt
    one = simplices.price(K, Lam, 1.0, margin=1e-9)
    one_cert = [simplices.certify(rq.mat(Xt), rq.mat(Lam), rq.q(a)) for a in (0.5, 1e4)]
    monkeypatch.setattr(simplices, "CHUNK_CELLS", 16)
    many = simplices.price(K, Lam, 1.0, margin=1e-9)
    assert many.ratio == one.ratio and many.exhaustive == one.exhaustive
    assert all(np.array_equal(a, b) for a, b in zip(many.patterns, one.patterns))
    assert sorted(many.fan.cell) == sorted(one.fan.cell)
    for a, ref in zip((0.5, 1e4), one_cert):
        res = simplices.certify(rq.mat(Xt), rq.mat(Lam), rq.q(a))
        assert res.ok == ref.ok and (res.witness is None) == (ref.witness is None)
        assert res.checked == ref.checked or not ref.ok       # a failing part stops the check
    assert not one_cert[0].ok and one_cert[1].ok
    monkeypatch.setattr(simplices, "MAX_KEPT_CONES", 10)
    assert simplices.price(K, Lam, 1.0, margin=1e-9).fan is None


def test_a_solve_that_keeps_no_fan_is_still_certified(monkeypatch, fans_on_full_rank):
    rng = np.random.default_rng(31)
    X, Y = rng.standard_normal((7, 8)), np.sign(rng.standard_normal((3, 8)))
    monkeypatch.setattr(simplices, "MAX_KEPT_CONES", 0)
    monkeypatch.setattr(simplices, "CHUNK_CELLS", 64)
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05))
    assert sol.fan is None
    cert = cm.build(sol)
    rep = cm.verify(cert)
    assert cert["cost_bound"]["kind"] == "cells" and rep.ok and rep.global_optimum


def _exact_at(Xt, Lam, factor):
    """Exact data, dual point and alpha = factor x the largest ratio of 10^5 sampled weights."""
    W = np.random.default_rng(0).standard_normal((100_000, Xt.shape[0]))
    V = np.maximum(W @ Xt, 0) @ Lam.T
    top = float(np.max(np.sum(V * V, axis=1) / np.sum(W * W, axis=1)))
    return rq.mat(Xt), rq.mat(Lam), rq.q(factor * top)


def test_collect_lists_exactly_the_unproved_cells():
    Xt, Lam = _data(seed=5)
    Xq, Lq, alpha = _exact_at(Xt, Lam, 0.9)
    first = simplices.certify(Xq, Lq, alpha)
    res = simplices.certify(Xq, Lq, alpha, collect=True)
    assert not first.ok and first.witness is not None and not res.ok
    bad = res.failing
    every = np.arange(cells.cell_set(Xq).count) + (0 if cells.cell_set(Xq).explicit is not None else 1)
    assert 0 < len(bad) < len(every)
    # the witness's firing set is among them; the other cells pass on their own at this point
    h = np.array([float(v) for v in first.witness])
    cs = cells.cell_set(Xq)
    assert any(np.array_equal(cs.masks(np.array([c]))[0], h > 0) for c in bad)
    assert simplices.certify(Xq, Lq, alpha, only=np.setdiff1d(every, bad)).ok
    assert not simplices.certify(Xq, Lq, alpha, only=bad).ok


def test_later_shrinks_recheck_only_the_cells_left_unproved(monkeypatch, fans_on_full_rank):
    # a dual point 2^-20 outside the cone (the solver's mu claims it inside): the 2^-44 shrink
    # leaves the tight cells unproved; the 2^-10 shrink re-checks only those, and the
    # verifier, which re-checks every cell of the certified point, accepts the certificate
    rng = np.random.default_rng(31)
    X, Y = rng.standard_normal((7, 8)), np.sign(rng.standard_normal((3, 8)))
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05))
    sol.Lambda, sol.mu, sol.fan = sol.Lambda * (1 + 2.0 ** -20), 0.0, None
    calls = []
    real = simplices.certify

    def spy(*a, **k):
        res = real(*a, **k)
        calls.append((None if k.get("only") is None else len(k["only"]), res.ok, res.failing))
        return res

    monkeypatch.setattr(simplices, "certify", spy)
    monkeypatch.setattr(cm, "EPS_TRIES", (0, 44, 10))
    cert = cm.build(sol)
    assert [c[1] for c in calls] == [False, True] and calls[0][0] is None
    assert calls[1][0] == len(calls[0][2]) < cells.cell_set(rq.mat(sol.problem.X_tilde)).count
    assert cert["summary"]["shrink_bits"] == 10
    monkeypatch.setattr(simplices, "certify", real)
    rep = cm.verify(cert)
    assert rep.ok


def test_collect_counts_undecided_cones_and_maps_subsets_back(monkeypatch):
    # fans too shallow (one split) to decide the cells near a tight direction: a cell with an
    # undecided cone is unproved even where other cones of it were accepted
    Xt, Lam = _data(seed=3)
    Xq, Lq, alpha = _exact_at(Xt, Lam, 1.008)
    monkeypatch.setattr(simplices, "max_depth", lambda d: 1)
    fan = simplices.build_fan(Xt.T @ Xt, Lam, float(alpha))
    undecided = {int(t[0]) for t in fan.failed}
    partial = undecided & {int(c) for c in fan.cell}          # some cones accepted, some not
    assert partial and not fan.violations and not fan.exhausted
    res = simplices.certify(Xq, Lq, alpha, collect=True)
    assert not res.ok and undecided <= set(res.failing.tolist())
    # a check of a subset reports the cells by their index in the whole cell set
    again = simplices.certify(Xq, Lq, alpha, only=res.failing[::-1].copy(), collect=True)
    assert np.array_equal(again.failing, res.failing)


def test_a_construction_out_of_budget_lists_no_cells(monkeypatch):
    # cones in flight are dropped when the budget runs out, so the failed cones it reports are
    # not the unproved cells: collect gives up (failing None, every cell re-checked next time)
    Xt, Lam = _data(seed=3)
    Xq, Lq, alpha = _exact_at(Xt, Lam, 1.5)
    assert simplices.certify(Xq, Lq, alpha, collect=True).ok
    monkeypatch.setattr(simplices, "MAX_CONES_PER_CELL", 1)
    monkeypatch.setattr(simplices, "BUDGET_SLACK", 0)
    assert simplices.build_fan(Xt.T @ Xt, Lam, float(alpha)).exhausted
    res = simplices.certify(Xq, Lq, alpha, collect=True)
    assert not res.ok and res.failing is None
