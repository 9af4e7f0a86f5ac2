r"""Certified answers for hypercube tasks with anisotropic inputs, or interaction inputs with
eta > 1, for 2^dY > 8 samples (dY = 4 .. MAX_DY), from exact Walsh-block certificates: no dense
solve (whose fans took > 40 min at dY = 4 before the cell ascent; 12.5 min with it, measured
once on gammas (2, 3, 4, 5), which this route now answers in ~1 s) and no 3^P sign-pattern
enumeration.

Setting: ReLU with the bias, n = 1, inputs of :mod:`numeric.inputs` (flip-invariant K_X), any
lam1, lam2 > 0 taken as exact rationals.

* ``anisotropic`` -- the abstract closed form of ``A.inputs.anisotropic`` (paper A) is checked to
  be a global minimum by a Walsh-block certificate of its rational dual matrix A = sum_i lam1
  c_i/(P^2 lam2) v_i v_i^T (:mod:`numeric.solver.affine_minima`), vanishing on its neurons: weak
  duality then makes its energy, which equals the dual value sum_i P (2 kappa_i - kappa_i^2)
  (symbolic identity, kappa_i^2 = lam1 lam2 c_i / P^2), a lower bound for every network. When the
  certificate's blocks of degree >= 2 are positive definite, every optimal neuron is affine in
  the labels: every global minimum is abstract (PS = 1).
* ``interaction`` (eta > 1, dY <= 10 where the certificate exists: every eta > 1 tried up to
  dY = 8; at dY = 9, 10 for eta up to ~1.80 and ~1.66, None beyond) -- an exact non-abstract
  global minimum: the pair
  conjunctions 1{y_i = s, y_j = t} with equal weights, their ratio rho certified by a Walsh-block
  certificate reduced by the cube symmetry (:mod:`numeric.solver.walsh_symmetric`): E* = dY P
  kappa (2 - kappa), kappa^2 = lam1 lam2 / rho (the silent network, E = dY P, when lam1 lam2 >=
  rho), and every global minimum abstract is refuted.

Checks (each a failed check, never hidden, if it disagrees): the mean-field energy / network
loss of the returned neurons evaluated from the definition (float64) equals E* to 1e-10; the
certificate re-verifies from its JSON.

Known limits (measured): the certificate is a doubly-non-negative relaxation, so it is
sufficient only, and the exact rounding needs blocks that are either positive definite or
singular with a rational null vector. For anisotropic inputs a certificate with positive definite
blocks of degree >= 2 (every minimum abstract) is found when every gamma_i <= 1 (the low regime:
the closed form's neurons are non-negative), when all gammas are equal, and in mixed cases such
as (0, 1/2, 2, 1). With two high-regime variables (gamma > 1) beside a different one -- (0, 2, 2,
1/2), (0, 1/2, 2, 5), (2, 3, 1/2, 1/2), (2, 3, 4, 5) -- only a certificate with singular blocks of
degree >= 2 is found (for (2, 3, 4, 5) only once the blocks the zeros leave free may be singular
too: :func:`numeric.solver.walsh_certificate.certify`); the answer then comes from that
certificate's exact zero set (:mod:`numeric.solver.walsh_zeros`: ker S of dimension 7 to 22,
< 0.2 s up to dY = 8 on the instances tried), which held only the closed form's affine neurons on
every such instance tried, so every minimum is abstract there too (null if a non-affine zero
were found). When no certificate is found at all (the relaxation is only sufficient; none of the
instances measured in benchmarks/solver/README.md), the answer is None and the caller falls
back to the dense solver.
"""
from __future__ import annotations

import json
import time
from fractions import Fraction

import numpy as np

from numeric.energy import meanfield_energy, network_loss, optimal_readout
from numeric.inputs import closed_form, inputs
from numeric.parallelism import parallelism_score
from numeric.solver import rational as rq
from numeric.solver.affine_minima import closed_form_dual, walsh_all_minima
from numeric.solver.walsh_certificate import WalshCertificate, verify
from numeric.solver.walsh_zeros import decide as decide_zeros
from numeric.tasks import augment, sign_vectors

#: largest dY attempted for anisotropic inputs (P = 256: the flip-only certificate in ~10 s);
#: interaction inputs go to numeric.solver.walsh_symmetric.MAX_DY.
#: dense kernels and neuron patterns are printed up to this P.
DENSE_OUTPUT_MAX_P = 64
MAX_DY = 8
#: relative agreement required between E* and the returned neurons' energy from the definition.
ENERGY_REL = 1e-10


