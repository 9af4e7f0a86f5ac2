"""Input geometry (claims ``A.inputs.aligned``, ``A.inputs.anisotropic``, ``A.inputs.interaction``).

Paper A (summaries) studies three input geometries -- whitened, target-aligned ("inputs partly
aligned with the output geometry") and anisotropic ("different scales along different
directions") -- and states that input geometry affects learning efficiency while the task sets
the representation geometry. The summaries give no parametrisation; we define three families
(derived here), all for the hypercube task with n = 1 (P = 2^dY), ReLU and the bias row:

    X = [I_P ; F],  X~ = [X ; 1^T],  K_X = I + J + F^T F,

* **aligned(gamma)**:      F = sqrt(gamma) Y             K_X = I + J + gamma K_Y;
* **anisotropic(gamma_i)**: F = diag(sqrt(gamma_i)) Y     K_X = I + J + sum_i gamma_i v_i v_i^T
  (a different scale along each latent direction);
* **interaction(eta)**:    F = sqrt(eta) [y_i y_j]_{i<j}  K_X = I + J + eta sum_{|S|=2} chi_S chi_S^T
  (extra input variance along the pairwise-interaction ("XOR") directions).

Why these: the part of the input that is orthogonal to every task-related direction is the
whitened I_P; the families add variance exactly along task-related Walsh directions (degree 1:
the latent variables; degree 2: their interactions), so K_X stays diagonal in the Walsh basis
chi_S, with eigenvalues k_0 = P + 1 (constant), k_i = 1 + gamma_i P, k_S = 1 + eta P (|S| = 2),
1 otherwise. Write q_S = 1/k_S for the eigenvalues of Q = K_X^{-1}.

Results (derived here, checked below):

1. *Ansatz.* Neuron h = x 1 + s z v_i with |x| <= z fires on the half {y_i = s} with output
   ((x+z)/2)(1 + s v_i): the same half-cube outputs as for whitened inputs, but the silent half
   may carry a negative pre-activation x - z < 0. Its cost is A x^2 + B_i z^2,
   A = P q_0 = P/(P+1), B_i = P q_i. At fixed output scale b = (x+z)^2/2 the cheapest (x, z) gives
   cost c_i b / 2 per neuron with
       c_i = A + B_i                 if gamma_i <= 1  (x = z: silent half exactly at 0),
       c_i = 4 A B_i / (A + B_i)      if gamma_i >= 1  (x/z = B_i/A < 1: silent half inhibited).
2. *Energy.* The energy separates over latent variables:
   E = sum_i [lam1 c_i b_i + lam2 P/(lam2 + b_i P)], so b_i* = sqrt(lam2/(lam1 c_i)) - lam2/P,
   E* = sum_i (2 sqrt(lam1 lam2 c_i) - lam1 lam2 c_i/P), K* = sum_i b_i* (J + v_i v_i^T).
   Aligned inputs (all gamma_i = gamma): K* = b*(dY J + K_Y) -- **the same form**, only b* and E*
   change; E* decreases strictly with gamma (**learning efficiency**). Anisotropic inputs: the
   per-variable scales b_i* differ, so K* is *not* of the form b(c J + K_Y), yet every neuron is
   tuned to one variable: PS = 1 (abstract).
3. *Global optimality (aligned, all gamma >= 0, all dY).* At K*, V/lam1 = (1/P)[sum_S q_S
   (p^_S - q^_S)^2 - (c/P) sum_i p^_i^2] for u = p - q (p = u_+, q = u_-), in Walsh coefficients.
   Using only four facts valid for p, q >= 0 with disjoint supports -- sum_S p^_S q^_S = 0,
   sum_S (-1)^|S| p^_S^2 >= 0, sum_S (-1)^|S| p^_S q^_S >= 0, sum_S (-1)^|S| q^_S^2 >= 0 --
   explicit multipliers make the remainder a sum of PSD 2 x 2 forms, one per character: V >= 0.
   (Multipliers: regime gamma <= 1: sigma_pp = q_0, sigma_pq = q_1 - q_0, sigma_qq = 0,
   mu = -(q_0 + q_1); regime gamma >= 1: with h = 2 q_0 q_1/(q_0 + q_1): sigma_pp =
   2 q_0 h/(q_0+q_1), sigma_pq = sigma_qq = 0, mu = -2h.)
4. *Interaction inputs.* Half-cube neurons have no degree-2 component, so the ansatz and the
   whitened closed form are unchanged for every eta. The same certificate holds iff q_2 >= q_0,
   i.e. **eta <= 1** (interaction variance at most that of the constant direction). For
   eta > 1 the conjunction neuron p = 1{y_i = y_j = 1} has V/lam1 = (P/16)(q_2 - q_0) < 0: the
   abstract K* is **not** optimal, for every dY >= 2. For dY = 2 the conjunctive code (four
   neurons e_y - beta (neighbours of y), K = mu I, PS = 0) has cost per unit mu
   C = 2 + 4 q_0 q_2/(q_0 + q_2) < 2 (q_0 + 1) (abstract), hence strictly lower energy.

Cited: Parseval on the cube and chi_S(-y) = (-1)^|S| chi_S(y) (confirmed on explicit generic
vectors below); the four constraint facts follow from p, q >= 0 with disjoint supports.
"""
from __future__ import annotations

