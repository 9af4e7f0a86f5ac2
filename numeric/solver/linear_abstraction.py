r"""Is *every* global minimum of the linear network abstract? One kernel, decided per instance.

Setting: phi linear, one hidden layer, any width, E(W, W2) = |Y - W2 W X~|^2 + lam1 |W|^2
+ lam2 |W2|^2, f(A) = |Y - A X~|^2 + 2 tau |A|_*, tau = sqrt(lam1 lam2) (:mod:`numeric.solver.linear`).

Math (derived here; the steps are :func:`symbolic.solver.linear_abstraction_derivation`)
---------------------------------------------------------------------------------------------
1. *Every global minimum is balanced.* If (W, W2) is a global minimum then A = W2 W minimises f and
   lam1 |W|^2 + lam2 |W2|^2 = 2 tau |A|_*. With A = U S V^T (compact SVD) and Z = U V^T,
   |A|_* = <W2^T Z, W> <= |W2^T Z| |W| <= |W2| |W| <= (lam1|W|^2 + lam2|W2|^2) / (2 tau); equality
   throughout forces W = r^2 W2^T Z (r^4 = lam2/lam1) and the columns of W2 in range U, whence
   W^T W = sqrt(lam2/lam1) |A| with |A| = (A^T A)^{1/2}: the hidden kernel of *every* global
   minimum is K = sqrt(lam2/lam1) X~^T |A| X~.
2. *The minimiser A* is unique.* Let Pi project R^D onto range X~. Replacing A by A Pi keeps the fit
   and |A Pi|_* = tr((A Pi A^T)^{1/2}) < tr((A A^T)^{1/2}) = |A|_* unless A (I - Pi) = 0 (the trace
   of the square root is strictly monotone), so A* = A* Pi; on {A = A Pi} the map A -> A X~ is
   injective and f strictly convex in A X~. Hence all global minima share one kernel, and PS --
   scale-free and a function of the kernel alone (cosines of coding vectors, linear in the
   representation) -- takes one value on all of them.
3. *Quadratic growth.* f(A) - f(A*) >= |(A - A*) X~|_F^2 for every A (the fit is quadratic, the
   nuclear norm convex, 0 in the subdifferential at A*).

Two rigorous decisions follow.

``exact`` (proves "every global minimum is abstract"). If X~ has full column rank and
Y K_X^{-1} Y^T = diag(c_1, .., c_dY) (c_i > 0; exact rationals), let s_i = 1 - tau sqrt(c_i)/|y_i|^2
clipped at 0 (row i active iff tau^2 c_i < |y_i|^4, decided exactly). Then A_c = diag(s_i) Y X~^+
and Lambda_c = diag(1 - s_i) Y have f(A_c) = D(Lambda_c) row by row (B = Y X~^+ has orthogonal
rows, |diag(s) B|_* = sum s_i sqrt(c_i)), and Lambda_c is dual feasible iff
tau^2 D^-2 - Y K_X Y^T is PSD (D = diag(1 - s_i); congruence, all rational; the PSD test by the
signs of the characteristic polynomial), so A_c = A*. Then |A*| = B^T diag(s_i/sqrt(c_i)) B and
every optimal kernel is sqrt(lam2/lam1) Y^T diag(s_i/sqrt(c_i)) Y. With every row active and each
coding vector of the label code Y e_a an exact positive multiple of e_k (checked), all coding
vectors of a variable are parallel: PS = 1 for every global minimum. A silent row (s_i = 0) makes
variable i's coding vectors vanish (PS undefined, null); all rows silent: the silent network.
Covers hypercube tasks with whitened, target-aligned, anisotropic and interaction inputs
(``A.inputs``), bias or not, any n.

``interval`` (can refute). From the exact certificate (network (W, W2), bracket U >= E* >= L):
A^ = W2 W has f(A^) <= U, so |(A^ - A*) X~|^2 <= U - L; A- = A^ Pi has the same image and
A- - A* = (A- - A*) Pi, so |A- - A*|_F^2 <= (U - L) / s with s <= the least non-zero eigenvalue of
K_X (exact Sylvester check). Then || |A-| - |A*| ||_F <= sqrt(2) |A- - A*|_F (Araki & Yamagami 1981,
Commun. Math. Phys. 81:89), and a rational S = C C^T (exactly PSD) has
||S - |A-|||_F^2 <= ||S^2 - A-^T A-||_1 (Powers & Stormer 1970, Commun. Math. Phys. 16:1), so
||S - |A*|||_F <= delta. A coding vector is R e (e a fixed combination of samples, R the hidden
representation), so each coding Gram entry e_a^T X~^T |A*| X~ e_b of the optimal kernel (up to
its positive factor) lies within delta |X~ e_a| |X~ e_b| of the rational e_a^T X~^T S X~ e_b, and
PS in an interval computed in ball arithmetic (python-flint ``arb``). PS_hi < 1 proves that no global minimum is abstract.

When the float interval contains 1, the optimum is polished in mpmath and re-certified exactly
(:mod:`numeric.solver.linear_refine`: gap ~1e-55), |A-| is taken at the same precision, and the
interval is recomputed -- it then shrinks to ~1e-20 and decides PS < 1 unless PS is 1 to that
accuracy (or the instance exceeds the refinement's size limit).

Hypotheses and failure modes: Y must be +-1 with all 2^dY classes (else PS is undefined: null);
the interval path needs X~ of full row or full column rank (Pi exactly) and D, P <=
``MAX_DIM``; it never proves PS = 1 (an interval containing 1 leaves the answer null, with the
interval reported); a bracket too wide or coding vectors not bounded away from zero also leave it
null. Nothing here trusts floating point: floats only choose S and s, every bound is exact or
ball arithmetic.
"""
from __future__ import annotations

