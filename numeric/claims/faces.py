"""Claim ``L.solver.faces``: the face test behind the certificates and the pricing for singular
inputs with any number of outputs (numeric.solver.faces). Derived here (issue #4)."""
from __future__ import annotations

import itertools

import flint
import numpy as np
from scipy.optimize import linprog, minimize_scalar

from numeric.registry import Claim, Outcome, Provenance, Witness, register
from numeric.solver import faces, sectors, simplices
from numeric.solver import rational as rq
from symbolic import solver as sym


def lp_faces(Xt) -> set:
    """Sign vectors s != 0 realised by some w (s_i x~_i^T w >= 1 where s_i != 0, = 0 elsewhere),
    decided by one LP each over all 3^P of them (independent of numeric.solver.faces)."""
    D, P = Xt.shape
    out = set()
    for s in itertools.product((-1, 0, 1), repeat=P):
        s = np.array(s, dtype=float)
        if not s.any():
            continue
        on = s != 0
        res = linprog(np.zeros(D), A_ub=-(s[on, None] * Xt.T[on]), b_ub=-np.ones(int(on.sum())),
                      A_eq=Xt.T[~on] if (~on).any() else None,
                      b_eq=np.zeros(int((~on).sum())) if (~on).any() else None,
                      bounds=[(None, None)] * D, method="highs")
        if res.status == 0:
            out.add(tuple(int(v) for v in s))
    return out


def witness_enumeration() -> Outcome:
    """The exact faces against an LP decision of every one of the 3^P sign vectors (generic,
    repeated, parallel and zero points), and the generic face count."""
    rng = np.random.default_rng(4)
    deg = rng.integers(-3, 4, (2, 7)).astype(float)
    deg[:, 3], deg[:, 5], deg[:, 6] = deg[:, 1], 2 * deg[:, 2], 0.0
    cases = {"gaussian P=7 in the plane": np.vstack([rng.standard_normal((2, 7)), np.ones(7)]),
             "repeated, parallel and zero points, no bias": deg}
    ok, parts = True, []
    for name, Xt in cases.items():
        geom = faces.geometry(rq.mat(Xt))
        ours = {tuple(int(v) for v in s) for fl in geom.flats for s in fl.signs}
        ref = lp_faces(Xt)
        ok &= ours == ref and len(ours) == geom.n_faces
        parts.append(f"{name}: {geom.n_faces} faces, LP {len(ref)}")
    Xt = np.vstack([rng.standard_normal((3, 12)), np.ones(12)])
    n = faces.geometry(rq.mat(Xt)).n_faces
    ok &= n == faces.generic_face_count(12, 4)
    parts.append(f"gaussian P=12, rank 4: {n} faces = generic {faces.generic_face_count(12, 4)}")
    return Outcome(ok, 0.0 if ok else 1.0, "; ".join(parts))


def circle_sup(Xt, Lam, n=2_000_001) -> float:
    """sup over unit w in the plane of |Lambda relu(X~^T w)|^2 (sweep, then local search)."""
    def f(t):
        w = np.stack([np.cos(t), np.sin(t)], axis=-1)
        V = np.maximum(w @ Xt, 0) @ Lam.T
        return np.sum(V * V, axis=-1)
    t = np.linspace(0, 2 * np.pi, n)
    v = f(t)
    best, step = float(v.max()), t[1] - t[0]
    for j in np.argsort(v)[-16:]:
        res = minimize_scalar(lambda a: -f(np.array([a]))[0], bounds=(t[j] - step, t[j] + step),
                              method="bounded", options={"xatol": 1e-14})
        best = max(best, -float(res.fun))
    # the kinks (w orthogonal to a sample, where the sup may sit): evaluated directly
    kinks = np.arctan2(Xt[0], -Xt[1])
    return max(best, float(np.max(f(np.concatenate([kinks, kinks + np.pi])))))


