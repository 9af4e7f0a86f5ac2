"""Claims of the certified global solver (issue #4): ``A.copositive``, ``A.relu.all-minima`` and
``A.solver.closed-forms`` (every registered closed form agrees with the certified optimum)."""
from __future__ import annotations

import copy
import itertools
from fractions import Fraction

import mpmath as mp
import numpy as np

from numeric import tolerances as tol
from numeric.energy import mp_matrix, mp_meanfield_energy
from numeric.parallelism import parallelism_score
from numeric.claims.inputs import ALIGNED_EXACT, ANISO_EXACT, _fmt, abstract_instance
from numeric.claims.inputs import LAM2 as INPUTS_LAM2
from numeric.inputs import potential_exact
from numeric.registry import Claim, Outcome, Provenance, Witness, register
from numeric.solve import solve
from numeric.solver import rational as rq
from numeric.solver.certificate import CERT_REL_GAP, build, verify
from numeric.solver.problem import make_problem
from numeric.solver.relu import solve_relu
from numeric.solver.symmetry import solve_hypercube
from numeric.solver.affine_minima import decide as decide_affine
from numeric.solver.zeroset import zero_set
from numeric.tasks import hypercube, hypercube_targets
from numeric.training import train_network
from symbolic import relu_whitened as sym_rw
from symbolic import solver as sym


def _instances():
    """(name, X, Y, bias, lam1, lam2): hypercube variants and general data of every mode."""
    out = []
    for dY, bias in ((2, True), (3, True), (2, False), (3, False)):
        T = hypercube(dY, bias=bias)
        out.append((f"hypercube dY={dY} bias={bias}", T.X, T.Y, bias, 0.1, 0.2))
    T = hypercube(3, seed=7)
    out.append(("hypercube dY=3, random orthonormal inputs", T.X, T.Y, True, 0.05, 0.05))
    rng = np.random.default_rng(11)
    out.append(("random full-rank data (signed mode), P=6", rng.standard_normal((7, 6)),
                rng.standard_normal((2, 6)), True, 0.05, 0.1))
    return out


_CERTS = {}
#: training budget of the optimisation witness (kept small: the witness only checks that no run
#: goes below the certified bound and reports how far the runs stay above it).
TRAIN_STARTS, TRAIN_MAXITER = 5, 800


def _certificates():
    if not _CERTS:
        for name, X, Y, bias, l1, l2 in _instances():
            sol = solve_relu(make_problem(X, Y, l1, l2, bias=bias))
            _CERTS[name] = (sol, build(sol))
    return _CERTS


def witness_certificates() -> Outcome:
    worst, parts, ok = 0.0, [], True
    for name, (sol, cert) in _certificates().items():
        rep = verify(cert)
        ok &= rep.ok and rep.global_optimum
        worst = max(worst, rep.rel_gap if rep.rel_gap is not None else np.inf)
        parts.append(f"{name}: gap {rep.rel_gap:.1e} ({cert['cost_bound']['kind']})")
    return Outcome(ok, worst, "exact re-verification of every certificate, relative gap <= "
                   f"{CERT_REL_GAP:g}: " + "; ".join(parts))


def witness_corrupted() -> Outcome:
    """Negative control: a dual point scaled up by 2^-20, a changed weight, a changed bound."""
    sol, cert = _certificates()["hypercube dY=2 bias=True"]
    bad_dual = copy.deepcopy(cert)
    bad_dual["dual"]["Lambda"] = [[str(Fraction(v) * (1 + Fraction(1, 2 ** 20))) for v in r]
                                  for r in cert["dual"]["Lambda"]]
    Lam = rq.from_strings(bad_dual["dual"]["Lambda"], "L")
    bad_dual["bounds"]["lower"] = str(rq.dual_value(Lam, rq.from_strings(cert["problem"]["Y"], "Y")))
    bad_w = copy.deepcopy(cert)
    bad_w["primal"]["W"][0][0] = str(Fraction(cert["primal"]["W"][0][0]) + Fraction(1, 10 ** 6))
    bad_b = copy.deepcopy(cert)
    bad_b["bounds"]["upper"] = str(Fraction(cert["bounds"]["upper"]) - Fraction(1, 10 ** 9))
    reps = [verify(c) for c in (bad_dual, bad_w, bad_b)]
    cone_witness = any("cone check failed" in p for p in reps[0].problems)
    ok = not any(r.ok for r in reps) and cone_witness
    return Outcome(ok, None, f"rejected {sum(not r.ok for r in reps)}/3 corrupted certificates; "
                             f"scaled dual refuted by an exact pattern: {cone_witness}")


