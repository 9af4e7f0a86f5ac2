"""``emergence solve``: answer an instance from a closed form and the certified global solver.

Returns the JSON contract of DESIGN.md::

    {"instance": {...}, "closed_form": {...} | null,
     "numeric": {"energy", "kernel", "neurons", "seconds", ...} | null,
     "certificate": {"global_optimum", "all_minima_abstract", "method", "witness"} | null,
     "ps": [...] | null, "checks": [{"name", "ok", "detail"}], "notes": [...]}

With ``certify`` the certified solver (:mod:`numeric.solver`) fills ``numeric`` and
``certificate``; where a closed form also applies, the two must agree: the closed-form energy
must lie in the certified bracket (or equal the exact symmetric optimum). A disagreement is
reported as a failed entry of ``checks`` (and the CLI exits 1), never hidden.
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
    checks: list[dict] = []
    ps = cf.get("ps") if cf else None
    if certify:
        from numeric.solver import closed_form_checks, solve_instance
        ans = solve_instance(inst, task, certify=True)
        numeric, certificate = ans["numeric"], ans["certificate"]
        checks = ans["checks"] + closed_form_checks(cf, ans)
        notes += ans.get("notes", [])
        if ps is None:
            ps = ans.get("ps")
    if inst["task"] == "hypercube" and inst.get("file"):
        notes.append("data file recognised as a whitened hypercube task; dense kernels are in "
                     "canonical condition order, not the file's column order")
    return {"instance": inst, "closed_form": cf, "numeric": numeric, "certificate": certificate,
            "ps": ps, "checks": checks, "notes": notes}
