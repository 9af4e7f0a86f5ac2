"""ReLU, whitened hypercube inputs with bias, n >= 1 samples per class (claim ``A.relu.whitened.n``).

Instance (derived here; the paper's summary states only n = 1, and "the n > 1 formula" is an open
question in paper-notes.md): Y has as columns the 2^dY sign vectors, each repeated n times,
P = n 2^dY; whitened inputs X^T X = I_P (samples of one class have *orthogonal* inputs) with the
bias row, so K_X = I + J and Q = (I + J)^{-1} = I - J/(P+1).

Result (derived here, every step checked below; the block algebra and the Walsh identities are
in :mod:`symbolic.walsh`):

* the n = 1 formulas hold verbatim with P = n 2^dY:
  b*(n) = sqrt((lam2/lam1)(P+1)/(P(P+2))) - lam2/P,   K* = b*(dY J + K_Y),
  E* = dY (2 sqrt(lam1 lam2 P(P+2)/(P+1)) - lam1 lam2 (P+2)/(P+1)),
  silent (b = 0, E = dY P) iff lam1 lam2 >= P(P+1)/(P+2);
  K_Y = Y^T Y is now the n-fold repeated target kernel, so K* is constant on class blocks;
* optimal neurons sqrt(b*/2)(1 +- v_i) with v_i the (repeated) i-th row of Y: they respond
  identically to all samples of a class although those inputs are orthogonal;
* *global* optimality for every dY and n (not only small instances): at K* the dual matrix is
  S = lam1/(P+1) [(P+1) I - J - ((P+2)/P) K_Y], and for p >= 0 with Walsh coordinates
  (s, sum c_i^2, T_e, T_o, W) and antipodal sum A >= 0,

      P (P+1)/lam1 * p^T S p = A + P T_e + (P+2) T_o + P (P+1) W >= 0,

  so S is copositive; with the ReLU reduction of ``A.kkt`` (Q = I - cJ, c = 1/(P+1) <= 1/P) and
  convexity of E in rho, V >= 0 everywhere and V = 0 on the support: a global minimum.
* the silent regime is certified the same way: at K = 0, P p^T S p >= C2 (lam1 (P+2)/(P+1) -
  P/lam2) + (non-negative terms), non-negative iff lam1 lam2 >= P(P+1)/(P+2).

Failure modes: none in the algebra (all steps are identities or sign arguments with positive
symbols); the cited facts are Parseval on the cube, chi_S(-y) = (-1)^|S| chi_S(y), and operator
convexity of A -> A^{-1} on positive definite matrices.
"""
from __future__ import annotations

import sympy as sp

from symbolic import walsh as W
from symbolic.derivation import Derivation

P, lam1, lam2, b, dY = sp.symbols("P lambda_1 lambda_2 b d_Y", positive=True)


def q_blocks():
    """Q = (I + J)^{-1} in the block algebra: (1/(P+1), 1, 1)."""
    return (W.eye() + W.ones(P)).inv()


def kernel_blocks(scale=b):
    """K = scale (dY J + K_Y)."""
    return scale * (dY * W.ones(P) + W.target(P))


def cost_per_pattern():
    """(1 + s v_i)^T Q (1 + s v_i): 1^T x = P, v_i^T x = s P (others 0), no rest component."""
    return sp.simplify(W.quad_in_blocks(q_blocks(), P, P ** 2, 0, P))


def fit_term(scale=b):
    """lam2 tr((lam2 I + K)^{-1} K_Y) on K = scale (dY J + K_Y)."""
    R = (lam2 * W.eye() + kernel_blocks(scale)).inv()
    return sp.simplify(lam2 * (R * W.target(P)).trace(P, dY))


def energy_along_ansatz():
    """2 dY groups of squared amplitude b/2 on the patterns 1 +- v_i."""
    return lam1 * 2 * dY * (b / 2) * cost_per_pattern() + fit_term(b)