def witness_closed_form_60_digits() -> Outcome:
    """E* of A.relu.whitened at 60 digits lies inside the exact certified bracket."""
    import sympy as sp
    worst, ok = mp.mpf(0), True
    with mp.workdps(tol.MP_DPS):
        for dY in (2, 3):
            sol, cert = _certificates()[f"hypercube dY={dY} bias=True"]
            E = sp.N(sym_rw.energy_star().subs({sym_rw.P: 2 ** dY, sym_rw.dY: dY,
                                                sym_rw.lam1: sp.Rational(Fraction(0.1)),
                                                sym_rw.lam2: sp.Rational(Fraction(0.2))}), 60)
            E = mp.mpf(str(E))
            lo = mp.mpf(Fraction(cert["bounds"]["lower"]).numerator) / Fraction(cert["bounds"]["lower"]).denominator
            hi = mp.mpf(Fraction(cert["bounds"]["upper"]).numerator) / Fraction(cert["bounds"]["upper"]).denominator
            ok &= lo <= E <= hi
            worst = max(worst, (hi - lo) / E)
    return Outcome(ok, float(worst), "closed-form E* (60 digits, lam exactly the float 0.1, 0.2) "
                   "inside [L, U] for dY = 2, 3; error = bracket width / E*")


def witness_training() -> Outcome:
    """L-BFGS from random starts never goes below the certified lower bound, and the solver's
    optimum is at or below the best run (general data, where no closed form exists)."""
    sol, cert = _certificates()["random full-rank data (signed mode), P=6"]
    prob = sol.problem
    runs = [train_network(prob.X_tilde, prob.Y, prob.lam1, prob.lam2, 2 * prob.P, seed=s,
                          maxiter=TRAIN_MAXITER) for s in range(TRAIN_STARTS)]
    L, U = float(Fraction(cert["bounds"]["lower"])), float(Fraction(cert["bounds"]["upper"]))
    losses = np.array([r.loss for r in runs])
    below = losses.min() < L * (1 - tol.TRAIN_BELOW_REL)
    gaps = (losses - U) / U
    ok = (not below) and U <= losses.min() * (1 + 1e-9)
    return Outcome(ok, float(gaps.min()), f"{TRAIN_STARTS} starts, width 2P: best gap above the certified "
                   f"optimum {gaps.min():.1e}, {np.mean(gaps <= 1e-8):.0%} within 1e-8, "
                   f"{np.mean(gaps > 1e-3):.0%} stalled above 1e-3; none below L")


register(Claim(
    id="A.copositive",
    statement="The ReLU mean-field problem is convex in the measure and its dual is a copositive "
              "program: D(Lambda) = 2<Lambda,Y> - |Lambda|^2 <= E* whenever "
              "lam1 lam2 C - Lambda^T Lambda is copositive (C a certified minorant of the pattern "
              "cost; signed orthants for general inputs), with equality at Lambda = lam2 Y "
              "(lam2+K*)^-1. Exact rational certificates bracket E* to <= 1e-12 relative on the "
              "registered instances (a bracket above the tolerance is reported as such, never "
              "hidden).",
    hypotheses=("phi = ReLU, one hidden layer", "lam1, lam2 > 0", "any data X, Y (exact check: "
                "P <= 18 for dY <= 4 (cells, and fans of output directions for dY = 2..4, "
                "L.solver.cells; measured to P = 16: 2-8 min at dY = 2..4); dY = 5 on the "
                "fans for singular inputs and beyond P = 16, on the signed supports below "
                "(measured: P = 16 in 2.7 min walked as a tree, 18 min before; on the fans 37 min); "
                "dY = 1 with inputs of rank r < P: any P <= 400 whose arrangement has <= 1e5 "
                "cells; "
                "P <= 16 for whitened-like inputs; otherwise the 3^P signed supports walked "
                "as a tree (L.solver.signed_tree) with the binary64 filter of "
                "numeric.solver.signed_filter: P <= 16 on full-rank inputs (measured, six "
                "outputs: P = 14 in 1.6 min, P = 16 in 4.1 min); singular inputs "
                "with six or more outputs, and two to five when there are <= 2^16 faces: on the "
                "faces of the arrangement (L.solver.faces), any P <= 400 with <= 2.5e5 faces; "
                "symmetric hypercube tasks at any dY <= 40)"),
    provenance=Provenance(
        "Paper A (arXiv 2510.09816), ReLU optimality via copositive programming",
        "Non-convex ReLU constraints are handled with copositive programming.",
        "confirmed",
        "Derived here: weak duality at the network level, the Z-matrix cost minorant (negative "
        "pattern parts only add cost when off-diagonal K_X^+ entries are <= 0), and a shrink "
        "argument that turns the tight copositive optimum into an exactly checkable strict one."),
    derivation=sym.duality_derivation,
    witnesses=(Witness("exact certificates re-verified (hypercube, whitened, general data)", "exact",
                       witness_certificates),
               Witness("corrupted certificates rejected (negative control)", "exact",
                       witness_corrupted),
               Witness("closed-form E* at 60 digits inside the certified bracket", "high-precision",
                       witness_closed_form_60_digits),
               Witness("L-BFGS training never below the certified bound", "optimisation",
                       witness_training)),
    notebook="notebooks/08_global_optima.ipynb"))


