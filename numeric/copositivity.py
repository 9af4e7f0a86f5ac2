r"""Exact copositivity decisions for symmetric rational matrices.

Definitions
-----------
A real symmetric ``n x n`` matrix ``S`` is *copositive* if ``x^T S x >= 0``
for every ``x >= 0`` (entrywise), and *strictly copositive* if moreover
``x^T S x > 0`` for every ``x >= 0, x != 0``.  Copositivity is what remains of
positive semidefiniteness when the quadratic form is only tested on the
nonnegative orthant; every PSD matrix and every entrywise-nonnegative matrix
is copositive, but not conversely (the 5x5 Horn matrix is copositive and is
neither, nor a sum of the two).

Why exact arithmetic
--------------------
In the mean-field application the KKT optimality certificate reduces to the
copositivity of a dual matrix ``S`` that is copositive but *not strictly*:
there are ``x >= 0, x != 0`` with ``x^T S x = 0`` and several principal
submatrices are singular.  Such a matrix sits exactly on the boundary of the
copositive cone, so an arbitrarily small perturbation (including a rounding
error) can make it non-copositive.  A floating-point computation therefore
cannot decide the question; this module works in exact rationals
(python-flint ``fmpq`` / ``fmpq_mat``) and refuses float input unless the
caller explicitly opts in (``allow_float=True``), in which case each binary
float is converted to the rational number it *exactly* represents
(``fractions.Fraction(float)``) and the result records that it did so.

The theorem
-----------
**Cottle, Habetler & Lemke (1970)**, *On classes of copositive matrices*,
Linear Algebra Appl. 3, 295-310, Thm. 3.1; in determinant/adjugate form
**Hadeler (1983)**, *On copositive matrices*, Linear Algebra Appl. 49, 79-89:

    Let ``B`` be a real symmetric ``m x m`` matrix all of whose principal
    submatrices of order ``m - 1`` are copositive.  Then ``B`` is **not**
    copositive if and only if ``B`` is invertible and ``B^{-1} <= 0``
    entrywise; equivalently, iff ``det B < 0`` and ``adj B >= 0`` entrywise.

(The two forms agree because ``adj B = det(B) * B^{-1}``.)  Hypothesis: the
statement is only valid when *all* order ``m - 1`` principal submatrices are
copositive; it is therefore applied bottom-up.  For ``m = 1`` it reads
"``[b]`` is copositive iff ``b >= 0``".

Algorithm
---------
Visit the index subsets ``I`` of ``{0, ..., n-1}`` by increasing size
(lexicographically within a size) and decide the copositivity of the
principal submatrix ``B = S[I, I]``.  When ``I`` is visited every proper
subset has already been visited and found copositive (we stop at the first
failure), so the hypothesis of the theorem holds for ``B`` and:

* ``det B > 0``                  -> ``B`` copositive (criterion needs ``det < 0``);
* ``det B == 0``                 -> ``B`` copositive (criterion needs ``B``
  invertible); ``I`` is recorded in ``zeros``;
* ``det B < 0`` and ``B^{-1}`` has a positive entry -> ``B`` copositive;
* ``det B < 0`` and ``B^{-1} <= 0`` -> ``B`` and hence ``S`` are **not**
  copositive.  ``S`` is copositive iff no subset fails.

Witness.  If ``B`` fails, ``x_I = -B^{-1} 1`` is ``>= 0`` (as ``B^{-1} <= 0``),
nonzero (an invertible matrix has no zero row), and
``x_I^T B x_I = 1^T B^{-1} B B^{-1} 1 = 1^T B^{-1} 1 < 0``.  Padding ``x_I`` with
zeros outside ``I`` gives ``x >= 0`` with ``x^T S x < 0``.  The witness is
re-verified exactly before it is returned; a failed verification raises
``RuntimeError`` (it would indicate a bug, never a property of the input).
Because subsets are visited smallest first, the witness support is an
inclusion-minimal non-copositive principal submatrix.

Pruning (``prune=True``, the default).  Let ``|I| >= 2`` and suppose some
``i in I`` has ``S[i, j] >= 0`` for every ``j in I \ {i}``.  Then ``B`` is
copositive, so the determinant is skipped.  Proof: with ``I' = I \ {i}`` and
``x >= 0``,
``x^T B x = S[i,i] x_i^2 + 2 x_i sum_{j in I'} S[i,j] x_j + x_{I'}^T S[I',I'] x_{I'}``;
the first term is ``>= 0`` because the ``1 x 1`` submatrix ``{i}`` passed,
the second because every factor is ``>= 0``, and the third because the proper
principal submatrix ``S[I', I']`` was already found copositive.  This
contains the rule "an entrywise-nonnegative matrix is copositive" (every
``i`` qualifies).  Consequence for ``zeros``: pruned subsets are not examined,
so a singular pruned submatrix is not listed.  (Any zero ``x`` of a
copositive ``S`` with support ``I`` satisfies ``S[I,I] x_I = 0``; if ``I`` was
pruned via index ``i`` then row ``i`` of ``S[I,I]`` vanishes, so the zero
diagonal entry ``{i}`` *is* listed.)  Pass ``prune=False`` to compute the
determinant of every visited subset and obtain the complete list.

Cost and failure modes
----------------------
Up to ``2^n - 1`` principal submatrices, each an exact determinant (and, only
when ``det < 0``, an exact inverse) of order ``<= n``: ``O(2^n n^3)`` rational
operations, with bit sizes growing with those of the entries.  Deciding
copositivity is co-NP-complete (Murty & Kabadi 1987), so the exponential
factor is not an artefact of this method.  In practice (python-flint) a
16 x 16 matrix takes about a second.  ``n > max_n`` (default 20) raises
``ValueError`` before any work; raise ``max_n`` deliberately to accept the
cost.  Float entries raise ``ValueError`` unless ``allow_float=True``;
non-finite, complex, irrational or non-numeric entries are always refused.

Also here: :func:`quadratic_form` (exact ``x^T S x``) and
:func:`min_on_simplex_estimate`, a float64 heuristic used **only** by the
tests as an independent cross-check -- it proves nothing.
"""

