"""Activation functions, each in a float64 (numpy) and an arbitrary-precision (mpmath) version.

``relu``    phi(z) = max(z, 0)        positively 2-homogeneous: the energy is scale-covariant
``tanh``    phi(z) = tanh(z)          odd, saturating
``linear``  phi(z) = z                odd, homogeneous
"""
from __future__ import annotations

import mpmath as mp
import numpy as np

from numeric.validation import InputError

_NUMPY = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "linear": lambda z: np.asarray(z, dtype=float),
}
_NUMPY_GRAD = {
    "relu": lambda z: (np.asarray(z) > 0).astype(float),
    "tanh": lambda z: 1.0 - np.tanh(z) ** 2,
    "linear": lambda z: np.ones_like(np.asarray(z, dtype=float)),
}
_MP = {
    "relu": lambda z: z if z > 0 else mp.mpf(0),
    "tanh": mp.tanh,
    "linear": lambda z: z,
}

NAMES = tuple(_NUMPY)


def get(name: str):
    """numpy version of activation ``name``."""
    if name not in _NUMPY:
        raise InputError(f"`activation` must be one of {sorted(_NUMPY)}; got {name!r}")
    return _NUMPY[name]


def grad(name: str):
    get(name)
    return _NUMPY_GRAD[name]


def get_mp(name: str):
    """mpmath version of activation ``name`` (scalar)."""
    get(name)
    return _MP[name]