def covers(family: str, params: dict, dY: int) -> bool:
    from numeric.solver.walsh_symmetric import MAX_DY as SYM_MAX_DY
    return 2 ** dY > 8 and ((family == "anisotropic" and dY <= MAX_DY) or
                            (family == "interaction" and params.get("eta", 0) > 1 and dY <= SYM_MAX_DY))


def _exact(params: dict) -> dict:
    return {k: ([Fraction(x) for x in v] if isinstance(v, (list, tuple)) else Fraction(v))
            for k, v in params.items()}


def _check(name, ok, detail):
    return {"name": name, "ok": bool(ok), "detail": detail}


def _recheck(cert: WalshCertificate) -> dict:
    ok, why, singular = verify(WalshCertificate.from_json(cert.to_json()))
    return _check("Walsh-block certificate re-verifies from its JSON (exact)", ok,
                  f"{why}; singular blocks {list(singular)}")


def answer(dY: int, family: str, params: dict, lam1: float, lam2: float) -> dict | None:
    """The certified answer, or None when no certificate is found (module docstring)."""
    if not covers(family, params, dY):
        raise ValueError(f"`family` must be anisotropic (4 <= dY <= {MAX_DY}) or interaction with "
                         f"eta > 1 (4 <= dY <= the symmetric route's limit); got {family!r}, "
                         f"{params!r}, dY = {dY}")
    t0 = time.perf_counter()
    out = _anisotropic(dY, params, lam1, lam2) if family == "anisotropic" else \
        _interaction(dY, params, lam1, lam2)
    if out is not None:
        out["numeric"]["seconds"] = round(time.perf_counter() - t0, 3)
    return out


def _anisotropic(dY, params, lam1, lam2):
    d = closed_form_dual(dY, "anisotropic", params, lam1, lam2)
    if isinstance(d, str):
        return None                     # a silent variable, or the closed form is not optimal
    A1 = d.A * rq.q(d.lam2 / d.lam1)
    # one search: its margin is maximised on every block the zeros leave free, so when blocks of
    # degree >= 2 can be positive definite they are (a separate strict search cost 2x the time)
    cert, ab, reason, z = walsh_all_minima(d.Q, A1, d.Y, d.zeros)
    if cert is None:
        return None
    P = d.Y.shape[1]
    cf = closed_form(dY, "anisotropic", params, lam1, lam2)
    Yf = sign_vectors(dY)
    Xt = augment(inputs(dY, "anisotropic", params), True)
    H = cf.patterns()
    W = H @ np.linalg.pinv(Xt)
    W2 = optimal_readout(np.maximum(W @ Xt, 0), Yf, lam2)
    loss = network_loss(W, W2, Xt, Yf, lam1, lam2)
    checks = [_check("network loss of the closed-form neurons equals E*",
                     abs(loss - cf.energy) <= ENERGY_REL * cf.energy,
                     f"network {loss:.16g}, closed form {cf.energy:.16g}"), _recheck(cert)]
    zero_set = None if z is None else {
        "dim_ker_S": z.dim, "rays_enumerated": z.rays, "admissible": len(z.admissible),
        "non_affine": [list(u) for u in z.non_affine[:4]]}
    if z is not None:
        # the answer rests on the zero set: recompute it from the certificate's JSON
        again = decide_zeros(WalshCertificate.from_json(cert.to_json()), d.Q, A1, d.Y)[0]
        checks.append(_check("zero set recomputed from the certificate's JSON gives the same "
                             "all-minima answer (exact)", again == ab, f"{again} vs {ab}"))
    if ab is None:
        reason += " (the optimum is still certified)"
    numeric = {"energy": float(cf.energy),
               "kernel": {"form": "sum_i b_i (J + v_i v_i^T)", "b": [float(b) for b in cf.scales],
                          "P": P, "dense": cf.kernel().tolist() if P <= DENSE_OUTPUT_MAX_P else None,
                          "unique": None},
               "neurons": {"description": "x_i 1 +- z_i v_i per latent variable", "width": 2 * dY,
                           "patterns": H.tolist() if P <= DENSE_OUTPUT_MAX_P else None},
               "min_width": None, "method": "closed form of A.inputs.anisotropic (no dense solve)"}
    certificate = {"global_optimum": all(c["ok"] for c in checks), "all_minima_abstract": ab,
                   "method": ("exact Walsh-block certificate of the closed form's rational dual "
                              "(numeric.solver.walsh_certificate): V >= 0 for every u, zero gap"),
                   "witness": {"all_minima_reason": reason, "walsh": json.loads(cert.to_json()),
                               "claims": ["A.inputs.anisotropic", "L.solver.walsh"]}}
    if zero_set is not None:
        certificate["witness"]["zero_set"] = zero_set
    return {"numeric": numeric, "certificate": certificate, "checks": checks,
            "ps": [1.0] * dY if ab else None}


