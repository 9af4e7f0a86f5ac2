"""Claims ``A.inputs.aligned``, ``A.inputs.anisotropic`` and ``A.inputs.interaction``: how the
input geometry K_X changes (or does not change) the optimal representation."""
from __future__ import annotations

import math
from fractions import Fraction

import mpmath as mp
import numpy as np
import sympy as sp

from numeric import tolerances as tol
from numeric.inputs import (closed_form, cost_coefficient_exact, exact_energy_and_A,
                            exact_input_matrices, exact_kkt_check, inputs, potential_exact)
from numeric.parallelism import parallelism_score
from numeric.profile_training import train_profile
from numeric.registry import Claim, Outcome, Provenance, Witness, register
from numeric.tasks import augment, sign_vectors
from symbolic import inputs as sym

LAM2, B1 = Fraction(1, 10), Fraction(1, 2)
PAPER_STATED = ("three input geometries (whitened, target-aligned, anisotropic); input geometry "
                "affects learning efficiency; task structure sets the representation geometry")


def _c(g, P):
    return cost_coefficient_exact(g, P)


def _rational_sqrt(r: Fraction) -> Fraction:
    n, d = math.isqrt(r.numerator), math.isqrt(r.denominator)
    if Fraction(n, d) ** 2 != r:
        raise ValueError(f"instance chooser: {r} is not a rational square")
    return Fraction(n, d)


def abstract_instance(dY, family, params, *, with_kernel=False):
    """Exact instance of the abstract closed form: lam1 chosen so that b_1* = 1/2; the other
    b_i* are rational because the chosen gamma_i make c_1/c_i rational squares. Returns
    (lam1, Y, Q, A, patterns, E(def), E*(closed form, exact)), and the optimal kernel K* (flint)
    last when ``with_kernel``."""
    P = 2 ** dY
    gam = ([Fraction(params["gamma"])] * dY if family == "aligned" else
           [Fraction(g) for g in params["gammas"]] if family == "anisotropic" else [Fraction(0)] * dY)
    cs = [_c(g, P) for g in gam]
    lam1 = LAM2 / (cs[0] * (B1 + LAM2 / P) ** 2)
    bs = [_rational_sqrt((B1 + LAM2 / P) ** 2 * cs[0] / ci) - LAM2 / P for ci in cs]
    Y, KY, Q = exact_input_matrices(dY, family, params)
    pats, wts = [], []
    for i, (g, bi) in enumerate(zip(gam, bs)):
        r = min(Fraction(1), Fraction(P + 1) / (1 + g * P))      # x/z of the cheapest neuron
        x, z = r / (1 + r), 1 / (1 + r)                           # normalised: x + z = 1
        for s in (1, -1):
            pats.append([x + s * z * int(v) for v in Y[i]])
            wts.append(2 * bi)                                    # output scale b = w (x+z)^2/2
    E, A, K = exact_energy_and_A(pats, wts, KY, Q, lam1, LAM2)
    Ecf = sum(sym.energy_star_per_variable(sp.Rational(ci), P=P).subs(
        {sym.lam1: sp.Rational(lam1), sym.lam2: sp.Rational(LAM2)}) for ci in cs)
    Ecf = sp.nsimplify(sp.simplify(Ecf))
    out = (lam1, Y, Q, A, pats, E, (Fraction(int(Ecf.p), int(Ecf.q)) if Ecf.is_Rational else None))
    return out + (K,) if with_kernel else out


def _fmt(params):
    return ", ".join(f"{k}={[str(x) for x in v] if isinstance(v, list) else str(v)}"
                     for k, v in params.items())


def _certify(cases, family):
    parts, ok = [], True
    for dY, params in cases:
        lam1, Y, Q, A, pats, E, Ecf = abstract_instance(dY, family, params)
        good, n_orb, wit = exact_kkt_check(Q, A, lam1, LAM2, Y)
        cs_ok = all(potential_exact(p, Q, A, lam1, LAM2) == 0 for p in pats)
        ok &= good and cs_ok and E == Ecf
        parts.append(f"dY={dY} {_fmt(params)}: V >= 0 on all sign patterns={good} ({n_orb} orbits), "
                     f"V = 0 on the neurons={cs_ok}, E(def) == E*={E == Ecf}")
    return Outcome(ok, 0.0 if ok else None, "; ".join(parts) + " (exact)")


ALIGNED_EXACT = ((2, {"gamma": Fraction(1, 2)}), (2, {"gamma": Fraction(2)}),
                 (3, {"gamma": Fraction(1, 2)}), (3, {"gamma": Fraction(3)}))