from functools import lru_cache

import flint
import mpmath as mp
import numpy as np

from numeric.parallelism import coding_index_sets
from numeric.solver import rational as rq
from numeric.solver.problem import ps_defined

#: the interval path works with D x D and P x P exact matrices up to this order
MAX_DIM = 160
#: ball-arithmetic precision (bits)
PREC = 128


def _psd_exact(M: flint.fmpq_mat) -> bool:
    """Symmetric rational M is PSD iff the coefficients of det(t I - M) alternate weakly in sign
    (all its roots are real; Descartes' rule of signs)."""
    coeffs = [flint.fmpq(c) for c in M.charpoly().coeffs()]       # constant term first
    n = M.nrows()
    return all(((-1) ** (n - k)) * c >= 0 for k, c in enumerate(coeffs))


def _gram(F: flint.fmpq_mat, E: flint.fmpq_mat) -> flint.fmpq_mat:
    """(F E)^T (F E): the coding Gram of the representation F (its kernel F^T F) for the sample
    combinations in the columns of E."""
    V = F * E
    return V.transpose() * V


def _combinations(contexts, P) -> flint.fmpq_mat:
    """P x m: column a is e_a with Delta^(k; alpha_a) = R e_a (class-mean difference)."""
    E = flint.fmpq_mat(P, len(contexts))
    for a, (plus, minus) in enumerate(contexts):
        for i in plus:
            E[int(i), a] += flint.fmpq(1, len(plus))
        for i in minus:
            E[int(i), a] -= flint.fmpq(1, len(minus))
    return E


def _coding_along_axes(Yq: flint.fmpq_mat, sets) -> bool:
    """Every coding vector of the label code, Y e_a, is a positive multiple of e_k (variable k):
    then for any positive weights w the code diag(sqrt w) Y has exactly parallel coding vectors
    within each variable (PS = 1 for every kernel Y^T diag(w) Y, w > 0)."""
    dY = Yq.nrows()
    for k, contexts in enumerate(sets):
        V = Yq * _combinations(contexts, Yq.ncols())
        for a in range(V.ncols()):
            if not (V[k, a] > 0 and all(V[i, a] == 0 for i in range(dY) if i != k)):
                return False
    return True


