r"""Certified answers for the Lipschitz activation families of A.odd and A.threshold on the hypercube.

Setting: whitened inputs with the bias row (K_X = I + J), n = 1 sample per class, one hidden
layer. Two families, both resting on the lemma ``L.lipschitz-cost`` (derived in this suite):

* **odd** -- psi = phi - phi(0) odd and L-Lipschitz: tanh, hard-tanh, hard-sigmoid (``A.odd``;
  linear has its own solver, :mod:`numeric.solver.linear`);
* **threshold** -- phi = phi_+ 1{z >= 0}, L-Lipschitz with gain L on (0, z_lin]: clipped-relu
  (``A.threshold``; relu itself goes through :mod:`numeric.solver.symmetry`).

Outside this setting (general data, n > 1, no bias) no certified solver exists for these
activations and the answer stays null.

Certificate (exact rational / ball arithmetic, nothing trusted to floats)
------------------------------------------------------------------------
* **lower** -- a bound valid for every network of every width:
  odd: E >= dY e*, e* = min over kappa >= 0 of (lam1/L^2) kappa + lam2 P/(lam2 + kappa)
  (:mod:`symbolic.odd`), evaluated in python-flint ``arb`` from the exact rationals lam1, lam2 by
  lambdifying :func:`symbolic.odd.energy_star` (activity decided exactly: lam1 lam2 < L^2 P);
  threshold: E >= E*_ReLU(lam1/L^2, lam2) (:mod:`symbolic.threshold`), the ReLU optimum of the
  symmetric solver, exact (sympy, zero gap), enclosed in a ball by sympy's ``evalf(strict=True)``.
* **upper** -- the loss of a concrete network from its definition, W and W2 the floats as given
  (exact rationals): the closed form's neurons (:func:`numeric.odd.optimal_neurons`,
  :func:`numeric.threshold.optimal_neurons`), W = H X~^+, ridge read-out. The piecewise-linear
  activations are evaluated exactly in rationals (and cross-checked against the suite's own
  definition at the same points); tanh in ball arithmetic. For tanh (gain 1 only as z -> 0) the
  infimum is never attained (``A.odd.width``): the network is the per-variable ansatz at width
  ``TANH_WIDTH_PER_VARIABLE`` dY and ``global_optimum`` is false by design.

Every global minimum is abstract (derived here, from the equality cases). odd: at E = dY e*
every inequality of the bound's chain is tight: (i) tr((Q - Pi_V) K_psi) = 0 with Q - Pi_V
positive definite on span{v_i}^perp puts K_psi on span{v_i}; (ii)
e_i^T (lam2 + K)^{-1} e_i = 1/(lam2 + e_i^T K e_i) makes each e_i an eigenvector; (iii) f strictly
convex gives kappa_i = kappa*; so K_psi = b* K_Y, and coding vectors (1^T e = 0) see only K_psi:
PS = 1. threshold: E_phi[rho] = E*_ReLU forces the moved measure rho' (same kernel) to be a global
minimum of the ReLU problem at lam1/L^2, whose kernel is unique and abstract (``A.relu.tuning``,
proved by the symmetric solver with the bias): PS = 1. Silent optimum: PS undefined (null).

Failure modes: a gap above the tolerance, a bound that is not below the loss, or a certificate
whose data are not the whitened hypercube are reported (``global_optimum`` false / ``ok``
false), never hidden.
"""
from __future__ import annotations

import time
from fractions import Fraction
from functools import lru_cache

import flint
import numpy as np
import sympy as sp

from numeric import activations
from numeric import odd as odd_cf
from numeric import threshold as thr_cf
from numeric import tolerances as tol
from numeric.solver import rational as rq
from numeric.solver.symmetry import solve_hypercube
from numeric.tasks import hypercube
from numeric.validation import InputError
from symbolic import odd as odd_sym

#: width of the tanh network whose loss is the upper bound (per-variable ansatz, balanced)
TANH_WIDTH_PER_VARIABLE = 64
#: ball-arithmetic precision (bits)
PREC = 128
#: largest network built for the upper bound (small lam1 / large lam2 make the closed form's
#: width grow like b* / z_lin^2); beyond it the answer says so instead of allocating
MAX_WIDTH = 1024
ODD = ("tanh", "hard-tanh", "hard-sigmoid")
THRESHOLD = ("clipped-relu",)
COVERED = ODD + THRESHOLD


