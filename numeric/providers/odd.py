"""Provider: odd (or odd + constant) Lipschitz activations, whitened hypercube with bias, n = 1,
one hidden layer (``A.odd``; tanh's infimum from ``A.odd.width``)."""
from __future__ import annotations

import numpy as np

from numeric.activations import properties
from numeric.closed_forms import PS_NUMERIC_MAX_DY, provider, structured_kernel
from numeric.odd import closed_form, covers
from numeric.parallelism import parallelism_score
from numeric.tasks import sign_vectors

NEED = {"task": "hypercube", "bias": True, "n": 1, "depth": 1, "inputs": "whitened"}


def _ps(dY: int, b: float, c: float):
    """PS per variable of the affine code r(y) = (sqrt(c), sqrt(b) y) whose Gram matrix is
    c J + b K_Y (PS depends on the code only through its Gram matrix)."""
    Y = sign_vectors(dY)
    R = np.vstack([np.sqrt(c) * np.ones((1, Y.shape[1])), np.sqrt(b) * Y])
    return parallelism_score(R, Y, per_variable=True)


@provider(priority=40)
def odd_whitened_bias_n1(inst: dict):
    act = inst.get("activation")
    why = covers(act)
    miss = [f"{k}={inst.get(k)!r} (needs {v!r})" for k, v in NEED.items() if inst.get(k) != v]
    if why:
        miss.insert(0, why)
    if miss:
        return None, "A.odd: " + ", ".join(miss)
    cf = closed_form(act, inst["dY"], inst["lam1"], inst["lam2"])
    kernel = structured_kernel(cf.b, cf.dY, constant=0.0)
    if cf.offset:
        kernel.update({"form": "b * K_Y + phi(0)^2 * M * J (M = width; the J term costs nothing "
                               "and leaves the energy unchanged)", "c": None, "dense": None,
                       "phi0": cf.offset})
    out = {"claim": cf.claim if cf.attained else "A.odd.width", "energy": cf.energy,
           "kernel_scale": cf.b, "kernel": kernel, "active": cf.active, "attained": cf.attained,
           "lipschitz": cf.L}
    if not cf.active:
        out.update({"neurons": "none (silent network)", "ps": None,
                    "ps_method": "undefined: silent network"})
        return out, ""
    if cf.attained:
        z_lin = properties(act).linear_up_to
        out["neurons"] = (f"beta v_i with |beta| <= {z_lin:g}, {cf.width // cf.dY} per "
                          f"variable (width {cf.width} suffices)"
                          + ("; +- pairs so that phi(0) adds only a J term" if cf.offset else ""))
        out["width"] = cf.width
    else:
        out["neurons"] = ("beta v_i with beta -> 0 and N tanh(beta)^2 -> b per variable: the "
                          "energy is the infimum over widths (M -> infinity), never attained; "
                          "finite M adds about (2/3) lam1 P b^2 dY^2 / M")
        out["energy_kind"] = "infimum over widths"
    if 2 <= cf.dY <= PS_NUMERIC_MAX_DY:
        out["ps"], out["ps_method"] = _ps(cf.dY, cf.b, 1.0 if cf.offset else 0.0), "numeric"
    elif cf.dY == 1:
        out["ps"], out["ps_method"] = None, "undefined: dY = 1"
    else:
        out["ps"], out["ps_method"] = [1.0] * cf.dY, "analytic: K = b K_Y + c J is an affine code"
    return out, ""
