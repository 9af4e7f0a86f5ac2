"""Derivations behind the certified global solver (``numeric/solver``): duality, the cone
minorants, the shrink argument, and the hypercube symmetry reduction (claims ``A.copositive`` and
``A.relu.all-minima``). Derived here; Paper A states only that "non-convex ReLU constraints are
handled with copositive programming" and that "every global minimum is abstract".

Weak duality (network level, any width M)
-----------------------------------------
Neurons j have input weights w_j, output weights a_j (columns of W2), patterns
h_j = X~^T w_j, phi_j = relu(h_j); Z = W2 relu(W X~) = sum_j a_j phi_j^T. For any Lambda in
R^{dY x P} the loss E = |Y - Z|^2 + lam1 sum |w_j|^2 + lam2 sum |a_j|^2 satisfies the identity

    E - D(Lambda) = |Y - Z - Lambda|^2 + sum_j (lam1 |w_j|^2 + lam2 |a_j|^2 - 2 a_j^T Lambda phi_j),
    D(Lambda) = 2 <Lambda, Y> - |Lambda|^2,

and each bracket is >= 0 when |Lambda phi_j| <= sqrt(lam1 lam2) |w_j| (AM-GM + Cauchy-Schwarz).
Since |w_j|^2 >= h_j^T Q h_j (minimum norm), the cone condition

    (*)  |Lambda relu(h)|^2 <= lam1 lam2 h^T Q h   for every reachable h

makes D(Lambda) a lower bound on every network's loss: E* >= D(Lambda). At the optimum,
Lambda = lam2 Y (lam2 + K)^{-1} (the residual) and (*) is the copositivity of S of ``A.kkt``.

Cone minorants. (*) only needs a lower bound C of the cost on the firing part: if
h^T Q h >= relu(h)^T C relu(h), then copositivity of lam1 lam2 C - Lambda^T Lambda implies (*).
*Z-matrix lemma*: for C PSD with C_ij <= 0 (i != j) and h = p - q (disjoint supports, p, q >= 0):
h^T C h - p^T C p = q^T C q - 2 p^T C q >= 0.

Shrink. lam1 lam2 C - (1-eps)^2 L^T L = (1-eps)^2 (lam1 lam2 C - L^T L) + (2eps - eps^2) lam1 lam2 C:
a tight (boundary) copositive matrix becomes strictly copositive, so round-off in L is absorbed.

Scale invariance. With h = sqrt(lam2) g: lam2 (lam2 + lam2 K_g)^{-1} = (1 + K_g)^{-1}, so E depends
on lam1 lam2 only (the solver works at lam2 = 1).

Hypercube reduction. On class-constant vectors, T(kappa) = lam1 lam2 Q - kappa^2 K_Y has the Walsh
level eigenvalues t_0 = lam1 lam2 (1 - cP), t_1 = lam1 lam2 - kappa^2 P, t_k = lam1 lam2 (k >= 2);
the antipodal map A has eigenvalue (-1)^k on level k. With nu = t_0 at kappa*^2 = lam1 lam2 (2 - cP)/P,
T - nu A has eigenvalues 0, 0, lam1 lam2 - nu (-1)^k >= 0: T = nu A + PSD (doubly non-negative,
hence copositive), and the half-cube primal reaches D(kappa* Y) exactly.
"""
from __future__ import annotations

import itertools

import sympy as sp

from symbolic.derivation import Derivation

lam1, lam2 = sp.symbols("lambda_1 lambda_2", positive=True)
P, kappa, b, c_ = sp.symbols("P kappa b c", positive=True)
dY = sp.Symbol("d_Y", positive=True)


def _mat(name, r, c):
    return sp.Matrix(r, c, lambda i, j: sp.Symbol(f"{name}{i}{j}", real=True))


def weak_duality_identity():
    """(E - D(Lambda), |Y-Z-Lambda|^2 + sum_j brackets) for symbolic dY = 2, P = 2, M = 2."""
    Y, L = _mat("y", 2, 2), _mat("l", 2, 2)
    A = _mat("a", 2, 2)            # columns a_j
    Phi = _mat("f", 2, 2)          # rows phi_j^T
    w2 = sp.symbols("s0 s1", nonnegative=True)      # |w_j|^2
    Z = A * Phi
    sq = lambda M: sum(v ** 2 for v in M)
    E = sq(Y - Z) + lam1 * sum(w2) + lam2 * sq(A)
    D = 2 * sum(L[i] * Y[i] for i in range(4)) - sq(L)
    rhs = sq(Y - Z - L) + sum(lam1 * w2[j] + lam2 * sq(A[:, j]) - 2 * (A[:, j].T * L * Phi[j, :].T)[0, 0]
                              for j in range(2))
    return sp.expand(E - D), sp.expand(rhs)