def family(activation: str) -> str:
    if activation in ODD:
        return "odd"
    if activation in THRESHOLD:
        return "threshold"
    raise InputError(f"`activation` must be one of {', '.join(COVERED)} for the hypercube "
                     f"certificate; got {activation!r}")


def _closed_form(activation, dY, lam1, lam2):
    mod = odd_cf if family(activation) == "odd" else thr_cf
    return mod.closed_form(activation, dY, lam1, lam2)


def _sym_ball(expr) -> flint.arb:
    """A ball containing the exact sympy number ``expr`` (evalf with guaranteed digits)."""
    v = sp.N(expr, 60, strict=True)
    return flint.arb(flint.arb(str(v)).mid(), flint.arb("1e-55"))


@lru_cache(maxsize=None)
def _energy_star_arb():
    """dY e* of :mod:`symbolic.odd`, lambdified once for ball arguments (sqrt -> arb.sqrt)."""
    args = (odd_sym.P, odd_sym.lam1, odd_sym.lam2, odd_sym.L, odd_sym.dY)
    return sp.lambdify(args, odd_sym.energy_star(), modules=[{"sqrt": lambda x: x.sqrt()}])


def _lower(activation: str, dY: int, lam1, lam2) -> flint.arb:
    """A ball below which no network of any width goes (module docstring)."""
    P = 2 ** dY
    L = activations.properties(activation).lipschitz
    if rq.q(lam1) * rq.q(lam2) >= rq.q(L) ** 2 * P and family(activation) == "odd":
        return flint.arb(dY * P)
    if family(activation) == "odd":
        return _energy_star_arb()(*[flint.arb(rq.q(v)) for v in (P, lam1, lam2, L, dY)])
    l1 = Fraction(lam1) / Fraction(L) ** 2                 # exact: floats and Fractions convert exactly
    s = solve_hypercube(dY, 1, l1, Fraction(lam2), bias=True)
    if not s.exact_match:
        raise RuntimeError("the ReLU symmetric solver did not close its gap exactly")
    return _sym_ball(s.energy_expr)


def _exact_phi(activation: str, z: flint.fmpq) -> flint.fmpq:
    """The piecewise-linear activations in exact rationals (cross-checked by the caller)."""
    lo, hi, a, c = {"hard-tanh": (-1, 1, 1, 0), "hard-sigmoid": (0, 1, flint.fmpq(1, 2), flint.fmpq(1, 2)),
                    "clipped-relu": (0, 1, 1, 0)}[activation]
    v = a * z + c
    return flint.fmpq(lo) if v < lo else flint.fmpq(hi) if v > hi else v


def _loss(activation, Wq, W2q, Xq, Yq, lam1, lam2) -> tuple[flint.arb | None, str]:
    """Ball enclosure of |Y - W2 phi(W X~)|^2 + lam1|W|^2 + lam2|W2|^2 from exact rationals
    (a point ball for the piecewise-linear activations); (None, reason) on a definition mismatch."""
    reg = rq.q(lam1) * rq.sqnorm(Wq) + rq.q(lam2) * rq.sqnorm(W2q)
    if Wq.nrows() == 0:
        return flint.arb(rq.sqnorm(Yq) + reg), ""
    Z = Wq * Xq
    if activation == "tanh":
        Pha = flint.arb_mat(Z.nrows(), Z.ncols(), [flint.arb(z).tanh() for z in Z.entries()])
        R = flint.arb_mat(Yq) - flint.arb_mat(W2q) * Pha
        fit = sum((R[i, j] ** 2 for i in range(R.nrows()) for j in range(R.ncols())), flint.arb(0))
        return fit + flint.arb(reg), ""
    Phq = flint.fmpq_mat(Z.nrows(), Z.ncols(), [_exact_phi(activation, z) for z in Z.entries()])
    ref = activations.get(activation)(rq.to_float(Z))
    if float(np.max(np.abs(rq.to_float(Phq) - ref))) > 1e-12:
        return None, f"the exact {activation} values disagree with the suite's definition"
    return flint.arb(rq.sqnorm(Yq - W2q * Phq) + reg), ""


