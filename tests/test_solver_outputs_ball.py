"""The certified ball of outputs shared by every global minimum (numeric.solver.outputs_ball).

Its independent checks (two global minima with different kernels; the exact dual kappa* Y of
the hypercube) are the witnesses of claim ``L.solver.outputs``, run by tests/test_registry.py;
here: the radius is the square root of the exact bracket, and a broken certificate has no ball."""
from fractions import Fraction

import numpy as np

from numeric.solver import build_certificate, make_problem, solve_relu
from numeric.solver.outputs_ball import outputs_ball


def test_radius_is_the_square_root_of_the_bracket():
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((3, 10)), np.sign(rng.standard_normal((2, 10)))
    cert = build_certificate(solve_relu(make_problem(X, Y, 0.05, 0.05)))
    ball = outputs_ball(cert)
    gap = float(Fraction(cert["bounds"]["upper"]) - Fraction(cert["bounds"]["lower"]))   # exact
    assert gap > 0 and gap * (1 - 1e-12) <= ball.radius ** 2 <= gap * (1 + 1e-9)
    broken = {**cert, "dual": {"Lambda": [[str(2 * Fraction(v)) for v in row] for row in cert["dual"]["Lambda"]]}}
    assert outputs_ball(broken) is None               # a certificate that fails has no ball