import itertools

import sympy as sp

from symbolic import walsh as W
from symbolic.derivation import Derivation

P, lam1, lam2, b, dY, gamma, eta = sp.symbols("P lambda_1 lambda_2 b d_Y gamma eta", positive=True)
x, z, s_ = sp.symbols("x z s", positive=True)


# ----------------------------------------------------------------- eigenvalues and the ansatz

def q_const(P=P):
    return 1 / (P + 1)


def q_latent(g=gamma, P=P):
    return 1 / (1 + g * P)


def cost_coefficient(qi, q0=None, P=P, regime="auto"):
    """c_i (cost per unit b of the two neurons of variable i) from the eigenvalues q_0, q_i.
    regime 'low' (gamma <= 1: B >= A) or 'high' (gamma >= 1: B <= A)."""
    q0 = q_const(P) if q0 is None else q0
    A, B = P * q0, P * qi
    if regime == "low":
        return A + B
    if regime == "high":
        return 4 * A * B / (A + B)
    raise ValueError("`regime` must be 'low' or 'high'")


def b_star(c, P=P):
    return sp.sqrt(lam2 / (lam1 * c)) - lam2 / P


def energy_star_per_variable(c, P=P):
    return 2 * sp.sqrt(lam1 * lam2 * c) - lam1 * lam2 * c / P


def energy_along_ansatz(c, P=P):
    """One latent variable: lam1 c b + lam2 P/(lam2 + b P)."""
    return lam1 * c * b + lam2 * P / (lam2 + b * P)


def silent_half_ratio(qi, q0=None, P=P):
    """x/z of the cheapest neuron in the high regime: B/A = q_i/q_0."""
    q0 = q_const(P) if q0 is None else q0
    return qi / q0


def conjunctive_cost(q0, q2):
    """dY = 2: cost per unit mu of the conjunctive code with inhibitory neighbours."""
    return 2 + 4 * q0 * q2 / (q0 + q2)


def abstract_cost_dy2(q0, q1=1):
    """dY = 2: cost per unit mu (eigenvalue on span{v_i}) of the abstract code: dY c/P."""
    return 2 * (q0 + q1)


def energy_star_mu(C, tr_ky, lam1=lam1, lam2=lam2):
    """min over mu of lam1 C mu + lam2 tr(K_Y)/(lam2 + mu): 2 sqrt(lam1 lam2 C tr) - lam1 lam2 C."""
    return 2 * sp.sqrt(lam1 * lam2 * C * tr_ky) - lam1 * lam2 * C


# ----------------------------------------------------------------- explicit dY = 2 instance

def explicit_input_kernel(gammas=(0, 0), eta_=0):
    """K_X = X~^T X~ for X = [I_4; F] with bias, dY = 2 (sympy, symbolic parameters allowed)."""
    Y, J, KY, Pn = W.explicit_matrices(2, 1)
    KX = sp.eye(Pn) + J
    for i, g in enumerate(gammas):
        KX += g * Y[i, :].T * Y[i, :]
    if eta_ != 0:
        c12 = sp.Matrix(1, Pn, lambda _, k: Y[0, k] * Y[1, k])
        KX += eta_ * c12.T * c12
    return KX, Y


def _characters(Y):
    d, Pn = Y.shape
    out = {}
    for r in range(d + 1):
        for S in itertools.combinations(range(d), r):
            out[S] = sp.Matrix(Pn, 1, lambda k, _: sp.prod([Y[i, k] for i in S]))
    return out