def exact_decision(Xq: flint.fmpq_mat, Yq: flint.fmpq_mat, lam1, lam2, sets) -> dict | None:
    """The ``exact`` path of the module docstring, or None when its hypotheses fail."""
    dY, P = Yq.nrows(), Yq.ncols()
    KX = Xq.transpose() * Xq
    try:
        Z = KX.solve(Yq.transpose())            # K_X^{-1} Y^T; fails iff X~ lacks full column rank
    except ZeroDivisionError:
        return None
    M2 = Yq * Z
    c = [M2[i, i] for i in range(dY)]
    if any(M2[i, j] != 0 for i in range(dY) for j in range(dY) if i != j) or min(c) <= 0:
        return None
    M1 = Yq * KX * Yq.transpose()
    n = [sum((Yq[i, j] ** 2 for j in range(P)), flint.fmpq(0)) for i in range(dY)]
    t2 = rq.q(lam1) * rq.q(lam2)
    # row i: s_i = 1 - tau sqrt(c_i)/|y_i|^2 > 0  <=>  tau^2 c_i < |y_i|^4; the residual row is
    # d_i y_i with d_i = tau sqrt(c_i)/|y_i|^2 (active) or 1 (silent)
    active = [t2 * c[i] < n[i] ** 2 for i in range(dY)]
    # dual feasibility tau^2 I - D M1 D >= 0  <=>  tau^2 D^-2 - M1 >= 0 (congruence, D > 0)
    Dm2 = flint.fmpq_mat(dY, dY, [((n[i] ** 2 / c[i]) if active[i] else t2) if i == j else 0
                                  for i in range(dY) for j in range(dY)])
    if not _psd_exact(Dm2 - M1):
        return None
    witness = {"c": [str(v) for v in c], "Y_row_norms2": [str(v) for v in n],
               "active": [bool(v) for v in active],
               "kernel": "sqrt(lam2/lam1) Y^T diag(s_i / sqrt(c_i)) Y"}
    if not any(active):
        return {"all_minima_abstract": None, "path": "exact", "witness": witness,
                "reason": ("undefined: Y itself is dual feasible (tau^2 I - Y K_X Y^T PSD, exact), "
                           "so every global minimum is the silent network; PS is undefined")}
    if not all(active):
        silent = [i for i in range(dY) if not active[i]]
        return {"all_minima_abstract": None, "path": "exact", "witness": witness,
                "reason": (f"undefined: the unique optimal kernel Y^T diag(w) Y has w_i = 0 for the "
                           f"silent variable(s) {silent}, whose coding vectors vanish; PS is undefined")}
    ps_one = _coding_along_axes(Yq, sets)
    return {"all_minima_abstract": bool(ps_one) if ps_one else None, "path": "exact", "witness": witness,
            "reason": ("proved: Y K_X^-1 Y^T = diag(c_i) and the dual condition hold exactly, so "
                       "A* = diag(s_i) Y X~^+ (s_i = 1 - tau sqrt(c_i)/|y_i|^2 > 0) is the unique "
                       "minimiser and every global minimum has the kernel Y^T diag(w) Y, w > 0 "
                       + ("whose coding vectors are exactly parallel: PS = 1" if ps_one else
                          "(the label code's coding vectors are not axis-aligned: not decided here)"))}


def _arb(x: flint.fmpq) -> flint.arb:
    return flint.arb(x)


def _up(x: flint.arb) -> float:
    """A float >= every point of the ball (for reports; decisions use ball comparisons)."""
    return float(np.nextafter(float(x.upper().mid()) + float(x.upper().rad()), np.inf))


def _down(x: flint.arb) -> float:
    return float(np.nextafter(float(x.lower().mid()) - float(x.lower().rad()), -np.inf))


def _least_eig_bound(G: flint.fmpq_mat) -> flint.fmpq | None:
    """A rational s > 0 with G - s I positive definite (exact), or None."""
    ev = float(np.linalg.eigvalsh(rq.to_float(G)).min())
    if not ev > 0:
        return None
    s = rq.q(ev / 2)
    for _ in range(8):
        if rq.is_positive_definite(G - s * rq.eye(G.nrows())):
            return s
        s = s / 16
    return None


def _projector(Xq: flint.fmpq_mat) -> tuple[flint.fmpq_mat | None, flint.fmpq_mat]:
    """(Pi or None for the identity, the Gram whose least eigenvalue bounds s)."""
    D, P = Xq.nrows(), Xq.ncols()
    r = Xq.rank()
    if r == D:
        return None, Xq * Xq.transpose()
    if r == P:
        KX = Xq.transpose() * Xq
        return Xq * KX.inv() * Xq.transpose(), KX
    raise ValueError(f"X~ has rank {r} < min(D, P) = {min(D, P)}")