from __future__ import annotations

import decimal
import itertools
import math
import numbers
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import numpy as np

__all__ = [
    "CopositivityResult",
    "to_fmpq_matrix",
    "decide_copositive",
    "quadratic_form",
    "min_on_simplex_estimate",
]

METHOD = (
    "Cottle-Habetler-Lemke recursion over principal submatrices, "
    "exact rationals (python-flint fmpq)"
)
ZEROS_CAP = 1000


# ---------------------------------------------------------------------------
# Input conversion / validation
# ---------------------------------------------------------------------------


def _float_to_fraction(value: float, where: str, name: str, allow_float: bool) -> Fraction:
    if not allow_float:
        raise ValueError(
            f"`{name}` must have exact rational entries; got float at {where} "
            f"(value {value!r}). Pass int, fractions.Fraction, flint.fmpq or "
            f"sympy.Rational entries, or allow_float=True to convert each float "
            f"exactly to the binary rational it represents."
        )
    if not math.isfinite(value):
        raise ValueError(f"`{name}` must be finite; got {value!r} at {where}")
    return Fraction(value)


def _entry_to_fraction(v: Any, where: str, name: str, allow_float: bool) -> tuple[Fraction, bool]:
    """Exact conversion of one entry; returns (value, was_float)."""
    if isinstance(v, Fraction):
        return v, False
    if isinstance(v, flint.fmpq):
        return Fraction(int(v.p), int(v.q)), False
    if isinstance(v, flint.fmpz):
        return Fraction(int(v)), False
    if isinstance(v, (bool, np.bool_)):
        raise TypeError(f"`{name}` must have numeric rational entries; got bool at {where}")
    if isinstance(v, numbers.Integral):  # int, numpy integers, sympy Integer
        return Fraction(int(v)), False
    if isinstance(v, (float, np.floating)):
        return _float_to_fraction(float(v), where, name, allow_float), True
    if isinstance(v, decimal.Decimal):
        if not v.is_finite():
            raise ValueError(f"`{name}` must be finite; got Decimal({str(v)!r}) at {where}")
        return Fraction(v), False  # a finite Decimal is an exact decimal rational
    module = type(v).__module__ or ""
    if module.startswith("sympy"):
        import sympy

        if getattr(v, "is_Rational", False):
            return Fraction(int(v.p), int(v.q)), False
        if getattr(v, "is_Float", False):
            if not allow_float:
                _float_to_fraction(float(v), where, name, False)  # raises
            if not math.isfinite(float(v)):
                raise ValueError(f"`{name}` must be finite; got {v} at {where}")
            r = sympy.Rational(v)  # exact binary value of the sympy Float
            return Fraction(int(r.p), int(r.q)), True
        if v is sympy.nan or getattr(v, "is_infinite", False):
            raise ValueError(f"`{name}` must be finite; got {v} at {where}")
        raise ValueError(
            f"`{name}` must have exact rational entries; got non-rational sympy "
            f"value {v} at {where}"
        )
    if module.startswith("mpmath"):
        import mpmath

        if isinstance(v, mpmath.mpf):
            if not allow_float:
                raise ValueError(
                    f"`{name}` must have exact rational entries; got float at {where} "
                    f"(mpmath.mpf {v}). Pass allow_float=True to convert it exactly."
                )
            if not mpmath.isfinite(v):
                raise ValueError(f"`{name}` must be finite; got {v} at {where}")
            man, exp = v.man_exp
            return (Fraction(int(man) * 2 ** int(exp)) if exp >= 0
                    else Fraction(int(man), 2 ** int(-exp))), True
    if isinstance(v, numbers.Rational):  # any other exact rational type
        return Fraction(int(v.numerator), int(v.denominator)), False
    if isinstance(v, numbers.Complex):
        raise TypeError(f"`{name}` must have real rational entries; got complex at {where}")
    raise TypeError(
        f"`{name}` must have exact rational entries (int, Fraction, flint.fmpq, "
        f"sympy.Rational); got {type(v).__name__} at {where}"
    )


