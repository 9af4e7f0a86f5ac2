"""Dropping the regularisation: without lam1 > 0 or lam2 > 0 no global minimum exists.

Derived here (the assumption audit of issue #3). ReLU, whitened hypercube inputs with bias
(Q = I - J/(P+1)), P samples, dY latent variables, K_Y = Y^T Y with tr K_Y = dY P.

*lam1 = 0.* The energy is lam2 tr((lam2 + K)^{-1} K_Y) > 0 for every finite K, and the one-hot
network (one neuron per sample, h_k = t e_k, so K = t^2 I) gives lam2 dY P / (lam2 + t^2) -> 0 as
t -> oo. The infimum 0 is not attained, and this minimising sequence is *not abstract*: one-hot
codes have PS = 0.

*lam2 = 0.* With W2 unregularised the readout fits exactly whenever K = Phi^T Phi is invertible;
the one-hot network with h_k = t e_k and W2 = Y / t has loss lam1 t^2 P * P/(P+1) -> 0 as t -> 0,
while t = 0 (the silent network) has loss ||Y||^2 = dY P. Again the infimum is not attained and
a non-abstract minimising sequence exists.

So "every global minimum is abstract" needs both lam1 > 0 and lam2 > 0 (for lam = 0 it is
vacuous: there is no minimum), and the abstract geometry is not forced along minimising
sequences.
"""
from __future__ import annotations

import sympy as sp

from symbolic.derivation import Derivation

t, lam1, lam2, P, dY = sp.symbols("t lambda_1 lambda_2 P d_Y", positive=True)


def onehot_energy_lam1_zero():
    """lam2 tr((lam2 + t^2 I)^{-1} K_Y) with tr K_Y = dY P."""
    return lam2 * dY * P / (lam2 + t ** 2)


def onehot_loss_lam2_zero():
    """lam1 sum_k |h_k|_Q^2 with h_k = t e_k: lam1 P t^2 (1 - 1/(P+1)); the fit term is 0."""
    return lam1 * P * t ** 2 * (1 - 1 / (P + 1))


def derivation() -> Derivation:
    d = Derivation("A.audit.regularisation: no minimiser without lam1 > 0 or lam2 > 0",
                   assumptions="ReLU, whitened inputs with bias, hypercube task")
    d.add("lam1 = 0: the energy of the one-hot network tends to 0 as t -> oo",
          sp.limit(onehot_energy_lam1_zero(), t, sp.oo), 0, "limit")
    d.add("lam1 = 0: the energy is positive for every finite t", onehot_energy_lam1_zero(), 0,
          "all factors positive", relation="ge")
    d.add("lam2 = 0: the one-hot loss tends to 0 as t -> 0+",
          sp.limit(onehot_loss_lam2_zero(), t, 0, "+"), 0, "limit")
    d.add("lam2 = 0: the silent network (t = 0) is not a minimiser: its loss dY P exceeds the "
          "one-hot loss at t^2 = dY/(2 lam1) (<= dY P/2 there)",
          dY * P - onehot_loss_lam2_zero().subs(t, sp.sqrt(dY / (2 * lam1))), dY * P / 2,
          "P/(P+1) < 1", relation="ge")
    return d
