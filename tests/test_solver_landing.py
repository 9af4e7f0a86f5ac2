"""Landing the atoms (numeric.solver.landing): merging copies and Newton on the fixed support."""
from __future__ import annotations

import numpy as np
import pytest

from numeric.energy import network_loss, optimal_readout
from numeric.solver import cells, sectors, simplices
from numeric.solver.landing import FixedSupport, merge_parallel, newton_range
from numeric.solver.master import _parts, solve_master
from numeric.solver.problem import make_problem
from numeric.solver.relu import _dual_bound, solve_relu

LAM1, LAM2 = 0.05, 0.05


def _instance(seed=50, dX=7, P=8, dY=3):
    rng = np.random.default_rng(seed)
    X, Y = rng.standard_normal((dX, P)), np.sign(rng.standard_normal((dY, P)))
    return make_problem(X, Y, LAM1, LAM2)


def _defining_energy(W, prob, lam1=LAM1, lam2=LAM2):
    """the network loss at the optimal read-out (the problem the mean-field energy reduces)"""
    Phi = np.maximum(W @ prob.X_tilde, 0)
    return network_loss(W, optimal_readout(Phi, prob.Y, lam2), prob.X_tilde, prob.Y, lam1, lam2)


def _kernel_and_cost(W, Xt):
    Phi = np.maximum(W @ Xt, 0)
    return Phi.T @ Phi, float(np.sum(W * W))


def _neurons_with_zeros(prob, rng, M=5):
    """random neurons, each with two exact zeros (w orthogonal to two columns of X~)"""
    Xt = prob.X_tilde
    W = []
    for _ in range(M):
        Z = rng.choice(Xt.shape[1], size=2, replace=False)
        _, _, Vt = np.linalg.svd(Xt[:, Z].T)
        W.append(Vt[2:].T @ rng.standard_normal(Xt.shape[0] - 2))
    return np.array(W)


def test_merge_keeps_kernel_and_cost_and_removes_copies():
    prob = _instance()
    rng = np.random.default_rng(1)
    W = _neurons_with_zeros(prob, rng, M=3)
    # three copies of neuron 0 (one exact, one turned by 1e-9 without leaving its zero set) and
    # a negligible neuron
    sup = FixedSupport(W, prob.X_tilde)
    turned = sup.unpack(sup.pack(W) + 1e-9 * rng.standard_normal(sup.size))[0]
    copies = np.vstack([W, 0.5 * W[0], 0.3 * turned, 1e-9 * W[1]])
    Wm = merge_parallel(copies, prob.X_tilde)
    assert Wm.shape[0] == 3
    K0, c0 = _kernel_and_cost(copies[:5], prob.X_tilde)
    K1, c1 = _kernel_and_cost(Wm, prob.X_tilde)
    assert np.max(np.abs(K1 - K0)) <= 1e-12 * np.max(np.abs(K0))
    assert abs(c1 - c0) <= 1e-13 * c0


def test_merge_keeps_neurons_with_different_firing_sets():
    prob = _instance()
    W = _neurons_with_zeros(prob, np.random.default_rng(2), M=1)
    h = W[0] @ prob.X_tilde
    j = int(np.flatnonzero(np.abs(h) < 1e-12 * np.max(np.abs(h)))[0])
    # push the zero entry j to +1e-8 of the largest (above the zero tolerance 1e-9): the
    # directions agree to ~1e-8 (inside angle_tol), but the second neuron fires on one more input
    push = np.linalg.pinv(prob.X_tilde)[j] * 1e-8 * np.max(np.abs(h))
    W2 = np.vstack([W[0], W[0] + push])
    assert not np.array_equal(W2[0] @ prob.X_tilde > 0, W2[1] @ prob.X_tilde > 0)
    assert merge_parallel(W2, prob.X_tilde).shape[0] == 2


