"""Exact zero set of a copositive form on the non-negative orthant (small P).

For a copositive rational S, x >= 0 with x^T S x = 0 and support exactly I satisfies: x is an
interior minimiser of the form on the face {x_I > 0}, so S_II is positive semidefinite and
S_II x_I = 0 (first- and second-order conditions on an open set). Hence the zero set is the union
over supports I of ker(S_II) intersected with the open orthant of R^I. This module enumerates the
supports whose kernel is one-dimensional and spanned by a strictly positive vector (the *zero
rays*), exactly (python-flint nullspaces), and reports supports with a larger positive kernel as
*zero faces* (a cone of optimal patterns, not a finite set of rays).

Used to decide which patterns an optimal measure may use (A.relu.all-minima) independently of
the symmetry argument. Cost 2^P exact nullspaces: P <= 12 in practice.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import flint



@dataclass
class ZeroSet:
    rays: list[list[Fraction]]          # generators of 1-dimensional zero faces (normalised: max 1)
    faces: list[tuple[int, ...]]        # supports with a positive kernel of dimension >= 2
    checked: int


def zero_set(S: flint.fmpq_mat, *, max_p: int = 12) -> ZeroSet:
    P = S.nrows()
    if P > max_p:
        raise ValueError(f"`S` must have order <= {max_p} for the exact zero-set enumeration; got {P}")
    rays, faces, checked = [], [], 0
    for k in range(1, P + 1):
        for I in itertools.combinations(range(P), k):
            checked += 1
            B = flint.fmpq_mat(k, k, [S[i, j] for i in I for j in I])
            if k == 1:
                if B[0, 0] == 0:
                    x = [Fraction(0)] * P
                    x[I[0]] = Fraction(1)
                    rays.append(x)
                continue
            if B.det() != 0:
                continue
            N, nullity = B.numer_denom()[0].nullspace()
            if nullity == 1:
                v = [N[i, 0] for i in range(k)]
                if all(t > 0 for t in v) or all(t < 0 for t in v):
                    m = max(abs(t) for t in v)
                    x = [Fraction(0)] * P
                    for t, i in zip(v, I):
                        x[i] = abs(Fraction(int(t), int(m)))
                    rays.append(x)
            elif nullity >= 2:
                faces.append(I)
    return ZeroSet(rays, faces, checked)
