"""``solve_instance``: the certified numeric answer for an ``emergence solve`` instance.

Dispatch
--------
* ReLU, one hidden layer, whitened hypercube inputs (any dY <= 40, any n, bias or not): the
  symmetry-reduced solver (:mod:`numeric.solver.symmetry`), whose certificate is exact
  (zero gap, sympy) and which decides "every global minimum is abstract"; for small P the dense
  solver runs as well and must agree (a disagreement is a failed check).
* ReLU, one hidden layer, any other data (``--data``, P <= 20; data of low rank with dY <= 5
  up to P = 400 and 100 000 arrangement cells, :mod:`numeric.solver.problem`): the dense solver
  (:mod:`numeric.solver.relu`) and its rational bracket certificate
  (:mod:`numeric.solver.certificate`), re-verified from its JSON. "Every global minimum is
  abstract" is refuted (false, with the certified excess loss of every PS = 1 network) when the
  certified outputs' coding vectors are robustly non-parallel (:mod:`numeric.solver.not_abstract`),
  and left null otherwise (the test is one-sided).
* Linear activation, one hidden layer, any data the task builds: the nuclear-norm reduction
  (:mod:`numeric.solver.linear`) with its exact PSD-dual bracket; "every global minimum is
  abstract" decided by :mod:`numeric.solver.linear_abstraction` (exact proof, certified PS
  interval, or null with the reason; a null answer is then tried by the outputs test).
* tanh, hard-tanh, hard-sigmoid, clipped-relu on the hypercube task (whitened inputs, bias,
  n = 1): the A.odd / A.threshold lower bound against a concrete network's exact loss
  (:mod:`numeric.solver.lipschitz_hypercube`); tanh has an infimum only (never attained),
  reported as such.
* Anything else (relu2, these activations on other data, depth > 1): not covered --
  ``numeric`` and ``certificate`` are null with a note saying why.

Returns a dict with the DESIGN.md fields ``numeric`` = {"energy", "kernel", "neurons", "seconds",
...} and ``certificate`` = {"global_optimum", "all_minima_abstract", "method", "witness"}, plus
``checks`` (list of {"name", "ok", "detail"}) and ``ps`` of the numeric optimum, and ``notes``.
"""
from __future__ import annotations

import time

import numpy as np

from numeric import tolerances as tol
from numeric.parallelism import parallelism_score
from numeric.solver import certificate as cert_mod
from numeric.solver import rational as rq
from numeric.inputs import FAMILIES as INPUT_FAMILIES
from numeric.inputs import closed_form
from numeric.solver.affine_minima import MAX_P as AFFINE_MAX_P
from numeric.solver.affine_minima import decide_inputs_family
from numeric.solver.inputs_family import COVERED as FAMILY_COVERED
from numeric.solver.inputs_family import all_minima as family_all_minima
from numeric.solver.inputs_family import answer as family_answer
from numeric.solver.symmetric_witness import refute_family
from numeric.solver.walsh_family import answer as walsh_family_answer
from numeric.solver.walsh_family import MAX_DY as WALSH_ANISO_MAX_DY
from numeric.solver.walsh_family import covers as walsh_covers
from numeric.solver.walsh_symmetric import MAX_DY as WALSH_SYM_MAX_DY
from numeric.solver.inputs_family import theorem_applies as family_theorem_applies
from numeric.solver.linear import certify_linear, solve_linear
from numeric.solver.linear_abstraction import decide as decide_linear
from numeric.solver.linear_width import width_bracket as linear_width_bracket
from numeric.solver.not_abstract import refute, refute_from_certificate
from numeric.solver.outputs_ball import outputs_ball
from numeric.solver.lipschitz_hypercube import COVERED as LIPSCHITZ_ACTIVATIONS
from numeric.solver.lipschitz_hypercube import hypercube_answer
from numeric.solver.problem import MAX_P, MAX_P_LOW_RANK, make_problem, ps_defined
from numeric.solver.relu import solve_relu
from numeric.solver.symmetry import MAX_DY as SYM_MAX_DY
from numeric.solver.symmetry import SymmetryError, solve_hypercube
from numeric.tasks import hypercube

#: the dense solver cross-checks the symmetric one up to this P (its certificate is 2^P).
DENSE_CROSSCHECK_MAX_P = 8
#: dense kernels and neuron lists are printed up to this P.
DENSE_OUTPUT_MAX_P = 64
#: relative tolerance when a float closed form is compared with an exact/certified bracket:
#: the closed form is evaluated in float64 (a few ulps), the bracket is exact.
CF_REL = tol.SOLVER_CF_REL