def _block_steps(d: Derivation, label, M, subs=None):
    """PSD of a symmetric 2 x 2 block: both diagonal entries and the determinant >= 0."""
    M = M if subs is None else M.subs(subs)
    M = M.applyfunc(sp.cancel)
    det = sp.cancel(M[0, 0] * M[1, 1] - M[0, 1] * M[1, 0])
    for name, e in (("[p,p] entry", M[0, 0]), ("[q,q] entry", M[1, 1]), ("determinant", det)):
        d.add(f"{label}: {name} >= 0", e, 0, "positive symbols", relation="ge")


def blocks(qS, c_over_P, sig_pp, sig_pq, sig_qq, mu_, degree_parity, latent=False):
    """2 x 2 form in (p^_S, q^_S) left after subtracting the multiplier terms, for a character of
    given parity (+1 even, -1 odd); ``latent`` adds -c/P to the p^2 coefficient (|S| = 1)."""
    sgn = degree_parity
    pp = qS - (c_over_P if latent else 0) - sig_pp * sgn
    qq = qS - sig_qq * sgn
    pq = -qS - (sig_pq * sgn + mu_) / 2
    return sp.Matrix([[pp, pq], [pq, qq]])


def aligned_derivation() -> Derivation:
    d = Derivation("A.inputs.aligned: target-aligned inputs K_X = I + J + gamma K_Y",
                   assumptions="lam1, lam2 > 0; gamma >= 0; n = 1; ReLU with bias")
    KX, Y = explicit_input_kernel((gamma, gamma))
    chars = _characters(Y)
    Pn = 4
    eig = {(): Pn + 1, (0,): 1 + gamma * Pn, (1,): 1 + gamma * Pn, (0, 1): 1}
    d.add("Walsh characters are eigenvectors of K_X (explicit dY = 2): K_X chi_S = k_S chi_S",
          sp.Matrix.hstack(*[KX * chars[S] - eig[S] * chars[S] for S in chars]),
          sp.zeros(Pn, len(chars)), "X = [I; sqrt(gamma) Y] with bias")
    # cost of h = x 1 + z v_i
    Q = KX.inv()
    h = x * sp.ones(Pn, 1) + z * Y[0, :].T
    d.add("cost of h = x 1 + z v_i is A x^2 + B z^2 with A = P q_0, B = P q_1 (explicit dY = 2)",
          (h.T * Q * h)[0, 0], Pn * x ** 2 / (Pn + 1) + Pn * z ** 2 / (1 + gamma * Pn), "exact inverse")
    d.add("for |x| <= z the output is ((x+z)/2)(1 + v_i)",
          sp.Matrix([sp.Max(0, x + z * yv) for yv in (1, -1)]).subs({x: sp.Rational(1, 3), z: 1}),
          sp.Matrix([sp.Rational(4, 3), 0]), "example x = 1/3, z = 1 (both halves)")
    A, B, sx = sp.symbols("A B sigma", positive=True)
    xs = sx * B / (A + B)
    d.add("min of A x^2 + B z^2 on x + z = sigma is at x = sigma B/(A+B) (stationary point)",
          sp.diff(A * x ** 2 + B * (sx - x) ** 2, x).subs(x, xs), 0, "Lagrange")
    d.add("... with value sigma^2 A B/(A+B)", (A * x ** 2 + B * (sx - x) ** 2).subs(x, xs),
          sx ** 2 * A * B / (A + B), "substitute")
    d.add("feasible (x <= z) iff B <= A, i.e. gamma >= 1: z - x = sigma (A - B)/(A + B)",
          (sx - xs) - xs, sx * (A - B) / (A + B), "z = sigma - x")
    d.add("if B >= A (gamma <= 1) the constrained minimum is on x = z: cost (A+B) sigma^2/4 per "
          "neuron, and A x^2 + B z^2 decreases towards x = z", sp.diff(A * x ** 2 + B * (sx - x) ** 2, x).subs(x, sx / 2),
          sx * (A - B), "derivative at x = z is <= 0")
    d.add("A = B exactly at gamma = 1 (the two regimes join continuously)",
          (1 + gamma * P - (P + 1)).subs(gamma, 1), 0, "k_1 = k_0")
    c = sp.Symbol("c", positive=True)
    E = dY * energy_along_ansatz(c)
    d.add("energy along the ansatz (dY groups, output scale b: b = sigma^2/2)", E,
          dY * (lam1 * c * b + lam2 * P / (lam2 + b * P)), "cost c b per variable + fit")
    d.add("stationary b* = sqrt(lam2/(lam1 c)) - lam2/P", sp.diff(E, b).subs(b, b_star(c)), 0,
          "substitute")
    d.add("E* = dY (2 sqrt(lam1 lam2 c) - lam1 lam2 c/P)", E.subs(b, b_star(c)),
          dY * energy_star_per_variable(c), "substitute")
    d.add("whitened limit gamma = 0 reproduces c = P(P+2)/(P+1)",
          cost_coefficient(q_latent(0), regime="low"), P * (P + 2) / (P + 1), "A.relu.whitened")
    # learning efficiency
    d.add("dE*/dc = dY lam1 lam2 (1/sqrt(lam1 lam2 c) - 1/P) > 0 when active (sqrt(lam1 lam2 c) < P)",
          sp.diff(energy_star_per_variable(c), c), lam1 * lam2 * (1 / sp.sqrt(lam1 * lam2 * c) - 1 / P),
          "differentiate")
    lowc = cost_coefficient(q_latent(), regime="low")
    highc = cost_coefficient(q_latent(), regime="high")
    d.add("dc/dgamma < 0 for gamma <= 1", -sp.diff(lowc, gamma), 0, "P^2/(1+gamma P)^2 > 0",
          relation="ge")
    d.add("dc/dgamma < 0 for gamma >= 1", -sp.diff(highc, gamma), 0, "positive symbols",
          relation="ge")
    # dual matrix coefficient
    d.add("at b*: lam2 P/(lam2 + b* P)^2 = lam1 c/P (so V/lam1 has coefficient c/P^2 on (v_i^T p)^2)",
          lam2 * P / (lam2 + b_star(c) * P) ** 2, lam1 * c / P, "substitute b*")
    _walsh_constraint_checks(d)
    # certificate, regime gamma <= 1: q1 = (q0 + s)/(1 + s), s >= 0
    q0 = q_const()
    q1 = (q0 + s_) / (1 + s_)
    d.add("regime gamma <= 1 parametrised by q_1 = (q_0 + s)/(1 + s), s >= 0 (q_0 <= q_1 < 1)",
          q1 - q0, s_ * (1 - q0) / (1 + s_), "convex combination of q_0 and 1")
    cP = q0 + q1
    mult = dict(sig_pp=q0, sig_pq=q1 - q0, sig_qq=0, mu_=-(q0 + q1))
    d.add("multiplier sigma_pq = q_1 - q_0 >= 0", q1 - q0, 0, "regime gamma <= 1", relation="ge")
    for lab, qS, par, lat in (("constant character", q0, 1, False), ("latent character", q1, -1, True),
                              ("even degree >= 2", sp.Integer(1), 1, False),
                              ("odd degree >= 3", sp.Integer(1), -1, False)):
        _block_steps(d, f"gamma <= 1, {lab}", blocks(qS, cP, degree_parity=par, latent=lat, **mult))
    # certificate, regime gamma >= 1: q1 = q0/(1 + s)
    q1h = q0 / (1 + s_)
    hh = 2 * q0 * q1h / (q0 + q1h)
    mult_h = dict(sig_pp=2 * q0 * hh / (q0 + q1h), sig_pq=0, sig_qq=0, mu_=-2 * hh)
    cPh = 4 * q0 * q1h / (q0 + q1h)
    d.add("regime gamma >= 1: c/P = 4 q_0 q_1/(q_0 + q_1) = 2h", cost_coefficient(q1h, regime="high") / P,
          cPh, "A = P q_0, B = P q_1")
    for lab, qS, par, lat in (("constant character", q0, 1, False), ("latent character", q1h, -1, True),
                              ("even degree >= 2", sp.Integer(1), 1, False),
                              ("odd degree >= 3", sp.Integer(1), -1, False)):
        _block_steps(d, f"gamma >= 1, {lab}", blocks(qS, cPh, degree_parity=par, latent=lat, **mult_h))
    d.add("V >= 0 everywhere: objective = PSD blocks + sum of multipliers x valid constraints; E "
          "convex in rho, so K* = b*(dY J + K_Y) is a global optimum", 0, 0,
          "first variation (no ReLU reduction needed: u = p - q handled directly)",
          relation="lemma", lemma="A.kkt")
    return d


