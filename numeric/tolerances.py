"""Every numerical tolerance of the suite, in one place, each with its reason.

A witness compares a measured error against one of these. Loosening one is a visible edit here,
with the arithmetic that justifies it.
"""
from __future__ import annotations

#: float64 agreement of two independent evaluations of the same quantity built from O(P^3)
#: dense linear algebra on well-conditioned matrices (condition numbers <= 1e3 in the witnesses):
#: a few hundred ulps of the result, relative.
FLOAT64_REL = 1e-12

#: mpmath agreement at 60 working digits; 20 digits of head-room for cancellation.
MP_DPS = 60
MP_REL = 1e-40

#: mpmath minimisations of smooth one-dimensional energies at 60 digits (findroot on the
#: derivative): agreement with the closed form to 40 digits is required by the issue.
MP_MIN_DPS = 60
MP_MIN_REL = 1e-40

#: gradient-based training of the network loss (L-BFGS, float64): the best of several starts must
#: land within this relative gap above the closed-form optimum (issue #2).
TRAIN_BEST_REL = 1e-3

#: no run may go below the claimed global optimum by more than float64 noise of the loss.
TRAIN_BELOW_REL = 1e-9

#: finite differences in mpmath: central difference at step 1e-20 at 60 digits has truncation
#: error O(step^2) = 1e-40 times the third derivative; allow 1e-30 relative.
FD_MP_STEP = 1e-20
FD_MP_REL = 1e-30

#: parallelism scores computed in float64 from exactly factorised codes.
PS_ABS = 1e-10
