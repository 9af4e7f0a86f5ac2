"""The faces of every flat read off the arrangement's rays (numeric.solver.flat_faces).

References: the per-flat enumeration it replaces (each flat's cells from their own integer null
spaces, ``faces.ENUMERATION = "nullspaces"``, with the flats found hyperplane by hyperplane) and,
independently of both, a linear program per sign vector over all 3^P of them
(numeric.claims.faces.lp_faces).

Mutations that fail these tests (tried by hand): a flat selecting the rays whose zero set meets
its own (``any`` for ``all``); the degenerate rays completed by every orthant as if in general
position; the one-dimensional flats given one face instead of two; the zero set of a new flat
without the hyperplanes parallel to the cutting one in the flat (``members[:1]``); in
arrangement._local_cells, the signs of opposite parallel rows not negated.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from numeric.claims.faces import lp_faces
from numeric.solver import faces, flat_faces
from numeric.solver import rational as rq


def _bias(X):
    X = np.asarray(X, dtype=float)
    return np.vstack([X, np.ones((1, X.shape[1]))])


_rng = np.random.default_rng(11)
_grid3 = _rng.integers(-1, 2, (3, 14)).astype(float)
_nobias = _rng.integers(-2, 3, (4, 13)).astype(float)
_nobias[:, 5] = 0.0                                          # a zero point
_nobias[:, 7] = 3 * _nobias[:, 2]                            # parallel through the origin
_dep = _rng.integers(-2, 3, (3, 9)).astype(float)
CASES = {
    "1-d, no bias (rank 1)": _rng.standard_normal((1, 6)),
    "gaussian in the plane (rank 3)": _bias(_rng.standard_normal((2, 11))),
    "gaussian in 4-d (rank 5)": _bias(_rng.standard_normal((4, 10))),
    "grid points in 3-d (collinear, coplanar)": _bias(_grid3),
    "cube {-1,1}^3 with its centre": _bias(np.c_[np.array(list(itertools.product([-1, 1],
                                                                                 repeat=3))).T,
                                                 np.zeros(3)]),
    "zero and parallel points, no bias": _nobias,
    "dependent features (rank 3 of 4)": np.vstack([_dep, _dep[0] - _dep[2]]),
}


def _both(Xt, monkeypatch):
    out = {}
    for how in ("rays", "nullspaces"):
        monkeypatch.setattr(faces, "ENUMERATION", how)
        out[how] = faces.geometry(rq.mat(Xt))
    return out["rays"], out["nullspaces"]


@pytest.mark.parametrize("name", list(CASES))
def test_the_rays_give_every_flats_faces_exactly_as_the_null_spaces_do(name, monkeypatch):
    ours, ref = _both(CASES[name], monkeypatch)
    assert [f.zeros for f in ours.flats] == [f.zeros for f in ref.flats]
    assert all(a.N == b.N for a, b in zip(ours.flats, ref.flats))
    for a, b in zip(ours.flats, ref.flats):
        assert np.array_equal(a.signs, b.signs), a.zeros
        assert np.array_equal(a.signs, np.unique(a.signs, axis=0))        # sorted, distinct
        free = np.ones(a.signs.shape[1], dtype=bool)
        free[list(a.zeros)] = False
        assert np.all(a.signs[:, ~free] == 0) and np.all(a.signs[:, free] != 0)


_CUBE7 = _bias(np.array([[0, 1, -1, 0, 0, 1, 1], [0, 0, 0, 1, -1, 1, 0], [0, 0, 0, 0, 0, 1, 1]]))
_ANTI = np.array([[1, -1, 0, 2, 1, -2, 0], [0, 0, 1, 1, 0, -1, 2], [1, -1, 1, 0, 1, 0, -1]],
                 dtype=float)                 # no bias: point 1 = -point 0, 4 = 0, 5 = -3


@pytest.mark.parametrize("Xt, dims", [(_CUBE7, {2, 3, 4}), (_ANTI, {2, 3})],
                         ids=["collinear and coplanar points", "repeated and opposite points"])
def test_degenerate_rays_against_a_linear_program_per_sign_vector(Xt, dims, monkeypatch):
    """Seven points with collinear triples and coplanar quadruples, or with repeated and
    opposite points (no bias): rays with more hyperplanes through them than in general position
    occur in flats of the dimensions ``dims`` (spied), and the faces are exactly the
    LP-realisable sign vectors."""
    seen = []
    real = flat_faces._restricted

    def spy(rows, idx, N):
        seen.append(N.ncols())
        return real(rows, idx, N)

    monkeypatch.setattr(flat_faces, "_restricted", spy)
    geom = faces.geometry(rq.mat(Xt))
    assert dims <= set(seen)
    found = {tuple(int(v) for v in s) for fl in geom.flats for s in fl.signs}
    assert len(found) == geom.n_faces
    assert found == lp_faces(Xt)


def test_bad_enumeration_and_missing_rays_are_refused(monkeypatch):
    rows = [[1, 0], [0, 1], [1, 1]]
    with pytest.raises(ValueError, match="must contain the one-dimensional flats"):
        next(flat_faces.per_flat(rows, [(tuple(), faces.flats(rows)[0][1])]))
    monkeypatch.setattr(faces, "ENUMERATION", "fast")
    with pytest.raises(ValueError, match="`faces.ENUMERATION` must be 'rays' or 'nullspaces'; "
                                         "got 'fast'"):
        faces.geometry(rq.mat(_bias([[0.0, 1.0, 2.0]])))