def _walsh_constraint_checks(d: Derivation):
    """Confirm the Walsh forms of the constraint facts on generic explicit vectors (dY = 2)."""
    Y, J, KY, Pn = W.explicit_matrices(2, 1)
    chars = _characters(Y)
    p = sp.Matrix(Pn, 1, lambda k, _: sp.Symbol(f"p{k}", real=True))
    q = sp.Matrix(Pn, 1, lambda k, _: sp.Symbol(f"q{k}", real=True))
    anti = lambda k: Pn - 1 - k                      # index of -y in product order
    hat = lambda v, S: (chars[S].T * v)[0, 0]
    d.add("sum_S p^_S q^_S = P sum_y p(y) q(y) (= 0 for disjoint supports; explicit dY = 2)",
          sum(hat(p, S) * hat(q, S) for S in chars), Pn * (p.T * q)[0, 0], "Parseval")
    d.add("sum_S (-1)^|S| p^_S q^_S = P sum_y p(y) q(-y) (>= 0 for p, q >= 0; explicit dY = 2)",
          sum((-1) ** len(S) * hat(p, S) * hat(q, S) for S in chars),
          Pn * sum(p[k] * q[anti(k)] for k in range(Pn)), "chi_S(-y) = (-1)^|S| chi_S(y)")
    d.add("V in Walsh coordinates: u^T Q u = (1/P) sum_S q_S u^_S^2 and (v_i^T u_+)^2 = p^_i^2",
          0, 0, "Q diagonal in the Walsh basis with eigenvalue q_S on chi_S", relation="cite")