def duality_derivation() -> Derivation:
    d = Derivation("A.copositive: weak duality, cone minorants and the shrink argument",
                   assumptions="lam1, lam2 > 0; phi = ReLU; any data X, Y; any width")
    lhs, rhs = weak_duality_identity()
    d.add("E(W, W2) - D(Lambda) = |Y - Z - Lambda|^2 + sum_j (lam1|w_j|^2 + lam2|a_j|^2 "
          "- 2 a_j^T Lambda phi_j)  (symbolic dY = P = M = 2)", lhs, rhs, "expand both sides")
    x, y, r = sp.symbols("x y r", nonnegative=True)       # x = |w|, y = |a|, r = slack in (*)
    g = sp.sqrt(lam1 * lam2) * x - r                       # |Lambda phi| = sqrt(lam1 lam2)|w| - r
    d.add("one neuron's bracket with |Lambda phi| = sqrt(lam1 lam2)|w| - r (Cauchy-Schwarz: "
          "a^T Lambda phi <= |a| |Lambda phi|) is a square plus 2|a| r",
          lam1 * x ** 2 + lam2 * y ** 2 - 2 * y * g,
          (sp.sqrt(lam1) * x - sp.sqrt(lam2) * y) ** 2 + 2 * y * r, "expand")
    d.add("... hence >= 0 whenever the cone condition (*) holds (r >= 0): E >= D(Lambda)",
          (sp.sqrt(lam1) * x - sp.sqrt(lam2) * y) ** 2 + 2 * y * r, 0, "sum of non-negative terms",
          relation="ge")
    # Z-matrix lemma on generic disjoint supports
    m = sp.symbols("m02 m03 m12 m13", nonnegative=True)
    dg = sp.symbols("c0 c1 c2 c3", positive=True)
    C = sp.Matrix([[dg[0], 0, -m[0], -m[1]], [0, dg[1], -m[2], -m[3]],
                   [-m[0], -m[2], dg[2], 0], [-m[1], -m[3], 0, dg[3]]])
    p1, p2, q3, q4 = sp.symbols("p1 p2 q3 q4", nonnegative=True)
    p = sp.Matrix([p1, p2, 0, 0])
    q = sp.Matrix([0, 0, q3, q4])
    qf = lambda v: (v.T * C * v)[0, 0]
    d.add("Z-matrix lemma: (p - q)^T C (p - q) - p^T C p = q^T C q - 2 p^T C q", qf(p - q) - qf(p),
          qf(q) - 2 * (p.T * C * q)[0, 0], "expand; p, q >= 0 with disjoint supports")
    d.add("-2 p^T C q >= 0 when the off-diagonal entries of C are <= 0", -2 * (p.T * C * q)[0, 0], 0,
          "products of non-negative symbols", relation="ge")
    d.add("q^T C q >= 0 for C positive semidefinite", sp.Symbol("qCq"), 0,
          "definition of positive semidefinite", relation="cite")
    e_, al = sp.symbols("epsilon alpha", positive=True)
    Cm, Lm = _mat("k", 2, 2), _mat("l", 2, 2)
    Cm = (Cm + Cm.T) / 2
    d.add("shrink: alpha C - (1-eps)^2 L^T L = (1-eps)^2 (alpha C - L^T L) + (2 eps - eps^2) alpha C",
          al * Cm - (1 - e_) ** 2 * Lm.T * Lm,
          (1 - e_) ** 2 * (al * Cm - Lm.T * Lm) + (2 * e_ - e_ ** 2) * al * Cm, "expand")
    K, KY = _mat("g", 2, 2), _mat("t", 2, 2)
    K, KY = (K + K.T) / 2, (KY + KY.T) / 2
    d.add("scale invariance: lam2 tr((lam2 + lam2 K)^{-1} K_Y) = tr((1 + K)^{-1} K_Y)",
          lam2 * ((lam2 * sp.eye(2) + lam2 * K).inv() * KY).trace(), ((sp.eye(2) + K).inv() * KY).trace(),
          "factor lam2 out of the inverse")
    a_ = sp.Symbol("a", positive=True)
    B = _mat("n", 1, 3)
    d.add("Woodbury for the structured test: (a I - B^T B)^{-1} = (1/a)(I + B^T (a - B B^T)^{-1} B)",
          (a_ * sp.eye(3) - B.T * B).inv(),
          (sp.eye(3) + B.T * (a_ * sp.eye(1) - B * B.T).inv() * B) / a_, "rank-one inverse")
    d.add("exact copositivity decision (order-free form): S is not copositive iff some principal "
          "block S_JJ is invertible with S_JJ^{-1} <= 0", sp.Symbol("CHL"), 0,
          "Cottle-Habetler-Lemke 1970, Thm 3.1; Hadeler 1983", relation="cite")
    return d


# ----------------------------------------------------------------------------- hypercube part

def level_eigs(cc, k2, nu):
    """Eigenvalues of T(kappa) - nu A on Walsh levels 0, 1, even >= 2, odd >= 3 (per lam1 lam2 = a)."""
    a = lam1 * lam2
    return (a * (1 - cc * P) - nu, a - k2 * P + nu, a - nu, a + nu)


def explicit_levels(d: int, cc, k2, nu):
    """(T - nu A) chi_S - e_|S| chi_S for every character of the explicit 2^d cube (must vanish)."""
    cols = list(itertools.product([-1, 1], repeat=d))
    Pn = len(cols)
    Y = sp.Matrix(d, Pn, lambda i, j: cols[j][i])
    a = lam1 * lam2
    T = a * (sp.eye(Pn) - sp.sympify(cc).subs(P, Pn) * sp.ones(Pn, Pn)) - k2 * Y.T * Y
    A = sp.Matrix(Pn, Pn, lambda i, j: 1 if all(x == -y for x, y in zip(cols[i], cols[j])) else 0)
    e = level_eigs(cc, k2, nu)
    out = []
    for r in range(d + 1):
        for S in itertools.combinations(range(d), r):
            chi = sp.Matrix(Pn, 1, lambda j, _: sp.prod([cols[j][i] for i in S]))
            ek = e[0] if r == 0 else e[1] if r == 1 else e[2] if r % 2 == 0 else e[3]
            out.append(((T - nu * A) * chi - ek.subs(P, Pn) * chi).applyfunc(sp.simplify))
    return out


