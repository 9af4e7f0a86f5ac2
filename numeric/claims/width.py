"""Claims ``A.relu.tuning`` (zero set, unique optimal kernel, every minimum abstract) and
``A.relu.width`` (the optimum is reachable iff M >= 2 dY)."""
from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import numpy as np

from numeric import tolerances as tol
from numeric.claims.samples import half_cube_patterns
from numeric.energy import kernel, mp_matrix
from numeric.exact import to_rows
from numeric.parallelism import parallelism_score
from numeric.profile_training import train_profile
from numeric.registry import Claim, Outcome, Provenance, Witness, register
from numeric.samples import (closed_form, exact_energy_and_dual, exact_matrices,
                             rational_lam1_for)
from numeric.tasks import hypercube, hypercube_targets
from numeric.width import forced_masses, width_one_dy1, zero_set
from symbolic import width as sym

LAM2, B = Fraction(1, 10), Fraction(1, 2)


def _S_rows(dY, n):
    lam1 = rational_lam1_for(dY, n, LAM2, B)
    Y, KY, Q = exact_matrices(dY, n)
    pats = half_cube_patterns(Y)
    _, S, _ = exact_energy_and_dual(pats, [B / 2] * len(pats), KY, Q, lam1, LAM2)
    return Y, to_rows(S)


def witness_zero_set() -> Outcome:
    """Exact enumeration of every support of a zero of S* (S* copositive by A.relu.whitened.n):
    exactly the 2 dY half-cubes {y_i = s} (class blocks included), each with a constant vector."""
    parts, ok = [], True
    for dY, n in ((2, 1), (3, 1), (2, 2)):
        Y, rows = _S_rows(dY, n)
        zeros, undecided = zero_set(rows)
        expected = sorted(tuple(k for k in range(Y.shape[1]) if Y[i, k] == s)
                          for i in range(dY) for s in (1, -1))
        found = sorted(F for F, _ in zeros)
        const = all(len(set(v)) == 1 for _, v in zeros)
        good = found == expected and const and not undecided
        ok &= good
        parts.append(f"(dY,n)=({dY},{n}): {len(found)} zero supports, all half-cubes={found == expected}, "
                     f"constant on support={const}, undecided={len(undecided)}")
    return Outcome(ok, 0.0 if ok else None, "; ".join(parts) + " (all 2^P supports, exact)")


def witness_forced_masses() -> Outcome:
    """Exact: K v_j = b* P v_j on a measure over the 2 dY rays has the unique solution b*/2."""
    parts, ok = [], True
    for dY, n in ((2, 1), (3, 1), (2, 2)):
        m = forced_masses(dY, n, B)
        good = all(x == B / 2 for x in m)
        ok &= good
        parts.append(f"(dY,n)=({dY},{n}): masses {sorted(set(m))}")
    return Outcome(ok, 0.0 if ok else None, "; ".join(parts) + f" (b* = {B}: all equal b*/2 > 0)")


def _mp_energy_masses(dY, lam1, lam2, amps):
    Y = hypercube_targets(dY, 1)
    P = Y.shape[1]
    Q = mp.inverse(mp.eye(P) + mp.ones(P, P))
    KY = mp_matrix(Y.T @ Y)
    pats = [[1 + s * int(v) for v in Y[i]] for i in range(dY) for s in (1, -1)]
    K = mp.matrix(P, P)
    cost = mp.mpf(0)
    for a, p in zip(amps, pats):
        pv = mp.matrix(p)
        K += a * (pv * pv.T)
        cost += a * (pv.T * Q * pv)[0, 0]
    A = mp.inverse(lam2 * mp.eye(P) + K) * KY
    return lam1 * cost + lam2 * mp.fsum(A[i, i] for i in range(P))


def witness_mp_strict_convexity() -> Outcome:
    """60 digits: the energy restricted to measures on the 2 dY rays has zero gradient and a
    positive-definite Hessian in the masses at a = b*/2 (the optimal masses are unique)."""
    worst_grad, min_eig = mp.mpf(0), mp.inf
    with mp.workdps(tol.MP_DPS):
        for dY in (2, 3):
            lam1, lam2 = mp.mpf(1) / 20, mp.mpf(1) / 10
            cf = closed_form(dY, 1, lam1, lam2, module="mpmath")
            a0 = [cf.b / 2] * (2 * dY)
            f = lambda *a: _mp_energy_masses(dY, lam1, lam2, list(a))
            m = 2 * dY
            for j in range(m):
                d = [0] * m
                d[j] = 1
                worst_grad = max(worst_grad, abs(mp.diff(f, a0, tuple(d))) / cf.energy)
            H = mp.matrix(m, m)
            for i in range(m):
                for j in range(i, m):
                    d = [0] * m
                    d[i] += 1
                    d[j] += 1
                    H[i, j] = H[j, i] = mp.diff(f, a0, tuple(d))
            min_eig = min(min_eig, min(mp.eigsy(H)[0]))
    ok = worst_grad < tol.MP_REL and min_eig > 0
    return Outcome(ok, float(worst_grad), f"dY = 2, 3: max |grad| / E* = {float(worst_grad):.1e}, "
                                          f"min Hessian eigenvalue {float(min_eig):.3g} > 0")


