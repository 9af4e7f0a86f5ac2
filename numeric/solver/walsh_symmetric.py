r"""Walsh-block certificates reduced by the full cube symmetry: interaction inputs (eta > 1) up to
dY = MAX_DY (P = 2^dY = 256 samples), with a certificate of dY + 1 blocks whose cost is polynomial
in dY.

Setting: ReLU with the bias, hypercube labels (n = 1), Q = K_X^{-1} invariant under the sign
flips *and* the permutations of the latent variables (target-aligned and interaction inputs of
:mod:`numeric.inputs`): its Walsh eigenvalue q_k depends on the degree k = |S| only and is
computed here in closed form from the features, never from a P x P matrix.

Reduction (derived here; the P-level certificate is :mod:`numeric.solver.walsh_certificate`)
--------------------------------------------------------------------------------------------
1. *Certificate by degree.* A certificate invariant under the whole group has n(d) = g_{|d|}, so
   its Walsh transform on a character of degree k is sum_j g_j K_j(k), with the Krawtchouk numbers
   K_j(k) = sum_i (-1)^i C(k, i) C(dY - k, j - i). The 2^dY blocks collapse to dY + 1 blocks
   B_k; averaging any certificate over the group gives such one, so nothing is lost. Expanded to
   n(d) = g_{|d|} it is a certificate of the P-level module (tested: its ``verify`` accepts it).
2. *Candidates.* For a conjunction of r literals (firing set 1{y_1 = ... = y_r = 1}, up to the
   group) the cheapest pre-activation h = p - q (q >= 0 off the firing set, minimising h^T Q h) is
   unique (Q > 0) and hence invariant under the flips of the other dY - r variables, so h depends
   on (y_1..y_r) only: h(y) = phi(y_1..y_r). With u^_S = 2^(dY-r) sum_z phi(z) chi_S(z) for
   S within the first r variables (0 otherwise), h^T Q h = (1/P) sum_S q_|S| u^_S^2 -- a 2^r x 2^r
   problem, solved exactly (non-negative least squares on the active set, KKT re-checked in
   rationals). |Y relu(h)|^2 = r 4^(dY-r). The largest ratio over r = 1..R is rho^.
3. *Zeros and conditions.* Only one representative per orbit of optimal candidates is needed
   (conditions of its images follow by invariance): the degree-|S| blocks must annihilate
   (p^_S, q^_S) for S within the first r variables, and g vanishes on the Hamming weights
   w(z xor z') + t (z, z' support points of phi, t = 0..dY - r) of differences of support points.
4. *Optimum.* As in :mod:`numeric.solver.symmetric_witness`: kappa*^2 = lam1 lam2 / rho; the
   measure with equal weights on the whole orbit of the optimal candidate has an invariant kernel,
   so Y K = c Y, and with c = lam2 (1 - kappa)/kappa its energy is the dual value
   dY P kappa (2 - kappa) (checked from the definition by the caller). Its coding vectors are
   integer vectors (relu(h) is a 0/1 indicator): two contexts with cosine < 1 are exhibited
   exactly.

Failure modes: a candidate family that misses the maximiser of the ratio gives no certificate
(None, never a wrong answer) -- measured at dY = 9, 10 with eta = 2, where the relaxation's
largest certifiable ratio exceeds the pair conjunctions' by 8e-6 relative; there the
certificate exists only for eta up to ~1.80 (dY = 9) and ~1.66 (dY = 10) (bisection, assuming
one threshold). The callers stop at MAX_DY.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from math import comb

import flint
import numpy as np

from numeric.solver import rational as rq
from numeric.solver.symmetric_witness import _cheapest
from numeric.solver.walsh_certificate import check_blocks, independent_rows, margin_solve, round_project

#: largest dY attempted (P = 1024; < 2 s). Measured limit: at dY = 9, 10 and eta = 2 the
#: relaxation's best ratio exceeds the best pair conjunction's by 8e-6 relative (a better neuron
#: or a relaxation gap, undecided; a local search over neurons that depend on up to 6 variables
#: found none better at dY = 9, nor did 1 000 L-BFGS ascents over all h in R^512,
#: benchmarks/solver/eta2_search.py), so no certificate vanishes on the pair conjunctions there (None);
#: it does for eta up to ~1.80 (dY = 9) and ~1.66 (dY = 10), and at eta = 1 (the tie).
MAX_DY = 10
#: conjunctions of up to this many literals are candidates.
MAX_LITERALS = 3


def krawtchouk(dY: int) -> list[list[int]]:
    """K[k][j] = sum_i (-1)^i C(k, i) C(dY - k, j - i): the eigenvalue on degree-k characters of
    the distance-j adjacency of the cube"""
    return [[sum((-1) ** i * comb(k, i) * comb(dY - k, j - i) for i in range(0, min(k, j) + 1))
             for j in range(dY + 1)] for k in range(dY + 1)]


def walsh_degrees(dY: int, family: str, params: dict) -> list[Fraction]:
    """q_k, the Walsh eigenvalues of Q = K_X^{-1} by degree, exactly: K_X = I + J + sum_S w_S
    chi_S chi_S^T has eigenvalue 1 + P w_S on chi_S (w_empty = 1)"""
    P = 2 ** dY
    if family == "aligned":
        w = {0: Fraction(1), 1: Fraction(params["gamma"])}
    elif family == "interaction":
        w = {0: Fraction(1), 2: Fraction(params["eta"])}
    else:
        raise ValueError(f"`family` must be aligned or interaction (invariant under permutations of "
                         f"the variables); got {family!r}")
    return [1 / (1 + P * w.get(k, Fraction(0))) for k in range(dY + 1)]


@dataclass(frozen=True)
class SymmetricCertificate:
    dY: int
    q: tuple[Fraction, ...]      # Walsh eigenvalue of Q on degree k
    a: tuple[Fraction, ...]      # of A
    g_pp: tuple[Fraction, ...]   # n_pp(d) = g_pp[|d|]
    g_pq: tuple[Fraction, ...]
    g_qq: tuple[Fraction, ...]

    def to_dict(self) -> dict:
        return {"dY": self.dY, **{k: [str(v) for v in getattr(self, k)]
                                  for k in ("q", "a", "g_pp", "g_pq", "g_qq")}}

    @staticmethod
    def from_dict(d: dict) -> "SymmetricCertificate":
        return SymmetricCertificate(int(d["dY"]), *(tuple(Fraction(v) for v in d[k])
                                                    for k in ("q", "a", "g_pp", "g_pq", "g_qq")))

    def expanded(self):
        """the P-level certificate n(d) = g_{|d|} (numeric.solver.walsh_certificate)"""
        from numeric.solver.walsh_certificate import WalshCertificate
        P = 2 ** self.dY
        deg = [bin(S).count("1") for S in range(P)]
        return WalshCertificate(self.dY, tuple(self.q[k] for k in deg), tuple(self.a[k] for k in deg),
                                *(tuple(g[k] for k in deg) for g in (self.g_pp, self.g_pq, self.g_qq)))


def verify_symmetric(c: SymmetricCertificate) -> tuple[bool, str, tuple[int, ...]]:
    """(ok, reason, singular degrees), exactly"""
    m = c.dY + 1
    if not all(len(v) == m for v in (c.q, c.a, c.g_pp, c.g_pq, c.g_qq)):
        return False, f"every field must have dY + 1 = {m} entries", ()
    if any(v < 0 for v in c.g_pp + c.g_qq) or any(v < 0 for v in c.g_pq[1:]):
        return False, "N has a negative entry off the complementarity diagonal", ()
    K = krawtchouk(c.dY)

    def block(k):
        F = [sum((K[k][j] * g[j] for j in range(m)), Fraction(0)) for g in (c.g_pp, c.g_pq, c.g_qq)]
        return k, (c.q[k] - c.a[k] - F[0], -c.q[k] - F[1], c.q[k] - F[2])
    ok, why, singular = check_blocks((block(k) for k in range(m)), "block of degree")
    return ok, why or "V >= 0 for every u (exact Walsh-block certificate, reduced by symmetry)", singular


def _chi(S: tuple[int, ...], z: tuple[int, ...]) -> int:
    return int(np.prod([z[i] for i in S])) if S else 1


def _conditions(dY: int, q, a, zeros):
    """rows over g = (g_pp, g_pq, g_qq), right-hand sides, tight degrees, vanishing degrees, for
    zeros given as (r, phi: dict z -> Fraction) on the first r variables"""
    m = dY + 1
    K = krawtchouk(dY)
    rows, rhs, tight, nulls = [], [], set(), {}
    zero = [Fraction(0)] * m

    def unit(block, j):
        r_ = [Fraction(0)] * (3 * m)
        r_[block * m + j] = Fraction(1)
        return r_

    for r, phi in zeros:
        pts = list(phi)
        for size in range(r + 1):
            for S in itertools.combinations(range(r), size):
                ph = sum((max(v, Fraction(0)) * _chi(S, z) for z, v in phi.items()), Fraction(0))
                qh = sum((max(-v, Fraction(0)) * _chi(S, z) for z, v in phi.items()), Fraction(0))
                if ph == 0 and qh == 0:
                    continue
                k = size
                tight.add(k)
                nulls.setdefault(k, set()).add((ph / qh, 1) if qh else (1, 0))
                Kk = [Fraction(v) for v in K[k]]
                rows.append([-ph * v for v in Kk] + [-qh * v for v in Kk] + zero)
                rhs.append(-(q[k] - a[k]) * ph + q[k] * qh)
                rows.append(zero + [-ph * v for v in Kk] + [-qh * v for v in Kk])
                rhs.append(q[k] * ph - q[k] * qh)
        sp_ = [z for z in pts if phi[z] > 0]
        sq_ = [z for z in pts if phi[z] < 0]
        for blk, (I, J) in enumerate(((sp_, sp_), (sp_, sq_), (sq_, sq_))):
            weights = {sum(x != y for x, y in zip(z1, z2)) for z1 in I for z2 in J}
            for w in weights:
                for t in range(dY - r + 1):
                    rows.append(unit(blk, w + t))
                    rhs.append(Fraction(0))
    vanish = {k for k, v in nulls.items() if len(v) > 1}
    return rows, rhs, tight, vanish


def certify_symmetric(dY: int, q, a, zeros) -> tuple[SymmetricCertificate | None, str]:
    """An exact certificate of u^T Q u - u_+^T A u_+ >= 0 (Walsh eigenvalues q_k, a_k by degree)
    vanishing on ``zeros`` ((r, phi) pairs), or (None, reason)."""
    m = dY + 1
    rows, rhs, tight, vanish = _conditions(dY, q, a, zeros)
    ind = independent_rows(rows, rhs)
    if ind is None:
        return None, "the zeros' conditions are inconsistent"
    rows, rhs = ind
    free = [k for k in range(m) if k not in tight]
    rank1 = [k for k in sorted(tight) if k not in vanish]
    g = margin_solve(np.array(krawtchouk(dY), dtype=float), q, a, m, rows, rhs, free, rank1)
    if g is None:
        return None, "no certificate with a positive margin was found (float solve)"
    for denom in (10 ** 6, 10 ** 9, 10 ** 12):
        gp = round_project(g, denom, m, rows, rhs)
        cert = SymmetricCertificate(dY, tuple(q), tuple(a), tuple(gp[:m]), tuple(gp[m:2 * m]),
                                    tuple(gp[2 * m:]))
        if verify_symmetric(cert)[0]:
            return cert, "certified"
    return None, "the rounded certificate failed the exact check"


def best_conjunctions(dY: int, q) -> tuple[Fraction, list]:
    """rho^ and the optimal candidates (r, phi) over conjunctions of r <= MAX_LITERALS literals
    (step 2), exactly"""
    P = 2 ** dY
    best, zeros = None, []
    for r in range(1, min(MAX_LITERALS, dY) + 1):
        pts = list(itertools.product((1, -1), repeat=r))          # pts[0] = all +1: the firing point
        subsets = [S for size in range(r + 1) for S in itertools.combinations(range(r), size)]
        c = Fraction(4 ** (dY - r), P)
        M = [[c * sum((q[len(S)] * _chi(S, z) * _chi(S, w) for S in subsets), Fraction(0))
              for w in pts] for z in pts]
        Mq = flint.fmpq_mat(len(pts), len(pts), [rq.q(v) for row in M for v in row])
        h = _cheapest(np.eye(len(pts), dtype=int)[0], Mq, rq.to_float(Mq))
        if h is None:
            continue
        cost = sum((h[i] * M[i][j] * h[j] for i in range(len(pts)) for j in range(len(pts))), Fraction(0))
        ratio = Fraction(r * 4 ** (dY - r)) / cost
        if best is None or ratio > best:
            best, zeros = ratio, [(r, dict(zip(pts, h)))]
        elif ratio == best:
            zeros.append((r, dict(zip(pts, h))))
    return best, zeros


def orbit_patterns(dY: int, r: int, phi: dict) -> list[list[Fraction]]:
    """h_img(y) = phi(s * y_I) for every set I of r variables and signs s: the orbit (sample order of
    numeric.tasks.sign_vectors)"""
    from numeric.tasks import sign_vectors
    Y = sign_vectors(dY).astype(int)
    out = []
    for I in itertools.combinations(range(dY), r):
        for s in itertools.product((1, -1), repeat=r):
            out.append([phi[tuple(int(s[t] * Y[I[t], k]) for t in range(r))] for k in range(Y.shape[1])])
    return out


def not_parallel_contexts(dY: int, patterns) -> tuple[int, int, int] | None:
    """(variable 0, context a, context b) whose integer coding vectors over the equal-weight atoms
    have cosine < 1, exactly (contexts: the other variables' signs, indices into the 2^(dY-1)
    combinations); None if all checked pairs are parallel"""
    from numeric.tasks import sign_vectors
    Y = sign_vectors(dY).astype(int)
    index = {tuple(Y[:, k]): k for k in range(Y.shape[1])}
    contexts = list(itertools.product((1, -1), repeat=dY - 1))
    act = [[int(v > 0) for v in h] for h in patterns]

    def coding(ctx):
        plus, minus = index[(1,) + ctx], index[(-1,) + ctx]
        return [a[plus] - a[minus] for a in act]
    d0 = coding(contexts[0])
    for b in range(1, len(contexts)):
        d1 = coding(contexts[b])
        dot = sum(x * y for x, y in zip(d0, d1))
        n0, n1 = sum(x * x for x in d0), sum(y * y for y in d1)
        if n0 > 0 and n1 > 0 and (dot < 0 or dot * dot < n0 * n1):
            return 0, 0, b
    return None