def witness_defining_quotient() -> Outcome:
    """1-d inputs with a bias (rank 2), seven and ten outputs: the exact check accepts alpha
    = (1 + 1e-9) sup and rejects (1 - 1e-9) sup of the defining quotient (swept on the circle),
    with an exact violating pattern; the float pricing finds the sup (to 1e-12)."""
    ok, parts, worst = True, [], 0.0
    for seed, P, dY in ((0, 12, 7), (2, 9, 10)):
        rng = np.random.default_rng(seed)
        Xt = np.vstack([rng.standard_normal((1, P)), np.ones(P)])
        Lam = rng.standard_normal((dY, P))
        geom = faces.geometry(rq.mat(Xt))
        top = circle_sup(Xt, Lam)
        err = abs(faces.price(geom, Lam).ratio - top) / top
        worst = max(worst, err)
        inside = faces.certify(geom, rq.mat(Lam), rq.q(top * (1 + 1e-9)))
        outside = faces.certify(geom, rq.mat(Lam), rq.q(top * (1 - 1e-9)))
        ok &= inside.ok and not outside.ok and outside.value < 0 and err <= 1e-12
        parts.append(f"P={P}, dY={dY}: sup {top:.10g}, price rel. err {err:.1e}, exact check "
                     f"inside {inside.ok} / outside {outside.ok} ({geom.n_faces} faces)")
    return Outcome(ok, worst, "; ".join(parts))


def witness_fans() -> Outcome:
    """The face check against the cell fans (an independent exact method) on singular inputs,
    dY = 2 and 3, for a dual point 1 % inside and 1 % outside the cone."""
    ok, parts = True, []
    for dY, seed in ((2, 5), (3, 6)):
        rng = np.random.default_rng(seed)
        Xt = np.vstack([rng.standard_normal((2, 9)), np.ones(9)])            # rank 3 < P = 9
        Lam = rng.standard_normal((dY, 9))
        alpha = flint.fmpq(1, 400)
        geom = faces.geometry(rq.mat(Xt))
        Lam = Lam * np.sqrt(float(alpha) / faces.price(geom, Lam).ratio)
        fan = sectors if not simplices.handles(dY, False) else simplices
        for f, expect in ((flint.fmpq(99, 100), True), (flint.fmpq(101, 100), False)):
            Lq = rq.mat(Lam) * f
            ours = faces.certify(geom, Lq, alpha)
            ref = fan.certify(rq.mat(Xt), Lq, alpha)
            ok &= ours.ok == ref.ok == expect
            parts.append(f"dY={dY} x{float(f):.2f}: faces {ours.ok}, fans {ref.ok}")
    return Outcome(ok, 0.0, "; ".join(parts))


register(Claim(
    id="L.solver.faces",
    statement="For singular inputs (rank r < P) and any dY, the cone condition |Lambda relu(h)|^2 "
              "<= alpha cost(h) on every reachable h holds iff no face of the data's hyperplane "
              "arrangement (zero set Z, flat basis N, signs s, T = {s = +}) has "
              "G = alpha N^T M N - (Lambda D_T R^T N)^T (Lambda D_T R^T N) invertible with "
              "s_i (R^T N G^{-1} N^T R s)_i < 0 off Z (a constrained Cottle-Habetler-Lemke test: A "
              "is copositive on {x >= 0, E x = 0} iff no support S has Z^T A_SS Z invertible and "
              "Z (Z^T A_SS Z)^{-1} Z^T 1 < 0). One exact k x k solve per face, k <= r, whatever dY.",
    hypotheses=("phi = ReLU, one hidden layer", "K_X singular (rank r < P); any dY",
                "X~ = F R with R = r independent rows of X~, M = (F^T F)^{-1}",
                "at most faces.MAX_FACES faces (generic count sum_c C(P, c) N(P - c, r - c))"),
    provenance=Provenance("derived here (issue #4)", None, "derived",
                          "Replaces the penalised range minorant (3^P signed supports, P <= 12, "
                          "ill-conditioned) and lifts the fans' dY <= 5 limit on singular inputs."),
    derivation=sym.faces_derivation,
    witnesses=(Witness("exact faces equal an LP decision of every sign vector; generic count",
                       "exact", witness_enumeration),
               Witness("face check and pricing decide the defining quotient swept on the circle",
                       "exact", witness_defining_quotient),
               Witness("face check equals the cell fans' exact verdict inside and outside the cone",
                       "exact", witness_fans)),
    notebook="notebooks/08_global_optima.ipynb"))
