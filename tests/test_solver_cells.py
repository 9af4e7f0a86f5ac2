"""Cell decomposition (dY = 1) and output-direction fans (dY = 2) of the certified solver.

References are independent: scipy's bounded least squares for the box QPs, brute-force sampling
of input weights for the cone ratio, the exact 3^P signed-support check (a different algorithm on
the exact cost K_X^-1) for the certificates."""
import flint
import numpy as np
import pytest
from scipy.optimize import lsq_linear

from numeric.solver import cells, copositive, sectors, simplices
from numeric.solver import certificate as cm
from numeric.solver import rational as rq
from numeric.solver.problem import make_problem
from numeric.validation import InputError
from numeric.solver.relu import solve_relu


def _data(P, dX, seed, bias=True):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dX, P))
    Xt = np.vstack([X, np.ones(P)]) if bias else X
    return rng, X, Xt


def _sampled_ratio(Xt, Lam, rng, n=200_000):
    W = rng.standard_normal((n, Xt.shape[0]))
    V = np.maximum(W @ Xt, 0) @ Lam.T
    return float(np.max(np.sum(V * V, axis=1) / np.sum(W * W, axis=1)))


@pytest.mark.parametrize("dX", [7, 3])      # K invertible (D = 8 = P) and rank 4 < P
def test_box_qp_matches_scipy_bounded_least_squares(dX):
    rng, _, Xt = _data(8, dX, 1)
    K = Xt.T @ Xt
    F = cells.firing_masks(8)[rng.choice(255, 40, replace=False)]
    lam = rng.standard_normal(8)
    for sigma in (1.0, -1.0):
        lo, hi = cells.box_bounds(F, lam, sigma)
        c = cells.box_qp(K, lo, hi)
        assert np.all(c >= lo) and np.all(c <= hi)
        ours = np.einsum("ij,jk,ik->i", c, K, c)
        ref = np.array([2 * lsq_linear(Xt, np.zeros(Xt.shape[0]), bounds=(lo[j], hi[j]),
                                       method="bvls", tol=1e-14).cost for j in range(len(F))])
        scale = float(np.max(ref))
        assert np.all(ours <= ref + 1e-10 * scale)          # never worse than the reference
        assert np.all(ours >= ref - 1e-10 * scale)          # and not "better" than the optimum


@pytest.mark.parametrize("dX", [9, 3])
def test_cell_ratio_is_the_maximum_over_input_weights(dX):
    rng, _, Xt = _data(9, dX, 2)
    lam = rng.standard_normal(9)
    pr = cells.price(Xt.T @ Xt, lam)
    sampled = _sampled_ratio(Xt, lam[None, :], rng)
    assert sampled <= pr.ratio * (1 + 1e-12)
    # the returned pattern attains it (ratio evaluated from the definition)
    assert sectors.pattern_ratio(Xt, lam[None, :], pr.patterns[0]) >= pr.ratio * (1 - 1e-9)


def test_fan_certifies_above_the_maximum_and_finds_violations_below():
    rng, _, Xt = _data(7, 4, 3)
    K = Xt.T @ Xt
    Lam = rng.standard_normal((2, 7))
    top = _sampled_ratio(Xt, Lam, rng)
    Xq = rq.mat(Xt)
    Lq = rq.mat(Lam)
    above = sectors.build_fan(K, Lam, 1.05 * top)
    assert not above.failed and not above.violations
    assert sectors.certify(Xq, Lq, rq.q(1.05 * top)).ok
    below = sectors.build_fan(K, Lam, 0.95 * top)
    assert below.violations
    res = sectors.certify(Xq, Lq, rq.q(0.95 * top))
    assert not res.ok and res.witness is not None and res.value < 0


def _signed_instance(dY, P=8, seed=4):
    rng, X, _ = _data(P, P + 2, seed)
    Y = np.sign(rng.standard_normal((dY, P)))
    prob = make_problem(X, Y, 0.05, 0.05)
    assert prob.mode == "signed"
    return X, prob