ANISO_EXACT = ((2, {"gammas": [Fraction(0), Fraction(6)]}),
               (3, {"gammas": [Fraction(0), Fraction(5, 8), Fraction(15, 4)]}))


def witness_aligned_exact() -> Outcome:
    return _certify(ALIGNED_EXACT, "aligned")


def _mp_energy_two_param(dY, gamma, lam1, lam2, b, r):
    """E from its definition (mpmath) for the 2 dY neurons sqrt(2b)(r 1 +- v_i)/(1 + r) with
    aligned inputs X = [I; sqrt(gamma) Y] and the bias."""
    Y = sign_vectors(dY)
    P = Y.shape[1]
    KX = mp.eye(P) + mp.ones(P, P)
    for i in range(dY):
        for a in range(P):
            for c in range(P):
                KX[a, c] += gamma * int(Y[i, a]) * int(Y[i, c])
    Q = mp.inverse(KX)
    KY = mp.matrix([[int(v) for v in row] for row in (Y.T @ Y)])
    K = mp.matrix(P, P)
    cost = mp.mpf(0)
    amp = mp.sqrt(2 * b) / (1 + r)
    for i in range(dY):
        for s in (1, -1):
            h = mp.matrix([amp * (r + s * int(v)) for v in Y[i]])
            f = mp.matrix([max(v, 0) for v in h])
            K += f * f.T
            cost += (h.T * Q * h)[0, 0]
    Am = mp.inverse(lam2 * mp.eye(P) + K) * KY
    return lam1 * cost + lam2 * mp.fsum(Am[a, a] for a in range(P))


def witness_aligned_mp() -> Outcome:
    """60 digits: minimise E(b, r) from its definition (findroot on the gradient) for gamma = 2, 5
    (inhibited silent half, r = x/z < 1, smooth), compare b, r and E with the closed form."""
    worst = mp.mpf(0)
    with mp.workdps(tol.MP_MIN_DPS):
        for dY, gamma in ((2, 2), (2, 5)):
            lam1, lam2 = mp.mpf(1) / 20, mp.mpf(1) / 10
            cf = closed_form(dY, "aligned", {"gamma": mp.mpf(gamma)}, lam1, lam2, module="mpmath")
            f = lambda bb, rr: _mp_energy_two_param(dY, gamma, lam1, lam2, bb, rr)
            grad = lambda bb, rr: [mp.diff(f, (bb, rr), (1, 0)), mp.diff(f, (bb, rr), (0, 1))]
            x0 = (cf.scales[0] * mp.mpf("1.05"), cf.silent_ratio[0] * mp.mpf("0.95"))
            bb, rr = mp.findroot(grad, x0, tol=mp.mpf(10) ** -50)
            worst = max(worst, abs(bb - cf.scales[0]) / cf.scales[0],
                        abs(rr - cf.silent_ratio[0]) / cf.silent_ratio[0],
                        abs(f(bb, rr) - cf.energy) / cf.energy)
    return Outcome(worst < tol.MP_MIN_REL, float(worst),
                   "dY = 2, gamma = 2, 5: argmin (b, x/z) and minimum of E from its definition")


_RUNS = {}


def runs(dY, family, params, M, seeds=4, init_scale=0.5):
    """Profile-loss L-BFGS from `seeds` Gaussian starts (cached per process)."""
    key = (dY, family, tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                                    for k, v in params.items())), M, init_scale)
    if key not in _RUNS:
        X = augment(inputs(dY, family, params), True)
        Y = sign_vectors(dY)
        _RUNS[key] = (X, Y, [train_profile(X, Y, INPUTS_LAM, INPUTS_LAM, M, seed=s,
                                           init_scale=init_scale,
                                           maxiter=tol.SAMPLES_TRAIN_MAXITER) for s in range(seeds)])
    return _RUNS[key]


INPUTS_LAM = 0.05


def _training_outcome(cases, init_scale=0.5):
    parts, ok, best_all = [], True, 0.0
    for dY, family, params, M in cases:
        cf = closed_form(dY, family, params, INPUTS_LAM, INPUTS_LAM)
        X, Y, rs = runs(dY, family, params, M, init_scale=init_scale)
        gaps = np.array([(r.loss - cf.energy) / cf.energy for r in rs])
        good = [r for r, g in zip(rs, gaps) if g <= tol.TRAIN_BEST_REL]
        ps = [parallelism_score(np.maximum(r.W @ X, 0), Y) for r in good]
        want_ps = 0.0 if cf.code == "conjunctive" else 1.0
        ok &= (gaps.min() >= -tol.TRAIN_BELOW_REL and bool(good)
               and max(abs(p - want_ps) for p in ps) < tol.SAMPLES_PS_TRAINED_ABS)
        best_all = max(best_all, gaps.min())
        parts.append(f"dY={dY} {family} {params} M={M}: best gap {gaps.min():.1e}, "
                     f"{len(good)}/{len(rs)} at E*, PS of those in [{min(ps):.3f}, {max(ps):.3f}]"
                     if ps else f"dY={dY} {family} {params}: no run reached E*")
    return Outcome(ok, best_all, "; ".join(parts))