def _rows_of(S: Any, name: str) -> list[list[Any]]:
    """Return S as a list of row lists (no conversion of entries yet)."""
    if isinstance(S, (flint.fmpq_mat, flint.fmpz_mat)):
        return [[S[i, j] for j in range(S.ncols())] for i in range(S.nrows())]
    if isinstance(S, np.ndarray):
        if S.ndim != 2:
            raise ValueError(f"`{name}` must be a 2-D square matrix; got array of shape {S.shape}")
        return [list(r) for r in S.tolist()]
    if hasattr(S, "shape") and hasattr(S, "tolist"):  # sympy Matrix and friends
        shape = tuple(S.shape)
        if len(shape) != 2:
            raise ValueError(f"`{name}` must be a 2-D square matrix; got shape {shape}")
        return [list(r) for r in S.tolist()]
    if isinstance(S, (str, bytes)) or not hasattr(S, "__iter__"):
        raise TypeError(f"`{name}` must be a 2-D square matrix; got {type(S).__name__}")
    rows = []
    for r in S:
        if isinstance(r, (str, bytes)) or not hasattr(r, "__iter__"):
            raise ValueError(
                f"`{name}` must be a 2-D square matrix (a sequence of rows); "
                f"got a row of type {type(r).__name__}"
            )
        rows.append(list(r))
    return rows


def _fraction_matrix(
    S: Any, *, allow_float: bool, name: str = "S", symmetric: bool = True
) -> tuple[list[list[Fraction]], bool]:
    """Validate and convert ``S`` to a square list-of-lists of Fractions.

    Returns ``(matrix, any_float)``.
    """
    rows = _rows_of(S, name)
    n = len(rows)
    lengths = [len(r) for r in rows]
    if len(set(lengths)) > 1:
        raise ValueError(f"`{name}` must be a 2-D square matrix; got ragged rows of lengths {lengths}")
    m = lengths[0] if rows else 0
    if m != n:
        raise ValueError(f"`{name}` must be square; got shape ({n}, {m})")
    any_float = False
    M: list[list[Fraction]] = []
    for i, r in enumerate(rows):
        out = []
        for j, v in enumerate(r):
            q, was_float = _entry_to_fraction(v, f"({i}, {j})", name, allow_float)
            any_float |= was_float
            out.append(q)
        M.append(out)
    if symmetric:
        for i in range(n):
            for j in range(i + 1, n):
                if M[i][j] != M[j][i]:
                    raise ValueError(
                        f"`{name}` must be symmetric; {name}[{i},{j}]={M[i][j]} "
                        f"but {name}[{j},{i}]={M[j][i]}"
                    )
    return M, any_float


