"""Claims ``A.relu.nobias`` (optimum without the bias row) and ``A.relu.nobias.not-unique``
(non-abstract global minima without the bias)."""
from __future__ import annotations

import itertools
from fractions import Fraction

import mpmath as mp
import numpy as np
import sympy as sp

from numeric import tolerances as tol
from numeric.claims.samples import exact_certificate, half_cube_patterns
from numeric.copositivity import decide_copositive, quadratic_form
from numeric.energy import mp_matrix, mp_meanfield_energy
from numeric.exact import to_rows
from numeric.nobias import closed_form, relu_linear_neurons
from numeric.parallelism import parallelism_score
from numeric.profile_training import train_profile
from numeric.mp_minimise import argmin_1d
from numeric.registry import Claim, Outcome, Provenance, Witness, register
from numeric.samples import exact_energy_and_dual, exact_matrices, rational_lam1_for
from numeric.tasks import hypercube, hypercube_targets
from symbolic import nobias as sym

LAM2, B = Fraction(1, 10), Fraction(1, 2)


def _closed_energy_exact(dY, n, lam1, lam2):
    e = sp.nsimplify(sp.simplify(sym.energy_star().subs(
        {sym.P: n * 2 ** dY, sym.dY: dY, sym.lam1: sp.Rational(lam1), sym.lam2: sp.Rational(lam2)})))
    return Fraction(int(e.p), int(e.q)) if e.is_Rational else None


def witness_exact() -> Outcome:
    parts, ok = [], True
    for dY, n in ((2, 1), (3, 1), (2, 2), (2, 3)):
        res, slack, E, lam1 = exact_certificate(dY, n, bias=False, lam2=LAM2, b=B)
        Ecf = _closed_energy_exact(dY, n, lam1, LAM2)
        good = res.copositive and all(v == 0 for v in slack) and E == Ecf
        ok &= good
        parts.append(f"(dY,n)=({dY},{n}): copositive={res.copositive}, CS={all(v == 0 for v in slack)}, "
                     f"E(def)==E*={E == Ecf}")
    lo, _, _, _ = exact_certificate(2, 1, bias=False, lam2=LAM2, b=B, b_used=B / 2)
    ok &= not lo.copositive
    parts.append(f"negative control b*/2: copositive={lo.copositive}")
    return Outcome(ok, 0.0 if ok else None, "; ".join(parts) + " (Q = I, lam2=1/10, b*=1/2)")


def _S_rows_at_optimum(dY):
    lam1 = rational_lam1_for(dY, 1, LAM2, B, bias=False)
    Y, KY, Q = exact_matrices(dY, 1, bias=False)
    pats = half_cube_patterns(Y)
    _, S, _ = exact_energy_and_dual(pats, [B / 2] * len(pats), KY, Q, lam1, LAM2)
    return Y, to_rows(S)


def witness_zero_set() -> Outcome:
    """Exact: at K*, V(ReLU(w.y)) = 0 for every integer w in [-2, 2]^dY (dY = 2, 3), and V > 0
    for patterns outside that family (one-hot at dY = 3, a half-cube plus a point)."""
    ok, count = True, 0
    for dY in (2, 3):
        Y, rows = _S_rows_at_optimum(dY)
        for w in itertools.product(range(-2, 3), repeat=dY):
            p = [max(0, int(np.dot(w, Y[:, k]))) for k in range(Y.shape[1])]
            ok &= quadratic_form(rows, p) == 0
            count += 1
    Y, rows = _S_rows_at_optimum(3)
    onehot = [int(k == 7) for k in range(8)]
    mixed = [1 + int(v) for v in Y[0]]
    mixed[0] += 1                                            # half-cube plus one extra point
    outside = [quadratic_form(rows, onehot), quadratic_form(rows, mixed)]
    ok &= all(v > 0 for v in outside)
    return Outcome(ok, 0.0 if ok else None,
                   f"V = 0 exactly on {count} patterns ReLU(w.y), w in [-2,2]^dY (dY = 2, 3); "
                   f"V > 0 off the family: {[float(v) for v in outside]}")


def _mp_energy(dY, n, lam1, lam2, amps):
    Y = hypercube_targets(dY, n)
    rows = [[mp.sqrt(amps[j]) * (1 + s * int(v)) for v in Y[i]]
            for j, (i, s) in enumerate((i, s) for i in range(dY) for s in (1, -1))]
    P = Y.shape[1]
    return mp_meanfield_energy(mp.matrix(rows), mp.eye(P), mp_matrix(Y.T @ Y), lam1, lam2, "relu")


