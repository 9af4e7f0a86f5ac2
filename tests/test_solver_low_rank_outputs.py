"""Several outputs on low-rank inputs beyond twenty samples (fans over the non-empty cells).

The independent reference is the definition of the cone condition itself: with 1-d inputs and a
bias every input weight lies on a circle, so sup_w |Lambda relu(X~^T w)|^2 / |w|^2 can be
sampled densely and compared with the certificate's exact dual point."""
import numpy as np
import pytest

from numeric.solver import certificate as cm
from numeric.solver import cells, faces, rational as rq, simplices
from numeric.solver.problem import MAX_LOW_RANK_DY, make_problem
from numeric.solver.relu import solve_relu
from numeric.validation import InputError

LAM1, LAM2 = 0.02, 0.05


def _one_d_task(P, dY, seed):
    rng = np.random.default_rng(seed)
    X = np.sort(rng.uniform(-2, 2, (1, P)), axis=1)
    freq = np.array([[2.5], [1.3], [0.7], [3.1]])[:dY]
    Y = np.sign(np.sin(freq * X + rng.uniform(0, 1, (dY, 1))))
    return X, Y


def _circle_ratio(Xt, Lam, n=2_000_001):
    t = np.linspace(0, 2 * np.pi, n)
    W = np.stack([np.cos(t), np.sin(t)], axis=1)
    V = np.maximum(W @ Xt, 0) @ Lam.T
    return float(np.max(np.sum(V * V, axis=1)))


@pytest.mark.parametrize("dY, seed", [(2, 1), (3, 2)])
def test_one_dimensional_inputs_with_several_outputs_beyond_twenty_samples_are_certified(dY, seed,
                                                                                       monkeypatch):
    # on the fans (the knob raised: by default these few-face inputs go to the faces, which
    # tests/test_solver_faces.py and test_solver_ridge.py cover)
    monkeypatch.setattr(faces, "PREFERRED_DY_MIN", 6)
    X, Y = _one_d_task(30, dY, seed)
    prob = make_problem(X, Y, LAM1, LAM2)
    assert prob.P == 30 > 20 and prob.rank == 2 and prob.dY == dY
    sol = solve_relu(prob)
    cert = cm.build(sol)
    rep = cm.verify(cert)
    assert cert["cost_bound"]["kind"] == "cells" and rep.ok and rep.global_optimum, rep.problems
    assert rep.rel_gap <= 1e-12
    assert "simplicial cones" in cert["summary"]["cone_method"]
    # the exact dual point satisfies the cone condition on a dense sample of all input weights,
    # and is tight somewhere (a dual point far inside the cone would give a poor bound)
    Lam = np.array([[float(v) for v in row] for row in
                    rq.from_strings(cert["dual"]["Lambda"], "Lambda").tolist()])
    top = _circle_ratio(prob.X_tilde, Lam) / (LAM1 * LAM2)
    assert 1 - 1e-6 < top <= 1 + 1e-9
    # upper bound: the exact loss of the returned network
    assert sol.network_energy == pytest.approx(float(rep.upper), rel=1e-12)


def test_two_outputs_use_the_simplicial_fan_only_on_singular_inputs():
    assert simplices.handles(2, full_rank=False)
    assert not simplices.handles(2, full_rank=True)
    assert simplices.handles(3, full_rank=True) and simplices.handles(4, full_rank=False)


def test_patterns_of_singular_box_points_keep_their_digits():
    # a box point with a large null-space component: h = K c must equal K c0 (K n = 0)
    rng = np.random.default_rng(5)
    X = rng.standard_normal((1, 12))
    Xt = np.vstack([X, np.ones(12)])
    K = Xt.T @ Xt
    R = cells.low_rank_factor(K)
    null = np.linalg.svd(Xt)[2][2:]                        # orthonormal basis of ker K
    c0 = rng.standard_normal(12)
    c = (c0 + 1e6 * null.T @ rng.standard_normal(10))[None, :, None]
    H, cost = simplices.pattern_and_cost(K, c, R)
    w = Xt @ c0
    assert np.allclose(H[0, :, 0], Xt.T @ w, rtol=0, atol=1e-8 * np.abs(Xt.T @ w).max())
    assert cost[0, 0] == pytest.approx(w @ w, rel=1e-8)


def test_beyond_twenty_samples_needs_few_cells_or_few_faces():
    rng = np.random.default_rng(13)
    dY = MAX_LOW_RANK_DY + 1            # beyond the fans: the faces (few on 1-d inputs)
    assert make_problem(rng.standard_normal((1, 40)), np.sign(rng.standard_normal((dY, 40))),
                        0.1, 0.1).dY == dY
    with pytest.raises(InputError, match=f"dY = {dY}, rank 6 .* faces"):
        make_problem(rng.standard_normal((5, 40)), np.sign(rng.standard_normal((dY, 40))), 0.1, 0.1)
    with pytest.raises(InputError, match="cells"):
        make_problem(rng.standard_normal((8, 30)), np.ones((2, 30)), 0.1, 0.1)


def test_the_low_rank_output_limit_is_the_fans_limit():
    assert MAX_LOW_RANK_DY == simplices.MAX_DY


def test_face_polish_returns_reachable_patterns_with_their_true_ratios():
    rng = np.random.default_rng(8)
    X = rng.standard_normal((2, 25))                        # rank 3 with the bias
    Xt = np.vstack([X, np.ones(25)])
    K = Xt.T @ Xt
    R = cells.low_rank_factor(K)
    Lam = rng.standard_normal((3, 25))
    W = rng.standard_normal((40, 3))
    H = W @ Xt
    H[:20, 3] = 0.0                                         # half of them on a face h_3 = 0
    H[:20] = (W[:20] - np.outer(W[:20] @ Xt[:, 3], Xt[:, 3]) / (Xt[:, 3] @ Xt[:, 3])) @ Xt
    Hp, ratio = simplices.polish_on_faces(Lam, H, R)
    assert len(Hp) == 40
    for h, r in zip(Hp, ratio):
        w = np.linalg.lstsq(Xt.T, h, rcond=None)[0]
        assert np.allclose(Xt.T @ w, h, atol=1e-12 * np.abs(h).max())        # reachable
        v = Lam @ np.maximum(h, 0)
        assert r == pytest.approx(float(v @ v) / float(w @ w), rel=1e-10)   # its true ratio
    # a point on a face stays on it
    assert np.all(np.abs(Hp[:20, 3]) <= 1e-12 * np.abs(Hp[:20]).max(axis=1))
