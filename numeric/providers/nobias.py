"""Provider: ReLU, whitened hypercube inputs without the bias row, any n >= 1 (A.relu.nobias)."""
from __future__ import annotations

from numeric.closed_forms import provider, unmet
from numeric.nobias import closed_form
from numeric.providers.samples import answer


@provider(priority=21)
def relu_whitened_nobias(inst: dict):
    need = {"task": "hypercube", "activation": "relu", "bias": False, "depth": 1,
            "inputs": "whitened"}
    miss = unmet(inst, need)
    if not isinstance(inst.get("n"), int) or inst.get("n") < 1:
        miss.append(f"n={inst.get('n')!r} (needs an integer >= 1)")
    if miss:
        return None, "A.relu.nobias: " + ", ".join(miss)
    cf = closed_form(inst["dY"], inst["n"], inst["lam1"], inst["lam2"])
    out = answer(cf, inst, "sqrt(b/2) (1 +- v_i) is one optimum; every measure on ReLU(w.y) "
                           "neurons with the same kernel action on span{v_i} is optimal too")
    out["unique"] = False
    out["note"] = ("optimum not unique without the bias: non-abstract optima exist "
                   "(A.relu.nobias.not-unique); the PS shown is that of the half-cube optimum")
    return out, ""