_RUNS = {}


def runs(dY, M):
    """Profile-loss L-BFGS from 6 seeds at lam = 0.05 (cached per process)."""
    key = (dY, M)
    if key not in _RUNS:
        task = hypercube(dY, 1)
        _RUNS[key] = (task, [train_profile(task.X_tilde(), task.Y, WIDTH_LAM, WIDTH_LAM, M, seed=s,
                                           maxiter=tol.SAMPLES_TRAIN_MAXITER) for s in range(6)])
    return _RUNS[key]


WIDTH_LAM = 0.05


def witness_trained_kernel() -> Outcome:
    """Every trained run (dY = 2, width 4, 6 starts) that reaches E* has kernel close to K* and
    PS close to 1 (uniqueness seen from the network side)."""
    cf = closed_form(2, 1, WIDTH_LAM, WIDTH_LAM)
    Kstar = cf.kernel()
    errs, ps, total = [], [], 0
    for M in (4,):
        task, rs = runs(2, M)
        for r in rs:
            total += 1
            if (r.loss - cf.energy) / cf.energy <= tol.TRAIN_BEST_REL:
                K = kernel(r.W @ task.X_tilde())
                errs.append(np.linalg.norm(K - Kstar) / np.linalg.norm(Kstar))
                ps.append(parallelism_score(np.maximum(r.W @ task.X_tilde(), 0), task.Y))
    ok = bool(errs) and max(errs) < tol.TUNING_KERNEL_REL and min(ps) > 1 - tol.SAMPLES_PS_TRAINED_ABS
    return Outcome(ok, max(errs) if errs else None,
                   f"{len(errs)} of {total} runs reach E*: max |K - K*|/|K*| = "
                   f"{max(errs) if errs else float('nan'):.1e}, min PS = {min(ps) if ps else float('nan'):.4f}")


register(Claim(
    id="A.relu.tuning",
    statement="ReLU, whitened hypercube inputs with bias, any n, active regime: the zero set of "
              "the dual matrix at K* is exactly the 2 dY rays alpha(1 +- v_i) (class-constant); "
              "every optimal measure lives on them with mass b*/2 per ray, so K* is the unique "
              "optimal kernel and every global minimum of any width is abstract (PS = 1, dY >= 2).",
    hypotheses=("phi = ReLU", "X^T X = I_P with the bias row", "hypercube targets, n per class",
                "lam1 lam2 < P(P+1)/(P+2)"),
    provenance=Provenance(
        "Paper A (arXiv 2510.09816), A.relu.tuning and A.relu.all-minima",
        "optimal preactivation patterns are h = alpha(1 +- v_i), alpha >= 0; for M >= 2^dY every "
        "global minimum is abstract", "confirmed",
        "Confirmed and strengthened: the tuning holds for every dY and n (proof, not only small "
        "instances), the optimal kernel is unique, and every global minimum is abstract at every "
        "width that reaches the optimum (M >= 2 dY, A.relu.width). Needs the bias: without it the "
        "zero set is all ReLU(w.y) (A.relu.nobias.not-unique)."),
    derivation=sym.tuning_derivation,
    witnesses=(Witness("exact enumeration of the zero set of S* (all supports)", "exact",
                       witness_zero_set),
               Witness("masses forced to b*/2 by K v_j = b* P v_j, exact", "exact",
                       witness_forced_masses),
               Witness("energy strictly convex in the ray masses at 60 digits", "high-precision",
                       witness_mp_strict_convexity),
               Witness("trained optima have kernel K* and PS = 1", "optimisation",
                       witness_trained_kernel)),
    notebook="notebooks/04_tuning_width.ipynb"))


# ----------------------------------------------------------------------------------- width

def _mp_face_loss(params, lam1, lam2):
    """Network loss, dY = 1, X = I_2 with bias, one neuron W = (w1, w2, beta) on the face
    h_1 = w1 + beta = 0 (w1 = -beta), readout c: y = (-1, +1)."""
    beta, w2, c = params
    h2 = w2 + beta
    return 1 + (1 - c * h2) ** 2 + lam1 * (2 * beta ** 2 + w2 ** 2) + lam2 * c ** 2


def _mp_full_loss(W, c, lam1, lam2):
    w1, w2, beta = W
    relu = lambda z: z if z > 0 else mp.mpf(0)
    h = (w1 + beta, w2 + beta)
    return ((-1 - c * relu(h[0])) ** 2 + (1 - c * relu(h[1])) ** 2
            + lam1 * (w1 ** 2 + w2 ** 2 + beta ** 2) + lam2 * c ** 2)


