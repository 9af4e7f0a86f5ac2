"""Neuron tuning and the minimal width (claims ``A.relu.tuning`` and ``A.relu.width``).

Setting: ReLU, hypercube task with n >= 1 samples per class, whitened inputs with the bias row
(K_X = I + J), active regime lam1 lam2 < P(P+1)/(P+2) (:mod:`symbolic.samples`).

Tuning (stated in Paper A: optimal patterns h = alpha(1 +- v_i); derived here in full):

1. *Zero set.* By the Walsh certificate of ``A.relu.whitened.n``,
   P(P+1)/lam1 p^T S* p = A + P T_e + (P+2) T_o + P(P+1) W, so p >= 0 is a zero iff
   W = 0 (class-constant), T_e = T_o = 0 (the class mean q has degree <= 1: q(y) = a + c.y) and
   A = 0. Then sum_y q(y) q(-y) = 2^dY (a^2 - |c|_2^2) = 0 gives a = |c|_2, while q >= 0 at
   y = -sign(c) gives a >= |c|_1. Since |c|_1^2 - |c|_2^2 = 2 sum_{i<j} |c_i||c_j| >= 0, equality
   forces at most one c_i != 0: **q = a(1 +- y_i)**. The zero set is exactly the 2 dY rays
   alpha(1 +- v_i).
2. *Every optimum has the same dual matrix.* E is convex in rho and linear in the cost; along a
   segment K + tD of optimal kernels the fit F(K) = lam2 tr((lam2 + K)^{-1} K_Y) must be affine,
   but F'' = 2 lam2 tr(R D R D R K_Y) = 2 lam2 |R^{1/2} D R Y^T|^2, so D R Y^T = 0, hence
   (lam2 + K + tD) R Y^T = Y^T: R Y^T, and with it S = lam1 Q - lam2 (R Y^T)(R Y^T)^T, is the
   same at every optimum, and K Y^T = b* P Y^T for every optimal K.
3. *Complementary slackness* (int V drho = 0 with V >= 0) puts every optimal measure on the zero
   set: K = sum_{i,s} a_{i,s} (1 + s v_i)(1 + s v_i)^T. Then
   K v_j = P (a_{j+} - a_{j-}) 1 + P (a_{j+} + a_{j-}) v_j = b* P v_j forces a_{j+-} = b*/2:
   **the optimal kernel K* is unique, and every global minimum, of any width, is abstract**
   (each neuron depends on one latent variable only, so the coding vectors do not depend on the
   context: PS = 1 whenever dY >= 2).

Width (the summaries say M >= 2^dY; derived here):

4. Each of the 2 dY rays carries mass b*/2 > 0, and a width-M network realises a measure with at
   most M atoms (ReLU is positively 2-homogeneous, so a neuron's output weight merges into its
   pattern). Hence the optimum is reachable iff **M >= 2 dY**; 2 dY <= 2^dY, with equality only
   for dY = 1, 2, so the stated M >= 2^dY is sufficient and not tight for dY >= 3.
5. Below that width the best energy is *strictly* larger: at fixed M the energy is continuous
   and coercive in the M patterns (Q is positive definite), so its minimum is attained, by a
   measure with at most 2 dY - 1 atoms, which is not optimal by 3.
6. Boundary, exactly solvable case dY = 1 (P = 2), M = 1: the best single neuron fires on one
   sample, with pattern (0, t), and E_1 = E* + (1 - u)^2 with u = sqrt(2 lam1 lam2 / 3) < 1.

Cited: operator convexity of the inverse; that a continuous coercive function on R^k attains its
minimum; the Cauchy-Schwarz equality |c|_1 = |c|_2 iff at most one non-zero entry (checked below
through the identity |c|_1^2 - |c|_2^2 = 2 sum_{i<j} |c_i||c_j|).
"""
from __future__ import annotations

import itertools

import sympy as sp

from symbolic import walsh as W
from symbolic.derivation import Derivation

lam1, lam2, b, t = sp.symbols("lambda_1 lambda_2 b t", positive=True)


def width_one_energy_dy1():
    """E(t) of one neuron with pattern (0, t) for dY = 1, P = 2 (derived: cost 2t^2/3)."""
    return sp.Rational(2, 3) * lam1 * t ** 2 + 1 + lam2 / (lam2 + t ** 2)


def width_one_optimum_dy1():
    """(t^2 at the optimum, E_1) for dY = 1, M = 1."""
    t2 = sp.sqrt(3 * lam2 / (2 * lam1)) - lam2
    u = sp.sqrt(2 * lam1 * lam2 / 3)
    return t2, 1 + 2 * u - u ** 2


