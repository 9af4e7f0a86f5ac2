"""Odd activations on the hypercube task (whitened inputs, bias, n = 1): ``A.odd``, ``A.odd.width``
and the lemma ``L.lipschitz-cost`` they (and ``A.threshold``) rest on.

Setting (DESIGN.md conventions). Y holds the P = 2^dY sign vectors as columns, its rows v_i satisfy
1^T v_i = 0, v_i^T v_j = P delta_ij; K_Y = sum_i v_i v_i^T; whitened inputs with the bias row give
Q = (I + J)^{-1} = I - J/(P+1). Energy of a measure rho = sum_k w_k delta_{h_k} (w_k = number of
neurons at pattern h_k)::

    E[rho] = lam1 sum_k w_k h_k^T Q h_k + lam2 tr((lam2 + K)^{-1} K_Y),  K = sum_k w_k phi(h_k) phi(h_k)^T.

Lemma L.lipschitz-cost (derived here). h^T Q h = min_c sum_j (h_j - c)^2 + c^2 (minimiser
c = 1^T h/(P+1): the bias absorbs the common part). If psi is L-Lipschitz with psi(0) = 0, then
taking the same c for psi(h):  psi(h)^T Q psi(h) <= sum_j (psi(h_j) - psi(c))^2 + psi(c)^2
<= L^2 (sum_j (h_j - c)^2 + c^2) = L^2 h^T Q h.  Equality needs every |psi(h_j) - psi(c)| =
L |h_j - c| and |psi(c)| = L |c|.

Lower bound (derived here) for ANY L-Lipschitz phi, psi = phi - phi(0). Because v_i is orthogonal
to 1, v_i^T phi(h) = v_i^T psi(h); with e_i = v_i / sqrt(P) and kappa_i = e_i^T K_psi e_i:

* cost:  lam1 sum w h^T Q h >= (lam1/L^2) tr(Q K_psi) >= (lam1/L^2) sum_i kappa_i
  (Q = Pi_{1-perp} + J/(P(P+1)) dominates the projector on span{v_i});
* fit:   lam2 tr((lam2+K)^{-1} K_Y) = lam2 P sum_i e_i^T (lam2+K)^{-1} e_i
  >= lam2 P sum_i 1 / (lam2 + kappa_i)   (e^T A^{-1} e >= 1/(e^T A e) for unit e);

so E >= sum_i f(kappa_i), f(k) = (lam1/L^2) k + lam2 P/(lam2 + k), and min f gives

    E >= dY e*,   e* = 2 sqrt(lam1 lam2 P)/L - lam1 lam2/L^2   (if lam1 lam2 < L^2 P, else e* = P).

Attainment (A.odd). phi = phi(0) + psi with psi odd and psi(z) = L z on [-z*, z*]: neurons
h = beta v_i (|beta| <= z*) give psi(h) = L beta v_i exactly (v_i has entries +-1) and cost
beta^2 P = |psi(h)|^2 / L^2: every inequality is tight. K* = b* K_Y + c J with

    b* = sqrt(lam2 L^2 / (lam1 P)) - lam2 / P,       c = phi(0)^2 (total mass)  (0 for odd phi),

and (when phi(0) != 0) the neurons must come in +- pairs so that sum_k w_k psi(h_k) = 0
(no 1 v_i^T cross terms). The optimal K restricted to the task block is unique (strict convexity
of f), so for odd phi K* = b* K_Y exactly. Linear (L = 1, z* = inf): attained at width M >= dY.
hard-tanh (L = 1, z* = 1): M >= dY ceil(b*). tanh (L = 1, gain 1 only as z -> 0): the bound is
the M -> infinity limit and is never attained (A.odd.width). Any K = b K_Y + c J is the Gram
matrix of an affine code r(y) = sqrt(b) O y + const, so PS = 1.

Width (A.odd.width, derived here). Linear: rank K <= M leaves dY - min(M, dY) task directions
with kappa_i = 0, each costing f(0) = P: E_M = m e* + (dY - m) P, m = min(M, dY), attained by
b* sum_{i <= m} v_i v_i^T. tanh, N neurons per variable at beta v_i: kernel N tanh(beta)^2 v_i v_i^T,
so at kernel scale b the cost is lam1 P N artanh(sqrt(b/N))^2 = lam1 P (b + 2 b^2 /(3N) + O(N^-2))
> lam1 P b: E_M decreases to dY e* like dY e* + (2/3) lam1 P b*^2 dY^2 / M (envelope theorem).
"""
from __future__ import annotations