def _interaction(dY, params, lam1, lam2):
    from numeric.solver.walsh_symmetric import (SymmetricCertificate, best_conjunctions,
                                                certify_symmetric, not_parallel_contexts,
                                                orbit_patterns, verify_symmetric, walsh_degrees)
    P = 2 ** dY
    q = walsh_degrees(dY, "interaction", _exact(params))
    rho, zeros = best_conjunctions(dY, q)
    a = [Fraction(0)] * (dY + 1)
    a[1] = Fraction(P) / rho
    cert, _why = certify_symmetric(dY, q, a, zeros)
    conj = [z for z in zeros if z[0] >= 2]
    if cert is None or not conj:
        return None
    ok, why, singular = verify_symmetric(SymmetricCertificate.from_dict(
        json.loads(json.dumps(cert.to_dict()))))
    checks = [_check("Walsh-block certificate (reduced by symmetry) re-verifies from its JSON "
                     "(exact)", ok, f"{why}; singular degrees {list(singular)}")]
    Yf = sign_vectors(dY)
    Xt = augment(inputs(dY, "interaction", params), True)
    pats = np.array([[float(v) for v in h] for h in orbit_patterns(dY, *conj[0])])
    if not lam1 * lam2 < float(rho):
        numeric = {"energy": float(dY * P), "kernel": {"dense": None, "unique": True},
                   "neurons": {"description": "none (silent network)", "width": 0},
                   "min_width": 0, "method": "Walsh-block certificate (silent regime)"}
        ab, reason, ps = None, "undefined: the optimum is the silent network (PS undefined)", None
        E = float(dY * P)
    else:
        kappa = float(np.sqrt(lam1 * lam2 / float(rho)))
        E = dY * P * kappa * (2 - kappa)
        R = np.maximum(pats, 0)
        lam_1 = float(Yf[0] @ (R.T @ (R @ Yf[0]))) / P          # Y K~ = lam_1 Y (invariant K~)
        c = lam2 * (1 - kappa) / kappa / lam_1
        Hm = np.sqrt(c) * pats
        Em = meanfield_energy(Hm, Xt, Yf, lam1, lam2)
        checks.append(_check("mean-field energy of the returned measure equals E* = dY P kappa "
                             "(2 - kappa)", abs(Em - E) <= ENERGY_REL * E,
                             f"measure {Em:.16g}, dual value {E:.16g}"))
        ps = parallelism_score(np.maximum(Hm, 0), Yf, per_variable=True)
        where = not_parallel_contexts(dY, orbit_patterns(dY, *conj[0]))
        ab = False if where is not None else None
        reason = (f"refuted: the {len(pats)} pair conjunctions 1{{y_i = s, y_j = t}} with equal "
                  f"weights are a global minimum with PS = {float(np.mean(ps)):.6f} < 1 (coding "
                  f"vectors of variable 0 in contexts {where[1]} and {where[2]} have cosine < 1, "
                  f"exactly); rho = {rho} certified by a Walsh-block certificate reduced by the "
                  f"cube symmetry" if where is not None else
                  "not decided: the optimal measure's coding vectors are parallel")
        numeric = {"energy": E, "kernel": {"dense": (np.maximum(Hm, 0).T @ np.maximum(Hm, 0)).tolist()
                                           if P <= DENSE_OUTPUT_MAX_P else None, "unique": False},
                   "neurons": {"description": "pair conjunctions 1{y_i = s, y_j = t} (exact)",
                               "width": len(Hm),
                               "patterns": Hm.tolist() if P <= DENSE_OUTPUT_MAX_P else None},
                   "min_width": None, "method": "exact non-abstract optimum (walsh_symmetric)"}
    certificate = {"global_optimum": all(ch["ok"] for ch in checks), "all_minima_abstract": ab,
                   "method": ("exact Walsh-block certificate of sup |Y u_+|^2 / u^T Q u = rho, "
                              "reduced by the cube symmetry to dY + 1 blocks "
                              "(numeric.solver.walsh_symmetric), Lambda* = kappa Y by symmetry"),
                   "witness": {"all_minima_reason": reason, "rho": str(rho),
                               "walsh": cert.to_dict(),
                               "claims": ["A.inputs.interaction", "L.solver.walsh"]}}
    return {"numeric": numeric, "certificate": certificate, "checks": checks, "ps": ps}
