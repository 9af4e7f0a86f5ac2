"""The assumption audit of Paper A's two-layer conclusions (issue #3).

Each row drops one hypothesis of the baseline theorem (ReLU, whitened hypercube inputs with the
bias row, n = 1, lam1, lam2 > 0, width large enough) and records, for each conclusion, whether
it survives, changes form, or fails — and the registry claim whose witnesses settle it. A
failing conclusion points to a claim that registers the counterexample; nothing here is a
footnote. :func:`rows` returns the table; the notebook ``07_assumption_audit`` renders it and
re-derives the counterexamples, ``tests/test_audit.py`` checks that every cited claim exists and
that its verdict is consistent with the row.

Conclusions:
  K    the optimal kernel has the form b (dY J + K_Y)
  PS   every global minimum is abstract (PS = 1)
  b*   the seed's formula for b* holds
"""
from __future__ import annotations

from dataclasses import dataclass

SURVIVES, CHANGES, FAILS, NA = "survives", "changes", "fails", "n/a"


@dataclass(frozen=True)
class Row:
    dropped: str          # the hypothesis dropped (and what replaces it)
    kernel: str           # conclusion K
    abstract: str         # conclusion PS
    b_star: str           # conclusion b*
    claims: tuple[str, ...]
    note: str


ROWS = (
    Row("bias row (K_X = I instead of I + J)", SURVIVES, FAILS, CHANGES,
        ("A.relu.nobias", "A.relu.nobias.not-unique"),
        "K* keeps c = dY with b* = sqrt(lam2/(2 lam1 P)) - lam2/P, but the optimum is not unique: "
        "one-hot (dY = 2, PS = 0) and edge codes (dY = 3, PS = 1/3) are also global minima."),
    Row("whitening -> target-aligned inputs (K_X = I + J + gamma K_Y)", SURVIVES, SURVIVES, CHANGES,
        ("A.inputs.aligned",), "Same form; the constant c(gamma) and hence b*, E* change."),
    Row("whitening -> anisotropic along latent directions", CHANGES, SURVIVES, CHANGES,
        ("A.inputs.anisotropic",),
        "The energy separates per variable: K* = sum_i b_i (J + v_i v_i^T), unequal b_i; neurons "
        "stay tuned to one variable each, so PS = 1."),
    Row("whitening -> extra variance on interaction directions (eta > 1)", FAILS, FAILS, FAILS,
        ("A.inputs.interaction",),
        "A conjunction neuron has V < 0 at the abstract kernel; for dY = 2 the optimum is the "
        "conjunctive code (PS = 0)."),
    Row("width: M < 2 dY", FAILS, NA, NA, ("A.relu.width",),
        "The optimum needs exactly 2 dY neurons (not 2^dY as summarised); with one fewer the best "
        "energy is strictly above E*."),
    Row("one sample per class -> n samples per class", SURVIVES, SURVIVES, SURVIVES,
        ("A.relu.whitened.n", "A.relu.tuning"), "Same formulas with P = n 2^dY."),
    Row("ReLU -> odd Lipschitz activation (linear, tanh)", CHANGES, SURVIVES, CHANGES,
        ("A.odd", "A.odd.width"),
        "K* = b* K_Y (+ phi(0)^2 M J): no dY J term; for tanh the width enters the energy."),
    Row("lam1 > 0 or lam2 > 0 -> 0", NA, FAILS, NA, ("A.audit.regularisation",),
        "No global minimum exists; one-hot minimising sequences (PS = 0)."),
    Row("small regularisation -> lam1 lam2 >= P(P+1)/(P+2)", CHANGES, NA, FAILS,
        ("A.relu.whitened",),
        "The stated b* turns non-positive; the optimum is the silent network (b = 0), PS undefined."),
)


def rows() -> tuple[Row, ...]:
    return ROWS
