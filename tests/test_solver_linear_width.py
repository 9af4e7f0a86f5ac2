"""The certified minimal width of the linear network (numeric.solver.linear_width)."""
import numpy as np
import pytest

from numeric.solver import rational as rq
from numeric.solver.linear import certify_linear, solve_linear
from numeric.solver.linear_width import eigen_count_above, width_bracket
from numeric.tasks import hypercube
from numeric.training import train_network


def _instance(seed=3, dY=4, P=16, dX=5):
    rng = np.random.default_rng(seed)
    return np.vstack([rng.standard_normal((dX, P)), np.ones(P)]), np.sign(rng.standard_normal((dY, P)))


def test_eigen_count_is_exact_on_known_spectra():
    rng = np.random.default_rng(1)
    for n in (2, 3, 4, 5):
        Qm, _ = np.linalg.qr(rng.standard_normal((n, n)))
        ev = rng.integers(-3, 4, size=n)
        M = np.round(Qm @ np.diag(ev) @ Qm.T * 2 ** 20) / 2 ** 20        # dyadic, symmetric
        M = (M + M.T) / 2
        Mq = rq.mat(M)
        true = np.linalg.eigvalsh(M)
        for c in (-2.5, -0.5, 0.5, 1.5, 2.5):
            assert eigen_count_above(Mq, rq.q(c)) == int(np.sum(true > c))


@pytest.mark.parametrize("lam,rank", [(0.05, 4), (3.0, 3), (5.0, 2), (10.0, 1)])
def test_rank_is_certified_and_smaller_widths_are_strictly_worse(lam, rank):
    Xt, Y = _instance()
    c = certify_linear(solve_linear(Xt, Y, lam, lam), Xt, Y, lam, lam)
    wb = width_bracket(c.data, c.upper, c.lower)
    assert wb == {"lower": rank, "upper": rank, "certified": True}
    # the defining problem: at width rank - 1 training stays above the certified lower bound by
    # far more than the bracket, at width rank it reaches it
    lo = float(rq.frac(c.lower))
    at = min(train_network(Xt, Y, lam, lam, rank, activation="linear", seed=s).loss for s in (0, 1))
    assert (at - lo) / lo < 1e-9
    if rank > 1:
        below = min(train_network(Xt, Y, lam, lam, rank - 1, activation="linear", seed=s).loss
                    for s in (0, 1))
        assert (below - lo) / lo > 1e-6


def test_hypercube_and_api_report_the_minimal_width():
    from numeric.solve import solve
    out = solve(dY=3, lam1=0.05, lam2=0.05, activation="linear", certify=True)
    assert out["numeric"]["min_width"] == 3 and out["numeric"]["min_width_bracket"] == [3, 3]
    # P = 256 is beyond the interval machinery's size limit: the exact path supplies the rank
    out = solve(dY=8, lam1=0.05, lam2=0.05, activation="linear", certify=True)
    assert out["numeric"]["min_width"] == 8
    T = hypercube(2)
    # strictly inside the silent regime (tau = 3 > sqrt(P) = 2): width 0 certified; on its
    # boundary (tau = 2) the dual is tight in every direction and the bracket stays open
    c = certify_linear(solve_linear(T.X_tilde(), T.Y, 3.0, 3.0), T.X_tilde(), T.Y, 3.0, 3.0)
    assert width_bracket(c.data, c.upper, c.lower) == {"lower": 0, "upper": 0, "certified": True}
    c = certify_linear(solve_linear(T.X_tilde(), T.Y, 2.0, 2.0), T.X_tilde(), T.Y, 2.0, 2.0)
    assert width_bracket(c.data, c.upper, c.lower) == {"lower": 0, "upper": 2, "certified": False}


def test_a_loose_bracket_is_reported_not_rounded():
    Xt, Y = _instance()
    c = certify_linear(solve_linear(Xt, Y, 5.0, 5.0), Xt, Y, 5.0, 5.0)
    wb = width_bracket(c.data, c.upper, c.lower - rq.q(0.5))
    assert wb["lower"] <= 2 <= wb["upper"] and not wb["certified"]
