r"""Reusing the solver's last fan in the exact check (the ``hint`` of
:func:`numeric.solver.simplices.certify` and :func:`numeric.solver.sectors.certify`).

Why it is sound (derived here). The exact check proves each accepted cone (simplicial cones) or
sector (two outputs) on its own: box values at its rays are rounded, clamped into the box of the
*certified* dual point Lambda in integers and the cone's form is tested for copositivity
exactly. Any box values are admissible -- they only have to pass -- so values built for another
dual point cost nothing in validity. Box points are linear in Lambda (the box is
c_i >= (Lambda^T u)_i on the firing set, c_i <= 0 off it), so values built for Lambda_h are
rescaled by kappa = <Lambda, Lambda_h> / |Lambda_h|^2, the least-squares factor; the certified
point is the solver's last one rounded and shrunk by ~2^-44, so kappa Lambda_h is within
rounding of it and nearly every reused cone passes.

What the hint must not change is the cover: every cell's cones must cover all directions.
Sector fans check their closed chains exactly; simplicial fans cover by construction (a cell's
orthants split to leaves). So a cell is kept only with *all* its cones from the hint, a cell with
a failing or violated cone is rebuilt whole for Lambda, and a hint whose construction left cones
undecided is refused (a construction that runs out of budget reports only some of its cones).
A hint on other cells, or with more than a quarter of its cones failing, is ignored: the check
then builds its own fan, as without a hint.

Failure modes: none for validity (a reused cone that does not pass is never counted). The cost
can exceed a fresh construction's when many cones fail but fewer than MAX_FAILING_SHARE: they
are tested and then their cells rebuilt. The hint must be a construction's unmodified output
(the simplicial cover is not re-checked); the solver's is, and the verifier never uses one.

Measured: ``benchmarks/solver/fan_reuse.py`` (certificates 2.0-9.9x faster, identical).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from numeric.solver.cells import BATCH, CellSet

#: a hint with more failing cones than this share of those tested is not worth repairing.
MAX_FAILING_SHARE = 0.25


def scale(hint, cs: CellSet, Lf: np.ndarray) -> float | None:
    """kappa for reusing ``hint`` (a fan with ``lam``, ``cells``, ``failed``) at the float dual
    point Lf on the cells ``cs``; None when it cannot be reused."""
    lam = getattr(hint, "lam", None)
    if lam is None or lam.shape != Lf.shape or hint.failed:
        return None
    if (hint.cells.explicit is None) != (cs.explicit is None) or hint.cells.count != cs.count:
        return None
    if cs.explicit is not None and not np.array_equal(hint.cells.explicit, cs.explicit):
        return None
    norm = float(np.sum(lam * lam))
    return float(np.sum(Lf * lam)) / norm if norm > 0 else None


def every_cell(cs: CellSet) -> np.ndarray:
    """The indices of all cells of ``cs``."""
    return np.arange(cs.count) if cs.explicit is not None else np.arange(1, cs.count + 1)


def failing_cells(fan, psd_ok: Callable, pieces_ok: Callable,
                  unchained: Callable | None = None) -> tuple[np.ndarray | None, int]:
    """Cells of a reused ``fan`` that are not proved: PSD cells failing ``psd_ok(idx)``, cells
    with a violated cone, cells with a cone failing ``pieces_ok(slice) -> (verdicts, exact
    tests)``, cells ``unchained(fan)`` reports (sectors), and cells with nothing. Returns them
    sorted (None when more than MAX_FAILING_SHARE of the cones fail) and the number of cone
    tests done in integers."""
    bad = [t[0] for t in fan.violations]
    for start in range(0, len(fan.psd), BATCH):
        idx = fan.psd[start:start + BATCH]
        bad += list(idx[~psd_ok(idx)])
    exact = 0
    for start in range(0, len(fan.cell), BATCH):
        sl = slice(start, start + BATCH)
        ok, n_exact = pieces_ok(sl)
        exact += n_exact
        bad += list(fan.cell[sl][~ok])
        if len(bad) > max(64, MAX_FAILING_SHARE * (start + len(ok))):
            return None, exact
    if unchained is not None:
        bad += list(unchained(fan))
    bad += list(np.setdiff1d(every_cell(fan.cells), np.union1d(fan.cell, fan.psd)))
    return np.unique(np.asarray(bad, dtype=np.int64)), exact