@pytest.mark.parametrize("dY", [1, 2])
def test_cells_certificate_agrees_with_signed_support_check(dY, fans_on_full_rank):
    X, prob = _signed_instance(dY)
    sol = solve_relu(prob)
    assert sol.converged
    cert = cm.build(sol)
    assert cert["cost_bound"]["kind"] == "cells"
    rep = cm.verify(cm.dumps(cert))
    assert rep.ok
    # both reach the 1e-12 target (dY = 2: the fans close at the 2^-44 shrink)
    assert rep.rel_gap <= cm.CERT_REL_GAP
    # the same exact dual point through the 3^P signed-support check on the exact cost K_X^-1
    Xt = rq.augment(rq.mat(X), True)
    Q = (Xt.transpose() * Xt).inv()
    Lam = rq.from_strings(cert["dual"]["Lambda"], "Lambda")
    alpha = rq.q(0.05) * rq.q(0.05)
    assert copositive.signed(alpha, Q, Lam).ok
    bigger = Lam * flint.fmpq(101, 100)
    assert not copositive.signed(alpha, Q, bigger).ok
    tampered = dict(cert, dual={"Lambda": rq.to_strings(bigger)})
    bad = cm.verify(tampered)
    assert not bad.ok and any("cone check failed" in p for p in bad.problems)


def test_rank_deficient_single_output_is_certified_exactly():
    rng, X, _ = _data(12, 3, 5)                       # rank 4 < P = 12
    Y = np.sign(rng.standard_normal((1, 12)))
    prob = make_problem(X, Y, 0.05, 0.05)
    assert prob.mode == "range"
    sol = solve_relu(prob)
    cert = cm.build(sol)
    rep = cm.verify(cert)
    assert cert["cost_bound"]["kind"] == "cells" and rep.ok and rep.global_optimum
    # a dual point 1% too large is refused with an exact violating pattern
    Lam = rq.from_strings(cert["dual"]["Lambda"], "Lambda") * flint.fmpq(101, 100)
    res = cells.certify(rq.augment(rq.mat(X), True), Lam, rq.q(0.05) * rq.q(0.05))
    assert not res.ok and res.witness is not None and res.value < 0


def test_single_output_on_the_cells_not_the_signed_supports():
    X, prob = _signed_instance(1, P=14, seed=6)        # 3^14 = 4.8 M signed supports
    sol = solve_relu(prob)
    cert = cm.build(sol)
    rep = cm.verify(cert)
    assert cert["cost_bound"]["kind"] == "cells"
    assert sol.converged and rep.ok and rep.global_optimum


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="`P`"):
        cells.price(np.eye(19), np.ones(19))
    with pytest.raises(ValueError, match="`Lambda`"):
        sectors.build_fan(np.eye(4), np.ones((3, 4)), 1.0)


def test_cells_kind_refused_beyond_the_fans_outputs():
    rng, X, _ = _data(6, 8, 7)
    dY = simplices.MAX_DY + 1
    Y = np.sign(rng.standard_normal((dY, 6)))
    cert = cm.build(solve_relu(make_problem(X, Y, 0.05, 0.05)))
    assert cert["cost_bound"]["kind"] != "cells"
    forged = dict(cert, cost_bound={"kind": "cells"})
    rep = cm.verify(forged)
    assert not rep.ok and any(f"dY <= {simplices.MAX_DY}" in p for p in rep.problems)


def test_fan_coverage_check_detects_a_missing_sector():
    rng, _, Xt = _data(6, 4, 8)
    Lam = rng.standard_normal((2, 6))
    fan = sectors.build_fan(Xt.T @ Xt, Lam, 1.05 * _sampled_ratio(Xt, Lam, rng))
    assert len(fan.cell) and not fan.failed and sectors.fan_covers(fan, 6)
    keep = np.ones(len(fan.cell), dtype=bool)
    keep[0] = False                                     # drop one sector of one cell
    holed = sectors.Fan(fan.cell[keep], fan.r1[keep], fan.r2[keep], fan.C[keep], fan.bound[keep],
                        fan.psd, [], 0, [])
    assert not sectors.fan_covers(holed, 6)


