"""Singular inputs with any number of outputs: the exact face check (numeric.solver.faces).

Witnesses against the defining problems: the face enumeration against a linear-programming
feasibility test of every one of the 3^P sign vectors; the cone check against a dense sweep of
the defining quotient |Lambda relu(X~^T w)|^2 / |w|^2 over input weights; the certificate
against the other exact routes (the penalised range minorant over 3^P signed supports, the
simplicial fans) on the same solutions.

Mutations that fail these tests (tried by hand): the witness test s_i v_i < 0 replaced by
s_i v_i > 0; the one-dimensional flats dropped (``range(r, 1, -1)`` -> ``range(r, 2, -1)``); the
closure of a flat's zero set replaced by the zero sets of its parent and the cutting hyperplane;
the cost form M replaced by the identity on data with dependent features; in the one-neuron
polish, a = B^T K_Y B instead of B^T R K_Y R B, the quotient's denominator squared, a factor 2
dropped from its gradient. One that fails none:
s_i v_i < 0 replaced by <= 0 -- an equivalent test, since x = -H 1 >= 0, x != 0 in the cone
still has x^T A x = -1^T x < 0.
"""
from __future__ import annotations

import flint
import numpy as np
import pytest

from numeric.claims.faces import circle_sup, lp_faces
from numeric.solver import certificate as cm
from numeric.solver import faces, simplices
from numeric.solver import rational as rq
from numeric.solver.problem import MAX_LOW_RANK_FACES, make_problem
from numeric.solver.relu import solve_relu
from numeric.validation import InputError


def _degenerate_data():
    """Small-integer data with repeated, collinear and (without the bias) zero points."""
    rng = np.random.default_rng(3)
    X = rng.integers(-3, 4, (2, 7)).astype(float)
    X[:, 3] = X[:, 1]                                       # a repeated point
    X[:, 5] = 2 * X[:, 2]                                   # parallel through the origin
    X[:, 6] = 0.0                                           # the zero point
    return X


@pytest.mark.parametrize("case", ["generic", "degenerate-bias", "degenerate-no-bias", "dependent"])
def test_the_faces_are_exactly_the_realisable_sign_vectors(case):
    rng = np.random.default_rng(7)
    if case == "generic":
        Xt = np.vstack([rng.standard_normal((2, 7)), np.ones(7)])
    elif case == "degenerate-bias":
        Xt = np.vstack([_degenerate_data(), np.ones(7)])
    elif case == "degenerate-no-bias":
        Xt = _degenerate_data()
    else:                                                   # four features of rank 3
        B = rng.integers(-2, 3, (3, 7)).astype(float)
        Xt = np.vstack([B, B[0] + B[1]])
    geom = faces.geometry(rq.mat(Xt))
    found = {tuple(int(v) for v in s) for fl in geom.flats for s in fl.signs}
    assert len(found) == geom.n_faces                        # every face once
    assert found == lp_faces(Xt)


@pytest.mark.parametrize("D, P", [(1, 9), (2, 8), (3, 9), (4, 8)])
def test_data_in_general_position_have_the_generic_face_count(D, P):
    rng = np.random.default_rng(D * 10 + P)
    Xt = np.vstack([rng.standard_normal((D, P)), np.ones(P)])
    geom = faces.geometry(rq.mat(Xt))
    assert geom.n_faces == faces.generic_face_count(P, D + 1)
    assert faces.generic_face_count(3, 1) == 2 and faces.generic_face_count(2, 2) == 8


def test_the_reduced_cost_is_the_least_weight_norm_on_dependent_features():
    rng = np.random.default_rng(5)
    B = rng.integers(-3, 4, (3, 6)).astype(float)
    Xt = np.vstack([B, B[0] - 2 * B[2]])                     # D = 4, rank 3
    R, M = faces.reduce(rq.mat(Xt))
    assert R.nrows() == 3 and M != rq.eye(3)
    Rf, Mf = rq.to_float(R), rq.to_float(M)
    for _ in range(5):
        w = rng.standard_normal(4)
        h = Xt.T @ w
        u = np.linalg.lstsq(Rf.T, h, rcond=None)[0]
        assert np.allclose(Rf.T @ u, h)
        least = np.linalg.pinv(Xt.T) @ h                       # the least |w| with X~^T w = h
        assert u @ Mf @ u == pytest.approx(least @ least, rel=1e-10)


