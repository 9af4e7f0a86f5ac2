"""The majorisation step (``A.schur``): which function is Schur-convex, of which variables, and
what it buys.

Schur-convexity (Marshall-Olkin, *Inequalities*, 3.A.4, the Schur-Ostrowski criterion). A
symmetric, continuously differentiable f on an interval power I^n is Schur-convex (x majorised by
y  =>  f(x) <= f(y)) iff for all i != j

    (x_i - x_j) (df/dx_i - df/dx_j) >= 0.

Since every x in R^n majorises its mean vector (xbar, ..., xbar), a Schur-convex f satisfies
f(x) >= f(xbar 1): **among all allocations with the same total, the equal one is best**.

The functions (derived here; whitened hypercube with bias, n = 1, e_i = v_i/sqrt(P)):

1. Fit term on the task directions. For any kernel K, with kappa_i = e_i^T K e_i,

       lam2 tr((lam2 + K)^{-1} K_Y) >= F(kappa) = lam2 P sum_i 1/(lam2 + kappa_i)

   (equality iff every v_i is an eigenvector of K). F is symmetric and Schur-convex on R_+^dY:
   (x - y)(g'(x) - g'(y)) = lam2 P (x - y)^2 (2 lam2 + x + y)/((lam2 + x)^2 (lam2 + y)^2) >= 0.

2. Energy of an allocation. If producing kappa_i on variable i costs c(kappa_i) with c convex,
   E(kappa) = sum_i [c(kappa_i) + g(kappa_i)] is Schur-convex (each term convex). Convex costs:
   * c(kappa) = (lam1/L^2) kappa for every L-Lipschitz phi whose gain L is attained
     (ReLU/threshold-like with the ReLU cost P(P+2)/(P+1) per unit, linear, hard-tanh,
     hard-sigmoid): the Lipschitz lemma and A.odd / A.threshold;
   * tanh with N neurons beta v_i on variable i: c_N(kappa) = lam1 P N artanh(sqrt(kappa/(P N)))^2,
     convex because x -> artanh(sqrt x)^2 is (its derivative artanh(t)/(t (1 - t^2)), t = sqrt x,
     is a product of positive increasing functions: (artanh t / t)' >= 0 from
     u(t) = t/(1 - t^2) - artanh t >= 0, u(0) = 0, u' = 2 t^2/(1 - t^2)^2).
   What it buys: whatever the activation in this class, at a fixed budget the optimal kernel is
   isotropic on the task block (kappa_i equal): K restricted there is b K_Y and the code is
   abstract (PS = 1). The activation only sets the scalar b.

3. Sign balance of threshold units. With squared amplitudes a_{i,s} on the patterns 1 + s v_i,
   the fit term is a convex function of a (K is linear in a) invariant under a_{i,+} <-> a_{i,-}
   (the reflection y_i -> -y_i). Hence it is Schur-convex in each pair (a_{i,+}, a_{i,-}): equal
   split, no 1 v_i^T cross terms, K = b (dY J + K_Y). Schur-Ostrowski checked in sympy for
   dY = 1, 2 (dY = 3 numerically: the sympy factor has mixed-sign coefficients).

4. Width. e(N) = min_kappa c_N(kappa) + g(kappa) is convex in N (N c_1(kappa/N) is the
   perspective of a convex function, jointly convex; partial minimisation keeps convexity), so
   sum_i e(N_i) with sum_i N_i = M is minimised by the balanced allocation
   N_i in {floor(M/dY), ceil(M/dY)} (discrete majorisation).

Where it fails: phi_+(z) = z^p with p > 1. One neuron of amplitude alpha on 1 + s v_i gives
kernel weight ~ alpha^{2p} at cost ~ alpha^2: the cost of kernel weight k is ~ k^{1/p}, concave,
and Schur-Ostrowski reverses (x - y)(c'(x) - c'(y)) <= 0: concentrating weight on few neurons
pays, the mechanism behind the relu2 counterexample of ``A.threshold.power``.
"""
from __future__ import annotations

import sympy as sp

from symbolic.derivation import Derivation

x, y, lam1, lam2, P, L, N = sp.symbols("x y lambda_1 lambda_2 P L N", positive=True)
t = sp.Symbol("t", positive=True)


def g(k):
    """Per-variable fit lam2 P/(lam2 + k)."""
    return lam2 * P / (lam2 + k)


def schur_ostrowski(f, args, i=0, j=1):
    """(x_i - x_j)(df/dx_i - df/dx_j) for a sympy expression f of ``args``."""
    return (args[i] - args[j]) * (sp.diff(f, args[i]) - sp.diff(f, args[j]))


def fit_on_allocation(k):
    return sum(g(ki) for ki in k)


def relu_sign_pair_fit(d: int):
    """(fit as a function of a_{i,s} on the (dY+1)-dim block spanned by 1, v_i, symbols)."""
    a = sp.symbols(" ".join(f"a{i}p a{i}m" for i in range(1, d + 1)), positive=True)
    B = [a[2 * i] + a[2 * i + 1] for i in range(d)]
    C = [a[2 * i] - a[2 * i + 1] for i in range(d)]
    K = sp.zeros(d + 1, d + 1)
    K[0, 0] = sum(B)
    for i in range(d):
        K[0, i + 1] = K[i + 1, 0] = C[i]
        K[i + 1, i + 1] = B[i]
    Ainv = (lam2 * sp.eye(d + 1) + P * K).inv()
    return lam2 * P * sum(Ainv[i, i] for i in range(1, d + 1)), a