def _check(name, ok, detail):
    return {"name": name, "ok": bool(ok), "detail": detail}


def _ps(Phi: np.ndarray, Y: np.ndarray) -> list[float] | None:
    """per-variable PS of the hidden representation Phi (neurons x samples)"""
    try:
        return [float(v) for v in parallelism_score(Phi, Y, per_variable=True)]
    except ValueError:
        return None


def dense_answer(X, Y, lam1, lam2, bias, *, certify=True) -> dict:
    """Dense solver + exact bracket certificate for arbitrary data (P <= MAX_P)."""
    prob = make_problem(X, Y, lam1, lam2, bias=bias)
    sol = solve_relu(prob)
    H = sol.H
    numeric = {"energy": sol.energy, "kernel": {"dense": sol.kernel.tolist()},
               "neurons": {"patterns": H.tolist(), "W": sol.W.tolist(), "W2": sol.W2.tolist()},
               "seconds": round(sol.seconds, 3), "width": sol.width,
               "width_lower_bound": sol.width_lower_bound(), "converged": sol.converged,
               "float_gap": sol.rel_gap, "stop_reason": sol.stop_reason, "mode": prob.mode,
               "method": "dense column generation"}
    checks = [_check("network loss of the returned neurons equals the mean-field energy",
                     abs(sol.network_energy - sol.energy) <= 1e-10 * max(abs(sol.energy), 1e-300),
                     f"network {sol.network_energy:.16g}, mean field {sol.energy:.16g}")]
    ps = _ps(np.maximum(H, 0), prob.Y) if prob.ps_defined() and sol.width else None
    certificate = None
    if certify:
        t0 = time.perf_counter()
        try:
            c = cert_mod.build(sol)
            rep = cert_mod.verify(c)
            if rep.ok:
                # the exact network loss of the returned neurons, rounded once
                numeric["energy"] = float(rep.upper)
            checks.append(_check("certificate re-verified from its JSON", rep.ok,
                                 "; ".join(rep.problems) or f"{rep.cone}, {rep.checked} supports"))
            certificate = {
                "global_optimum": bool(rep.ok and rep.global_optimum),
                "all_minima_abstract": None,
                "method": ("exact rational bracket: network loss (upper) and a shrunk dual point "
                           "with exact cone check (" + (
                               "no cost minorant" if c['cost_bound']['kind'] in ("cells", "faces") else
                               f"{c['cost_bound']['kind']} cost minorant") + f", {rep.cone})"),
                "witness": {"upper": c["bounds"]["upper"], "lower": c["bounds"]["lower"],
                            "rel_gap": rep.rel_gap, "tolerance": cert_mod.CERT_REL_GAP,
                            "all_minima_reason": ("undefined: PS needs dY >= 2 targets in {+-1} "
                                                  "with every condition present"),
                            "seconds": round(time.perf_counter() - t0, 3), "certificate": c}}
            ball = outputs_ball(c, rep)
            if ball is not None:
                # every global minimum computes Y - Lambda* on the data (numeric.solver.outputs_ball)
                certificate["witness"]["outputs_radius"] = ball.radius
                certificate["witness"]["outputs_rel_radius"] = ball.rel_radius
            if rep.ok and prob.ps_defined():
                answer, reason, refutation = _abstraction_from_outputs(c, rep)
                certificate["all_minima_abstract"] = answer
                certificate["witness"]["all_minima_reason"] = reason
                certificate["witness"]["abstraction_witness"] = refutation
        except cert_mod.CertificateError as exc:
            checks.append(_check("certificate built", False, str(exc)))
            certificate = {"global_optimum": False, "all_minima_abstract": None,
                           "method": "exact rational bracket (failed)", "witness": {"error": str(exc)}}
    if not sol.converged:
        # the float gap is an estimate: on ill-conditioned inputs its pricing errs by
        # ~eps cond(K_X) while the exact certificate of the same point may close (relu.RESOLVE_SIGNED)
        proved = bool(certificate and certificate["global_optimum"])
        checks.append(_check("solver converged, or its answer certified", proved,
                             f"float duality gap {sol.rel_gap:.2e} after {sol.iterations} rounds "
                             f"(stopped: {sol.stop_reason})"
                             + ("; the exact certificate closes within the tolerance" if proved
                                else "")))
    return {"numeric": numeric, "certificate": certificate, "checks": checks, "ps": ps,
            "bracket": (certificate or {}).get("witness")}


