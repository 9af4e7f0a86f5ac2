"""The certificate's reuse of the solver's last fan (``hint`` of numeric.solver.simplices.certify
and numeric.solver.sectors.certify): the same exact verdicts as a fresh fan, failing cells
rebuilt, unusable hints ignored, and the solver's fan handed to the certificate."""
from __future__ import annotations

import numpy as np
import pytest

from numeric.solver import cells, sectors, simplices
from numeric.solver import certificate as cm
from numeric.solver import rational as rq
from numeric.solver.problem import make_problem
from numeric.solver.relu import solve_relu


def _instance(dY=3, P=7, dX=4, seed=3):
    rng = np.random.default_rng(seed)
    Xt = np.vstack([rng.standard_normal((dX, P)), np.ones(P)])
    Lam = rng.standard_normal((dY, P))
    W = rng.standard_normal((200_000, dX + 1))
    V = np.maximum(W @ Xt, 0) @ Lam.T
    top = float(np.max(np.sum(V * V, axis=1) / np.sum(W * W, axis=1)))   # sampled max ratio
    return rng, Xt, Lam, top


def _module(dY):
    return sectors if dY == 2 else simplices          # (full-rank inputs)


def _hint(Xt, Lam, alpha):
    return _module(Lam.shape[0]).build_fan(Xt.T @ Xt, Lam, alpha, cells.cell_set(Xt))


def _certify(Xt, Lam, alpha, hint=None):
    return _module(Lam.shape[0]).certify(rq.mat(Xt), rq.mat(Lam), rq.q(alpha), hint)


@pytest.fixture
def builds(monkeypatch):
    """Cell counts of every fan construction (either kind) during the test."""
    seen = []
    for mod in (sectors, simplices):
        def spy(K, Lam, alpha, cs=None, orig=mod.build_fan):
            seen.append(2 ** K.shape[0] - 1 if cs is None else cs.count)
            return orig(K, Lam, alpha, cs)

        monkeypatch.setattr(mod, "build_fan", spy)
    return seen


@pytest.mark.parametrize("dY", [2, 3, 4])
def test_a_hint_for_a_rescaled_dual_proves_the_point_without_any_construction(dY, builds):
    _, Xt, Lam, top = _instance(dY)
    alpha = 1.05 * top
    # built for 3 Lambda at 9 alpha (the same cone condition): the box points must be rescaled
    hint = _hint(Xt, 3 * Lam, 9 * alpha)
    assert not hint.failed and not hint.violations
    builds.clear()
    res = _certify(Xt, Lam, alpha, hint)
    assert res.ok and builds == []
    assert _certify(Xt, Lam, alpha).ok and builds == [hint.cells.count]


@pytest.mark.parametrize("dY", [2, 3])
def test_a_hint_for_another_dual_is_repaired_cell_by_cell(dY, builds):
    rng, Xt, Lam, top = _instance(dY)
    alpha = 1.05 * top
    other = Lam + 0.08 * rng.standard_normal(Lam.shape)
    hint = _hint(Xt, other, alpha)
    builds.clear()
    res = _certify(Xt, Lam, alpha, hint)
    assert res.ok
    assert len(builds) == 1 and 0 < builds[0] < hint.cells.count     # only the failing cells


@pytest.mark.parametrize("dY", [2, 3, 4])
def test_a_hint_never_certifies_an_infeasible_point(dY):
    _, Xt, Lam, top = _instance(dY)
    # every cone (and many whole cells, as PSD) accepted at a larger alpha
    hint = _hint(Xt, Lam, 3 * top)
    assert len(hint.psd) and not hint.failed
    res = _certify(Xt, Lam, 0.95 * top, hint)
    assert not res.ok and res.witness is not None and res.value < 0
    h = np.array([float(v) for v in res.witness])
    w = np.linalg.lstsq(Xt.T, h, rcond=None)[0]
    assert np.sum((Lam @ np.maximum(Xt.T @ w, 0)) ** 2) > 0.95 * top * (w @ w)


