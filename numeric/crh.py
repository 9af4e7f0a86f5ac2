"""Measure Paper B's six alignments (CRH) for one linear layer from samples.

Inputs (``crh measure --layer FILE.npz``): ``h_a`` (N x d_a) the layer's inputs, ``g_b``
(N x d_b) the loss gradients with respect to its preactivations h_b = W h_a, ``W`` (d_b x d_a).
Derived per sample: h_b = W h_a and g_a = W^T g_b (see :mod:`symbolic.crh`).

Preprocessing (an explicit option, DESIGN.md):

* ``raw``       second moments H = E[h h^T] (the theory's objects);
* ``unit-norm`` each sample vector scaled to unit norm, then the (centred) covariance — as in
  Paper B's experiments.

Alignment of two matrices: Pearson correlation of the flattened entries (default) or the cosine
tr(A B) / (|A| |B|). Keys: f-RGA, f-RWA, f-GWA (a-side: H_a, G_a, Z_a = W^T W) and b-RGA, b-RWA,
b-GWA (b-side: H_b, G_b, Z_b = W W^T). A constant matrix makes Pearson undefined: reported as an
error, not as a number.
"""
from __future__ import annotations

import os

import numpy as np

from numeric.validation import InputError, choice, finite_matrix

PREPROCESS = ("raw", "unit-norm")
MEASURES = ("pearson", "cosine")
KEYS = ("f-RGA", "f-RWA", "f-GWA", "b-RGA", "b-RWA", "b-GWA")


def second_moment(V: np.ndarray, preprocess: str) -> np.ndarray:
    if preprocess == "raw":
        return V.T @ V / V.shape[0]
    norms = np.linalg.norm(V, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise InputError("`unit-norm` preprocessing needs non-zero samples; got a zero row")
    U = V / norms
    U = U - U.mean(axis=0)
    return U.T @ U / U.shape[0]


def alignment(A: np.ndarray, B: np.ndarray, measure: str = "pearson") -> float:
    a, b = A.ravel(), B.ravel()
    if measure == "cosine":
        return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
    a, b = a - a.mean(), b - b.mean()
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        raise ValueError("Pearson alignment is undefined for a matrix with constant entries")
    return float(a @ b / (na * nb))


def measure(h_a, g_b, W, *, preprocess: str = "raw", measure_: str = "pearson") -> dict:
    choice("preprocess", preprocess, PREPROCESS)
    choice("measure", measure_, MEASURES)
    W = finite_matrix("W", W)
    h_a = finite_matrix("h_a", h_a, cols=W.shape[1])
    g_b = finite_matrix("g_b", g_b, rows=h_a.shape[0], cols=W.shape[0])
    h_b, g_a = h_a @ W.T, g_b @ W
    m = {"H_a": second_moment(h_a, preprocess), "G_a": second_moment(g_a, preprocess),
         "Z_a": W.T @ W, "H_b": second_moment(h_b, preprocess),
         "G_b": second_moment(g_b, preprocess), "Z_b": W @ W.T}
    al = lambda x, y: alignment(m[x], m[y], measure_)
    out = {"f-RGA": al("H_a", "G_a"), "f-RWA": al("H_a", "Z_a"), "f-GWA": al("G_a", "Z_a"),
           "b-RGA": al("H_b", "G_b"), "b-RWA": al("H_b", "Z_b"), "b-GWA": al("G_b", "Z_b")}
    return {"alignments": out, "preprocess": preprocess, "measure": measure_,
            "N": h_a.shape[0], "d_a": W.shape[1], "d_b": W.shape[0]}


def measure_file(path, *, preprocess: str = "raw", measure_: str = "pearson") -> dict:
    if not os.path.isfile(path):
        raise InputError(f"`--layer` must be an existing .npz file; got {os.fspath(path)!r}")
    z = np.load(path, allow_pickle=False)
    missing = [k for k in ("h_a", "g_b", "W") if k not in z.files]
    if missing:
        raise InputError(f"`--layer` must hold arrays 'h_a', 'g_b', 'W'; {os.fspath(path)!r} has {z.files}")
    return measure(z["h_a"], z["g_b"], z["W"], preprocess=preprocess, measure_=measure_)