def hypercube_derivation() -> Derivation:
    d = Derivation("A.relu.all-minima: hypercube dual by symmetry, DNN certificate, zero set",
                   assumptions="lam1, lam2 > 0; ReLU; whitened hypercube inputs, Q = I - cJ with "
                               "c = 1/(P+1) (bias) or 0; active regime kappa* < 1")
    d.add("the dual maximiser is invariant under the cube's symmetry group, so Lambda* = kappa Y",
          sp.Symbol("Lambda"), 0, "D strictly concave, feasible set group-invariant: average an "
          "optimal point over the group", relation="cite")
    d.add("Walsh characters are eigenvectors of J, K_Y and of the antipodal map A "
          "(eigenvalue (-1)^|S|)", sp.Symbol("chi"), 0, "Fourier analysis on {+-1}^dY",
          relation="cite")
    for dd in (2, 3):
        res = explicit_levels(dd, 1 / (P + 1), kappa ** 2, sp.Symbol("nu"))
        d.add(f"level eigenvalues of T - nu A confirmed on every character of the explicit "
              f"dY = {dd} cube (bias)", sp.Matrix.vstack(*res), sp.zeros(sum(r.rows for r in res), 1),
              "multiply out")
    E = dY * (lam1 * b * P * (2 - c_ * P) + lam2 * P / (lam2 + b * P))
    Dk = dY * P * kappa * (2 - kappa)
    sub = {b: lam2 * (1 - kappa) / (kappa * P)}
    d.add("primal: half-cube measure with lam2/(lam2 + bP) = kappa has E = dY[P kappa + lam1 lam2 "
          "(1-kappa)(2-cP)/kappa]", sp.simplify(E.subs(sub)),
          dY * (P * kappa + lam1 * lam2 * (1 - kappa) * (2 - c_ * P) / kappa), "substitute b")
    k2 = lam1 * lam2 * (2 - c_ * P) / P
    lam1_of_kappa = kappa ** 2 * P / (lam2 * (2 - c_ * P))
    d.add("at kappa*^2 = lam1 lam2 (2 - cP)/P the primal value equals the dual value "
          "D(kappa* Y) = dY P kappa (2 - kappa): zero duality gap",
          sp.simplify((E.subs(sub) - Dk).subs(lam1, lam1_of_kappa)), 0, "eliminate lam1")
    cb = 1 / (P + 1)
    e0, e1, ee, eo = level_eigs(cb, k2.subs(c_, cb), lam1 * lam2 * (1 - cb * P))
    d.add("bias, nu = lam1 lam2/(P+1): level-0 eigenvalue of T* - nu A vanishes", sp.simplify(e0), 0,
          "substitute")
    d.add("bias: level-1 eigenvalue vanishes", sp.simplify(e1), 0, "substitute")
    d.add("bias: even levels >= 2 strictly positive (lam1 lam2 P/(P+1))", sp.simplify(ee),
          0, "positive symbols", relation="ge")
    d.add("bias: odd levels >= 3 strictly positive", sp.simplify(eo), 0, "positive symbols",
          relation="ge")
    a_, bb = sp.symbols("a beta", real=True)
    yv = sp.Symbol("y_1")
    d.add("zero set (bias): x = a + beta y_1 + ... has x(y) + x(-y) = 2a, and x(y) x(-y) = 0 with "
          "x >= 0 forces |sum_i beta_i y_i| = a for every y, possible only with one beta_i = +-a",
          (a_ + bb * yv) + (a_ - bb * yv), 2 * a_, "antipodal pairs; flipping two coordinates "
          "changes sum_i beta_i y_i by 2(beta_i + beta_j) (combinatorial step cited)")
    e0n, e1n, een, eon = level_eigs(0, k2.subs(c_, 0), lam1 * lam2)
    d.add("no bias, nu = lam1 lam2: levels 0 and 1 vanish", sp.Matrix([e0n, e1n]).applyfunc(sp.simplify),
          sp.zeros(2, 1), "substitute")
    d.add("no bias: every EVEN level >= 2 also vanishes (the kernel contains the quadrant "
          "patterns 1{y_i = s, y_j = t}: non-abstract optimal neurons)", sp.simplify(een), 0, "substitute")
    return d


# ------------------------------------------------------------------- cells (numeric.solver.cells)

def cells_derivation() -> Derivation:
    """The cell bound of ``numeric.solver.cells`` / ``sectors`` (derived here)."""
    d = Derivation("L.solver.cells: a box-QP bound of the cone condition on each cell of the input "
                   "arrangement", assumptions="alpha > 0; on the cell C_F: s_i x~_i^T w >= 0; "
                   "nu >= 0; a, b >= 0")
    # symbolic P = 3 samples, D = 2 inputs; firing set F = {0, 1}, sample 2 silent
    X = _mat("x", 2, 3)
    w = _mat("w", 2, 1)
    lam = _mat("l", 3, 1)
    nu = sp.Matrix(sp.symbols("nu0 nu1 nu2", nonnegative=True))
    sig = sp.Symbol("sigma", real=True)
    DF = sp.diag(1, 1, 0)
    S = sp.diag(1, 1, -1)
    c = sig * DF * lam + S * nu
    d.add("on C_F: sigma lam^T D_F X~^T w = (X~ c)^T w - nu^T S_F X~^T w with c = sigma D_F lam + S_F nu",
          (sig * lam.T * DF * X.T * w)[0, 0], ((X * c).T * w)[0, 0] - (nu.T * S * X.T * w)[0, 0],
          "expand (S_F^2 = I)")
    t = sp.symbols("t0 t1 t2", nonnegative=True)             # t_i = s_i x~_i^T w >= 0 on C_F
    d.add("nu^T S_F X~^T w = sum_i nu_i t_i >= 0 on the cell (nu >= 0, t_i = s_i x~_i^T w >= 0)",
          sum(nu[i] * t[i] for i in range(3)), 0, "products of non-negative symbols", relation="ge")
    d.add("(X~ c)^T w <= |X~ c| |w|", sp.Symbol("CS"), 0, "Cauchy-Schwarz", relation="cite")
    K = X.T * X
    d.add("|X~ c|^2 = c^T K_X c (no inverse of K_X: any rank)", ((X * c).T * (X * c))[0, 0],
          (c.T * K * c)[0, 0], "expand")
    d.add("exactness: min over the box {c_i >= sigma lam_i (F), c_i <= 0 (not F)} of c^T K_X c equals "
          "max over C_F of (sigma lam^T relu(X~^T w))_+^2 / |w|^2", sp.Symbol("Moreau"), 0,
          "Moreau decomposition (Moreau 1962): |Pi_C(a)| = dist(a, polar cone)", relation="cite")
    a, b_ = sp.symbols("a b", nonnegative=True)
    T = _mat("T", 2, 2)
    T = (T + T.T) / 2
    G = _mat("G", 2, 2)
    G = (G + G.T) / 2
    r1, r2 = _mat("r", 2, 1), _mat("q", 2, 1)
    R = r1.row_join(r2)
    al = sp.Symbol("alpha", positive=True)
    u = a * r1 + b_ * r2
    d.add("dY = 2: for u = a r1 + b r2, u^T (alpha I - G) u = (a, b) R^T (alpha I - G) R (a, b)^T",
          (u.T * (al * sp.eye(2) - G) * u)[0, 0],
          (sp.Matrix([[a, b_]]) * R.T * (al * sp.eye(2) - G) * R * sp.Matrix([a, b_]))[0, 0], "expand")
    t11, t22 = sp.symbols("T11 T22", nonnegative=True)
    t12 = sp.Symbol("T12", real=True)
    d.add("2 x 2 copositivity: a^2 T11 + 2ab T12 + b^2 T22 = (a sqrt(T11) - b sqrt(T22))^2 "
          "+ 2ab (T12 + sqrt(T11 T22))",
          a ** 2 * t11 + 2 * a * b_ * t12 + b_ ** 2 * t22,
          (a * sp.sqrt(t11) - b_ * sp.sqrt(t22)) ** 2 + 2 * a * b_ * (t12 + sp.sqrt(t11 * t22)), "expand")
    e_ = sp.Symbol("e", nonnegative=True)                  # T12 = -sqrt(T11 T22) + e, e >= 0
    d.add("... >= 0 for a, b >= 0 iff T11, T22 >= 0 and T12 >= -sqrt(T11 T22) (checked in "
          "integers as T12 >= 0 or T12^2 <= T11 T22)",
          (a * sp.sqrt(t11) - b_ * sp.sqrt(t22)) ** 2 + 2 * a * b_ * e_, 0,
          "square plus products of non-negative symbols", relation="ge")
    _float_filter_steps(d)
    return d


