r"""Cheap pricing over every cell for several outputs: one ascent per cell from its top direction.

Math (derived here)
-------------------
On the cell C_F (firing set F) the cone condition of a dual point Lambda (dY x P) reads
|Lambda D_F X~^T w|^2 <= alpha |w|^2 for w in C_F (:mod:`numeric.solver.simplices`). Dropping
the sign constraints of the cell gives the upper bound

    sup_{w in C_F} |Lambda D_F X~^T w|^2 / |w|^2  <=  lambda_max(G_F),   G_F = Lambda D_F K D_F Lambda^T,

so a cell with lambda_max(G_F) <= alpha holds no violation, and in the other cells the top
eigenvector u of G_F is the direction in which the relaxed bound is violated. From u = +-u_top
the alternating ascent of :func:`numeric.solver.simplices.ascend` (box optimum of the cell for
u, then u = Lambda relu(h) / |.|) only raises the ratio |Lambda relu(h)|^2 / |w|^2 of a
*reachable* pattern h = X~^T w evaluated from its definition, so every ratio it reports above
alpha is a genuine violation (a column for the master problem).

Only ratios above alpha are of use, so a start stops early when, growing at its last step's
rate for the steps left, it would still end below alpha (and once a step raises it by less
than RISE). Measured, same rounds and energy: three outputs, P = 14, the ascents 13.0 -> 5.0 s;
P = 16, 133.7 -> 48.0 s (solve 174 -> 98 s); two outputs, P = 14, 9.3 -> 3.2 s.

It is a heuristic: an ascent can stop at a local maximum of a cell whose true supremum
exceeds alpha, so "nothing found" proves nothing; the simplicial fan
(:mod:`numeric.solver.simplices`, :mod:`numeric.solver.sectors`) remains the exhaustive check. Its
use is to replace the fan in the rounds of column generation that only need *a* violation: one
batched ascent per cell instead of a fan of cones with d + 1 box problems each (measured in
:mod:`numeric.solver.relu`'s notes and benchmarks/solver/README.md).
"""
from __future__ import annotations

import numpy as np

from numeric.solver.cells import CellSet
from numeric.solver.rowforms import gram_stack
from numeric.solver.sectors import VIOLATION_REL
from numeric.solver.simplices import ascend

#: ascent steps per start (each step is one batched box problem per cell)
ITERS = 12
#: a start stops once a step raised its ratio by less than this (relative): most starts creep
#: up by tiny steps for all ITERS steps. Measured, same rounds and energy: three outputs,
#: P = 14, the ascents 17.2 -> 13.4 s (1e-10: 14.1 s, 1e-12: 15.0 s; 1e-6: 3 more rounds);
#: P = 16, 131.5 -> 124.4 s.
RISE = 1e-9


def price(K: np.ndarray, Lam: np.ndarray, alpha: float, cells: CellSet, *, keep: int = 8,
          iters: int = ITERS) -> tuple[float, list]:
    """Largest ratio found and up to ``keep`` violating patterns (ratio > alpha), best first.

    ``K`` is the Gram matrix X~^T X~ (P x P), ``Lam`` the dual point (d x P), ``alpha`` =
    lam1 lam2. Returns (0.0, []) when no cell's relaxed bound exceeds alpha."""
    Lam = np.atleast_2d(np.asarray(Lam, dtype=float))
    if Lam.shape[1] != K.shape[0]:
        raise ValueError(f"`Lam` must have {K.shape[0]} columns (one per sample); got shape {Lam.shape}")
    best_ratio, found = 0.0, []
    for idx in cells.index_batches():
        F = cells.masks(idx)
        L = Lam[None] * F[:, None, :]
        vals, vecs = np.linalg.eigh(gram_stack(L.transpose(0, 2, 1), K))
        hot = vals[:, -1] > alpha * (1 + VIOLATION_REL)
        if not hot.any():
            continue
        U = vecs[hot, :, -1]
        Fh = F[hot]
        H, ratio = ascend(K, Lam, np.vstack([Fh, Fh]), np.vstack([U, -U]), iters=iters, rise=RISE,
                          target=alpha)
        best_ratio = max(best_ratio, float(ratio.max()))
        top = np.argsort(-ratio)[:keep]
        found += [(float(ratio[j]), H[j]) for j in top if ratio[j] > alpha * (1 + VIOLATION_REL)]
    found.sort(key=lambda t: -t[0])
    return best_ratio, [h for _, h in found[:keep]]