def _fmpq(q: Fraction) -> flint.fmpq:
    return flint.fmpq(q.numerator, q.denominator)


def _frac(q: flint.fmpq) -> Fraction:
    return Fraction(int(q.p), int(q.q))


def to_fmpq_matrix(S: Any, *, allow_float: bool = False) -> flint.fmpq_mat:
    """Convert a symmetric rational matrix exactly to ``flint.fmpq_mat``.

    Accepts nested sequences, numpy arrays (integer or object dtype), sympy
    matrices and flint matrices whose entries are ``int`` (incl. numpy / sympy
    integers), ``fractions.Fraction``, ``flint.fmpq``/``fmpz``,
    ``sympy.Rational`` or finite ``decimal.Decimal``.  Floats are refused
    (``ValueError``) unless ``allow_float=True``, in which case each float is
    replaced by the rational it exactly represents (``Fraction(float)``).

    Raises ``ValueError`` if ``S`` is not square, not exactly symmetric, or
    has non-finite / irrational entries; ``TypeError`` for non-numeric ones.
    """
    M, _ = _fraction_matrix(S, allow_float=allow_float)
    n = len(M)
    return flint.fmpq_mat(n, n, [_fmpq(q) for row in M for q in row])


# ---------------------------------------------------------------------------
# The decision procedure
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CopositivityResult:
    """Outcome of :func:`decide_copositive`.

    copositive
        The exact decision.
    n
        Order of ``S``.
    submatrices_checked
        Principal submatrices visited (decided), pruned ones included.
    witness
        If not copositive: exact ``x >= 0``, ``x != 0`` (length ``n``, zero
        outside the offending index subset) with ``x^T S x < 0``; else ``None``.
    value
        ``x^T S x`` for the witness (a negative Fraction), else ``None``.
    zeros
        Visited index subsets ``I`` whose principal submatrix has
        ``det S[I,I] == 0`` (first ``ZEROS_CAP = 1000`` only; subsets skipped by
        pruning are not examined, see module docstring).
    method
        Human-readable description of the method and arithmetic.
    pruned
        How many of the visited subsets were decided by the pruning rule.
    float_input
        True if floats were accepted (``allow_float=True``) and converted
        exactly; the decision is then about the binary-rational values.
    zeros_truncated
        True if more than ``ZEROS_CAP`` singular subsets were found.
    """

    copositive: bool
    n: int
    submatrices_checked: int
    witness: list[Fraction] | None
    value: Fraction | None
    zeros: list[tuple[int, ...]]
    method: str
    pruned: int = 0
    float_input: bool = False
    zeros_truncated: bool = False


def _qform(M: list[list[Fraction]], x: list[Fraction]) -> Fraction:
    n = len(M)
    total = Fraction(0)
    for i in range(n):
        if x[i]:
            row = M[i]
            total += x[i] * sum((row[j] * x[j] for j in range(n) if x[j]), Fraction(0))
    return total


