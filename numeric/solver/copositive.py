r"""Exact cone checks for dual certificates: T = alpha C - Lambda^T Lambda on (signed) orthants.

A dual point Lambda (dY x P) certifies the lower bound D(Lambda) = 2<Lambda,Y> - |Lambda|^2 iff

    |Lambda relu(h)|^2 <= lam1 lam2 cost(h)   for every reachable pattern h          (*)

(:mod:`symbolic.solver`). With a cost lower bound h^T C h (C = Q, or a certified minorant) this
is a copositivity statement, decided here in exact rationals (python-flint):

* :func:`structured` -- C = (1 - delta) I - c J (whitened inputs: c = 1/(P+1) with the bias,
  0 without; delta >= 0 absorbs a certified perturbation). T = a I - N^T D N with
  N = [Lambda; 1^T], D = diag(1, .., 1, alpha c): every principal block is identity minus low
  rank, so by Woodbury

      T_JJ^{-1} = (1/a) (I + N_J^T H_J^{-1} N_J),    H_J = a D^{-1} - N_J N_J^T   (m x m, m <= dY+1)

  and T_JJ is positive definite iff H_J is. The test is the order-free form of the
  Cottle-Habetler-Lemke theorem: T is *not* copositive iff some principal block T_JJ is
  invertible with T_JJ^{-1} <= 0 entrywise (then x = -T_JJ^{-1} 1 >= 0 has x^T T x =
  1^T T_JJ^{-1} 1 < 0; conversely a minimal non-copositive block has this form, Hadeler 1983).
  Subsets are visited in Gray-code order, N_J N_J^T updated by one rank-one term per step: 2^P
  small exact problems instead of 2^P determinants of order up to P.
* :func:`orthant` -- general C (a PSD Z-matrix): delegates to
  :func:`numeric.copositivity.decide_copositive` (bottom-up CHL, 2^P subsets).
* :func:`signed` -- general C, patterns of both signs: on the orthant of a sign vector s,
  relu(h) = D_s h, so (*) is the copositivity of E_s (alpha C - D_s Lambda^T Lambda D_s) E_s for
  every s; bottom-up CHL over the 3^P signed supports (a signed support's faces are its
  restrictions, so the theorem's hypothesis is met in size order). By default the supports are
  walked as a tree (:mod:`numeric.solver.signed_tree`, ``SIGNED_WALK = "tree"``): a block is
  decided from its parent's Cholesky factor in O(k^2) (positive definite, or indefinite with a
  negative direction of mixed signs: no minimal non-copositive block either way, Lemma B there),
  and the subtree below an indefinite block is never built. ``SIGNED_WALK = "levels"`` (the
  peer) builds every block by size, where a rigorous binary64 filter
  (:mod:`numeric.solver.signed_filter`) proves most blocks no witness (an inverse with a
  positive entry) in batches. Either way only the rest are decided in rationals. Skipping such
  blocks cannot hide a violation: a minimal non-copositive block has an inverse <= 0, all its
  proper blocks PSD and every negative direction of one strict sign, so no rule skips it,
  whatever the order.

Every negative answer carries an exact witness pattern h with alpha h^T C h < |Lambda relu(h)|^2,
re-verified before it is returned.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

from numeric.copositivity import decide_copositive
from numeric.solver import signed_filter, signed_tree
from numeric.solver.rational import frac
from numeric.solver.rational import q as q_float

#: how the filtered signed check visits the 3^P signed supports: "tree" (parent factors, indefinite
#: subtrees skipped: numeric.solver.signed_tree) or "levels" (every block, by size; the peer)
SIGNED_WALK = "tree"


@dataclass(frozen=True)
class ConeResult:
    ok: bool                      # (*) holds
    method: str
    checked: int                  # (signed) supports examined
    witness: list | None = None   # exact pattern h violating (*) (Fractions), when not ok
    value: Fraction | None = None  # alpha h^T C h - |Lambda relu(h)|^2 at the witness (< 0)
    exact: int | None = None      # supports decided in rationals (the rest by a float filter)


def _violation(alpha, C, Lam, h) -> flint.fmpq:
    P = C.nrows()
    hv = flint.fmpq_mat(P, 1, h)
    p = flint.fmpq_mat(P, 1, [x if x > 0 else flint.fmpq(0) for x in h])
    Lp = Lam * p
    return (hv.transpose() * C * hv)[0, 0] * alpha - sum((v * v for v in Lp.entries()), flint.fmpq(0))


def _checked_witness(alpha, C, Lam, h, method, checked) -> ConeResult:
    val = _violation(alpha, C, Lam, h)
    if not val < 0:
        raise RuntimeError(f"internal error: cone witness failed exact verification (value {val}); "
                           "this is a bug")
    return ConeResult(False, method, checked, [frac(x) for x in h], frac(val))


def structured(alpha: flint.fmpq, one_minus_delta: flint.fmpq, c: flint.fmpq,
               Lam: flint.fmpq_mat) -> ConeResult:
    """(*) for C = (1 - delta) I - c J, i.e. copositivity of a I - alpha c J - Lambda^T Lambda."""
    method = "exact Gray-code CHL/Woodbury on T = a I - N^T D N (structured whitened cost)"
    dY, P = Lam.nrows(), Lam.ncols()
    a = alpha * one_minus_delta
    if not a > 0:
        raise ValueError(f"`alpha (1 - delta)` must be > 0; got {a}")
    ac = alpha * c
    rows = [[Lam[i, j] for j in range(P)] for i in range(dY)]
    dinv = [flint.fmpq(1)] * dY
    if ac != 0:
        rows.append([flint.fmpq(1)] * P)
        dinv.append(1 / ac)
    m = len(rows)
    # integer scaling: n'_j = dn n_j, H'' = den dn^2 (a D^{-1}) - den G' (same signs as H)
    dn = 1
    for r in rows:
        for v in r:
            dn = _lcm(dn, int(v.q))
    diag = [a * d * dn * dn for d in dinv]
    den = 1
    for v in diag:
        den = _lcm(den, int(v.q))
    base = [int(v * den) for v in diag]
    cols = [[int(rows[i][j] * dn) for i in range(m)] for j in range(P)]      # n'_j (integers)
    outer = [flint.fmpz_mat(m, m, [den * x * y for x in n for y in n]) for n in cols]
    Hs = flint.fmpz_mat(m, m, [base[i] if i == k else 0 for i in range(m) for k in range(m)])
    inJ = [False] * P
    checked = 0
    for step in range(1, 2 ** P):
        b = (step & -step).bit_length() - 1
        if inJ[b]:
            Hs += outer[b]
        else:
            Hs -= outer[b]
        inJ[b] = not inJ[b]
        checked += 1
        dH = Hs.det()
        if dH == 0:
            continue                                   # T_JJ singular: no witness here
        # sign(1 + n_j^T H^{-1} n_j) = -sign(det [[H'', n'_j], [den n'_j^T, -1]]) sign(det H'')
        Hl = Hs.entries()
        hit = False
        for j in range(P):
            if not inJ[j]:
                continue
            n = cols[j]
            aug = []
            for i in range(m):
                aug.extend(Hl[i * m:(i + 1) * m])
                aug.append(n[i])
            aug.extend(den * x for x in n)
            aug.append(-1)
            if (flint.fmpz_mat(m + 1, m + 1, aug).det() > 0) != (dH > 0):
                hit = True                             # a positive diagonal entry of T_JJ^{-1}
                break
        if hit:
            continue
        res = _offdiag_or_witness(alpha, one_minus_delta, c, Lam, a, rows, dinv, inJ, m, P)
        if res is not None:
            return ConeResult(res.ok, method, checked, res.witness, res.value)
    return ConeResult(True, method, checked)


def _lcm(x: int, y: int) -> int:
    from math import gcd
    return x // gcd(x, y) * y


def _offdiag_or_witness(alpha, one_minus_delta, c, Lam, a, rows, dinv, inJ, m, P):
    """All diagonal entries of T_JJ^{-1} are <= 0: finish the test exactly (rare path)."""
    J = [j for j in range(P) if inJ[j]]
    N = flint.fmpq_mat(m, len(J), [rows[i][j] for i in range(m) for j in J])
    H = flint.fmpq_mat(m, m, [a * dinv[i] if i == k else 0 for i in range(m) for k in range(m)]) \
        - N * N.transpose()
    Ti = (_eye(len(J)) + N.transpose() * H.inv() * N) * (1 / a)
    if any(e > 0 for e in Ti.entries()):
        return None
    k = len(J)
    h = [flint.fmpq(0)] * P
    for x in range(k):
        h[J[x]] = -sum((Ti[x, y] for y in range(k)), flint.fmpq(0))
    return _checked_witness(alpha, _structured_C(P, one_minus_delta, c), Lam, h, "", 0)


def _eye(n):
    return flint.fmpq_mat(n, n, [int(i == j) for i in range(n) for j in range(n)])


def _structured_C(P, one_minus_delta, c):
    return flint.fmpq_mat(P, P, [(one_minus_delta if i == j else 0) - c
                                 for i in range(P) for j in range(P)])


def orthant(alpha: flint.fmpq, C: flint.fmpq_mat, Lam: flint.fmpq_mat, *, max_n: int = 20) -> ConeResult:
    """(*) on non-negative patterns: copositivity of alpha C - Lambda^T Lambda (bottom-up CHL)."""
    T = C * alpha - Lam.transpose() * Lam
    res = decide_copositive(T, max_n=max_n)
    method = "exact bottom-up CHL (numeric.copositivity) on alpha C - Lambda^T Lambda"
    if res.copositive:
        return ConeResult(True, method, res.submatrices_checked)
    return _checked_witness(alpha, C, Lam, [flint.fmpq(x.numerator, x.denominator) for x in res.witness],
                            method, res.submatrices_checked)


def signed(alpha: flint.fmpq, C: flint.fmpq_mat, Lam: flint.fmpq_mat, *, max_p: int = 12) -> ConeResult:
    """(*) on patterns of both signs: CHL over the 3^P signed supports.

    With the float filters on (``EMERGENCE_EXACT_CONES`` unset) the supports are walked as a
    tree (``SIGNED_WALK = "tree"``, :mod:`numeric.solver.signed_tree`), or by levels, one size
    and one sign vector at a time, with the binary64 filter of
    :mod:`numeric.solver.signed_filter` proving most blocks no witness in one batch (their
    inverse has a positive entry). Only the blocks neither decides are decided in rationals;
    ``exact`` in the result counts those, ``checked`` the supports accounted for (all
    3^P - 2^P that are not all negative, when the check passes). With the filters off every
    block is decided in rationals, by levels."""
    P = C.nrows()
    if P > max_p:
        raise ValueError(f"`P` must be <= {max_p} for the exact signed cone check (3^P signed "
                         f"supports); got {P}")
    aC = C * alpha
    LtL = Lam.transpose() * Lam
    use_filter = signed_filter.enabled()
    if use_filter:
        M0 = signed_filter.entry_floats(aC)
        M1 = signed_filter.entry_floats(aC - LtL)
        if SIGNED_WALK == "tree":
            return _signed_tree(alpha, C, Lam, aC, LtL, M0, M1)
        if SIGNED_WALK != "levels":
            raise ValueError(f"`copositive.SIGNED_WALK` must be 'tree' or 'levels'; got {SIGNED_WALK!r}")
    checked = exact = 0
    for k in range(1, P + 1):
        subs = np.array(list(itertools.combinations(range(P), k)), dtype=np.intp)
        for s in itertools.product((1, -1), repeat=k):
            if all(v < 0 for v in s):
                continue                          # alpha C_JJ is positive definite
            checked += len(subs)
            todo = subs
            if use_filter:
                sv = np.array(s, dtype=float)
                todo = subs[~signed_filter.no_witness(signed_filter.blocks(M0, M1, subs, sv))]
            exact += len(todo)
            for J in todo.tolist():
                h = _signed_block(aC, LtL, J, s, P)
                if h is not None:
                    return _checked_witness(alpha, C, Lam, h, _signed_method(use_filter, checked, exact),
                                            checked)
    return ConeResult(True, _signed_method(use_filter, checked, exact), checked, exact=exact)


def _signed_tree(alpha, C, Lam, aC, LtL, M0, M1) -> ConeResult:
    """The same check walked as a tree (:mod:`numeric.solver.signed_tree`)."""
    P = C.nrows()

    def method(st) -> str:
        return ("exact CHL over signed supports (3^P), walked as a tree: "
                f"{st.visited} blocks visited, {st.by_factor} decided from their parent's "
                f"Cholesky factor, {st.by_filter} by the binary64 inverse filter, "
                f"{st.pruned_subtrees} subtrees skipped below indefinite blocks, "
                f"{st.exact} decided in rationals")

    def exact(J, s):
        h = _signed_block(aC, LtL, J.tolist(), [int(v) for v in s], P)
        return None if h is None else _checked_witness(alpha, C, Lam, h, "signed tree", 0)

    def violation(J, s, y):
        h = [flint.fmpq(0)] * P
        for t, v, sg in zip(J.tolist(), y.tolist(), s.tolist()):
            h[t] = q_float(v) * int(sg)
        val = _violation(alpha, C, Lam, h)
        return ConeResult(False, "signed tree", 0, [frac(x) for x in h], frac(val)) if val < 0 else None

    out, stats = signed_tree.walk(M0, M1, exact, violation)
    if out is not None:
        return ConeResult(False, method(stats), stats.covered, out.witness, out.value, exact=stats.exact)
    if stats.covered != 3 ** P - 2 ** P:
        raise RuntimeError(f"internal error: the signed tree covered {stats.covered} supports, "
                           f"not {3 ** P - 2 ** P}; this is a bug")
    return ConeResult(True, method(stats), stats.covered, exact=stats.exact)


def _signed_method(use_filter: bool, checked: int, exact: int) -> str:
    method = "exact bottom-up CHL over signed supports (3^P)"
    if use_filter:
        method += (f"; {checked - exact} blocks proved no witness by the binary64 filter, "
                   f"{exact} decided in rationals")
    return method


def _signed_block(aC, LtL, J, s, P):
    """The exact CHL test of one signed support: the witness pattern h when its block B is
    invertible with det B < 0 and B^{-1} <= 0 entrywise, else None."""
    k = len(J)
    B = flint.fmpq_mat(k, k, [
        (aC[J[x], J[y]] - (LtL[J[x], J[y]] if s[x] > 0 and s[y] > 0 else 0)) * s[x] * s[y]
        for x in range(k) for y in range(k)])
    if B.det() >= 0:
        return None
    ent = B.inv().entries()
    if any(e > 0 for e in ent):
        return None
    h = [flint.fmpq(0)] * P
    for x in range(k):
        h[J[x]] = -sum(ent[x * k:(x + 1) * k], flint.fmpq(0)) * s[x]
    return h
