"""Activation functions, each in a float64 (numpy), a numpy-gradient and an arbitrary-precision
(mpmath) version, plus the mathematical properties the closed forms rely on.

=================  ==============================  ==========================================
name               phi(z)                          class (see :data:`PROPERTIES`)
=================  ==============================  ==========================================
``relu``           max(z, 0)                       threshold-like, 1-Lipschitz, 1-homogeneous
``relu2``          max(z, 0)^2                     threshold-like, 2-homogeneous, not Lipschitz
``clipped-relu``   min(max(z, 0), 1)               threshold-like, 1-Lipschitz, saturating
``hard-sigmoid``   min(max((z + 1)/2, 0), 1)       NOT threshold-like: phi(0) = 1/2 (the
                                                   BinaryConnect convention; with the
                                                   convention min(max(z,0),1) it would be
                                                   ``clipped-relu``)
``tanh``           tanh(z)                         odd, 1-Lipschitz, saturating
``hard-tanh``      min(max(z, -1), 1)              odd, 1-Lipschitz, saturating
``linear``         z                               odd, 1-Lipschitz, 1-homogeneous
=================  ==============================  ==========================================

Threshold-like means phi(z) = phi_+(z) 1{z >= 0} with phi_+ >= 0 and phi_+(0) = 0 (claim
``A.threshold``). The gradient at the kinks is the one-sided value of the numpy mask used
(a valid subgradient for training; L-BFGS treats it as the gradient).
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath as mp
import numpy as np

from numeric.validation import InputError


def _clip01(z):
    return np.minimum(np.maximum(z, 0.0), 1.0)


_NUMPY = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "linear": lambda z: np.asarray(z, dtype=float),
    "relu2": lambda z: np.maximum(z, 0.0) ** 2,
    "clipped-relu": _clip01,
    "hard-sigmoid": lambda z: _clip01((np.asarray(z, dtype=float) + 1.0) / 2.0),
    "hard-tanh": lambda z: np.clip(z, -1.0, 1.0),
}
_NUMPY_GRAD = {
    "relu": lambda z: (np.asarray(z) > 0).astype(float),
    "tanh": lambda z: 1.0 - np.tanh(z) ** 2,
    "linear": lambda z: np.ones_like(np.asarray(z, dtype=float)),
    "relu2": lambda z: 2.0 * np.maximum(z, 0.0),
    "clipped-relu": lambda z: ((np.asarray(z) > 0) & (np.asarray(z) < 1)).astype(float),
    "hard-sigmoid": lambda z: 0.5 * ((np.asarray(z) > -1) & (np.asarray(z) < 1)).astype(float),
    "hard-tanh": lambda z: ((np.asarray(z) > -1) & (np.asarray(z) < 1)).astype(float),
}


def _mp_clip(z, lo, hi):
    return lo if z < lo else (hi if z > hi else z)


_MP = {
    "relu": lambda z: z if z > 0 else mp.mpf(0),
    "tanh": mp.tanh,
    "linear": lambda z: z,
    "relu2": lambda z: z * z if z > 0 else mp.mpf(0),
    "clipped-relu": lambda z: _mp_clip(z, mp.mpf(0), mp.mpf(1)),
    "hard-sigmoid": lambda z: _mp_clip((z + 1) / 2, mp.mpf(0), mp.mpf(1)),
    "hard-tanh": lambda z: _mp_clip(z, mp.mpf(-1), mp.mpf(1)),
}


@dataclass(frozen=True)
class Properties:
    """Facts about phi used by the closed forms (each checked numerically in
    tests/test_activations.py).

    ``threshold``: phi(z) = phi_+(z) 1{z >= 0} with phi_+ >= 0 and phi_+(0) = 0.
    ``odd_about``: the constant c with phi - c odd (0 for odd phi), None if there is none.
    ``lipschitz``: the smallest L with |phi(a) - phi(b)| <= L |a - b| (None: not Lipschitz).
    ``linear_up_to``: the largest z_lin > 0 with phi(z) - phi(0) = L z on [0, z_lin]
    (``inf``: on all of [0, inf)); None when there is no such interval (tanh: the gain
    (phi(z) - phi(0))/z reaches L only as z -> 0; relu2: not Lipschitz).
    ``degree``: p when phi(t z) = t^p phi(z) for all t > 0, else None.
    """

    threshold: bool
    odd_about: float | None
    lipschitz: float | None
    linear_up_to: float | None
    degree: float | None


_INF = float("inf")
PROPERTIES = {
    "relu": Properties(True, None, 1.0, _INF, 1.0),
    "tanh": Properties(False, 0.0, 1.0, None, None),
    "linear": Properties(False, 0.0, 1.0, _INF, 1.0),
    "relu2": Properties(True, None, None, None, 2.0),
    "clipped-relu": Properties(True, None, 1.0, 1.0, None),
    "hard-sigmoid": Properties(False, 0.5, 0.5, 1.0, None),
    "hard-tanh": Properties(False, 0.0, 1.0, 1.0, None),
}

NAMES = tuple(_NUMPY)


def _check(name: str) -> str:
    if name not in _NUMPY:
        raise InputError(f"`activation` must be one of {sorted(_NUMPY)}; got {name!r}")
    return name


def get(name: str):
    """numpy version of activation ``name``."""
    return _NUMPY[_check(name)]


def grad(name: str):
    """numpy derivative of activation ``name`` (one-sided at kinks)."""
    return _NUMPY_GRAD[_check(name)]


def get_mp(name: str):
    """mpmath version of activation ``name`` (scalar)."""
    return _MP[_check(name)]


def properties(name: str) -> Properties:
    return PROPERTIES[_check(name)]
