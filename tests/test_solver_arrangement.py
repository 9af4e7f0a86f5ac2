"""Exact cell enumeration of the data's hyperplane arrangement (numeric.solver.arrangement).

Independent references: a linear program per sign vector (a sign vector s is a non-empty cell
iff max t s.t. s_i x_i^T w >= t, |w|_inf <= 1 has t > 0) over all 2^P sign vectors, and the
cell count of a generic central arrangement, 2 sum_{k<r} C(P-1, k) (Cover 1965)."""
import itertools

import numpy as np
import pytest
from scipy.optimize import linprog

from numeric.solver import arrangement as ar
from numeric.solver import cells


def _lp_cells(Xt: np.ndarray) -> set:
    V = Xt.T
    P, D = V.shape
    out = set()
    for bits in range(2 ** P):
        s = np.array([1 if (bits >> i) & 1 else -1 for i in range(P)])
        A = np.hstack([-(s[:, None] * V), np.ones((P, 1))])
        res = linprog(np.r_[np.zeros(D), -1.0], A_ub=A, b_ub=np.zeros(P),
                      bounds=[(-1, 1)] * D + [(None, 1)], method="highs")
        if -res.fun > 1e-9:
            out.add(tuple(s))
    return out


def _bias(X):
    X = np.asarray(X, dtype=float)
    return np.vstack([X, np.ones((1, X.shape[1]))])


_rng = np.random.default_rng(0)
CASES = {
    "gaussian, rank 3": _bias(_rng.standard_normal((2, 9))),
    "gaussian, rank 4": _bias(_rng.standard_normal((3, 10))),
    "3x3 grid (collinear triples)": _bias([[0, 1, 2, 0, 1, 2, 0, 1, 2], [0, 0, 0, 1, 1, 1, 2, 2, 2]]),
    "cube {-1,1}^3": _bias(np.array(list(itertools.product([-1, 1], repeat=3))).T),
    "repeated points": _bias([[0, 1, 1, 2, 0.5, 0.5], [1, 0, 0, 1, 0.5, 0.5]]),
    "parallel data, no bias": np.array([[1.0, -2, 3, 0.5, 1], [2.0, -4, 1, 1, -1]]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_cells_equal_the_lp_decision_of_every_sign_vector(name):
    Xt = CASES[name]
    ours = {tuple(int(v) for v in row) for row in ar.cells(ar.integer_rows(Xt))}
    assert ours == _lp_cells(Xt)


def test_generic_data_attain_covers_count_and_degenerate_data_stay_below():
    g = np.random.default_rng(3)
    for dX, P in ((1, 7), (2, 12), (3, 11), (4, 16)):
        Xt = _bias(g.standard_normal((dX, P)))
        assert ar.masks(Xt).shape[0] == ar.generic_count(P, dX + 1)
    grid = CASES["3x3 grid (collinear triples)"]
    assert ar.masks(grid).shape[0] < ar.generic_count(9, 3)


def test_every_sampled_firing_set_is_listed_for_many_points_in_the_plane():
    g = np.random.default_rng(4)
    Xt = _bias(np.round(g.standard_normal((2, 40)), 1))      # rounded: many degeneracies
    listed = {row.tobytes() for row in ar.masks(Xt)}
    W = g.standard_normal((20000, 3))
    H = W @ Xt
    for h in H[np.min(np.abs(H), axis=1) > 0]:
        assert (h > 0).tobytes() in listed


def test_zero_data_vector_never_fires_and_too_many_cells_is_refused():
    S = ar.cells([[1, 0], [0, 0], [1, 1]])
    assert (S[:, 1] == -1).all() and S.shape[0] == 4
    with pytest.raises(ValueError, match="max_cells"):
        ar.cells(ar.integer_rows(_bias(np.random.default_rng(1).standard_normal((3, 30)))),
                 max_cells=100)
    with pytest.raises(ValueError, match="r <= P"):
        ar.generic_count(3, 4)


def test_cell_masks_lists_only_non_empty_cells_when_that_saves_work():
    g = np.random.default_rng(5)
    assert cells.cell_masks(_bias(g.standard_normal((11, 12)))) is None      # full rank
    M = cells.cell_masks(_bias(g.standard_normal((3, 14))))
    assert M.shape == (ar.generic_count(14, 4) - 1, 14)      # the all-silent cell is dropped
