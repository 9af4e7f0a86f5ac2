"""Activations: numpy, gradient and mpmath versions agree; the declared properties hold."""
import math
import re

import mpmath as mp
import numpy as np
import pytest

from numeric import activations
from numeric.validation import InputError

Z = np.concatenate([np.linspace(-4, 4, 4001), [-1e-9, 0.0, 1e-9, 0.5, 1.0, 1.5]])


@pytest.mark.parametrize("name", activations.NAMES)
def test_name_is_cli_friendly(name):
    assert re.fullmatch(r"[a-z][a-z0-9-]*", name)


@pytest.mark.parametrize("name", activations.NAMES)
def test_numpy_matches_mpmath(name):
    f, g = activations.get(name), activations.get_mp(name)
    with mp.workdps(30):
        ref = np.array([float(g(mp.mpf(float(z)))) for z in Z])
    assert np.allclose(f(Z), ref, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("name", activations.NAMES)
def test_gradient_matches_finite_difference(name):
    f, df = activations.get(name), activations.grad(name)
    z = np.linspace(-3.3, 3.3, 661) + 1e-3            # avoid the kinks at 0, +-1
    h = 1e-6
    fd = (f(z + h) - f(z - h)) / (2 * h)
    assert np.allclose(df(z), fd, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", activations.NAMES)
def test_declared_properties(name):
    pr = activations.properties(name)
    f = activations.get(name)
    phi0 = float(f(np.array(0.0)))
    if pr.threshold:
        assert phi0 == 0 and np.all(f(Z[Z < 0]) == 0) and np.all(f(Z) >= 0)
    else:
        assert np.any(f(Z[Z < 0]) != 0) or phi0 != 0
    if pr.odd_about is not None:
        c = pr.odd_about
        assert np.allclose(f(-Z) - c, -(f(Z) - c), atol=1e-15)
    else:
        assert not np.allclose(f(-Z) - phi0, -(f(Z) - phi0), atol=1e-6)
    pts = np.concatenate([Z[::40], [-1e-5, 1e-5, 2e-5]])
    a, b = np.meshgrid(pts, pts)
    mask = a != b
    slopes = np.abs(f(a) - f(b))[mask] / np.abs(a - b)[mask]
    if pr.lipschitz is None:
        assert f(np.array(1e3)) / 1e3 > 10            # grows faster than linearly
    else:
        assert slopes.max() <= pr.lipschitz * (1 + 1e-9)      # rounding of 1e-5-wide quotients
        assert slopes.max() >= pr.lipschitz * (1 - 1e-9)   # the constant is the smallest one
    if pr.linear_up_to is not None:
        L, top = pr.lipschitz, min(pr.linear_up_to, 4.0)
        zz = np.linspace(0, top, 101)
        assert np.allclose(f(zz) - phi0, L * zz, atol=1e-15)
        if math.isfinite(pr.linear_up_to):
            assert f(np.array(top + 0.1)) - phi0 < L * (top + 0.1)
    if pr.degree is not None:
        for t in (0.5, 3.0):
            assert np.allclose(f(t * Z), t ** pr.degree * f(Z), rtol=1e-13, atol=1e-15)


def test_tanh_gain_reaches_one_only_in_the_limit():
    z = np.array([1e-4, 1e-2, 0.5, 2.0])
    ratio = np.tanh(z) / z
    assert np.all(ratio < 1) and ratio[0] > 1 - 1e-8


def test_unknown_activation_is_named():
    with pytest.raises(InputError, match="`activation`.*'swish'"):
        activations.get("swish")
    with pytest.raises(InputError):
        activations.properties("swish")
