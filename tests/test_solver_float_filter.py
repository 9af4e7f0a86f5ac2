"""The rigorous floating-point filter of the fans' cone checks (numeric.solver.float_filter):
it may only accept what the exact test accepts, its bounds must hold in exact arithmetic, and it
must decide most cones of a real certificate.

Mutation checks run by hand: dropping the form's error term or the box's upward margin, or
making the split's remainder negative, fails a test here. Dropping the rounding slacks of
steps 4-5 (the final comparisons) fails none: on every stack tried, boundary and knife-edge
alike, the sign of the computed x or the float Cholesky already rejects what is not
copositive. The slacks stay, as the proof needs them."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from numeric.solver import float_filter as ff
from numeric.solver import rational as rq
from numeric.solver import sectors, simplices
from test_solver_simplices import _instance, _sampled_ratio


def _exact_ints(L: np.ndarray) -> np.ndarray:
    """The float stack L as integers with one power-of-two scale per matrix (exact)."""
    out = np.empty(L.shape, dtype=object)
    for n in range(len(L)):
        fr = [Fraction(float(v)) for v in L[n].ravel()]
        den = max(f.denominator for f in fr)
        out[n] = np.array([int(f * den) for f in fr], dtype=object).reshape(L.shape[1:])
    return out


def _boundary_stack(rng, d: int, n: int) -> np.ndarray:
    """Symmetric d x d matrices whose diagonal shift puts them at relative distances 1e-15 ..
    1e-2 on both sides of the copositive boundary (found by bisection of the float test)."""
    A = rng.standard_normal((n, d, d))
    A = (A + A.transpose(0, 2, 1)) / 2
    lo, hi = np.full(n, -10.0), np.full(n, 10.0)
    eye = np.eye(d)[None]
    for _ in range(80):
        mid = (lo + hi) / 2
        ok = simplices.copositive(A + mid[:, None, None] * eye)
        hi, lo = np.where(ok, mid, hi), np.where(ok, lo, mid)
    rel = 10.0 ** rng.uniform(-15, -2, n) * rng.choice([-1, 1], n)
    return A + (hi * (1 + rel) + rel)[:, None, None] * eye


@pytest.mark.parametrize("d", [2, 3, 4, 5])
def test_the_filter_only_accepts_exactly_copositive_matrices(d):
    rng = np.random.default_rng(40 + d)
    L = _boundary_stack(rng, d, 400)
    exact = simplices.copositive(_exact_ints(L))
    m_ok = ff.m_matrix_copositive(L)
    pd_ok = ff.positive_definite(ff.psd_part(L))
    assert not np.any(m_ok & ~exact) and not np.any(pd_ok & ~exact)
    # not vacuous: a share of the copositive ones is proved (measured: all at d = 2, 19 % at
    # d = 5, where copositive no longer means PSD + non-negative), from d = 3 on by both tests
    # (for d = 2 the Z-part is L itself or diagonal, so step 5 adds nothing)
    assert exact.any() and not exact.all()
    assert (m_ok | pd_ok)[exact].mean() > 0.1 and m_ok.any()
    assert d == 2 or (pd_ok & ~m_ok).any()


def test_psd_part_leaves_a_non_negative_remainder_exactly():
    rng = np.random.default_rng(7)
    L = _boundary_stack(rng, 4, 300)
    S = ff.psd_part(L)
    assert np.any(S != L)
    for n in range(len(L)):
        for i in range(4):
            for j in range(4):
                rem = Fraction(float(L[n, i, j])) - Fraction(float(S[n, i, j]))
                assert rem >= 0 and (i != j or rem == 0)


def _cancelling_instance(rng, n=60, D=6, P=9, d=3):
    """Ill-conditioned inputs, box points with large components along the near-null space (so
    z = X c cancels), rays of very different bit lengths: the rounding errors of the form are
    not small compared with the form."""
    U_, _, Vt = np.linalg.svd(rng.standard_normal((D, P)), full_matrices=False)
    Xf = (U_ * np.logspace(0, -7, D)) @ Vt
    Lf = rng.standard_normal((d, P))
    alpha = float(rng.uniform(0.5, 2.0))
    R = np.empty((n, d, d), dtype=object)
    for k in range(n):
        for i in range(d):
            bits = int(rng.integers(1, 300))
            R[k, i] = [int(v) * (1 << bits) + int(rng.integers(-9, 10)) for v in rng.integers(-50, 51, d)]
    big = 1e3 * Vt[-1]
    Cv = rng.standard_normal((n, P, d)) * 1e-3 + big[None, :, None] * rng.standard_normal((n, 1, d))
    F = rng.random((n, P)) < 0.6
    return Xf, Lf, alpha, R, Cv, F


def _exact_form(Xf, alpha, R, c):
    """T = alpha rho rho^T - (X c)^T (X c) in Fractions, rho_k = r_k / 2^{b_k} as in scaled_rays."""
    n, d, _ = R.shape
    X = [[Fraction(float(v)) for v in row] for row in Xf]
    out = []
    for k in range(n):
        rho = []
        for a in range(d):
            b = max(abs(int(v)).bit_length() for v in R[k, a])
            rho.append([Fraction(int(v), 1 << b) for v in R[k, a]])
        cc = [[Fraction(float(c[k, p, a])) for a in range(d)] for p in range(len(X[0]))]
        z = [[sum(X[i][p] * cc[p][a] for p in range(len(cc))) for a in range(d)] for i in range(len(X))]
        T = [[Fraction(alpha) * sum(x * y for x, y in zip(rho[a], rho[b]))
              - sum(z[i][a] * z[i][b] for i in range(len(z))) for b in range(d)] for a in range(d)]
        out.append((rho, cc, T))
    return out


def test_box_values_and_lower_form_hold_in_exact_arithmetic():
    rng = np.random.default_rng(3)
    Xf, Lf, alpha, R, Cv, F = _cancelling_instance(rng)
    rho = ff.scaled_rays(R)
    c = ff.box_values(Lf, rho, Cv, F)
    L = ff.lower_form(Xf, alpha, rho, c)
    Lam = [[Fraction(float(v)) for v in row] for row in Lf]
    worst = 0.0
    for k, (rho_x, cc, T) in enumerate(_exact_form(Xf, alpha, R, c)):
        for a in range(len(rho_x)):
            for p in range(len(cc)):
                low = sum(Lam[q][p] * rho_x[a][q] for q in range(len(rho_x)))
                assert (cc[p][a] >= low) if F[k, p] else (cc[p][a] <= 0)
        for a in range(len(T)):
            for b in range(len(T)):
                assert Fraction(float(L[k, a, b])) <= T[a][b]
                gap = float(T[a][b] - Fraction(float(L[k, a, b])))
                worst = max(worst, gap / max(abs(float(T[a][b])), 1e-300))
    # the instance really stresses the bound: the margin taken is far above u relative to T
    assert worst > 1e-12


def test_without_the_error_term_the_lower_form_is_wrong_on_cancelling_data(monkeypatch):
    rng = np.random.default_rng(3)
    Xf, Lf, alpha, R, Cv, F = _cancelling_instance(rng)
    monkeypatch.setattr(ff, "U", 0.0)
    monkeypatch.setattr(ff, "TINY", 0.0)
    rho = ff.scaled_rays(R)
    c = ff.box_values(Lf, rho, Cv, F)
    L = ff.lower_form(Xf, alpha, rho, c)
    above = sum(Fraction(float(L[k, a, b])) > T[a][b]
                for k, (_, _, T) in enumerate(_exact_form(Xf, alpha, R, c))
                for a in range(len(T)) for b in range(len(T)))
    assert above > 0


@pytest.mark.parametrize("dY", [3, 4])
def test_certify_gives_the_same_verdicts_with_far_fewer_exact_cones(dY, monkeypatch):
    rng, _, Xt = _instance()
    Lam = rng.standard_normal((dY, 7))
    top = _sampled_ratio(Xt, Lam, rng)
    Xq, Lq = rq.mat(Xt), rq.mat(Lam)
    for factor in (1.05, 0.95):
        runs = {}
        for exact in ("0", "1"):
            monkeypatch.setenv("EMERGENCE_EXACT_CONES", exact)
            runs[exact] = simplices.certify(Xq, Lq, rq.q(factor * top))
        assert runs["0"].ok == runs["1"].ok == (factor > 1)
        if factor > 1:
            assert runs["1"].exact_cones > 0 and runs["0"].exact_cones < 0.2 * runs["1"].exact_cones


def _knife_edge_stack(rng, d: int, n: int) -> np.ndarray:
    """Exactly singular copositive matrices (weighted graph Laplacians: Z-matrices with null
    vector 1; and B B^T with B of rank d - 1) moved by a symmetric perturbation of relative
    size 2^-52 .. 2^-44, so about half are not copositive by a hair rounding cannot see."""
    out = []
    for k in range(n):
        if k % 2:
            W = np.triu(rng.integers(1, 10, (d, d)).astype(float), 1)
            W = W + W.T
            base = np.diag(W.sum(axis=1)) - W
        else:
            B = rng.integers(-5, 6, (d, d - 1)).astype(float)
            base = B @ B.T
        E = rng.integers(-3, 4, (d, d)).astype(float)
        E = np.triu(E) + np.triu(E, 1).T
        out.append(base + np.ldexp(E, -int(rng.integers(44, 53))) * np.abs(base).max())
    return np.array(out)


@pytest.mark.parametrize("d", [3, 4])
def test_the_filter_only_accepts_exactly_copositive_matrices_on_the_knife_edge(d):
    rng = np.random.default_rng(70 + d)
    L = _knife_edge_stack(rng, d, 2000)
    exact = simplices.copositive(_exact_ints(L))
    assert exact.any() and not exact.all()
    assert not np.any(ff.m_matrix_copositive(L) & ~exact)
    assert not np.any(ff.positive_definite(ff.psd_part(L)) & ~exact)
    assert not np.any(ff.positive_definite(L) & ~exact)


def test_float_rays_are_an_exact_power_of_two_scaling():
    rng = np.random.default_rng(5)
    R = rng.standard_normal((50, 2, 2)) * 10.0 ** rng.uniform(-30, 30, (50, 2, 1))
    rho = ff.float_rays(R)
    top = np.abs(rho).max(axis=2)
    assert np.all((top >= 0.5) & (top < 1))
    ratio = R / rho
    assert np.all(ratio == ratio[:, :, :1])                        # one factor per ray
    assert np.all(np.frexp(ratio)[0] == 0.5)                       # a power of two


@pytest.mark.parametrize("factor", [1.05, 0.95])
def test_two_output_sectors_give_the_same_verdicts_with_far_fewer_exact_tests(factor, monkeypatch):
    rng = np.random.default_rng(8)
    Xt = rng.standard_normal((7, 7))                               # full rank: the sector fans
    Lam = rng.standard_normal((2, 7))
    assert not simplices.handles(2, full_rank=True)
    top = _sampled_ratio(Xt, Lam, rng)
    runs = {}
    for exact in ("0", "1"):
        monkeypatch.setenv("EMERGENCE_EXACT_CONES", exact)
        runs[exact] = sectors.certify(rq.mat(Xt), rq.mat(Lam), rq.q(factor * top))
    assert runs["0"].ok == runs["1"].ok == (factor > 1)
    if factor > 1:
        assert runs["1"].exact_cones > 0 and runs["0"].exact_cones < 0.2 * runs["1"].exact_cones
