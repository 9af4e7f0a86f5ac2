"""``A.solver.odd`` and ``A.solver.threshold``: certified answers for tanh, hard-tanh, hard-sigmoid
and clipped-relu on the hypercube task (issue #4: the solver's other activation families)."""
from __future__ import annotations

import json

import numpy as np

from numeric import activations
from numeric import tolerances as tol
from numeric.odd import closed_form
from numeric.parallelism import parallelism_score
from numeric.registry import Claim, Outcome, Provenance, Witness, register
from numeric.solver import lipschitz_hypercube as oh
from numeric.solver import rational as rq
from numeric.solver.symmetry import solve_hypercube
from numeric.threshold import closed_form as threshold_closed_form
from numeric.tasks import hypercube
from numeric.training import train_network

LAMS = ((0.05, 0.05), (0.01, 0.2), (0.5, 0.5))


def witness_brackets(acts=("hard-tanh", "hard-sigmoid")) -> Outcome:
    """hard-tanh and hard-sigmoid (clipped-relu for A.solver.threshold), dY = 1..5, three lam pairs:
    certified (gap <= 1e-12) and the JSON certificate re-verifies alone; the network rescaled by 10
    is still a valid upper bound but leaves a large gap; other inputs are refused."""
    ok, worst, n = True, 0.0, 0
    for act in acts:
        for dY in range(1, 6):
            for l1, l2 in LAMS:
                a = oh.hypercube_answer(act, dY, l1, l2)
                c = a["certificate"]
                again = oh.verify(json.loads(json.dumps(c["witness"]["certificate"])))
                ok &= bool(c["global_optimum"] and again["ok"] and again["rel_gap"] <= tol.SOLVER_CERT_REL_GAP)
                worst = max(worst, again["rel_gap"])
                n += 1
    d = oh.hypercube_answer(acts[0], 3, 0.05, 0.05)["certificate"]["witness"]["certificate"]
    scaled = oh.verify(dict(d, W=rq.to_strings(rq.from_strings(d["W"], "W") * rq.q(10))))
    other = oh.verify(dict(d, X_tilde=rq.to_strings(rq.from_strings(d["X_tilde"], "X_tilde") * rq.q(2))))
    # a worse network is still a valid upper bound (never below the lower one), but far from it
    honest = bool(scaled["ok"] and scaled["rel_gap"] > tol.SCALED_NET_GAP and not other["ok"])
    return Outcome(ok and honest, None, f"{n} instances certified, worst re-verified gap {worst:.1e}; "
                                          f"10x network: gap {scaled['rel_gap']:.1e}; other inputs "
                                          f"refused: {not other['ok']}")


def witness_training(acts=("hard-tanh", "hard-sigmoid", "tanh")) -> Outcome:
    """The defining network problem trained by L-BFGS (widths 2 dY, 4 dY, dY = 2, 3): no run goes
    below the certified lower bound; for hard-tanh and hard-sigmoid the best run reaches it (1e-9)
    with PS = 1 (to 1e-6); clipped-relu runs come within 1e-3 (slow at the kinks, as for ReLU);
    tanh runs approach it from above as the width grows."""
    ok, parts = True, []
    for act in acts:
        for dY in (2, 3):
            T = hypercube(dY)
            Xt = T.X_tilde()
            lo = oh.hypercube_answer(act, dY, 0.05, 0.05)["certificate"]["witness"]["lower"]
            best = {}
            for m in (2 * dY, 4 * dY):
                for seed in (0, 1):
                    r = train_network(Xt, T.Y, 0.05, 0.05, m, activation=act, seed=seed, init_scale=0.3)
                    rel = (r.loss - lo) / lo
                    ok &= rel >= -tol.BELOW_BOUND_REL
                    if rel < best.get(m, (np.inf,))[0]:
                        best[m] = (rel, r)
            rel, r = min(best.values(), key=lambda t: t[0])
            if act in ("hard-tanh", "hard-sigmoid"):
                ps = parallelism_score(activations.get(act)(r.W @ Xt), T.Y)
                ok &= bool(rel <= tol.LIPSCHITZ_TRAIN_REL and abs(ps - 1) <= tol.LINEAR_NET_PS_ABS)
                parts.append(f"{act} dY={dY}: best {rel:.1e} above, PS {ps:.7f}")
            elif act == "clipped-relu":
                # like ReLU training, the kinks slow L-BFGS down: it approaches, never crosses
                ok &= bool(rel <= tol.TRAIN_BEST_REL)
                parts.append(f"{act} dY={dY}: best {rel:.1e} above (no run below the bound)")
            else:
                ok &= bool(best[4 * dY][0] < best[2 * dY][0])
                parts.append(f"tanh dY={dY}: best {best[2 * dY][0]:.1e} (width {2 * dY}) -> "
                             f"{best[4 * dY][0]:.1e} (width {4 * dY}) above the bound")
    return Outcome(ok, None, "; ".join(parts))


