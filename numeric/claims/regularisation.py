"""Claim ``A.audit.regularisation``: both regularisers are needed for a global minimum to exist."""
from __future__ import annotations

import mpmath as mp
import numpy as np

from numeric import tolerances as tol
from numeric.energy import (min_norm_weights, mp_matrix, mp_network_loss, network_loss,
                            optimal_readout)
from numeric.parallelism import parallelism_score
from numeric.registry import Claim, Outcome, Provenance, Witness, register
from numeric.tasks import hypercube
from symbolic import regularisation as sym


def _onehot(task, t):
    """H = t I: neuron k fires (with value t) on sample k only; reachable for whitened inputs."""
    return t * np.eye(task.P)


def witness_lam1_zero() -> Outcome:
    """Network loss of the one-hot network (readout at its ridge optimum, lam1 = 0) decreases
    towards 0 as t grows, never reaching it; PS of the one-hot code is 0."""
    parts, ok = [], True
    for dY in (2, 3):
        task = hypercube(dY)
        Xt = task.X_tilde()
        losses = []
        for t in (1.0, 10.0, 100.0, 1000.0):
            H = _onehot(task, t)
            W = min_norm_weights(H, Xt)
            W2 = optimal_readout(np.maximum(W @ Xt, 0), task.Y, 0.1)
            losses.append(network_loss(W, W2, Xt, task.Y, 0.0, 0.1))
        ps = parallelism_score(np.maximum(_onehot(task, 1.0), 0), task.Y)
        decreasing = all(a > b > 0 for a, b in zip(losses, losses[1:]))
        ok &= decreasing and losses[-1] < 1e-5 * losses[0] and abs(ps) < tol.PS_ABS
        parts.append(f"dY={dY}: loss {losses[0]:.3g} -> {losses[-1]:.3g} (t = 1 -> 1000), PS = {ps:.1g}")
    return Outcome(ok, None, "; ".join(parts))


def witness_lam2_zero() -> Outcome:
    """lam2 = 0: network loss of the one-hot network (minimum-norm W, readout W2 = Y / t) at
    60 digits as t -> 0, vs the silent network's ||Y||^2 = dY P; the infimum 0 is approached,
    not attained."""
    parts, ok = [], True
    with mp.workdps(tol.MP_DPS):
        for dY in (2, 3):
            task = hypercube(dY)
            P = task.P
            lam1 = mp.mpf("0.1")
            Xt, Y = mp_matrix(task.X_tilde()), mp_matrix(task.Y)
            pinv = mp.inverse(Xt.T * Xt) * Xt.T           # X~ has full column rank
            vals = []
            for t in (mp.mpf(1), mp.mpf(10) ** -3, mp.mpf(10) ** -6):
                W = (t * mp.eye(P)) * pinv                  # minimum-norm weights for H = t I
                vals.append(mp_network_loss(W, Y / t, Xt, Y, lam1, mp.mpf(0), "relu"))
            silent = mp.mpf(dY * P)
            ok &= all(a > b > 0 for a, b in zip(vals, vals[1:])) and vals[-1] < silent * mp.mpf(10) ** -12
            parts.append(f"dY={dY}: loss {mp.nstr(vals[0], 4)} -> {mp.nstr(vals[-1], 4)} vs silent {int(silent)}")
    return Outcome(ok, None, "; ".join(parts))


register(Claim(
    id="A.audit.regularisation",
    statement="With lam1 = 0 or lam2 = 0 the loss has no global minimum on the hypercube task "
              "(ReLU, whitened): the infimum is approached by one-hot (non-abstract, PS = 0) "
              "networks, so 'every global minimum is abstract' needs lam1, lam2 > 0.",
    hypotheses=("phi = ReLU", "whitened inputs with bias", "hypercube task, n = 1"),
    provenance=Provenance(
        "assumption audit (issue #3); Paper A assumes lam1, lam2 > 0", None, "derived",
        "Both regularisers are necessary: without either, minimising sequences exist whose "
        "representations are one-hot (PS = 0) and no minimiser exists."),
    derivation=sym.derivation,
    witnesses=(Witness("lam1 = 0: one-hot network loss -> 0, PS = 0 (float64)", "float64",
                       witness_lam1_zero),
               Witness("lam2 = 0: one-hot loss -> 0 below the silent network (60 digits)",
                       "high-precision", witness_lam2_zero)),
    notebook="notebooks/07_assumption_audit.ipynb"))
