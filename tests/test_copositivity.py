"""Tests for numeric.copositivity (exact copositivity via Cottle-Habetler-Lemke)."""

from __future__ import annotations

import itertools
import time
from decimal import Decimal
from fractions import Fraction as F

import flint
import numpy as np
import pytest
import sympy

import numeric.copositivity as cop
from numeric.copositivity import (
    CopositivityResult,
    decide_copositive,
    min_on_simplex_estimate,
    quadratic_form,
    to_fmpq_matrix,
)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def horn() -> list[list[int]]:
    H = [[0] * 5 for _ in range(5)]
    for i in range(5):
        H[i][i] = 1
        for d, v in ((1, -1), (2, 1)):
            H[i][(i + d) % 5] = H[(i + d) % 5][i] = v
    return H


def as_float(S) -> np.ndarray:
    return np.array([[float(v) for v in row] for row in S])


def check_witness(S, res: CopositivityResult) -> None:
    """Exact re-check of a non-copositivity witness, independent of the module."""
    assert not res.copositive
    x = res.witness
    assert x is not None and len(x) == len(S)
    assert all(isinstance(v, F) for v in x)
    assert all(v >= 0 for v in x) and any(v > 0 for v in x)
    n = len(S)
    val = sum(F(S[i][j]) * x[i] * x[j] for i in range(n) for j in range(n))
    assert val == res.value and val < 0


def chain_matrix(n: int, c: F) -> list[list[F]]:
    """(I - J/(n+1)) - c*C with C the adjacency matrix of the n-cycle.

    For c = 1/(2(n+1)) it is PSD and singular with kernel spanned by 1 > 0, so
    copositive but not strictly (zero at x = 1); for larger c it is not
    copositive and the only failing principal submatrix is the full one.
    """
    S = [[F(int(i == j)) - F(1, n + 1) for j in range(n)] for i in range(n)]
    for i in range(n):
        for j in ((i + 1) % n, (i - 1) % n):
            S[i][j] -= c
    return S


# ---------------------------------------------------------------------------
# 1. known copositive
# ---------------------------------------------------------------------------


def test_identity():
    for n in range(0, 7):
        res = decide_copositive([[int(i == j) for j in range(n)] for i in range(n)])
        assert res.copositive and res.n == n and res.witness is None and res.value is None
        assert res.zeros == []
        assert res.submatrices_checked == 2 ** n - 1
        assert "Cottle-Habetler-Lemke" in res.method and not res.float_input


@pytest.mark.parametrize("prune", [True, False])
def test_nonnegative_matrices_are_copositive(prune):
    rng = np.random.default_rng(1)
    for _ in range(20):
        n = int(rng.integers(1, 7))
        A = rng.integers(0, 4, size=(n, n))
        A = A + A.T
        res = decide_copositive(A, prune=prune)
        assert res.copositive
        if prune and n >= 2:
            assert res.pruned == 2 ** n - 1 - n  # every subset of size >= 2 pruned


def test_zero_matrix_zeros_complete_without_pruning():
    Z = [[0] * 4 for _ in range(4)]
    assert decide_copositive(Z).copositive
    assert decide_copositive(Z).zeros == [(i,) for i in range(4)]
    res = decide_copositive(Z, prune=False)
    assert res.copositive and len(res.zeros) == 15


def test_psd_singular_with_negative_entries():
    res = decide_copositive([[1, -1], [-1, 1]])
    assert res.copositive
    assert res.zeros == [(0, 1)]  # singular: zero at x = (1, 1)
    assert quadratic_form([[1, -1], [-1, 1]], [1, 1]) == 0


def test_random_psd_gram_matrices():
    rng = np.random.default_rng(2)
    for _ in range(20):
        A = rng.integers(-3, 4, size=(3, 5))  # rank <= 3, so 5x5 Gram matrix is singular
        G = (A.T @ A).tolist()
        assert decide_copositive(G).copositive


