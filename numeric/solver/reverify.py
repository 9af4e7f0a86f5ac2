r"""Re-check the certificates inside a saved ``emergence solve --certify --json`` output, from the
file alone, without re-solving (``emergence verify FILE.json``).

What is re-checked (exact rational arithmetic throughout; derived here, see each verifier):

* ``relu-bracket`` -- the dense solver's certificate (``witness.certificate``, format
  ``emergence.relu-certificate/1``, also accepted as the whole file):
  :func:`numeric.solver.certificate.verify` recomputes the network loss of the stored primal,
  the dual value of the stored Lambda and the exact cone check, and compares them with the
  stored bounds.
* ``walsh`` -- a flip-only Walsh-block certificate (``witness.walsh`` with fields q, a, n_pp,
  n_pq, n_qq): :func:`numeric.solver.walsh_certificate.verify`. When the file also reports a
  zero set (``witness.zero_set``), "every global minimum abstract" is recomputed from the
  certificate's exact zero set (:mod:`numeric.solver.walsh_zeros`), with Q and A rebuilt from
  their Walsh eigenvalues (M = C^T diag(m^) C / P, C the characters), and must equal the stored
  answer.
* ``walsh-symmetric`` -- a certificate reduced by the cube symmetry (fields q, a, g_pp, g_pq,
  g_qq): :func:`numeric.solver.walsh_symmetric.verify_symmetric`.
* ``symmetry-reduction`` -- the whitened hypercube's answer (``witness.kappa2``, ``witness.nu``
  with the file's ``instance``): :func:`numeric.solver.symmetry.check_certificate`, the same
  exact check the solver runs (level eigenvalues of T(kappa) - N >= 0, nu >= 0, and the half-cube
  measure's energy equal to D(kappa Y) in sympy); the stored energy must agree to 1e-12.
* ``lipschitz-bracket`` -- the Lipschitz families on the whitened hypercube (``witness.certificate``
  with kind ``lipschitz-hypercube``): :func:`numeric.solver.lipschitz_hypercube.verify`
  recomputes the lower bound from (activation, dY, lam1, lam2) and the network loss of the stored
  rational network in ball arithmetic; the stored bounds must equal them.
* ``linear-bracket`` -- the linear activation's certificate (``witness.certificate`` with kind
  ``linear``): :func:`numeric.solver.linear.verify_linear` recomputes both bounds and the exact
  spectral-norm check; the stored bounds must equal them.

Not re-checked here: what the certificate is a certificate *of* (that the stored energy is the
claimed instance's, or that the closed form matches) -- the file's ``instance`` is not re-solved.
A file with none of these certificates is bad input (the caller reports it), never a pass.
"""
from __future__ import annotations

import json

import flint

from numeric.validation import InputError


def _walsh(w: dict, stored: bool | None, zero_set: bool) -> list[dict]:
    from numeric.solver.walsh_certificate import (WalshCertificate, _parity, label_masks,
                                                  verify)
    from numeric.solver.walsh_zeros import decide
    from numeric.tasks import sign_vectors
    cert = WalshCertificate.from_json(json.dumps({k: w[k] for k in ("dY", "q", "a", "n_pp",
                                                                  "n_pq", "n_qq")}))
    ok, why, singular = verify(cert)
    out = [{"kind": "walsh", "ok": ok, "detail": f"{why}; singular blocks {list(singular)}"}]
    if ok and zero_set:
        Y = sign_vectors(cert.dY)
        masks = label_masks(Y)
        P = len(masks)
        C = flint.fmpq_mat(P, P, [_parity(S & masks[k]) for S in range(P) for k in range(P)])

        def rebuild(m):
            D = flint.fmpq_mat(P, P, [flint.fmpq(m[i].numerator, m[i].denominator) if i == j else 0
                                      for i in range(P) for j in range(P)])
            return C.transpose() * D * C / P
        ab, reason, _z = decide(cert, rebuild(cert.q), rebuild(cert.a), Y)
        out.append({"kind": "walsh zero set", "ok": ab == stored,
                    "detail": f"recomputed all_minima_abstract = {ab}, stored {stored}: {reason}"})
    return out


def _symmetric(w: dict) -> list[dict]:
    from numeric.solver.walsh_symmetric import SymmetricCertificate, verify_symmetric
    ok, why, singular = verify_symmetric(SymmetricCertificate.from_dict(w))
    return [{"kind": "walsh-symmetric", "ok": ok, "detail": f"{why}; singular degrees "
                                                              f"{list(singular)}"}]


def _relu(c: dict) -> list[dict]:
    from numeric.solver.certificate import verify
    r = verify(c)
    detail = (f"bracket [{float(r.lower):.16g}, {float(r.upper):.16g}], rel_gap {r.rel_gap:.2e}, "
              f"{r.checked} supports ({r.cone}), {r.seconds:.1f} s" if r.ok else
              "; ".join(r.problems))
    return [{"kind": "relu-bracket", "ok": bool(r.ok), "detail": detail}]