def decide_copositive(
    S: Any, *, allow_float: bool = False, max_n: int = 20, prune: bool = True
) -> CopositivityResult:
    """Decide exactly whether the symmetric rational matrix ``S`` is copositive.

    Implements the Cottle-Habetler-Lemke (1970) / Hadeler (1983) recursion
    described in the module docstring: principal submatrices are visited by
    increasing size; a submatrix all of whose maximal proper principal
    submatrices are copositive is non-copositive iff ``det < 0`` and its
    inverse is ``<= 0`` entrywise.  Stops at the first (smallest) failing
    subset and returns an exact, verified witness.

    Parameters
    ----------
    S
        Symmetric square matrix with exact rational entries (see
        :func:`to_fmpq_matrix`).
    allow_float
        Accept float entries, converting each exactly via ``Fraction(float)``.
    max_n
        Refuse (``ValueError``) matrices of order larger than this; the cost
        is ``O(2^n n^3)``.
    prune
        Skip the determinant for subsets certified copositive by the
        nonnegative-row rule (see module docstring).  ``prune=False`` gives a
        complete ``zeros`` list at a higher cost; the decision is identical.
    """
    M, any_float = _fraction_matrix(S, allow_float=allow_float)
    n = len(M)
    if n > max_n:
        raise ValueError(
            f"`S` has order n={n} > max_n={max_n}: the exact test visits up to "
            f"2^n - 1 = {2 ** n - 1} principal submatrices at O(n^3) each; pass a "
            f"larger max_n to accept that cost"
        )
    method = METHOD
    if any_float:
        method += "; float entries converted exactly via Fraction(float) (allow_float=True)"
    if not prune:
        method += "; pruning disabled"

    Q = [[_fmpq(q) for q in row] for row in M]
    # neg_mask[i]: bitmask of j != i with S[i, j] < 0 (used by the pruning rule).
    neg_mask = [sum(1 << j for j in range(n) if j != i and M[i][j] < 0) for i in range(n)]
    full = (1 << n) - 1
    # The rule can only fire if some row has a nonnegative off-diagonal entry.
    prune = prune and any(neg_mask[i] != full & ~(1 << i) for i in range(n))

    zeros: list[tuple[int, ...]] = []
    zeros_truncated = False
    checked = 0
    pruned = 0

    def record_zero(sub: tuple[int, ...]) -> None:
        nonlocal zeros_truncated
        if len(zeros) < ZEROS_CAP:
            zeros.append(sub)
        else:
            zeros_truncated = True

    def fail(sub: tuple[int, ...], x_sub: list[Fraction]) -> CopositivityResult:
        x = [Fraction(0)] * n
        for i, xi in zip(sub, x_sub):
            x[i] = xi
        value = _qform(M, x)
        if not (all(xi >= 0 for xi in x) and any(x) and value < 0):
            raise RuntimeError(
                "internal error: copositivity witness failed exact verification "
                f"(subset {sub}, x={x}, x^T S x={value}); this is a bug"
            )
        return CopositivityResult(
            copositive=False, n=n, submatrices_checked=checked, witness=x, value=value,
            zeros=zeros, method=method, pruned=pruned, float_input=any_float,
            zeros_truncated=zeros_truncated,
        )

    # Size 1: [b] is copositive iff b >= 0.
    for i in range(n):
        checked += 1
        d = M[i][i]
        if d < 0:
            return fail((i,), [Fraction(1)])  # x = e_i, x^T S x = S[i,i] < 0
        if d == 0:
            record_zero((i,))

    for k in range(2, n + 1):
        for sub in itertools.combinations(range(n), k):
            checked += 1
            if prune:
                mask = 0
                for i in sub:
                    mask |= 1 << i
                if any(not (neg_mask[i] & mask) for i in sub):
                    pruned += 1
                    continue
            rows = [Q[i] for i in sub]
            B = flint.fmpq_mat(k, k, [r[j] for r in rows for j in sub])
            det = B.det()
            if det > 0:
                continue
            if det == 0:
                record_zero(sub)
                continue
            Binv = B.inv()
            entries = Binv.entries()
            if all(e <= 0 for e in entries):
                # x_sub = -B^{-1} 1 >= 0, and x_sub^T B x_sub = 1^T B^{-1} 1 < 0.
                x_sub = [-_frac(sum(entries[r * k:(r + 1) * k], flint.fmpq(0))) for r in range(k)]
                return fail(sub, x_sub)

    return CopositivityResult(
        copositive=True, n=n, submatrices_checked=checked, witness=None, value=None,
        zeros=zeros, method=method, pruned=pruned, float_input=any_float,
        zeros_truncated=zeros_truncated,
    )


