"""One-dimensional minimisation at arbitrary precision (mpmath), for high-precision witnesses.

``argmin_1d(E, grid)`` picks the best point of a coarse grid, then solves E'(b) = 0 with
``mp.findroot`` on the numerical derivative ``mp.diff`` to the working precision (less 5 digits).
Hypotheses: E smooth and unimodal near the grid's best point. Failure mode: if the grid misses
the basin, findroot may leave the domain (e.g. b < 0 under a square root) and raise — the
witness then fails loudly rather than returning a wrong minimiser.
"""
from __future__ import annotations

import mpmath as mp


def argmin_1d(E, grid):
    """(b*, E(b*)) for a smooth scalar function E, started from the best grid point."""
    b0 = min(grid, key=E)
    b = mp.findroot(lambda t: mp.diff(E, t), b0, tol=mp.mpf(10) ** (-(mp.mp.dps - 5)))
    return b, E(b)