def _abstraction_from_outputs(cert: dict, rep) -> tuple[bool | None, str, dict | None]:
    """all_minima_abstract for ReLU on general data: False when the certified outputs refute PS = 1
    for every global minimum (numeric.solver.not_abstract), else None (the test is one-sided)."""
    return _outputs_decision(refute_from_certificate(cert, rep))


def _outputs_decision(ref) -> tuple[bool | None, str, dict | None]:
    if ref is not None and ref.refuted:
        w = ref.witnesses[0]
        ks = ", ".join(str(v.variable) for v in ref.witnesses)
        reason = (f"refuted: no global minimum is abstract. Every global minimum has the certified "
                  f"outputs (L.solver.outputs), whose coding vectors of variable {w.variable} in "
                  f"contexts {list(w.contexts[0])} and {list(w.contexts[1])} are not parallel "
                  f"(cosine <= {w.cos_upper:.12f} over the whole outputs ball), while PS_k = 1 "
                  f"would make them parallel; PS_k < 1 at every global minimum for k in {{{ks}}} "
                  f"(L.solver.not-abstract); every network with PS = 1 has loss >= E* + "
                  f"{ref.price:.3e}")
        return False, reason, ref.to_json()
    return None, ("not decided: the certified outputs have parallel (or vanishing) coding vectors "
                  "within their ball, which is consistent with PS = 1 and with PS < 1; the hidden kernel of a "
                  "global minimum need not be unique and its exact zero set is not computed on "
                  "general data"), (ref.to_json() if ref is not None else None)


def linear_answer(task, lam1, lam2, *, certify=True) -> dict:
    """Linear activation, any data: nuclear-norm reduction, proximal gradient + Newton, exact
    PSD-dual bracket (:mod:`numeric.solver.linear`)."""
    Xt, Y = task.X_tilde(), task.Y
    sol = solve_linear(Xt, Y, lam1, lam2)
    H = sol.W @ Xt
    numeric = {"energy": sol.energy, "neurons": {"W": sol.W.tolist(), "W2": sol.W2.tolist()},
               "kernel": {"dense": (H.T @ H).tolist() if task.P <= DENSE_OUTPUT_MAX_P else None},
               "seconds": round(sol.seconds, 3), "width": sol.W.shape[0], "converged": sol.converged,
               "float_gap": sol.rel_gap,
               "method": "nuclear-norm reduction: accelerated proximal gradient, Newton on the "
                         "balanced factors"}
    checks = []
    if not sol.converged:
        checks.append(_check("solver converged", False,
                             f"float duality gap {sol.rel_gap:.2e} after {sol.iterations} iterations"))
    certificate = None
    if certify:
        t0 = time.perf_counter()
        c = certify_linear(sol, Xt, Y, lam1, lam2)
        checks.append(_check("dual point passes the exact PSD check", c.ok,
                             f"lam1 lam2 I - Lambda K_X Lambda^T > 0 (Sylvester, {Y.shape[0]} minors)"))
        ab = decide_linear(c, Xt, Y, lam1, lam2) if c.ok else {
            "all_minima_abstract": None, "reason": "not decided: no certified bracket"}
        if c.ok and ab["all_minima_abstract"] is None and ps_defined(Y):
            # the kernel-based decision is silent: the certified outputs may still refute PS = 1
            answer, reason, refutation = _outputs_decision(refute(
                rq.from_strings(c.data["Y"], "Y"), rq.from_strings(c.data["Lambda"], "Lambda"),
                c.upper - c.lower, c.lower))
            if answer is False:
                ab = {"all_minima_abstract": False, "reason": reason, "witness": refutation}
        if c.ok:
            numeric["energy"] = float(rq.frac(c.upper))
            wb = linear_width_bracket(c.data, c.upper, c.lower)
            if wb is None and ab.get("path") == "exact":
                # exact path: A* = diag(s_i) Y X~^+ with orthogonal non-zero rows, rank = #active
                r = sum(ab["witness"]["active"])
                wb = {"lower": r, "upper": r, "certified": True}
            numeric["min_width"] = wb["lower"] if wb and wb["certified"] else None
            numeric["min_width_bracket"] = [wb["lower"], wb["upper"]] if wb else None
        certificate = {
            "global_optimum": c.global_optimum,
            "all_minima_abstract": ab["all_minima_abstract"],
            "method": ("exact rational bracket: network loss (upper) and the scaled residual as "
                       "dual point, |Lambda X~^T|_2 <= sqrt(lam1 lam2) checked exactly (lower)"),
            "witness": {"upper": str(c.upper), "lower": str(c.lower), "rel_gap": c.rel_gap,
                        "tolerance": cert_mod.CERT_REL_GAP,
                        "all_minima_reason": ab["reason"],
                        "abstraction_witness": ab.get("witness"),
                        "seconds": round(time.perf_counter() - t0, 3), "certificate": c.data}}
    ps = _ps(H, Y) if ps_defined(Y) and sol.W.shape[0] else None
    return {"numeric": numeric, "certificate": certificate, "checks": checks, "ps": ps,
            "notes": []}


