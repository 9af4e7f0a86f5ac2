"""Hand-computed witnesses for numeric.parallelism (PS, max-over-pairings PS, CCGP)."""

import itertools

import numpy as np
import pytest

from numeric.parallelism import (
    ccgp,
    condition_means,
    parallelism_score,
    parallelism_score_max,
)


def _conds(dY):
    return np.array(list(itertools.product([-1, 1], repeat=dY)), dtype=int)


def _class_mean_input(fn, dY):
    """R (N, 2^dY) with column i = fn(conds[i]), Y = conds.T."""
    C = _conds(dY)
    R = np.column_stack([fn(y) for y in C])
    return R, C.T


def _replicate_shuffle(R, Y, reps, rng):
    """`reps` noise-free copies of every column, columns shuffled."""
    R = np.tile(R, reps)
    Y = np.tile(Y, reps)
    perm = rng.permutation(R.shape[1])
    return R[:, perm], Y[:, perm]


# ---------------------------------------------------------------- condition_means

def test_condition_means_order_and_values():
    # canonical order = itertools.product([-1, 1], repeat=2):
    # (-1,-1), (-1,+1), (+1,-1), (+1,+1).
    Y = np.array([[1, -1, 1, -1, 1, 1], [1, 1, -1, -1, 1, -1]])
    R = np.array([[1.0, 2.0, 3.0, 4.0, 5.0, 7.0]])
    conds, means = condition_means(R, Y)
    assert conds.dtype.kind == "i"
    np.testing.assert_array_equal(conds, [[-1, -1], [-1, 1], [1, -1], [1, 1]])
    # (-1,-1): col 3 -> 4;  (-1,+1): col 1 -> 2;  (+1,-1): cols 2,5 -> (3+7)/2 = 5;
    # (+1,+1): cols 0,4 -> (1+5)/2 = 3.
    np.testing.assert_array_equal(means, [[4.0], [2.0], [5.0], [3.0]])


# ---------------------------------------------------------------- 1. factorised codes

@pytest.mark.parametrize("dY", [2, 3, 4])
def test_affine_code_is_perfectly_abstract(dY):
    # r(y) = A y + c: every coding vector Delta^(k;alpha) = 2 A[:, k] is the same
    # for all contexts -> all cosines 1 -> PS = 1; the natural pairing is one of
    # the pairings and cos <= 1 -> max-PS = 1.  CCGP: for dY >= 3 the training
    # contexts span the other variables, so the (almost) exact least-squares fit
    # has w.A[:, j] = 0 for j != k and w.A[:, k] = 1 -> prediction y_k on the
    # held-out context.  For dY = 2 the readout only sees one context, so we use
    # orthogonal columns (w lies in span(A[:, k]) and w.A[:, j] = 0), see also
    # test_ccgp_dY2_nonorthogonal_affine_code.
    rng = np.random.default_rng(dY)
    N = 7
    A = rng.standard_normal((N, dY))
    if dY == 2:
        A = 3.0 * np.linalg.qr(A)[0]
    assert np.linalg.matrix_rank(A) == dY
    c = rng.standard_normal(N)
    R, Y = _class_mean_input(lambda y: A @ y + c, dY)
    for RR, YY in [(R, Y), _replicate_shuffle(R, Y, 3, rng)]:
        assert parallelism_score(RR, YY) == pytest.approx(1.0, abs=1e-12)
        assert parallelism_score_max(RR, YY) == pytest.approx(1.0, abs=1e-12)
        assert ccgp(RR, YY) == pytest.approx(1.0, abs=1e-12)
        np.testing.assert_allclose(parallelism_score(RR, YY, per_variable=True),
                                   np.ones(dY), atol=1e-12)
        np.testing.assert_allclose(ccgp(RR, YY, per_variable=True), np.ones(dY), atol=1e-12)


def test_ccgp_dY2_nonorthogonal_affine_code():
    # r = A y with a0 = (1, 0), a1 = (3, 1); PS = 1 (affine) but CCGP < 1 at dY = 2.
    # Variable 0, train on context y1=+1: points (4,1) [+1], (2,1) [-1]; readout
    # w ~ (1, 0), b = -3  (exactly w0 = 2/(2+ridge), b = -3 w0).
    # Test y1=-1: (-2,-1) [+1] -> -5 wrong; (-4,-1) [-1] -> -7 right -> 1/2.
    # Symmetric for the other context -> CCGP_0 = 1/2.
    # Variable 1, train on y0=+1: (4,1) [+1], (-2,-1) [-1]; w ~ (0.3, 0.1), b ~ -0.3.
    # Test y0=-1: (2,1) -> 0.4 right; (-4,-1) -> -1.6 right.  Other context:
    # b ~ +0.3, (4,1) -> 1.6 right, (-2,-1) -> -0.4 right -> CCGP_1 = 1.
    A = np.array([[1.0, 3.0], [0.0, 1.0]])
    R, Y = _class_mean_input(lambda y: A @ y, 2)
    assert parallelism_score(R, Y) == pytest.approx(1.0, abs=1e-12)
    assert ccgp(R, Y, per_variable=True) == [0.5, 1.0]
    assert ccgp(R, Y) == 0.75


