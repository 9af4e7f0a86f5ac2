r"""Certified answers for odd (and odd + constant) Lipschitz activations on the hypercube task.

Setting: whitened inputs with the bias row, n = 1 sample per class, one hidden layer, phi with
psi = phi - phi(0) odd and L-Lipschitz (tanh, hard-tanh, hard-sigmoid; linear has its own solver,
:mod:`numeric.solver.linear`). This is the setting of ``A.odd``; outside it (general data, n > 1,
no bias) no certified solver exists for these activations and the answer stays null.

Certificate (exact rational / ball arithmetic, nothing trusted to floats)
------------------------------------------------------------------------
* **lower** -- every network of any width has E >= dY e* (lemma ``L.lipschitz-cost`` and the
  per-variable bound of :mod:`symbolic.odd`, derived in this suite), e* = min over kappa >= 0 of
  f(kappa) = (lam1/L^2) kappa + lam2 P/(lam2 + kappa). Evaluated in python-flint ``arb`` from the
  exact rationals lam1, lam2 (the floats as given) by lambdifying :func:`symbolic.odd.energy_star`;
  min(interior value, silent value P) per variable, so the bound is valid on either side of the
  activity threshold.
* **upper** -- the network loss of a concrete network, from its definition: when psi = L z on
  [-z_lin, z_lin] (hard-tanh, hard-sigmoid) the closed form's neurons beta v_i (:func:`numeric.odd
  .optimal_neurons`), weights W = H X~^+ rounded to rationals, the ridge read-out rounded to
  rationals; every pre-activation is checked *exactly* to lie in the linear region, where
  phi(z) = phi(0) + L z, so the loss is an exact rational. For tanh (gain L = 1 only as z -> 0) the
  infimum dY e* is never attained (``A.odd.width``): the upper bound is the loss of the
  per-variable ansatz at width ``TANH_WIDTH`` evaluated in ball arithmetic, and
  ``global_optimum`` is false by design (there is no global minimum to certify).

Every global minimum is abstract (derived here, from the equality cases of the lower bound's
chain). A network at E = dY e* makes every inequality tight: (i) tr((Q - Pi_V) K_psi) = 0 with
Q - Pi_V positive definite on span{v_i}^perp, so K_psi lives on span{v_i}; (ii)
e_i^T (lam2 + K)^{-1} e_i = 1/(lam2 + e_i^T K e_i) forces each e_i to be an eigenvector, so
K_psi = sum_i kappa_i e_i e_i^T; (iii) f strictly convex gives kappa_i = kappa* for all i. So
K_psi = b* K_Y, and the coding vectors (differences of class means, 1^T e = 0) see only K_psi:
PS = 1 for every global minimum, with or without phi(0). Silent optimum (lam1 lam2 >= L^2 P):
PS undefined, null.

Failure modes: an exact region check that fails (a pre-activation on the wrong side of a kink
after rounding) or a gap above the tolerance is reported as ``global_optimum`` false with the
reason, never hidden.
"""
from __future__ import annotations

import time

import flint
import numpy as np
import sympy as sp

from numeric import activations
from numeric import tolerances as tol
from numeric.odd import closed_form, covers, optimal_neurons, tanh_per_variable
from numeric.solver import rational as rq
from numeric.tasks import hypercube
from numeric.validation import InputError
from symbolic import odd as sym

#: width of the tanh network whose loss is the upper bound (per-variable ansatz, balanced)
TANH_WIDTH_PER_VARIABLE = 64
PREC = 128


def _arb_lower(dY: int, lam1, lam2, L) -> flint.arb:
    """dY e* in ball arithmetic from exact rationals: the interior minimum of f when
    lam1 lam2 < L^2 P (decided exactly), else the silent value dY P."""
    P = 2 ** dY
    args = (sym.P, sym.lam1, sym.lam2, sym.L, sym.dY)
    if rq.q(lam1) * rq.q(lam2) >= rq.q(L) ** 2 * P:
        return flint.arb(dY * P)
    e_fun = sp.lambdify(args, sym.energy_star(), modules=[{"sqrt": lambda x: x.sqrt()}])
    return e_fun(*[flint.arb(rq.q(v)) for v in (P, lam1, lam2, L, dY)])


def _exact_phi(z: flint.fmpq, pr) -> flint.fmpq | None:
    """phi(z) = phi(0) + L z when |z| <= z_lin exactly (None outside: no exact value claimed)."""
    if abs(z) > rq.q(pr.linear_up_to):
        return None
    return rq.q(pr.odd_about) + rq.q(pr.lipschitz) * z


