"""Five outputs on the simplicial fans (numeric.solver.simplices, MAX_DY = 5): the routing
between the fans and the 3^P signed supports, the depth the five-dimensional fans need, and a
certificate on singular inputs checked against the independent 3^P route."""
from __future__ import annotations

import numpy as np
import pytest

from numeric.solver import cells, faces, relu, simplices
from numeric.solver import certificate as cm
from numeric.solver.problem import make_problem
from numeric.solver.relu import solve_relu


def test_five_outputs_go_to_the_fans_on_singular_inputs_and_beyond_the_signed_limit(monkeypatch):
    assert simplices.MAX_DY == 5
    for dY in (2, 3, 4):                                     # full rank: signed up to a P, fans beyond
        P1 = simplices.SMALL_DY_SIGNED_P[dY]
        assert not simplices.prefers_fan(dY, 8, True) and not simplices.prefers_fan(dY, P1, True)
        assert P1 <= cm.MAX_SIGNED_P and simplices.prefers_fan(dY, P1 + 1, True)
        # any finite conditioning stays on the signed supports (measured to cond 1.1e11); an
        # undetermined one goes to the fans; a finite SIGNED_MAX_COND still sends beyond it
        assert not simplices.prefers_fan(dY, 8, True, cond=1e11)
        assert simplices.prefers_fan(dY, 8, True, cond=float("nan"))
        monkeypatch.setattr(simplices, "SIGNED_MAX_COND", 1e5)
        assert not simplices.prefers_fan(dY, 8, True, cond=1e5)
        assert simplices.prefers_fan(dY, 8, True, cond=2e5)
        monkeypatch.undo()
    P0 = simplices.SIGNED_FASTER_P
    assert not simplices.prefers_fan(5, P0, True)            # 3^P is faster up to here
    assert P0 <= cm.MAX_SIGNED_P                             # (the signed check must reach it)
    assert simplices.prefers_fan(5, P0 + 1, True)            # beyond the signed check: the fans
    assert simplices.prefers_fan(5, 18, False, 7)            # singular, many faces: non-empty cells
    assert not simplices.prefers_fan(5, 8, False, 2)         # singular, few faces: the faces
    assert not simplices.prefers_fan(6, 30, False)
    assert simplices.max_depth(4) == simplices.MAX_DEPTH
    assert simplices.max_depth(5) == 2 * simplices.MAX_DEPTH


def test_five_dimensional_fans_need_the_doubled_depth(monkeypatch):
    # the benchmarks' random instance (dX = 7, P = 8, seed 51): at the old depth cap of 40 tight
    # cones stay undecided; the same cells close at max_depth(5). The dual point is the one the
    # solve with the L-BFGS-B box polish reaches (this test's instance since it was written); the
    # Newton polish lands at a dual point a little off it (the optimal one is unique; both are
    # within float accuracy of it), where depth 40 happens to suffice.
    g = np.random.default_rng(51)
    X, Y = g.standard_normal((7, 8)), np.sign(g.standard_normal((5, 8)))
    prob = make_problem(X, Y, 0.05, 0.05)
    monkeypatch.setattr(relu, "BOX_POLISH", "lbfgsb")
    sol = solve_relu(prob)                                   # signed supports (P <= SIGNED_FASTER_P)
    assert sol.converged and sol.exhaustive and sol.fan is None
    K, alpha = prob.X_tilde.T @ prob.X_tilde, prob.lam1 * prob.lam2
    Lam = np.asarray(sol.Lambda) / np.sqrt(1 - min(sol.mu, 0.0) / alpha) * (1 - 2.0 ** -44)
    with monkeypatch.context() as m:
        m.setattr(simplices, "max_depth", lambda d: simplices.MAX_DEPTH)
        shallow = simplices.build_fan(K, Lam, alpha)
    assert shallow.failed and not shallow.violations
    bad = np.unique([c for c, *_ in shallow.failed])
    deep = simplices.build_fan(K, Lam, alpha, cells.CellSet(8, cells.masks_of(bad, 8)))
    assert not deep.failed and not deep.violations and set(np.unique(deep.cell)) == set(range(len(bad)))


@pytest.fixture(scope="module")
def five_labels_on_a_line():
    """solved on the fans: faces.PREFERRED_DY_MIN raised to 6 (by default these 1-d inputs, with
    few faces, go to the faces; tests/test_solver_faces.py)"""
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((1, 8)), np.sign(rng.standard_normal((5, 8)))
    prob = make_problem(X, Y, 0.1, 0.1)
    assert prob.rank == 2 < prob.P
    with pytest.MonkeyPatch.context() as m:
        m.setattr(faces, "PREFERRED_DY_MIN", 6)
        sol = solve_relu(prob)
        return sol, cm.build(sol)


def test_five_outputs_on_singular_inputs_are_certified_on_the_fans(five_labels_on_a_line):
    sol, cert = five_labels_on_a_line
    assert sol.fan is not None                               # the solve priced on the fans
    assert cert["cost_bound"]["kind"] == "cells" and "dY = 5" in cert["summary"]["cone_method"]
    rep = cm.verify(cm.dumps(cert))
    assert rep.ok and rep.global_optimum and rep.rel_gap <= cm.CERT_REL_GAP
    # the independent route: the penalised range minorant over all 3^P signed supports, on the
    # same solution, certifies it too, and the two exact brackets overlap
    other = cm.build_without_fans(sol)
    assert other["cost_bound"]["kind"] == "range"
    rep2 = cm.verify(other)
    assert rep2.ok and rep2.global_optimum
    assert max(rep.lower, rep2.lower) <= min(rep.upper, rep2.upper)


def test_a_five_output_fan_rejects_a_dual_point_outside_the_cone(five_labels_on_a_line):
    sol, cert = five_labels_on_a_line
    from numeric.solver import rational as rq
    import flint
    Lam = rq.from_strings(cert["dual"]["Lambda"], "Lambda") * flint.fmpq(101, 100)
    bad = cm.verify(dict(cert, dual={"Lambda": rq.to_strings(Lam)}))
    assert not bad.ok and any("cone check failed" in p for p in bad.problems)