def _network(cf, Xt, Y, lam2):
    """Float network: the closed form's neurons, or the per-variable tanh ansatz at width
    TANH_WIDTH_PER_VARIABLE dY; W = H X~^+, ridge read-out."""
    if not cf.active:
        return np.zeros((0, Xt.shape[0])), np.zeros((Y.shape[0], 0))
    if cf.activation == "tanh":
        N = TANH_WIDTH_PER_VARIABLE
        _, beta = odd_cf.tanh_per_variable(N, cf.P, cf.lam1, cf.lam2)
        H = np.array([beta * Y[i] for i in range(cf.dY) for _ in range(N)])
    else:
        H = (odd_cf if family(cf.activation) == "odd" else thr_cf).optimal_neurons(cf)
    W = H @ np.linalg.pinv(Xt)
    Phi = activations.get(cf.activation)(W @ Xt)
    W2 = Y @ Phi.T @ np.linalg.inv(Phi @ Phi.T + lam2 * np.eye(Phi.shape[0]))
    if cf.activation != "tanh":
        # the ridge read-out of the exact features, in exact rationals: with tiny lam2 the float
        # solve loses the digits the bracket needs (phi(0) != 0 makes Phi Phi^T near singular)
        Wq, Xq = rq.mat(W), rq.mat(Xt)
        Z = Wq * Xq
        Phq = flint.fmpq_mat(Z.nrows(), Z.ncols(), [_exact_phi(cf.activation, z) for z in Z.entries()])
        G = Phq * Phq.transpose() + rq.q(lam2) * rq.eye(Phq.nrows())
        W2 = rq.to_float(G.solve(Phq * rq.mat(Y).transpose()).transpose())
    return W, W2


def verify(data: dict) -> dict:
    """Re-check a certificate from its JSON alone: the lower bound from (activation, dY, lam1,
    lam2), the upper bound from the stored rational network, the data the whitened hypercube."""
    act, dY = data["activation"], int(data["dY"])
    lam1, lam2 = rq.q(data["lam1"]), rq.q(data["lam2"])
    Xq, Yq = rq.from_strings(data["X_tilde"], "X_tilde"), rq.from_strings(data["Y"], "Y")
    Wq = rq.from_strings(data["W"], "W") if data["W"] else flint.fmpq_mat(0, Xq.nrows())
    W2q = rq.from_strings(data["W2"], "W2") if data["W"] else flint.fmpq_mat(dY, 0)
    P = 2 ** dY
    whitened = (Yq.nrows() == dY and Yq.ncols() == P and Xq.transpose() * Xq == rq.eye(P) + rq.ones(P, P)
                and Yq == rq.mat(hypercube(dY).Y))
    if not whitened:
        return {"ok": False, "reason": "the data are not the whitened hypercube with the bias (K_X != I + J)"}
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        lower = _lower(act, dY, rq.frac(lam1), rq.frac(lam2))
        upper, why = _loss(act, Wq, W2q, Xq, Yq, lam1, lam2)
        if upper is None:
            return {"ok": False, "reason": why}
        gap = (upper - lower) / upper
        return {"ok": not bool(lower > upper), "reason": "",
                "lower": float(lower.lower().mid()) - float(lower.lower().rad()),
                "upper": float(upper.upper().mid()) + float(upper.upper().rad()),
                "rel_gap": max(float(gap.upper().mid()) + float(gap.upper().rad()), 0.0)}
    finally:
        flint.ctx.prec = old


def _abstraction(cf, fam: str) -> tuple[bool | None, str]:
    if not cf.active:
        return None, "undefined: the optimum is the silent network (PS undefined)"
    if cf.activation == "tanh":
        return None, ("no global minimum exists: the infimum dY e* is approached as the width grows "
                      "and never attained (A.odd.width)")
    if cf.dY < 2:
        return None, "undefined: PS needs dY >= 2"
    if fam == "odd":
        return True, ("proved: at E = dY e* every inequality of the lower bound is tight, forcing "
                      "K_psi = b* K_Y; coding vectors see only K_psi, so PS = 1 for every global minimum")
    return True, ("proved: at E = E*_ReLU(lam1/L^2) the moved measure (same kernel) is a global minimum "
                  "of the ReLU problem, whose kernel b(dY J + K_Y) is unique and abstract (A.relu.tuning)")