def witness_aligned_training() -> Outcome:
    return _training_outcome([(2, "aligned", {"gamma": 0.5}, 4), (2, "aligned", {"gamma": 3.0}, 4)])


def witness_efficiency() -> Outcome:
    """E* from the *network* side: the best trained loss decreases with gamma (0, 0.5, 3) as the
    closed form says, for the same task and lambdas."""
    vals = []
    for g in (0.0, 0.5, 3.0):
        X, Y, rs = runs(2, "aligned", {"gamma": g}, 4)
        vals.append((g, min(r.loss for r in rs), closed_form(2, "aligned", {"gamma": g},
                                                            INPUTS_LAM, INPUTS_LAM).energy))
    dec = all(vals[k + 1][1] < vals[k][1] for k in range(2))
    err = max(abs(t - c) / c for _, t, c in vals)
    return Outcome(dec and err <= tol.TRAIN_BEST_REL, err,
                   "best trained E vs closed form E*: " + ", ".join(f"gamma={g}: {t:.5f} / {c:.5f}"
                                                                 for g, t, c in vals))


register(Claim(
    id="A.inputs.aligned",
    statement="Target-aligned inputs X = [I; sqrt(gamma) Y] (K_X = I + J + gamma K_Y), ReLU with "
              "bias, n = 1: K* = b*(dY J + K_Y) for every gamma >= 0 and dY, with c(gamma) = "
              "P/(P+1) + P/(1+gamma P) (gamma <= 1) or 4AB/(A+B), A = P/(P+1), B = P/(1+gamma P) "
              "(gamma >= 1; the silent half is then inhibited, x/z = (P+1)/(1+gamma P)), "
              "b* = sqrt(lam2/(lam1 c)) - lam2/P, E* = dY(2 sqrt(lam1 lam2 c) - lam1 lam2 c/P), "
              "strictly decreasing in gamma; PS = 1.",
    hypotheses=("phi = ReLU", "bias row", "hypercube targets, n = 1", "K_X = I + J + gamma K_Y",
                "lam1, lam2 > 0"),
    provenance=Provenance("Paper A (arXiv 2510.09816), input geometries", PAPER_STATED, "confirmed",
                          "For target-aligned inputs the representation geometry is unchanged "
                          "(same form, PS = 1) and only the scale and energy change: alignment "
                          "lowers the cost of the latent directions, so E* falls (learning "
                          "efficiency). Global optimality is proved for all gamma and dY "
                          "(Walsh certificate with explicit multipliers)."),
    derivation=sym.aligned_derivation,
    witnesses=(Witness("V >= 0 on every sign pattern + CS + E(def) = E*, exact", "exact",
                       witness_aligned_exact),
               Witness("minimise E(b, x/z) from its definition at 60 digits", "high-precision",
                       witness_aligned_mp),
               Witness("profile-loss training with aligned inputs, 4 starts", "optimisation",
                       witness_aligned_training),
               Witness("trained energy falls with gamma as E*(gamma)", "optimisation",
                       witness_efficiency)),
    notebook="notebooks/06_input_geometry.ipynb"))


def witness_aniso_exact() -> Outcome:
    return _certify(ANISO_EXACT, "anisotropic")


ANISO_TRAIN = {"gammas": [0.0, 2.0]}


def witness_aniso_training() -> Outcome:
    """Trained optimum with gamma = (0, 2) (small Gaussian starts, scale 0.1: the landscape has
    local minima 6-20% above E* that larger starts fall into): energy E*, PS = 1, and the two
    latent scales in the closed-form ratio b_1*/b_2* (representation geometry set by the inputs)."""
    out = _training_outcome([(2, "anisotropic", ANISO_TRAIN, 4)], init_scale=0.1)
    cf = closed_form(2, "anisotropic", ANISO_TRAIN, INPUTS_LAM, INPUTS_LAM)
    X, Y, rs = runs(2, "anisotropic", ANISO_TRAIN, 4, init_scale=0.1)
    best = min(rs, key=lambda r: r.loss)
    Phi = np.maximum(best.W @ X, 0)
    K = Phi.T @ Phi
    ratio = (Y[0] @ K @ Y[0]) / (Y[1] @ K @ Y[1])
    want = cf.scales[0] / cf.scales[1]
    rel = abs(ratio - want) / want
    return Outcome(out.ok and rel < tol.TUNING_KERNEL_REL, max(out.error, rel),
                   out.detail + f"; trained b_1/b_2 = {ratio:.4f} vs closed form {want:.4f}")