def witness_mp() -> Outcome:
    worst = mp.mpf(0)
    with mp.workdps(tol.MP_MIN_DPS):
        for dY, n in ((2, 1), (1, 3), (3, 1)):
            lam1, lam2 = mp.mpf(1) / 20, mp.mpf(1) / 10
            cf = closed_form(dY, n, lam1, lam2, module="mpmath")
            E = lambda bb: _mp_energy(dY, n, lam1, lam2, [bb / 2] * (2 * dY))
            bn, En = argmin_1d(E, [mp.mpf(k) / 10 for k in range(1, 30)])
            worst = max(worst, abs(bn - cf.b) / cf.b, abs(En - cf.energy) / cf.energy)
    return Outcome(worst < tol.MP_MIN_REL, float(worst),
                   "(dY,n) = (2,1), (1,3), (3,1): argmin and minimum of E(b) from its definition, 60 digits")


_RUNS = {}
NOBIAS_TRAIN = ((2, 1, 4), (3, 1, 6), (2, 2, 4))
NOBIAS_LAM = 0.05


def training_runs():
    if not _RUNS:
        for dY, n, M in NOBIAS_TRAIN:
            task = hypercube(dY, n, bias=False)
            cf = closed_form(dY, n, NOBIAS_LAM, NOBIAS_LAM)
            _RUNS[(dY, n, M)] = (task, cf, [
                train_profile(task.X_tilde(), task.Y, NOBIAS_LAM, NOBIAS_LAM, M, seed=s,
                              maxiter=tol.SAMPLES_TRAIN_MAXITER) for s in range(6)])
    return _RUNS


def witness_training() -> Outcome:
    parts, ok, best_all = [], True, 0.0
    for (dY, n, M), (task, cf, runs) in training_runs().items():
        gaps = np.array([(r.loss - cf.energy) / cf.energy for r in runs])
        ok &= gaps.min() >= -tol.TRAIN_BELOW_REL and gaps.min() <= tol.TRAIN_BEST_REL
        best_all = max(best_all, gaps.min())
        parts.append(f"(dY,n,M)=({dY},{n},{M}): best gap {gaps.min():.1e}, "
                     f"{np.mean(gaps <= tol.TRAIN_BEST_REL):.0%} of 6 within {tol.TRAIN_BEST_REL:g}")
    return Outcome(ok, best_all, "; ".join(parts))


register(Claim(
    id="A.relu.nobias",
    statement="ReLU, whitened hypercube inputs without the bias row (Q = I), n >= 1: "
              "K* = b*(dY J + K_Y) is a global optimum (c = dY as with the bias) with "
              "b* = sqrt(lam2/(2 lam1 P)) - lam2/P, E* = dY(2 sqrt(2 lam1 lam2 P) - 2 lam1 lam2), "
              "silent iff lam1 lam2 >= P/2; the optimal neurons are exactly the class-constant "
              "patterns ReLU(w.y), w in R^dY (the half-cubes 1 +- v_i are the case w = +-e_i).",
    hypotheses=("phi = ReLU", "X^T X = I_P, no bias row (K_X = I)", "hypercube targets, n per class",
                "lam1, lam2 > 0"),
    provenance=Provenance(
        "Paper A (arXiv 2510.09816): the summaries treat the network with bias only",
        None, "derived",
        "Without the bias the cost of the constant direction is no longer discounted: b* changes "
        "((P+1)/(P(P+2)) -> 1/(2P) under the square root) but the form b(dY J + K_Y) with c = dY "
        "stays optimal. The zero set of S grows from the 2 dY half-cubes to all ReLU(w.y), so "
        "the optimum is no longer unique (A.relu.nobias.not-unique)."),
    derivation=sym.derivation,
    witnesses=(Witness("S copositive + CS + E(def) = E*, exact (P = 4, 8, 8, 12) + negative control",
                       "exact", witness_exact),
               Witness("zero set of S is {ReLU(w.y)}: V = 0 on 150 patterns, > 0 off it, exact",
                       "exact", witness_zero_set),
               Witness("minimise E(b) from its definition at 60 digits", "high-precision", witness_mp),
               Witness("profile-loss L-BFGS without bias, 6 starts per instance", "optimisation",
                       witness_training)),
    notebook="notebooks/04_tuning_width.ipynb"))


# ------------------------------------------------------------------ non-uniqueness / non-abstract

def _alternative_measure(dY):
    """(patterns, weights) of the one-hot (dY = 2) or edge (dY = 3) code with eigenvalue b* P on
    span{v_i}; exact rationals. Returns also the float patterns scaled to weights 1."""
    if dY == 2:
        ws = list(itertools.product([-1, 1], repeat=2))
    else:
        ws = []
        for i, j in itertools.combinations(range(3), 2):
            for si, sj in itertools.product([-1, 1], repeat=2):
                w = [0, 0, 0]
                w[i], w[j] = si, sj
                ws.append(w)
    Y = hypercube_targets(dY, 1).astype(int)
    pats = [[max(0, int(np.dot(w, Y[:, k]))) for k in range(Y.shape[1])] for w in ws]
    P = Y.shape[1]
    ev = Fraction(sum(sum(p[k] * int(Y[0, k]) for k in range(P)) ** 2 for p in pats), P)
    weight = B * P / ev                       # eigenvalue on v_1 becomes b* P
    return ws, pats, weight


