"""Claims ``A.relu.whitened`` (b*, K*, E*) and ``A.relu.whitened.abstract`` (PS = 1 at K*)."""
from __future__ import annotations

import mpmath as mp
import numpy as np

from numeric import tolerances as tol
from numeric.energy import mp_matrix, mp_meanfield_energy
from numeric.mp_minimise import argmin_1d
from numeric.parallelism import ccgp, parallelism_score, parallelism_score_max
from numeric.registry import Claim, Outcome, Provenance, Witness, register
from numeric.relu_whitened import closed_form, optimal_neurons
from numeric.tasks import hypercube, sign_vectors
from numeric.training import train_network
from symbolic import relu_whitened as sym

LAMBDAS = (("1/10", "1/10"), ("1/50", "1/5"))


def _mp_ansatz_energy(dY, lam1, lam2, amplitudes):
    """E from its definition for patterns a_j (1 +- v_i), squared amplitudes `amplitudes`."""
    V = sign_vectors(dY)
    P = V.shape[1]
    rows = []
    for j, (i, s) in enumerate((i, s) for i in range(dY) for s in (1, -1)):
        rows.append([mp.sqrt(amplitudes[j]) * (1 + s * int(v)) for v in V[i]])
    H = mp.matrix(rows)
    Q = mp.inverse(mp.eye(P) + mp.ones(P, P))        # (X~^T X~)^{-1}, whitened with bias
    return mp_meanfield_energy(H, Q, mp_matrix(V.T @ V), lam1, lam2, "relu")


def mp_ansatz_minimiser(dY, lam1, lam2):
    """(argmin b, min E) of the energy over the symmetric ansatz, at the current precision:
    a coarse grid on (0, 3] picks the start, then findroot on the numerical derivative. The
    energy is evaluated from its definition; the closed form is never used."""
    E = lambda b: _mp_ansatz_energy(dY, lam1, lam2, [b / 2] * (2 * dY))
    return argmin_1d(E, [mp.mpf(k) / 20 for k in range(1, 60)])


def witness_mp_minimisation() -> Outcome:
    """Minimise E over the symmetric ansatz at 60 digits, compare argmin and minimum with the
    closed form."""
    worst = mp.mpf(0)
    with mp.workdps(tol.MP_MIN_DPS):
        for dY in (2, 3):
            for l1, l2 in LAMBDAS:
                lam1, lam2 = mp.mpf(l1) / 1, mp.mpf(l2) / 1
                b_num, E_num = mp_ansatz_minimiser(dY, lam1, lam2)
                cf = closed_form(dY, lam1, lam2, module="mpmath")
                worst = max(worst, abs(b_num - cf.b) / cf.b, abs(E_num - cf.energy) / cf.energy)
    return Outcome(worst < tol.MP_MIN_REL, float(worst),
                   f"dY = 2, 3 x {len(LAMBDAS)} lambda pairs, argmin and minimum at 60 digits")


def witness_mp_asymmetric_stationarity() -> Outcome:
    """At K*, dE/da_j = 0 for each of the 2 dY group amplitudes separately (60 digits): no
    unequal reallocation across latent variables or signs helps to first order."""
    worst = mp.mpf(0)
    with mp.workdps(tol.MP_MIN_DPS):
        for dY in (2, 3):
            lam1, lam2 = mp.mpf(1) / 10, mp.mpf(1) / 10
            cf = closed_form(dY, lam1, lam2, module="mpmath")
            a = [cf.b / 2] * (2 * dY)
            for j in range(2 * dY):
                def Ej(t, j=j):
                    aa = list(a)
                    aa[j] = t
                    return _mp_ansatz_energy(dY, lam1, lam2, aa)
                worst = max(worst, abs(mp.diff(Ej, a[j])) / cf.energy)
    return Outcome(worst < tol.MP_MIN_REL, float(worst), "max |dE/da_j| / E* over all groups, dY = 2, 3")


def witness_silent_regime() -> Outcome:
    """lam1 lam2 >= P(P+1)/(P+2): closed form says b = 0, E = dY P. From the definition, E(b) is
    increasing at b = 0+ (so b = 0 is optimal on the convex ansatz)."""
    worst = mp.mpf(0)
    ok = True
    with mp.workdps(tol.MP_DPS):
        for dY in (1, 2):
            lam1, lam2 = mp.mpf(3), mp.mpf(2)
            cf = closed_form(dY, lam1, lam2, module="mpmath")
            E = lambda b: _mp_ansatz_energy(dY, lam1, lam2, [b / 2] * (2 * dY))
            ok &= (not cf.active) and mp.diff(E, mp.mpf(10) ** -30) > 0
            worst = max(worst, abs(E(mp.mpf(0) + mp.mpf(10) ** -45) - cf.energy) / cf.energy)
    return Outcome(ok and worst < tol.MP_REL, float(worst), "dY = 1, 2 at lam1 = 3, lam2 = 2")


_TRAIN_STATS = {}


def train_sweep(dY: int, lam: float = 0.05, seeds=range(6)):
    """L-BFGS from random starts at widths 2 dY and 4 dY (cached per process)."""
    key = (dY, lam, tuple(seeds))
    if key not in _TRAIN_STATS:
        task = hypercube(dY)
        Xt = task.X_tilde()
        runs = [train_network(Xt, task.Y, lam, lam, M, seed=s)
                for M in (2 * dY, 4 * dY) for s in seeds]
        _TRAIN_STATS[key] = (task, runs, closed_form(dY, lam, lam))
    return _TRAIN_STATS[key]


