"""ReLU, whitened hypercube inputs *without* the bias row (claims ``A.relu.nobias`` and
``A.relu.nobias.not-unique``).

Instance: Y the 2^dY sign vectors, each n times (P = n 2^dY); X^T X = I_P and no row of ones, so
K_X = I and Q = I. Derived here (Paper A's summaries treat the network with bias only; "the exact
role of the bias" is an open question in paper-notes.md).

Result (each step checked below, block algebra and Walsh identities from :mod:`symbolic.walsh`):

* with Q = I a ReLU pattern u costs |u|^2 >= |u_+|^2, so the energy is
  lam1 tr K + lam2 tr((lam2 + K)^{-1} K_Y) over completely positive K;
* the half-cube ansatz 2 dY groups sqrt(b/2)(1 +- v_i) gives K = b(dY J + K_Y) -- the same form
  and the same c = dY as with the bias -- with
  E(b) = dY [2 lam1 b P + lam2 P/(lam2 + bP)],
  b* = sqrt(lam2/(2 lam1 P)) - lam2/P,  E* = dY (2 sqrt(2 lam1 lam2 P) - 2 lam1 lam2),
  active iff lam1 lam2 < P/2 (else silent, E = dY P);
* c = dY is forced within the family b(cJ + K_Y): for c < dY the antipodal entries
  b(c - dY) are negative (not completely positive), for c > dY the cost is larger;
* global optimality for every dY, n: at K*, S = lam1 (I - (2/P) K_Y) and for p >= 0
  P/lam1 p^T S p = A + 2 T_o + P W >= 0  (A the antipodal sum, T_o the odd Walsh weight of degree
  >= 3, W the within-class weight);
* zero set (the possible optimal neurons): A = T_o = W = 0, i.e. class-constant patterns whose
  odd part is linear, o(y) = w.y, and with q(y) q(-y) = 0; hence q(y) = 2 max(0, w.y):
  **every ReLU(w.y), w in R^dY, is an optimal neuron**, not only the half-cubes w = +-e_i;
* non-uniqueness (claim ``A.relu.nobias.not-unique``): for dY = 2 the one-hot code (four neurons
  ReLU(+-y_1 +- y_2), K = mu I) and for dY = 3 the edge code (twelve neurons
  ReLU(+-y_i +- y_j), K = (mu/4) sum over edges) reach exactly E*; their parallelism scores are 0
  and 1/3 (numeric witness). Without the bias, global minima need not be abstract.

Failure modes: none in the algebra; cited facts are those of :mod:`symbolic.walsh` and the
operator convexity of the inverse.
"""
from __future__ import annotations

import itertools

import sympy as sp

from symbolic import walsh as W
from symbolic.derivation import Derivation

P, lam1, lam2, b, dY, mu = sp.symbols("P lambda_1 lambda_2 b d_Y mu", positive=True)


def kernel_blocks(scale=b):
    return scale * (dY * W.ones(P) + W.target(P))


def cost_per_pattern():
    """|1 + s v_i|^2 under Q = I."""
    return sp.simplify(W.quad_in_blocks(W.eye(), P, P ** 2, 0, P))


def fit_term(scale=b):
    R = (lam2 * W.eye() + kernel_blocks(scale)).inv()
    return sp.simplify(lam2 * (R * W.target(P)).trace(P, dY))


def energy_along_ansatz():
    return lam1 * 2 * dY * (b / 2) * cost_per_pattern() + fit_term(b)


def b_star():
    return sp.sqrt(lam2 / (2 * lam1 * P)) - lam2 / P


def energy_star():
    return dY * (2 * sp.sqrt(2 * lam1 * lam2 * P) - 2 * lam1 * lam2)


def activity_threshold():
    return P / 2


def dual_blocks(scale):
    R = (lam2 * W.eye() + kernel_blocks(scale)).inv()
    return lam1 * W.eye() - lam2 * R * W.target(P) * R


def dual_closed_form():
    return lam1 * (W.eye() - (2 / P) * W.target(P))


def alternative_kernels():
    """{dY: (K_alt, K_ansatz)} explicit sympy matrices with the same eigenvalue mu on L:
    dY = 2 one-hot K = mu I; dY = 3 edge code K = (mu/4) sum_edges (e_y + e_y')(e_y + e_y')^T."""
    out = {}
    for d in (2, 3):
        Y, J, KY, Pn = W.explicit_matrices(d, 1)
        pats = []
        if d == 2:
            ws = [w for w in itertools.product([-1, 1], repeat=2)]
        else:
            ws = []
            for i, j in itertools.combinations(range(3), 2):
                for si, sj in itertools.product([-1, 1], repeat=2):
                    w = [0, 0, 0]
                    w[i], w[j] = si, sj
                    ws.append(w)
        for w in ws:
            pats.append(sp.Matrix([sp.Max(0, sum(w[i] * Y[i, k] for i in range(d)))
                                   for k in range(Pn)]))
        K = sum((p * p.T for p in pats), sp.zeros(Pn, Pn))
        ev = (Y[0, :] * K * Y[0, :].T)[0, 0] / Pn          # eigenvalue on v_1
        out[d] = (mu / ev * K, (mu / Pn) * (d * J + KY), pats)
    return out


def explicit_energy(K, d):
    """lam1 tr K + lam2 tr((lam2 + K)^{-1} K_Y) for explicit K (Q = I, patterns >= 0)."""
    Y, J, KY, Pn = W.explicit_matrices(d, 1)
    return lam1 * K.trace() + lam2 * ((lam2 * sp.eye(Pn) + K).inv() * KY).trace()