# ---------------------------------------------------------------- 2. one-hot codes

@pytest.mark.parametrize("dY", [2, 3])
def test_one_hot_code_has_zero_parallelism(dY):
    # r(y) = e_{index(y)}: Delta^(k;alpha) = e_{i+} - e_{i-} with indices unique to
    # the context -> disjoint supports -> every cosine is exactly 0 -> PS = 0.
    # For any pairing, d_c = e_c - e_{pi(c)} uses 2 indices that no other d_c'
    # uses (c distinct in H+, pi(c) distinct in H-) -> max-PS = 0 too.
    n = 2 ** dY
    R = np.eye(n)
    Y = _conds(dY).T
    assert parallelism_score(R, Y) == 0.0
    assert parallelism_score(R, Y, per_variable=True) == [0.0] * dY
    assert parallelism_score_max(R, Y) == 0.0


# ---------------------------------------------------------------- 3. mixed code

@pytest.mark.parametrize("c, ps, ps_max", [(0.5, 0.6, 0.6), (2.0, -0.6, 0.0)])
def test_mixed_code_hand_values(c, ps, ps_max):
    # r(y) = [y1, y2, c y1 y2].  Natural pairing for variable 1:
    # Delta^(1;alpha) = [2, 0, 2 c alpha]; cos between alpha = +-1 is
    # (4 - 4c^2)/(4 + 4c^2) = (1 - c^2)/(1 + c^2); variable 2 by symmetry.
    # c = 0.5: 0.75/1.25 = 0.6;  c = 2: -3/5 = -0.6.
    # Crossed pairing: d = r(+,+) - r(-,-) = [2, 2, 0], d' = r(+,-) - r(-,+) =
    # [2, -2, 0] -> cos 0.  Two pairings only -> max = max((1-c^2)/(1+c^2), 0).
    R, Y = _class_mean_input(lambda y: np.array([y[0], y[1], c * y[0] * y[1]], float), 2)
    np.testing.assert_allclose(parallelism_score(R, Y, per_variable=True), [ps, ps], atol=1e-12)
    assert parallelism_score(R, Y) == pytest.approx(ps, abs=1e-12)
    np.testing.assert_allclose(parallelism_score_max(R, Y, per_variable=True),
                               [ps_max, ps_max], atol=1e-12)
    assert parallelism_score_max(R, Y) == pytest.approx(ps_max, abs=1e-12)


def test_max_ps_dominates_ps_random():
    # The natural pairing is one of the pairings -> max-PS_k >= PS_k.
    rng = np.random.default_rng(0)
    for dY in (2, 3):
        R = rng.standard_normal((5, 2 ** dY))
        Y = _conds(dY).T
        ps = parallelism_score(R, Y, per_variable=True)
        pm = parallelism_score_max(R, Y, per_variable=True)
        assert all(b >= a - 1e-12 for a, b in zip(ps, pm))


# ---------------------------------------------------------------- 4. XOR code

def test_xor_code():
    # r = [y1 y2].  CCGP variable 1: train on context y2=+1 where r = y1 -> readout
    # ~ sign(r) (w = 2/(2+ridge) > 0, b = 0); test context y2=-1 where r = -y1 ->
    # all wrong; same for the other context and, by symmetry, variable 2 -> 0.
    # PS: Delta^(1;+) = 1 - (-1) = 2, Delta^(1;-) = -1 - 1 = -2 -> cos = -1.
    R, Y = _class_mean_input(lambda y: np.array([y[0] * y[1]], float), 2)
    assert ccgp(R, Y, per_variable=True) == [0.0, 0.0]
    assert ccgp(R, Y) == 0.0
    assert parallelism_score(R, Y) == pytest.approx(-1.0, abs=1e-12)
    # crossed pairing: r(+,+) - r(-,-) = 1 - 1 = 0 -> undefined -> reported.
    with pytest.raises(ValueError, match="zero coding vector for variable k=0"):
        parallelism_score_max(R, Y)


# ---------------------------------------------------------------- 5. bad input

def _good():
    return _class_mean_input(lambda y: np.array([y[0], y[1], 0.3 * y[0] * y[1]]), 2)