def _network(cf, Xt, Y, lam2):
    """Float network: the closed form's neurons (attaining activations) or the per-variable tanh
    ansatz at width TANH_WIDTH_PER_VARIABLE dY; W = H X~^+, ridge read-out."""
    if not cf.active:
        return np.zeros((0, Xt.shape[0])), np.zeros((Y.shape[0], 0))
    if cf.attained:
        H = optimal_neurons(cf)
    else:
        N = TANH_WIDTH_PER_VARIABLE
        _, beta = tanh_per_variable(N, cf.P, cf.lam1, cf.lam2)
        H = np.array([beta * Y[i] for i in range(cf.dY) for _ in range(N)])
    W = H @ np.linalg.pinv(Xt)
    Phi = activations.get(cf.activation)(W @ Xt)
    W2 = Y @ Phi.T @ np.linalg.inv(Phi @ Phi.T + lam2 * np.eye(Phi.shape[0]))
    return W, W2


def _loss(activation, Wq, W2q, Xq, Yq, lam1, lam2) -> tuple[flint.arb | None, str]:
    """Enclosure of the network loss |Y - W2 phi(W X~)|^2 + lam1|W|^2 + lam2|W2|^2 from exact
    rationals: exact (a point ball) for the piecewise-linear activations inside their linear
    region, ball arithmetic for tanh. (None, reason) when no exact value can be claimed."""
    reg = rq.q(lam1) * rq.sqnorm(Wq) + rq.q(lam2) * rq.sqnorm(W2q)
    if Wq.nrows() == 0:
        return flint.arb(rq.sqnorm(Yq) + reg), ""
    Z = Wq * Xq
    if activation == "tanh":
        Pha = flint.arb_mat(Z.nrows(), Z.ncols(), [flint.arb(z).tanh() for z in Z.entries()])
        R = flint.arb_mat(Yq) - flint.arb_mat(W2q) * Pha
        fit = sum((R[i, j] ** 2 for i in range(R.nrows()) for j in range(R.ncols())), flint.arb(0))
        return fit + flint.arb(reg), ""
    pr = activations.properties(activation)
    vals = []
    for z in Z.entries():
        v = _exact_phi(z, pr)
        if v is None:
            return None, f"a pre-activation {float(rq.frac(z)):.17g} lies outside the linear region"
        vals.append(v)
    Phq = flint.fmpq_mat(Z.nrows(), Z.ncols(), vals)
    ref = activations.get(activation)(rq.to_float(Z))
    if float(np.max(np.abs(rq.to_float(Phq) - ref))) > 1e-12:
        return None, "the exact linear-region values disagree with the activation's definition"
    return flint.arb(rq.sqnorm(Yq - W2q * Phq) + reg), ""


def verify_odd(data: dict) -> dict:
    """Re-check an odd-activation certificate from its JSON alone: the lower bound from
    (activation, dY, lam1, lam2), the upper bound from the stored rational network."""
    act, dY = data["activation"], int(data["dY"])
    lam1, lam2 = rq.q(data["lam1"]), rq.q(data["lam2"])
    L = activations.properties(act).lipschitz
    Xq, Yq = rq.from_strings(data["X_tilde"], "X_tilde"), rq.from_strings(data["Y"], "Y")
    Wq = rq.from_strings(data["W"], "W") if data["W"] else flint.fmpq_mat(0, Xq.nrows())
    W2q = rq.from_strings(data["W2"], "W2") if data["W"] else flint.fmpq_mat(dY, 0)
    KX = Xq.transpose() * Xq
    P = 2 ** dY
    whitened = (Yq.nrows() == dY and Yq.ncols() == P and KX == rq.eye(P) + rq.ones(P, P)
                and Yq == rq.mat(hypercube(dY).Y))
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        lower = _arb_lower(dY, lam1, lam2, L)
        upper, why = _loss(act, Wq, W2q, Xq, Yq, lam1, lam2)
        if upper is None or not whitened:
            return {"ok": False, "reason": why or "inputs are not the whitened hypercube with bias (K_X != I + J)"}
        gap = (upper - lower) / upper
        out = {"ok": not bool(lower > upper), "reason": "",
               "lower": float(lower.lower().mid()) - float(lower.lower().rad()),
               "upper": float(upper.upper().mid()) + float(upper.upper().rad()),
               "rel_gap": max(float(gap.upper().mid()) + float(gap.upper().rad()), 0.0)}
    finally:
        flint.ctx.prec = old
    return out