def _pattern_cost_dy1(h1, h2):
    Q = (sp.eye(2) + sp.ones(2, 2)).inv()
    h = sp.Matrix([h1, h2])
    return (h.T * Q * h)[0, 0]


def tuning_derivation() -> Derivation:
    d = Derivation("A.relu.tuning: the zero set of S*, uniqueness of K*, abstraction of every "
                   "global minimum", assumptions="as A.relu.whitened.n, active regime")
    d.add("S* copositive with P(P+1)/lam1 p^T S p = A + P T_e + (P+2) T_o + P(P+1) W", 0, 0,
          "Walsh certificate", relation="lemma", lemma="A.relu.whitened.n")
    # 1. zero set
    a = sp.Symbol("a", real=True)
    c = sp.symbols("c1:4", real=True)
    ys = list(itertools.product([-1, 1], repeat=3))
    q = lambda y: a + sum(ci * yi for ci, yi in zip(c, y))
    d.add("degree <= 1 class mean q = a + c.y: sum_y q(y) q(-y) = 2^dY (a^2 - |c|^2) (dY = 3)",
          sum(q(y) * q(tuple(-v for v in y)) for y in ys), 8 * (a ** 2 - sum(ci ** 2 for ci in c)),
          "expand over the 8 vertices")
    cabs = sp.symbols("k1:4", nonnegative=True)                  # k_i = |c_i|
    d.add("|c|_1^2 - |c|_2^2 = 2 sum_{i<j} |c_i||c_j| (dY = 3)",
          sum(cabs) ** 2 - sum(k ** 2 for k in cabs),
          2 * sum(cabs[i] * cabs[j] for i, j in itertools.combinations(range(3), 2)), "expand")
    d.add("... which is >= 0, with equality iff at most one c_i != 0; with a = |c|_2 (A = 0) and "
          "a >= |c|_1 (q >= 0 at y = -sign c) equality holds, so q = a(1 +- y_i)",
          2 * sum(cabs[i] * cabs[j] for i, j in itertools.combinations(range(3), 2)), 0,
          "products of non-negative numbers", relation="ge")
    # 2. same dual matrix at every optimum: second derivative of the fit term along a segment
    n = 2
    K = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"k{min(i, j)}{max(i, j)}", real=True))
    D = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"d{min(i, j)}{max(i, j)}", real=True))
    KY = sp.Matrix(n, n, lambda i, j: sp.Symbol(f"q{min(i, j)}{max(i, j)}", real=True))
    eps = sp.Symbol("epsilon", real=True)
    B = lam2 * sp.eye(n) + K
    F = lam2 * ((B + eps * D).inv() * KY).trace()
    R = B.inv()
    d.add("F''(0) along K + eps D equals 2 lam2 tr(R D R D R K_Y) (fully symbolic 2 x 2)",
          sp.diff(F, eps, 2).subs(eps, 0), 2 * lam2 * (R * D * R * D * R * KY).trace(),
          "differentiate twice")
    d.add("with K_Y = Y^T Y this is 2 lam2 |R^{1/2} D R Y^T|_F^2 >= 0, zero iff D R Y^T = 0; an "
          "affine F along a segment of optima then gives (lam2 + K + tD) R Y^T = Y^T, so R Y^T "
          "and S are the same at every optimum and K Y^T = b* P Y^T", 0, 0,
          "cyclic trace; E convex in rho with linear cost (derived here)", relation="cite")
    # 3. masses
    Y, J, KYe, Pn = W.explicit_matrices(2, 1)
    masses = sp.symbols("a_1p a_1m a_2p a_2m", nonnegative=True)
    Kx = sp.zeros(Pn, Pn)
    for (i, s), m in zip(((0, 1), (0, -1), (1, 1), (1, -1)), masses):
        x = sp.ones(Pn, 1) + s * Y[i, :].T
        Kx += m * x * x.T
    eqs = list(Kx * Y.T - b * Pn * Y.T)
    sol = sp.solve(eqs, masses, dict=True)
    d.add("K v_j = b* P v_j for a measure on the rays 1 +- v_i forces every mass to b*/2 "
          "(explicit dY = 2: unique solution)",
          sp.Matrix([sol[0][m] for m in masses]) if len(sol) == 1 else sp.Matrix([sp.nan] * 4),
          sp.Matrix([b / 2] * 4), "solve the linear system")
    d.add("complementary slackness puts every optimal measure on the zero set", 0, 0,
          "int V drho = 0 and V >= 0", relation="lemma", lemma="A.kkt")
    return d


