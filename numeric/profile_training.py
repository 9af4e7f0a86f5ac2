"""Training of the network loss with the readout eliminated exactly (variable projection).

For fixed first-layer weights W the loss E(W, W2) = ||Y - W2 Phi||^2 + lam1 ||W||^2 + lam2 ||W2||^2
(Phi = phi(W X~)) is a ridge regression in W2 with the unique minimiser
W2*(W) = Y Phi^T (Phi Phi^T + lam2 I)^{-1}. The *profile* loss L(W) = E(W, W2*(W)) has the same
minima over W as E over (W, W2), and by the envelope theorem its gradient is dE/dW at W2*(W).
L-BFGS on L is far less prone to the slow "readout catching up" phases of joint training, which
is why the width, sample and no-bias witnesses use it (float64; it proves nothing, and ReLU's kink
can still stall a run -- those runs are counted and reported, never hidden).
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from numeric.energy import network_loss_and_grad, optimal_readout
from numeric.activations import get
from numeric.training import TrainRun


def profile_loss_and_grad(w, width, X_tilde, Y, lam1, lam2, activation="relu"):
    D = X_tilde.shape[0]
    W = w.reshape(width, D)
    W2 = optimal_readout(get(activation)(W @ X_tilde), Y, lam2)
    theta = np.concatenate([W.ravel(), W2.ravel()])
    loss, g = network_loss_and_grad(theta, ((width, D), (Y.shape[0], width)), X_tilde, Y,
                                    lam1, lam2, activation)
    return loss, g[: width * D]


def train_profile(X_tilde, Y, lam1, lam2, width, *, seed=0, activation="relu", init_scale=0.5,
                  maxiter=2000) -> TrainRun:
    """L-BFGS on the profile loss from a Gaussian start (fixed seed)."""
    rng = np.random.default_rng(seed)
    D = X_tilde.shape[0]
    res = minimize(profile_loss_and_grad, init_scale * rng.standard_normal(width * D), jac=True,
                   method="L-BFGS-B", args=(width, X_tilde, Y, lam1, lam2, activation),
                   options={"maxiter": maxiter, "gtol": 1e-11, "ftol": 1e-14, "maxcor": 30})
    W = res.x.reshape(width, D)
    W2 = optimal_readout(get(activation)(W @ X_tilde), Y, lam2)
    return TrainRun(width, seed, float(res.fun), W, W2, int(res.nit), bool(res.success))