def _float_filter_steps(d: Derivation) -> None:
    """The rigorous binary64 filter of ``numeric.solver.float_filter`` (derived here), on a
    symbolic 3 x 3 form: monotonicity, the Z + N split and the M-matrix test."""
    x = sp.Matrix(sp.symbols("x0 x1 x2", positive=True))
    e = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f"e{min(i, j)}{max(i, j)}", nonnegative=True))
    d.add("filter: T >= L entrywise (L = fl(T) - E, E bounding every rounding) gives "
          "x^T T x - x^T L x = x^T (T - L) x >= 0 for x >= 0: copositivity of L proves T's",
          (x.T * e * x)[0, 0], 0, "products of non-negative symbols", relation="ge")
    zd = sp.symbols("z0 z1 z2", positive=True)
    zo = sp.symbols("m01 m02 m12", nonnegative=True)           # Z_ij = -m_ij <= 0 off the diagonal
    Z = sp.Matrix([[zd[0], -zo[0], -zo[1]], [-zo[0], zd[1], -zo[2]], [-zo[1], -zo[2], zd[2]]])
    D = sp.diag(*x)
    d.add("filter: for the Z-part Z of L (positive off-diagonal entries moved to N >= 0) and "
          "D = diag(x): the row sums of D Z D are x_i (Z x)_i",
          D * Z * D * sp.ones(3, 1), sp.Matrix([x[i] * (Z * x)[i] for i in range(3)]), "expand")
    d.add("filter: x > 0 and Z x > 0 make D Z D (non-positive off-diagonal, row sums > 0) strictly "
          "diagonally dominant with a positive diagonal, hence positive definite, and so Z",
          sp.Symbol("Gershgorin"), 0, "Gershgorin circle theorem", relation="cite")
    n = sp.Matrix(3, 3, lambda i, j: 0 if i == j else sp.Symbol(f"n{min(i, j)}{max(i, j)}", nonnegative=True))
    y = sp.Matrix(sp.symbols("y0 y1 y2", nonnegative=True))
    d.add("filter: L = S + N with S positive definite and N >= 0 gives y^T L y = y^T S y + y^T N y "
          "> 0 for y >= 0, y != 0 (S = Z, or S = L - theta N+ by an approximate inverse Cholesky "
          "congruence and Gershgorin); for d <= 4 every copositive matrix is such a sum",
          (y.T * n * y)[0, 0], 0, "products of non-negative symbols; Diananda (1962) for d <= 4",
          relation="ge")


def linear_derivation() -> Derivation:
    """The linear-activation solver of ``numeric.solver.linear`` (derived here): nuclear-norm
    reduction, PSD dual condition and zero gap at the residual."""
    d = Derivation("A.solver.linear: the linear network is a nuclear-norm ridge with a PSD dual",
                   assumptions="lam1, lam2 > 0; tau = sqrt(lam1 lam2); a, b >= 0")
    l1, l2 = sp.symbols("lam1 lam2", positive=True)
    a, b = sp.symbols("a b", nonnegative=True)
    d.add("one neuron (|w| = a, |w2| = b): lam1 a^2 + lam2 b^2 = 2 tau a b + (sqrt(lam1) a - sqrt(lam2) b)^2",
          l1 * a ** 2 + l2 * b ** 2, 2 * sp.sqrt(l1 * l2) * a * b + (sp.sqrt(l1) * a - sp.sqrt(l2) * b) ** 2,
          "expand")
    d.add("... >= 2 tau a b, equality iff sqrt(lam1) a = sqrt(lam2) b (balanced)",
          (sp.sqrt(l1) * a - sp.sqrt(l2) * b) ** 2, 0, "a square", relation="ge")
    d.add("|W2 W|_* <= sum_k |w2_k| |w_k| (triangle inequality over the rank-one terms; equality "
          "for the SVD factors, so min over factorisations of lam1|W|^2 + lam2|W2|^2 = 2 tau |A|_*)",
          sp.Symbol("triangle"), 0, "norm triangle inequality", relation="cite")
    Lam, R = _mat("L", 2, 3), _mat("R", 2, 3)
    d.add("|R|^2 = 2 <Lambda, R> - |Lambda|^2 + |R - Lambda|^2 (so |R|^2 >= 2<Lambda, R> - |Lambda|^2)",
          sum(R[i] ** 2 for i in range(6)),
          2 * sum(Lam[i] * R[i] for i in range(6)) - sum(Lam[i] ** 2 for i in range(6))
          + sum((R[i] - Lam[i]) ** 2 for i in range(6)), "expand")
    A, X = _mat("A", 2, 2), _mat("x", 2, 3)
    d.add("<Lambda, A X~> = <Lambda X~^T, A> (trace is cyclic)",
          (Lam.T * A * X).trace(), ((Lam * X.T).T * A).trace(), "expand")
    d.add("<M, A> <= |M|_2 |A|_* (spectral and nuclear norms are dual)", sp.Symbol("duality"), 0,
          "von Neumann trace inequality", relation="cite")
    u = _mat("u", 2, 1)
    tau = sp.sqrt(l1 * l2)
    d.add("u^T (tau^2 I - Lambda K_X Lambda^T) u = tau^2 |u|^2 - |X~ Lambda^T u|^2: "
          "|Lambda X~^T|_2 <= tau iff tau^2 I - Lambda K_X Lambda^T is PSD",
          (u.T * (tau ** 2 * sp.eye(2) - Lam * X.T * X * Lam.T) * u)[0, 0],
          tau ** 2 * (u.T * u)[0, 0] - ((X * Lam.T * u).T * (X * Lam.T * u))[0, 0], "expand")
    nL, nA, ip = sp.symbols("normL2 nucA LAX", real=True)
    # at the optimum Lambda = Y - A X~ and <Lambda X~^T, A> = tau |A|_* (subgradient condition):
    # <Lambda, Y> = |Lambda|^2 + <Lambda, A X~>
    E = nL + 2 * tau * nA
    D = 2 * (nL + ip) - nL
    d.add("zero gap at the residual: E - D(Lambda) = 2 (tau |A|_* - <Lambda X~^T, A>) = 0 when "
          "Lambda X~^T is in tau d|A|_*", (E - D).subs(ip, tau * nA), 0, "substitute")
    return d