# ---------------------------------------------------------------------------- A.relu.all-minima

def witness_symmetric_bias() -> Outcome:
    bad = []
    for dY in range(2, 11):
        for n in (1, 2):
            s = solve_hypercube(dY, n, 0.1, 0.2, bias=True)
            if not (s.exact_match and s.all_minima_abstract is True):
                bad.append((dY, n))
    return Outcome(not bad, None, "bias: proved for dY = 2..10, n = 1, 2 (exact LP certificate, "
                   "kernel levels {0,1}, antipodal multiplier); failures: " + (str(bad) if bad else "none"))


def witness_symmetric_nobias() -> Outcome:
    parts, ok = [], True
    for dY in range(2, 7):
        s = solve_hypercube(dY, 1, 0.1, 0.2, bias=False)
        w = s.witness or {}
        good = s.all_minima_abstract is False and w.get("optimal") and w.get("ps_below_one")
        ok &= bool(good)
        parts.append(f"dY={dY}: PS {w.get('ps', float('nan')):.3f}")
    return Outcome(ok, None, "no bias: exact optimal quadrant measure with PS < 1 -- " + ", ".join(parts))


def witness_zero_set() -> Outcome:
    """Independent of the symmetry lemma: the exact zero set of the rational T* by enumeration."""
    parts, ok = [], True
    for dY in (2, 3):
        Y = hypercube_targets(dY)
        P = Y.shape[1]
        for bias in (True, False):
            s = solve_hypercube(dY, 1, Fraction(1, 10), Fraction(1, 5), bias=bias)
            c = Fraction(1, P + 1) if bias else Fraction(0)
            T = (rq.eye(P) - rq.ones(P, P) * rq.q(c)) * rq.q(s.lam1 * s.lam2) \
                - rq.mat(Y.T @ Y) * rq.q(s.kappa2)
            z = zero_set(T)
            half = {tuple(Fraction(int(v)) for v in (1 + sg * Y[i]) / 2)
                    for i in range(dY) for sg in (1, -1)}
            rays = {tuple(r) for r in z.rays}
            if bias:
                ok &= rays == half and not z.faces
            else:
                ok &= rays > half or bool(z.faces)
            parts.append(f"dY={dY} bias={bias}: {len(rays)} zero rays, {len(z.faces)} zero faces")
    return Outcome(ok, None, "; ".join(parts) + " (bias: exactly the 2 dY half-cubes)")


def witness_quadrant_energy_mp() -> Outcome:
    """The non-abstract quadrant measure (no bias) has energy E* at 60 digits, from the definition."""
    worst = mp.mpf(0)
    with mp.workdps(tol.MP_DPS):
        for dY in (2, 3):
            s = solve_hypercube(dY, 1, Fraction(1, 10), Fraction(1, 5), bias=False)
            V = hypercube_targets(dY)
            P = V.shape[1]
            kappa = mp.sqrt(mp.mpf(s.kappa2.numerator) / s.kappa2.denominator)
            l1, l2 = mp.mpf(1) / 10, mp.mpf(1) / 5
            cfac = l2 * (1 - kappa) / kappa
            rows = []
            for i, j in [(0, 1)]:
                for a in (1, -1):
                    for b_ in (1, -1):
                        p = ((V[i] == a) & (V[j] == b_)).astype(int)
                        rows.append([mp.sqrt(cfac * mp.mpf(4) / P) * int(v) for v in p])
            for i in range(2, dY):
                for sg in (1, -1):
                    rows.append([mp.sqrt(cfac / (2 * P)) * int(1 + sg * v) for v in V[i]])
            E = mp_meanfield_energy(mp.matrix(rows), mp.eye(P), mp_matrix(V.T @ V), l1, l2)
            Estar = dY * P * kappa * (2 - kappa)
            worst = max(worst, abs(E - Estar) / Estar)
    return Outcome(worst < tol.MP_REL, float(worst), "quadrant measure, no bias, dY = 2, 3: "
                   "mean-field energy from its definition vs E* = dY P kappa (2 - kappa)")


