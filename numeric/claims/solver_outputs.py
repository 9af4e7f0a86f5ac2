"""Claim ``L.solver.outputs``: every global minimum computes the same outputs on the data, in a
ball certified by the dense solver's exact bracket (numeric.solver.outputs_ball). Derived here."""
from __future__ import annotations

import math

import numpy as np

from numeric.claims.nobias import B, LAM2, _alternative_measure
from numeric.registry import Claim, Outcome, Provenance, Witness, register
from numeric.samples import rational_lam1_for
from numeric.solver import build_certificate, make_problem, solve_hypercube, solve_relu
from numeric.solver.outputs_ball import outputs_ball
from numeric.tasks import hypercube, hypercube_targets
from symbolic import solver as sym


def _outputs(K, Y, lam2):
    return Y @ K @ np.linalg.inv(lam2 * np.eye(K.shape[0]) + K)


def witness_distinct_minima() -> Outcome:
    """No bias, dY = 2 (A.relu.nobias.not-unique): the exact one-hot global minimum (PS = 0) and
    the solver's optimum have different kernels, and both outputs lie in the certified ball."""
    dY = 2
    lam1, lam2 = float(rational_lam1_for(dY, 1, LAM2, B, bias=False)), float(LAM2)
    Y = hypercube_targets(dY, 1)
    sol = solve_relu(make_problem(np.eye(4), Y, lam1, lam2, bias=False))
    ball = outputs_ball(build_certificate(sol))
    if ball is None:
        return Outcome(False, None, "the certificate did not verify")
    _, pats, wgt = _alternative_measure(dY)
    Pm = np.array(pats, dtype=float)
    K_onehot = float(wgt) * Pm.T @ Pm
    apart = float(np.linalg.norm(K_onehot - sol.kernel) / np.linalg.norm(K_onehot))
    dist = max(float(np.linalg.norm(_outputs(K, Y, lam2) - ball.center)) for K in (K_onehot, sol.kernel))
    ok = apart > 0.1 and dist <= ball.radius * (1 + 1e-9) + 1e-12 and ball.rel_radius < 1e-5
    return Outcome(ok, dist, f"kernels {apart:.2f} apart (relative); outputs within {dist:.1e} "
                             f"of the centre, radius {ball.radius:.1e}")


def witness_exact_dual() -> Outcome:
    """Whitened hypercube with the bias: the exact dual optimum is kappa* Y (symmetric solver,
    zero-gap certificate); the dense certificate's centre is within its radius of Y - kappa* Y."""
    parts, ok, worst = [], True, 0.0
    for dY in (2, 3):
        T = hypercube(dY)
        s = solve_hypercube(dY, 1, 0.05, 0.05, bias=True)
        ball = outputs_ball(build_certificate(solve_relu(make_problem(T.X, T.Y, 0.05, 0.05))))
        if ball is None:
            return Outcome(False, None, f"dY = {dY}: the certificate did not verify")
        exact = (1 - math.sqrt(float(s.kappa2))) * T.Y
        dist = float(np.linalg.norm(exact - ball.center))
        ok &= dist <= ball.radius
        worst = max(worst, dist / ball.radius)
        parts.append(f"dY = {dY}: |centre - (1 - kappa*) Y| = {dist:.1e} <= radius {ball.radius:.1e}")
    return Outcome(ok, worst, "; ".join(parts))


register(Claim(
    id="L.solver.outputs",
    statement="Every global minimum of the ReLU mean-field problem computes the same outputs on "
              "the training inputs, Y - Lambda* (Lambda* the unique dual optimum), even where its "
              "kernel and PS are not unique; a verified certificate with exact bracket [L, U] and "
              "dual point Lambda^ puts them within sqrt(U - L) (Frobenius) of Y - Lambda^.",
    hypotheses=("phi = ReLU, one hidden layer", "a certificate that verifies",
                "zero duality gap (A.kkt)"),
    provenance=Provenance("derived here (issue #4)", None, "derived",
                          "D(Lambda) = 2<Lambda, Y> - |Lambda|^2 is strongly concave, so the dual "
                          "optimum is unique and certified to a ball of radius sqrt(gap); by A.kkt "
                          "it is Y minus the outputs of every global minimum. What the solver "
                          "can say about all global minima on general data while the kernel's "
                          "uniqueness (and PS) stays undecided."),
    derivation=sym.outputs_ball_derivation,
    witnesses=(Witness("two global minima with different kernels share the certified outputs",
                       "float64", witness_distinct_minima),
               Witness("the certified centre is within its radius of the exact dual kappa* Y",
                       "float64", witness_exact_dual)),
    notebook="notebooks/08_global_optima.ipynb"))
