r"""The faces of every flat of a central arrangement, read off its rays (exact, integer).

Setting (:mod:`numeric.solver.faces`): P integer normals U_i in Z^r of rank r, and every flat F
of dimension k >= 1 with its closed zero set Z_F (the hyperplanes containing F) and an integer
basis N_F (r x k). The faces of the arrangement that span F are the open cells that the other
hyperplanes (i not in Z_F) cut on F. Before this module each flat's cells were enumerated on
their own (:func:`numeric.solver.arrangement.cells` on the normals U_i N_F: one integer null
space per (k - 1)-subset of the flat's hyperplanes, ~20 us per face, half a million null spaces
for the million faces of 16 points of rank 7).

Derivation (here). The arrangement cut on F is central and essential in F -- its lineality is
the intersection of all sample hyperplanes, {0}, since U has rank r -- so for k >= 2 each of its
cells is a pointed cone and its closure has an extreme ray. Extreme rays are one-dimensional
flats of the restricted arrangement, which are exactly the rays l of the whole arrangement
(one-dimensional flats) lying in F, i.e. with Z_l containing Z_F. The cells of F whose closure
contains the half-line of n (l = span n) are

    s_i = sign(U_i n)    for i not in Z_l,
    s_T = any cell of the local arrangement {U_i restricted to F : i in T},  T = Z_l \ Z_F,

and that local arrangement has rank k - 1 in F (its common zero in F is l). When |T| = k - 1
its rows are independent and all 2^(k-1) sign vectors are cells; otherwise its cells are
enumerated exactly (:func:`numeric.solver.arrangement.completions`, on the integer rows
U_i N_F). So the faces of F are the union, over the rays +-n of the arrangement inside F, of
these completions, and a one-dimensional flat carries the two faces +-sign(U n).

Cost: the signs of all rays are one integer product U [n_1 ... n_L]; a flat selects its rays
by a boolean test on their zero sets and completes them in numpy. Each face is produced once per
extreme ray of its closure before de-duplication, as before. Measured: see
``benchmarks/solver/face_enumeration.py``.

The result is identical, flat by flat and row by row, to the per-flat enumeration (tested, and
both are tested against a linear-programming decision of every sign vector).
"""
from __future__ import annotations

import flint
import numpy as np

from numeric.solver import arrangement


def per_flat(rows: list[list[int]], flats: list[tuple[tuple, flint.fmpz_mat]]):
    """For each flat (closed zero set Z, integer basis N r x k) of the arrangement with integer
    normals ``rows`` (P vectors in Z^r of rank r; :func:`numeric.solver.faces.flats`, which lists
    every one-dimensional flat), the sign vectors (n x P, int8, 0 exactly on Z) of its faces,
    sorted lexicographically; a generator, one flat at a time, so a caller can stop early."""
    P = len(rows)
    rays = [N for _, N in flats if N.ncols() == 1]
    if not rays:
        raise ValueError("`flats` must contain the one-dimensional flats (the rays)")
    Um = flint.fmpz_mat(rows)
    prod = Um * flint.fmpz_mat([[int(N[i, 0]) for N in rays] for i in range(len(rows[0]))])
    sgn = np.array([(v > 0) - (v < 0) for v in prod.entries()],
                   dtype=np.int8).reshape(P, len(rays)).T                  # L x P
    zero = sgn == 0
    ray = 0
    for Z, N in flats:
        k = N.ncols()
        Zl = list(Z)
        free = np.ones(P, dtype=bool)
        free[Zl] = False
        if k == 1:                                    # the ray itself: +-sign(U n), sorted
            s = sgn[ray][free]
            ray += 1
            block = np.vstack([s, -s]) if s[0] < 0 else np.vstack([-s, s])
        else:
            mine = zero[:, Zl].all(axis=1) if Zl else np.ones(len(rays), dtype=bool)
            idx = np.flatnonzero(free)
            block = arrangement.completions(sgn[mine][:, free], k - 1,
                                            lambda T: _restricted(rows, idx[T], N))
        signs = np.zeros((block.shape[0], P), dtype=np.int8)
        signs[:, free] = block
        yield signs


def _restricted(rows, idx, N) -> list[list[int]]:
    """The normals U_i N (integer k-vectors) of the hyperplanes ``idx`` restricted to a flat."""
    UN = flint.fmpz_mat([rows[int(i)] for i in idx]) * N
    return [[int(UN[a, b]) for b in range(N.ncols())] for a in range(len(idx))]
