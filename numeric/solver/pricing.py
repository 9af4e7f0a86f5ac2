"""Pricing: the most negative first variation V(h) = lam1 h^T C h - lam2 relu(h)^T A relu(h).

V is 2-homogeneous, so the question is the sign of mu = min_h V(h) / (h^T C h) (C the cost
matrix: Q, or the penalised Q_t in ``range`` mode). With S = lam1 C - lam2 A:

* ``orthant`` mode (h = p >= 0): mu = min over p >= 0 of p^T S p / p^T C p. A minimiser with
  support I lies in the open face {p_I > 0}, where it is a local, hence global, minimiser of the
  generalised Rayleigh quotient of (S_II, C_II): a generalised eigenvector for the smallest
  eigenvalue, with all entries > 0. Enumerating the 2^P - 1 supports (batched ``eigh``)
  therefore finds mu (float64; degenerate eigenspaces may hide a positive eigenvector on one
  face, but then the minimum is also attained on a smaller face, which is enumerated too).
* ``signed``/``range`` modes: the same on every *signed* support (J, s): B = lam1 C_JJ -
  lam2 D_s A_JJ D_s with D_s the indicator of s = +; the eigenvector must have the signs s.
  3^P - 1 signed supports.

A cheap heuristic (projected gradient on the simplex of the quotient, from the current atoms and
random starts) runs first; the exhaustive search is the float-level completeness check. Neither
is a proof: the proof is the exact copositivity certificate (:mod:`numeric.solver.certificate`).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from numeric.solver import signed_filter, signed_tree
from numeric.solver.rowforms import rowquad

#: refuse the exhaustive signed search above this P (3^P signed supports; one thread, a search
#: over every block: ~33 s at P = 14, ~5 min at P = 16; the screened search 2-3x less, and the
#: screen walked as a tree 1.7-3.1x less again: benchmarks/solver/signed_tree.py). With the warm
#: flags a six-output solve walks 3-4 times: 78 s at P = 16, 393 s at P = 17 (4 walks of ~78 s).
#: Equal to certificate.MAX_SIGNED_P.
MAX_SIGNED_P = 17
#: the same on singular inputs (``range`` mode), whose certificates stop at P = 12
#: (numeric.solver.certificate.MAX_RANGE_P).
MAX_RANGE_P = 13
#: the screen of :func:`signed_search` stops beyond this many flagged minimal blocks (its
#: containment test is flagged x batch).
MAX_FLAGGED = 4096
#: how the screen finds the minimal non-copositive blocks: "tree" (:func:`walk_flags`, most
#: blocks in O(k^2), indefinite subtrees skipped) or "levels" (a determinant and, for half of
#: them, an inverse per block, by size; the peer)
SCREEN_WALK = "tree"


@dataclass
class Pricing:
    mu: float                      # min generalised Rayleigh quotient found (<= 0 is a violation)
    candidates: list[np.ndarray]   # patterns h (length P) with negative quotient, best first
    exhaustive: bool               # True when mu is the exhaustive minimum (float64)
    #: the screen's flagged blocks (support bits, firing bits) when the tree walk ran or
    #: ``warm`` was used; a later round hands them back as ``warm``
    flags: tuple[np.ndarray, np.ndarray] | None = None
    warm: bool = False             # True when the answer came from ``warm`` (no walk)


def _project_simplex(X: np.ndarray) -> np.ndarray:
    m, n = X.shape
    U = -np.sort(-X, axis=1)
    css = np.cumsum(U, axis=1) - 1.0
    rho = np.count_nonzero(U - css / np.arange(1, n + 1) > 0, axis=1)
    theta = css[np.arange(m), rho - 1] / rho
    return np.maximum(X - theta[:, None], 0.0)


def heuristic_orthant(S, C, starts: np.ndarray, *, iters: int = 400) -> tuple[float, np.ndarray]:
    """Projected gradient for min p^T S p / p^T C p on the simplex from the rows of ``starts``."""
    X = _project_simplex(np.abs(starts) + 1e-12)
    L = 2 * float(np.max(np.abs(np.linalg.eigvalsh(S)))) / max(float(np.min(np.linalg.eigvalsh(C))), 1e-300)
    step = 1.0 / max(L, 1e-300)
    for _ in range(iters):
        SX, CX = X @ S, X @ C
        den = np.einsum("ij,ij->i", X, CX)
        f = np.einsum("ij,ij->i", X, SX) / den
        G = 2 * (SX - f[:, None] * CX) / den[:, None]
        Xn = _project_simplex(X - step * G * den.mean())
        if np.max(np.abs(Xn - X)) < 1e-15:
            X = Xn
            break
        X = Xn
    f = rowquad(X, S) / rowquad(X, C)
    j = int(np.argmin(f))
    return float(f[j]), X[j]


def _face_eigen(S, C, subs):
    """Smallest generalised eigenpairs of (S_II, C_II) for a stack of index subsets (n, k)."""
    B = S[subs[:, :, None], subs[:, None, :]]
    Cm = C[subs[:, :, None], subs[:, None, :]]
    L = np.linalg.cholesky(Cm)
    Li = np.linalg.inv(L)
    M = Li @ B @ np.swapaxes(Li, 1, 2)
    ev, V = np.linalg.eigh((M + np.swapaxes(M, 1, 2)) / 2)
    x = np.swapaxes(Li, 1, 2) @ V[:, :, :1]
    return ev[:, 0], x[:, :, 0]


def exhaustive_orthant(S, C, *, keep: int = 8) -> tuple[float, list[np.ndarray]]:
    """Exact-in-float64 enumeration of all supports; returns (mu, best violating patterns)."""
    P = S.shape[0]
    best: list[tuple[float, np.ndarray]] = []
    mu = np.inf
    for k in range(1, P + 1):
        subs = np.array(list(itertools.combinations(range(P), k)), dtype=np.intp)
        for chunk in np.array_split(subs, max(1, len(subs) // 20000)):
            ev, x = _face_eigen(S, C, chunk)
            x = x * np.where(x.sum(axis=1, keepdims=True) < 0, -1.0, 1.0)
            ok = np.all(x > 0, axis=1)
            if not ok.any():
                continue
            evk = np.where(ok, ev, np.inf)
            mu = min(mu, float(np.min(evk)))
            for j in np.argsort(evk)[:keep]:
                if evk[j] < 0:
                    p = np.zeros(P)
                    p[chunk[j]] = x[j]
                    best.append((float(evk[j]), p))
    best.sort(key=lambda t: t[0])
    return (mu if np.isfinite(mu) else 0.0), [p for _, p in best[:keep]]


def exhaustive_signed(lam1, lam2, C, A, *, keep: int = 8) -> tuple[float, list[np.ndarray]]:
    """Enumeration of all signed supports (J, s): 3^P - 1 generalised eigenproblems."""
    res = signed_search(lam1, lam2, C, A, keep=keep)
    return res.mu, res.candidates


def signed_search(lam1, lam2, C, A, *, keep: int = 8, stop_below: float | None = None,
                  screen: bool = True, warm: tuple[np.ndarray, np.ndarray] | None = None) -> Pricing:
    """Minimum of V(h) / h^T C h, V(h) = lam1 h^T C h - lam2 relu(h)^T A relu(h), over the signed
    supports (J, s) in order of size: per support, the generalised eigenproblem of the block on
    the open face, kept when its lowest eigenvector has the support's signs.

    With ``stop_below`` the search ends after the first size whose best quotient is below it
    (``exhaustive`` is then False: mu is not the minimum, only a violation). Measured on six
    outputs, P = 13 (random data, one thread): five searches stopped early (1.4 - 7.4 s each)
    before the full one (9.6 s); the solve took 33 s instead of 46 s (18 rounds instead of 15),
    and 12 s with the screen below.

    ``screen`` (derived here): a face whose quotient is negative at a critical point makes its
    block T = E_s (lam1 C - lam2 D_s A D_s) E_s non-copositive, and a block is non-copositive
    iff it contains a minimal non-copositive one, whose inverse is <= 0 entrywise (Cottle-
    Habetler-Lemke). So, by size, a block is *flagged* when it contains a flagged block (same
    signs) or it has det < 0 (one negative eigenvalue) and a float inverse <= 0, and only
    flagged blocks get the eigenproblem (a determinant and, for half the blocks, an inverse cost
    less than one). Near a feasible dual point few blocks are flagged. In floats the inverse's
    signs are read up to their rounding error (:func:`minimal_flags`): a nearly singular minimal
    block, whose quotient need not be small, was missed when they were read exactly. A block
    whose determinant's sign is lost to rounding has a quotient at the noise level (~1e-16 lam1),
    which no caller treats as a violation. When no block is flagged the minimum is
    >= 0 and mu is reported as 0 (callers use min(mu, 0)). Beyond MAX_FLAGGED flagged minimal
    blocks the screen stops and every block gets its eigenproblem.

    ``SCREEN_WALK = "tree"`` (default) finds the minimal blocks first with the tree walk of
    :mod:`numeric.solver.signed_tree` (:func:`walk_flags`: most blocks in O(k^2) from their
    parent's factor, no block below an indefinite one), then runs the eigenproblems by size as
    above; ``"levels"`` (the peer) finds them by size, a determinant per block. Measured in
    ``benchmarks/solver/signed_tree.py``.

    ``warm`` (with ``stop_below``): the flagged blocks of an earlier round's walk
    (``Pricing.flags``). Their own eigenproblems are solved first (:func:`flagged_quotients`);
    when one is below ``stop_below`` the search returns those violations (not exhaustive, the
    flags handed on) without walking. Column generation changes the dual point little from
    round to round, and its violated minimal blocks persist: measured on the six-output
    P = 14 and P = 16 solves, the previous round's flags held the most violated block of the
    new round in 5 of 11 and 8 of 10 rounds (``benchmarks/solver/warm_flags.py``). The round
    that shows no violation always walks, so ``exhaustive`` means what it did."""
    P = C.shape[0]
    if P > MAX_SIGNED_P:
        raise ValueError(f"`P` must be <= {MAX_SIGNED_P} for the exhaustive signed search "
                         f"(3^P supports); got {P}")
    if warm is not None and stop_below is not None and len(warm[0]):
        q, hs = flagged_quotients(lam1, lam2, C, A, *warm)
        if len(q) and float(np.min(q)) < stop_below:
            order = [j for j in np.argsort(q)[:keep] if q[j] < 0]
            return Pricing(float(np.min(q)), [hs[j] for j in order], False, warm, True)
    best: list[tuple[float, np.ndarray]] = []
    mu = np.inf
    complete = True
    flagged_J = np.zeros(0, dtype=np.int64)
    flagged_p = np.zeros(0, dtype=np.int64)
    walked = False
    if screen and SCREEN_WALK == "tree":
        found = walk_flags(lam1, lam2, C, A)
        if found is None:
            screen = False                      # beyond MAX_FLAGGED: every block's eigenproblem
        else:
            flagged_J, flagged_p = found
            walked = True
            if not len(flagged_J):
                return Pricing(0.0, [], True, found)
    elif screen and SCREEN_WALK != "levels":
        raise ValueError(f"`pricing.SCREEN_WALK` must be 'tree' or 'levels'; got {SCREEN_WALK!r}")
    for k in range(1, P + 1):
        subs = np.array(list(itertools.combinations(range(P), k)), dtype=np.intp)
        signs = np.array(list(itertools.product([1.0, -1.0], repeat=k)))[:-1]  # not all negative
        bits = np.left_shift(np.int64(1), subs.astype(np.int64))
        Jm = bits.sum(axis=1)
        Cm = C[subs[:, :, None], subs[:, None, :]]
        Am = A[subs[:, :, None], subs[:, None, :]]
        G0, G1 = lam1 * Cm, lam1 * Cm - lam2 * Am
        L = np.linalg.cholesky(Cm)
        Li = np.linalg.inv(L)
        for s in signs:
            if screen and len(flagged_J) <= MAX_FLAGGED:
                pm = bits[:, s > 0].sum(axis=1)
                flag = contains_flag(Jm, pm, flagged_J, flagged_p)
                rest = np.flatnonzero(~flag)
                if len(rest) and not walked:
                    fire = s > 0
                    both = (fire[:, None] & fire[None, :])[None]
                    T = np.where(both, G1[rest], G0[rest]) * (s[:, None] * s[None, :])[None]
                    # a minimal non-copositive block has exactly one negative eigenvalue
                    wit = rest[minimal_flags(T)]
                    flag[wit] = True
                    flagged_J = np.concatenate([flagged_J, Jm[wit]])
                    flagged_p = np.concatenate([flagged_p, pm[wit]])
                idx = np.flatnonzero(flag)
                if not len(idx):
                    continue
            else:
                idx = np.arange(len(subs))
            ev, x, ok = _lowest_on_faces(lam1, lam2, Cm[idx], Am[idx], Li[idx], s)
            if not ok.any():
                continue
            evk = np.where(ok, ev, np.inf)
            mu = min(mu, float(np.min(evk)))
            for j in np.argsort(evk)[:keep]:
                if evk[j] < 0:
                    h = np.zeros(P)
                    h[subs[idx[j]]] = x[j]
                    best.append((float(evk[j]), h))
        if stop_below is not None and mu < stop_below and k < P:
            complete = False
            break
    best.sort(key=lambda t: t[0])
    if not np.isfinite(mu) or (screen and mu > 0):
        mu = 0.0
    return Pricing(mu, [h for _, h in best[:keep]], complete,
                   (flagged_J, flagged_p) if walked else None)


def contains_flag(Jm: np.ndarray, pm: np.ndarray, flagged_J: np.ndarray,
                  flagged_p: np.ndarray) -> np.ndarray:
    """Which signed supports (bit masks: support Jm, firing set pm within it) contain one of the
    flagged blocks (flagged_J, flagged_p) with the same signs: the blocks that can be
    non-copositive (:func:`signed_search`'s screen)."""
    flag = np.zeros(len(Jm), dtype=bool)
    for a in range(0, len(flagged_J), 256):
        fj, fp = flagged_J[a:a + 256], flagged_p[a:a + 256]
        flag |= (((Jm[:, None] & fj[None]) == fj[None])
                 & ((pm[:, None] & fj[None]) == fp[None])).any(axis=1)
    return flag


def _lowest_on_faces(lam1, lam2, Cm, Am, Li, s):
    """Smallest generalised eigenpairs of (lam1 C_JJ - lam2 D_s A_JJ D_s, C_JJ) for a stack of
    blocks (Cm, Am: n x k x k; Li: the inverses of Cm's Cholesky factors) with signs s (k, or
    n x k): (eigenvalues, eigenvectors oriented along s, mask of those with the signs s)."""
    D = (s > 0).astype(float)
    B = lam1 * Cm - lam2 * Am * D[..., :, None] * D[..., None, :]
    M = Li @ B @ np.swapaxes(Li, 1, 2)
    ev, V = np.linalg.eigh((M + np.swapaxes(M, 1, 2)) / 2)
    x = (np.swapaxes(Li, 1, 2) @ V[:, :, :1])[:, :, 0]
    x = x * np.where((x * s).sum(axis=1, keepdims=True) < 0, -1.0, 1.0)
    return ev[:, 0], x, np.all(x * s > 0, axis=1)


def flagged_quotients(lam1, lam2, C, A, J_bits: np.ndarray, p_bits: np.ndarray):
    """The quotient min V(h) / h^T C h on each signed support given as bit masks (support J,
    firing set p within J; the signs s = +1 on p, -1 on J \\ p): the smallest generalised
    eigenvalue of (lam1 C_JJ - lam2 D_s A_JJ D_s, C_JJ), kept when its eigenvector has the signs
    s (inf otherwise), and that eigenvector as a pattern h (length P). Returns (quotients,
    patterns), in the order given."""
    P = C.shape[0]
    J_bits = np.asarray(J_bits, dtype=np.int64)
    p_bits = np.asarray(p_bits, dtype=np.int64)
    members = (J_bits[:, None] >> np.arange(P)) & 1
    fire = (p_bits[:, None] >> np.arange(P)) & 1
    size = members.sum(axis=1)
    q = np.full(len(J_bits), np.inf)
    hs = [np.zeros(P) for _ in range(len(J_bits))]
    for k in np.unique(size):
        rows = np.flatnonzero(size == k)
        if k == 0:
            continue
        subs = np.nonzero(members[rows])[1].reshape(len(rows), k)
        s = np.where(np.take_along_axis(fire[rows], subs, axis=1) > 0, 1.0, -1.0)
        Cm = C[subs[:, :, None], subs[:, None, :]]
        ev, x, ok = _lowest_on_faces(lam1, lam2, Cm, A[subs[:, :, None], subs[:, None, :]],
                                     np.linalg.inv(np.linalg.cholesky(Cm)), s)
        q[rows] = np.where(ok, ev, np.inf)
        for r, row in enumerate(rows):
            hs[row][subs[r]] = x[r]
    return q, hs


def accurate_quotients(lam1, lam2, X_tilde: np.ndarray, Lam: np.ndarray, hs) -> np.ndarray:
    """V(h) / cost(h) = lam1 - |Lam relu(h)|^2 / (lam2 |w|^2) for patterns h of full-rank inputs,
    with the cost |w|^2 of the least-norm w solving X~^T w = h (least squares, backward stable)
    and Lam = lam2 Y (lam2 + K)^{-1} the dual point, so that lam2 relu(h)^T A relu(h) =
    |Lam relu(h)|^2 / lam2.

    Why (derived and measured here). The signed search evaluates the same quotient through
    C = K_X^{-1}, whose float blocks carry relative errors ~eps cond(K_X); the least-squares
    cost errs by ~eps cond(X~) = eps sqrt(cond(K_X)). Six outputs, P = 10, cond(K_X) = 7.2e7
    (``benchmarks/solver/signed_conditioning.py``), at the solver's last point: the search
    reported quotients down to -3.4e-10 lam1, here they are -2.4e-14 lam1 at worst, and the exact
    certificate of that point closes at 5.1e-14. Hypothesis: full rank (every h reachable)."""
    out = np.empty(len(hs))
    for i, h in enumerate(hs):
        h = np.asarray(h, dtype=float)
        w = np.linalg.lstsq(X_tilde.T, h, rcond=None)[0]
        cost = float(w @ w)
        fire = np.maximum(h, 0.0)
        out[i] = lam1 - float(np.sum((Lam @ fire) ** 2)) / (lam2 * cost) if cost > 0 else np.inf
    return out


def minimal_flags(T: np.ndarray) -> np.ndarray:
    """Mask of the blocks T (n x k x k) that may be minimal non-copositive, by Cottle-Habetler-
    Lemke: det T < 0 and T^{-1} <= 0 entrywise, the sign of each float inverse entry read up to
    its rounding error. An entry of fl(T^{-1}) can be off by ~k eps cond(T) |T^{-1}|, which is
    large exactly when the block is nearly singular -- the blocks whose negative eigenvalue is
    small but not negligible. So an entry counts as <= 0 while it is below
    4 k^4 eps max|T| max|T^{-1}|^2 (first-order bound with norms bounded by k times the largest
    entry). Measured (six outputs, P = 14, ``benchmarks/solver/box_newton.py``'s instance after
    the Newton polish): a minimal block of order 10 with eigenvalues -1.9e-9, 1.1e-6, ... had a
    float inverse with a largest entry of +2.9e-13 of its largest modulus; read exactly it was
    missed, the screen reported no violation where the unscreened search found -1.9e-8, and the
    solver stopped 8.8e-9 above the optimum (the certificate refused it). Extra blocks flagged
    only cost eigenproblems."""
    n, k = T.shape[0], T.shape[-1]
    out = np.zeros(n, dtype=bool)
    if n == 0:
        return out
    with np.errstate(all="ignore"):
        low = np.linalg.det(T) < 0
        if not low.any():
            return out
        R = signed_filter.float_inverse(T[low])
        big = np.max(np.abs(R), axis=(1, 2))
        tol = 4 * k ** 4 * np.finfo(float).eps * np.max(np.abs(T[low]), axis=(1, 2)) * big * big
        ok = np.all(R <= tol[:, None, None], axis=(1, 2)) & np.all(np.isfinite(R), axis=(1, 2))
    out[np.flatnonzero(low)[ok]] = True
    return out


def walk_flags(lam1, lam2, C, A):
    """The minimal non-copositive blocks of T = E_s (lam1 C - lam2 D_s A D_s) E_s found by the
    tree walk of :mod:`numeric.solver.signed_tree` (its rules only skip blocks that are not
    minimal non-copositive), as (support bits, firing bits) arrays; None beyond MAX_FLAGGED.

    The walk hands on only the blocks its rules leave (a minimal non-copositive block is one of
    them): those it proves violated are flagged, and of the others the ones
    :func:`minimal_flags` passes, the test of the screen by levels. Floats only steer the
    pricing; the proof is the certificate's."""
    M0 = lam1 * C
    M1 = lam1 * C - lam2 * A
    Js: list[int] = []
    ps: list[int] = []
    too_many = object()

    seen: set[tuple[int, int]] = set()

    def flag(J, s):
        key = (int(np.sum(np.left_shift(1, J.astype(np.int64)))),
               int(np.sum(np.left_shift(1, J[s > 0].astype(np.int64)))))
        if key not in seen:
            seen.add(key)
            Js.append(key[0])
            ps.append(key[1])
        return too_many if len(Js) > MAX_FLAGGED else None

    def exact(J, s):
        B = signed_tree.child_blocks(M0, M1, J[None], s[None])
        return flag(J, s) if minimal_flags(B)[0] else None

    # a block the walk proves violated (y > 0) is flagged as it is: every non-copositive block
    # must contain a flagged one, and a violated block is one (minimal or not)
    out, _ = signed_tree.walk(M0, M1, exact, lambda J, s, y: flag(J, s))
    if out is too_many:
        return None
    return np.array(Js, dtype=np.int64), np.array(ps, dtype=np.int64)


def heuristic_signed(lam1, lam2, C, A, starts: np.ndarray, *, iters: int = 300):
    """Gradient descent of V(h) on the C-sphere from the rows of ``starts`` (nonsmooth; a guess)."""
    H = starts / np.sqrt(rowquad(starts, C))[:, None]
    Cinv = np.linalg.inv(C)
    step = 0.2 / (lam1 + lam2 * float(np.max(np.abs(np.linalg.eigvalsh(A)))) * float(np.max(np.linalg.eigvalsh(Cinv))))
    for _ in range(iters):
        Pp = np.maximum(H, 0)
        V = lam1 * rowquad(H, C) - lam2 * rowquad(Pp, A)
        G = 2 * lam1 * H @ C - 2 * lam2 * (Pp @ A) * (H > 0)
        G = G - V[:, None] * 2 * (H @ C)                 # tangent to the C-sphere
        H = H - step * G @ Cinv
        H = H / np.sqrt(rowquad(H, C))[:, None]
    Pp = np.maximum(H, 0)
    V = lam1 * rowquad(H, C) - lam2 * rowquad(Pp, A)
    j = int(np.argmin(V))
    return float(V[j]), H[j]


def heuristic_range(lam1, lam2, Xt: np.ndarray, A: np.ndarray, starts: np.ndarray, *,
                    iters: int = 400) -> tuple[float, np.ndarray]:
    """Gradient descent of V(w) = lam1 |w|^2 - lam2 relu(w X~) A relu(w X~)^T on the unit sphere
    of input weights w (rows of ``starts``, projected onto the row space of X~^T first).

    Reachable patterns only: h = w X~. Returns (min V on the sphere found, pattern h)."""
    U, s, _ = np.linalg.svd(Xt, full_matrices=False)
    r = int(np.sum(s > 1e-10 * s[0]))
    Ur = U[:, :r]
    Wz = starts @ Ur                                   # coordinates in the row space
    Wz = Wz[np.linalg.norm(Wz, axis=1) > 0]
    Wz /= np.linalg.norm(Wz, axis=1, keepdims=True)
    B = Ur.T @ Xt                                      # r x P: h = z B
    L = 2 * (lam1 + lam2 * float(np.max(np.abs(np.linalg.eigvalsh(A)))) * float(s[0]) ** 2)
    step = 1.0 / L
    for _ in range(iters):
        H = Wz @ B
        Pp = np.maximum(H, 0)
        V = lam1 * np.sum(Wz * Wz, axis=1) - lam2 * rowquad(Pp, A)
        G = 2 * lam1 * Wz - 2 * lam2 * ((Pp @ A) * (H > 0)) @ B.T
        G -= 2 * V[:, None] * Wz                        # tangent component on the sphere
        Wz = Wz - step * G
        Wz /= np.linalg.norm(Wz, axis=1, keepdims=True)
    H = Wz @ B
    Pp = np.maximum(H, 0)
    V = lam1 - lam2 * rowquad(Pp, A)
    j = int(np.argmin(V))
    return float(V[j]), H[j]