def derivation() -> Derivation:
    d = Derivation("A.relu.nobias: optimum of the ReLU hypercube task without the bias row",
                   assumptions="lam1, lam2 > 0; P = n 2^dY; X^T X = I_P, no bias (Q = I); "
                               "phi = ReLU")
    u_p, u_m = sp.symbols("a_+ a_-", nonnegative=True)
    d.add("with Q = I a pattern u = p - q (disjoint supports) costs |p|^2 + |q|^2 >= |p|^2",
          u_p ** 2 + u_m ** 2, u_p ** 2, "q only adds cost; ReLU(u) = p", relation="ge")
    d.add("cost of a half-cube pattern 1 + s v_i under Q = I", cost_per_pattern(), 2 * P,
          "1^T x = P, v_i^T x = sP")
    d.add("data-fit term on K = b(dY J + K_Y)", fit_term(b), dY * lam2 * P / (lam2 + b * P),
          "block algebra")
    E = energy_along_ansatz()
    d.add("energy along the ansatz", E, dY * (2 * lam1 * b * P + lam2 * P / (lam2 + b * P)),
          "cost + fit")
    d.add("dE/db = 0 at b* = sqrt(lam2/(2 lam1 P)) - lam2/P", sp.diff(E, b).subs(b, b_star()), 0,
          "substitute")
    d.add("E(b) is convex", sp.diff(E, b, 2), 0, "positive second derivative", relation="ge")
    d.add("optimal energy", E.subs(b, b_star()), energy_star(), "substitute b*")
    d.add("b* > 0 exactly when lam1 lam2 < P/2",
          sp.factor((lam2 + b_star() * P) ** 2 - lam2 ** 2),
          lam2 * (activity_threshold() - lam1 * lam2) / lam1, "square both sides")
    c = sp.Symbol("c", positive=True)
    Y3, J3, KY3, _ = W.explicit_matrices(3, 1)
    d.add("within b(cJ + K_Y) the antipodal entry is b(c - dY) (explicit dY = 3: columns y and "
          "-y), so c >= dY is needed for K >= 0 entrywise", (c * J3 + KY3)[0, 7], c - 3,
          "y^T (-y) = -dY")
    d.add("and the cost lam1 tr K = lam1 b P (c + dY) grows with c, so c = dY",
          sp.diff(lam1 * b * P * (c + dY), c), 0, "derivative lam1 b P > 0", relation="ge")
    d.add("dual matrix at K*: S = lam1 (I - (2/P) K_Y)", dual_blocks(b_star()).as_matrix(),
          dual_closed_form().as_matrix(), "block algebra; (lam2 + b* P)^2 = lam2 P/(2 lam1)")
    s, C2, Te, To, Wp, A = W.antipodal_symbols()
    quad = (s ** 2 + C2 + Te + To + P * Wp) - 2 * C2        # P/lam1 p^T S p with Parseval
    rew = quad.subs(s ** 2, A - Te + To + C2)
    d.add("P/lam1 p^T S p with Parseval and the antipodal identity (see A.relu.whitened.n)",
          rew, A + 2 * To + P * Wp, "expand")
    d.add("hence S is copositive for every dY and n", rew, 0, "non-negative terms", relation="ge")
    d.add("Walsh identities and the ReLU reduction (c = 0)", 0, 0, "copositivity <=> V >= 0",
          relation="lemma", lemma="A.relu.whitened.n")
    d.add("ReLU reduction for Q = I", 0, 0, "A.kkt with c = 0", relation="lemma", lemma="A.kkt")
    # zero set: A = T_o = W = 0 <=> q(y) = 2 max(0, w.y)
    a = sp.Symbol("a", nonnegative=True)
    d.add("zero set, case q(-y) = 0: q(y) = 2 o(y) = 2 max(0, o(y)) with o = (q(y) - q(-y))/2",
          2 * sp.Max(0, (a - 0) / 2), a, "o(y) = a/2 >= 0")
    d.add("zero set, case q(y) = 0: 2 max(0, o(y)) = 0 = q(y)", 2 * sp.Max(0, (0 - a) / 2), 0,
          "o(y) = -a/2 <= 0")
    # the seed's half-cube pattern is the case w = e_i
    d.add("w = e_i gives 2 max(0, y_i) = 1 + y_i on y_i = +-1",
          sp.Matrix([2 * sp.Max(0, v) - (1 + v) for v in (1, -1)]), sp.zeros(2, 1), "evaluate")
    return d


def nonunique_derivation() -> Derivation:
    d = Derivation("A.relu.nobias.not-unique: non-abstract codes reach E* without the bias",
                   assumptions="as A.relu.nobias, n = 1")
    for dd, (Kalt, Kans, pats) in alternative_kernels().items():
        d.add(f"dY = {dd}: the alternative code has the same energy as b(dY J + K_Y) "
              f"(same eigenvalue mu on L)", explicit_energy(Kalt, dd), explicit_energy(Kans, dd),
              "explicit inverse; tr K_alt = tr K_ansatz = 2 dY mu")
        d.add(f"dY = {dd}: each alternative pattern ReLU(w.y) lies in the zero set of S", 0, 0,
              "q(y) = 2 max(0, w.y)", relation="lemma", lemma="A.relu.nobias")
    return d
