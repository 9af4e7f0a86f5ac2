"""The binary64 filter of the exact face check (numeric.solver.face_filter): it may only skip faces
that the definition, evaluated in rationals, says are no witness; its error bound on v must hold
against v in rationals; the check's verdict must not change with it; and it must decide almost
every face of a real certificate.

Mutation checks run by hand: dropping the |X~| E_G term of delta, the 2 delta term of e_c, or
the |C~| e_c term of e_v fails a test here. Three fail none: e_B set to 0 (the other terms of
E_G dominate on every face tried), and, each alone, testing s_i v~_i > 0 without the e_v margin
or dropping the delta <= 1/2 test -- the two guard the same failure (a near-singular G at a
witness face, where binary64 gets the sign of v wrong; tested below), and each suffices there
(e_v >= 2 delta |v~| once delta >= 1/2). With both removed the filter skips witness faces. All
stay, as the proof needs them."""
from __future__ import annotations

import flint
import numpy as np
import pytest

from numeric.solver import certificate as cm
from numeric.solver import face_filter, faces, make_problem, solve_relu
from numeric.solver import rational as rq
from numeric.solver.signed_filter import entry_floats


def _exact_v(geom, N, s, Lam, alpha):
    """v = C G^{-1} C^T s in rationals (None when G is singular): C = R^T N,
    G = alpha N^T M N - B^T B, B = Lambda D_T C."""
    C = geom.R.transpose() * N
    P = C.nrows()
    DT = flint.fmpq_mat(P, P, [1 if (i == j and s[i] > 0) else 0 for i in range(P) for j in range(P)])
    B = Lam * DT * C
    G = N.transpose() * geom.M * N * alpha - B.transpose() * B
    if G.det() == 0:
        return None
    return (C * G.solve(C.transpose() * flint.fmpq_mat(P, 1, [int(x) for x in s]))).entries()


def _is_witness(geom, N, s, Lam, alpha) -> bool:
    """The face's definition in rationals: witness iff G is invertible and s_i v_i < 0 wherever
    s_i != 0."""
    v = _exact_v(geom, N, s, Lam, alpha)
    return v is not None and all(v[i] * int(s[i]) < 0 for i in range(len(v)) if s[i])


@pytest.fixture(scope="module")
def tight():
    """Six outputs, eight points in the plane (rank 3): the exact geometry and a dual point on the
    cone boundary (the solver's, scaled by its exhaustive float ratio)."""
    rng = np.random.default_rng(7)
    X, Y = rng.standard_normal((2, 8)), np.sign(rng.standard_normal((6, 8)))
    prob = make_problem(X, Y, 0.05, 0.05)
    sol = solve_relu(prob)
    _, _, l1, l2, Xt = cm._exact_problem(X, prob.Y, prob.lam1, prob.lam2, True)
    geom = faces.geometry(Xt)
    Lf = np.asarray(sol.Lambda)
    alpha = l1 * l2
    Lam = cm._round_dual(Lf / np.sqrt(max(1.0, faces.price(geom, Lf).ratio / float(alpha))))
    return geom, Lam, alpha


@pytest.mark.parametrize("scale", ["1 - 2^-40", "1 + 2^-40", "1 + 10^-9", "101/100"])
def test_the_filter_only_skips_faces_that_are_no_witness(tight, scale):
    geom, Lam, alpha = tight
    f = {"1 - 2^-40": 1 - rq.q(2.0 ** -40), "1 + 2^-40": 1 + rq.q(2.0 ** -40),
         "1 + 10^-9": 1 + rq.q(1e-9), "101/100": flint.fmpq(101, 100)}[scale]
    L = Lam * f
    Lf, af = entry_floats(L), int(alpha.p) / int(alpha.q)
    proved_total = witnesses = 0
    for fl in geom.flats:
        N = flint.fmpq_mat(fl.N)
        ok = face_filter.no_witness(Lf, af, entry_floats(geom.R.transpose() * N),
                                    entry_floats(N.transpose() * geom.M * N), fl.signs)
        for s, proved in zip(fl.signs, ok):
            w = _is_witness(geom, N, s, L, alpha)
            witnesses += w
            assert not (proved and w), f"a witness face was skipped: signs {s}"
        proved_total += int(ok.sum())
    assert proved_total >= 0.8 * geom.n_faces               # it decides almost every face
    if scale == "101/100":
        assert witnesses > 0                                 # (the test can see a wrong skip)


@pytest.mark.parametrize("scale", ["1 - 2^-40", "101/100"])
def test_the_error_bound_of_v_holds_against_the_exact_v(tight, scale):
    """|v - v~| <= e_v wherever the filter's inverse is verified (delta <= 1/2), v in rationals;
    and the bound is not vacuous: v~ itself carries rounding error that e_v = 0 would miss."""
    geom, Lam, alpha = tight
    L = Lam * (1 - rq.q(2.0 ** -40) if scale == "1 - 2^-40" else flint.fmpq(101, 100))
    Lf, af = entry_floats(L), int(alpha.p) / int(alpha.q)
    checked = inexact = 0
    for fl in geom.flats[::3]:
        N = flint.fmpq_mat(fl.N)
        v, ev, delta, finite = face_filter.bounds(Lf, af, entry_floats(geom.R.transpose() * N),
                                                  entry_floats(N.transpose() * geom.M * N), fl.signs)
        for a in np.flatnonzero((delta <= 0.5) & finite):
            ve = _exact_v(geom, N, fl.signs[a], L, alpha)
            err = [abs(rq.frac(ve[i]) - rq.frac(rq.q(float(v[a, i])))) for i in range(len(ve))]
            assert all(e <= rq.frac(rq.q(float(b))) for e, b in zip(err, ev[a]))
            checked += 1
            inexact += any(e > 0 for e in err)
    assert checked >= 50 and inexact >= 0.5 * checked