def witness_tanh_infimum() -> Outcome:
    """tanh: the certified bracket at width M shrinks like 1/M (ratio of gaps at M and 4M near 4)
    and the closed form A.odd.width's infimum is the lower end: no finite width attains it."""
    old = oh.TANH_WIDTH_PER_VARIABLE
    try:
        gaps = []
        for N in (16, 64):
            oh.TANH_WIDTH_PER_VARIABLE = N
            a = oh.hypercube_answer("tanh", 3, 0.05, 0.05)
            gaps.append(a["certificate"]["witness"]["rel_gap"])
            glob = a["certificate"]["global_optimum"]
    finally:
        oh.TANH_WIDTH_PER_VARIABLE = old
    inf = closed_form("tanh", 3, 0.05, 0.05).energy
    lo = a["certificate"]["witness"]["lower"]
    ratio = gaps[0] / gaps[1]
    r_lo, r_hi = tol.TANH_GAP_RATIO
    ok = (r_lo <= ratio <= r_hi and glob is False and abs(inf - lo) <= tol.FLOAT_VS_BALL_REL * inf)
    return Outcome(ok, None, f"gaps {gaps[0]:.2e} (16/variable), {gaps[1]:.2e} (64/variable), ratio "
                             f"{ratio:.2f}; lower end {lo:.16g} = infimum {inf:.16g}")


register(Claim(
    id="A.solver.odd",
    statement="For tanh, hard-tanh and hard-sigmoid on the hypercube task (whitened inputs, bias, "
              "n = 1) the solver brackets the optimum rigorously: the A.odd lower bound dY e* "
              "(every width) in ball arithmetic against the exact loss of a concrete network. "
              "hard-tanh and hard-sigmoid: certified to round-off, and every global minimum is "
              "abstract; tanh: the infimum is never attained, so there is no global minimum.",
    hypotheses=("phi - phi(0) odd and L-Lipschitz; whitened inputs with the bias row; n = 1",),
    provenance=Provenance("derived here (issue #4: the solver for the other activation families the "
                          "suite covers), on top of A.odd / A.odd.width", None, "derived",
                          "Every global minimum abstract follows from the equality cases of the "
                          "lower bound's chain (K_psi = b* K_Y). Outside this setting (general "
                          "data, n > 1, no bias, relu2, clipped-relu) no certified solver exists "
                          "here: for activations that are not positively 1-homogeneous the network "
                          "problem is not a convex problem over measures (a neuron's mass and "
                          "scale cannot be traded), so duality gives only bounds."),
    derivation=None,
    witnesses=(Witness("brackets certified and re-verified from JSON; a rescaled network leaves a gap",
                       "exact", witness_brackets),
               Witness("training never goes below the certified bound; hard-tanh/hard-sigmoid reach "
                       "it with PS = 1", "optimisation", witness_training),
               Witness("tanh: the bracket closes like 1/M, never at finite width", "high-precision",
                       witness_tanh_infimum)),
    notebook="notebooks/08_global_optima.ipynb"))


def witness_threshold_bound() -> Outcome:
    """clipped-relu: the lower bound is the *ReLU* optimum at lam1/L^2 from the symmetric solver
    (exact, zero gap); the A.threshold closed form lies in the bracket, and for lam1 lam2 on both
    sides of the activity threshold the bracket closes (silent: |Y|^2 exactly)."""
    ok, parts = True, []
    for dY, lam in ((2, 0.05), (3, 0.02), (4, 0.1), (2, 3.0)):
        c = oh.hypercube_answer("clipped-relu", dY, lam, lam)["certificate"]
        w = c["witness"]
        E = threshold_closed_form("clipped-relu", dY, lam, lam).energy
        relu = float(solve_hypercube(dY, 1, lam, lam, bias=True).energy)
        f = tol.FLOAT_VS_BALL_REL
        inside = w["lower"] * (1 - f) <= E <= w["upper"] * (1 + f)
        ok &= bool(c["global_optimum"] and inside and abs(relu - w["lower"]) <= f * relu)
        parts.append(f"dY={dY} lam={lam}: [{w['lower']:.15g}, {w['upper']:.15g}], ReLU optimum {relu:.15g}")
    return Outcome(ok, None, "; ".join(parts))


register(Claim(
    id="A.solver.threshold",
    statement="For clipped-relu on the hypercube task (whitened inputs, bias, n = 1) the solver "
              "brackets the optimum rigorously between the ReLU optimum at lam1/L^2 (A.threshold's "
              "bound, every width; exact from the symmetric solver) and the exact loss of the tuned "
              "network; certified to round-off, and every global minimum is abstract.",
    hypotheses=("phi = phi_+ 1{z >= 0}, L-Lipschitz with gain L on (0, z_lin]; whitened inputs, "
                "bias, n = 1",),
    provenance=Provenance("derived here (issue #4), on top of A.threshold and A.relu.tuning", None,
                          "derived",
                          "Every global minimum abstract: equality in E_phi >= E_ReLU(lam1/L^2) makes "
                          "the moved measure (same kernel) a ReLU global minimum, whose kernel is "
                          "unique and abstract."),
    derivation=None,
    witnesses=(Witness("brackets certified and re-verified from JSON; a rescaled network leaves a gap",
                       "exact", lambda: witness_brackets(("clipped-relu",))),
               Witness("the lower end is the exact ReLU optimum; A.threshold's closed form inside",
                       "exact", witness_threshold_bound),
               Witness("training never goes below the certified bound and comes within 1e-3",
                       "optimisation", lambda: witness_training(("clipped-relu",)))),
    notebook="notebooks/08_global_optima.ipynb"))
