"""Dispatch from an instance to the closed form that covers it (the solver's fast path).

A *provider* is a function ``provider(instance) -> (dict | None, reason)``: it returns the
closed-form answer ``{"claim", "energy", "kernel_scale", "kernel", ...}`` when its claim's
hypotheses hold for the instance, else ``(None, one line saying which hypothesis fails)``.
Providers live in ``numeric/providers/*.py`` (one module per claim family) and register with
``@provider(priority=...)``; lower priority numbers are tried first and the first answer wins. When none
applies, :func:`closed_form_for` returns ``(None, reasons)`` with one line per provider saying
why it did not apply, so ``emergence solve`` can say plainly that no closed form covers the
instance.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

import importlib
import pkgutil

from numeric.parallelism import parallelism_score
from numeric.tasks import sign_vectors

DENSE_KERNEL_MAX_P = 64
PS_NUMERIC_MAX_DY = 12

Provider = Callable[[dict], "tuple[dict | None, str]"]
_PROVIDERS: list[tuple[int, str, Provider]] = []


def provider(priority: int = 50):
    def deco(fn: Provider) -> Provider:
        _PROVIDERS.append((priority, fn.__module__ + "." + fn.__name__, fn))
        return fn
    return deco


def _load() -> None:
    import numeric.providers as pkg
    for info in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"numeric.providers.{info.name}")


def unmet(inst: dict, need: dict) -> list[str]:
    """The hypotheses in ``need`` (instance key -> required value) that ``inst`` violates,
    one 'key=value (needs required)' string each."""
    return [f"{k}={inst.get(k)!r} (needs {v!r})" for k, v in need.items() if inst.get(k) != v]


def structured_kernel(scale: float, dY: int, *, constant: float | None = None) -> dict:
    """Kernel b (c J + K_Y) with c = dY by default; dense only when P is small."""
    c = dY if constant is None else constant
    P = 2 ** dY
    dense = None
    if P <= DENSE_KERNEL_MAX_P:
        Y = sign_vectors(dY)
        dense = (scale * (c * np.ones((P, P)) + Y.T @ Y)).tolist()
    return {"form": "b * (c * J + K_Y)", "b": scale, "c": c, "P": P, "dense": dense}


def ps_of_patterns(H: np.ndarray, dY: int) -> list[float] | None:
    """PS per variable of the ReLU hidden layer with patterns H (rows); None when dY = 1."""
    if dY < 2:
        return None
    return parallelism_score(np.maximum(H, 0), sign_vectors(dY), per_variable=True)


def closed_form_for(inst: dict) -> tuple[dict | None, list[str]]:
    _load()
    reasons = []
    for _, _, fn in sorted(_PROVIDERS, key=lambda t: t[:2]):
        ans, why = fn(inst)
        if ans is not None:
            return ans, []
        reasons.append(why)
    return None, reasons