def witness_aniso_walsh() -> Outcome:
    """dY = 4, 5 (beyond the exhaustive check): the closed form's rational dual passes an exact
    Walsh-block certificate vanishing on its neurons, with positive definite blocks of degree >= 2
    (every global minimum abstract); the gammas mix both regimes in two of the three instances."""
    from numeric.solver.affine_minima import decide_inputs_family
    parts, ok = [], True
    for gam in ([0.2, 0.3, 0.4, 0.5], [0, 0.5, 2, 1], [0.1, 0.5, 2, 1, 0.3]):
        d = decide_inputs_family(len(gam), "anisotropic", {"gammas": gam}, INPUTS_LAM, INPUTS_LAM)
        ok &= d is not None and d.all_minima_abstract is True
        parts.append(f"gammas {gam}: {None if d is None else d.all_minima_abstract}")
    return Outcome(bool(ok), None, "; ".join(parts))


register(Claim(
    id="A.inputs.anisotropic",
    statement="Anisotropic inputs with a different scale per latent direction, "
              "K_X = I + J + sum_i gamma_i v_i v_i^T: the energy along the tuned ansatz separates, "
              "K* = sum_i b_i*(J + v_i v_i^T) with b_i* = sqrt(lam2/(lam1 c(gamma_i))) - lam2/P "
              "(globally optimal: certified exactly on all sign patterns for dY = 2, 3 instances, "
              "and by Walsh-block certificates (L.solver.walsh) for dY = 4 .. 8 when every "
              "gamma_i <= 1 or in some mixed cases; no proof for general unequal gamma_i); "
              "K* is of the form b(c J + K_Y) only when all gamma_i are equal, yet every neuron is "
              "tuned to one latent variable (PS = 1).",
    hypotheses=("phi = ReLU", "bias row", "hypercube targets, n = 1",
                "K_X = I + J + sum gamma_i v_i v_i^T, gamma_i >= 0", "lam1, lam2 > 0"),
    provenance=Provenance("Paper A (arXiv 2510.09816), input geometries", PAPER_STATED, "derived",
                          "Per-variable input scales change the representation geometry (the "
                          "relative scales b_i*: the better-aligned variable gets the larger "
                          "one) but not its abstraction (PS = 1). Global optimality certified "
                          "exactly for dY = 2, 3 instances and, with every global minimum "
                          "abstract, for dY = 4 .. 8 by Walsh-block certificates where they exist "
                          "(L.solver.walsh); no general proof here."),
    derivation=sym.anisotropic_derivation,
    witnesses=(Witness("V >= 0 on every sign pattern + CS + E(def) = E*, exact", "exact",
                       witness_aniso_exact),
               Witness("training (gamma = (0, 2)): E*, PS = 1 and the ratio b_1*/b_2*", "optimisation",
                       witness_aniso_training),
               Witness("dY = 4, 5: Walsh-block certificate of the closed form, all minima "
                       "abstract (exact)", "exact", witness_aniso_walsh)),
    notebook="notebooks/06_input_geometry.ipynb"))


# ------------------------------------------------------------------------------- interaction

INTER_OK = ((2, {"eta": Fraction(1, 2)}), (2, {"eta": Fraction(1)}), (3, {"eta": Fraction(1)}))


def conjunctive_instance(eta=Fraction(2), mu=Fraction(1, 2)):
    """dY = 2, eta > 1: four neurons e_y - beta (neighbours), weight mu each, lam1 chosen so that
    the optimal mu is the given rational. Returns (lam1, Y, Q, A, patterns, E(def), E*)."""
    P = 4
    q0, q2 = Fraction(1, P + 1), 1 / (1 + eta * P)
    C = 2 + 4 * q0 * q2 / (q0 + q2)
    lam1 = 8 * LAM2 / (C * (mu + LAM2) ** 2)
    beta = (q0 - q2) / (2 * (q0 + q2))
    Y, KY, Q = exact_input_matrices(2, "interaction", {"eta": eta})
    pats = [[Fraction(1) if j == k else (-beta if int(np.sum(Y[:, j] != Y[:, k])) == 1 else Fraction(0))
             for j in range(P)] for k in range(P)]
    E, A, _ = exact_energy_and_A(pats, [mu] * P, KY, Q, lam1, LAM2)
    Ecf = sym.energy_star_mu(sp.Rational(C), 8, sp.Rational(lam1), sp.Rational(LAM2))
    Ecf = sp.nsimplify(sp.simplify(Ecf))
    return lam1, Y, Q, A, pats, E, Fraction(int(Ecf.p), int(Ecf.q)), C