@pytest.mark.parametrize("fn", [condition_means, parallelism_score, parallelism_score_max, ccgp])
def test_bad_inputs(fn):
    R, Y = _good()
    with pytest.raises(ValueError, match="same number of samples"):
        fn(R[:, :3], Y)
    with pytest.raises(ValueError, match=r"^R must be a 2-D"):
        fn(R[0], Y)
    with pytest.raises(ValueError, match=r"^Y must be a 2-D"):
        fn(R, Y[0])
    Yb = Y.copy()
    Yb[0, 1] = 0
    with pytest.raises(ValueError, match=r"^Y must contain only -1 and \+1"):
        fn(R, Yb)
    Rb = R.copy()
    Rb[1, 2] = np.nan
    with pytest.raises(ValueError, match=r"^R must be finite"):
        fn(Rb, Y)
    Rb[1, 2] = np.inf
    with pytest.raises(ValueError, match=r"^R must be finite"):
        fn(Rb, Y)
    # drop condition (+1, +1) (the last column)
    with pytest.raises(ValueError, match=r"^Y must contain every one.*\(\+1, \+1\)"):
        fn(R[:, :3], Y[:, :3])


@pytest.mark.parametrize("fn", [parallelism_score, parallelism_score_max, ccgp])
def test_dY1_is_undefined(fn):
    R = np.array([[1.0, -1.0, 2.0]])
    Y = np.array([[1, -1, 1]])
    with pytest.raises(ValueError, match=r"Y has dY = 1.*dY >= 2"):
        fn(R, Y)
    # condition_means itself is fine at dY = 1: (-1) -> -1, (+1) -> (1+2)/2
    conds, means = condition_means(R, Y)
    np.testing.assert_array_equal(conds, [[-1], [1]])
    np.testing.assert_array_equal(means, [[-1.0], [1.5]])


def test_zero_coding_vector_is_reported():
    # r(y) = [y1, y2 (1 + y1)/2]: for variable 2 in context y1=-1 both conditions
    # map to [-1, 0] -> Delta^(2; y1=-1) = 0.
    R, Y = _class_mean_input(lambda y: np.array([y[0], y[1] * (1 + y[0]) / 2], float), 2)
    with pytest.raises(ValueError, match=r"^R gives a zero coding vector for variable k=1 "
                                         r"in context \{y_0=-1\}"):
        parallelism_score(R, Y)
    # relative threshold: a 1e-14 perturbation on O(1) means still counts as zero
    R2 = R.copy()
    R2[0, 0] += 1e-14
    with pytest.raises(ValueError, match="zero coding vector"):
        parallelism_score(R2, Y)
    # all-zero representation
    with pytest.raises(ValueError, match="zero coding vector"):
        parallelism_score(np.zeros_like(R), Y)
    with pytest.raises(ValueError, match="zero coding vector"):
        parallelism_score_max(np.zeros_like(R), Y)


def test_max_pairings_limit():
    # dY = 3 -> m = 4 halves -> 4! = 24 pairings.
    R, Y = _class_mean_input(lambda y: np.array([y[0], y[1], y[2], y[0] * y[1] * y[2]]), 3)
    with pytest.raises(ValueError, match=r"max_pairings=23 .*\(4\)! = 24"):
        parallelism_score_max(R, Y, max_pairings=23)
    assert parallelism_score_max(R, Y, max_pairings=24) >= parallelism_score(R, Y) - 1e-12
    with pytest.raises(ValueError, match="max_pairings must be a positive integer"):
        parallelism_score_max(R, Y, max_pairings=0)


def test_bad_ridge():
    R, Y = _good()
    for bad in (-1.0, np.nan, "x"):
        with pytest.raises(ValueError, match="ridge must be"):
            ccgp(R, Y, ridge=bad)


def test_max_ps_matches_brute_force_dY3():
    # Independent loop-over-permutations implementation of the definition.
    rng = np.random.default_rng(1)
    C = _conds(3)
    R = rng.standard_normal((4, 8))

    def cos(a, b):
        return a @ b / np.linalg.norm(a) / np.linalg.norm(b)

    expected = []
    for k in range(3):
        plus = [i for i in range(8) if C[i, k] == 1]
        minus = [i for i in range(8) if C[i, k] == -1]
        best = -np.inf
        for pi in itertools.permutations(minus):
            d = [R[:, p] - R[:, q] for p, q in zip(plus, pi)]
            best = max(best, np.mean([cos(d[a], d[b]) for a, b in itertools.combinations(range(4), 2)]))
        expected.append(best)
    np.testing.assert_allclose(parallelism_score_max(R, C.T, per_variable=True), expected, atol=1e-12)