@lru_cache(maxsize=8)
def _geometry(x_rows: tuple) -> tuple:
    """(Pi or None, s or None, reason): the projector onto range X~ and a certified lower bound s
    on the least non-zero eigenvalue of K_X, for X~ given as its rational strings. Cached: the
    PS interval, its refinement and the width bracket of one instance share it (never mutated)."""
    Xq = rq.from_strings([list(r) for r in x_rows], "X_tilde")
    try:
        Pi, G = _projector(Xq)
    except ValueError as exc:
        return None, None, f"not decided: {exc}"
    s = _least_eig_bound(G)
    if s is None:
        return Pi, None, "not decided: no certified lower bound on the least non-zero eigenvalue of K_X"
    return Pi, s, ""


def geometry(cert_data: dict) -> tuple:
    """:func:`_geometry` of a certificate's X~."""
    return _geometry(tuple(tuple(r) for r in cert_data["X_tilde"]))


def _sqrt_factor(AtA: flint.fmpq_mat, dps: int | None):
    """(C rational, rank) with C C^T ~ (A^T A)^{1/2}: eigen-decomposition in float64, or in mpmath
    at ``dps`` digits (then |S - |A|| is limited by dps, not by 1e-16)."""
    if dps is None:
        ev, V = np.linalg.eigh(rq.to_float(AtA))
        keep = ev > ev.max() * 1e-14 if ev.max() > 0 else ev > 0
        return rq.mat(V[:, keep] * ev[keep] ** 0.25), int(keep.sum())
    n = AtA.nrows()
    with mp.workdps(dps):
        M = mp.matrix([[mp.mpf(int(v.p)) / int(v.q) for v in (AtA[i, j] for j in range(n))] for i in range(n)])
        ev, V = mp.eigsy(M)
        top = max(ev[i] for i in range(n))
        keep = [i for i in range(n) if top > 0 and ev[i] > top * mp.mpf(10) ** (-(dps // 2))]
        entries = [rq.from_mpf(V[a, i] * mp.root(ev[i], 4)) for a in range(n) for i in keep]
    return flint.fmpq_mat(n, len(keep), entries), len(keep)


def interval_decision(cert_data: dict, upper: flint.fmpq, lower: flint.fmpq, sets, *,
                      dps: int | None = None) -> dict:
    """The ``interval`` path of the module docstring from a verified linear certificate
    (``dps``: the square root |A-| in mpmath, for refined certificates)."""
    Xq = rq.from_strings(cert_data["X_tilde"], "X_tilde")
    D, P = Xq.nrows(), Xq.ncols()
    dY = len(cert_data["Y"])
    if max(D, P) > MAX_DIM:
        return {"all_minima_abstract": None, "path": "interval",
                "reason": f"not decided: D = {D}, P = {P} exceed the exact ball's limit {MAX_DIM}"}
    if not cert_data["W"]:
        return {"all_minima_abstract": None, "path": "interval",
                "reason": "not decided: the certified network is silent (PS undefined there)"}
    W = rq.from_strings(cert_data["W"], "W")
    W2 = rq.from_strings(cert_data["W2"], "W2")
    Pi, s, why = geometry(cert_data)
    if why:
        return {"all_minima_abstract": None, "path": "interval", "reason": why}
    A = W2 * W
    if Pi is not None:
        A = A * Pi
    AtA = A.transpose() * A
    C, rank_S = _sqrt_factor(AtA, dps)                   # S = C C^T ~ |A-|
    S = C * C.transpose()
    Rm = S * S - AtA
    gap = upper - lower
    rank_bound = min(D, rank_S + dY)
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        # |S - |A*||_F <= delta (Araki-Yamagami + quadratic growth, then Powers-Stormer)
        r_min = (2 * _arb(gap) / _arb(s)).sqrt()
        r_fl = ((_arb(flint.fmpq(rank_bound)).sqrt()) * _arb(rq.sqnorm(Rm)).sqrt()).sqrt()
        delta = r_min + r_fl
        F = C.transpose() * Xq                          # K^ = X~^T S X~ = F^T F
        per_var = []
        for contexts in sets:
            E = _combinations(contexts, P)
            Gc = _gram(F, E)
            # e_a^T X~^T (S - |A*|) X~ e_b <= |X~ e_a| |X~ e_b| delta
            XE = Xq * E
            norms = [_arb((XE.transpose() * XE)[a, a]).sqrt() for a in range(E.ncols())]
            ball = lambda a, b: _arb(Gc[a, b]) + flint.arb(0, 1) * delta * norms[a] * norms[b]
            m = E.ncols()
            diag = [ball(a, a) for a in range(m)]
            if not all(d > 0 for d in diag):
                return {"all_minima_abstract": None, "path": "interval",
                        "reason": "not decided: a coding vector of the optimal kernel is not "
                                  "bounded away from zero by the certified ball",
                        "witness": {"abs_ball_radius": _up(delta), "bracket_gap": float(rq.frac(gap))}}
            cos = [ball(a, b) / (diag[a] * diag[b]).sqrt() for a in range(m) for b in range(a + 1, m)]
            per_var.append(sum(cos, flint.arb(0)) / len(cos))
        ps = sum(per_var, flint.arb(0)) / len(per_var)
        lo, hi = _down(ps), _up(ps)
        var_iv = [[_down(p), min(_up(p), 1.0)] for p in per_var]
        below = bool(ps < 1)
        delta_f = _up(delta)
    finally:
        flint.ctx.prec = old
    witness = {"ps_interval": [lo, min(hi, 1.0)], "ps_per_variable": var_iv,
               "abs_ball_radius": delta_f, "bracket_gap": float(rq.frac(gap)),
               "eig_lower_bound": float(rq.frac(s))}
    if below:
        return {"all_minima_abstract": False, "path": "interval", "witness": witness,
                "reason": (f"refuted: every global minimum has the kernel X~^T |A*| X~ (up to a "
                           f"positive factor; A* unique) and |A*| lies within {delta_f:.1e} "
                           f"(Frobenius) of the certified rational S; hence PS <= {hi:.9f} < 1 for "
                           f"every global minimum")}
    return {"all_minima_abstract": None, "path": "interval", "witness": witness,
            "reason": (f"not decided: every global minimum has PS in [{lo:.9f}, {min(hi, 1.0):.9f}] "
                       f"(one kernel for all); an interval cannot prove PS = 1")}


def decide(cert, X_tilde, Y, lam1, lam2) -> dict:
    """``all_minima_abstract`` for the linear activation: dict with the answer, the path, the reason
    and a witness (module docstring). ``cert`` is a verified :class:`LinearCertificate`."""
    Y = np.asarray(Y, dtype=float)
    if not ps_defined(Y):
        return {"all_minima_abstract": None, "path": None,
                "reason": "undefined: PS needs dY >= 2 labels in {+-1} with every class present"}
    sets = coding_index_sets(Y)
    Xq, Yq = rq.mat(np.asarray(X_tilde, dtype=float)), rq.mat(Y)
    out = exact_decision(Xq, Yq, lam1, lam2, sets)
    if out is not None:
        return out
    if not cert.ok:
        return {"all_minima_abstract": None, "path": None,
                "reason": "not decided: the dual point failed the exact check (no certified bracket)"}
    out = interval_decision(cert.data, cert.upper, cert.lower, sets)
    if out["all_minima_abstract"] is None and "ps_interval" in out.get("witness", {}):
        # the float bracket is too wide: polish in mpmath, re-certify exactly, decide again
        from numeric.solver.linear_refine import DPS, refine
        W = rq.to_float(rq.from_strings(cert.data["W"], "W"))
        W2 = rq.to_float(rq.from_strings(cert.data["W2"], "W2"))
        fine = refine(W, W2, X_tilde, Y, lam1, lam2)
        if fine is not None and fine.ok:
            again = interval_decision(fine.data, fine.upper, fine.lower, sets, dps=DPS)
            again["refined"] = {"rel_gap": fine.rel_gap, "digits": DPS}
            if again["all_minima_abstract"] is not None or "ps_interval" in again.get("witness", {}):
                return again
    return out
