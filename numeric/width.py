"""Neuron tuning and minimal width (numeric mirror of :mod:`symbolic.width`).

* :func:`zero_set` enumerates, exactly, every support F of a non-negative zero of a copositive
  rational matrix S: for copositive S a zero p >= 0 with support F satisfies S_FF p_F = 0, so the
  zeros with support F are the strictly positive vectors of ker S_FF (integer nullspace,
  python-flint). A nullspace of dimension >= 2 that is not decided by sign inspection is
  returned separately as ``undecided`` (never silently dropped).
* :func:`forced_masses` solves K v_j = b P v_j exactly for the masses of a measure on the rays
  1 +- v_i (``A.relu.tuning``, step 3).
* :func:`min_width` is 2 dY in the active regime (``A.relu.width``), 0 when the optimum is silent.
* :func:`width_one_dy1` is the exact width-1 optimum for dY = 1 (lambdified from symbolic).
"""
from __future__ import annotations

import itertools
import math
from fractions import Fraction
from functools import lru_cache

import sympy as sp

from numeric.samples import closed_form
from numeric.validation import integer_at_least
from symbolic import width as sym


def zero_set(rows, *, max_n: int = 12):
    """(zeros, undecided): zeros = [(F, p_F as Fractions > 0)] for every support F with a
    strictly positive kernel vector of S_FF (nullity 1); undecided = subsets with nullity >= 2."""
    import flint
    n = len(rows)
    if n > max_n:
        raise ValueError(f"`rows` has order {n} > max_n = {max_n}: 2^n supports would be visited")
    den = 1
    for r in rows:
        for v in r:
            den = den * Fraction(v).denominator // math.gcd(den, Fraction(v).denominator)
    Z = [[int(Fraction(v) * den) for v in r] for r in rows]
    zeros, undecided = [], []
    for k in range(1, n + 1):
        for F in itertools.combinations(range(n), k):
            M = flint.fmpz_mat(k, k, [Z[i][j] for i in F for j in F])
            X, nullity = M.nullspace()
            if nullity == 0:
                continue
            if nullity >= 2:
                undecided.append(F)
                continue
            v = [int(X[i, 0]) for i in range(k)]
            if all(x > 0 for x in v) or all(x < 0 for x in v):
                g = v[0]
                zeros.append((F, [Fraction(x, g) for x in v]))
    return zeros, undecided


def forced_masses(dY: int, n: int, b):
    """Exact solution of K v_j = b P v_j, j = 1..dY, for K = sum a_{i,s} (1+s v_i)(1+s v_i)^T.

    Returns the list of masses (order (i, +), (i, -)) or raises if the solution is not unique."""
    from numeric.tasks import hypercube_targets
    Y = hypercube_targets(dY, n).astype(int)
    P = Y.shape[1]
    pats = [[1 + s * int(v) for v in Y[i]] for i in range(dY) for s in (1, -1)]
    a = sp.symbols(f"a0:{len(pats)}")
    eqs = []
    for j in range(dY):
        for k in range(P):
            lhs = sum(a[m] * pats[m][k] * sum(pats[m][l] * int(Y[j, l]) for l in range(P))
                      for m in range(len(pats)))
            eqs.append(lhs - sp.Rational(b) * P * int(Y[j, k]))
    sol = sp.solve(eqs, a, dict=True)
    if len(sol) != 1 or any(m not in sol[0] for m in a):
        raise RuntimeError(f"masses not uniquely determined: {sol}")
    return [Fraction(str(sol[0][m])) for m in a]


def min_width(dY: int, n: int, lam1, lam2) -> int:
    """Smallest width reaching the global optimum (bias, whitened inputs): 2 dY, or 0 if silent."""
    integer_at_least("dY", dY, 1)
    return 2 * dY if closed_form(dY, n, lam1, lam2).active else 0


@lru_cache(maxsize=None)
def _w1(module):
    t2, e1 = sym.width_one_optimum_dy1()
    return (sp.lambdify((sym.lam1, sym.lam2), t2, module),
            sp.lambdify((sym.lam1, sym.lam2), e1, module))


def width_one_dy1(lam1, lam2, *, module: str = "math"):
    """(t^2, E_1): best single neuron for dY = 1 (active regime lam1 lam2 < 3/2)."""
    f_t2, f_e = _w1(module)
    return f_t2(lam1, lam2), f_e(lam1, lam2)
