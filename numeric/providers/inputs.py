"""Provider: ReLU hypercube task (n = 1, bias) with aligned / anisotropic / interaction inputs
(A.inputs.aligned, A.inputs.anisotropic, A.inputs.interaction).

Reads ``inst["inputs"]`` in {"aligned", "anisotropic", "interaction"} and
``inst["input_params"]`` = {"gamma": g} / {"gammas": [g_1, ..]} / {"eta": e}; the CLI options that
set them are the lead's (see the issue #3 report). Whitened inputs are left to the other providers.
"""
from __future__ import annotations

import numpy as np

from numeric.closed_forms import DENSE_KERNEL_MAX_P, PS_NUMERIC_MAX_DY, provider, unmet
from numeric.inputs import FAMILIES, closed_form
from numeric.parallelism import parallelism_score
from numeric.tasks import sign_vectors
from numeric.validation import InputError


@provider(priority=22)
def relu_input_geometry(inst: dict):
    fam = inst.get("inputs")
    if fam not in FAMILIES:
        return None, f"A.inputs.*: inputs={fam!r} (needs one of {list(FAMILIES)})"
    need = {"task": "hypercube", "activation": "relu", "bias": True, "n": 1, "depth": 1}
    miss = unmet(inst, need)
    if miss:
        return None, f"A.inputs.{fam}: " + ", ".join(miss)
    dY = inst["dY"]
    try:
        cf = closed_form(dY, fam, dict(inst.get("input_params") or {}), inst["lam1"], inst["lam2"])
    except InputError as exc:
        if fam == "interaction" and "no closed form" in str(exc):
            return None, f"A.inputs.interaction: {exc}"
        raise
    P = 2 ** dY
    out = {"claim": cf.claim, "energy": cf.energy, "code": cf.code}
    if cf.code == "conjunctive":
        out["kernel_scale"] = cf.scales[0]
        out["kernel"] = {"form": "mu * I", "mu": cf.scales[0], "P": P,
                         "dense": (cf.kernel().tolist() if P <= DENSE_KERNEL_MAX_P else None)}
        out["neurons"] = "sqrt(mu) (e_y - beta * neighbours of y), one per class"
    elif cf.code == "silent" or all(b <= 0 for b in cf.scales):
        out["kernel_scale"], out["kernel"], out["neurons"] = 0.0, None, "none (silent network)"
    else:
        uniform = len(set(cf.scales)) == 1
        out["kernel_scale"] = cf.scales[0] if uniform else list(cf.scales)
        out["kernel"] = ({"form": "b * (c * J + K_Y)", "b": cf.scales[0], "c": dY, "P": P}
                         if uniform else {"form": "sum_i b_i (J + v_i v_i^T)", "b": list(cf.scales), "P": P})
        out["kernel"]["dense"] = cf.kernel().tolist() if P <= DENSE_KERNEL_MAX_P else None
        out["neurons"] = ("x_i 1 +- z_i v_i with x_i/z_i = " + ", ".join(f"{r:.6g}" for r in cf.silent_ratio)
                          + " (< 1: the silent half is inhibited)")
    if dY < 2 or cf.code == "silent" or any(b <= 0 for b in cf.scales[:1 if cf.code == "conjunctive" else dY]):
        out["ps"] = None            # a silent variable: its coding vectors vanish, PS undefined
    elif dY <= PS_NUMERIC_MAX_DY:
        out["ps"] = parallelism_score(np.maximum(cf.patterns(), 0), sign_vectors(dY), per_variable=True)
    else:
        out["ps"] = [1.0] * dY if cf.code == "abstract" else None
    return out, ""