def linear_abstraction_derivation() -> Derivation:
    """Every global minimum of the linear network has one kernel (``numeric.solver.linear_abstraction``,
    derived here), and the exact whitened-type optimum A* = s Y X~^+."""
    d = Derivation("A.solver.linear: all global minima share the kernel sqrt(lam2/lam1) X~^T |A*| X~",
                   assumptions="lam1, lam2, s1, s2, r > 0 (a diagonal model of the SVD); c2, nY, dY > 0")
    l1, l2 = sp.symbols("lam1 lam2", positive=True)
    s1, s2 = sp.symbols("s1 s2", positive=True)
    th = sp.Symbol("theta", real=True)
    V = sp.Matrix([[sp.cos(th), -sp.sin(th)], [sp.sin(th), sp.cos(th)]])
    S = sp.diag(s1, s2)
    r = (l2 / l1) ** sp.Rational(1, 4)
    Sh = sp.diag(sp.sqrt(s1), sp.sqrt(s2))
    W = r * Sh * V.T                               # balanced factors of A = U S V^T (U = I here)
    W2 = Sh / r
    d.add("balanced factors: lam1 |W|^2 + lam2 |W2|^2 = 2 tau |A|_* for W = r S^(1/2) V^T, "
          "W2 = U S^(1/2) / r, r^4 = lam2/lam1",
          l1 * (W.T * W).trace() + l2 * (W2 * W2.T).trace(), 2 * sp.sqrt(l1 * l2) * (s1 + s2), "simplify")
    d.add("... and their Gram is W^T W = sqrt(lam2/lam1) V S V^T = sqrt(lam2/lam1) |A|",
          W.T * W, sp.sqrt(l2 / l1) * V * S * V.T, "simplify")
    d.add("every global minimum is balanced: |A|_* = <W2^T Z, W> <= |W2^T Z||W| <= |W2||W| <= "
          "(lam1|W|^2 + lam2|W2|^2)/(2 tau) (Z = U V^T); equality forces W = r^2 W2^T Z, range W2 "
          "in range U, hence W^T W = sqrt(lam2/lam1) |A|", sp.Symbol("equality_chain"), 0,
          "Cauchy-Schwarz and AM-GM equality cases", relation="cite")
    d.add("A* = A* Pi: |A Pi|_* = tr((A Pi A^T)^(1/2)) < tr((A A^T)^(1/2)) unless A(I - Pi) = 0, the "
          "fit unchanged; A -> A X~ injective on {A = A Pi}: the minimiser is unique",
          sp.Symbol("trace_sqrt_strictly_monotone"), 0, "Loewner-Heinz (square root operator "
          "monotone) with strict trace monotonicity", relation="cite")
    A, As, X, Y = _mat("a", 2, 2), _mat("b", 2, 2), _mat("x", 2, 3), _mat("y", 2, 3)
    fit = lambda M: sum(e ** 2 for e in (Y - M * X))
    grad = -2 * (Y - As * X) * X.T
    d.add("quadratic growth: fit(A) - fit(A*) - <grad fit(A*), A - A*> = |(A - A*) X~|^2, so with the "
          "convex nuclear term f(A) - f(A*) >= |(A - A*) X~|^2",
          fit(A) - fit(As) - sum((grad.multiply_elementwise(A - As))),
          sum(e ** 2 for e in ((A - As) * X)), "expand")
    d.add("|| |A| - |B| ||_F <= sqrt(2) ||A - B||_F", sp.Symbol("araki_yamagami"), 0,
          "Araki & Yamagami 1981, Commun. Math. Phys. 81:89", relation="cite")
    d.add("||S^(1/2) - T^(1/2)||_F^2 <= ||S - T||_1 for S, T PSD", sp.Symbol("powers_stormer"), 0,
          "Powers & Stormer 1970, Commun. Math. Phys. 16:1", relation="cite")
    tau, c2, nY, dYs, s = sp.symbols("tau c2 nY dY s", positive=True)
    F = (1 - s) ** 2 * nY + 2 * tau * s * dYs * sp.sqrt(c2)
    Dl = 2 * (1 - s) * nY - (1 - s) ** 2 * nY
    d.add("exact path, one row (Y K_X^-1 Y^T = diag(c_i): B = Y X~^+ has orthogonal rows, "
          "|diag(s) B|_* = sum s_i sqrt(c_i), and f, D split over rows): at s = 1 - tau sqrt(c)/|y|^2 "
          "f - D = 0 (dY = 1 in this identity)",
          (F - Dl).subs(dYs, 1).subs(s, 1 - tau * sp.sqrt(c2) / nY), 0, "substitute")
    B = sp.Matrix([[1, 1, -1, -1], [1, -1, 1, -1]])           # hypercube labels: B B^T = 4 I
    d.add("B B^T = c I implies (B^T B / sqrt(c))^2 = B^T B, so |B| = B^T B / sqrt(c) and the optimal "
          "kernel is proportional to Y^T Y (dY = 2 instance)",
          (B.T * B / 2) ** 2, B.T * B, "expand")
    return d


def outputs_ball_derivation() -> Derivation:
    """Every global minimum computes Y - Lambda* on the data, Lambda* in a certified ball
    (``numeric.solver.outputs_ball``, derived here)."""
    d = Derivation("L.solver.outputs: |Lambda^ - Lambda*|_F^2 <= U - D(Lambda^), outputs Y - Lambda*",
                   assumptions="Lambda^ satisfies the cone condition; A.kkt (zero duality gap)")
    L, Ls, Y = _mat("l", 2, 3), _mat("m", 2, 3), _mat("y", 2, 3)
    D = lambda M: 2 * sum(M.multiply_elementwise(Y)) - sum(e ** 2 for e in M)
    grad = 2 * Y - 2 * Ls
    d.add("D(Lambda) = 2 <Lambda, Y> - |Lambda|^2 is quadratic with Hessian -2 I: "
          "D(L) = D(L*) + <grad D(L*), L - L*> - |L - L*|^2",
          D(L), D(Ls) + sum(grad.multiply_elementwise(L - Ls)) - sum(e ** 2 for e in (L - Ls)), "expand")
    d.add("optimality of L* over the convex feasible set: <grad D(L*), L - L*> <= 0 for feasible L; "
          "with weak duality D(L*) <= E* <= U this gives |L - L*|^2 <= U - D(L)",
          sp.Symbol("first_order_optimality"), 0, "variational inequality at a maximiser of a "
          "concave function over a convex set", relation="cite")
    lam2, k = sp.symbols("lam2 k", positive=True)
    yv = sp.Symbol("y", real=True)
    d.add("at every global minimum the optimal read-out outputs F = Y K (lam2 + K)^-1, so Y - F = "
          "lam2 Y (lam2 + K)^-1 (one eigen-direction of K, eigenvalue k)",
          yv - yv * k / (lam2 + k), lam2 * yv / (lam2 + k), "simplify")
    d.add("Y - F is the dual optimum (A.kkt: feasible with D = E*), unique by strong concavity",
          sp.Symbol("kkt_dual_point"), 0, "A.kkt (paper A, stated; registry witnesses)",
          relation="cite")
    return d


