"""Lipschitz activations (odd and threshold families) on the hypercube task: rigorous brackets
(numeric.solver.lipschitz_hypercube)."""
import json
import subprocess
import sys

import numpy as np
import pytest

from numeric import activations
from numeric.odd import closed_form
from numeric.parallelism import parallelism_score
from numeric.solver import lipschitz_hypercube as oh
from numeric.solver import rational as rq
from numeric.tasks import hypercube
from numeric.training import train_network
from numeric.validation import InputError


@pytest.mark.parametrize("act", ["hard-tanh", "hard-sigmoid"])
@pytest.mark.parametrize("dY", [2, 4])
def test_attaining_activations_are_certified_and_abstract(act, dY):
    a = oh.hypercube_answer(act, dY, 0.05, 0.05)
    c = a["certificate"]
    assert c["global_optimum"] is True and c["all_minima_abstract"] is True
    assert c["witness"]["rel_gap"] <= 1e-20
    again = oh.verify(json.loads(json.dumps(c["witness"]["certificate"])))
    assert again["ok"] and again["lower"] == c["witness"]["lower"]
    E = closed_form(act, dY, 0.05, 0.05).energy
    assert c["witness"]["lower"] * (1 - 1e-15) <= E <= c["witness"]["upper"] * (1 + 1e-15)


def test_training_the_defining_network_never_beats_the_lower_bound():
    T = hypercube(2)
    Xt = T.X_tilde()
    lo = oh.hypercube_answer("hard-tanh", 2, 0.05, 0.05)["certificate"]["witness"]["lower"]
    runs = [train_network(Xt, T.Y, 0.05, 0.05, m, activation="hard-tanh", seed=s, init_scale=0.3)
            for m in (2, 4) for s in (0, 1)]
    rel = [(r.loss - lo) / lo for r in runs]
    assert min(rel) >= -1e-12 and min(rel) <= 1e-9
    best = runs[int(np.argmin(rel))]
    assert parallelism_score(activations.get("hard-tanh")(best.W @ Xt), T.Y) == pytest.approx(1, abs=1e-6)


def test_tanh_has_no_global_minimum_and_the_bracket_closes_with_width(monkeypatch):
    gaps = []
    for N in (8, 32):
        monkeypatch.setattr(oh, "TANH_WIDTH_PER_VARIABLE", N)
        a = oh.hypercube_answer("tanh", 2, 0.05, 0.05)
        c = a["certificate"]
        assert c["global_optimum"] is False and c["all_minima_abstract"] is None
        assert "no global minimum exists" in c["witness"]["all_minima_reason"]
        assert a["numeric"]["infimum_only"] is True
        gaps.append(c["witness"]["rel_gap"])
    assert 3 < gaps[0] / gaps[1] < 5


def test_silent_regime_is_certified_without_an_abstraction_answer():
    for act in ("hard-tanh", "hard-sigmoid", "tanh"):
        c = oh.hypercube_answer(act, 2, 3.0, 3.0)["certificate"]
        assert c["global_optimum"] is True and c["all_minima_abstract"] is None
        assert c["witness"]["lower"] == c["witness"]["upper"] == 8.0


def test_tampered_certificates_are_refused_or_honest():
    d = oh.hypercube_answer("hard-tanh", 3, 0.05, 0.05)["certificate"]["witness"]["certificate"]
    # a worse network (pre-activations far beyond the kinks, evaluated exactly) is a valid but
    # loose upper bound
    big = oh.verify(dict(d, W=rq.to_strings(rq.from_strings(d["W"], "W") * rq.q(10))))
    assert big["ok"] and big["rel_gap"] > 0.5
    other = dict(d, X_tilde=rq.to_strings(rq.from_strings(d["X_tilde"], "X_tilde") * rq.q(2)))
    assert not oh.verify(other)["ok"]
    # another lam1 in the JSON: bound and loss both recomputed; consistent, no longer tight
    cheap = oh.verify(dict(d, lam1="1/100"))
    assert cheap["ok"] and cheap["rel_gap"] > 1e-3


def test_clipped_relu_bound_is_the_relu_optimum_and_every_minimum_is_abstract():
    from numeric.solver.symmetry import solve_hypercube
    from numeric.threshold import closed_form as tcf
    for dY in (2, 3):
        c = oh.hypercube_answer("clipped-relu", dY, 0.05, 0.05)["certificate"]
        w = c["witness"]
        assert c["global_optimum"] is True and c["all_minima_abstract"] is True
        assert w["lower"] == pytest.approx(float(solve_hypercube(dY, 1, 0.05, 0.05).energy), rel=1e-15)
        E = tcf("clipped-relu", dY, 0.05, 0.05).energy
        assert w["lower"] * (1 - 1e-15) <= E <= w["upper"] * (1 + 1e-15)
    T = hypercube(2)
    lo = oh.hypercube_answer("clipped-relu", 2, 0.05, 0.05)["certificate"]["witness"]["lower"]
    for seed in (0, 1):
        r = train_network(T.X_tilde(), T.Y, 0.05, 0.05, 4, activation="clipped-relu", seed=seed)
        assert r.loss >= lo * (1 - 1e-12)


def test_bad_input_names_the_argument():
    with pytest.raises(InputError, match="activation"):
        oh.hypercube_answer("relu", 2, 0.05, 0.05)
    with pytest.raises(InputError, match="task"):
        oh.hypercube_answer("tanh", 3, 0.05, 0.05, task=hypercube(3, 2))
    with pytest.raises(InputError, match="lam1"):
        oh.hypercube_answer("tanh", 2, -1.0, 0.05)


def test_cli_odd_activation_and_not_covered_settings():
    run = lambda *a: json.loads(subprocess.run(
        [sys.executable, "-m", "numeric.cli", "solve", "--lam1", "0.05", "--lam2", "0.05", "--certify",
         "--json", *a], capture_output=True, text=True, check=True).stdout)
    d = run("--dY", "3", "--activation", "hard-tanh")
    assert d["certificate"]["global_optimum"] is True and d["certificate"]["all_minima_abstract"] is True
    assert all(c["ok"] for c in d["checks"]) and any("A.odd" in c["name"] for c in d["checks"])
    d = run("--dY", "2", "--n", "2", "--activation", "tanh")
    assert d["certificate"] is None and any("n = 1" in n for n in d["notes"])


def test_extreme_lambdas_certify_or_say_why():
    # tiny lam2 with phi(0) != 0: the exact read-out keeps the bracket tight
    c = oh.hypercube_answer("hard-sigmoid", 3, 1e-10, 1e-10)["certificate"]
    assert c["global_optimum"] is True and c["witness"]["rel_gap"] < 1e-15
    # lam1 tiny, lam2 huge: the closed form's network would need ~3e5 neurons; no bracket is
    # claimed and the note says why
    a = oh.hypercube_answer("hard-tanh", 3, 1e-8, 1e3)
    assert a["certificate"]["global_optimum"] is False and a["numeric"] is None
    assert any("width" in n and str(oh.MAX_WIDTH) in n for n in a["notes"])