def witness_mp_width_one() -> Outcome:
    """dY = 1, M = 1 at 60 digits: minimise the network loss on the face h_1 = 0 (findroot on the
    gradient), compare with E_1 = E* + (1 - u)^2; check that leaving the face in either
    direction (h_1 > 0 or h_1 < 0) increases the loss (one-sided derivatives > 0)."""
    worst, ok = mp.mpf(0), True
    with mp.workdps(tol.MP_DPS):
        for l1, l2 in (("1/20", "1/10"), ("1/2", "1/3")):
            lam1, lam2 = mp.mpf(mp.fraction(*map(int, l1.split("/")))), mp.mpf(mp.fraction(*map(int, l2.split("/"))))
            t2, e1 = width_one_dy1(lam1, lam2, module="mpmath")
            t = mp.sqrt(t2)
            x0 = [t / 2 * mp.mpf("1.1"), t / 2 * mp.mpf("0.9"), 1 / t]
            g = lambda *p: [mp.diff(lambda *q: _mp_face_loss(q, lam1, lam2), p, tuple(int(i == j) for i in range(3)))
                            for j in range(3)]
            sol = mp.findroot(g, x0, tol=mp.mpf(10) ** -50)
            L = _mp_face_loss(list(sol), lam1, lam2)
            worst = max(worst, abs(L - e1) / e1)
            beta, w2, c = sol
            W = [-beta, w2, beta]
            step = mp.mpf(10) ** -25
            for sgn in (1, -1):                                   # move h_1 off the face
                Wp = [W[0] + sgn * step, W[1], W[2]]
                ok &= (_mp_full_loss(Wp, c, lam1, lam2) - L) / step > 0
            cf = closed_form(1, 1, lam1, lam2, module="mpmath")
            ok &= e1 - cf.energy > 0
    return Outcome(ok and worst < tol.MP_MIN_REL, float(worst),
                   "two lambda pairs: face minimum of the network loss = E_1 at 60 digits; "
                   "one-sided derivatives off the face > 0; E_1 > E*")


def witness_training_boundary() -> Outcome:
    """float64, 6 starts each: dY = 1 at M = 1 (best = E_1, none below) vs M = 2 (reaches E*);
    dY = 2 at M = 3 (best gap to E* >= WIDTH_GAP_MIN_REL) vs M = 4 (reaches E*)."""
    parts, ok, err = [], True, 0.0
    cf1 = closed_form(1, 1, WIDTH_LAM, WIDTH_LAM)
    _, e1 = width_one_dy1(WIDTH_LAM, WIDTH_LAM)
    _, r1 = runs(1, 1)
    best1 = min(r.loss for r in r1)
    ok &= abs(best1 - e1) / e1 <= tol.TRAIN_BEST_REL and best1 >= e1 * (1 - tol.TRAIN_BELOW_REL)
    err = abs(best1 - e1) / e1
    _, r2 = runs(1, 2)
    g2 = min(r.loss for r in r2) / cf1.energy - 1
    ok &= -tol.TRAIN_BELOW_REL <= g2 <= tol.TRAIN_BEST_REL
    parts.append(f"dY=1: M=1 best {best1:.6f} vs E_1 = {e1:.6f} (E* = {cf1.energy:.6f}); M=2 gap {g2:.1e}")
    cf2 = closed_form(2, 1, WIDTH_LAM, WIDTH_LAM)
    _, r3 = runs(2, 3)
    g3 = min(r.loss for r in r3) / cf2.energy - 1
    _, r4 = runs(2, 4)
    g4 = min(r.loss for r in r4) / cf2.energy - 1
    ok &= g3 >= tol.WIDTH_GAP_MIN_REL and -tol.TRAIN_BELOW_REL <= g4 <= tol.TRAIN_BEST_REL
    parts.append(f"dY=2: M=3 best gap {g3:.4f} (>= {tol.WIDTH_GAP_MIN_REL:g}), M=4 best gap {g4:.1e}")
    return Outcome(ok, err, "; ".join(parts))


register(Claim(
    id="A.relu.width",
    statement="ReLU, whitened hypercube inputs with bias, active regime: the global optimum is "
              "reachable iff the width M >= 2 dY; at M = 2 dY - 1 the best energy is strictly "
              "above E* (dY = 1: exactly E_1 = E* + (1 - sqrt(2 lam1 lam2/3))^2).",
    hypotheses=("as A.relu.tuning",),
    provenance=Provenance(
        "Paper A (arXiv 2510.09816), A.relu.all-minima",
        "For M >= 2^dY ... every global minimum is abstract", "derived",
        "The true threshold is M = 2 dY (the 2 dY rays each need an atom); 2^dY is sufficient "
        "but not tight for dY >= 3. One neuron fewer is strictly worse (proof; exact for dY = 1, "
        "float witness for dY = 2: gap 3.8% at lam = 0.05)."),
    derivation=sym.width_derivation,
    witnesses=(Witness("width-1 optimum for dY = 1 from the network loss at 60 digits",
                       "high-precision", witness_mp_width_one),
               Witness("training at M = 2 dY - 1 vs 2 dY (dY = 1, 2), 6 starts each",
                       "optimisation", witness_training_boundary),
               Witness("every ray needs positive mass (forced masses), exact", "exact",
                       witness_forced_masses)),
    notebook="notebooks/04_tuning_width.ipynb"))