def test_horn_matrix_copositive_not_psd_not_nonneg():
    H = horn()
    res = decide_copositive(H)
    assert res.copositive and res.n == 5
    assert any(v < 0 for row in H for v in row)  # not nonnegative
    assert min(np.linalg.eigvalsh(np.array(H, float))) < -0.1  # not PSD
    # Horn zeros, e.g. x = (1,1,0,0,0) and x = (1,2,1,0,0)
    assert quadratic_form(H, [1, 1, 0, 0, 0]) == 0
    assert quadratic_form(H, [1, 2, 1, 0, 0]) == 0
    assert (0, 1) in res.zeros and (0, 1, 2) in res.zeros


def test_boundary_chain_matrix_copositive_with_interior_zero():
    n = 8
    S = chain_matrix(n, F(1, 2 * (n + 1)))
    res = decide_copositive(S)
    assert res.copositive
    assert res.zeros == [tuple(range(n))]
    assert quadratic_form(S, [1] * n) == 0


# ---------------------------------------------------------------------------
# 2. known not copositive
# ---------------------------------------------------------------------------


def test_two_by_two_negative():
    S = [[1, -2], [-2, 1]]
    res = decide_copositive(S)
    assert not res.copositive
    assert res.witness == [F(1), F(1)] and res.value == F(-2)
    check_witness(S, res)


def test_negative_diagonal():
    S = [[1, 0, 0], [0, F(-1, 3), 0], [0, 0, 1]]
    res = decide_copositive(S)
    assert res.witness == [0, 1, 0] and res.value == F(-1, 3)
    assert res.submatrices_checked == 2  # stopped at the first failing 1x1


def test_perturbed_horn():
    H = horn()
    H[0][1] = H[1][0] = F(-11, 10)
    res = decide_copositive(H)
    assert not res.copositive
    # smallest failing subset is {0, 1}: B = [[1, -11/10], [-11/10, 1]],
    # -B^{-1} 1 = (10, 10), value 1^T B^{-1} 1 = -20.
    assert res.witness == [F(10), F(10), F(0), F(0), F(0)]
    assert res.value == F(-20)
    check_witness(H, res)


def test_chain_matrix_fails_only_at_full_set():
    n = 8
    c = F(1, 2 * (n + 1)) + F(1, 1000)
    S = chain_matrix(n, c)
    res = decide_copositive(S)
    assert not res.copositive
    assert res.submatrices_checked == 2 ** n - 1  # every proper subset passed
    check_witness(S, res)
    assert len(set(res.witness)) == 1  # witness proportional to 1 (symmetry)


def test_witness_support_is_minimal():
    rng = np.random.default_rng(3)
    found = 0
    for _ in range(200):
        A = rng.integers(-3, 4, size=(5, 5))
        A = np.triu(A) + np.triu(A, 1).T
        np.fill_diagonal(A, rng.integers(0, 4, size=5))
        res = decide_copositive(A)
        if res.copositive:
            continue
        found += 1
        check_witness(A.tolist(), res)
        sup = [i for i, v in enumerate(res.witness) if v > 0]
        for drop in sup:  # every maximal proper principal submatrix of the support is copositive
            keep = [i for i in sup if i != drop]
            if keep:
                assert decide_copositive(A[np.ix_(keep, keep)]).copositive
        # and by CHL: the support submatrix has det < 0 and nonpositive inverse
        B = to_fmpq_matrix(A[np.ix_(sup, sup)])
        assert B.det() < 0 and all(e <= 0 for e in B.inv().entries())
    assert found > 20


def test_witness_verification_guards_against_bugs(monkeypatch):
    monkeypatch.setattr(cop, "_qform", lambda M, x: F(1))
    with pytest.raises(RuntimeError, match="bug"):
        decide_copositive([[1, -2], [-2, 1]])


# ---------------------------------------------------------------------------
# 3. property tests
# ---------------------------------------------------------------------------


def test_two_by_two_closed_form():
    r = range(-3, 4)
    for a, b, c in itertools.product(r, r, r):
        expected = a >= 0 and c >= 0 and (b >= 0 or b * b <= a * c)
        res = decide_copositive([[a, b], [b, c]])
        assert res.copositive == expected, (a, b, c)
        if not expected:
            check_witness([[a, b], [b, c]], res)


