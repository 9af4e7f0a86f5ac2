r"""No global minimum is abstract: a rigorous refutation of PS = 1 from the certified outputs.

Math (derived here; it rests on ``L.solver.outputs``, itself on ``A.kkt`` stated by paper A)
------------------------------------------------------------------------------------------
Labels Y in {+-1}^{dY x P} with every condition present; class means r(y) = mean of the hidden
representation phi(W x~_p) over the samples p of condition y; coding vectors of variable k in
context alpha (an assignment of the other variables)

    Delta_k(alpha) = r(y_k = +1, alpha) - r(y_k = -1, alpha),     PS_k = mean cos(Delta_k(alpha), Delta_k(alpha')),

as in :mod:`numeric.parallelism` (paper A's PS). The network has no output bias, so the class
means of the outputs F = W2 phi(W X~) are W2 r(y) and the *output* coding vectors are
D_k(alpha) = W2 Delta_k(alpha) (linearity of the class mean).

1. PS_k = 1 forces every Delta_k(alpha) to be non-zero and a positive multiple c_alpha u of one
   vector u (a mean of cosines <= 1 equals 1 only when every cosine does). Then D_k(alpha) =
   c_alpha W2 u: the output coding vectors are *non-negatively dependent* (all zero, or all
   positive multiples of one non-zero vector). For two vectors this is equality in
   Cauchy-Schwarz, |x||y| - x.y = 0.
2. Every global minimum has the same outputs F* = Y - Lambda* (``L.solver.outputs``), and a
   verified certificate gives |F* - (Y - Lambda^)|_F <= r = sqrt(U - L) with Lambda^ exact.
   D_k(alpha) = F w_alpha for the class-mean weights w_alpha (+-1/n_y on the samples of the two
   conditions), so by Cauchy-Schwarz row by row |D*_k(alpha) - D^_k(alpha)| <= |w_alpha| r.
3. A ball of radius rho < |a| around a non-zero a contains only non-zero vectors at angle
   <= phi_a = arcsin(rho / |a|) from a. If the angle theta between the exact centre vectors a =
   D^_k(alpha), b = D^_k(alpha') exceeds phi_a + phi_b (equivalently cos theta < cos(phi_a +
   phi_b) = sqrt(1 - s_a^2) sqrt(1 - s_b^2) - s_a s_b, s = rho / |.|, all angles in [0, pi]),
   then D*_k(alpha) and D*_k(alpha') are non-zero at angle >= theta - phi_a - phi_b > 0: not
   non-negatively dependent. By 1, **no global minimum has PS_k = 1, so none has PS = 1**: every
   global minimum is non-abstract, whatever its width or kernel.

The test is one-sided. Outputs whose coding vectors are parallel (for example (1 - kappa*) Y on
the hypercube) are consistent with PS = 1 and with PS < 1, and the answer stays undecided there
(``None``): the hidden kernel of a global minimum need not be unique (``A.relu.nobias.not-unique``).
The same argument holds for the max-over-pairings score (Bernardi et al.) only if *every*
pairing is refuted; that is not attempted here.

Arithmetic: the centre is exact (fmpq); norms, square roots and the comparison run in ball
arithmetic (python-flint ``arb``, 128 bits), whose comparisons are true only when certain, so a
round-off never produces a refutation. Hypotheses: a certificate that verifies, targets in
{+-1} with every one of the 2^dY conditions present, dY >= 2. Failure mode: none known besides
the one-sidedness; a certificate that does not verify gives ``None``.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import flint
import numpy as np

from numeric.parallelism import coding_index_sets
from numeric.solver import rational as rq
from numeric.solver.certificate import verify

#: working precision of the ball arithmetic (bits).
PREC = 128


@dataclass(frozen=True)
class VariableWitness:
    variable: int                   # k
    contexts: tuple[tuple[int, ...], tuple[int, ...]]   # alpha, alpha' (signs of the other variables)
    cos_centre: float               # cosine of the exact centre's output coding vectors
    cos_upper: float                # rigorous upper bound of that cosine over the outputs ball (< 1)
    clearance: float                # t: no outputs within t of the centre have this pair dependent
    price: float                    # (t - r)^2 rounded down: the excess loss of any PS_k = 1 network


@dataclass(frozen=True)
class Refutation:
    radius: float                   # r >= sqrt(U - L), the outputs ball (Frobenius)
    lower: float                    # the certificate's L <= E* (rounded down)
    witnesses: tuple[VariableWitness, ...]   # one per refuted variable k
    undecided: tuple[int, ...]      # variables whose output coding vectors stay parallel within the ball

    @property
    def refuted(self) -> bool:
        """True when no global minimum can have PS = 1 (some PS_k < 1 at every global minimum)."""
        return bool(self.witnesses)

    @property
    def price(self) -> float:
        """Every network with PS = 1 (any width) has loss >= E* + price (0 when not refuted)."""
        return max((w.price for w in self.witnesses), default=0.0)

    def to_json(self) -> dict:
        return {"radius": self.radius, "lower": self.lower, "price": self.price,
                "undecided_variables": list(self.undecided),
                "variables": [{"k": w.variable, "contexts": [list(c) for c in w.contexts],
                               "cos_centre": w.cos_centre, "cos_upper": w.cos_upper,
                               "clearance": w.clearance, "price": w.price}
                              for w in self.witnesses]}


def _coding_vector(F: flint.fmpq_mat, plus: list[int], minus: list[int]) -> list[flint.fmpq]:
    """exact F w for the class-mean weights +1/|plus| on plus, -1/|minus| on minus"""
    a, b = flint.fmpq(1, len(plus)), flint.fmpq(1, len(minus))
    return [sum((F[i, p] for p in plus), flint.fmpq(0)) * a
            - sum((F[i, p] for p in minus), flint.fmpq(0)) * b for i in range(F.nrows())]


def _certain_cos(a, b, wa2, wb2, t2) -> float | None:
    """Upper bound (< 1) of cos(x, y) over |x - a| <= |w_a| t, |y - b| <= |w_b| t with x, y != 0,
    or None when the two balls may hold a non-negatively dependent pair (module docstring, step 3).
    a, b exact; wa2 = |w_a|^2, wb2, t2 = t^2 exact rationals."""
    A = flint.arb(sum((v * v for v in a), flint.fmpq(0)))
    B = flint.arb(sum((v * v for v in b), flint.fmpq(0)))
    AB = flint.arb(sum((u * v for u, v in zip(a, b)), flint.fmpq(0)))
    sa2, sb2 = flint.arb(wa2 * t2) / A if A > 0 else None, flint.arb(wb2 * t2) / B if B > 0 else None
    if sa2 is None or sb2 is None or not (sa2 < 1 and sb2 < 1):
        return None
    sa, sb = sa2.sqrt(), sb2.sqrt()
    ca, cb = (1 - sa2).sqrt(), (1 - sb2).sqrt()
    cos_t = AB / (A * B).sqrt()
    cos_phi = ca * cb - sa * sb
    if not cos_t < cos_phi:
        return None
    u = 1 - cos_t * cos_t                                   # sin^2(theta); only its upper end is
    top_u = u.mid() + u.rad()                               # needed (sin(phi) >= 0), and it stays
    sin_t = flint.arb(top_u).sqrt() if top_u > 0 else flint.arb(0)   # finite for cos ~ -1
    sin_phi = sa * cb + ca * sb
    bound = cos_t * cos_phi + sin_t * sin_phi              # cos(theta - phi) >= every cos(x, y)
    top = bound.mid() + bound.rad()
    return float(top) if top < 1 else None


def _float_clearance(a: np.ndarray, b: np.ndarray, wa: float, wb: float) -> float:
    """largest t with arcsin(wa t/|a|) + arcsin(wb t/|b|) < angle(a, b), by bisection (float)"""
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na == 0 or nb == 0:
        return 0.0
    theta = float(np.arccos(np.clip(a @ b / (na * nb), -1.0, 1.0)))
    lo, hi = 0.0, min(na / wa, nb / wb)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if np.arcsin(min(wa * mid / na, 1.0)) + np.arcsin(min(wb * mid / nb, 1.0)) < theta:
            lo = mid
        else:
            hi = mid
    return lo


def refute(Y: flint.fmpq_mat, Lam: flint.fmpq_mat, gap: flint.fmpq,
           lower: flint.fmpq | None = None) -> Refutation:
    """Refutation of PS = 1 for every global minimum from the exact dual point ``Lam`` and the
    exact bracket width ``gap`` = U - L (see module docstring); ``lower`` = L is only reported.
    Y must hold +-1 with every condition present and dY >= 2 (ValueError otherwise)."""
    Yf = rq.to_float(Y)
    dY, P = Yf.shape
    if dY < 2 or not np.all(np.abs(Yf) == 1):
        raise ValueError(f"`Y` must have dY >= 2 rows of +-1 labels; got shape {Yf.shape}")
    if gap < 0:
        raise ValueError(f"`gap` must be >= 0 (an exact bracket width U - L); got {gap}")
    sets = coding_index_sets(Yf)                # raises when a condition has no sample
    F = flint.fmpq_mat(dY, P, [Y[i, j] - Lam[i, j] for i in range(dY) for j in range(P)])
    r = rq.rational_upper_sqrt(gap) if gap > 0 else rq.q(0)
    old, flint.ctx.prec = flint.ctx.prec, PREC
    try:
        witnesses, undecided = [], []
        ctxs = list(itertools.product((-1, 1), repeat=dY - 1))
        for k in range(dY):
            vecs = [_coding_vector(F, list(plus), list(minus)) for plus, minus in sets[k]]
            w2 = [flint.fmpq(1, len(plus)) + flint.fmpq(1, len(minus)) for plus, minus in sets[k]]
            found = _best_pair(k, ctxs, vecs, w2, r)
            if found is None:
                undecided.append(k)
            else:
                witnesses.append(found)
        low = math.nextafter(float(rq.frac(lower)), -math.inf) if lower is not None else math.nan
        return Refutation(math.nextafter(float(rq.frac(r)), math.inf), low, tuple(witnesses),
                          tuple(undecided))
    finally:
        flint.ctx.prec = old


def _best_pair(k, ctxs, vecs, w2, r) -> VariableWitness | None:
    """the pair of contexts with the largest verified clearance t > r, or None"""
    fl = np.array([[float(rq.frac(v)) for v in vec] for vec in vecs])
    wf = [math.sqrt(float(rq.frac(w))) for w in w2]
    pairs = sorted(((_float_clearance(fl[i], fl[j], wf[i], wf[j]), i, j)
                    for i, j in itertools.combinations(range(len(ctxs)), 2)), reverse=True)
    for t_float, i, j in pairs:
        if t_float <= float(rq.frac(r)):
            return None
        t = rq.q(t_float * (1 - 1e-9))
        for _ in range(8):                              # verify t (shrinking towards r if needed)
            if t <= r:
                break
            if _certain_cos(vecs[i], vecs[j], w2[i], w2[j], t * t) is not None:
                cos_r = _certain_cos(vecs[i], vecs[j], w2[i], w2[j], r * r)
                na, nb = np.linalg.norm(fl[i]), np.linalg.norm(fl[j])
                return VariableWitness(
                    k, (ctxs[i], ctxs[j]), float(fl[i] @ fl[j] / (na * nb)), cos_r,
                    math.nextafter(float(rq.frac(t)), -math.inf),
                    max(math.nextafter(float(rq.frac((t - r) * (t - r))), -math.inf), 0.0))
            t = (t + r) / 2
    return None


def refute_from_certificate(cert: dict, report=None) -> Refutation | None:
    """:func:`refute` on a dense certificate (its exact Y, dual point and bracket), or None when
    the certificate does not verify. ``report``: its verify report when already computed."""
    rep = verify(cert) if report is None else report
    if not rep.ok:
        return None
    Y = rq.from_strings(cert["problem"]["Y"], "problem.Y")
    Lam = rq.from_strings(cert["dual"]["Lambda"], "dual.Lambda")
    return refute(Y, Lam, rq.q(rep.upper - rep.lower), rq.q(rep.lower))