@pytest.mark.parametrize("seed, P, dY", [(0, 12, 7), (1, 25, 6), (2, 9, 10)])
def test_the_face_check_decides_the_defining_quotient(seed, P, dY):
    """1-d inputs with a bias (rank 2): the sup of |Lambda relu(X~^T w)|^2 / |w|^2 is swept on
    a circle of 2e6 directions and refined locally. The exact check must accept alpha above it
    and reject alpha below it, with an exact witness."""
    rng = np.random.default_rng(seed)
    Xt = np.vstack([rng.standard_normal((1, P)), np.ones(P)])
    Lam = rng.standard_normal((dY, P))
    geom = faces.geometry(rq.mat(Xt))
    top = circle_sup(Xt, Lam)
    assert faces.price(geom, Lam).ratio == pytest.approx(top, rel=1e-12)
    above = faces.certify(geom, rq.mat(Lam), rq.q(top * (1 + 1e-9)))
    assert above.ok and above.checked == geom.n_faces
    below = faces.certify(geom, rq.mat(Lam), rq.q(top * (1 - 1e-9)))
    assert not below.ok and below.value < 0
    h = np.array([float(v) for v in below.witness])
    w = np.linalg.lstsq(Xt.T, h, rcond=None)[0]
    assert np.allclose(Xt.T @ w, h, atol=1e-9 * np.max(np.abs(h)))     # reachable
    assert np.sum((Lam @ np.maximum(h, 0)) ** 2) > top * (1 - 1e-9) * (w @ w)


@pytest.mark.parametrize("D, P, dY", [(2, 10, 6), (3, 9, 8)])
def test_the_face_check_agrees_with_a_sampled_sup_in_higher_rank(D, P, dY):
    rng = np.random.default_rng(D + P)
    Xt = np.vstack([rng.standard_normal((D, P)), np.ones(P)])
    Lam = rng.standard_normal((dY, P))
    geom = faces.geometry(rq.mat(Xt))
    W = rng.standard_normal((400_000, D + 1))
    W /= np.linalg.norm(W, axis=1, keepdims=True)
    sampled = float(np.max(np.sum((np.maximum(W @ Xt, 0) @ Lam.T) ** 2, axis=1)))
    ratio = faces.price(geom, Lam).ratio
    assert sampled <= ratio * (1 + 1e-12) and ratio <= sampled * (1 + 2e-2)
    assert faces.certify(geom, rq.mat(Lam), rq.q(ratio * (1 + 1e-9))).ok
    assert not faces.certify(geom, rq.mat(Lam), rq.q(ratio * (1 - 1e-9))).ok


def test_the_face_check_refuses_a_mismatched_dual_point_and_huge_arrangements():
    Xt = rq.mat(np.vstack([np.arange(5.0)[None, :], np.ones(5)]))
    geom = faces.geometry(Xt)
    with pytest.raises(ValueError, match="`Lam` must have P = 5 columns; got 4"):
        faces.certify(geom, rq.mat(np.ones((2, 4))), flint.fmpq(1))
    rng = np.random.default_rng(0)
    big = rq.mat(np.vstack([rng.standard_normal((3, 12)), np.ones(12)]))
    with pytest.raises(ValueError, match="`max_faces` is 100"):
        faces.geometry(big, max_faces=100)


# ----------------------------------------------------------------------- solver and certificate

@pytest.fixture(scope="module")
def six_outputs_in_the_plane():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((2, 8)), np.sign(rng.standard_normal((6, 8)))
    prob = make_problem(X, Y, 0.05, 0.05)
    assert prob.mode == "range" and prob.rank == 3
    return solve_relu(prob)


