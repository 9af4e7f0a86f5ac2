"""Threshold-like activations phi(z) = phi_+(z) 1{z >= 0}, phi_+(0) = 0, on the hypercube task
(whitened inputs with bias, n = 1, P = 2^dY): ``A.threshold`` and ``A.threshold.power``.

Mass and amplitude. A neuron's squared amplitude scales its cost by alpha^2 but its kernel
contribution by phi_+(2 alpha)^2, so unless phi is positively 1-homogeneous the number of neurons
at a pattern (the atom's weight N) and their amplitude are separate variables. On the tuned
ansatz (N neurons alpha (1 + s v_i) per signed group (i, s); phi maps the entries {0, 2 alpha} to
{0, phi_+(2 alpha)}, so phi(h) = (phi_+(2 alpha)/2)(1 + s v_i)):

    K = b (dY J + K_Y),  b = N phi_+(z)^2 / 2,  z = 2 alpha,
    E = dY [ lam1 c b (z/phi_+(z))^2 + lam2 P/(lam2 + b P) ],   c = P(P+2)/(P+1).

Only the gain phi_+(z)/z matters, through lam1 -> lam1 (z/phi_+(z))^2.

Theorem (derived here). If phi is L-Lipschitz and its gain reaches L (phi_+(z) = L z on
(0, z_lin]), then for every measure (any width, any masses)

    E_phi[rho] >= E_ReLU,lam1/L^2[rho'] >= E*_ReLU(lam1/L^2, lam2),

where rho' moves each atom h to phi(h) >= 0 (ReLU fixes it, so the kernel is unchanged, and the
Lipschitz lemma L.lipschitz-cost lowers the cost by at least L^2). The tuned ansatz with
z <= z_lin attains it, so

    K* = b_L (dY J + K_Y),  b_L = sqrt((lam2 L^2/lam1)(P+1)/(P(P+2))) - lam2/P,
    E* = dY (2 L^-1 sqrt(lam1 lam2 P(P+2)/(P+1)) - L^-2 lam1 lam2 (P+2)/(P+1)).

For clipped ReLU (L = 1, z_lin = 1) the coefficient is unchanged from ReLU; the neurons must
keep 2 alpha <= 1, so each group needs N >= 2 b_L / (L z_lin)^2 neurons: width
M >= 2 dY ceil(2 b_L / (L z_lin)^2) suffices. Global optimality is inherited from the ReLU
problem (certified exactly for dY = 2, 3 by A.kkt); everything else is derived for all dY.

Homogeneous phi_+ = z^p (A.threshold.power). With b = N z^{2p}/2 the cost of a group is
dY lam1 c N^{1 - 1/p} (2b)^{1/p}/2:
* p = 1 (ReLU): independent of N;
* p < 1: decreasing in N and -> 0 as N -> infinity: inf E = 0, no optimum at infinite width;
* p > 1: increasing in N (one neuron per group is best; the cost k^{1/p} of kernel weight k is
  concave) and the free-mass problem is again degenerate (N -> 0, z -> infinity). For networks
  (integer N) the tuned family is a candidate only: for p = 2 networks of dY + 1 dense neurons
  beat every tuned network (counterexample witnessed in the registry), and their kernel is not
  of the form b (c J + K_Y).

Failure modes of the theorem: phi not Lipschitz (z^p, p > 1), gain below the Lipschitz constant
(the bound is then not attained), phi_+(0) != 0 or phi != 0 on z < 0 (hard-sigmoid: not
threshold-like; see A.odd).
"""
from __future__ import annotations

import sympy as sp

from symbolic.derivation import Derivation
from symbolic import relu_whitened as relu

P, lam1, lam2, b, dY, L, N = sp.symbols("P lambda_1 lambda_2 b d_Y L N", positive=True)
alpha, z, p = sp.symbols("alpha z p", positive=True)
phi_plus = sp.Function("phi_+")


def cost_per_pattern():
    return relu.cost_per_pattern().subs(relu.P, P)