def odd_answer(activation: str, dY: int, lam1, lam2, task=None) -> dict:
    """``numeric`` and ``certificate`` for an odd-Lipschitz activation on the hypercube task
    (whitened, bias, n = 1; ``task`` its inputs, default the identity); see the module docstring."""
    why = covers(activation)
    if why or activation == "linear":
        raise InputError(f"`activation` must be tanh, hard-tanh or hard-sigmoid here; {why or 'linear has its own solver'}")
    t0 = time.perf_counter()
    cf = closed_form(activation, dY, lam1, lam2)
    T = hypercube(dY) if task is None else task
    Xt, Y = T.X_tilde(), T.Y
    if not (T.bias and Y.shape == (dY, 2 ** dY)
            and np.allclose(Xt.T @ Xt, np.eye(2 ** dY) + 1.0, atol=1e-12)):
        raise InputError("`task` must be the hypercube task with whitened inputs, the bias and n = 1 "
                         "(K_X = I + J) for the odd-activation certificate")
    W, W2 = _network(cf, Xt, Y, lam2)
    data = {"kind": "odd-hypercube", "activation": activation, "dY": dY, "lam1": str(rq.q(lam1)),
            "lam2": str(rq.q(lam2)), "X_tilde": rq.to_strings(rq.mat(Xt)), "Y": rq.to_strings(rq.mat(Y)),
            "W": rq.to_strings(rq.mat(W)) if W.size else [],
            "W2": rq.to_strings(rq.mat(W2)) if W.size else []}
    v = verify_odd(data)
    upper = v.get("upper")
    reason = v["reason"]
    if upper is not None:
        lo_f, hi_f, rel_gap, sound = v["lower"], v["upper"], v["rel_gap"], v["ok"]
    seconds = time.perf_counter() - t0
    numeric = {"energy": float(cf.energy), "infimum_only": bool(cf.active and not cf.attained),
               "kernel": {"form": "b * K_Y (+ c J)", "b": float(cf.b), "c_per_neuron": float(cf.offset) ** 2},
               "neurons": {"W": W.tolist(), "W2": W2.tolist()},
               "width": int(W.shape[0]), "seconds": round(seconds, 3),
               "network_energy": None if upper is None else hi_f,
               "method": "A.odd lower bound (every width) against a concrete network's loss"}
    if upper is None:
        certificate = {"global_optimum": False, "all_minima_abstract": None,
                       "method": "exact bracket (failed)", "witness": {"error": reason}}
        return {"numeric": numeric, "certificate": certificate, "ps": None, "notes": [reason],
                "checks": [{"name": "exact network loss", "ok": False, "detail": reason}]}
    if not cf.active:
        abstract, why_ab = None, ("undefined: lam1 lam2 >= L^2 P, every global minimum is silent "
                                  "(PS undefined)")
    elif not cf.attained:
        abstract, why_ab = None, ("no global minimum exists: the infimum dY e* is approached as the "
                                  "width grows and never attained (A.odd.width)")
    elif dY < 2:
        abstract, why_ab = None, "undefined: PS needs dY >= 2"
    else:
        abstract, why_ab = True, ("proved: at E = dY e* every inequality of the lower bound is tight, "
                                  "forcing K_psi = b* K_Y; coding vectors see only K_psi, so PS = 1 "
                                  "for every global minimum")
    certified = bool(sound and (cf.attained or not cf.active) and rel_gap <= tol.SOLVER_CERT_REL_GAP)
    certificate = {
        "global_optimum": certified, "all_minima_abstract": abstract,
        "method": ("ball-arithmetic bracket: lower dY e* (L.lipschitz-cost, every width), upper the "
                   "exact loss of " + ("the closed form's network (linear region checked exactly)"
                                       if cf.attained else
                                       f"a width-{TANH_WIDTH_PER_VARIABLE * dY} tanh network")),
        "witness": {"lower": lo_f, "upper": hi_f, "rel_gap": rel_gap,
                    "tolerance": tol.SOLVER_CERT_REL_GAP, "all_minima_reason": why_ab,
                    "attained": bool(cf.attained), "certificate": data}}
    checks = [{"name": "lower bound <= network loss", "ok": sound,
               "detail": f"[{lo_f:.17g}, {hi_f:.17g}]"}]
    notes = [] if (cf.attained or not cf.active) else [
        f"tanh: the optimum over widths is an infimum, not attained; bracket at width "
        f"{TANH_WIDTH_PER_VARIABLE * dY}, gap {rel_gap:.1e}"]
    ps = [1.0] * dY if abstract else None
    return {"numeric": numeric, "certificate": certificate, "checks": checks, "ps": ps, "notes": notes}