def anisotropic_derivation() -> Derivation:
    d = Derivation("A.inputs.anisotropic: a different input scale along each latent direction",
                   assumptions="lam1, lam2 > 0; gamma_i >= 0; n = 1; ReLU with bias")
    g1, g2, b1, b2 = sp.symbols("gamma_1 gamma_2 b_1 b_2", positive=True)
    KX, Y = explicit_input_kernel((g1, g2))
    chars = _characters(Y)
    eig = {(): 5, (0,): 1 + 4 * g1, (1,): 1 + 4 * g2, (0, 1): 1}
    d.add("Walsh characters are eigenvectors of K_X with k_i = 1 + gamma_i P (explicit dY = 2)",
          sp.Matrix.hstack(*[KX * chars[S] - eig[S] * chars[S] for S in chars]),
          sp.zeros(4, 4), "X = [I; diag(sqrt(gamma_i)) Y] with bias")
    _, J, KY, Pn = W.explicit_matrices(2, 1)
    K = b1 * (J + Y[0, :].T * Y[0, :]) + b2 * (J + Y[1, :].T * Y[1, :])
    d.add("fit term of K = sum_i b_i (J + v_i v_i^T) separates (explicit dY = 2)",
          lam2 * ((lam2 * sp.eye(Pn) + K).inv() * KY).trace(),
          lam2 * Pn / (lam2 + b1 * Pn) + lam2 * Pn / (lam2 + b2 * Pn), "exact inverse")
    d.add("each variable is then the one-variable problem of A.inputs.aligned with its own "
          "c_i = c(gamma_i): b_i* = sqrt(lam2/(lam1 c_i)) - lam2/P", 0, 0,
          "separability", relation="lemma", lemma="A.inputs.aligned")
    bb = sp.Symbol("beta", positive=True)
    diff = K - bb * (2 * J + KY)
    d.add("K* is of the form b(dY J + K_Y) only if b_1 = b_2: the v_1 v_1^T - v_2 v_2^T component "
          "of K* - b(dY J + K_Y) is (b_1 - b_2)/2 (times P^2)",
          (Y[0, :] * diff * Y[0, :].T - Y[1, :] * diff * Y[1, :].T)[0, 0] / (2 * Pn ** 2),
          (b1 - b2) / 2, "v_i^T K v_i = P^2 b_i + ...")
    c1, c2 = sp.symbols("c_1 c_2", positive=True)
    d.add("b_1* - b_2* has the sign of c_2 - c_1: the better-aligned variable gets the larger scale",
          sp.factor(b_star(c1) - b_star(c2)),
          sp.factor(sp.sqrt(lam2 / lam1) * (1 / sp.sqrt(c1) - 1 / sp.sqrt(c2))), "subtract")
    return d