@pytest.mark.parametrize("n", [3, 4])
def test_random_against_float_heuristic(n):
    rng = np.random.default_rng(10 + n)
    counts = {True: 0, False: 0}
    for trial in range(150):
        A = rng.integers(-3, 4, size=(n, n))
        A = np.triu(A) + np.triu(A, 1).T
        if trial % 3:  # bias 2/3 of the samples towards copositive-looking matrices
            A = np.where(A < -1, A + 2, A)
            np.fill_diagonal(A, rng.integers(1, 4, size=n))
        S = A.tolist()
        res = decide_copositive(S)
        assert res.copositive == decide_copositive(S, prune=False).copositive
        fmin, x = min_on_simplex_estimate(A.astype(float), starts=30, seed=trial, iters=400, polish=1)
        assert np.all(x >= 0) and abs(x.sum() - 1) < 1e-9
        counts[res.copositive] += 1
        if res.copositive:
            assert fmin >= -1e-9, (S, fmin)
            assert quadratic_form(S, [F(v) for v in x]) >= 0  # exact form at the float point
        else:
            check_witness(S, res)
            assert fmin < 1e-9, (S, fmin)
            w = np.array([float(v) for v in res.witness])
            w /= w.sum()
            assert w @ A @ w < 0
    assert counts[True] > 30 and counts[False] > 30, counts


def test_rational_entries_random():
    rng = np.random.default_rng(5)
    for _ in range(40):
        n = 4
        S = [[None] * n for _ in range(n)]
        for i in range(n):
            for j in range(i, n):
                S[i][j] = S[j][i] = F(int(rng.integers(-5, 6)), int(rng.integers(1, 5)))
        res = decide_copositive(S)
        fmin, _ = min_on_simplex_estimate(as_float(S), starts=30, iters=400, polish=1)
        if res.copositive:
            assert fmin >= -1e-9
        else:
            check_witness(S, res)


# ---------------------------------------------------------------------------
# input types, floats, validation
# ---------------------------------------------------------------------------


def test_input_types_agree():
    base = [[F(1), F(-1, 2)], [F(-1, 2), F(1, 5)]]
    variants = [
        base,
        [[flint.fmpq(1), flint.fmpq(-1, 2)], [flint.fmpq(-1, 2), flint.fmpq(1, 5)]],
        [[sympy.Integer(1), sympy.Rational(-1, 2)], [sympy.Rational(-1, 2), sympy.Rational(1, 5)]],
        sympy.Matrix([[1, sympy.Rational(-1, 2)], [sympy.Rational(-1, 2), sympy.Rational(1, 5)]]),
        np.array(base, dtype=object),
        [[Decimal(1), Decimal("-0.5")], [Decimal("-0.5"), F(1, 5)]],
        flint.fmpq_mat(2, 2, [1, flint.fmpq(-1, 2), flint.fmpq(-1, 2), flint.fmpq(1, 5)]),
    ]
    ref = to_fmpq_matrix(base)
    assert isinstance(ref, flint.fmpq_mat) and ref[0, 1] == flint.fmpq(-1, 2)
    for v in variants:
        assert to_fmpq_matrix(v) == ref
        res = decide_copositive(v)
        assert not res.copositive  # b^2 = 1/4 > ac = 1/5
        # det = -1/20, B^{-1} = [[-4, -10], [-10, -20]]: x = (14, 30), 1^T B^{-1} 1 = -44
        assert res.witness == [F(14), F(30)] and res.value == F(-44)
    assert decide_copositive(np.array([[2, -1], [-1, 2]], dtype=np.int64)).copositive
    assert to_fmpq_matrix(flint.fmpz_mat(1, 1, [7]))[0, 0] == 7


def test_empty_matrix():
    res = decide_copositive([])
    assert res.copositive and res.n == 0 and res.submatrices_checked == 0


