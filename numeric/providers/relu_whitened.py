"""Provider: ReLU, whitened hypercube inputs with bias, n = 1, one hidden layer (A.relu.whitened)."""
from __future__ import annotations

from numeric.closed_forms import PS_NUMERIC_MAX_DY, provider, ps_of_patterns, structured_kernel, unmet
from numeric.relu_whitened import closed_form, optimal_neurons


@provider(priority=10)
def relu_whitened_bias_n1(inst: dict):
    need = {"task": "hypercube", "activation": "relu", "bias": True, "n": 1, "depth": 1,
            "inputs": "whitened"}
    miss = unmet(inst, need)
    if miss:
        return None, "A.relu.whitened: " + ", ".join(miss)
    cf = closed_form(inst["dY"], inst["lam1"], inst["lam2"])
    out = {"claim": cf.claim, "energy": cf.energy, "kernel_scale": cf.b,
           "kernel": structured_kernel(cf.b, cf.dY), "active": cf.active,
           "neurons": "sqrt(b/2) (1 +- v_i), i = 1..dY" if cf.active else "none (silent network)"}
    if not cf.active:
        out["ps"], out["ps_method"] = None, "undefined: silent network"
    elif inst["dY"] <= PS_NUMERIC_MAX_DY:
        out["ps"], out["ps_method"] = ps_of_patterns(optimal_neurons(cf.dY, cf.b), cf.dY), "numeric"
    else:
        out["ps"] = [1.0] * cf.dY
        out["ps_method"] = "analytic: the neurons sqrt(b/2)(1 +- y_i) make the code affine in y"
    return out, ""
