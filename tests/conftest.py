import mpmath
import pytest


@pytest.fixture(autouse=True)
def _mpmath_precision_is_restored():
    """mpmath precision may change only inside workdps: fail a test that leaks a change."""
    mpmath.mp.dps = 15
    yield
    leaked = mpmath.mp.dps
    mpmath.mp.dps = 15
    assert leaked == 15, f"mpmath precision leaked out of a test: dps = {leaked}"