import sympy as sp

from symbolic.derivation import Derivation

P, lam1, lam2, L, b, dY, N = sp.symbols("P lambda_1 lambda_2 L b d_Y N", positive=True)
kappa = sp.Symbol("kappa", nonnegative=True)
beta, eps = sp.symbols("beta epsilon", positive=True)


# ------------------------------------------------------------------ lemma L.lipschitz-cost

def variational_cost():
    """(sum_j (h_j - c)^2 + c^2 in terms of S1 = 1^T h, S2 = |h|^2, its minimiser c*, min value)."""
    c, S1, S2 = sp.symbols("c S_1 S_2", real=True)
    expr = S2 - 2 * c * S1 + P * c ** 2 + c ** 2
    c_star = S1 / (P + 1)
    return expr, c, c_star, S2 - S1 ** 2 / (P + 1), (S1, S2)


def lipschitz_derivation() -> Derivation:
    d = Derivation("L.lipschitz-cost: psi L-Lipschitz, psi(0) = 0  =>  psi(h)^T Q psi(h) <= L^2 h^T Q h",
                   assumptions="Q = (I + J)^{-1} (whitened inputs with bias); |psi(a) - psi(b)| <= L|a - b|")
    expr, c, c_star, value, (S1, S2) = variational_cost()
    d.add("stationary point of sum_j (h_j - c)^2 + c^2 is c* = 1^T h / (P+1)",
          sp.diff(expr, c).subs(c, c_star), 0, "d/dc")
    d.add("it is a minimum", sp.diff(expr, c, 2), 0, "second derivative 2(P+1) > 0", relation="ge")
    d.add("min_c sum_j (h_j - c)^2 + c^2 = |h|^2 - (1^T h)^2/(P+1)", expr.subs(c, c_star), value,
          "substitute c*")
    h = sp.Matrix(sp.symbols("h1:4", real=True))
    n = h.rows
    Qn = (sp.eye(n) + sp.ones(n, n)).inv()
    d.add("... which is h^T (I + J)^{-1} h (explicit P = 3)", (h.T * Qn * h)[0, 0],
          value.subs({P: n, S1: sum(h), S2: sum(x ** 2 for x in h)}), "exact inverse of I + J")
    d.add("psi(h)^T Q psi(h) <= sum_j (psi(h_j) - psi(c*))^2 + psi(c*)^2", 0, 0,
          "the minimum over c is below its value at c = c*", relation="cite")
    # termwise Lipschitz: L^2 (h_j - c)^2 = (psi_j - psi_c)^2 + r_j, r_j >= 0; same for c vs 0
    r = sp.symbols("r0:4", nonnegative=True)
    x = sp.symbols("x0:4", real=True)          # x_j = psi(h_j) - psi(c*), x_0 = psi(c*)
    lhs = sum(x[j] ** 2 + r[j] for j in range(4))
    d.add("L^2 (sum_j (h_j - c*)^2 + c*^2) - sum_j (psi(h_j) - psi(c*))^2 - psi(c*)^2 >= 0 "
          "(each term: L^2 (a - b)^2 = (psi(a) - psi(b))^2 + r, r >= 0; psi(0) = 0)",
          lhs, sum(xj ** 2 for xj in x), "sum of the Lipschitz slacks r_j >= 0", relation="ge")
    z = sp.Symbol("z", real=True)
    d.add("tanh is 1-Lipschitz: 1 - tanh'(z) = tanh(z)^2 >= 0 (mean value theorem)",
          1 - sp.diff(sp.tanh(z), z), 0, "tanh' = 1 - tanh^2", relation="ge")
    return d


# ------------------------------------------------------------------ A.odd

def per_variable(k=kappa):
    """f(kappa) = (lam1/L^2) kappa + lam2 P/(lam2 + kappa): the per-variable lower bound."""
    return lam1 / L ** 2 * k + lam2 * P / (lam2 + k)


def kappa_star():
    return sp.sqrt(lam2 * P * L ** 2 / lam1) - lam2


def b_star():
    """b* = sqrt(lam2 L^2/(lam1 P)) - lam2/P (kernel K* = b* K_Y; kappa* = b* P)."""
    return sp.sqrt(lam2 * L ** 2 / (lam1 * P)) - lam2 / P