def b_star():
    return sp.sqrt((lam2 / lam1) * (P + 1) / (P * (P + 2))) - lam2 / P


def energy_star():
    return dY * (2 * sp.sqrt(lam1 * lam2 * P * (P + 2) / (P + 1)) - lam1 * lam2 * (P + 2) / (P + 1))


def activity_threshold():
    return P * (P + 1) / (P + 2)


def dual_blocks(scale):
    """S = lam1 Q - lam2 R K_Y R at K = scale (dY J + K_Y)."""
    R = (lam2 * W.eye() + kernel_blocks(scale)).inv()
    return lam1 * q_blocks() - lam2 * R * W.target(P) * R


def dual_closed_form():
    """S* = lam1/(P+1) [(P+1) I - J - ((P+2)/P) K_Y] as blocks."""
    return (lam1 / (P + 1)) * ((P + 1) * W.eye() - W.ones(P) - ((P + 2) / P) * W.target(P))


def _explicit_kernel_check(d, n):
    Y, J, KY, Pn = W.explicit_matrices(d, n)
    K = sp.zeros(Pn, Pn)
    for i in range(d):
        for s in (1, -1):
            x = sp.ones(Pn, 1) + s * Y[i, :].T
            K += (b / 2) * x * x.T
    return K, b * (d * J + KY)


def _explicit_fit_check(d, n):
    Y, J, KY, Pn = W.explicit_matrices(d, n)
    lhs = lam2 * ((lam2 * sp.eye(Pn) + b * (d * J + KY)).inv() * KY).trace()
    return sp.simplify(lhs), fit_term(b).subs({P: Pn, dY: d})