def symmetric_answer(dY, n, lam1, lam2, bias) -> dict:
    s = solve_hypercube(dY, n, lam1, lam2, bias=bias)
    P = s.P
    kern = {"form": "b * (c * J + K_Y)", "b": s.b, "c": dY, "P": P, "dense": None,
            "unique": bool(s.bias)}
    neurons = {"description": ("sqrt(b/2) (1 +- v_i) (x) 1_n, i = 1..dY" if s.active
                               else "none (silent network)"), "width": 2 * dY if s.active else 0,
               "min_width": s.min_width}
    if P <= DENSE_OUTPUT_MAX_P:
        Y = hypercube(dY, n).Y
        kern["dense"] = (s.b * (dY * np.ones((P, P)) + Y.T @ Y)).tolist()
        if s.active:
            V = Y
            neurons["patterns"] = [(np.sqrt(s.b / 2) * (1 + sg * V[i])).tolist()
                                   for i in range(dY) for sg in (1.0, -1.0)]
    numeric = {"energy": s.energy, "kernel": kern, "neurons": neurons,
               "seconds": round(s.seconds, 3), "method": "hypercube symmetry reduction "
               "(Bose-Mesner LP + exact primal)"}
    certificate = {
        "global_optimum": bool(s.exact_match),
        "all_minima_abstract": s.all_minima_abstract,
        "method": ("symmetry reduction: Lambda* = kappa Y; T(kappa*) = N + PSD with N >= 0 from an "
                   "exact LP over Krawtchouk eigenvalues; half-cube primal with E = D(kappa* Y) "
                   "exactly (sympy)"),
        "witness": {"kappa2": str(s.kappa2), "nu": [str(v) for v in s.nu],
                    "level_gaps": [str(g) for g in s.gaps], "energy_exact": str(s.energy_expr),
                    "b_exact": str(s.b_expr), "all_minima_reason": s.abstraction_reason,
                    "abstraction_witness": s.witness, **s.checks}}
    # every optimal kernel has PS = 1 when all minima are abstract (exact: identical coding vectors)
    ps = [1.0] * dY if (s.active and dY >= 2 and s.all_minima_abstract) else None
    return {"numeric": numeric, "certificate": certificate, "checks": [], "ps": ps, "sym": s}