def test_six_outputs_on_singular_inputs_are_certified_on_the_faces(six_outputs_in_the_plane):
    sol = six_outputs_in_the_plane
    assert sol.converged
    cert = cm.build(sol)
    assert cert["cost_bound"]["kind"] == "faces" and "every face" in cert["summary"]["cone_method"]
    rep = cm.verify(cm.dumps(cert))
    assert rep.ok and rep.global_optimum and rep.rel_gap <= 1e-12, rep.problems
    # the independent exact route over the 3^P signed supports (penalised range minorant)
    # certifies the same solution; the two exact brackets overlap
    other = cm.build_without_fans(sol)
    assert other["cost_bound"]["kind"] == "range"
    rep2 = cm.verify(other)
    assert rep2.ok
    assert max(rep.lower, rep2.lower) <= min(rep.upper, rep2.upper)
    # a dual point pushed out of the cone is rejected with an exact witness
    Lam = rq.from_strings(cert["dual"]["Lambda"], "Lambda") * flint.fmpq(101, 100)
    bad = cm.verify(dict(cert, dual={"Lambda": rq.to_strings(Lam)}, bounds=dict(
        cert["bounds"], lower=str(rq.dual_value(Lam, rq.from_strings(cert["problem"]["Y"], "Y"))))))
    assert not bad.ok and any("cone check failed: pattern h" in p for p in bad.problems)


def test_the_faces_cross_check_the_fans_on_three_outputs(monkeypatch):
    rng = np.random.default_rng(2)
    X = np.sort(rng.uniform(-2, 2, (1, 14)), axis=1)
    Y = np.sign(np.sin(np.array([[2.5], [1.3], [0.7]]) * X + 0.3))
    prob = make_problem(X, Y, 0.02, 0.05)
    # the default: few faces (1-d inputs), so the whole run is on the faces -- no fan
    sol = solve_relu(prob)
    face = cm.build(sol)
    assert sol.fan is None and face["cost_bound"]["kind"] == "faces"
    fan = cm.build_on_fans(sol)                    # the independent route, same solution
    assert fan["cost_bound"]["kind"] == "cells" and "simplicial cones" in fan["summary"]["cone_method"]
    r1, r2 = cm.verify(fan), cm.verify(face)
    assert r1.ok and r2.ok and r2.global_optimum
    assert max(r1.lower, r2.lower) <= min(r1.upper, r2.upper)
    assert abs(r2.rel_gap) <= 1e-12
    # the knob raised to 6 restores the fans for the whole run: the same certified optimum,
    # and the faces certify that solution too
    monkeypatch.setattr(faces, "PREFERRED_DY_MIN", 6)
    sol3 = solve_relu(prob)
    cert3 = cm.build(sol3)
    r3, r4 = cm.verify(cert3), cm.verify(cm.build_on_faces(sol3))
    assert sol3.fan is not None and cert3["cost_bound"]["kind"] == "cells" and r3.global_optimum
    assert r4.ok and max(r1.lower, r2.lower, r3.lower, r4.lower) <= min(r1.upper, r2.upper, r3.upper, r4.upper)
    with pytest.raises(cm.CertificateError, match="got rank 3 of P = 3, dY = 3"):
        cm.build_on_fans(solve_relu(make_problem(rng.standard_normal((2, 3)), Y[:, :3], 0.1, 0.1)))


def test_two_to_five_outputs_go_to_the_faces_only_when_the_arrangement_has_few_faces():
    assert faces.generic_face_count(16, 5) <= faces.PREFERRED_MAX_FACES < faces.generic_face_count(14, 6)
    for dY in (2, 3, 4, 5):
        assert not simplices.prefers_fan(dY, 16, False, 5)     # 59 202 faces: the faces
        # 134 008 faces: the fans, but for two outputs (their fans are far slower)
        assert simplices.prefers_fan(dY, 14, False, 6) == (dY > 2)
        assert not simplices.prefers_fan(dY, 8, False)         # (rank not given: the faces)
    assert faces.generic_face_count(18, 8) > faces.MAX_FACES
    assert simplices.prefers_fan(2, 18, False, 8)              # beyond MAX_FACES: the fans
    assert not simplices.prefers_fan(6, 14, False, 6)          # no fans beyond five outputs


def test_many_outputs_beyond_twenty_samples_are_accepted_when_the_faces_are_few():
    rng = np.random.default_rng(11)
    prob = make_problem(rng.standard_normal((1, 40)), np.sign(rng.standard_normal((8, 40))), 0.1, 0.1)
    assert prob.P == 40 and prob.dY == 8 and prob.rank == 2
    assert faces.generic_face_count(40, 2) <= MAX_LOW_RANK_FACES
    with pytest.raises(InputError, match="faces"):
        make_problem(rng.standard_normal((8, 30)), np.ones((6, 30)), 0.1, 0.1)
    with pytest.raises(cm.CertificateError, match="singular inputs"):
        cm.build_on_faces(solve_relu(make_problem(rng.standard_normal((4, 4)), np.ones((1, 4)),
                                                  0.1, 0.1, bias=False)))


