"""The mean-field energy of Paper A and the network loss it comes from.

Network loss (the seed's form; no 1/2, no 1/P)::

    E(W, W2) = ||Y - W2 phi(W X~)||_F^2 + lam1 ||W||_F^2 + lam2 ||W2||_F^2.

Mean-field energy over preactivation patterns h_k (rows of H = W X~)::

    E[rho] = lam1 sum_k h_k^T Q h_k + lam2 tr((lam2 I + K)^{-1} K_Y),   K = phi(H)^T phi(H).

Both are evaluated here independently: the loss through the primal (M x M) ridge solution
W2 = Y Phi^T (Phi Phi^T + lam2 I)^{-1} and the minimum-norm W = H X~^+, the energy through the
dual P x P resolvent. They agree iff the reduction (claim ``A.meanfield``) holds.

Failure modes: patterns not in the row space of X~ cannot be realised by any W; the energy would
silently charge them only for their reachable part, so :func:`meanfield_energy` checks
reachability and raises.
"""
from __future__ import annotations

import mpmath as mp
import numpy as np

from numeric import activations
from numeric.tasks import input_kernel_pinv


def kernel(H: np.ndarray, activation: str = "relu") -> np.ndarray:
    Phi = activations.get(activation)(H)
    return Phi.T @ Phi


def fit_term(K: np.ndarray, K_Y: np.ndarray, lam2: float) -> float:
    """lam2 tr((lam2 I + K)^{-1} K_Y), via a Cholesky solve."""
    P = K.shape[0]
    return float(lam2 * np.trace(np.linalg.solve(lam2 * np.eye(P) + K, K_Y)))


def unreachable_part(H: np.ndarray, X_tilde: np.ndarray) -> float:
    """Relative norm of the part of H outside the row space of X~ (0 when reachable)."""
    proj = H @ np.linalg.pinv(X_tilde) @ X_tilde
    return float(np.linalg.norm(H - proj) / max(np.linalg.norm(H), 1e-300))


def meanfield_energy(H, X_tilde, Y, lam1, lam2, activation="relu", *, check_reachable=True):
    H = np.atleast_2d(np.asarray(H, dtype=float))
    if check_reachable:
        gap = unreachable_part(H, X_tilde)
        if gap > 1e-10:
            raise ValueError(f"`H` must lie in the row space of X~; relative distance {gap:.2e}")
    Q = input_kernel_pinv(X_tilde)
    cost = float(np.einsum("kp,pq,kq->", H, Q, H))
    return lam1 * cost + fit_term(kernel(H, activation), Y.T @ Y, lam2)


def optimal_readout(Phi: np.ndarray, Y: np.ndarray, lam2: float) -> np.ndarray:
    """Ridge solution W2 = Y Phi^T (Phi Phi^T + lam2 I_M)^{-1} (primal form)."""
    M = Phi.shape[0]
    return np.linalg.solve(Phi @ Phi.T + lam2 * np.eye(M), Phi @ Y.T).T


def min_norm_weights(H: np.ndarray, X_tilde: np.ndarray) -> np.ndarray:
    """W = H X~^+, the minimum-Frobenius-norm solution of W X~ = H."""
    return H @ np.linalg.pinv(X_tilde)


def network_loss(W, W2, X_tilde, Y, lam1, lam2, activation="relu") -> float:
    Phi = activations.get(activation)(W @ X_tilde)
    R = Y - W2 @ Phi
    return float(np.sum(R * R) + lam1 * np.sum(W * W) + lam2 * np.sum(W2 * W2))


def network_loss_and_grad(theta, shapes, X_tilde, Y, lam1, lam2, activation="relu"):
    """Loss and gradient in the flat parameter vector theta = [vec W, vec W2]."""
    (M, D), (dY, _) = shapes
    W = theta[: M * D].reshape(M, D)
    W2 = theta[M * D:].reshape(dY, M)
    Z = W @ X_tilde
    Phi = activations.get(activation)(Z)
    R = W2 @ Phi - Y
    loss = np.sum(R * R) + lam1 * np.sum(W * W) + lam2 * np.sum(W2 * W2)
    gW2 = 2 * R @ Phi.T + 2 * lam2 * W2
    gZ = (2 * W2.T @ R) * activations.grad(activation)(Z)
    gW = gZ @ X_tilde.T + 2 * lam1 * W
    return float(loss), np.concatenate([gW.ravel(), gW2.ravel()])


def potential(u, K, Q, K_Y, lam1, lam2, activation="relu") -> float:
    """First variation V(u) = lam1 u^T Q u - lam2 f^T A f, f = phi(u), A = R K_Y R, R = (lam2+K)^-1."""
    f = activations.get(activation)(np.asarray(u, dtype=float))
    R = np.linalg.inv(lam2 * np.eye(K.shape[0]) + K)
    return float(lam1 * u @ Q @ u - lam2 * f @ R @ K_Y @ R @ f)


def dual_matrix(K, Q, K_Y, lam1, lam2) -> np.ndarray:
    """S = lam1 Q - lam2 (lam2+K)^{-1} K_Y (lam2+K)^{-1}; for ReLU, V(p) = p^T S p on p >= 0."""
    R = np.linalg.inv(lam2 * np.eye(K.shape[0]) + K)
    S = lam1 * Q - lam2 * R @ K_Y @ R
    return (S + S.T) / 2


# ---------------------------------------------------------------- mpmath versions (any precision)

def mp_matrix(a) -> mp.matrix:
    a = np.asarray(a, dtype=object)
    return mp.matrix([[mp.mpf(x) for x in row] for row in a])


def mp_meanfield_energy(H: mp.matrix, Q: mp.matrix, K_Y: mp.matrix, lam1, lam2, activation="relu"):
    phi = activations.get_mp(activation)
    M, P = H.rows, H.cols
    Phi = mp.matrix(M, P)
    for i in range(M):
        for j in range(P):
            Phi[i, j] = phi(H[i, j])
    K = Phi.T * Phi
    cost = mp.fsum(H[k, i] * Q[i, j] * H[k, j] for k in range(M) for i in range(P) for j in range(P))
    A = mp.inverse(lam2 * mp.eye(P) + K) * K_Y
    return lam1 * cost + lam2 * sum(A[i, i] for i in range(P))


def mp_network_loss(W: mp.matrix, W2: mp.matrix, X_tilde: mp.matrix, Y: mp.matrix, lam1, lam2,
                    activation="relu"):
    phi = activations.get_mp(activation)
    Z = W * X_tilde
    Phi = mp.matrix(Z.rows, Z.cols)
    for i in range(Z.rows):
        for j in range(Z.cols):
            Phi[i, j] = phi(Z[i, j])
    R = Y - W2 * Phi
    sq = lambda A: sum(A[i, j] ** 2 for i in range(A.rows) for j in range(A.cols))
    return sq(R) + lam1 * sq(W) + lam2 * sq(W2)
