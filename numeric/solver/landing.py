"""Landing the atoms: merge round-off copies, then Newton on the stationarity conditions.

Why (measured here). The column generation stops when the pricing, at the dual point of the
current measure, shows the gap below ~1e-13. That gap grows like the square of the atoms'
displacement from the optimum inside their supports, with a large constant (three outputs,
P = 8: 7e-10 at a relative displacement of 1e-6, 7.7e-8 at 1e-5, 1.1e-5 at 1e-4;
tests/test_solver_landing.py), so the atoms must be landed to ~1e-8 or better -- the polishes
that stop on the energy (SLSQP, L-BFGS) often stop short of that. Columns added at such a point
make it worse: they are copies of existing atoms at round-off distance, the energy is flat along
every split of the mass between copies, and the master's weights become degenerate. Measured on
the three-output P = 14 benchmark instance after its 40 rounds (bracket 3.8e-8): 27 atoms, 3 of
them with |w| < 1e-7 max |w| and the rest in groups of near-copies sharing a firing set; after
:func:`merge_parallel` (the 3 dropped, one pair within 1e-6 merged) 23 atoms and a float gap of
1.1e-13 with one cone undecided; after :func:`newton_range` every cone decided, 7.5e-14. With
both in every round of the solve the instance closes in 27 rounds (58 s, certified 1.2e-13).

The smooth problem (hypotheses: each neuron's firing set F_k and zero set Z_k fixed, and the
point stays strictly inside the remaining sign conditions): w_k = B_k z_k with B_k a basis of
{w : w X~_j = 0, j in Z_k}, Phi = M o (W X~) (M the firing mask), G = lam2 + Phi^T Phi, R = G^-1,
A = R K_Y R, and

    E(z) = lam1 |W|^2 + lam2 tr(R K_Y),
    dE/dPhi = -2 lam2 Phi A = -2 A*^T Lambda,
    d^2E[dPhi] = -2 lam2 (dPhi A - Phi (R dG A + A dG R)),   dG = dPhi^T Phi + Phi^T dPhi

(differentiate R K_Y R: dR = -R dG R). E and its gradient are evaluated through the ridge
residual Lambda and readout A* (:mod:`numeric.solver.ridge`, accurate whatever cond(G) is: the
landing needs the gradient to ~eps, not eps cond(G)); the Hessian, which only steers the step,
through R. Failure modes: the Hessian is singular along rotations of
neurons sharing a firing set (only their Gram matrix enters K and the cost), handled by the
pseudo-inverse step; a step that would flip a sign (the support itself is wrong) is refused and
the best point so far returned -- the pricing then detects what is missing.
"""
from __future__ import annotations

import numpy as np

from numeric.solver import ridge

#: entries of h_k within this fraction of max |h_k| are treated as exact zeros
ZERO_RTOL = 1e-9
#: eigenvalues of the restricted Hessian below this fraction of the largest are null directions
NULL_RTOL = 1e-10


def merge_parallel(W0: np.ndarray, X_tilde: np.ndarray, *, angle_tol: float = 1e-6,
                   drop_rtol: float = 1e-7) -> np.ndarray:
    """Merge neurons that fire on the same set and point the same way; drop negligible ones.

    Two neurons a u and b u (unit input weight u) are one neuron sqrt(a^2 + b^2) u: relu is
    positively homogeneous, so K and the cost a^2 + b^2 are unchanged. Copies are merged when
    |u - v| <= angle_tol and their firing sets agree (entries within ZERO_RTOL of the row's largest
    count as silent; the merged direction is the mass-weighted
    mean, an O(angle_tol^2) change of the energy that the Newton step removes). Neurons with
    |w| <= drop_rtol max |w| change K by at most drop_rtol^2 relative and are dropped."""
    amp = np.linalg.norm(W0, axis=1)
    keep = amp > drop_rtol * max(float(np.max(amp, initial=0.0)), 1e-300)
    W0, amp = W0[keep], amp[keep]
    U = W0 / amp[:, None]
    HU = U @ X_tilde
    fire = HU > ZERO_RTOL * np.max(np.abs(HU), axis=1, keepdims=True)   # round-off zeros are silent
    sums, mass, sets = [], [], []
    for u, a, f in zip(U, amp, fire):
        for j, (v, g) in enumerate(zip(sums, sets)):
            if np.array_equal(f, g) and np.linalg.norm(u - v / np.linalg.norm(v)) <= angle_tol:
                sums[j] = v + a * a * u
                mass[j] += a * a
                break
        else:
            sums.append(a * a * u)
            mass.append(a * a)
            sets.append(f)
    if not sums:
        return W0
    V = np.array(sums)
    return np.sqrt(np.array(mass))[:, None] * V / np.linalg.norm(V, axis=1, keepdims=True)


def pseudo_newton_step(Hm: np.ndarray, g: np.ndarray) -> np.ndarray:
    """-|H|^+ g on the eigen-decomposition of the symmetric H: eigenvalues below NULL_RTOL of
    the largest are null directions (dropped), negative ones enter by their modulus (a descent
    direction also off a minimum)."""
    ev, V = np.linalg.eigh(Hm)
    big = np.abs(ev) > NULL_RTOL * max(float(np.max(np.abs(ev), initial=0.0)), 1e-300)
    return -V[:, big] @ ((V[:, big].T @ g) / np.abs(ev[big]))


