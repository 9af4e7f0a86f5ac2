import json
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

from numeric.crh import alignment, measure
from numeric.validation import InputError
from symbolic.crh import aligned_example


def _design(N, d, rng):
    """N x d with Q^T Q = N I exactly (orthonormal columns scaled)."""
    q, _ = np.linalg.qr(rng.standard_normal((N, d)))
    return np.sqrt(N) * q


def test_exactly_aligned_layer_gives_one_on_the_a_side():
    s = [1.0, 2.0, 3.0]
    ex = aligned_example([sp.Integer(int(v)) for v in s])
    assert ex["H_a"] == ex["G_a"] == ex["Z_a"]                 # symbolic: all equal diag(s^2)
    rng = np.random.default_rng(0)
    W = np.diag(s)
    h_a = _design(50, 3, rng) @ np.diag(s)                    # H_a = diag(s)^2
    g_b = _design(50, 3, rng)                                 # G_b = I
    out = measure(h_a, g_b, W)["alignments"]
    for k in ("f-RGA", "f-RWA", "f-GWA"):
        assert out[k] == pytest.approx(1.0, abs=1e-12)
    # b-side by hand: H_b = diag(1,16,81), G_b = I, Z_b = diag(1,4,9)
    Hb, Gb, Zb = np.diag([1.0, 16, 81]), np.eye(3), np.diag([1.0, 4, 9])
    assert out["b-RGA"] == pytest.approx(alignment(Hb, Gb), abs=1e-12)
    assert out["b-RWA"] == pytest.approx(alignment(Hb, Zb), abs=1e-12)
    # Pearson of flattened diag(1,16,81) vs I, by hand: entries mean 98/9 and 1/3
    a = np.array([1, 0, 0, 0, 16, 0, 0, 0, 81.0]); b = np.eye(3).ravel()
    hand = ((a - a.mean()) @ (b - b.mean())) / (np.linalg.norm(a - a.mean()) * np.linalg.norm(b - b.mean()))
    assert out["b-RGA"] == pytest.approx(hand, abs=1e-12)


def test_cosine_and_unit_norm_options():
    rng = np.random.default_rng(1)
    out = measure(rng.standard_normal((40, 4)), rng.standard_normal((40, 3)),
                  rng.standard_normal((3, 4)), preprocess="unit-norm", measure_="cosine")
    assert set(out["alignments"]) == {"f-RGA", "f-RWA", "f-GWA", "b-RGA", "b-RWA", "b-GWA"}
    assert all(-1 <= v <= 1 for v in out["alignments"].values())


def test_bad_layers(tmp_path):
    rng = np.random.default_rng(2)
    with pytest.raises(InputError, match="`h_a`"):
        measure(rng.standard_normal((10, 5)), rng.standard_normal((10, 3)), rng.standard_normal((3, 4)))
    with pytest.raises(InputError, match="`preprocess`"):
        measure(np.ones((2, 2)), np.ones((2, 2)), np.eye(2), preprocess="whiten")
    f = tmp_path / "l.npz"
    np.savez(f, h_a=rng.standard_normal((10, 4)), g_b=rng.standard_normal((10, 3)), W=rng.standard_normal((3, 4)))
    p = subprocess.run([sys.executable, "-m", "numeric.cli", "crh", "measure", "--layer", str(f), "--json"],
                       capture_output=True, text=True)
    assert p.returncode == 0 and len(json.loads(p.stdout)["alignments"]) == 6
    bad = tmp_path / "bad.npz"
    np.savez(bad, h_a=np.full((10, 4), np.nan), g_b=rng.standard_normal((10, 3)), W=rng.standard_normal((3, 4)))
    p = subprocess.run([sys.executable, "-m", "numeric.cli", "crh", "measure", "--layer", str(bad)],
                       capture_output=True, text=True)
    assert p.returncode == 2 and "`h_a`" in p.stderr
