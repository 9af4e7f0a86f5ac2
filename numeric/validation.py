"""Argument checks shared by the CLI and the library.

Every error names the argument, the requirement and the value received, e.g.
``ValueError("`lam1` must be > 0; got -1.0")``.
"""
from __future__ import annotations

import math

import numpy as np


class InputError(ValueError):
    """Bad user input: the CLI turns it into exit code 2 and one line on stderr."""


def positive(name: str, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"`{name}` must be a positive number; got {value!r}") from None
    if not math.isfinite(v) or v <= 0:
        raise InputError(f"`{name}` must be a finite number > 0; got {value!r}")
    return v


def integer_at_least(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InputError(f"`{name}` must be an integer >= {low}; got {value!r}")
    if value < low:
        raise InputError(f"`{name}` must be an integer >= {low}; got {value!r}")
    return int(value)


def choice(name: str, value, options) -> str:
    if value not in options:
        raise InputError(f"`{name}` must be one of {sorted(options)}; got {value!r}")
    return value


def finite_matrix(name: str, arr, *, rows: int | None = None, cols: int | None = None) -> np.ndarray:
    a = np.asarray(arr, dtype=float)
    if a.ndim != 2:
        raise InputError(f"`{name}` must be a 2-D array; got shape {a.shape}")
    if rows is not None and a.shape[0] != rows:
        raise InputError(f"`{name}` must have {rows} rows; got shape {a.shape}")
    if cols is not None and a.shape[1] != cols:
        raise InputError(f"`{name}` must have {cols} columns; got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        i, j = np.argwhere(~np.isfinite(a))[0]
        raise InputError(f"`{name}` must be finite; got {a[i, j]} at ({i}, {j})")
    return a