def not_abstract_derivation() -> Derivation:
    """No global minimum is abstract when the certified outputs' coding vectors are robustly
    non-parallel; every PS = 1 network pays a certified excess loss
    (``numeric.solver.not_abstract``, derived here)."""
    d = Derivation("L.solver.not-abstract: robustly non-parallel output coding vectors refute PS = 1 "
                   "at every global minimum",
                   assumptions="a verified certificate (L.solver.outputs); no output bias; "
                               "labels in {+-1} with every condition present")
    W2 = _mat("w", 2, 3)
    rp, rm = _mat("p", 3, 1), _mat("q", 3, 1)
    d.add("class means are linear: the output coding vector is W2 times the hidden one, "
          "mean(W2 phi)(+) - mean(W2 phi)(-) = W2 (r+ - r-)",
          W2 * rp - W2 * rm, W2 * (rp - rm), "expand")
    c = sp.Symbol("c", positive=True)
    d.add("PS_k = 1 makes every hidden coding vector c_alpha u (c_alpha > 0; a mean of cosines <= 1 "
          "is 1 only if every cosine is): the output ones are c_alpha W2 u, non-negatively dependent",
          W2 * (c * rp), c * (W2 * rp), "expand")
    d.add("two vectors are non-negatively dependent iff |x||y| - x.y = 0 (equality in "
          "Cauchy-Schwarz, or a zero vector)", sp.Symbol("cauchy_schwarz_equality"), 0,
          "Cauchy-Schwarz", relation="cite")
    A, rho = sp.symbols("A rho", positive=True)
    x = sp.Matrix([A - rho ** 2 / A, rho * sp.sqrt(1 - rho ** 2 / A ** 2)])
    a = sp.Matrix([A, 0])
    d.add("the tangent point of the ball |x - a| <= rho < |a| is at distance rho from a ...",
          sp.simplify((x - a).dot(x - a)), rho ** 2, "simplify")
    d.add("... and makes the largest angle with a: cos = sqrt(1 - rho^2/|a|^2) (every x in the ball "
          "has cos(x, a) >= this; phi_a = arcsin(rho/|a|))",
          x.dot(a) / (sp.sqrt(x.dot(x)) * A), sp.sqrt(1 - rho ** 2 / A ** 2), "simplify")
    pa, pb = sp.symbols("phi_a phi_b", positive=True)
    d.add("cos(phi_a + phi_b) = sqrt(1 - s_a^2) sqrt(1 - s_b^2) - s_a s_b with s = sin(phi), "
          "phi in [0, pi/2]: the angle test is one comparison of algebraic numbers (ball arithmetic)",
          sp.expand_trig(sp.cos(pa + pb)), sp.cos(pa) * sp.cos(pb) - sp.sin(pa) * sp.sin(pb), "expand_trig")
    d.add("|F w| <= |F|_F |w| row by row, so the outputs ball of radius r moves a coding vector by "
          "at most |w_alpha| r, |w_alpha|^2 = 1/n_+ + 1/n_-", sp.Symbol("cauchy_schwarz_rows"), 0,
          "Cauchy-Schwarz", relation="cite")
    Y, Z, Ls = _mat("y", 2, 2), _mat("z", 2, 2), _mat("l", 2, 2)
    Fs = Y - Ls
    d.add("excess loss: the weak-duality identity at Lambda* gives E - E* >= |Y - Z - Lambda*|^2 = "
          "|Z - F*|^2 for every network (any width), so a PS_k = 1 network pays >= dist(F*, N_k)^2 "
          ">= (t - r)^2",
          sum(e ** 2 for e in (Y - Z - Ls)), sum(e ** 2 for e in (Z - Fs)), "expand")
    return d


def affine_minima_derivation() -> Derivation:
    """Every optimal neuron affine in the labels => every global minimum abstract
    (``numeric.solver.affine_minima``, derived here)."""
    d = Derivation("L.solver.affine-minima: affine optimal neurons code each variable identically "
                   "in every context",
                   assumptions="hypercube labels (dY = 2 shown); zero duality gap (A.kkt)")
    a0, a1, a2, t = sp.symbols("a0 a1 a2 t", real=True)
    p = lambda y1, y2: a0 + a1 * y1 + a2 * y2
    d.add("optimal measures are supported on the zero set of the cone form (each term of the "
          "weak-duality identity vanishes at zero gap)", sp.Symbol("kkt_support"), 0,
          "A.kkt (paper A, stated; registry witnesses)", relation="lemma", lemma="A.kkt")
    d.add("an affine activity p(y) = a0 + a1 y1 + a2 y2 has the coding difference 2 a1 for "
          "variable 1 in every context y2 = t", p(1, t) - p(-1, t), 2 * a1, "expand")
    ys = list(itertools.product((-1, 1), repeat=2))
    d.add("orthogonal labels: p . y_1 = a1 P (P = 4), so a1 = 0 for every atom gives K y_1 = "
          "sum_j w_j p_j (p_j . y_1) = 0", sum(p(*y) * y[0] for y in ys), 4 * a1, "expand")
    d.add("then the outputs' row y_1^T K (lam2 + K)^-1 vanishes (K y_1 = 0, K symmetric); since "
          "all global minima share their outputs (L.solver.outputs), one optimum with K y_1 != 0 "
          "forces a1 != 0 on some atom of every optimum: the coding vector (2 a1,j sqrt(w_j))_j is "
          "non-zero and the same in every context, PS_1 = 1",
          sp.Symbol("outputs_shared"), 0, "L.solver.outputs", relation="lemma",
          lemma="L.solver.outputs")
    return d


