"""Claim ``L.solver.conditioning``: what the signed route needs on ill-conditioned full-rank
inputs -- the certificate's rounding of K_X^-1 sized by cond(K_X), and violations confirmed by the
least-squares quotient. Derived here (issue #4)."""
from __future__ import annotations

import itertools

import mpmath
import numpy as np

from numeric.registry import Claim, Outcome, Provenance, Witness, register
from numeric.solver import certificate, pricing
from numeric.solver import rational as rq


def _inputs(rng, P: int, decades: float) -> np.ndarray:
    """X~ (P x P, bias row last): rows of X ~ N(0, 1) scaled over ``decades`` decades."""
    X = rng.standard_normal((P - 1, P)) * np.logspace(0, -decades / 2, P - 1)[:, None]
    return np.vstack([X, np.ones((1, P))])


def witness_rounding_margin() -> Outcome:
    """For K_X of cond ~1e1 .. 1e10, the certified delta of the rounded Q (cost_round_bits) against
    the smallest eigenvalue of the exact Q, computed apart at 60 digits (mpmath): delta stays
    below 2^-46 lam_min(Q), a quarter of the 2^-44 shrink's margin."""
    rng = np.random.default_rng(11)
    worst, fixed_worst, conds = 0.0, 0.0, []
    for decades in (1.0, 3.0, 5.0, 7.0, 9.0):
        Xf = _inputs(rng, 7, decades)
        conds.append(float(np.linalg.cond(Xf.T @ Xf)))
        Xt = rq.mat(Xf)
        Q = (Xt.transpose() * Xt).inv()
        Qf = rq.to_float(Q)
        with mpmath.workdps(60):
            M = mpmath.matrix([[mpmath.mpf(int(Q[i, j].p)) / int(Q[i, j].q) for j in range(7)]
                               for i in range(7)])
            lam_min = float(min(mpmath.eigsy(M)[0]))
        for bits, store in ((certificate.cost_round_bits(Qf), "new"), (certificate.ROUND_BITS, "old")):
            g = rq.grid_exponent(Q, bits)
            delta = float(rq.frac(rq.rational_upper_sqrt(rq.sqnorm(Q - rq.round_to_grid(Q, g)))))
            if store == "new":
                worst = max(worst, delta / lam_min)
            else:
                fixed_worst = max(fixed_worst, delta / lam_min)
    return Outcome(bool(worst <= 2.0 ** -46 and fixed_worst > 2.0 ** -44), float(worst),
                   f"5 inputs, P = 7, cond {min(conds):.1e} .. {max(conds):.1e}: delta / "
                   f"lam_min(Q) <= {worst:.1e} "
                   f"(bound 2^-46 = {2.0 ** -46:.1e}); a fixed {certificate.ROUND_BITS} bits "
                   f"reaches {fixed_worst:.1e}, beyond the 2^-44 shrink")


def witness_accurate_quotient() -> Outcome:
    """The ratio |Lam relu(h)|^2 / cost(h) with the least-squares cost |w|^2 (X~^T w = h) against
    the exact ratio with cost h^T K_X^-1 h in rationals, for patterns h = X~^T w of random neurons
    w on inputs of cond ~1e9 (the patterns a solver meets: their cost is |w|^2, far below
    |Q| |h|^2); the ratio through the float K_X^-1 for comparison."""
    rng = np.random.default_rng(12)
    Xt = _inputs(rng, 8, 6.0)
    Lam = rng.standard_normal((3, 8))
    Xq, Lq = rq.mat(Xt), rq.mat(Lam)
    Qq = (Xq.transpose() * Xq).inv()
    Qf = np.linalg.inv(Xt.T @ Xt)
    hs = [h for h in (Xt.T @ rng.standard_normal(8) for _ in range(40)) if np.any(h > 0)][:20]
    acc = 1.0 - pricing.accurate_quotients(1.0, 1.0, Xt, Lam, hs)      # the ratio, lam1 = 1
    err_acc = err_float = 0.0
    for h, a in zip(hs, acc):
        hq = rq.mat(h[None, :])
        exact = float(rq.frac(rq.sqnorm(Lq * rq.relu(hq).transpose())
                              / (hq * Qq * hq.transpose())[0, 0]))
        fl = float(np.sum((Lam @ np.maximum(h, 0)) ** 2)) / float(h @ Qf @ h)
        err_acc = max(err_acc, abs(a - exact) / exact)
        err_float = max(err_float, abs(fl - exact) / exact)
    cond = float(np.linalg.cond(Xt.T @ Xt))
    bound = 100 * np.finfo(float).eps * np.sqrt(cond)
    return Outcome(bool(err_acc <= bound and err_float > 10 * err_acc), float(err_acc),
                   f"20 patterns of random neurons, P = 8, cond(K_X) = {cond:.1e}: least-squares "
                   f"ratio within {err_acc:.1e} (relative) of the exact one (bound 100 eps "
                   f"sqrt(cond) = {bound:.1e}); through the float K_X^-1 {err_float:.1e}")