def _linear(c: dict, w: dict) -> list[dict]:
    from fractions import Fraction

    from numeric.solver.linear import verify_linear
    r = verify_linear(c)
    problems = [] if r.ok else ["|Lambda X~^T|_2 <= sqrt(lam1 lam2) fails (exact)"]
    for key, val in (("upper", r.upper), ("lower", r.lower)):
        if key in w and Fraction(w[key]) != Fraction(str(val)):
            problems.append(f"stored {key} bound {w[key]} != recomputed {val}")
    detail = (f"bracket [{float(Fraction(str(r.lower))):.16g}, {float(Fraction(str(r.upper))):.16g}], "
              f"rel_gap {r.rel_gap:.2e}" if not problems else "; ".join(problems))
    return [{"kind": "linear-bracket", "ok": not problems, "detail": detail}]


def _symmetry(inst: dict, w: dict, energy) -> list[dict]:
    from fractions import Fraction

    from numeric.solver.symmetry import check_certificate
    dY, n, bias = int(inst["dY"]), int(inst["n"]), bool(inst["bias"])
    lam1, lam2 = Fraction(inst["lam1"]), Fraction(inst["lam2"])   # floats are exact rationals
    chk = check_certificate(dY, n, bias, lam1, lam2, Fraction(w["kappa2"]),
                            [Fraction(v) for v in w["nu"]])
    problems = []
    if not chk.feasible:
        problems.append("T(kappa) - N has a negative level eigenvalue or nu < 0 (exact)")
    if not chk.exact_match:
        problems.append("the half-cube measure's energy differs from D(kappa Y)")
    if energy is not None and abs(float(chk.dual) - float(energy)) > 1e-12 * abs(float(chk.dual)):
        problems.append(f"stored energy {energy} != D(kappa Y) = {float(chk.dual)!r}")
    detail = (f"E* = D(kappa Y) = {chk.dual} exactly, zero gap; level gaps "
              f"{[str(g) for g in chk.gaps]}" if not problems else "; ".join(problems))
    return [{"kind": "symmetry-reduction", "ok": not problems, "detail": detail}]


def _lipschitz(c: dict, w: dict) -> list[dict]:
    from numeric.solver.lipschitz_hypercube import verify
    v = verify(c)
    problems = [] if v["ok"] else [v.get("reason") or "lower bound exceeds the network loss"]
    for key in ("lower", "upper"):
        if v["ok"] and key in w and w[key] != v[key]:
            problems.append(f"stored {key} bound {w[key]!r} != recomputed {v[key]!r}")
    detail = (f"bracket [{v['lower']:.17g}, {v['upper']:.17g}] (ball arithmetic), rel_gap "
              f"{v['rel_gap']:.2e}" if not problems else "; ".join(problems))
    return [{"kind": "lipschitz-bracket", "ok": not problems, "detail": detail}]


def reverify(obj: dict) -> list[dict]:
    """Every certificate found in ``obj`` (a solve --json output, or a bare ReLU certificate),
    re-checked: a list of {"kind", "ok", "detail"}. InputError when there is none."""
    if not isinstance(obj, dict):
        raise InputError(f"`FILE` must hold a JSON object; got {type(obj).__name__}")
    if obj.get("format", "").startswith("emergence.relu-certificate"):
        return _relu(obj)
    cert = obj.get("certificate") or {}
    w = cert.get("witness") or {}
    found = []
    if isinstance(w.get("certificate"), dict):
        c = w["certificate"]
        kind = c.get("kind")
        found += (_linear(c, w) if kind == "linear" else _lipschitz(c, w)
                  if kind == "lipschitz-hypercube" else _relu(c))
    if "kappa2" in w and "nu" in w:
        found += _symmetry(obj.get("instance") or {}, w, (obj.get("numeric") or {}).get("energy"))
    walsh = w.get("walsh")
    if isinstance(walsh, dict):
        if "g_pp" in walsh:
            found += _symmetric(walsh)
        elif "n_pp" in walsh:
            found += _walsh(walsh, cert.get("all_minima_abstract"), "zero_set" in w)
    if not found:
        raise InputError("`FILE` must hold an `emergence solve --certify --json` output with a "
                         "certificate this command re-checks (dense ReLU bracket or Walsh-block); "
                         f"got method {cert.get('method')!r}")
    return found


def reverify_file(path: str) -> list[dict]:
    try:
        with open(path) as fh:
            obj = json.load(fh)
    except OSError as exc:
        raise InputError(f"`FILE` must be a readable file; got {path!r} ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"`FILE` must hold JSON; got {path!r} (line {exc.lineno}: {exc.msg})") \
            from None
    try:
        return reverify(obj)
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"`FILE` holds a malformed certificate: {type(exc).__name__}: {exc}") \
            from None