def walsh_certificate_derivation() -> Derivation:
    """The Walsh-block certificate of the ReLU cone condition for sign-flip-invariant inputs
    (``numeric.solver.walsh_certificate``, derived here)."""
    d = Derivation("L.solver.walsh: 2 x 2 Walsh blocks certify u^T Q u - u_+^T A u_+ >= 0 for every u",
                   assumptions="Q, A symmetric and invariant under the label sign flips; u = p - q, "
                               "p, q >= 0, p_i q_i = 0 (dY = 2, P = 4 shown explicitly)")
    P = 4
    p, q = _mat("p", P, 1), _mat("q", P, 1)
    m, a, npp, npq, nqq = (sp.symbols(f"{s}0:{P}", real=True) for s in ("m", "a", "n", "r", "t"))
    masks = list(range(P))
    inv = lambda f: sp.Matrix(P, P, lambda i, j: f[masks[i] ^ masks[j]])
    Q, A, Npp, Npq, Nqq = inv(m), inv(a), inv(npp), inv(npq), inv(nqq)
    x = p.col_join(q)
    M = sp.BlockMatrix([[Q - A, -Q], [-Q, Q]]).as_explicit()
    d.add("V(p - q) = x^T [[Q - A, -Q], [-Q, Q]] x for x = (p, q)",
          ((p - q).T * Q * (p - q) - p.T * A * p)[0], (x.T * M * x)[0], "expand")
    N = sp.BlockMatrix([[Npp, Npq], [Npq, Nqq]]).as_explicit()
    S = M - N
    d.add("split M = N + S: x^T M x = p^T N_pp p + 2 p^T N_pq q + q^T N_qq q + x^T S x",
          (x.T * M * x)[0], (p.T * Npp * p + 2 * p.T * Npq * q + q.T * Nqq * q + x.T * S * x)[0], "expand")
    d.add("the diagonal of N_pq multiplies p_i q_i = 0: its entry r0 = n_pq(0) is free; every other "
          "N term is >= 0 on x >= 0 when its entries are", sp.expand((p.T * Npq * q)[0]).coeff(npq[0]),
          sum(p[i] * q[i] for i in range(P)), "expand")
    chi = lambda S_: sp.Matrix(P, 1, lambda k, _: (-1) ** bin(S_ & masks[k]).count("1"))
    for S_ in (1, 3):
        hat = sum((-1) ** bin(S_ & dd).count("1") * m[dd] for dd in range(P))
        d.add(f"a flip-invariant matrix M_ab = m(a xor b) has eigenvector chi_S, eigenvalue "
              f"m^_S = sum_d m(d) (-1)^|S & d| (S = {S_:02b} shown)", Q * chi(S_), hat * chi(S_), "expand")
    d.add("so S = sum_S chi_S chi_S^T (x) B_S / P with B_S = [[q_S - a_S - Npp_S, -q_S - Npq_S], "
          "[-q_S - Npq_S, q_S - Nqq_S]]: S >= 0 iff every 2 x 2 block is PSD, i.e. both diagonal "
          "entries and the determinant >= 0", sp.Symbol("psd_2x2"), 0,
          "Sylvester's criterion for principal minors (2 x 2)", relation="cite")
    d.add("zeros: V(u*) = 0 makes each non-negative term vanish: B_S (p^_S, q^_S) = 0 for every S "
          "and N_ij = 0 between support points -- linear conditions in N, imposed exactly, so a "
          "tight certificate can be rational", sp.Symbol("psd_form_zero_kernel"), 0,
          "a PSD form vanishes only on its kernel", relation="cite")
    d.add("if every block of degree |S| >= 2 is positive definite, a zero has p^_S = 0 there: its "
          "activity relu(u) = p lies in span{1, y_1..y_dY}, and every global minimum is abstract",
          sp.Symbol("affine_zero_set"), 0, "L.solver.affine-minima", relation="lemma",
          lemma="L.solver.affine-minima")
    al, be = sp.symbols("alpha beta", real=True)
    Bs = sp.Matrix([[al, be], [be, be ** 2 / al]])
    d.add("a singular PSD block [[alpha, beta], [beta, beta^2/alpha]] (alpha > 0) has kernel "
          "(-beta, alpha): the zeros' Walsh coefficients on a singular block are t (-beta, alpha), "
          "so ker S is spanned by (k_p chi_S, k_q chi_S), (k_p, k_q) in the kernel of a singular "
          "block (numeric.solver.walsh_zeros)", Bs * sp.Matrix([-be, al]), sp.zeros(2, 1), "simplify")
    qS = sp.Symbol("q_S", positive=True)
    d.add("a block of degree >= 2 with a_S = 0 and no N there is q_S [[1, -1], [-1, 1]], singular "
          "with kernel (1, 1): p^_S = q^_S, so chi_S enters |u| = p + q but not u = p - q "
          "(gammas (2, 3), (2, 3, 4, 5): such blocks must stay singular)",
          qS * sp.Matrix([[1, -1], [-1, 1]]) * sp.Matrix([1, 1]), sp.zeros(2, 1), "simplify")
    d.add("the zeros are the points B z >= 0 whose support avoids N's positive entries (pairs of "
          "support points); a positive combination is positive wherever a summand is, so these "
          "conditions pass to faces: the zero set is a union of faces of the pointed cone "
          "{z : B z >= 0}, each spanned by admissible extreme rays, and a non-affine zero exists "
          "iff a non-affine admissible extreme ray does", sp.Symbol("zero_set_union_of_faces"), 0,
          "Minkowski-Weyl for pointed polyhedral cones", relation="cite")
    kap, dY_, P_ = sp.symbols("kappa d_Y P", positive=True)
    d.add("interaction inputs: Lambda* = kappa Y by symmetry; the dual value 2<Lambda, Y> - |Lambda|^2 "
          "with |Y|^2 = dY P is dY P kappa (2 - kappa), kappa^2 = lam1 lam2 / rho when lam1 lam2 < rho",
          2 * kap * dY_ * P_ - kap ** 2 * dY_ * P_, dY_ * P_ * kap * (2 - kap), "expand")
    return d


# ------------------------------------------------------------------- faces (numeric.solver.faces)