def witness_block_minima() -> Outcome:
    """The least quotient on each signed support (J, s) of an ill-conditioned instance (P = 6,
    cond(K_X) ~4e7) in the weight-space form (numeric.solver.accurate_blocks) against the
    defining one, the least generalised eigenvalue of (lam1 C_JJ - D_s Lam^T Lam D_s, C_JJ) with
    the exact C = K_X^-1 at 50 digits (mpmath), on every support whose minimiser lies in the open
    face; the same eigenproblem with the float C for comparison."""
    from numeric.solver import accurate_blocks
    rng = np.random.default_rng(13)
    P, lam1 = 6, 0.05
    Xt = _inputs(rng, P, 6.0)
    Lam = 0.5 * rng.standard_normal((3, P))
    Cf = np.linalg.inv(Xt.T @ Xt)
    with mpmath.workdps(50):
        Xm = mpmath.matrix(Xt.tolist())
        C = (Xm.T * Xm) ** -1
        err, err_float, n = 0.0, 0.0, 0
        for k in range(1, P + 1):
            for J in itertools.combinations(range(P), k):
                for sg in itertools.product([1.0, -1.0], repeat=k):
                    s = np.array(sg)
                    if not np.any(s > 0):
                        continue
                    q, _ = accurate_blocks.block_minima(lam1, Xt, Lam, np.array([J]), s)
                    Fm = [a for a in range(k) if s[a] > 0]
                    CJ = mpmath.matrix([[C[i, j] for j in J] for i in J])
                    AJ = mpmath.matrix(k, k)
                    for a in Fm:
                        for b in Fm:
                            AJ[a, b] = mpmath.fsum(mpmath.mpf(Lam[i, J[a]]) * mpmath.mpf(Lam[i, J[b]])
                                                  for i in range(Lam.shape[0]))
                    R = mpmath.cholesky(CJ) ** -1
                    ev, V = mpmath.eigsy(R * (lam1 * CJ - AJ) * R.T)
                    j = min(range(k), key=lambda t: ev[t])
                    x = np.array([float(v) for v in R.T * V[:, j]])
                    if not (np.all(x * s > 0) or np.all(x * s < 0)):
                        continue
                    exact = float(ev[j])
                    err = max(err, abs(q[0] - exact) / lam1)
                    Jl = list(J)
                    Cb = Cf[np.ix_(Jl, Jl)]
                    D = (s > 0).astype(float)
                    Ab = np.outer(D, D) * (Lam[:, Jl].T @ Lam[:, Jl])
                    L = np.linalg.inv(np.linalg.cholesky(Cb))
                    fl = float(np.min(np.linalg.eigvalsh(L @ (lam1 * Cb - Ab) @ L.T)))
                    err_float = max(err_float, abs(fl - exact) / lam1)
                    n += 1
    cond = float(np.linalg.cond(Xt.T @ Xt))
    bound = 100 * np.finfo(float).eps * np.sqrt(cond)
    return Outcome(bool(n > 20 and err <= bound and err_float > 10 * err), float(err),
                   f"{n} signed supports, P = {P}, cond(K_X) = {cond:.1e}: weight-space minima "
                   f"within {err:.1e} lam1 of the exact ones (bound 100 eps sqrt(cond) = "
                   f"{bound:.1e}); through the float K_X^-1 {err_float:.1e}")