def solve_instance(inst: dict, task=None, *, certify: bool = True) -> dict:
    """Certified numeric answer for a validated instance (see module docstring)."""
    notes = []
    act = inst.get("activation")
    if (act in LIPSCHITZ_ACTIVATIONS and inst.get("depth", 1) == 1 and inst.get("task") == "hypercube"
            and inst.get("inputs") == "whitened" and inst.get("n") == 1 and inst.get("bias")):
        return hypercube_answer(act, inst["dY"], inst["lam1"], inst["lam2"], task=task)
    if act not in ("relu", "linear") or inst.get("depth", 1) != 1:
        notes = [f"certified solver covers ReLU and linear (one hidden layer, any data) and "
                 f"{', '.join(LIPSCHITZ_ACTIVATIONS)} on the hypercube task (whitened inputs, bias, "
                 f"n = 1) only; got activation={act!r}, depth={inst.get('depth')!r}"]
        if act == "relu2":
            notes.append("relu2 is neither Lipschitz nor positively 1-homogeneous: a neuron's mass "
                         "and scale cannot be traded, the free-mass relaxation is degenerate "
                         "(A.threshold.power), so duality gives no useful lower bound; on the "
                         "hypercube dense networks beat every tuned network (A.threshold.power)")
        elif act in LIPSCHITZ_ACTIVATIONS:
            notes.append(f"{act} is not positively 1-homogeneous: off the hypercube setting of "
                         f"A.odd / A.threshold the network problem is not convex over measures "
                         f"and no certified bound is available here")
        return {"numeric": None, "certificate": None, "checks": [], "ps": None, "notes": notes}
    lam1, lam2, bias = inst["lam1"], inst["lam2"], inst["bias"]
    if inst.get("activation") == "linear":
        if task is None:
            return {"numeric": None, "certificate": None, "checks": [], "ps": None,
                    "notes": [f"instance too large to build (P = {inst.get('P')})"]}
        return linear_answer(task, lam1, lam2, certify=certify)
    if inst.get("task") == "hypercube" and inst.get("inputs") == "whitened" and inst["dY"] <= SYM_MAX_DY:
        try:
            out = symmetric_answer(inst["dY"], inst["n"], lam1, lam2, bias)
        except SymmetryError as exc:
            out = None
            notes.append(f"symmetric reduction failed ({exc}); falling back to the dense solver")
        if out is not None:
            sym = out.pop("sym")
            if certify and inst["P"] <= DENSE_CROSSCHECK_MAX_P:
                t = task if task is not None else hypercube(inst["dY"], inst["n"], bias=bias)
                dense = dense_answer(t.X, t.Y, lam1, lam2, bias)
                br = dense["bracket"] or {}
                ok = "lower" in br and _in_bracket(sym.energy, br)
                out["checks"] += dense["checks"]
                out["checks"].append(_check(
                    "dense certified bracket contains the symmetric optimum", ok,
                    f"symmetric {sym.energy:.16g}; dense bracket [{_f(br.get('lower'))}, "
                    f"{_f(br.get('upper'))}]"))
                out["certificate"]["witness"]["dense_crosscheck"] = {
                    k: br.get(k) for k in ("upper", "lower", "rel_gap")}
                if not ok:
                    out["certificate"]["global_optimum"] = False
                dense_ab = (dense["certificate"] or {}).get("all_minima_abstract")
                if sym.all_minima_abstract is not None and dense_ab is not None:
                    agree = dense_ab == sym.all_minima_abstract
                    out["checks"].append(_check(
                        "dense outputs test agrees with the exact all-minima answer", agree,
                        f"symmetric {sym.all_minima_abstract}, dense {dense_ab}"))
                    if not agree:
                        out["certificate"]["all_minima_abstract"] = None
            out["notes"] = notes
            return out
    fam = inst.get("inputs")
    if (inst.get("task") == "hypercube" and fam in FAMILY_COVERED and bias and inst.get("n") == 1
            and family_theorem_applies(fam, inst["input_params"]) and inst["P"] > AFFINE_MAX_P):
        # proved for every dY by the Walsh certificates: no dense solve (impractical from dY = 4)
        out = family_answer(inst["dY"], fam, inst["input_params"], lam1, lam2)
        out["notes"] = notes
        return out
    if (inst.get("task") == "hypercube" and bias and inst.get("n") == 1 and fam in INPUT_FAMILIES
            and walsh_covers(fam, inst["input_params"], inst["dY"])):
        # anisotropic / interaction (eta > 1) beyond P = 8: exact Walsh-block certificates
        out = walsh_family_answer(inst["dY"], fam, inst["input_params"], lam1, lam2)
        if out is not None:
            out["notes"] = notes
            return out
        notes.append("no Walsh-block certificate was found for these inputs (a sufficient "
                     "relaxation; e.g. interaction inputs with eta = 2 at dY = 9, 10 are out of "
                     "its reach); falling back to the dense solver")
    if task is None or task.Y.shape[1] > MAX_P_LOW_RANK:
        return {"numeric": None, "certificate": None, "checks": [], "ps": None,
                "notes": notes + [f"instance too large for the dense solver (P = {inst.get('P')} "
                                  f"> {MAX_P if task is None else MAX_P_LOW_RANK}) and not "
                                  "covered by the symmetry reduction" + (
                                      f" (Walsh-block certificates are attempted up to dY = "
                                      f"{WALSH_ANISO_MAX_DY} for anisotropic and "
                                      f"{WALSH_SYM_MAX_DY} for interaction inputs)"
                                      if fam in INPUT_FAMILIES else "")]}
    out = dense_answer(task.X, task.Y, lam1, lam2, bias, certify=certify)
    out.pop("bracket", None)
    if (out["certificate"] is not None and bias and inst.get("task") == "hypercube"
            and inst.get("inputs") in INPUT_FAMILIES):
        _inputs_all_minima(out, inst, lam1, lam2)
    out["notes"] = notes
    return out


