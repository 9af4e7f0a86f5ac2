"""Walsh structure of the hypercube task: the block algebra and the antipodal inequality.

Shared by the derivations for n > 1 samples per class (:mod:`symbolic.samples`), no bias
(:mod:`symbolic.nobias`), neuron tuning and width (:mod:`symbolic.width`) and input geometry
(:mod:`symbolic.inputs`). Derived here; nothing in this module is stated in Paper A.

Setting
-------
Y in {+-1}^{dY x P} has as columns the 2^dY sign vectors, each repeated n times, P = n 2^dY.
Its rows v_1..v_dY satisfy 1^T v_i = 0 and v_i^T v_j = P delta_ij (every sign pattern of two
coordinates occurs equally often). Hence J = 11^T, K_Y = Y^T Y = sum_i v_i v_i^T and I commute,
and R^P splits orthogonally into

    C = span{1} (dim 1),   L = span{v_1..v_dY} (dim dY),   rest (dim P - 1 - dY),

on which J has eigenvalues (P, 0, 0) and K_Y has (0, P, 0). A matrix a I + b J + c K_Y is
therefore represented exactly by its eigenvalue triple (a + bP, a + cP, a); products and
inverses act entry by entry and tr = e_C + dY e_L + (P - 1 - dY) e_rest (:class:`Blocks`).
:func:`explicit_matrices` builds the explicit matrices so that derivations can confirm the triple
calculus on small instances.

Walsh coordinates of a vector p in R^P (indexed by (class y, copy j))
--------------------------------------------------------------------
Let q(y) = (1/n) sum_j p(y, j) be the class mean and p_perp = p - q (x) 1_n its within-class
part. The characters chi_S(y) = prod_{i in S} y_i (S a subset of {1..dY}), lifted to R^P as
constant on classes, are orthogonal with |chi_S|^2 = P; with s = 1^T p, c_i = v_i^T p,
T_e (T_o) the sum of (chi_S^T p)^2 over even (odd) |S| >= 2 and W = |p_perp|^2:

    (Parseval)   P |p|^2 = s^2 + sum_i c_i^2 + T_e + T_o + P W;
    (antipodal)  s^2 - sum_i c_i^2 + T_e - T_o = n^2 2^dY sum_y q(y) q(-y),

the second because chi_S(-y) = (-1)^{|S|} chi_S(y). Both are cited (standard Fourier analysis
on the cube). For p >= 0 the class mean q is >= 0, so the right side of the antipodal identity
is >= 0: **the antipodal inequality** s^2 - sum c_i^2 >= T_o - T_e. It is the only consequence of
non-negativity the certificates below need.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import sympy as sp

P, dY = sp.symbols("P d_Y", positive=True)


@dataclass(frozen=True)
class Blocks:
    """Eigenvalues of a matrix in the algebra spanned by I, J, K_Y on (C, L, rest)."""

    c: object
    l: object
    r: object

    def __mul__(self, other):
        if isinstance(other, Blocks):
            return Blocks(self.c * other.c, self.l * other.l, self.r * other.r)
        return Blocks(self.c * other, self.l * other, self.r * other)

    __rmul__ = __mul__

    def __add__(self, other):
        return Blocks(self.c + other.c, self.l + other.l, self.r + other.r)

    def __sub__(self, other):
        return Blocks(self.c - other.c, self.l - other.l, self.r - other.r)

    def inv(self):
        return Blocks(1 / self.c, 1 / self.l, 1 / self.r)

    def trace(self, P=P, dY=dY):
        return self.c + dY * self.l + (P - 1 - dY) * self.r

    def simplify(self):
        return Blocks(sp.simplify(self.c), sp.simplify(self.l), sp.simplify(self.r))

    def as_matrix(self):
        """(e_C, e_L, e_rest) as a 3 x 1 sympy matrix (for element-wise equality steps)."""
        return sp.Matrix([self.c, self.l, self.r])

    def to_explicit(self, Pn, J, KY):
        """The explicit matrix a I + b J + c K_Y with these eigenvalues (Pn = numeric P)."""
        a = self.r
        return a * sp.eye(J.rows) + (self.c - a) / Pn * J + (self.l - a) / Pn * KY


def eye():
    return Blocks(sp.Integer(1), sp.Integer(1), sp.Integer(1))


def ones(P=P):
    """J = 11^T."""
    return Blocks(P, sp.Integer(0), sp.Integer(0))


def target(P=P):
    """K_Y = Y^T Y."""
    return Blocks(sp.Integer(0), P, sp.Integer(0))


def quad_in_blocks(M: Blocks, s, c2, rest2, P=P):
    """x^T M x for x with 1^T x = s, sum_i (v_i^T x)^2 = c2 and |x_rest|^2 = rest2.

    Projections: x_C = (s/P) 1 has |x_C|^2 = s^2/P; x_L has |x_L|^2 = c2/P."""
    return M.c * s ** 2 / P + M.l * c2 / P + M.r * rest2


def sign_matrix(d: int, n: int = 1) -> sp.Matrix:
    """Y (d x n 2^d) with the sign vectors in itertools.product order, each repeated n times."""
    cols = [c for c in itertools.product([-1, 1], repeat=d) for _ in range(n)]
    return sp.Matrix(d, len(cols), lambda i, j: cols[j][i])


def explicit_matrices(d: int, n: int = 1):
    """(Y, J, K_Y, P) as explicit sympy matrices for a small instance."""
    Y = sign_matrix(d, n)
    Pn = Y.cols
    return Y, sp.ones(Pn, Pn), Y.T * Y, Pn


def antipodal_symbols():
    """Non-negative symbols of the Walsh coordinates: s, sum c_i^2, T_e, T_o, W, and the
    antipodal sum A = n^2 2^dY sum_y q(y) q(-y) >= 0 for p >= 0."""
    s = sp.Symbol("s", nonnegative=True)
    C2, Te, To, W, A = sp.symbols("C_2 T_e T_o W A", nonnegative=True)
    return s, C2, Te, To, W, A


def explicit_walsh_identities(d: int, n: int, p):
    """For an explicit vector p (sympy Matrix, length n 2^d), the two sides of Parseval and of
    the antipodal identity (used to confirm the cited identities on small instances)."""
    Y = sign_matrix(d, n)
    Pn = Y.cols
    subsets = [S for r in range(d + 1) for S in itertools.combinations(range(d), r)]
    chi = {S: sp.Matrix(1, Pn, lambda _, j: sp.prod([Y[i, j] for i in S])) for S in subsets}
    coef = {S: (chi[S] * p)[0, 0] for S in subsets}
    s = coef[()]
    c2 = sum(coef[(i,)] ** 2 for i in range(d))
    Te = sum(coef[S] ** 2 for S in subsets if len(S) >= 2 and len(S) % 2 == 0)
    To = sum(coef[S] ** 2 for S in subsets if len(S) >= 3 and len(S) % 2 == 1)
    classes = list(itertools.product([-1, 1], repeat=d))
    q = {y: sum(p[k * n + j] for j in range(n)) / n for k, y in enumerate(classes)}
    perp = sum((p[k * n + j] - q[y]) ** 2 for k, y in enumerate(classes) for j in range(n))
    anti = n ** 2 * 2 ** d * sum(q[y] * q[tuple(-t for t in y)] for y in classes)
    norm2 = (p.T * p)[0, 0]
    return ((Pn * norm2, s ** 2 + c2 + Te + To + Pn * perp),
            (s ** 2 - c2 + Te - To, anti))