class FixedSupport:
    """The energy of neurons W (M x D) with every firing set and zero set held fixed, as a smooth
    function of the free coordinates z (formulas in the module docstring)."""

    def __init__(self, W0: np.ndarray, X_tilde: np.ndarray, *, zero_rtol: float = ZERO_RTOL):
        M, D = W0.shape
        H0 = W0 @ X_tilde
        self.X_tilde = X_tilde
        bases, masks = [], []
        for k in range(M):
            scale = max(float(np.max(np.abs(H0[k]))), 1e-300)
            Z = np.abs(H0[k]) <= zero_rtol * scale
            masks.append(H0[k] > zero_rtol * scale)
            if Z.any():
                _, s, Vt = np.linalg.svd(X_tilde[:, Z].T)
                rnk = int(np.sum(s > 1e-12 * s[0])) if s.size else 0
                bases.append(Vt[rnk:].T)
            else:
                bases.append(np.eye(D))
        self.bases = bases
        self.mask = np.array(masks, dtype=bool).reshape(M, X_tilde.shape[1])
        self.offs = np.concatenate([[0], np.cumsum([B.shape[1] for B in bases])]).astype(int)
        # d Phi_k / d z_k: rows of B_k^T X~, masked to the firing set
        self.J = [B.T @ X_tilde * self.mask[k] for k, B in enumerate(bases)]
        self._KY = self._B = None

    @property
    def size(self) -> int:
        return int(self.offs[-1])

    def pack(self, W: np.ndarray) -> np.ndarray:
        return np.concatenate([B.T @ W[k] for k, B in enumerate(self.bases)])

    def unpack(self, z: np.ndarray) -> np.ndarray:
        o = self.offs
        return np.array([B @ z[o[k]:o[k + 1]] for k, B in enumerate(self.bases)])

    def evaluate(self, z: np.ndarray, KY, lam1: float, lam2: float, *, with_state: bool = True):
        """(E, dE/dz, state) with state = (Phi, R, A) for :meth:`hessian` (None when not
        ``with_state``: the P x P inverse is then skipped, as for L-BFGS)."""
        W = self.unpack(z)
        Phi = np.where(self.mask, W @ self.X_tilde, 0.0)
        if self._KY is not KY:                  # (a factor of K_Y for the stable fit term)
            self._KY, self._B = KY, ridge.gram_factor(KY)
        fit, Lam, Aout = ridge.fit(Phi, self._B, lam2)
        f = lam1 * float(np.sum(W * W)) + fit
        GPhi = -2 * Aout.T @ Lam
        o = self.offs
        g = np.concatenate([2 * lam1 * z[o[k]:o[k + 1]] + Jk @ GPhi[k] for k, Jk in enumerate(self.J)])
        if not with_state:
            return f, g, None
        P = Phi.shape[1]
        R = np.linalg.inv(lam2 * np.eye(P) + Phi.T @ Phi)
        R = (R + R.T) / 2
        return f, g, (Phi, R, R @ KY @ R)

    def hessian(self, state, lam1: float, lam2: float) -> np.ndarray:
        Phi, R, A = state
        n, o = self.size, self.offs
        Hm = np.zeros((n, n))
        for k, Jk in enumerate(self.J):
            for i, dphi in enumerate(Jk):            # d Phi has row k only
                dG = np.outer(dphi, Phi[k]) + np.outer(Phi[k], dphi)
                T = R @ dG @ A
                dGPhi = 2 * lam2 * Phi @ (T + T.T)
                dGPhi[k] -= 2 * lam2 * dphi @ A
                col = np.concatenate([Jm @ dGPhi[m] for m, Jm in enumerate(self.J)])
                col[o[k] + i] += 2 * lam1
                Hm[:, o[k] + i] = col
        return (Hm + Hm.T) / 2

    def signs_ok(self, W: np.ndarray) -> bool:
        """Firing entries positive, the others non-positive (to 1e-12 of the largest)."""
        H = W @ self.X_tilde
        tiny = 1e-12 * max(float(np.max(np.abs(H))), 1e-300)
        return bool(np.all(np.where(self.mask, H > 0, H <= tiny)))


def newton_range(W0: np.ndarray, X_tilde: np.ndarray, KY, lam1: float, lam2: float, *,
                 max_steps: int = 30) -> np.ndarray:
    """Pseudo-inverse Newton steps on the gradient of :class:`FixedSupport`'s energy.

    A step is kept only while every sign is preserved, the energy does not rise above round-off
    (1e-14 relative to the start) and the gradient norm falls; returns the best point seen (the
    start itself when it already violates its own signs or no step helps)."""
    if W0.shape[0] == 0:
        return W0
    sup = FixedSupport(W0, X_tilde)
    z = sup.pack(W0)
    if sup.size == 0 or not sup.signs_ok(sup.unpack(z)):
        return W0
    f0, g, state = sup.evaluate(z, KY, lam1, lam2)
    best_g, best_W = float(np.linalg.norm(g)), W0
    for _ in range(max_steps):
        zn = z + pseudo_newton_step(sup.hessian(state, lam1, lam2), g)
        fn, gn, state_n = sup.evaluate(zn, KY, lam1, lam2)
        gnorm = float(np.linalg.norm(gn))
        Wn = sup.unpack(zn)
        if not (sup.signs_ok(Wn) and fn <= f0 + 1e-14 * abs(f0) and gnorm < best_g):
            break
        z, g, state = zn, gn, state_n
        best_g, best_W = gnorm, Wn
        if gnorm <= 1e-15 * max(abs(fn), 1.0):
            break
    return best_W