def derivation() -> Derivation:
    d = Derivation("A.relu.whitened.n: b*, K*, E* and global optimality for n samples per class",
                   assumptions="lam1, lam2 > 0; P = n 2^dY; X^T X = I_P with bias (K_X = I + J); "
                               "phi = ReLU")
    # --- the Walsh identities, cited, and confirmed on a generic explicit instance -------------
    pv = sp.Matrix(8, 1, lambda i, _: sp.Symbol(f"p{i}", real=True))
    (par_l, par_r), (ant_l, ant_r) = W.explicit_walsh_identities(2, 2, pv)
    d.add("Parseval on the cube with repeated samples: P|p|^2 = s^2 + sum c_i^2 + T_e + T_o + P W",
          0, 0, "characters chi_S (x) 1_n and within-class vectors form an orthogonal basis",
          relation="cite")
    d.add("... confirmed for a generic p at dY = 2, n = 2", par_l, par_r, "expand both sides")
    d.add("antipodal identity: s^2 - sum c_i^2 + T_e - T_o = n^2 2^dY sum_y q(y) q(-y)",
          0, 0, "chi_S(-y) = (-1)^|S| chi_S(y) and Parseval for the class means q", relation="cite")
    d.add("... confirmed for a generic p at dY = 2, n = 2", ant_l, ant_r, "expand both sides")
    # --- the ansatz ------------------------------------------------------------------------
    d.add("cost of a half-cube pattern 1 + s v_i under Q = I - J/(P+1), any n",
          cost_per_pattern(), P * (P + 2) / (P + 1), "1^T x = P, v_i^T x = sP, block algebra")
    K_l, K_r = _explicit_kernel_check(2, 2)
    d.add("2 dY groups of squared amplitude b/2 give K = b(dY J + K_Y) (explicit dY = 2, n = 2)",
          K_l, K_r, "cross terms 1 v^T cancel between s = +1 and s = -1")
    d.add("data-fit term on K = b(dY J + K_Y) for any n", fit_term(b),
          dY * lam2 * P / (lam2 + b * P), "K_Y has eigenvalue P on the dY-dimensional block L")
    for dd, nn in ((1, 2), (1, 3)):
        lhs, rhs = _explicit_fit_check(dd, nn)
        d.add(f"... confirmed by the exact inverse at dY = {dd}, n = {nn}", lhs, rhs,
              "explicit P x P matrices")
    E = energy_along_ansatz()
    d.add("energy along the ansatz", E,
          dY * (lam1 * b * P * (P + 2) / (P + 1) + lam2 * P / (lam2 + b * P)),
          "cost + fit; identical to n = 1 with P = n 2^dY")
    d.add("dE/db = 0 at b*(n) (the n = 1 formula with P = n 2^dY)",
          sp.diff(E, b).subs(b, b_star()), 0, "substitute")
    d.add("E(b) is convex", sp.diff(E, b, 2), 0, "2 dY lam2 P^3 / (lam2 + bP)^3 > 0", relation="ge")
    d.add("optimal energy", E.subs(b, b_star()), energy_star(), "substitute b*")
    d.add("b* > 0 exactly below the activity threshold",
          sp.factor((lam2 + b_star() * P) ** 2 - lam2 ** 2),
          lam2 * (activity_threshold() - lam1 * lam2) / lam1, "square both sides")
    # --- global optimality: the dual matrix and its copositivity -------------------------------
    d.add("dual matrix at K*: S = lam1/(P+1) [(P+1) I - J - ((P+2)/P) K_Y]",
          dual_blocks(b_star()).as_matrix(), dual_closed_form().as_matrix(),
          "block algebra; (lam2 + b* P)^2 = (lam2/lam1) P (P+1)/(P+2)")
    s, C2, Te, To, Wp, A = W.antipodal_symbols()
    quad = lambda s_, c2_, pn2: (P + 1) * pn2 - P * s_ ** 2 - (P + 2) * c2_
    rewritten = quad(s, C2, s ** 2 + C2 + Te + To + P * Wp).subs(s ** 2, A - Te + To + C2)
    d.add("P (P+1)/lam1 p^T S p with Parseval, then s^2 from the antipodal identity",
          rewritten, A + P * Te + (P + 2) * To + P * (P + 1) * Wp, "expand")
    d.add("hence S is copositive for every dY and n (A >= 0 for p >= 0)", rewritten, 0,
          "every term is a non-negative symbol times a positive coefficient", relation="ge")
    d.add("complementary slackness: p = 1 + s v_i (s = P, sum c^2 = P^2, T = W = 0) is a zero",
          quad(P, P ** 2, P ** 2 + P ** 2), 0, "P|p|^2 = s^2 + c_i^2")
    d.add("ReLU reduction V(u) >= V(u_+) for Q = I - cJ, c = 1/(P+1) <= 1/P", 0, 0,
          "first variation and copositivity", relation="lemma", lemma="A.kkt")
    d.add("E is convex in rho, so V >= 0 with V = 0 on the support is sufficient", 0, 0,
          "cost linear in rho; K -> tr((lam2 + K)^{-1} K_Y) convex (operator convexity of the "
          "inverse); K linear in rho", relation="cite")
    # --- silent regime -------------------------------------------------------------------------
    S0 = lam1 * q_blocks() - (1 / lam2) * W.target(P)
    silent = (S0.c * s ** 2 + S0.l * C2 + S0.r * (Te + To + P * Wp)).subs(s ** 2, A - Te + To + C2)
    margin = lam1 * (P + 2) / (P + 1) - P / lam2
    d.add("silent network (K = 0): P p^T S p after the antipodal substitution",
          sp.expand(silent - C2 * margin),
          sp.expand(lam1 * A / (P + 1) + lam1 * P * Te / (P + 1) + lam1 * (P + 2) * To / (P + 1)
                    + lam1 * P * Wp),
          "block algebra: S(0) = lam1 Q - K_Y/lam2")
    d.add("the coefficient of sum c_i^2 is >= 0 iff lam1 lam2 >= P(P+1)/(P+2)",
          sp.factor(margin * lam2 * (P + 1)), (P + 2) * (lam1 * lam2 - activity_threshold()),
          "so the silent network is globally optimal exactly in the silent regime")
    return d