def witness_alt_exact() -> Outcome:
    parts, ok = [], True
    for dY in (2, 3):
        lam1 = rational_lam1_for(dY, 1, LAM2, B, bias=False)
        _, KY, Q = exact_matrices(dY, 1, bias=False)
        ws, pats, wgt = _alternative_measure(dY)
        E, S, _ = exact_energy_and_dual(pats, [wgt] * len(pats), KY, Q, lam1, LAM2)
        E = Fraction(int(E.p), int(E.q))
        Ecf = _closed_energy_exact(dY, 1, lam1, LAM2)
        res = decide_copositive(to_rows(S))
        slack = [quadratic_form(to_rows(S), p) for p in pats]
        good = E == Ecf and res.copositive and all(v == 0 for v in slack)
        ok &= good
        parts.append(f"dY={dY}: {len(pats)} neurons ReLU(w.y), E(def) == E* {E == Ecf}, S at this "
                     f"kernel copositive={res.copositive}, CS={all(v == 0 for v in slack)}")
    return Outcome(ok, 0.0 if ok else None, "; ".join(parts) + " (exact; an independent KKT certificate)")


def witness_alt_ps() -> Outcome:
    """PS of the alternative optima (exactly 0 and 1/3 by hand: one-hot coding vectors of
    different contexts are orthogonal; for the edge code the 4 context pairs that differ in one
    variable have cosine 1/2, the other 2 pairs cosine 0)."""
    vals = []
    for dY, expected in ((2, 0.0), (3, 1 / 3)):
        ws, _, _ = _alternative_measure(dY)
        R = relu_linear_neurons(dY, 1, ws)
        vals.append((parallelism_score(R, hypercube_targets(dY, 1)), expected))
    err = max(abs(a - e) for a, e in vals)
    return Outcome(err < tol.PS_ABS, err, f"PS(one-hot, dY=2) = {vals[0][0]:.6f}, "
                                          f"PS(edge code, dY=3) = {vals[1][0]:.6f}")


def witness_trained_ps() -> Outcome:
    """Trained networks without bias that reach E* have PS spread far below 1."""
    parts, ok = [], True
    for (dY, n, M), (task, cf, runs) in training_runs().items():
        if n != 1 or dY < 2:
            continue
        ps = []
        for r in runs:
            if (r.loss - cf.energy) / cf.energy <= tol.TRAIN_BEST_REL:
                try:
                    ps.append(parallelism_score(np.maximum(r.W @ task.X_tilde(), 0), task.Y))
                except ValueError:
                    pass
        ok &= bool(ps) and min(ps) < 1 - tol.NOBIAS_PS_BELOW
        parts.append(f"dY={dY}, M={M}: {len(ps)} runs at E*, PS in [{min(ps):.3f}, {max(ps):.3f}]")
    return Outcome(ok, None, "; ".join(parts))


register(Claim(
    id="A.relu.nobias.not-unique",
    statement="Without the bias row the optimum is not unique and not always abstract: for dY = 2 "
              "the one-hot code (4 neurons ReLU(+-y1 +- y2), PS = 0) and for dY = 3 the edge code "
              "(12 neurons ReLU(+-y_i +- y_j), PS = 1/3) reach E* exactly; trained networks at E* "
              "show PS well below 1.",
    hypotheses=("as A.relu.nobias", "n = 1"),
    provenance=Provenance(
        "Paper A (arXiv 2510.09816), A.relu.all-minima: 'for M >= 2^dY and whitened or "
        "target-aligned inputs, every global minimum is abstract' (stated with the bias)",
        "every global minimum is abstract (PS = 1)", "derived",
        "The conclusion needs the bias: dropping it admits non-abstract global minima (a "
        "counterexample with exact certificate). With the bias the optimum is unique "
        "(A.relu.tuning)."),
    derivation=sym.nonunique_derivation,
    witnesses=(Witness("one-hot / edge code: E(def) = E* and their own KKT certificate, exact",
                       "exact", witness_alt_exact),
               Witness("PS of the alternative optima", "float64", witness_alt_ps),
               Witness("trained networks without bias at E* are not abstract", "optimisation",
                       witness_trained_ps)),
    notebook="notebooks/04_tuning_width.ipynb"))