def relu_block_check():
    """The block form above equals the fit from the definition for the explicit dY = 1 hypercube:
    returns (definition, block form)."""
    fit, a = relu_sign_pair_fit(1)
    v = sp.Matrix([-1, 1])
    one = sp.ones(2, 1)
    K = a[0] * (one + v) * (one + v).T + a[1] * (one - v) * (one - v).T
    defn = lam2 * ((lam2 * sp.eye(2) + K).inv() * v * v.T).trace()
    return sp.simplify(defn), fit.subs(P, 2)


def derivation() -> Derivation:
    d = Derivation("A.schur: Schur-convexity of the allocation energy across latent variables",
                   assumptions="lam1, lam2 > 0; whitened hypercube with bias, n = 1; kappa_i >= 0")
    d.add("fit term >= F(kappa) = lam2 P sum_i 1/(lam2 + kappa_i), kappa_i = e_i^T K e_i", 0, 0,
          "e^T A^{-1} e >= 1/(e^T A e) (Cauchy-Schwarz); same step as A.odd", relation="cite")
    k3 = sp.symbols("k1:4", positive=True)
    F = fit_on_allocation(k3)
    d.add("F is symmetric (transposition k1 <-> k2, dY = 3)", F.subs({k3[0]: k3[1], k3[1]: k3[0]},
                                                                      simultaneous=True), F,
          "sum of the same function")
    d.add("Schur-Ostrowski for F: (k1 - k2)(dF/dk1 - dF/dk2) >= 0",
          sp.factor(schur_ostrowski(F, k3)), 0,
          "= lam2 P (k1 - k2)^2 (2 lam2 + k1 + k2)/((lam2 + k1)^2 (lam2 + k2)^2)", relation="ge")
    d.add("a symmetric function satisfying Schur-Ostrowski is Schur-convex, and x majorises its "
          "mean vector, so f(x) >= f(xbar 1)", 0, 0, "Marshall-Olkin 3.A.4 and 2.B.1",
          relation="cite")
    lin = sum(lam1 / L ** 2 * ki + g(ki) for ki in k3)
    d.add("linear cost (Lipschitz phi with attained gain): E = sum (lam1/L^2) k_i + F is "
          "Schur-Ostrowski", sp.factor(schur_ostrowski(lin, k3)), 0, "the linear part cancels",
          relation="ge")
    u = t / (1 - t ** 2) - sp.atanh(t)
    d.add("tanh cost: u(t) = t/(1-t^2) - artanh t has u' = 2 t^2/(1 - t^2)^2", sp.diff(u, t),
          2 * t ** 2 / (1 - t ** 2) ** 2, "differentiate")
    sv = sp.Symbol("s", positive=True)
    d.add("u' >= 0 on 0 < t < 1 (t = s/(1+s), s > 0), and u(0) = 0, so artanh(t) <= t/(1-t^2): "
          "(artanh t / t)' >= 0", (2 * t ** 2 / (1 - t ** 2) ** 2).subs(t, sv / (1 + sv)), 0,
          "ratio of positive terms", relation="ge")
    xx = sp.Symbol("x", positive=True)
    d.add("d/dx artanh(sqrt x)^2 = artanh(t)/(t (1 - t^2)) with t = sqrt x: increasing, so the tanh "
          "cost c_N is convex", sp.diff(sp.atanh(sp.sqrt(xx)) ** 2, xx).subs(xx, t ** 2),
          sp.atanh(t) / (t * (1 - t ** 2)), "chain rule")
    d.add("width: N c_1(kappa/N) is a perspective (jointly convex in (kappa, N)); minimising over "
          "kappa keeps convexity in N, so the balanced N_i are optimal", 0, 0,
          "Boyd-Vandenberghe 3.2.6 and 3.2.5; discrete majorisation", relation="cite")
    lhs, rhs = relu_block_check()
    d.add("threshold units: fit on the block spanned by 1, v_i (checked against the definition, dY = 1)",
          lhs, rhs, "explicit 2 x 2 inverse")
    for dd in (1, 2):
        fit, a = relu_sign_pair_fit(dd)
        d.add(f"sign pair (a_1+, a_1-): Schur-Ostrowski of the fit, dY = {dd}",
              sp.factor(schur_ostrowski(fit, a)), 0, "factor: (a_1+ - a_1-)^2 x positive", relation="ge")
    d.add("any dY: the fit is convex in a (K linear in a) and invariant under a_i+ <-> a_i- "
          "(reflection y_i -> -y_i), hence Schur-convex in each pair", 0, 0,
          "symmetric + convex => Schur-convex (Marshall-Olkin 3.C.2); dY = 3 witnessed numerically",
          relation="cite")
    X, Yv = sp.symbols("X Y", positive=True)
    c = sp.sqrt(xx)                       # relu2: kernel weight k costs ~ k^{1/2}
    so = schur_ostrowski(c.subs(xx, x) + c.subs(xx, y), (x, y)).subs({x: X ** 2, y: Yv ** 2})
    d.add("z^2 (p = 2): the cost k^{1/2} reverses Schur-Ostrowski, -(x - y)(c'(x) - c'(y)) >= 0 "
          "(x = X^2, y = Y^2): Schur-concave, concentration pays", sp.factor(-so), 0,
          "(X - Y)^2 (X + Y)/(2 X Y)", relation="ge")
    return d