def witness_interaction_exact() -> Outcome:
    """eta <= 1: the abstract optimum certified on all sign patterns; eta = 2: exact violating
    pattern (dY = 2, 3), and for dY = 2 the conjunctive code certified with E(def) = E*_conj
    < E*_abstract."""
    out = _certify(INTER_OK, "interaction")
    parts, ok = [out.detail], out.ok
    for dY in (2, 3):
        lam1, Y, Q, A, pats, E, Ecf = abstract_instance(dY, "interaction", {"eta": Fraction(2)})
        good, _, wit = exact_kkt_check(Q, A, lam1, LAM2, Y)
        ok &= (not good) and wit is not None and wit[2] < 0
        parts.append(f"eta=2, dY={dY}: abstract K* violates KKT on support {wit[0]} "
                     f"(V = {float(wit[2]):.3g})")
    lam1, Y, Q, A, pats, E, Ecf, C = conjunctive_instance()
    good, n_orb, _ = exact_kkt_check(Q, A, lam1, LAM2, Y)
    cs_ok = all(potential_exact(p, Q, A, lam1, LAM2) == 0 for p in pats)
    Eabs = sym.energy_star_mu(sp.Rational(sym.abstract_cost_dy2(Fraction(1, 5))), 8,
                              sp.Rational(lam1), sp.Rational(LAM2))
    lower = float(E) < float(Eabs)
    ok &= good and cs_ok and E == Ecf and lower
    parts.append(f"eta=2, dY=2 conjunctive code (C = {C}): V >= 0 on all patterns={good}, CS={cs_ok}, "
                 f"E(def) == E*_conj={E == Ecf}, E*_conj = {float(E):.6f} < E*_abstract = "
                 f"{float(Eabs):.6f}: {lower}")
    return Outcome(ok, 0.0 if ok else None, "; ".join(parts))


def witness_interaction_training() -> Outcome:
    """float64: eta = 1/2 trained optimum abstract (PS = 1, E* whitened); eta = 2 (dY = 2) trained
    optimum conjunctive (E*_conj below the abstract energy, PS = 0)."""
    return _training_outcome([(2, "interaction", {"eta": 0.5}, 4), (2, "interaction", {"eta": 2.0}, 4)])


register(Claim(
    id="A.inputs.interaction",
    statement="Inputs with extra variance along the interaction directions y_i y_j, "
              "K_X = I + J + eta sum_{|S|=2} chi_S chi_S^T: for eta <= 1 the whitened abstract "
              "optimum is unchanged and globally optimal (all dY); for eta > 1 it is not optimal "
              "for any dY >= 2 (a conjunction neuron has V < 0), and for dY = 2 the optimum is the "
              "conjunctive code K = mu I (PS = 0) with cost C = 2 + 4 q0 q2/(q0 + q2); for "
              "dY = 3 .. 8 the 2 dY (dY - 1) pair conjunctions 1{y_i = s, y_j = t} with equal "
              "weights are an exact global minimum (PS = (2^(dY-2) - 1)/(2^(dY-1) - 1): 1/3 .. "
              "63/127; "
              "L.inputs.all-minima, L.solver.walsh).",
    hypotheses=("phi = ReLU", "bias row", "hypercube targets, n = 1",
                "K_X = I + J + eta sum_{|S|=2} chi_S chi_S^T", "lam1, lam2 > 0"),
    provenance=Provenance("Paper A (arXiv 2510.09816), input geometries", PAPER_STATED, "refuted",
                          "'Task structure sets the representation geometry' fails for this "
                          "anisotropic family: when the inputs carry more variance along an "
                          "interaction direction than along the constant (bias) direction "
                          "(eta > 1), conjunctive neurons become cheaper and the optimum is not "
                          "abstract (PS = 0 at dY = 2). Exact counterexample registered; the "
                          "threshold eta = 1 is proved for all dY."),
    derivation=sym.interaction_derivation,
    witnesses=(Witness("eta <= 1 certified, eta = 2 violation + conjunctive optimum, exact", "exact",
                       witness_interaction_exact),
               Witness("training at eta = 1/2 (abstract) and eta = 2 (conjunctive)", "optimisation",
                       witness_interaction_training)),
    notebook="notebooks/06_input_geometry.ipynb"))
