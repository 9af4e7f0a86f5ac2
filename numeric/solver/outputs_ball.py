r"""What every global minimum computes on the data: a certified ball from a dense certificate.

Math (derived here; the optimality conditions themselves are ``A.kkt``, stated by paper A)
------------------------------------------------------------------------------------------
The dual objective of the certificates is D(Lambda) = 2 <Lambda, Y> - |Lambda|_F^2
(:func:`numeric.solver.rational.dual_value`), maximised over the convex set of dual points that
satisfy the cone condition. D is strongly concave with modulus 2 (its Hessian is -2 I), so its
maximiser Lambda* is unique, and for any feasible Lambda^ (the certificate's exact dual point,
whose cone condition the verifier re-checks)

    D(Lambda^) = D(Lambda*) + <grad D(Lambda*), Lambda^ - Lambda*> - |Lambda^ - Lambda*|^2
              <= D(Lambda*) - |Lambda^ - Lambda*|^2,

the inner product being <= 0 by optimality of Lambda* over the convex set. With weak duality
D(Lambda*) <= E* <= U (U the exact loss of the certificate's network, L = D(Lambda^)):

    |Lambda^ - Lambda*|_F <= sqrt(U - L).

At every global minimum (any width, any kernel K) the optimal read-out gives the outputs
F = Y K (lam2 + K)^{-1}, so Y - F = lam2 Y (lam2 + K)^{-1}; by the optimality conditions of
``A.kkt`` this is a dual point satisfying the cone condition with D = E* (zero duality gap, which
every certified bracket of the suite closes to <= 1e-12), hence the maximiser Lambda*. So **every
global minimum has the same outputs Y - Lambda* on the training inputs**, even where its kernel
(and so its PS) is not unique, and they lie within sqrt(U - L) (Frobenius) of Y - Lambda^.

Hypotheses: a certificate that passes :func:`numeric.solver.certificate.verify` (``ok``); zero
duality gap (A.kkt). Failure mode: a certificate that does not verify has no ball (``None``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from numeric.solver import rational as rq
from numeric.solver.certificate import verify


@dataclass(frozen=True)
class OutputsBall:
    center: np.ndarray        # Y - Lambda^ (dY x P), float64 of the exact rationals
    radius: float             # >= sqrt(U - L), rounded up
    rel_radius: float         # radius / |center|_F


def outputs_ball(cert: dict, report=None) -> OutputsBall | None:
    """The certified ball of training-set outputs shared by every global minimum (see module
    docstring), or None when the certificate does not verify. ``report``: the certificate's
    :func:`numeric.solver.certificate.verify` report when already computed (else verified here)."""
    rep = verify(cert) if report is None else report
    if not rep.ok:
        return None
    Y = rq.from_strings(cert["problem"]["Y"], "problem.Y")
    Lam = rq.from_strings(cert["dual"]["Lambda"], "dual.Lambda")
    center = np.array([[float(Y[i, j] - Lam[i, j]) for j in range(Y.ncols())] for i in range(Y.nrows())])
    gap = rq.q(rep.upper - rep.lower)
    r = rq.rational_upper_sqrt(gap) if gap > 0 else rq.q(0)
    radius = math.nextafter(float(rq.frac(r)), math.inf)
    return OutputsBall(center, radius, radius / max(float(np.linalg.norm(center)), 1e-300))
