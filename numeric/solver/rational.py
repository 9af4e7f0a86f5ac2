"""Exact rational arithmetic helpers for certificates (python-flint ``fmpq`` / ``fmpq_mat``).

Floats enter certificates only through ``Fraction(float)``: the rational number a binary float
*is*, so no rounding happens on conversion; every later step is exact. Rationals are serialised
as strings ``"p/q"`` (or ``"p"``), which JSON carries losslessly.
"""
from __future__ import annotations

from fractions import Fraction

import flint
import numpy as np


def q(x) -> flint.fmpq:
    """Exact fmpq of an int / Fraction / float / numpy scalar / 'p/q' string."""
    if isinstance(x, flint.fmpq):
        return x
    if isinstance(x, str):
        x = Fraction(x)
    elif isinstance(x, (float, np.floating)):
        if not np.isfinite(x):
            raise ValueError(f"cannot make an exact rational of the non-finite value {x!r}")
        x = Fraction(float(x))
    else:
        x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


def frac(x: flint.fmpq) -> Fraction:
    return Fraction(int(x.p), int(x.q))


def mat(a) -> flint.fmpq_mat:
    """fmpq_mat from a 2-D array-like of exact-convertible entries (floats converted exactly)."""
    if isinstance(a, flint.fmpq_mat):
        return a
    rows = [list(r) for r in (a.tolist() if isinstance(a, np.ndarray) else a)]
    n = len(rows)
    m = len(rows[0]) if n else 0
    return flint.fmpq_mat(n, m, [q(v) for r in rows for v in r])


def to_strings(A: flint.fmpq_mat) -> list[list[str]]:
    return [[str(A[i, j]) for j in range(A.ncols())] for i in range(A.nrows())]


def from_strings(rows, name: str) -> flint.fmpq_mat:
    try:
        return mat([[Fraction(v) for v in r] for r in rows])
    except (TypeError, ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"`{name}` must be a matrix of rational strings 'p/q'; {exc}") from None


def to_float(A: flint.fmpq_mat) -> np.ndarray:
    return np.array([[float(frac(A[i, j])) for j in range(A.ncols())] for i in range(A.nrows())])


def eye(n: int) -> flint.fmpq_mat:
    return flint.fmpq_mat(n, n, [int(i == j) for i in range(n) for j in range(n)])


def ones(n: int, m: int) -> flint.fmpq_mat:
    return flint.fmpq_mat(n, m, [1] * (n * m))


def relu(A: flint.fmpq_mat) -> flint.fmpq_mat:
    zero = flint.fmpq(0)
    return flint.fmpq_mat(A.nrows(), A.ncols(),
                          [v if v > 0 else zero for v in A.entries()])


def sqnorm(A: flint.fmpq_mat) -> flint.fmpq:
    return sum((v * v for v in A.entries()), flint.fmpq(0))


def inner(A: flint.fmpq_mat, B: flint.fmpq_mat) -> flint.fmpq:
    return sum((a * b for a, b in zip(A.entries(), B.entries())), flint.fmpq(0))


def augment(X: flint.fmpq_mat, bias: bool) -> flint.fmpq_mat:
    if not bias:
        return X
    n, m = X.nrows(), X.ncols()
    return flint.fmpq_mat(n + 1, m, list(X.entries()) + [1] * m)


def network_loss(W, W2, Xt, Y, lam1, lam2) -> flint.fmpq:
    """|Y - W2 relu(W X~)|_F^2 + lam1 |W|_F^2 + lam2 |W2|_F^2, exactly (the seed's loss)."""
    if W.nrows() == 0:
        return sqnorm(Y)
    R = Y - W2 * relu(W * Xt)
    return sqnorm(R) + q(lam1) * sqnorm(W) + q(lam2) * sqnorm(W2)


def dual_value(Lam, Y) -> flint.fmpq:
    """D(Lambda) = 2 <Lambda, Y> - |Lambda|^2 (the dual objective, see symbolic.solver)."""
    return 2 * inner(Lam, Y) - sqnorm(Lam)


def is_positive_definite(A: flint.fmpq_mat) -> bool:
    """Exact test by Sylvester's criterion (all leading principal minors > 0)."""
    n = A.nrows()
    for k in range(1, n + 1):
        B = flint.fmpq_mat(k, k, [A[i, j] for i in range(k) for j in range(k)])
        if B.det() <= 0:
            return False
    return True


def rational_upper_sqrt(x: flint.fmpq, rel: float = 1e-12) -> flint.fmpq:
    """A rational r >= sqrt(x) (x >= 0), within about ``rel`` of it; checked exactly."""
    if x <= 0:
        return flint.fmpq(0)
    r = q(float(np.sqrt(float(frac(x)))) * (1 + rel) + 1e-300)
    while r * r < x:
        r = r * 2
    return r


def row_basis(A: flint.fmpq_mat) -> list[int]:
    """Indices of a maximal set of linearly independent rows of A (exact rank)."""
    basis: list[int] = []
    for i in range(A.nrows()):
        rows = basis + [i]
        B = flint.fmpq_mat(len(rows), A.ncols(), [A[r, j] for r in rows for j in range(A.ncols())])
        if (B * B.transpose()).det() != 0:
            basis.append(i)
    return basis


def grid_exponent(A: flint.fmpq_mat, bits: int) -> int:
    """g such that rounding A to multiples of 2^-g keeps ~``bits`` significant bits of max|A|."""
    m = max((abs(float(frac(v))) for v in A.entries()), default=0.0)
    return bits - (int(np.ceil(np.log2(m))) if m > 0 else 0)


def round_to_grid(A: flint.fmpq_mat, g: int) -> flint.fmpq_mat:
    """Entrywise nearest multiple of 2^-g (ties up), exactly; zero stays zero, signs never flip."""
    out = []
    for v in A.entries():
        num, den = int(v.p), int(v.q)
        if g >= 0:
            r = (2 * num * 2 ** g + den) // (2 * den)
            out.append(flint.fmpq(r, 2 ** g))
        else:
            s = 2 ** (-g)
            r = (2 * num + den * s) // (2 * den * s)
            out.append(flint.fmpq(r * s, 1))
    return flint.fmpq_mat(A.nrows(), A.ncols(), out)


def rank(A: flint.fmpq_mat) -> int:
    """Exact rank of a rational matrix."""
    return A.rank()


def from_mpf(x) -> flint.fmpq:
    """The exact rational an mpmath mpf is ((-1)^sign man 2^exp; ``man_exp`` would drop the sign)."""
    import mpmath as mp
    sign, man, exp, _ = mp.mpf(x)._mpf_
    v = flint.fmpq(int(man)) * (flint.fmpq(2) ** int(exp) if exp >= 0 else flint.fmpq(1, 2 ** (-int(exp))))
    return -v if sign else v