def witness_dense_ps() -> Outcome:
    worst = 0.0
    for dY in (2, 3):
        sol, _ = _certificates()[f"hypercube dY={dY} bias=True"]
        ps = parallelism_score(np.maximum(sol.H, 0), hypercube_targets(dY))
        worst = max(worst, abs(1 - ps))
    return Outcome(worst < tol.PS_ABS, worst, "PS of the dense solver's certified optimum "
                   "(bias, dY = 2, 3) is 1")


def witness_aligned_all_minima() -> Outcome:
    """Target-aligned inputs (the paper's second hypothesis), and anisotropic / interaction
    inputs beyond it: exact optimum (E(def) = E* exactly), exact zero set over all sign
    patterns, every optimal neuron affine in the labels -> every global minimum abstract."""
    cases = [("aligned", dY, p) for dY, p in ALIGNED_EXACT] + \
            [("anisotropic", dY, p) for dY, p in ANISO_EXACT] + \
            [("interaction", dY, {"eta": Fraction(1, 2)}) for dY in (2, 3)]
    parts, ok = [], True
    for fam, dY, params in cases:
        lam1, Y, Q, A, pats, E, Ecf, K = abstract_instance(dY, fam, params, with_kernel=True)
        d = decide_affine(Q, A, lam1, INPUTS_LAM2, Y, K)
        # optimality of the known measure (A.kkt): V >= 0 (inside decide) and V = 0 on its neurons
        slack = all(potential_exact(p, Q, A, lam1, INPUTS_LAM2) == 0 for p in pats)
        good = E == Ecf and slack and d.all_minima_abstract is True
        ok &= good
        parts.append(f"{fam} dY={dY} {_fmt(params)}: {'proved' if good else d.reason} "
                     f"({d.kernels} zero kernels)")
    return Outcome(bool(ok), None, "; ".join(parts))


register(Claim(
    id="A.relu.all-minima",
    statement="ReLU, whitened hypercube inputs WITH the bias, any dY >= 2 and n >= 1, active regime: "
              "every global minimum is abstract -- the optimal kernel b*(dY J + K_Y) is unique, "
              "every optimal neuron is a half-cube pattern (1 +- v_i), PS = 1, minimal width 2 dY. "
              "WITHOUT the bias this fails for every dY >= 2: quadrant neurons 1{y_i=s, y_j=t} are "
              "optimal too and a global minimum with PS < 1 exists. With the bias and "
              "target-aligned inputs X = [I; sqrt(gamma) Y] every global minimum is abstract too "
              "(every gamma >= 0 and dY, n = 1, L.inputs.all-minima; exact zero sets at dY = 2, 3): "
              "every optimal neuron is affine in the labels.",
    hypotheses=("phi = ReLU, one hidden layer", "whitened inputs X^T X = I_P (all dY, n), or "
                "target-aligned inputs (any gamma >= 0 and dY, n = 1)", "Y the hypercube, "
                "n copies per class", "lam1 lam2 < P(P+1)/(P+2) with the bias (else silent, PS "
                "undefined)", "dY >= 2"),
    provenance=Provenance(
        "Paper A (arXiv 2510.09816), abstraction of all global minima",
        "For M >= 2^dY and whitened or target-aligned inputs, every global minimum is abstract (PS = 1).",
        "confirmed",
        "Confirmed with the bias for every dY and n (proof: exact doubly non-negative dual "
        "certificate whose kernel is Walsh levels {0,1}); the width needed is 2 dY, not 2^dY. "
        "Refuted without the bias (exact optimal quadrant measure with PS < 1). Target-aligned "
        "inputs: confirmed for every gamma >= 0 and dY (n = 1): the Walsh certificate is positive "
        "definite on every character of degree >= 2, so every optimal neuron is affine in the "
        "labels (L.inputs.all-minima); exact zero sets over all sign patterns agree at dY = 2, 3, "
        "also for anisotropic and interaction (eta < 1) inputs beyond the stated hypothesis."),
    derivation=sym.hypercube_derivation,
    witnesses=(Witness("symmetric solver proves it with the bias, dY = 2..10", "exact",
                       witness_symmetric_bias),
               Witness("no bias: exact non-abstract optimum, dY = 2..6", "exact",
                       witness_symmetric_nobias),
               Witness("exact zero set of T* by enumeration (dY = 2, 3)", "exact", witness_zero_set),
               Witness("quadrant measure reaches E* at 60 digits", "high-precision",
                       witness_quadrant_energy_mp),
               Witness("PS of the dense certified optimum", "float64", witness_dense_ps),
               Witness("target-aligned (and anisotropic, interaction) inputs: exact zero set over "
                       "all sign patterns, every optimal neuron affine", "exact",
                       witness_aligned_all_minima)),
    notebook="notebooks/08_global_optima.ipynb"))