def interaction_derivation() -> Derivation:
    d = Derivation("A.inputs.interaction: input variance along the interaction directions y_i y_j",
                   assumptions="lam1, lam2 > 0; eta >= 0; n = 1; ReLU with bias")
    KX, Y = explicit_input_kernel((0, 0), eta)
    chars = _characters(Y)
    eig = {(): 5, (0,): 1, (1,): 1, (0, 1): 1 + 4 * eta}
    d.add("Walsh characters are eigenvectors of K_X with k_S = 1 + eta P on |S| = 2 (explicit dY = 2)",
          sp.Matrix.hstack(*[KX * chars[S] - eig[S] * chars[S] for S in chars]),
          sp.zeros(4, 4), "X = [I; sqrt(eta) y_1 y_2] with bias")
    Q = KX.inv()
    hp = sp.ones(4, 1) + Y[0, :].T
    d.add("a half-cube pattern has no degree-2 component: its cost is P(P+2)/(P+1) for every eta",
          (hp.T * Q * hp)[0, 0], sp.Rational(4 * 6, 5), "explicit dY = 2")
    d.add("so the ansatz energy and b*, E* are those of whitened inputs", 0, 0,
          "same cost, same fit", relation="lemma", lemma="A.relu.whitened.n")
    q0 = q_const()
    # certificate for eta <= 1: q2 = (q0 + s)/(1 + s)
    q2 = (q0 + s_) / (1 + s_)
    mult = dict(sig_pp=q0, sig_pq=1 - q0, sig_qq=0, mu_=-(q0 + 1))
    cP = q0 + 1
    d.add("eta <= 1 iff q_2 = 1/(1 + eta P) >= q_0 = 1/(P+1); parametrise q_2 = (q_0 + s)/(1 + s)",
          (1 / (1 + eta * P) - q0).subs(eta, 1), 0, "equality at eta = 1")
    for lab, qS, par, lat in (("constant character", q0, 1, False),
                              ("latent character", sp.Integer(1), -1, True),
                              ("degree 2 (interaction)", q2, 1, False),
                              ("even degree >= 4", sp.Integer(1), 1, False),
                              ("odd degree >= 3", sp.Integer(1), -1, False)):
        _block_steps(d, f"eta <= 1, {lab}", blocks(qS, cP, degree_parity=par, latent=lat, **mult))
    d.add("hence for eta <= 1 the abstract whitened optimum stays globally optimal", 0, 0,
          "same argument as for aligned inputs", relation="lemma", lemma="A.inputs.aligned")
    # conjunction neuron
    qq2 = sp.Symbol("q_2", positive=True)
    Vc = (P / 16) * (q0 + 2 + qq2 - 2 * (q0 + 1))
    d.add("conjunction neuron p = 1{y_i = y_j = 1}: p^_S = +-P/4 for S in {0, {i}, {j}, {i,j}}, so "
          "V/lam1 = (1/P)(P/4)^2 [q_0 + 2 + q_2 - 2(q_0 + 1)] = (P/16)(q_2 - q_0)",
          Vc, P * (qq2 - q0) / 16, "c/P = q_0 + 1 at the abstract optimum")
    d.add("explicit dY = 2 check of the conjunction value with the exact Q",
          (sp.Matrix([0, 0, 0, 1]).T * Q * sp.Matrix([0, 0, 0, 1]))[0, 0]
          - sp.Rational(6, 20) * 2,
          4 * (1 / (1 + 4 * eta) - sp.Rational(1, 5)) / 16, "V/lam1 = p^T Q p - (c/P^2) sum_i (v_i^T p)^2")
    d.add("for eta > 1 (q_2 < q_0) this is negative: the abstract K* is not optimal", 0, 0,
          "sign of q_2 - q_0", relation="cite")
    # dY = 2 conjunctive code
    xx = sp.Symbol("x", real=True)
    qa, qb = sp.symbols("q_a q_b", positive=True)
    cost_x = qa * (1 - xx) ** 2 + 2 + qb * (1 + xx) ** 2
    xstar = (qa - qb) / (qa + qb)
    d.add("dY = 2 conjunctive neuron e_y - (x/2)(neighbours): cost per unit mu over 4 neurons is "
          "q_0 (1-x)^2 + 2 + q_2 (1+x)^2, minimal at x = (q_0 - q_2)/(q_0 + q_2)",
          sp.diff(cost_x, xx).subs(xx, xstar), 0, "stationarity")
    d.add("... with value C = 2 + 4 q_0 q_2/(q_0 + q_2)", cost_x.subs(xx, xstar),
          conjunctive_cost(qa, qb), "substitute")
    d.add("abstract minus conjunctive cost per unit mu = 2 q_0 (q_0 - q_2)/(q_0 + q_2) (> 0 iff eta > 1)",
          abstract_cost_dy2(qa) - conjunctive_cost(qa, qb), 2 * qa * (qa - qb) / (qa + qb), "subtract")
    d.add("both codes have fit lam2 tr(K_Y)/(lam2 + mu) (K = mu on span{v_i}), so the energy with "
          "the smaller C is lower for every mu: E*_conj = 2 sqrt(8 lam1 lam2 C) - lam1 lam2 C",
          sp.diff(lam1 * qa * b + 8 * lam2 / (lam2 + b), b).subs(b, sp.sqrt(8 * lam2 / (lam1 * qa)) - lam2),
          0, "stationary mu")
    return d


