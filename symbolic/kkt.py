"""First variation of the mean-field energy and the ReLU copositivity reduction (``A.kkt``).

Energy (Paper A, conventions of DESIGN.md)::

    E[rho] = lam1 * int h^T Q h drho + lam2 tr((lam2 I + K[rho])^{-1} K_Y),
    K[rho] = int phi(h) phi(h)^T drho.

First variation (derived here). Adding an atom of mass eps at u changes K by eps f f^T with
f = phi(u); with d(A^{-1}) = -A^{-1} dA A^{-1},

    d/d eps E[rho + eps delta_u] |_{eps=0} = V(u)
    V(u) = lam1 u^T Q u - lam2 f^T A f,   A = (lam2 + K)^{-1} K_Y (lam2 + K)^{-1}.

Optimality (stated in Paper A): V >= 0 everywhere, V = 0 on the support of rho*.

ReLU reduction (derived here). For phi = ReLU and Q = I - c J (the whitened case: c = 1/(P+1)
with the bias row, c = 0 without), write u = p - q with p = u_+, q = u_- (p, q >= 0, p.q = 0).
Then phi(u) = p and

    V(p - q) - V(p) = lam1 (|q|^2 - c (1^T q)^2 + 2 c (1^T p)(1^T q)) >= lam1 |q|^2 (1 - c P) >= 0

whenever 0 <= c <= 1/P (Cauchy-Schwarz: (1^T q)^2 <= P |q|^2). Hence the minimum of V over all u
is attained on the non-negative orthant, where V(p) = p^T S p with

    S = lam1 Q - lam2 (lam2 + K)^{-1} K_Y (lam2 + K)^{-1},

so *V >= 0 everywhere  <=>  S is copositive*. For a general Q (non-whitened inputs) the
negative part can lower the cost and the reduction fails as stated; the condition is then a
minimisation over the silent coordinates for each firing pattern (the solver issue's business).
"""
from __future__ import annotations

import sympy as sp

from symbolic.derivation import Derivation

eps = sp.Symbol("epsilon", real=True)
lam1, lam2 = sp.symbols("lambda_1 lambda_2", positive=True)


def _sym_sym_matrix(name, n):
    return sp.Matrix(n, n, lambda i, j: sp.Symbol(f"{name}{min(i, j)}{max(i, j)}", real=True))


def first_variation_check(n: int = 2) -> tuple:
    """(d/d eps of the trace term at eps=0, -f^T A f) for fully symbolic n x n K, K_Y and f."""
    K = _sym_sym_matrix("k", n)
    KY = _sym_sym_matrix("q", n)
    f = sp.Matrix(n, 1, lambda i, _: sp.Symbol(f"f{i}", real=True))
    Bm = lam2 * sp.eye(n) + K
    trace_term = lam2 * ((Bm + eps * f * f.T).inv() * KY).trace()
    lhs = sp.diff(trace_term, eps).subs(eps, 0)
    Binv = Bm.inv()
    rhs = -lam2 * (f.T * Binv * KY * Binv * f)[0, 0]
    return lhs, rhs


def derivation() -> Derivation:
    d = Derivation("A.kkt: first variation and the ReLU copositivity reduction",
                   assumptions="lam1, lam2 > 0; phi = ReLU; Q = I - c J with 0 <= c <= 1/P")
    lhs, rhs = first_variation_check(2)
    d.add("first variation of lam2 tr((lam2+K)^{-1}K_Y) in the direction delta_u "
          "(fully symbolic 2x2 K, K_Y, f)", lhs, rhs, "differentiate at eps = 0")
    # ReLU split on explicit generic vectors with disjoint supports: p = u_+, q = u_-
    c = sp.Symbol("c", nonnegative=True)
    p = sp.Matrix([sp.Symbol("p1"), sp.Symbol("p2"), 0, 0, 0])
    q = sp.Matrix([0, 0, sp.Symbol("q3"), sp.Symbol("q4"), sp.Symbol("q5")])
    n = p.rows
    Q = sp.eye(n) - c * sp.ones(n, n)
    one = sp.ones(n, 1)
    qf = lambda x: (x.T * Q * x)[0, 0]
    d.add("cost of u = p - q minus cost of p (disjoint supports, Q = I - cJ; generic n = 5)",
          qf(p - q) - qf(p),
          (q.T * q)[0, 0] - c * (one.T * q)[0, 0] ** 2 + 2 * c * (one.T * p)[0, 0] * (one.T * q)[0, 0],
          "expand; p.q = 0")
    # Cauchy-Schwarz: |q|^2 = (1^T q)^2/P + r with r >= 0 (support of q has at most P entries)
    r, Pp, sp1, sq1 = sp.symbols("r P s_p s_q", positive=True)
    qq = sp.Symbol("qq")
    cpos = 1 / (Pp + 1)
    gap = (qq - cpos * sq1 ** 2 + 2 * cpos * sp1 * sq1).subs(qq, sq1 ** 2 / Pp + r)
    d.add("with c = 1/(P+1) and |q|^2 = (1^T q)^2 / P + r (Cauchy-Schwarz, r >= 0) the gap "
          "is non-negative", gap, 0, "sum of non-negative terms", relation="ge")
    return d