def faces_derivation() -> Derivation:
    """The constrained Cottle-Habetler-Lemke test behind ``numeric.solver.faces`` (derived here)."""
    d = Derivation("L.solver.faces: copositivity on {x >= 0, E x = 0} is decided by the faces: no S "
                   "with G_S = Z^T A_SS Z invertible and H_S 1 < 0", assumptions="A symmetric; Z a "
                   "basis of ker E_S; G_S invertible")
    A = _mat("a", 3, 3)
    A = (A + A.T) / 2
    z = _mat("z", 3, 1)                               # a one-dimensional face (k = 1), n = |S| = 3
    g = (z.T * A * z)[0, 0]
    H = z * z.T / g
    d.add("H = Z G^{-1} Z^T satisfies H A H = H (k = 1, |S| = 3)", H * A * H, H, "cancel")
    one = sp.ones(3, 1)
    x = -H * one
    d.add("x = -H 1 has x^T A x = 1^T H 1 = -1^T x (the witness value)", (x.T * A * x)[0, 0],
          -(one.T * x)[0, 0], "cancel")
    d.add("a minimiser of least support has G_S invertible: a kernel direction of G_S keeps the "
          "value and moves to a smaller support", sp.Symbol("support"), 0,
          "numeric/solver/faces.py docstring (derived here)", relation="cite")
    d.add("with G_S invertible, x* = m H_S 1 > 0 and m < 0 give H_S 1 < 0; only sign vectors "
          "realised by reachable patterns (faces of the arrangement) can satisfy it",
          sp.Symbol("faces"), 0, "numeric/solver/faces.py docstring (derived here)", relation="cite")
    return d


def signed_tree_derivation() -> Derivation:
    """The bordering identities behind ``numeric.solver.signed_tree`` (derived here): a child block
    B = [[B_p, b], [b^T, beta]] of a positive definite parent B_p = L L^T is decided by its last
    pivot sigma = beta - b^T B_p^{-1} b."""
    d = Derivation("L.solver.signed_tree: a signed support is decided from its parent's factor, "
                   "and no minimal non-copositive block lies below an indefinite one",
                   assumptions="B_p = L L^T positive definite (k - 1 = 2); B symmetric")
    l0, l1, l2 = sp.symbols("l0 l1 l2", positive=True)
    m = sp.Symbol("m", real=True)
    L = sp.Matrix([[l0, 0], [m, l1]])
    Bp = L * L.T
    b = _mat("b", 2, 1)
    beta = sp.Symbol("beta", real=True)
    B = sp.Matrix(sp.BlockMatrix([[Bp, b], [b.T, sp.Matrix([[beta]])]]))
    x = Bp.inv() * b
    sigma = beta - (b.T * x)[0, 0]
    d.add("det B = det B_p * sigma (so B is invertible iff sigma != 0)", B.det(), Bp.det() * sigma,
          "cancel")
    lrow = L.inv() * b
    d.add("the child's last pivot from the parent's factor: beta - |L^{-1} b|^2 = sigma",
          beta - (lrow.T * lrow)[0, 0], sigma, "cancel")
    y = sp.Matrix([-x[0], -x[1], 1])
    d.add("y = (-B_p^{-1} b, 1) has y^T B y = sigma: a negative pivot gives a negative direction",
          (y.T * B * y)[0, 0], sigma, "cancel")
    inv_col = B.inv()[:, 2]
    d.add("the last column of B^{-1} is y / sigma (its signs are y's when sigma < 0)",
          inv_col, y / sigma, "cancel")
    d.add("inertia: B_p positive definite and sigma < 0 give exactly one negative eigenvalue "
          "(Haynsworth; B = E diag(B_p, sigma) E^T with E unit triangular)", sp.Symbol("inertia"), 0,
          "numeric/solver/signed_tree.py docstring", relation="cite")
    d.add("Lemma B: a minimal non-copositive block has every proper principal block PSD and every "
          "negative direction of one strict sign (its negative cone is two convex halves, one "
          "inside the open orthant)", sp.Symbol("lemma_b"), 0,
          "numeric/solver/signed_tree.py docstring (derived here)", relation="cite")
    d.add("a float factorisation of B~ - c I that completes, c = 2 (P + 2)^2 u mu, proves B "
          "positive definite (Higham, Thm 10.3, with the entries' rounding)", sp.Symbol("rounding"), 0,
          "numeric/solver/signed_tree.py docstring", relation="cite")
    return d


def box_newton_derivation() -> Derivation:
    """The gradient and Hessian of the fit term behind ``numeric.solver.box_newton`` (derived
    here): fit(Phi) = lam2 tr(R K_Y), R = (lam2 + Phi^T Phi)^{-1}, A = R K_Y R, checked entry by
    entry against sympy's own derivatives for two neurons on two samples (symbolic Phi, lam2)."""
    d = Derivation("L.solver.box_newton: gradient and Hessian of the ridge fit term in the "
                   "firing parts", assumptions="lam2 > 0; K_Y symmetric PSD (here [[2, -1], [-1, 3]])")
    m = n = 2
    Phi = sp.Matrix(m, n, lambda k, i: sp.Symbol(f"phi_{k}{i}", real=True))
    KY = sp.Matrix([[2, -1], [-1, 3]])
    R = (lam2 * sp.eye(n) + Phi.T * Phi).inv()
    fit = lam2 * (R * KY).trace()
    A = R * KY * R
    PR, PA = Phi * R, Phi * A
    PRP, PAP = PR * Phi.T, PA * Phi.T
    grad = sp.Matrix(m, n, lambda k, i: sp.diff(fit, Phi[k, i]))
    d.add("d fit / d Phi = -2 lam2 Phi A", grad, -2 * lam2 * PA, "cancel")
    hess = sp.Matrix(m * n, m * n, lambda r, c: sp.diff(grad[r // n, r % n], Phi[c // n, c % n]))

    def entry(r, c):
        k, i, l, j = r // n, r % n, c // n, c % n
        return -2 * lam2 * ((1 if k == l else 0) * A[i, j] - PR[k, j] * PA[l, i]
                            - PA[k, j] * PR[l, i] - PRP[k, l] * A[i, j] - PAP[k, l] * R[i, j])
    d.add("d2 fit / dPhi_ki dPhi_lj = -2 lam2 [delta_kl A_ij - (Phi R)_kj (Phi A)_li "
          "- (Phi A)_kj (Phi R)_li - (Phi R Phi^T)_kl A_ij - (Phi A Phi^T)_kl R_ij]",
          hess, sp.Matrix(m * n, m * n, entry), "cancel")
    d.add("projected Newton on the box (Bertsekas 1982): entries at 0 with an outward gradient "
          "held, pseudo-inverse step on the rest, Armijo search along the projection arc",
          sp.Symbol("projected_newton"), 0, "numeric/solver/box_newton.py docstring", relation="cite")
    return d
