"""``emergence solve``: answer an instance from a closed form, and (later) the certified solver.

Returns the JSON contract of DESIGN.md::

    {"instance": {...}, "closed_form": {...} | null, "numeric": {...} | null,
     "certificate": {...} | null, "ps": [...] | null, "notes": [...]}
"""
from __future__ import annotations

from numeric.closed_forms import closed_form_for
from numeric.instance import make_instance


def solve(*, certify: bool = False, **kwargs) -> dict:
    inst, task = make_instance(**kwargs)
    cf, reasons = closed_form_for(inst)
    notes = []
    if cf is None:
        notes.append("no closed form covers this instance: " + "; ".join(reasons))
    numeric = certificate = None
    if certify:
        notes.append("certified numeric solver not available yet (issue #4): numeric and "
                     "certificate are null")
    ps = cf.get("ps") if cf else None
    if inst["task"] == "hypercube" and inst.get("file"):
        notes.append("data file recognised as a whitened hypercube task; dense kernels are in "
                     "canonical condition order, not the file's column order")
    return {"instance": inst, "closed_form": cf, "numeric": numeric, "certificate": certificate,
            "ps": ps, "notes": notes}