def width_derivation() -> Derivation:
    d = Derivation("A.relu.width: the optimum is reachable iff M >= 2 dY",
                   assumptions="as A.relu.tuning; active regime")
    d.add("every optimal measure puts mass b*/2 > 0 on each of the 2 dY rays alpha(1 +- v_i)", 0, 0,
          "zero set + uniqueness of the masses", relation="lemma", lemma="A.relu.tuning")
    kk = sp.Symbol("k", nonnegative=True, integer=True)
    d.add("Bernoulli: 2^k >= 1 + k for integers k >= 0", 0, 0, "binomial theorem", relation="cite")
    d.add("2 dY <= 2^dY (so the stated M >= 2^dY suffices; dY = 1 by hand): with dY = k + 2, "
          "2^dY >= 4(1 + k) and 4(1 + k) - 2 dY = 2k, zero only at dY = 2",
          4 * (1 + kk) - 2 * (kk + 2), 0, "2k >= 0", relation="ge")
    d.add("below 2 dY the minimum over M patterns is attained (continuous, coercive since Q > 0) "
          "by a measure that is not optimal: the best energy is strictly larger", 0, 0,
          "extreme value theorem", relation="cite")
    # 6. dY = 1, M = 1 exactly
    h1 = sp.Symbol("h_1", nonpositive=True)
    tt = sp.Symbol("t", positive=True)
    d.add("dY = 1, one neuron firing on sample 2: the silent entry h_1 <= 0 only adds cost "
          "(derivative of the cost in h_1 at h_1 = 0 is -2t/3 < 0)",
          sp.diff(_pattern_cost_dy1(h1, tt), h1).subs(h1, 0), -2 * tt / 3, "Q = I - J/3")
    d.add("... and the cost of (0, t) is 2t^2/3", _pattern_cost_dy1(0, tt), 2 * tt ** 2 / 3, "")
    z, x = sp.symbols("z x", real=True)
    hboth = (x - z, x + z)
    d.add("a neuron firing on both samples, h = (x - z, x + z) with x >= |z|: cost "
          "2x^2/3 + 2z^2 and fit 2 - 4z^2/(lam2 + 2x^2 + 2z^2), both increasing in x, so its "
          "best is on the boundary x = |z| (one sample silent)",
          _pattern_cost_dy1(*hboth), 2 * x ** 2 / 3 + 2 * z ** 2, "expand")
    hv = sp.Matrix(hboth)
    KYe = sp.Matrix([[1, -1], [-1, 1]])
    fit_both = lam2 * ((lam2 * sp.eye(2) + hv * hv.T).inv() * KYe).trace()
    d.add("... fit term of that neuron", fit_both, 2 - 4 * z ** 2 / (lam2 + 2 * x ** 2 + 2 * z ** 2),
          "Sherman-Morrison")
    E1 = width_one_energy_dy1()
    t2, e1 = width_one_optimum_dy1()
    d.add("fit term of the one-sided neuron (0, t)",
          lam2 * ((lam2 * sp.eye(2) + sp.diag(0, tt ** 2)).inv() * KYe).trace(),
          1 + lam2 / (lam2 + tt ** 2), "diagonal kernel")
    tsq = sp.Symbol("tau", positive=True)
    E1s = E1.subs(t ** 2, tsq)
    d.add("stationary point of E_1 in t^2", sp.diff(E1s, tsq).subs(tsq, t2), 0, "substitute")
    d.add("E_1 is convex in t^2", sp.diff(E1s, tsq, 2), 0, "2 lam2/(lam2 + t^2)^3 > 0",
          relation="ge")
    d.add("width-1 optimum E_1 = 1 + 2u - u^2, u = sqrt(2 lam1 lam2/3)", E1s.subs(tsq, t2), e1,
          "substitute")
    from symbolic import samples as S
    u = sp.sqrt(2 * lam1 * lam2 / 3)
    Estar = S.energy_star().subs({S.P: 2, S.dY: 1, S.lam1: lam1, S.lam2: lam2})
    d.add("gap to the width-2 optimum: E_1 - E* = (1 - u)^2 > 0 in the active regime (u < 1)",
          e1 - Estar, (1 - u) ** 2, "E* of A.relu.whitened.n at P = 2, dY = 1")
    return d
