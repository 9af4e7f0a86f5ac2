"""Paper B's six alignment relations for one linear layer h_b = W h_a (definitions, in sympy).

With g_b = dl/dh_b per sample, the backward pass gives g_a = W^T g_b. Second moments:
H_a = E[h_a h_a^T], G_a = E[g_a g_a^T] = W^T G_b W, Z_a = W^T W (a-side, "forward");
H_b = E[h_b h_b^T] = W H_a W^T, G_b = E[g_b g_b^T], Z_b = W W^T (b-side, "backward").
The Canonical Representation Hypothesis (stated in Paper B) is that, at a stationary point of
training with weight decay and gradient noise, H, G and Z of each side become proportional:
RGA (H ~ G), RWA (H ~ Z), GWA (G ~ Z).

:func:`aligned_example` builds a symbolic instance in which all three a-side relations hold
exactly; it is used by the tests to check the numeric measurement on a case known by hand.
"""
from __future__ import annotations

import sympy as sp


def side_matrices(W: sp.Matrix, H_a: sp.Matrix, G_b: sp.Matrix) -> dict:
    return {"H_a": H_a, "G_a": W.T * G_b * W, "Z_a": W.T * W,
            "H_b": W * H_a * W.T, "G_b": G_b, "Z_b": W * W.T}


def aligned_example(s: list) -> dict:
    """W = diag(s), H_a = diag(s)^2, G_b = I: then H_a = G_a = Z_a = diag(s^2) exactly."""
    W = sp.diag(*s)
    return side_matrices(W, W * W, sp.eye(len(s)))