def test_low_rank_nnls_cell_problem_matches_scipy_bounded_least_squares():
    rng, _, Xt = _data(30, 2, 11)                     # rank 3, P = 30
    K = Xt.T @ Xt
    R = cells.low_rank_factor(K)
    assert R.shape == (3, 30)
    F = cells.cell_masks(Xt)[rng.choice(400, 25, replace=False)]
    lam = rng.standard_normal(30)
    for sigma in (1.0, -1.0):
        lo, hi = cells.box_bounds(F, lam, sigma)
        c = cells.cell_qp(K, F, lam, sigma, R)
        assert np.all(c >= lo) and np.all(c <= hi)
        ours = np.sum((c @ K) * c, axis=1)
        ref = np.array([2 * lsq_linear(Xt, np.zeros(3), bounds=(lo[j], hi[j]), method="bvls",
                                       tol=1e-14).cost for j in range(len(F))])
        scale = float(np.max(ref))
        assert np.all(np.abs(ours - ref) <= 1e-10 * scale)


def test_low_rank_single_output_beyond_twenty_samples_is_certified():
    # 1-d inputs with a bias: input weights live on a circle, so the exact cone condition can be
    # cross-checked by sampling the circle densely (an independent test of the certificate)
    rng = np.random.default_rng(12)
    X = np.sort(rng.uniform(-2, 2, (1, 28)), axis=1)
    Y = np.sign(np.sin(2.5 * X))
    prob = make_problem(X, Y, 0.02, 0.05)
    assert prob.P == 28 > 20 and prob.rank == 2
    sol = solve_relu(prob)
    cert = cm.build(sol)
    rep = cm.verify(cert)
    assert cert["cost_bound"]["kind"] == "cells" and rep.ok and rep.global_optimum, rep.problems
    assert cert["summary"]["supports_checked"] == 2 * (2 * 28 - 1)    # N(28, 2) - 1 cells, 2 signs
    Lam = np.array([[float(v) for v in row] for row in rq.from_strings(
        cert["dual"]["Lambda"], "Lambda").tolist()])
    t = np.linspace(0, 2 * np.pi, 400_001)
    W = np.stack([np.cos(t), np.sin(t)], axis=1)
    ratio = (np.maximum(W @ prob.X_tilde, 0) @ Lam[0]) ** 2
    assert ratio.max() <= 0.02 * 0.05 * (1 + 1e-9)
    assert sol.network_energy == pytest.approx(float(rep.upper), rel=1e-12)


def test_beyond_twenty_samples_needs_few_cells():
    rng = np.random.default_rng(13)
    with pytest.raises(InputError, match="cells"):
        make_problem(rng.standard_normal((8, 30)), np.ones((1, 30)), 0.1, 0.1)


def test_two_outputs_on_singular_inputs_go_through_fans_over_the_non_empty_cells():
    rng, X, Xt = _data(9, 3, 14)                      # rank 4 < P = 9
    Y = np.sign(rng.standard_normal((2, 9)))
    prob = make_problem(X, Y, 0.05, 0.05)
    assert prob.mode == "range"
    sol = solve_relu(prob)
    assert sol.converged and sol.exhaustive
    Lam = sol.Lambda
    alpha = rq.q(0.05) * rq.q(0.05)
    sampled = _sampled_ratio(Xt, Lam, rng) / 0.0025
    assert 0.99 < sampled <= 1 + 1e-9                 # the dual point is tight somewhere
    Xq = rq.augment(rq.mat(X), True)
    inside = sectors.certify(Xq, rq.mat(Lam * (1 - 1e-6)), alpha)
    assert inside.ok
    assert cells.cell_set(Xt).count == 185 < 2 ** 9 - 1        # N(9, 4) - 1 non-empty cells
    outside = sectors.certify(Xq, rq.mat(Lam * 1.01), alpha)
    assert not outside.ok and outside.witness is not None and outside.value < 0
    rep = cm.verify(cm.build(sol))
    assert rep.ok and rep.global_optimum