def test_float_rejected_then_allowed_exactly():
    S = [[1.0, -0.5], [-0.5, 0.25]]
    with pytest.raises(ValueError, match=r"`S` must have exact rational entries; got float at \(0, 0\)"):
        decide_copositive(S)
    with pytest.raises(ValueError, match="float"):
        to_fmpq_matrix(np.array(S))
    res = decide_copositive(S, allow_float=True)
    assert res.copositive and res.float_input and "Fraction(float)" in res.method
    assert res.zeros == [(0, 1)]  # exactly singular: 0.25 = (0.5)^2 in binary
    M = to_fmpq_matrix([[0.1]], allow_float=True)
    assert M[0, 0] == flint.fmpq(3602879701896397, 36028797018963968)  # exact binary value
    with pytest.raises(ValueError, match="float"):
        to_fmpq_matrix([[sympy.Float("0.5")]])
    assert to_fmpq_matrix([[sympy.Float("0.5")]], allow_float=True)[0, 0] == flint.fmpq(1, 2)


def test_nan_and_inf():
    with pytest.raises(ValueError, match="got float"):
        decide_copositive([[float("nan")]])
    with pytest.raises(ValueError, match=r"`S` must be finite; got nan at \(0, 0\)"):
        decide_copositive([[float("nan")]], allow_float=True)
    with pytest.raises(ValueError, match="finite"):
        decide_copositive([[1, float("inf")], [float("inf"), 1]], allow_float=True)
    with pytest.raises(ValueError, match="finite"):
        decide_copositive([[sympy.oo]])
    with pytest.raises(ValueError, match="finite"):
        decide_copositive([[Decimal("NaN")]])


def test_shape_and_symmetry_errors():
    with pytest.raises(ValueError, match=r"`S` must be square; got shape \(3, 4\)"):
        decide_copositive([[0] * 4 for _ in range(3)])
    with pytest.raises(ValueError, match=r"`S` must be square; got shape \(3, 4\)"):
        to_fmpq_matrix(np.zeros((3, 4), dtype=int))
    with pytest.raises(ValueError, match="ragged"):
        decide_copositive([[1, 2], [3]])
    with pytest.raises(ValueError, match="2-D"):
        decide_copositive(np.zeros(3, dtype=int))
    S = [[1, 0, F(1, 3)], [0, 1, 0], [F(1, 2), 0, 1]]
    with pytest.raises(ValueError, match=r"`S` must be symmetric; S\[0,2\]=1/3 but S\[2,0\]=1/2"):
        decide_copositive(S)
    with pytest.raises(ValueError, match="exact rational"):
        decide_copositive([[sympy.sqrt(2)]])
    with pytest.raises(TypeError):
        decide_copositive([["1"]])
    with pytest.raises(TypeError):
        decide_copositive([[1j]])


def test_max_n():
    with pytest.raises(ValueError, match="max_n=20"):
        decide_copositive(np.eye(21, dtype=int))
    with pytest.raises(ValueError, match="max_n=4"):
        decide_copositive(np.eye(5, dtype=int), max_n=4)
    assert decide_copositive(np.eye(5, dtype=int), max_n=5).copositive


def test_quadratic_form():
    H = horn()
    assert quadratic_form(H, [1, 2, 1, 0, 0]) == 0
    assert quadratic_form(H, [1, 1, 1, 0, 0]) == 1
    assert quadratic_form([[1, 2], [0, 1]], [F(1, 2), 1]) == F(1, 4) + 1 + 1
    assert isinstance(quadratic_form([[1]], [2]), F)
    with pytest.raises(ValueError, match="length"):
        quadratic_form(H, [1, 1])
    with pytest.raises(ValueError, match="float"):
        quadratic_form(H, [0.5, 0, 0, 0, 0])


# ---------------------------------------------------------------------------
# speed
# ---------------------------------------------------------------------------


def test_speed_n8_worst_case():
    # No entry is nonnegative off the diagonal, so nothing is pruned: all 255
    # subsets need an exact determinant.
    n = 8
    S = chain_matrix(n, F(1, 2 * (n + 1)))
    t = time.perf_counter()
    res = decide_copositive(S)
    assert time.perf_counter() - t < 1.0
    assert res.copositive and res.submatrices_checked == 255 and res.pruned == 0


def test_speed_n12():
    n = 12
    S = chain_matrix(n, F(1, 2 * (n + 1)))
    t = time.perf_counter()
    res = decide_copositive(S)
    assert time.perf_counter() - t < 5.0
    assert res.copositive and res.zeros == [tuple(range(n))]