def _strict_block_steps(d: Derivation, label, M):
    """Positive definiteness of a symmetric 2 x 2 block: [p,p] entry and determinant > 0."""
    M = M.applyfunc(sp.cancel)
    det = sp.factor(sp.cancel(M[0, 0] * M[1, 1] - M[0, 1] * M[1, 0]))
    d.add(f"{label}: [p,p] entry > 0", M[0, 0], 0, "positive symbols", relation="gt")
    d.add(f"{label}: determinant > 0", det, 0, "positive symbols", relation="gt")


def all_minima_derivation() -> Derivation:
    """Every global minimum is abstract for target-aligned inputs (all gamma >= 0, all dY) and for
    interaction inputs with eta < 1: the certificates of ``A.inputs.aligned`` /
    ``A.inputs.interaction`` are positive *definite* on every character of degree >= 2."""
    d = Derivation("L.inputs.all-minima: aligned (any gamma, dY) and interaction (eta < 1) inputs -- "
                   "every optimal neuron affine in the labels",
                   assumptions="lam1, lam2 > 0; n = 1; ReLU with bias; active regime (b* > 0)")
    d.add("V/lam1 = (1/P) sum_S B_S(p^_S, q^_S) + sum of (multiplier >= 0) x (valid constraint >= 0) "
          "for u = p - q (the certificate of A.inputs.aligned), so V = 0 forces B_S(p^_S, q^_S) = 0 "
          "for every character S", 0, 0, "Walsh certificate with explicit multipliers",
          relation="lemma", lemma="A.inputs.aligned")
    q0 = q_const()
    q1 = (q0 + s_) / (1 + s_)
    mult = dict(sig_pp=q0, sig_pq=q1 - q0, sig_qq=0, mu_=-(q0 + q1))
    for lab, par in (("even degree >= 2", 1), ("odd degree >= 3", -1)):
        _strict_block_steps(d, f"aligned, gamma <= 1, {lab}",
                            blocks(sp.Integer(1), q0 + q1, degree_parity=par, **mult))
    for lab, par in (("even degree >= 2", 1), ("odd degree >= 3", -1)):
        # the boundary s = 0 (gamma = 1, q_1 = q_0) is excluded by the positive symbol s
        _strict_block_steps(d, f"aligned, gamma = 1, {lab}",
                            blocks(sp.Integer(1), 2 * q0, degree_parity=par, sig_pp=q0, sig_pq=0,
                                   sig_qq=0, mu_=-2 * q0))
    for lab, par in (("even degree >= 2", 1), ("odd degree >= 3", -1)):
        # gamma = 0 (whitened, q_1 = 1, the limit s -> oo): the multipliers of eta below
        _strict_block_steps(d, f"aligned, gamma = 0, {lab}",
                            blocks(sp.Integer(1), q0 + 1, degree_parity=par, sig_pp=q0,
                                   sig_pq=1 - q0, sig_qq=0, mu_=-(q0 + 1)))
    q1h = q0 / (1 + s_)
    hh = 2 * q0 * q1h / (q0 + q1h)
    mult_h = dict(sig_pp=2 * q0 * hh / (q0 + q1h), sig_pq=0, sig_qq=0, mu_=-2 * hh)
    for lab, par in (("even degree >= 2", 1), ("odd degree >= 3", -1)):
        _strict_block_steps(d, f"aligned, gamma >= 1, {lab}",
                            blocks(sp.Integer(1), 4 * q0 * q1h / (q0 + q1h), degree_parity=par,
                                   **mult_h))
    q2 = (q0 + s_) / (1 + s_)                 # eta < 1 iff q_2 > q_0 iff s > 0
    mult_i = dict(sig_pp=q0, sig_pq=1 - q0, sig_qq=0, mu_=-(q0 + 1))
    for lab, qS, par in (("degree 2", q2, 1), ("even degree >= 4", sp.Integer(1), 1),
                         ("odd degree >= 3", sp.Integer(1), -1)):
        _strict_block_steps(d, f"interaction, eta < 1, {lab}",
                            blocks(qS, q0 + 1, degree_parity=par, **mult_i))
    d.add("a positive definite B_S vanishes only at p^_S = q^_S = 0: every zero u of V has no "
          "Walsh component of degree >= 2, so its activity relu(u) = p is affine in the labels",
          0, 0, "definiteness", relation="cite")
    d.add("affine optimal neurons and no silent variable (b* > 0) give PS = 1 at every global "
          "minimum", 0, 0, "identical coding vectors in every context", relation="lemma",
          lemma="L.solver.affine-minima")
    # which affine neurons: the zero set is exactly the 2 dY closed-form rays
    a_, b_ = sp.symbols("alpha beta", positive=True)
    qa, qb = sp.symbols("q_0 q_1", positive=True)
    Vab = lambda cP: qa * (a_ - b_) ** 2 + qb * (a_ + b_) ** 2 - cP * a_ ** 2
    d.add("affine p, q >= 0 with disjoint supports, both non-zero: complementary half-cubes of one "
          "variable, u = alpha (1 + s v_i) - beta (1 - s v_i); V/(lam1 P) = q_0 (alpha - beta)^2 + "
          "q_1 (alpha + beta)^2 - (c/P) alpha^2", 0, 0,
          "the zero set of a non-negative affine function on the cube is a face", relation="cite")
    d.add("gamma <= 1 (c/P = q_0 + q_1, q_1 >= q_0): V/(lam1 P) = beta ((q_0 + q_1) beta + 2 alpha "
          "(q_1 - q_0)), zero only at beta = 0: the ray 1 + s v_i", Vab(qa + qb),
          b_ * ((qa + qb) * b_ + 2 * a_ * (qb - qa)), "expand")
    d.add("gamma >= 1 (c/P = 4 q_0 q_1/(q_0 + q_1)): V/(lam1 P) = (q_0 + q_1)(beta - alpha (q_0 - "
          "q_1)/(q_0 + q_1))^2, zero only on the closed form's ray x/z = q_1/q_0",
          Vab(4 * qa * qb / (qa + qb)), (qa + qb) * (b_ - a_ * (qa - qb) / (qa + qb)) ** 2, "expand")
    d.add("q = 0 (u = p >= 0 affine, p^_0 >= sum |p^_i|): V/lam1 = (1/P)(q_0 p^_0^2 - k sum p^_i^2) "
          "with q_0 - k = (q_0 - q_1)^2/(q_0 + q_1) >= 0 for gamma >= 1 (k = q_0 for gamma <= 1), so "
          "V = 0 only for a single-variable half-cube (equality in p^_0^2 >= sum p^_i^2)",
          qa - (4 * qa * qb / (qa + qb) - qb), (qa - qb) ** 2 / (qa + qb), "k = c/P - q_1")
    w = sp.symbols("w0p w0m w1p w1m", nonnegative=True)
    Yd = sp.Matrix([[-1, -1, 1, 1], [-1, 1, -1, 1]])
    rays = [(w[0], sp.ones(1, 4) + Yd[0, :]), (w[1], sp.ones(1, 4) - Yd[0, :]),
            (w[2], sp.ones(1, 4) + Yd[1, :]), (w[3], sp.ones(1, 4) - Yd[1, :])]
    Kt = sum((wk * r.T * r for wk, r in rays), sp.zeros(4, 4))
    sol = sp.solve(list(Yd * Kt - Yd), list(w), dict=True)
    d.add("weights: Y K~ = Y (Lambda(K) = kappa* Y, symmetric dual) on the 2 dY rays (1 +- v_i) has "
          "the unique solution w = 1/(2P) on every ray (explicit dY = 2): the optimal kernel is "
          "unique, b*(dY J + K_Y), and the minimal width is 2 dY",
          sp.Matrix([sol[0][wk] for wk in w]) if len(sol) == 1 else sp.Matrix([sp.nan] * 4),
          sp.Matrix([sp.Rational(1, 8)] * 4), "linear system")
    return d