def quadratic_form(S: Any, x: Any, *, allow_float: bool = False) -> Fraction:
    """Exact ``x^T S x`` as a Fraction (``S`` square, not necessarily symmetric).

    Entries of ``S`` and ``x`` follow the same exactness rules as
    :func:`to_fmpq_matrix`.
    """
    M, _ = _fraction_matrix(S, allow_float=allow_float, symmetric=False)
    n = len(M)
    if isinstance(x, np.ndarray):
        if x.ndim != 1:
            raise ValueError(f"`x` must be a 1-D vector; got array of shape {x.shape}")
        x = x.tolist()
    xs = list(x)
    if len(xs) != n:
        raise ValueError(f"`x` must have length n={n} to match `S`; got length {len(xs)}")
    xq = [_entry_to_fraction(v, f"({i},)", "x", allow_float)[0] for i, v in enumerate(xs)]
    return _qform(M, xq)


# ---------------------------------------------------------------------------
# Float heuristic (test cross-check only)
# ---------------------------------------------------------------------------


def _project_rows_to_simplex(X: np.ndarray) -> np.ndarray:
    """Euclidean projection of each row of X onto {x >= 0, sum x = 1}."""
    m, n = X.shape
    U = -np.sort(-X, axis=1)
    css = np.cumsum(U, axis=1) - 1.0
    ks = np.arange(1, n + 1)
    rho = np.count_nonzero(U - css / ks > 0, axis=1)  # >= 1 always
    theta = css[np.arange(m), rho - 1] / rho
    return np.maximum(X - theta[:, None], 0.0)


def min_on_simplex_estimate(
    S_float: Any, *, starts: int = 200, seed: int = 0, iters: int = 2000, polish: int = 3
) -> tuple[float, np.ndarray]:
    """Float64 *heuristic* estimate of ``min { x^T S x : x >= 0, sum x = 1 }``.

    ``S`` is copositive iff this minimum is ``>= 0``.  Runs batched projected
    gradient descent from the simplex vertices plus ``starts`` random points
    (half dense, half sparse Dirichlet), then polishes the ``polish`` best
    points with scipy SLSQP.  Returns ``(value, x)`` with ``x`` a feasible
    point attaining ``value``; so ``value`` is an *upper* bound on the true
    minimum up to rounding.  It can miss the global minimum and is subject to
    rounding: it **proves nothing** and is used only by the tests as an
    independent cross-check of :func:`decide_copositive`.
    """
    S = np.array(S_float, dtype=float)
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        raise ValueError(f"`S_float` must be square; got shape {S.shape}")
    S = 0.5 * (S + S.T)
    n = S.shape[0]
    if n == 0:
        return 0.0, np.zeros(0)
    rng = np.random.default_rng(seed)
    half = starts // 2
    X = np.vstack([
        np.eye(n),
        rng.dirichlet(np.ones(n), size=half),
        rng.dirichlet(np.full(n, 0.3), size=starts - half),
    ])
    L = 2.0 * float(np.max(np.abs(np.linalg.eigvalsh(S))))
    step = 1.0 / L if L > 0 else 1.0
    for _ in range(iters):
        Xn = _project_rows_to_simplex(X - step * 2.0 * (X @ S))
        done = np.max(np.abs(Xn - X)) < 1e-14
        X = Xn
        if done:
            break
    vals = np.einsum("ij,jk,ik->i", X, S, X)
    order = np.argsort(vals)
    best_val, best_x = float(vals[order[0]]), X[order[0]].copy()
    if polish > 0:
        from scipy.optimize import minimize

        cons = ({"type": "eq", "fun": lambda x: np.sum(x) - 1.0, "jac": lambda x: np.ones_like(x)},)
        for idx in order[:polish]:
            res = minimize(
                lambda x: float(x @ S @ x), X[idx], jac=lambda x: 2.0 * (S @ x),
                method="SLSQP", bounds=[(0.0, 1.0)] * n, constraints=cons,
                options={"ftol": 1e-15, "maxiter": 200},
            )
            x = _project_rows_to_simplex(np.asarray(res.x, dtype=float)[None, :])[0]
            v = float(x @ S @ x)
            if v < best_val:
                best_val, best_x = v, x
    return best_val, best_x
