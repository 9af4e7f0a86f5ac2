"""Gradient training of the two-layer network loss in float64 (scipy L-BFGS-B).

This is the "common tool" witness: it never proves optimality, it only checks that no run goes
below a claimed global minimum and that the best run reaches it. ReLU's kink at 0 makes the loss
non-smooth; L-BFGS still converges in practice but can stall in local minima (recorded, not
hidden).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from numeric.energy import network_loss_and_grad


@dataclass(frozen=True)
class TrainRun:
    width: int
    seed: int
    loss: float
    W: np.ndarray
    W2: np.ndarray
    iterations: int
    converged: bool


def train_network(X_tilde, Y, lam1, lam2, width, *, activation="relu", seed=0,
                  init_scale=0.5, maxiter=20000, gtol=1e-12) -> TrainRun:
    rng = np.random.default_rng(seed)
    D, dY = X_tilde.shape[0], Y.shape[0]
    shapes = ((width, D), (dY, width))
    theta0 = init_scale * rng.standard_normal(width * D + dY * width)
    res = minimize(network_loss_and_grad, theta0, jac=True, method="L-BFGS-B",
                   args=(shapes, X_tilde, Y, lam1, lam2, activation),
                   options={"maxiter": maxiter, "maxfun": 4 * maxiter, "gtol": gtol,
                            "ftol": 1e-15, "maxcor": 30})
    W = res.x[: width * D].reshape(width, D)
    W2 = res.x[width * D:].reshape(dY, width)
    return TrainRun(width, seed, float(res.fun), W, W2, int(res.nit), bool(res.success))
