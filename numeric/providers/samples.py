"""Provider: ReLU, whitened hypercube inputs with bias, any n >= 1 (A.relu.whitened.n)."""
from __future__ import annotations

import numpy as np

from numeric.closed_forms import DENSE_KERNEL_MAX_P, PS_NUMERIC_MAX_DY, provider, unmet
from numeric.parallelism import parallelism_score
from numeric.samples import closed_form, optimal_neurons
from numeric.tasks import hypercube_targets


def repeated_kernel(scale: float, dY: int, n: int) -> dict:
    """b (dY J + K_Y) for the n-fold repeated hypercube; dense only when P is small."""
    P = n * 2 ** dY
    dense = None
    if P <= DENSE_KERNEL_MAX_P:
        Y = hypercube_targets(dY, n)
        dense = (scale * (dY * np.ones((P, P)) + Y.T @ Y)).tolist()
    return {"form": "b * (c * J + K_Y)", "b": scale, "c": dY, "P": P, "dense": dense,
            "order": "class-major: the 2^dY sign vectors in itertools.product order, each n times"}


def answer(cf, inst, neurons_text):
    out = {"claim": cf.claim, "energy": cf.energy, "kernel_scale": cf.b,
           "kernel": repeated_kernel(cf.b, cf.dY, cf.n), "active": cf.active,
           "neurons": neurons_text if cf.active else "none (silent network)"}
    if not cf.active or cf.dY < 2:
        out["ps"], out["ps_method"] = None, ("undefined: silent network" if not cf.active
                                             else "undefined: PS needs dY >= 2")
    elif cf.dY <= PS_NUMERIC_MAX_DY and cf.P <= 4096:
        R = np.maximum(optimal_neurons(cf.dY, cf.n, cf.b), 0)
        out["ps"] = parallelism_score(R, hypercube_targets(cf.dY, cf.n), per_variable=True)
        out["ps_method"] = "numeric"
    else:
        out["ps"] = [1.0] * cf.dY
        out["ps_method"] = "analytic: the neurons sqrt(b/2)(1 +- y_i) make the code affine in y"
    return out


@provider(priority=20)
def relu_whitened_bias_n(inst: dict):
    need = {"task": "hypercube", "activation": "relu", "bias": True, "depth": 1,
            "inputs": "whitened"}
    miss = unmet(inst, need)
    if not isinstance(inst.get("n"), int) or inst.get("n") < 1:
        miss.append(f"n={inst.get('n')!r} (needs an integer >= 1)")
    if miss:
        return None, "A.relu.whitened.n: " + ", ".join(miss)
    cf = closed_form(inst["dY"], inst["n"], inst["lam1"], inst["lam2"])
    return answer(cf, inst, "sqrt(b/2) (1 +- v_i), i = 1..dY, constant on each class"), ""