def energy_tuned(gain=None):
    """E on the tuned ansatz at kernel scale b, with gain phi_+(z)/z (symbol L by default)."""
    g = L if gain is None else gain
    c = cost_per_pattern()
    return dY * (lam1 * c * b / g ** 2 + lam2 * P / (lam2 + b * P))


def b_star():
    return sp.sqrt((lam2 * L ** 2 / lam1) * (P + 1) / (P * (P + 2))) - lam2 / P


def energy_star():
    return dY * (2 * sp.sqrt(lam1 * lam2 * P * (P + 2) / (P + 1)) / L
                 - lam1 * lam2 * (P + 2) / ((P + 1) * L ** 2))


def group_size(z_lin=sp.Symbol("z_lin", positive=True)):
    """Neurons per signed group needed: N >= 2 b_L/(L z_lin)^2."""
    return 2 * b_star() / (L * z_lin) ** 2


def power_group_cost(pp=p):
    """dY lam1 c N^{1-1/p} (2b)^{1/p}/2: cost of kernel scale b with N neurons z^p per group."""
    return dY * lam1 * cost_per_pattern() * N ** (1 - 1 / pp) * (2 * b) ** (1 / pp) / 2


def derivation() -> Derivation:
    d = Derivation("A.threshold: Lipschitz threshold-like phi, whitened hypercube with bias, n = 1",
                   assumptions="lam1, lam2 > 0; P = 2^dY; phi = phi_+ 1{z >= 0}, phi_+(0) = 0, "
                               "L-Lipschitz, phi_+(z) = L z on (0, z_lin]")
    for entry in (0, 2):
        d.add(f"phi on a tuned pattern: the entry {entry} alpha of alpha(1 + s v) maps to "
              f"(phi_+(2 alpha)/2) x {entry}", phi_plus(entry * alpha).subs(phi_plus(0), 0),
              phi_plus(2 * alpha) / 2 * entry, "phi_+(0) = 0")
    Nn, zz = sp.symbols("N z", positive=True)
    bexpr = Nn * phi_plus(zz) ** 2 / 2
    tuned_cost = dY * 2 * Nn * lam1 * cost_per_pattern() * (zz / 2) ** 2
    d.add("group cost in terms of the kernel scale b = N phi_+(z)^2/2: "
          "2 dY N lam1 c alpha^2 = dY lam1 c b (z/phi_+(z))^2",
          tuned_cost, dY * lam1 * cost_per_pattern() * bexpr * (zz / phi_plus(zz)) ** 2,
          "alpha = z/2")
    d.add("the data-fit term on b(dY J + K_Y) is dY lam2 P/(lam2 + bP)", 0, 0,
          "proved for ReLU (same kernel)", relation="lemma", lemma="A.relu.whitened")
    d.add("every measure: E_phi[rho] >= E_ReLU(lam1/L^2)[phi(rho)] (ReLU fixes phi(h) >= 0; cost "
          "lowered by L^2)", 0, 0, "Lipschitz lemma", relation="lemma", lemma="L.lipschitz-cost")
    d.add("... >= E*_ReLU(lam1/L^2): global optimality of the ReLU closed form (exact "
          "copositivity for dY = 2, 3)", 0, 0, "KKT certificate", relation="lemma", lemma="A.kkt")
    E = energy_tuned()
    d.add("stationary point of the tuned energy with gain L", sp.diff(E, b).subs(b, b_star()), 0,
          "dE/db at b_L")
    d.add("b_L is the ReLU b* with lam1 -> lam1/L^2",
          b_star(), relu.b_star_seed().subs({relu.lam1: lam1 / L ** 2, relu.lam2: lam2, relu.P: P}),
          "substitute")
    d.add("optimal energy", E.subs(b, b_star()), energy_star(), "substitute b_L")
    d.add("E* is the ReLU optimum with lam1 -> lam1/L^2", energy_star(),
          relu.energy_star().subs({relu.lam1: lam1 / L ** 2, relu.lam2: lam2, relu.P: P,
                                   relu.dY: dY}), "substitute")
    d.add("clipped ReLU (L = 1): the coefficient is the ReLU one",
          b_star().subs(L, 1), relu.b_star_seed().subs({relu.lam1: lam1, relu.lam2: lam2, relu.P: P}),
          "L = 1")
    d.add("width: a group of N neurons with 2 alpha_k <= z_lin carries at most N L^2 z_lin^2/4 "
          "of the b/2 it needs, so N >= 2 b_L/(L z_lin)^2",
          (group_size() * (L * sp.Symbol("z_lin", positive=True)) ** 2 / 4), b_star() / 2,
          "b/2 per group: K = sum_{i,s} (b/2)(1 + s v_i)(1 + s v_i)^T")
    return d