def test_gradient_and_hessian_match_finite_differences_of_the_defining_energy():
    prob = _instance()
    W = _neurons_with_zeros(prob, np.random.default_rng(3))
    sup = FixedSupport(W, prob.X_tilde)
    assert sup.size == W.shape[0] * (W.shape[1] - 2)
    z = sup.pack(W)
    f, g, state = sup.evaluate(z, prob.KY, LAM1, LAM2)
    assert f == pytest.approx(_defining_energy(W, prob), rel=1e-13)
    Hm = sup.hessian(state, LAM1, LAM2)
    step = 1e-5
    for i in range(0, sup.size, 3):
        e = np.zeros(sup.size)
        e[i] = step
        fd = (_defining_energy(sup.unpack(z + e), prob) - _defining_energy(sup.unpack(z - e), prob)) / (2 * step)
        assert fd == pytest.approx(g[i], rel=1e-6, abs=1e-9)
        gp, gm = sup.evaluate(z + e, prob.KY, LAM1, LAM2)[1], sup.evaluate(z - e, prob.KY, LAM1, LAM2)[1]
        np.testing.assert_allclose((gp - gm) / (2 * step), Hm[:, i], rtol=1e-5, atol=1e-8)


def _price(prob, W):
    """the exact-reachable-cost fan pricing of the dual point of neurons W (lam2 = 1 units)"""
    lam1 = prob.lam1 * prob.lam2
    amp = np.linalg.norm(W, axis=1)
    F = np.maximum(W / amp[:, None] @ prob.X_tilde, 0)
    ms = solve_master(F, prob.KY, lam1, 1.0, amp ** 2)
    E, _, R, _ = _parts(ms.w, F, prob.KY, lam1, 1.0)
    fp = simplices.price(prob.X_tilde.T @ prob.X_tilde, prob.Y @ R, lam1,
                         cells=cells.cell_set(prob.X_tilde), margin=sectors.PRICING_MARGIN)
    low, _ = _dual_bound(prob, R, lam1 - fp.ratio, lam1, 1.0, np.sqrt(ms.w)[:, None] * F)
    return E, (E - low) / E, fp.exhaustive


def test_landing_restores_a_tight_dual_point_from_round_off_copies(fans_on_full_rank):
    # (on the fans, whose exact-cost pricing _price reads the gaps below; cond(K_X) = 3.5e6)
    # the stall of the three-output P = 14 benchmark, reproduced at P = 8: a converged measure
    # whose atoms are displaced by 1e-5 inside their supports (the pricing gap grows like the
    # square of the displacement, with a large constant: ~1e-7 here) and doubled into copies at
    # 1e-9 from each other
    prob = _instance()
    sol = solve_relu(prob)
    assert sol.converged
    W = sol.W / np.sqrt(prob.lam2)                        # lam2 = 1 units
    E_star, gap, _ = _price(prob, W)
    assert gap < 1e-12
    rng = np.random.default_rng(4)
    sup = FixedSupport(W, prob.X_tilde)
    Wd = sup.unpack(sup.pack(W) + 1e-5 * rng.standard_normal(sup.size) * np.max(np.abs(W)))
    assert sup.signs_ok(Wd)
    split = rng.uniform(0.2, 0.8, size=len(Wd))[:, None]
    turned = sup.unpack(sup.pack(Wd) + 1e-9 * rng.standard_normal(sup.size) * np.max(np.abs(W)))
    Wc = np.vstack([np.sqrt(split) * Wd, np.sqrt(1 - split) * turned])
    E_bad, gap_bad, _ = _price(prob, Wc)
    assert gap_bad > 1e-9
    Wl = newton_range(merge_parallel(Wc, prob.X_tilde), prob.X_tilde, prob.KY, prob.lam1 * prob.lam2, 1.0)
    assert len(Wl) == len(W)
    E_l, gap_l, exhaustive = _price(prob, Wl)
    assert exhaustive and gap_l < 1e-12
    assert abs(E_l - E_star) <= 1e-13 * E_star
