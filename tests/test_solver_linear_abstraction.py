"""Every global minimum of the linear network: proved abstract, refuted, or left null with the
reason (numeric.solver.linear_abstraction)."""
import json
from fractions import Fraction
import subprocess
import sys

import flint
import numpy as np
import pytest

from numeric.parallelism import coding_index_sets, parallelism_score
from numeric.solver import rational as rq
from numeric.solver.linear import certify_linear, solve_linear
from numeric.solver.linear_abstraction import _psd_exact, decide, interval_decision
from numeric.tasks import hypercube, hypercube_targets
from numeric.training import train_network

LAM = (0.05, 0.05)


def _random(P=16, dX=5, dY=2, seed=5):
    rng = np.random.default_rng(seed)
    Y = np.repeat(hypercube_targets(dY), P // 2 ** dY, axis=1)
    return np.vstack([rng.standard_normal((dX, P)), np.ones(P)]), Y


def _solve(Xt, Y, l1=0.05, l2=0.05):
    c = certify_linear(solve_linear(Xt, Y, l1, l2), Xt, Y, l1, l2)
    return c, decide(c, Xt, Y, l1, l2)


@pytest.mark.parametrize("dY,n,bias", [(2, 1, True), (3, 1, False), (2, 3, True), (6, 1, True)])
def test_hypercube_every_minimum_is_proved_abstract(dY, n, bias):
    T = hypercube(dY, n, bias=bias)
    c, d = _solve(T.X_tilde(), T.Y)
    assert d["all_minima_abstract"] is True and d["path"] == "exact"
    assert "PS = 1" in d["reason"]


def test_coding_index_sets_reproduce_parallelism_score():
    rng = np.random.default_rng(0)
    Y = np.repeat(hypercube_targets(3), 2, axis=1)
    R = rng.standard_normal((5, 16))
    for k, contexts in enumerate(coding_index_sets(Y)):
        D = np.array([R[:, p].mean(1) - R[:, m].mean(1) for p, m in contexts])
        U = D / np.linalg.norm(D, axis=1)[:, None]
        G = U @ U.T
        ps_k = G[np.triu_indices(len(contexts), 1)].mean()
        assert ps_k == pytest.approx(parallelism_score(R, Y, per_variable=True)[k], abs=1e-14)


def test_random_inputs_refuted_and_trained_minima_agree():
    # independent check against the defining problem: networks trained from random starts at
    # several widths reach E*, share one kernel, and their PS lies in the certified interval
    Xt, Y = _random()
    c, d = _solve(Xt, Y)
    assert d["all_minima_abstract"] is False and d["path"] == "interval"
    lo, hi = d["witness"]["ps_interval"]
    assert hi < 1 and hi - lo < 1e-5
    lower = float(rq.frac(c.lower))
    kernels = []
    for width, seed in ((2, 0), (4, 1), (6, 2)):
        r = train_network(Xt, Y, *LAM, width, activation="linear", seed=seed)
        assert (r.loss - lower) / lower < 1e-10
        H = r.W @ Xt
        kernels.append(H.T @ H)
        assert lo - 1e-6 <= parallelism_score(H, Y) <= hi + 1e-6
    for K in kernels[1:]:
        assert np.linalg.norm(K - kernels[0]) / np.linalg.norm(kernels[0]) < 1e-5


def test_more_inputs_than_samples_uses_the_projector():
    # D = 21 > P = 12 (full column rank): Pi != I; PS is close to 1 and still refuted
    Xt, Y = _random(P=12, dX=20, seed=3)
    c, d = _solve(Xt, Y)
    assert d["all_minima_abstract"] is False
    assert d["witness"]["ps_interval"][1] < 1


def test_interval_widens_with_the_bracket_and_stays_honest():
    Xt, Y = _random()
    c, d = _solve(Xt, Y)
    sets = coding_index_sets(Y)
    lo, hi = d["witness"]["ps_interval"]
    # a worse (but still valid) lower bound: the interval must widen and still contain the truth
    wide = interval_decision(c.data, c.upper, c.lower - rq.q(1e-8), sets)
    wlo, whi = wide["witness"]["ps_interval"]
    assert wlo < lo and whi > hi and wlo <= lo <= hi <= whi
    # a bracket so wide that PS = 1 cannot be excluded: no answer, never a wrong one
    loose = interval_decision(c.data, c.upper, c.lower - rq.q(1e-2), sets)
    assert loose["all_minima_abstract"] is None


def test_interval_path_cannot_prove_ps_one_on_a_hypercube():
    T = hypercube(3)
    c, _ = _solve(T.X_tilde(), T.Y)
    iv = interval_decision(c.data, c.upper, c.lower, coding_index_sets(T.Y))
    assert iv["all_minima_abstract"] is None
    lo, hi = iv["witness"]["ps_interval"]
    assert lo < 1 <= hi and 1 - lo < 1e-5


def test_float_whitened_inputs_fall_back_to_the_interval():
    # random orthonormal inputs: K_X = I only up to round-off, so the exact path does not apply
    T = hypercube(3, seed=4)
    c, d = _solve(T.X_tilde(), T.Y)
    assert d["path"] == "interval" and d["all_minima_abstract"] is None
    assert d["witness"]["ps_interval"][0] > 1 - 1e-5


def test_null_answers_name_their_reason():
    T = hypercube(2)
    _, silent = _solve(T.X_tilde(), T.Y, 2.0, 2.0)
    assert silent["all_minima_abstract"] is None and "silent" in silent["reason"]
    T1 = hypercube(1)
    _, one = _solve(T1.X_tilde(), T1.Y)
    assert one["all_minima_abstract"] is None and "dY >= 2" in one["reason"]
    # exactly rank-deficient inputs (integers, rank 3 < min(D, P)): the rank is named
    rng = np.random.default_rng(2)
    Y = np.repeat(hypercube_targets(2), 3, axis=1)
    Xt = (rng.integers(-3, 4, (5, 3)) @ rng.integers(-3, 4, (3, 12))).astype(float)
    _, low = _solve(Xt, Y)
    assert low["all_minima_abstract"] is None and "rank 3" in low["reason"]
    # the float product of random factors is full rank in exact arithmetic but numerically
    # singular: no certified eigenvalue bound, so no answer
    Xf = rng.standard_normal((5, 3)) @ rng.standard_normal((3, 12))
    _, near = _solve(Xf, Y)
    assert near["all_minima_abstract"] is None and "eigenvalue" in near["reason"]


def test_exact_psd_test_matches_eigenvalues():
    rng = np.random.default_rng(8)
    for i in range(30):
        n = 3 + i % 3                                     # odd and even orders
        B = rng.integers(-3, 4, size=(n, 2))
        M = B @ B.T                                       # PSD of rank <= 2 (singular)
        shift = int(rng.integers(-1, 2))
        A = M + shift * np.eye(n, dtype=int)
        exp = np.linalg.eigvalsh(A.astype(float)).min() >= -1e-9
        assert _psd_exact(flint.fmpq_mat(A.tolist())) == exp


def test_cli_reports_the_answer_both_ways(tmp_path):
    run = lambda *a: json.loads(subprocess.run(
        [sys.executable, "-m", "numeric.cli", "solve", *a, "--lam1", "0.05", "--lam2", "0.05",
         "--activation", "linear", "--certify", "--json"], capture_output=True, text=True, check=True).stdout)
    d = run("--dY", "3")
    assert d["certificate"]["all_minima_abstract"] is True
    Xt, Y = _random(seed=9)
    f = tmp_path / "task.npz"
    np.savez(f, X=Xt[:-1], Y=Y)
    d = run("--data", str(f))
    assert d["certificate"]["all_minima_abstract"] is False
    assert d["certificate"]["witness"]["abstraction_witness"]["ps_interval"][1] < 1


@pytest.mark.parametrize("family,params", [("aligned", {"gamma": 0.5}),
                                           ("anisotropic", {"gammas": [0.1, 2.0, 0.7]}),
                                           ("interaction", {"eta": 0.4})])
def test_input_geometries_are_proved_and_the_kernel_matches_the_solver(family, params):
    # the exact path's kernel sqrt(lam2/lam1) Y^T diag(s_i/sqrt(c_i)) Y against the float solver's
    # own hidden kernel (FISTA + Newton, which never sees the formula)
    from numeric.inputs import inputs
    from numeric.tasks import augment
    Xt, Y = augment(inputs(3, family, params), True), hypercube(3).Y
    c, d = _solve(Xt, Y)
    assert d["all_minima_abstract"] is True and d["path"] == "exact"
    cs = np.array([float(Fraction(v)) for v in d["witness"]["c"]])
    n2 = np.sum(Y * Y, axis=1)
    s = 1 - np.sqrt(0.05 * 0.05 * cs) / n2
    K_exact = Y.T @ np.diag(s / np.sqrt(cs)) @ Y            # sqrt(lam2/lam1) = 1 here
    H = solve_linear(Xt, Y, *LAM).W @ Xt
    assert np.linalg.norm(H.T @ H - K_exact) <= 1e-8 * np.linalg.norm(K_exact)


def test_a_silent_variable_leaves_ps_undefined():
    # anisotropic inputs, lam = 5: variable 0 (gamma 0.1) is silent, the others active
    from numeric.inputs import inputs
    from numeric.tasks import augment
    Xt, Y = augment(inputs(3, "anisotropic", {"gammas": [0.1, 2.0, 0.7]}), True), hypercube(3).Y
    c, d = _solve(Xt, Y, 5.0, 5.0)
    assert d["all_minima_abstract"] is None and d["witness"]["active"] == [False, True, True]
    assert "silent variable(s) [0]" in d["reason"]
    # the solver agrees: no hidden activity along variable 0
    H = solve_linear(Xt, Y, 5.0, 5.0).W @ Xt
    assert np.linalg.norm(H @ Y[0]) <= 1e-8 * np.linalg.norm(H @ Y[1])


def test_the_decision_is_reproduced_from_the_json_certificate_alone():
    from numeric.solver.linear import verify_linear
    Xt, Y = _random(seed=11)
    c, d = _solve(Xt, Y)
    again = verify_linear(json.loads(json.dumps(c.data)))
    Xq = rq.to_float(rq.from_strings(c.data["X_tilde"], "X_tilde"))
    Yq = rq.to_float(rq.from_strings(c.data["Y"], "Y"))
    d2 = decide(again, Xq, Yq, float(Fraction(c.data["lam1"])), float(Fraction(c.data["lam2"])))
    assert d2["all_minima_abstract"] == d["all_minima_abstract"] is False
    assert d2["witness"]["ps_interval"] == d["witness"]["ps_interval"]


def test_refinement_decides_what_the_float_bracket_cannot():
    # D = 21 > P = 12: PS is within ~1.5e-6 of 1, inside the float interval's width; the mpmath
    # polish (exact re-certification, gap ~1e-55) shrinks the interval to round-off and refutes.
    # Both intervals are rigorous, so the refined one must lie inside the float one.
    rng = np.random.default_rng(41)
    rng.standard_normal((5, 16))                         # the generator's first draw (another instance)
    Y = np.repeat(hypercube_targets(2), 3, axis=1)
    Xt = np.vstack([rng.standard_normal((20, 12)), np.ones(12)])
    c = certify_linear(solve_linear(Xt, Y, *LAM), Xt, Y, *LAM)
    coarse = interval_decision(c.data, c.upper, c.lower, coding_index_sets(Y))
    assert coarse["all_minima_abstract"] is None
    d = decide(c, Xt, Y, *LAM)
    assert d["all_minima_abstract"] is False and d["refined"]["rel_gap"] < 1e-40
    lo, hi = d["witness"]["ps_interval"]
    clo, chi = coarse["witness"]["ps_interval"]
    assert hi - lo < 1e-12 and clo <= lo <= hi <= chi and hi < 1