def witness_training() -> Outcome:
    parts, ok, best_all = [], True, 0.0
    for dY in (2, 3):
        task, runs, cf = train_sweep(dY)
        gaps = np.array([(r.loss - cf.energy) / cf.energy for r in runs])
        below = gaps.min() < -tol.TRAIN_BELOW_REL
        reached = gaps.min() <= tol.TRAIN_BEST_REL
        ok &= (not below) and reached
        best_all = max(best_all, gaps.min())
        parts.append(f"dY={dY}: {len(runs)} runs, best gap {gaps.min():.1e}, "
                     f"{np.mean(gaps <= tol.TRAIN_BEST_REL):.0%} within {tol.TRAIN_BEST_REL:g}, "
                     f"{np.mean(gaps > 1e-2):.0%} stalled above 1e-2")
    return Outcome(ok, best_all, "; ".join(parts))


def witness_ps_closed_form() -> Outcome:
    worst = 0.0
    for dY in (2, 3, 4):
        cf = closed_form(dY, 0.1, 0.1)
        R = np.maximum(optimal_neurons(dY, cf.b), 0)          # hidden layer, M x P
        Y = sign_vectors(dY)
        for score in (parallelism_score(R, Y), parallelism_score_max(R, Y), ccgp(R, Y)):
            worst = max(worst, abs(score - 1))
    return Outcome(worst < tol.PS_ABS, worst, "PS, max-PS, CCGP of the closed-form hidden layer, dY = 2, 3, 4")


def _ps_or_none(run, task):
    """PS of a trained hidden layer; None where a coding vector vanishes (dead units)."""
    try:
        return parallelism_score(np.maximum(run.W @ task.X_tilde(), 0), task.Y)
    except ValueError:
        return None


def witness_ps_trained() -> Outcome:
    parts, ok, worst = [], True, 0.0
    for dY in (2, 3):
        task, runs, cf = train_sweep(dY)
        good = [r for r in runs if (r.loss - cf.energy) / cf.energy <= tol.TRAIN_BEST_REL]
        bad = [r for r in runs if (r.loss - cf.energy) / cf.energy > 1e-2]
        ps_good = [parallelism_score(np.maximum(r.W @ task.X_tilde(), 0), task.Y) for r in good]
        ps_bad = [p for p in (_ps_or_none(r, task) for r in bad) if p is not None]
        worst = max(worst, max(1 - p for p in ps_good))
        ok &= bool(ps_good) and min(ps_good) > 1 - 1e-2
        parts.append(f"dY={dY}: PS of {len(good)} near-optimal runs >= {min(ps_good):.4f}"
                     + (f"; {len(bad)} stalled runs: PS in [{min(ps_bad):.2f}, {max(ps_bad):.2f}]"
                      f" ({len(bad) - len(ps_bad)} undefined)" if ps_bad else ""))
    return Outcome(ok, worst, "; ".join(parts))


register(Claim(
    id="A.relu.whitened",
    statement="ReLU, hypercube task, whitened inputs with bias, n = 1: the optimal kernel is "
              "K* = b*(dY J + K_Y), b* = sqrt((lam2/lam1)(P+1)/(P(P+2))) - lam2/P, and "
              "E* = dY (2 sqrt(lam1 lam2 P(P+2)/(P+1)) - lam1 lam2 (P+2)/(P+1)); when "
              "lam1 lam2 >= P(P+1)/(P+2) the optimum is the silent network (b = 0, E = dY P).",
    hypotheses=("phi = ReLU", "X^T X = I_P with the bias row (K_X = I + J)", "P = 2^dY (n = 1)",
                "lam1, lam2 > 0", "width M >= 2 dY"),
    provenance=Provenance(
        "Paper A (arXiv 2510.09816), ReLU with whitened inputs",
        "K[rho*] = b*(dY 11^T + K_Y), b* = sqrt((lam2/lam1)(P+1)/(P(P+2))) - lam2/P",
        "confirmed",
        "b* confirmed; E* and the silent regime lam1 lam2 >= P(P+1)/(P+2) (where the stated b* "
        "is <= 0) derived here. Global optimality certified exactly for dY = 2, 3 via A.kkt."),
    derivation=sym.derivation,
    witnesses=(Witness("minimise the energy over the ansatz at 60 digits", "high-precision",
                       witness_mp_minimisation),
               Witness("each group amplitude stationary at 60 digits", "high-precision",
                       witness_mp_asymmetric_stationarity),
               Witness("silent regime from the definition", "high-precision", witness_silent_regime),
               Witness("L-BFGS training of the network loss, 12 starts per dY", "optimisation",
                       witness_training)),
    notebook="notebooks/03_relu_whitened.ipynb"))

register(Claim(
    id="A.relu.whitened.abstract",
    statement="At K* the hidden layer is abstract: PS = max-PS = CCGP = 1 for every latent variable "
              "(dY >= 2); trained networks that reach E* are abstract too.",
    hypotheses=("as A.relu.whitened", "dY >= 2 (PS needs two contexts)"),
    provenance=Provenance(
        "Paper A (arXiv 2510.09816), abstraction at the optimum",
        "optimal neurons h = alpha(1 +- v_i); PS = 1",
        "confirmed",
        "The closed-form neurons give a factorised code (PS = 1 exactly); L-BFGS runs that stall "
        "in local minima have PS < 1 (numbers in the witness)."),
    witnesses=(Witness("PS / max-PS / CCGP of the closed-form hidden layer", "float64",
                       witness_ps_closed_form),
               Witness("PS of trained networks that reach E*", "optimisation", witness_ps_trained)),
    notebook="notebooks/03_relu_whitened.ipynb"))