def per_variable_star():
    """e* = min f = 2 sqrt(lam1 lam2 P)/L - lam1 lam2/L^2 (active regime)."""
    return 2 * sp.sqrt(lam1 * lam2 * P) / L - lam1 * lam2 / L ** 2


def energy_star():
    return dY * per_variable_star()


def activity_threshold():
    """b* > 0 iff lam1 lam2 < L^2 P."""
    return L ** 2 * P


def energy_along_ansatz():
    """E(b) = dY f(bP) on the kernel K = b K_Y (neurons sqrt(b)/L v_i under phi = L z)."""
    return dY * per_variable(b * P)


def hypercube_matrices(d: int):
    import itertools
    cols = list(itertools.product([-1, 1], repeat=d))
    Y = sp.Matrix(d, len(cols), lambda i, j: cols[j][i])
    return Y, len(cols)


def explicit_energy_check(d: int):
    """(energy of K = b K_Y from the definition with explicit 2^d x 2^d matrices, sum_i f(bP))."""
    Y, n = hypercube_matrices(d)
    KY = Y.T * Y
    Qn = (sp.eye(n) + sp.ones(n, n)).inv()
    H = sp.sqrt(b) / L * Y                      # neurons sqrt(b)/L v_i; phi = L z gives K = b K_Y
    K = L ** 2 * H.T * H
    cost = lam1 * (H * Qn * H.T).trace()
    fit = lam2 * ((lam2 * sp.eye(n) + K).inv() * KY).trace()
    return sp.simplify(cost + fit), d * per_variable(b * n).subs(P, n)


def derivation() -> Derivation:
    d = Derivation("A.odd: K* = b* K_Y for odd (and odd + constant) L-Lipschitz phi",
                   assumptions="lam1, lam2 > 0; P = 2^dY; Q = I - J/(P+1); phi - phi(0) odd, "
                               "L-Lipschitz, = L z on [-z*, z*]")
    d.add("cost comparison psi(h)^T Q psi(h) <= L^2 h^T Q h for psi = phi - phi(0)", 0, 0,
          "Lipschitz lemma", relation="lemma", lemma="L.lipschitz-cost")
    d.add("Q = (I - J/P) + J/(P(P+1)): coefficient of J", -1 / (P + 1), -1 / P + 1 / (P * (P + 1)),
          "so Q dominates the projector on 1-perp, hence on span{v_i}")
    d.add("tr(Q K) >= sum_i e_i^T K e_i and e^T A^{-1} e >= 1/(e^T A e) for unit e, A > 0", 0, 0,
          "K >= 0 and Q - Pi_V >= 0; Cauchy-Schwarz (e^T e)^2 <= (e^T A e)(e^T A^{-1} e)",
          relation="cite")
    Y, n = hypercube_matrices(2)
    cvec, xs = sp.Symbol("c"), sp.Matrix(sp.symbols("x1:5", real=True))
    d.add("v_i^T (c 1 + x) = v_i^T x (v_i orthogonal to 1; explicit dY = 2): the constant "
          "phi(0) never reaches the task directions",
          (Y * (cvec * sp.ones(n, 1) + xs)), Y * xs, "1^T v_i = 0")
    f = per_variable()
    d.add("f is convex", sp.diff(f, kappa, 2), 0, "2 lam2 P/(lam2 + kappa)^3 > 0", relation="ge")
    d.add("f'(kappa*) = 0 at kappa* = sqrt(lam2 P L^2/lam1) - lam2", sp.diff(f, kappa).subs(kappa, kappa_star()),
          0, "solve f' = 0")
    d.add("min f = 2 sqrt(lam1 lam2 P)/L - lam1 lam2/L^2", f.subs(kappa, kappa_star()), per_variable_star(),
          "substitute kappa*")
    d.add("kappa* = b* P with b* = sqrt(lam2 L^2/(lam1 P)) - lam2/P", kappa_star(), b_star() * P, "divide by P")
    d.add("b* > 0 exactly when lam1 lam2 < L^2 P", sp.factor((lam2 + b_star() * P) ** 2 - lam2 ** 2),
          lam2 * (activity_threshold() - lam1 * lam2) / lam1, "square both sides")
    for dd in (1, 2):
        lhs, rhs = explicit_energy_check(dd)
        d.add(f"the neurons sqrt(b)/L v_i attain sum_i f(bP) (explicit dY = {dd}, from the definition)",
              lhs, rhs, "exact inverse of the 2^dY x 2^dY matrices")
    d.add("odd phi maps beta v_i to phi(beta) v_i: phi(-beta) = -phi(beta) (tanh)",
          sp.tanh(-beta), -sp.tanh(beta), "v_i has entries +-1")
    u = sp.Symbol("u", real=True)
    d.add("tanh: gain tanh(eps u)/eps -> u as eps -> 0 (bound approached, M -> infinity)",
          sp.limit(sp.tanh(eps * u) / eps, eps, 0), u, "Taylor")
    Ry = sp.Matrix.vstack(sp.sqrt(sp.Symbol("c", positive=True)) * sp.ones(1, n), sp.sqrt(b) * Y)
    d.add("K = c J + b K_Y is the Gram matrix of r(y) = (sqrt(c), sqrt(b) y): affine in y, PS = 1",
          Ry.T * Ry, sp.Symbol("c", positive=True) * sp.ones(n, n) + b * Y.T * Y, "explicit dY = 2")
    return d