def hypercube_answer(activation: str, dY: int, lam1, lam2, task=None) -> dict:
    """``numeric`` and ``certificate`` for a covered activation on the hypercube task (whitened,
    bias, n = 1; ``task`` its inputs, default the identity); see the module docstring."""
    fam = family(activation)
    t0 = time.perf_counter()
    cf = _closed_form(activation, dY, lam1, lam2)
    T = hypercube(dY) if task is None else task
    Xt, Y = T.X_tilde(), T.Y
    if not (T.bias and Y.shape == (dY, 2 ** dY)
            and np.allclose(Xt.T @ Xt, np.eye(2 ** dY) + 1.0, atol=1e-12)):
        raise InputError("`task` must be the hypercube task with whitened inputs, the bias and n = 1 "
                         "(K_X = I + J) for this certificate")
    width = (TANH_WIDTH_PER_VARIABLE * dY if activation == "tanh" else cf.width if fam == "odd"
             else 2 * dY * cf.per_group) if cf.active else 0
    if width > MAX_WIDTH:
        note = (f"the closed form's network needs width {width} > {MAX_WIDTH} (lam1 small or lam2 "
                f"large): no upper bound built, not certified")
        return {"numeric": None, "ps": None, "notes": [note], "checks": [],
                "certificate": {"global_optimum": False, "all_minima_abstract": None,
                                "method": "not built", "witness": {"error": note}}}
    W, W2 = _network(cf, Xt, Y, lam2)
    data = {"kind": "lipschitz-hypercube", "activation": activation, "dY": dY,
            "lam1": str(rq.q(lam1)), "lam2": str(rq.q(lam2)),
            "X_tilde": rq.to_strings(rq.mat(Xt)), "Y": rq.to_strings(rq.mat(Y)),
            "W": rq.to_strings(rq.mat(W)) if W.size else [],
            "W2": rq.to_strings(rq.mat(W2)) if W.size else []}
    v = verify(data)
    attained = activation != "tanh" or not cf.active
    numeric = {"energy": float(cf.energy), "infimum_only": not attained,
               "kernel": {"form": "b * K_Y (+ c J)" if fam == "odd" else "b * (dY J + K_Y)",
                          "b": float(cf.b)},
               "neurons": {"W": W.tolist(), "W2": W2.tolist()}, "width": int(W.shape[0]),
               "network_energy": v.get("upper"), "seconds": round(time.perf_counter() - t0, 3),
               "method": f"{'A.odd' if fam == 'odd' else 'A.threshold'} lower bound (every width) "
                         f"against a concrete network's loss"}
    if "upper" not in v:
        return {"numeric": numeric, "ps": None, "notes": [v["reason"]],
                "certificate": {"global_optimum": False, "all_minima_abstract": None,
                                "method": "exact bracket (failed)", "witness": {"error": v["reason"]}},
                "checks": [{"name": "certificate verified", "ok": False, "detail": v["reason"]}]}
    abstract, why_ab = _abstraction(cf, fam)
    certified = bool(v["ok"] and attained and v["rel_gap"] <= tol.SOLVER_CERT_REL_GAP)
    bound = "dY e* (L.lipschitz-cost)" if fam == "odd" else "E*_ReLU(lam1/L^2) (A.threshold)"
    certificate = {
        "global_optimum": certified, "all_minima_abstract": abstract,
        "method": (f"ball-arithmetic bracket: lower {bound}, valid at every width; upper the exact "
                   f"loss of " + ("the closed form's network" if attained else
                                  f"a width-{TANH_WIDTH_PER_VARIABLE * dY} tanh network")),
        "witness": {"lower": v["lower"], "upper": v["upper"], "rel_gap": v["rel_gap"],
                    "tolerance": tol.SOLVER_CERT_REL_GAP, "all_minima_reason": why_ab,
                    "attained": attained, "certificate": data}}
    checks = [{"name": "lower bound <= network loss", "ok": v["ok"],
               "detail": f"[{v['lower']:.17g}, {v['upper']:.17g}]"}]
    notes = [] if attained else [
        f"tanh: the optimum over widths is an infimum, not attained; bracket at width "
        f"{TANH_WIDTH_PER_VARIABLE * dY}, gap {v['rel_gap']:.1e}"]
    return {"numeric": numeric, "certificate": certificate, "checks": checks,
            "ps": [1.0] * dY if abstract else None, "notes": notes}
