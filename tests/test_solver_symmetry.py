"""Symmetry-reduced hypercube solver: exact optimum, abstraction decision (both answers), zero set."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from numeric.relu_whitened import closed_form
from numeric.solver import rational as rq
from numeric.solver.certificate import build, verify
from numeric.solver.problem import make_problem
from numeric.solver.relu import solve_relu
from numeric.solver.symmetry import krawtchouk, solve_hypercube
from numeric.solver.zeroset import zero_set
from numeric.tasks import hypercube, hypercube_targets


def test_krawtchouk_are_eigenvalues_of_distance_matrices():
    dY = 3
    V = hypercube_targets(dY)
    D = (dY - V.T @ V) // 2                          # Hamming distances
    import itertools
    K = krawtchouk(dY)
    for k in range(dY + 1):
        for S in itertools.combinations(range(dY), k):
            chi = np.prod(V[list(S)], axis=0) if S else np.ones(V.shape[1])
            for d in range(dY + 1):
                assert np.allclose((D == d).astype(float) @ chi, K[d][k] * chi)


@pytest.mark.parametrize("dY", [2, 3, 5, 8])
def test_bias_optimum_is_exact_and_every_minimum_abstract(dY):
    s = solve_hypercube(dY, 1, 0.1, 0.2, bias=True)
    cf = closed_form(dY, 0.1, 0.2)
    assert s.exact_match and s.active
    assert abs(s.energy - cf.energy) <= 1e-13 * cf.energy
    assert abs(s.b - cf.b) <= 1e-13 * cf.b
    assert s.all_minima_abstract is True
    assert s.checks["zero_levels"] == [0, 1] and s.checks["forbidden_distances"] == [dY]
    assert s.min_width == 2 * dY


@pytest.mark.parametrize("dY,n", [(2, 1), (3, 1), (3, 2), (6, 1)])
def test_no_bias_has_a_non_abstract_global_minimum(dY, n):
    s = solve_hypercube(dY, n, 0.1, 0.2, bias=False)
    assert s.all_minima_abstract is False
    w = s.witness
    assert w["zero_set_exact"] and w["YK_equals_cY_exact"] and w["optimal"]
    assert w["cos_contexts_differing_in_y2_exact"] == "0" and w["ps"] < 1


def test_undefined_cases():
    assert solve_hypercube(2, 1, 3.0, 2.0).all_minima_abstract is None       # silent
    assert solve_hypercube(2, 1, 3.0, 2.0).energy == 8.0
    assert solve_hypercube(1, 1, 0.1, 0.1).all_minima_abstract is None       # dY = 1


def test_dY_10_symmetric_certificate():
    s = solve_hypercube(10, 1, 0.05, 0.05, bias=True)
    cf = closed_form(10, 0.05, 0.05)
    assert s.exact_match and abs(s.energy - cf.energy) <= 1e-13 * cf.energy
    assert all(g >= 0 for g in s.gaps) and all(v >= 0 for v in s.nu)


@pytest.mark.parametrize("bias", [True, False])
def test_dense_certificate_agrees_with_symmetric(bias):
    T = hypercube(3, bias=bias)
    rep = verify(build(solve_relu(make_problem(T.X, T.Y, 0.1, 0.2, bias=bias))))
    s = solve_hypercube(3, 1, 0.1, 0.2, bias=bias)
    assert rep.ok and rep.global_optimum
    assert float(rep.lower) * (1 - 1e-14) <= s.energy <= float(rep.upper) * (1 + 1e-14)


@pytest.mark.parametrize("dY", [2, 3])
def test_exact_zero_set_of_the_optimal_dual(dY):
    """Independent of the symmetry argument: enumerate the zero set of the rational T*."""
    Y = hypercube_targets(dY)
    P = Y.shape[1]
    for bias in (True, False):
        s = solve_hypercube(dY, 1, Fraction(1, 10), Fraction(1, 5), bias=bias)
        c = Fraction(1, P + 1) if bias else Fraction(0)
        T = (rq.eye(P) - rq.ones(P, P) * rq.q(c)) * rq.q(s.lam1 * s.lam2) - rq.mat(Y.T @ Y) * rq.q(s.kappa2)
        z = zero_set(T)
        rays = {tuple(r) for r in z.rays}
        half = {tuple(Fraction(int(v)) for v in (1 + sg * Y[i]) / 2) for i in range(dY) for sg in (1, -1)}
        if bias:
            assert rays == half and not z.faces
        else:
            quad = {tuple(Fraction(int(v)) for v in ((Y[0] == a) & (Y[1] == b)))
                    for a in (1, -1) for b in (1, -1)}
            assert quad <= rays                           # quadrant patterns are optimal neurons
            assert len(rays) + len(z.faces) > len(half)