# ----------------------------------------------------------------------- A.solver.closed-forms

def witness_closed_forms() -> Outcome:
    bad, n_checked, claims = [], 0, set()
    acts = ("relu", "linear", "hard-tanh", "hard-sigmoid", "clipped-relu", "tanh")
    for act, dY, n, bias, (l1, l2) in itertools.product(acts, (2, 3), (1, 2), (True, False),
                                                        ((0.1, 0.2), (0.02, 0.5), (3.0, 2.0))):
        if n * 2 ** dY > 8 and (l1, l2) != (0.1, 0.2):
            continue
        out = solve(dY=dY, n=n, lam1=l1, lam2=l2, bias=bias, activation=act, certify=True)
        if out["closed_form"] is None:
            continue
        claims.add(out["closed_form"]["claim"])
        n_checked += 1
        failed = [c["name"] for c in out["checks"] if not c["ok"]]
        cert = out["certificate"]
        # tanh: the closed form is an infimum no width attains, so no global optimum exists --
        # the closed form must still lie in the certified bracket (a check above)
        attained = not (act == "tanh" and out["closed_form"].get("attained") is False)
        if failed or cert is None or (attained and not cert["global_optimum"]):
            bad.append((act, dY, n, bias, l1, l2, failed or "no certificate"))
    return Outcome(not bad and n_checked > 0, None,
                   f"{n_checked} instances, closed forms {sorted(claims)}; disagreements: "
                   + (str(bad) if bad else "none"))


def witness_training_above_certified() -> Outcome:
    """The certified optimum is a lower bound of the *network loss* and is reached by it:
    L-BFGS from 4 starts (float64) never goes below it, and its best run is within 1e-3."""
    parts, ok = [], True
    for dY, n, bias in ((2, 1, True), (2, 1, False), (2, 2, True)):
        out = solve(dY=dY, n=n, lam1=0.05, lam2=0.05, bias=bias, certify=True)
        E = out["numeric"]["energy"]
        T = hypercube(dY, n, bias=bias)
        runs = [train_network(T.X_tilde(), T.Y, 0.05, 0.05, 4 * dY, seed=s) for s in range(4)]
        gaps = np.array([(r.loss - E) / E for r in runs])
        good = gaps.min() >= -tol.TRAIN_BELOW_REL and gaps.min() <= tol.TRAIN_BEST_REL
        ok &= bool(good)
        parts.append(f"dY={dY} n={n} bias={bias}: best gap {gaps.min():.1e}")
    return Outcome(ok, None, "; ".join(parts))


register(Claim(
    id="A.solver.closed-forms",
    statement="Every closed form registered for `emergence solve` (ReLU hypercube family; linear, "
              "hard-tanh, hard-sigmoid, tanh: A.odd / A.odd.width; clipped-relu: A.threshold) "
              "agrees with the certified global optimum: its energy lies in the certified bracket "
              "(dense, linear and Lipschitz-family solvers) and equals the exact symmetric optimum; "
              "tanh's infimum lies at the lower end of its bracket.",
    hypotheses=("the instances where a closed-form provider applies",),
    provenance=Provenance("derived here (issue #4)", None, "derived",
                          "All providers that apply to the tested grid agree with the certificates."),
    witnesses=(Witness("closed forms vs certified optimum over a grid of instances", "exact",
                       witness_closed_forms),
               Witness("network training never below, and reaching, the certified optimum",
                       "optimisation", witness_training_above_certified)),
    notebook="notebooks/08_global_optima.ipynb"))