def test_the_one_neuron_polish_lowers_the_energy_and_keeps_every_sign():
    from numeric.solver.polish import one_neuron_energy, one_neuron_form, polish_range_blocks
    rng = np.random.default_rng(4)
    Xt = np.vstack([rng.standard_normal((2, 12)), np.ones(12)])
    Y = np.sign(rng.standard_normal((6, 12)))
    KY, lam1, lam2 = Y.T @ Y, 0.0025, 1.0
    W0 = rng.standard_normal((9, 3))

    def energy(W, S):
        Phi = np.where(S > 0, W @ Xt, 0.0)
        fit = lam2 * np.trace(Y @ np.linalg.solve(lam2 * np.eye(12) + Phi.T @ Phi, Y.T))
        return lam1 * float(np.sum(W * W)) + fit

    S = np.sign(W0 @ Xt)
    # the one-neuron form (Sherman-Morrison) against the energy's definition, same signs
    a, r = one_neuron_form(W0, S, 3, Xt, KY, lam2)
    diffs = []
    for t in (0.5, 1.0, 2.0):
        W1 = W0.copy()
        W1[3] *= t
        w = W1[3]
        diffs.append(one_neuron_energy(w, a, r, lam1, lam2)[0] - energy(W1, S))
    assert np.ptp(diffs) <= 1e-12 * max(1.0, abs(diffs[0]))
    w, dw = W0[3], 1e-6 * rng.standard_normal(3)                # its gradient, central differences
    fd = (one_neuron_energy(w + dw, a, r, lam1, lam2)[0] - one_neuron_energy(w - dw, a, r, lam1, lam2)[0]) / 2
    assert fd == pytest.approx(one_neuron_energy(w, a, r, lam1, lam2)[1] @ dw, rel=1e-6)
    W = polish_range_blocks(W0, Xt, KY, lam1, lam2)
    assert np.all(S * (W @ Xt) >= -1e-12)                    # every sign kept (zeros allowed)
    assert energy(W, S) < energy(W0, S) - 1e-3               # and the energy went down


def test_the_certificate_reuses_the_solvers_faces_only_for_the_same_data(monkeypatch):
    rng = np.random.default_rng(11)
    X, Y = rng.standard_normal((3, 10)), np.sign(rng.standard_normal((6, 10)))
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05))
    assert sol.faces is not None and sol.faces.source == rq.augment(rq.mat(X), True)
    calls = []
    real = faces.geometry
    monkeypatch.setattr(faces, "geometry", lambda *a, **k: calls.append(1) or real(*a, **k))
    cert = cm.build(sol)
    assert not calls                                         # reused: no second enumeration
    # a geometry of other data is not taken: the certificate enumerates its own
    other = real(rq.augment(rq.mat(rng.standard_normal((3, 10))), True))
    sol.faces = other
    cert2 = cm.build(sol)
    assert calls and cert2["bounds"] == cert["bounds"] and cm.verify(cert2).global_optimum


def test_when_the_faces_do_not_certify_two_to_five_outputs_fall_back_to_the_fans(monkeypatch):
    rng = np.random.default_rng(5)
    X = np.sort(rng.uniform(-2, 2, (1, 12)), axis=1)
    Y = np.sign(np.sin(np.array([[2.5], [1.3]]) * X + 0.3))
    sol = solve_relu(make_problem(X, Y, 0.02, 0.05))
    assert cm.build(sol)["cost_bound"]["kind"] == "faces"
    from numeric.solver import copositive
    monkeypatch.setattr(cm, "_faces_cone", lambda *a: copositive.ConeResult(False, "refused", 0))
    cert = cm.build(sol)
    assert cert["cost_bound"]["kind"] == "cells" and cm.verify(cert).global_optimum
    with pytest.raises(cm.CertificateError, match="no shrink"):
        cm.build_on_faces(sol)                          # (the faces alone do fail here)
