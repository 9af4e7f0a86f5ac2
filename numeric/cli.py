"""Command line: ``emergence list | check | solve | verify | train | crh measure | figures``.

Exit codes: 0 success; 1 a witness failed (``check``) or a run failed; 2 bad usage or bad input
(one line on stderr naming the argument, the requirement and the value received).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys

from numeric.validation import InputError


class _Parser(argparse.ArgumentParser):
    def error(self, message):          # one line, exit 2
        sys.stderr.write(f"emergence: error: {message}\n")
        raise SystemExit(2)


def _build() -> argparse.ArgumentParser:
    p = _Parser(prog="emergence", description="Claims, closed forms and witnesses for Paper A/B.")
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser)

    sub.add_parser("list", help="claims, one a line")

    c = sub.add_parser("check", help="run witnesses; exit 0 iff none failed")
    c.add_argument("ids", nargs="*", metavar="ID")
    c.add_argument("--json", action="store_true")

    s = sub.add_parser("solve", help="optimal kernel/energy of an instance")
    s.add_argument("--task", default="hypercube")
    s.add_argument("--dY", type=int)
    s.add_argument("--n", type=int, default=1)
    s.add_argument("--lam1", type=float, required=True)
    s.add_argument("--lam2", type=float, required=True)
    s.add_argument("--activation", default="relu")
    s.add_argument("--no-bias", action="store_true")
    s.add_argument("--depth", type=int, default=1)
    s.add_argument("--data", metavar="FILE.npz")
    geo = s.add_mutually_exclusive_group()
    geo.add_argument("--aligned", type=float, metavar="GAMMA",
                     help="target-aligned inputs X = [I; sqrt(GAMMA) Y]")
    geo.add_argument("--anisotropic", metavar="G1,G2,...",
                     help="anisotropic inputs, one scale gamma_i per latent variable")
    geo.add_argument("--interaction", type=float, metavar="ETA",
                     help="extra input variance ETA along the interactions y_i y_j")
    s.add_argument("--certify", action="store_true")
    s.add_argument("--json", action="store_true")

    v = sub.add_parser("verify", help="re-check the certificates of a saved solve --json output")
    v.add_argument("file", metavar="FILE.json")
    v.add_argument("--json", action="store_true")
    v.add_argument("--exact-cones", action="store_true",
                   help="decide every cone of the fans in integers (no binary64 filter)")

    t = sub.add_parser("train", help="train networks with the torch bridge")
    t.add_argument("--task", default="hypercube")
    t.add_argument("--dY", type=int, required=True)
    t.add_argument("--lam1", type=float, required=True)
    t.add_argument("--lam2", type=float, required=True)
    t.add_argument("--width", type=int, required=True)
    t.add_argument("--seeds", type=int, default=4)
    t.add_argument("--activation", default="relu")
    t.add_argument("--device", default="cpu")
    t.add_argument("--steps", type=int, default=3000)
    t.add_argument("--json", action="store_true")

    r = sub.add_parser("crh", help="Paper B: canonical representation alignments")
    rs = r.add_subparsers(dest="crh_cmd", required=True, parser_class=_Parser)
    m = rs.add_parser("measure")
    m.add_argument("--layer", required=True, metavar="FILE.npz")
    m.add_argument("--preprocess", default="raw")
    m.add_argument("--measure", default="pearson")
    m.add_argument("--json", action="store_true")

    f = sub.add_parser("figures", help="write every figure as PNG")
    f.add_argument("--out", default="figures-out")
    f.add_argument("--only", nargs="*", default=None)
    f.add_argument("--full", action="store_true")
    return p


def _fmt(x) -> str:
    if x is None:
        return "-"
    return f"{x:.1e}" if isinstance(x, float) and math.isfinite(x) else str(x)


def cmd_list(_args) -> int:
    from numeric.registry import all_claims
    for c in all_claims():
        print(f"{c.id:28s} [{c.provenance.verdict}] {c.statement}")
    return 0


def cmd_check(args) -> int:
    from numeric.registry import all_claims, get, run_claim
    try:
        claims = [get(i) for i in args.ids] if args.ids else all_claims()
    except KeyError as exc:
        raise InputError(exc.args[0]) from None
    reports = [run_claim(c) for c in claims]
    rows = [w for r in reports for w in r.witnesses]
    if args.json:
        print(json.dumps({"ok": all(r.ok for r in reports), "claims": [
            {"id": r.claim.id, "ok": r.ok, "verdict": r.claim.provenance.verdict,
             "source": r.claim.provenance.source,
             "witnesses": [{"name": w.witness, "kind": w.kind, "ok": w.ok, "error": w.error,
                            "detail": w.detail, "seconds": round(w.seconds, 3)}
                           for w in r.witnesses]} for r in reports]}, indent=1))
    else:
        print(f"{'claim':26s} {'kind':14s} {'ok':4s} {'error':>8s} {'sec':>6s}  witness")
        for w in rows:
            print(f"{w.claim:26s} {w.kind:14s} {'ok' if w.ok else 'FAIL':4s} {_fmt(w.error):>8s} "
                  f"{w.seconds:6.2f}  {w.witness}")
            if not w.ok:
                print(f"{'':26s} -> {w.detail}")
        n_bad = sum(not w.ok for w in rows)
        print(f"\n{len(reports)} claims, {len(rows)} witnesses, {n_bad} failed")
    return 0 if all(r.ok for r in reports) else 1


def cmd_solve(args) -> int:
    from numeric.solve import solve
    if args.data is None and args.dY is None:
        raise InputError("`--dY` is required unless `--data` is given; got neither")
    inputs, params = "whitened", None
    if args.aligned is not None:
        inputs, params = "aligned", {"gamma": args.aligned}
    elif args.anisotropic is not None:
        try:
            gammas = [float(g) for g in args.anisotropic.split(",")]
        except ValueError:
            raise InputError("`--anisotropic` must be comma-separated numbers, one per latent "
                             f"variable; got {args.anisotropic!r}") from None
        inputs, params = "anisotropic", {"gammas": gammas}
    elif args.interaction is not None:
        inputs, params = "interaction", {"eta": args.interaction}
    out = solve(task=args.task, dY=args.dY, n=args.n, lam1=args.lam1, lam2=args.lam2,
                activation=args.activation, bias=not args.no_bias, depth=args.depth,
                data=args.data, certify=args.certify, inputs=inputs, input_params=params)
    failed_checks = [c for c in out.get("checks") or [] if not c.get("ok")]
    if args.json:
        print(json.dumps(out))
        return 1 if failed_checks else 0
    inst, cf = out["instance"], out["closed_form"]
    print("instance: " + ", ".join(f"{k}={v}" for k, v in inst.items()))
    if cf:
        kern = cf.get("kernel") or {}
        params = ", ".join(f"{k} = {v}" for k, v in kern.items() if k not in ("form", "dense", "P"))
        print(f"closed form ({cf['claim']}): energy = {cf['energy']:.15g}")
        print(f"kernel: {kern.get('form', 'none')}" + (f" with {params}" if params else ""))
        print(f"neurons: {cf.get('neurons', '-')}")
    num, cert = out.get("numeric"), out.get("certificate")
    if num:
        print(f"certified solver: energy = {num['energy']:.15g} ({num.get('seconds', 0):.2f} s)")
        if num.get("min_width_bracket") is not None:
            lo, hi = num["min_width_bracket"]
            print(f"minimal width: {lo}" + (" (certified)" if lo == hi else f" .. {hi} (bracket)"))
    if cert:
        print(f"certificate: global_optimum = {cert['global_optimum']}, all_minima_abstract = "
              f"{cert['all_minima_abstract']}; method: {cert['method']}")
        reason = (cert.get("witness") or {}).get("all_minima_reason")
        if reason:
            print(f"every global minimum abstract? {reason}")
        radius = (cert.get("witness") or {}).get("outputs_radius")
        if radius is not None:
            print(f"every global minimum computes the same outputs on the data, Y - Lambda*, within "
                  f"{radius:.2e} (Frobenius; {cert['witness']['outputs_rel_radius']:.1e} relative) "
                  f"of the certificate's Y - Lambda")
    for c in out.get("checks") or []:
        print(f"check [{'ok' if c['ok'] else 'FAIL'}] {c['name']}")
    if out["ps"] is not None:
        print("PS per variable: " + ", ".join(f"{p:.6f}" for p in out["ps"]))
    for note in out["notes"]:
        print("note: " + note)
    return 1 if failed_checks else 0


def cmd_verify(args) -> int:
    from numeric.solver.reverify import reverify_file
    before = os.environ.get("EMERGENCE_EXACT_CONES")
    if args.exact_cones:
        os.environ["EMERGENCE_EXACT_CONES"] = "1"
    try:
        found = reverify_file(args.file)
    finally:
        if before is None:
            os.environ.pop("EMERGENCE_EXACT_CONES", None)
        else:
            os.environ["EMERGENCE_EXACT_CONES"] = before
    if args.json:
        print(json.dumps({"file": args.file, "certificates": found}))
    else:
        for f in found:
            print(f"[{'ok' if f['ok'] else 'FAIL'}] {f['kind']}: {f['detail']}")
    return 0 if all(f["ok"] for f in found) else 1


def cmd_train(args) -> int:
    from numeric.torch_bridge import train_cli
    out = train_cli(args)
    print(json.dumps(out) if args.json else out["summary"])
    return 0


def cmd_crh(args) -> int:
    from numeric.crh import measure_file
    out = measure_file(args.layer, preprocess=args.preprocess, measure_=args.measure)
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out["alignments"].items():
            print(f"{k}: {v:.6f}")
    return 0


def cmd_figures(args) -> int:
    from numeric.figures import write_figures
    for path in write_figures(args.out, only=args.only, full=args.full):
        print(path)
    return 0


def main(argv=None) -> int:
    args = _build().parse_args(argv)
    handler = {"list": cmd_list, "check": cmd_check, "solve": cmd_solve, "verify": cmd_verify,
               "train": cmd_train, "crh": cmd_crh, "figures": cmd_figures}[args.cmd]
    try:
        return handler(args)
    except InputError as exc:
        sys.stderr.write(f"emergence: error: {exc}\n")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