def power_derivation() -> Derivation:
    d = Derivation("A.threshold.power: phi_+ = z^p: width, mass and amplitude",
                   assumptions="tuned ansatz, N neurons alpha(1 + s v_i) per group, phi_+ = z^p")
    Nn = N
    bexpr = Nn * (2 * alpha) ** (2 * p) / 2
    cost = dY * 2 * Nn * lam1 * cost_per_pattern() * alpha ** 2
    d.add("b = N (2 alpha)^{2p}/2: group cost = dY lam1 c N^{1 - 1/p} (2b)^{1/p}/2",
          sp.powsimp(sp.expand_power_base(power_group_cost().subs(b, bexpr), force=True), force=True),
          cost, "eliminate alpha")
    d.add("p = 1: the cost does not depend on N (ReLU: mass and amplitude interchangeable)",
          sp.diff(power_group_cost(1), N), 0, "N^0")
    pp = sp.Rational(1, 2)
    d.add("p = 1/2: the cost decreases in N ...", -sp.diff(power_group_cost(pp), N), 0,
          "N^{-1}", relation="ge")
    d.add("... to 0 as N -> infinity, so inf E = inf_b dY lam2 P/(lam2 + bP) = 0: no optimum",
          sp.limit(power_group_cost(pp), N, sp.oo), 0, "N^{1 - 1/p} -> 0")
    d.add("p = 2: the cost increases in N (one neuron per group is best)", sp.diff(power_group_cost(2), N),
          0, "N^{-1/2}/2 > 0", relation="ge")
    a_, bt = sp.symbols("a beta", positive=True)
    d.add("p = 2, dense neurons a 1 + s beta v (a >= beta): entries (a + beta)^2, (a - beta)^2 = "
          "(a^2 + beta^2) + 2 s a beta v: an affine code with a constant part",
          sp.Matrix([(a_ + bt) ** 2, (a_ - bt) ** 2]),
          sp.Matrix([a_ ** 2 + bt ** 2 + 2 * a_ * bt, a_ ** 2 + bt ** 2 - 2 * a_ * bt]), "expand")
    wp, wm = sp.symbols("w_+ w_-", positive=True)
    d.add("one neuron of kernel weight w on 1 + s v costs lam1 c (4w)^{1/p}/4; for p = 2 "
          "sqrt(4 w+) + sqrt(4 w-) >= sqrt(4 (w+ + w-)) (subadditive), so merging groups and "
          "neurons lowers the cost", sp.expand((sp.sqrt(4 * wp) + sp.sqrt(4 * wm)) ** 2), 4 * (wp + wm),
          "square both sides: 8 sqrt(w+ w-) >= 0", relation="ge")
    d.add("tuned family: E >= sum_i [lam1 c (4 W_i)^{1/p}/4 + lam2 P/(lam2 + P W_i)] >= dY min_W g(W) "
          "(W_i = total weight on variable i; fit bound of A.schur)", 0, 0,
          "fit >= lam2 P sum 1/(lam2 + kappa_i), kappa_i = P W_i", relation="lemma", lemma="A.schur")
    d.add("for p = 2 a network of dY + 1 dense neurons goes below dY min_W g(W) (dY = 2, 3): the "
          "counterexample witness", 0, 0, "registry witness", relation="cite")
    return d
