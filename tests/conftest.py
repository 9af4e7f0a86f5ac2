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


@pytest.fixture
def fans_on_full_rank():
    """Route two to five outputs on full-rank inputs through the cell fans at every P (the
    solver's default takes the 3^P signed supports up to ``simplices.SMALL_DY_SIGNED_P``): for
    tests of the fans themselves on small full-rank instances."""
    from numeric.solver import simplices
    with simplices.fans_on_full_rank():
        yield