def _inputs_all_minima(out: dict, inst: dict, lam1, lam2) -> None:
    """Hypercube task with target-aligned / anisotropic / interaction inputs: decide "every global
    minimum abstract" by the all-dY theorem where it applies (numeric.solver.inputs_family), by an
    exact non-abstract optimum where it does not (numeric.solver.symmetric_witness), and by the
    exact zero set over all sign patterns (numeric.solver.affine_minima); these and the dense
    outputs test must not disagree (a disagreement is a failed check and a null answer)."""
    fam, params = inst["inputs"], inst["input_params"]
    cert = out["certificate"]
    w = cert["witness"]
    # the all-dY answer: the theorem (true), or an exact non-abstract optimum (false)
    proof, why = None, ""
    if family_theorem_applies(fam, params):
        active = closed_form(inst["dY"], fam, params, lam1, lam2).scales[0] > 0
        proof, why = family_all_minima(fam, params, active)
    if proof is not True:
        atoms = (out["numeric"] or {}).get("neurons", {}).get("patterns") or []
        refuted = refute_family(inst["dY"], fam, params, lam1, lam2, atoms)
        if refuted is not None:
            proof, why = refuted
    d = decide_inputs_family(inst["dY"], fam, params, lam1, lam2) if proof is not False else None
    exact = d.all_minima_abstract if d is not None else None
    answers = [a for a in (proof, exact, cert["all_minima_abstract"]) if a is not None]
    if not answers:
        w["all_minima_reason"] += "; exact zero-set route: " + (
            d.reason if d is not None else f"needs P <= {AFFINE_MAX_P}")
        return
    agree = len(set(answers)) == 1
    out["checks"].append(_check(
        "all-minima decisions agree (theorem, exact zero set, outputs)", agree,
        f"theorem/exact optimum {proof}, zero set {exact}, outputs test {cert['all_minima_abstract']}"))
    if not agree:
        cert["all_minima_abstract"] = None
        return
    cert["all_minima_abstract"] = answers[0]
    if proof is True and out["numeric"] is not None:
        # L.inputs.all-minima: the zero set is the 2 dY closed-form rays with forced weights
        out["numeric"]["min_width"] = 2 * inst["dY"]
    if proof is not None:
        w["all_minima_reason"] = why + ("; the exact zero set over all sign patterns agrees "
                                        f"({d.kernels} kernels)" if exact is not None else "")
    elif exact is not None:
        w["all_minima_reason"] = (d.reason + f" (L.solver.affine-minima: the closed form of "
                                             f"A.inputs.{fam} and its rational dual A)")
    if d is not None:
        w["abstraction_witness"] = {"orbits": d.orbits, "zero_kernels": d.kernels}


def _f(x):
    if x is None:
        return "-"
    from fractions import Fraction
    return f"{float(Fraction(x)):.16g}"


def _in_bracket(value: float, br: dict) -> bool:
    from fractions import Fraction
    lo, hi = float(Fraction(br["lower"])), float(Fraction(br["upper"]))
    return lo * (1 - CF_REL) - 1e-300 <= value <= hi * (1 + CF_REL) + 1e-300


def closed_form_checks(cf: dict | None, answer: dict) -> list[dict]:
    """The closed form (when one applies) must agree with the certified numeric optimum."""
    if cf is None or answer.get("numeric") is None:
        return []
    cert = answer.get("certificate") or {}
    w = cert.get("witness") or {}
    E = float(cf["energy"])
    if "lower" in w and "upper" in w:
        ok = _in_bracket(E, w)
        return [_check(f"closed form {cf.get('claim')} within the certified bracket", ok,
                       f"closed form {E:.16g}; bracket [{_f(w['lower'])}, {_f(w['upper'])}]")]
    num = float(answer["numeric"]["energy"])
    ok = abs(E - num) <= CF_REL * max(abs(num), 1e-300) * 10
    return [_check(f"closed form {cf.get('claim')} equals the certified optimum", ok,
                   f"closed form {E:.16g}; certified {num:.16g} (exact: {w.get('energy_exact')})")]