# ------------------------------------------------------------------ A.odd.width

def tanh_cost(Nn=N, bb=b):
    """lam1 P N artanh(sqrt(b/N))^2: cost of kernel scale b with N tanh neurons beta v_i."""
    return lam1 * P * Nn * sp.atanh(sp.sqrt(bb / Nn)) ** 2


def tanh_correction():
    """Coefficient C of 1/M in E_M = dY e* + C/M + O(M^-2), N = M/dY per variable (L = 1)."""
    return sp.Rational(2, 3) * lam1 * P * b_star().subs(L, 1) ** 2 * dY ** 2


def rank_limited_energy(m):
    """E_M for the linear network, m = min(M, dY) task directions fitted."""
    return m * per_variable_star() + (dY - m) * P


def width_derivation() -> Derivation:
    d = Derivation("A.odd.width: how the width M enters (linear: rank; tanh: 1/M approach)",
                   assumptions="as A.odd; linear phi = z (L = 1); tanh with N neurons per variable")
    d.add("per-variable bound f(kappa_i) for every measure", 0, 0, "see A.odd", relation="lemma",
          lemma="A.odd")
    d.add("a task direction with kappa_i = 0 costs f(0) = P", per_variable(0), P, "lam2 P/lam2")
    d.add("rank K <= M: at least dY - M of the kappa_i vanish in an eigenbasis of Pi_V K Pi_V, so "
          "E_M >= m e* + (dY - m) P, attained by b* sum_{i<=m} v_i v_i^T", 0, 0,
          "rank of a compression <= rank K", relation="cite")
    x = sp.Symbol("x", positive=True)
    d.add("tanh neurons beta v_i: N tanh(beta)^2 = b gives beta = artanh(sqrt(b/N)); cost "
          "N beta^2 = N artanh(sqrt(b/N))^2 -> b as N -> infinity (linearisation)",
          sp.limit(N * sp.atanh(sp.sqrt(b / N)) ** 2, N, sp.oo), b, "artanh t ~ t")
    ser = sp.series(sp.atanh(sp.sqrt(x)) ** 2, x, 0, 3).removeO()
    d.add("artanh(sqrt x)^2 = x + 2 x^2/3 + O(x^3), so N artanh(sqrt(b/N))^2 = b + 2 b^2/(3N) + O(N^-2)",
          ser, x + sp.Rational(2, 3) * x ** 2, "Taylor series")
    t = sp.Symbol("t", positive=True)
    d.add("artanh(t) >= t on [0, 1): d/dt (artanh t - t) = t^2/(1 - t^2)",
          sp.diff(sp.atanh(t) - t, t), t ** 2 / (1 - t ** 2), "differentiate")
    d.add("... and t^2/(1 - t^2) >= 0 for 0 <= t < 1, so the tanh cost exceeds the linear one and "
          "no finite width attains dY e*", 0, 0, "sign of a ratio of a square and 1 - t^2 > 0",
          relation="cite")
    d.add("envelope theorem: E_M - dY e* = dY * (2/3) lam1 P b*^2 / N + O(N^-2), N = M/dY",
          dY * sp.Rational(2, 3) * lam1 * P * b_star().subs(L, 1) ** 2 / (sp.Symbol("M", positive=True) / dY),
          tanh_correction() / sp.Symbol("M", positive=True), "d/dN at fixed b* of the cost")
    return d