@pytest.mark.parametrize("dY", [2, 3])
def test_unusable_hints_are_ignored(dY, builds):
    rng, Xt, Lam, top = _instance(dY)
    alpha = 1.05 * top
    some = cells.CellSet(7, cells.masks_of(np.arange(1, 60), 7))        # other firing sets
    other_cells = _module(dY).build_fan(Xt.T @ Xt, Lam, alpha, some)
    other_kind = _hint(Xt, np.vstack([Lam, Lam[:1]]) if dY == 2 else Lam[:2], alpha)
    undecided = _hint(Xt, Lam, alpha)
    undecided.failed = [(int(undecided.cell[0]), None, 0.0, None)]
    blown = _hint(Xt, Lam, alpha)
    if dY == 2:                                      # every sector fails: not worth repairing
        blown.C, blown.bound = blown.C + 100.0, np.zeros_like(blown.bound)
    else:
        blown.Cv = 50 * blown.Cv
    for hint in (other_cells, other_kind, undecided, blown):
        builds.clear()
        assert _certify(Xt, Lam, alpha, hint).ok
        assert builds == [cells.cell_set(Xt).count]                  # a fresh fan of every cell


def test_a_sector_hint_with_a_hole_has_that_cell_rebuilt(builds):
    # (sector fans check their cover exactly, per cell; simplicial fans cover by construction,
    # so their hint must be a construction's output, as the solver's is)
    _, Xt, Lam, top = _instance(2)
    alpha = 1.05 * top
    hint = _hint(Xt, Lam, alpha)
    keep = np.ones(len(hint.cell), dtype=bool)
    keep[np.flatnonzero(hint.cell == hint.cell[0])[1]] = False      # one sector of one cell
    holed = sectors.Fan(hint.cell[keep], hint.r1[keep], hint.r2[keep], hint.C[keep],
                        hint.bound[keep], hint.psd, [], 0, [], hint.cells, hint.lam)
    assert not sectors.fan_covers(holed, 7)
    builds.clear()
    assert _certify(Xt, Lam, alpha, holed).ok and builds == [1]


def test_sector_box_points_outside_the_box_fail_the_exact_test(builds, monkeypatch):
    # C = 0 with no coordinate held at its bound: a cheap form (alpha r r^T, copositive on
    # sectors narrower than a quadrant) whose box point violates c_i >= (Lambda^T u)_i on F;
    # only the exact box check rejects it (the binary64 filter, switched off here, would move it
    # into the box itself)
    monkeypatch.setenv("EMERGENCE_EXACT_CONES", "1")
    _, Xt, Lam, top = _instance(2)
    alpha = 1.05 * top
    hint = _hint(Xt, Lam, alpha)
    hint.C, hint.bound = np.zeros_like(hint.C), np.zeros_like(hint.bound)
    builds.clear()
    assert _certify(Xt, Lam, alpha, hint).ok and builds


@pytest.mark.parametrize("dY", [2, 3])
def test_the_solver_hands_its_last_fan_to_the_certificate(dY, builds, fans_on_full_rank):
    rng = np.random.default_rng(32)
    X, Y = rng.standard_normal((7, 8)), np.sign(rng.standard_normal((dY, 8)))
    prob = make_problem(X, Y, 0.05, 0.05)
    assert prob.rank == prob.P           # (singular inputs re-price the scaled point: a fan)
    sol = solve_relu(prob)
    assert isinstance(sol.fan, sectors.Fan if dY == 2 else simplices.SimplexFan)
    assert not sol.fan.failed
    builds.clear()
    cert = cm.build(sol)
    assert builds == [] and cert["summary"]["global_optimum"]
    fan, sol.fan = sol.fan, None
    fresh = cm.build(sol)
    assert builds and fresh["dual"] == cert["dual"] and fresh["bounds"] == cert["bounds"]
    assert cm.verify(cert).ok
    # one output: no fan
    assert solve_relu(make_problem(X, Y[:1], 0.05, 0.05)).fan is None