def test_faces_that_turn_witness_through_a_singular_G_are_declined_by_both_guards(tight):
    """Scaling the dual point from 1 to 101/100, faces turn witness where G passes through
    singularity (bisected in rationals to within 2^-60 of the switch, on the witness side).
    There binary64 gets the sign of v wrong (s v~ > 0 where the exact s v ~ -1e35): the face
    must be declined, and it is so twice over -- delta > 1/2 and e_v >= |v~|."""
    geom, Lam, alpha = tight
    af = int(alpha.p) / int(alpha.q)
    seen = wrong_sign = 0
    for fl in geom.flats:
        N = flint.fmpq_mat(fl.N)
        for a, s in enumerate(fl.signs):
            if seen >= 4 or not (_is_witness(geom, N, s, Lam * flint.fmpq(101, 100), alpha)
                                 and not _is_witness(geom, N, s, Lam, alpha)):
                continue
            lo, hi = flint.fmpq(1), flint.fmpq(101, 100)
            for _ in range(60):
                mid = (lo + hi) / 2
                lo, hi = (lo, mid) if _is_witness(geom, N, s, Lam * mid, alpha) else (mid, hi)
            L = Lam * hi
            args = (entry_floats(L), af, entry_floats(geom.R.transpose() * N),
                    entry_floats(N.transpose() * geom.M * N), fl.signs[a:a + 1])
            v, ev, delta, finite = face_filter.bounds(*args)
            assert _is_witness(geom, N, s, L, alpha) and not face_filter.no_witness(*args)[0]
            on = s != 0
            assert not finite[0] or (delta[0] > 0.5 and np.all(ev[0][on] >= np.abs(v[0][on])))
            wrong_sign += bool(finite[0] and np.any(s[on] * v[0][on] > 0))
            seen += 1
    assert seen == 4 and wrong_sign >= 1            # (the danger is real on this instance)


def test_a_bad_guess_of_the_inverses_proves_nothing_wrong(tight):
    geom, Lam, alpha = tight
    L = Lam * flint.fmpq(101, 100)
    Lf, af = entry_floats(L), int(alpha.p) / int(alpha.q)
    rng = np.random.default_rng(0)
    for fl in geom.flats[:40]:
        N = flint.fmpq_mat(fl.N)
        Cf, Af = entry_floats(geom.R.transpose() * N), entry_floats(N.transpose() * geom.M * N)
        k = Cf.shape[1]
        zero = face_filter.no_witness(Lf, af, Cf, Af, fl.signs, guess=np.zeros((len(fl.signs), k, k)))
        assert not zero.any()                                # delta = 1: nothing is proved
        Bs = [Lf @ ((s > 0)[:, None] * Cf) for s in fl.signs]
        G = np.array([af * Af - B.T @ B for B in Bs])
        noisy = np.linalg.inv(G) * (1 + 1e-3 * rng.standard_normal((len(fl.signs), k, k)))
        rough = face_filter.no_witness(Lf, af, Cf, Af, fl.signs, guess=noisy)
        # minus the inverse flips every v~ (witness faces would look proved): delta = 2 declines
        flipped = face_filter.no_witness(Lf, af, Cf, Af, fl.signs, guess=-np.linalg.inv(G))
        assert not flipped.any()
        for s, p in zip(fl.signs, rough):
            assert not (p and _is_witness(geom, N, s, L, alpha))


def test_non_finite_data_is_declined():
    signs = np.array([[1, -1, 1], [1, 1, -1]], dtype=np.int8)
    Cf, Af = np.array([[1.0], [0.5], [-1.0]]), np.array([[2.0]])
    Lf = np.array([[np.inf, 0.0, 1.0]])
    assert not face_filter.no_witness(Lf, 1.0, Cf, Af, signs).any()
    assert not face_filter.no_witness(np.ones((1, 3)), 1.0, Cf, Af, np.zeros((0, 3), np.int8)).any()


def test_the_certificate_is_the_same_with_and_without_the_filter(monkeypatch):
    rng = np.random.default_rng(11)
    X, Y = rng.standard_normal((3, 10)), np.sign(rng.standard_normal((6, 10)))
    sol = solve_relu(make_problem(X, Y, 0.05, 0.05))
    monkeypatch.delenv("EMERGENCE_EXACT_CONES", raising=False)
    with_filter = cm.build(sol)
    assert with_filter["cost_bound"]["kind"] == "faces"
    meth = with_filter["summary"]["cone_method"]
    n_exact = int(meth.split(" of them in integers")[0].split(", ")[-1])
    assert n_exact <= 0.05 * with_filter["summary"]["supports_checked"]
    monkeypatch.setenv("EMERGENCE_EXACT_CONES", "1")
    without = cm.build(sol)
    assert without["bounds"] == with_filter["bounds"]
    assert f"{without['summary']['supports_checked']} of them in integers" in without["summary"]["cone_method"]
    assert cm.verify(with_filter).global_optimum and cm.verify(without).global_optimum
