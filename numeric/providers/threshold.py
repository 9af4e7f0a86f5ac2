"""Provider: Lipschitz threshold-like activations with attained gain (clipped-relu; relu is
answered first by the A.relu.whitened provider), whitened hypercube with bias, n = 1, one hidden
layer (``A.threshold``). relu2 is declined with the reason (``A.threshold.power``)."""
from __future__ import annotations

from numeric.closed_forms import PS_NUMERIC_MAX_DY, provider, ps_of_patterns, structured_kernel
from numeric.threshold import closed_form, covers, optimal_neurons

NEED = {"task": "hypercube", "bias": True, "n": 1, "depth": 1, "inputs": "whitened"}


@provider(priority=45)
def threshold_whitened_bias_n1(inst: dict):
    act = inst.get("activation")
    why = covers(act)
    miss = [f"{k}={inst.get(k)!r} (needs {v!r})" for k, v in NEED.items() if inst.get(k) != v]
    if why:
        miss.insert(0, why)
    if miss:
        return None, "A.threshold: " + ", ".join(miss)
    cf = closed_form(act, inst["dY"], inst["lam1"], inst["lam2"])
    out = {"claim": cf.claim, "energy": cf.energy, "kernel_scale": cf.b,
           "kernel": structured_kernel(cf.b, cf.dY), "active": cf.active, "lipschitz": cf.L,
           "global_optimality": "inherited from the ReLU problem: certified exactly for dY = 2, 3 "
                                "(A.kkt)"}
    if not cf.active:
        out.update({"neurons": "none (silent network)", "ps": None,
                    "ps_method": "undefined: silent network"})
        return out, ""
    out["neurons"] = (f"alpha (1 +- v_i) with 2 alpha <= {cf.z_lin:g}, {cf.per_group} per signed "
                      f"group (width {cf.width} suffices)")
    out["width"] = cf.width
    if cf.dY == 1:
        out["ps"], out["ps_method"] = None, "undefined: dY = 1"
    elif cf.dY <= PS_NUMERIC_MAX_DY:
        # the clipped units stay in their linear range, so ReLU of the patterns is the code
        out["ps"], out["ps_method"] = ps_of_patterns(optimal_neurons(cf), cf.dY), "numeric"
    else:
        out["ps"] = [1.0] * cf.dY
        out["ps_method"] = "analytic: the neurons alpha(1 +- y_i) make the code affine in y"
    return out, ""