def witness_certified_solve() -> Outcome:
    """End to end: six outputs, P = 6, cond(K_X) = 3.2e7 -- solve, certify, re-verify from the
    JSON; the same solution's certificate with Q rounded to a fixed ROUND_BITS for comparison."""
    from numeric.solver import make_problem, solve_relu
    r = np.random.default_rng(4)
    X = r.standard_normal((5, 6)) * np.logspace(0, -2.5, 5)[:, None]
    prob = make_problem(X, np.sign(r.standard_normal((6, 6))), 0.05, 0.05)
    sol = solve_relu(prob)
    rep = certificate.verify(certificate.build(sol))
    saved = certificate.cost_round_bits
    certificate.cost_round_bits = lambda Qf: certificate.ROUND_BITS
    try:
        fixed = certificate.verify(certificate.build(sol))
    finally:
        certificate.cost_round_bits = saved
    ok = bool(rep.ok and rep.global_optimum and fixed.ok and not fixed.global_optimum)
    return Outcome(ok, rep.rel_gap,
                   f"cond(K_X) = {prob.input_cond():.1e}: certified bracket {rep.rel_gap:.1e} "
                   f"({sol.iterations} rounds); with Q rounded to {certificate.ROUND_BITS} bits "
                   f"{fixed.rel_gap:.1e}, above the 1e-12 tolerance")


register(Claim(
    id="L.solver.conditioning",
    statement="On full-rank inputs the signed minorant round(Q) - delta I, Q = K_X^-1 rounded to "
              "b bits, loses delta |h|^2 <= ~P max|Q| 2^-b |h|^2, a fraction ~P cond(K_X) 2^-b of "
              "the cost on the smallest direction of Q: b >= 52 + log2(P cond) keeps it below "
              "the 2^-44 shrink's margin. The quotient V(h)/cost(h) evaluated with the "
              "least-squares cost |w|^2, X~^T w = h, errs by ~eps cond(X~) = eps sqrt(cond(K_X)), "
              "where the one through the float K_X^-1 errs by ~eps cond(K_X); so does a signed "
              "block's least quotient, sigma_max(Lam_F X~_F^T Z)^2 with Z an orthonormal basis of "
              "ker X~_{J^c}^T, against the block's generalised eigenproblem through K_X^-1.",
    hypotheses=("K_X = X~^T X~ positive definite (full rank)",
                "the shrink 1 - 2^-44 of the dual point is the first one tried after none",
                "float64 arithmetic for the quotients (backward-stable least squares)"),
    provenance=Provenance("derived here (issue #4)", None, "derived",
                          "Corrects an earlier diagnosis that blamed the dual point: six outputs at "
                          "P = 10, cond 7.2e7 certify at 5.1e-14 instead of 2.8e-11 from the same "
                          "float solution; with violations confirmed by the least-squares quotient "
                          "and the weight-space polish beyond cond 1e8, 60 of 60 ill-conditioned "
                          "instances (cond up to 1.1e11) certify on the signed supports "
                          "(benchmarks/solver/signed_conditioning.py)."),
    derivation=None,
    witnesses=(Witness("certified delta of the rounded Q below 2^-46 lam_min(Q), cond up to 1e10",
                       "exact", witness_rounding_margin),
               Witness("least-squares quotient = exact quotient, cond ~1e9", "exact",
                       witness_accurate_quotient),
               Witness("signed blocks' minima in weight-space form = exact minima, cond ~4e7",
                       "exact", witness_block_minima),
               Witness("six outputs at cond 3.2e7 certified; a fixed 60 bits is not", "optimisation",
                       witness_certified_solve)),
    notebook=None))
