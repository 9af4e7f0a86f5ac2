"""``emergence solve --certify --json``: DESIGN.md contract, closed form vs certified answer, data files."""
from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from numeric import solve as solve_mod
from numeric.cli import main
from numeric.tasks import hypercube


def _run(capsys, *args):
    rc = main(["solve", *args])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_contract_keys_and_agreement(capsys):
    rc, out, _ = _run(capsys, "--dY", "2", "--lam1", "0.1", "--lam2", "0.2", "--certify", "--json")
    assert rc == 0
    d = json.loads(out)
    for key in ("instance", "closed_form", "numeric", "certificate", "ps"):
        assert key in d
    assert {"energy", "kernel", "neurons", "seconds"} <= set(d["numeric"])
    assert {"global_optimum", "all_minima_abstract", "method", "witness"} <= set(d["certificate"])
    assert d["certificate"]["global_optimum"] is True
    assert d["certificate"]["all_minima_abstract"] is True
    assert d["checks"] and all(c["ok"] for c in d["checks"])
    assert abs(d["numeric"]["energy"] - d["closed_form"]["energy"]) <= 1e-12 * d["closed_form"]["energy"]


def test_no_bias_refutes_all_minima_abstract(capsys):
    rc, out, _ = _run(capsys, "--dY", "3", "--lam1", "0.1", "--lam2", "0.2", "--no-bias",
                      "--certify", "--json")
    d = json.loads(out)
    assert rc == 0 and d["certificate"]["all_minima_abstract"] is False
    assert d["certificate"]["witness"]["abstraction_witness"]["optimal"] is True


def test_without_certify_numeric_is_null(capsys):
    rc, out, _ = _run(capsys, "--dY", "2", "--lam1", "0.1", "--lam2", "0.2", "--json")
    d = json.loads(out)
    assert d["numeric"] is None and d["certificate"] is None


def test_wrong_closed_form_is_a_failed_check(monkeypatch):
    real = solve_mod.closed_form_for

    def wrong(inst):
        cf, why = real(inst)
        cf = dict(cf, energy=cf["energy"] * (1 + 1e-6))
        return cf, why

    monkeypatch.setattr(solve_mod, "closed_form_for", wrong)
    out = solve_mod.solve(dY=2, lam1=0.1, lam2=0.2, certify=True)
    bad = [c for c in out["checks"] if not c["ok"]]
    assert bad and "closed form" in bad[0]["name"]


def test_data_file_general_and_hypercube(tmp_path, capsys):
    rng = np.random.default_rng(0)
    f = tmp_path / "d.npz"
    np.savez(f, X=rng.standard_normal((7, 6)), Y=rng.standard_normal((2, 6)))
    rc, out, _ = _run(capsys, "--data", str(f), "--lam1", "0.05", "--lam2", "0.1", "--certify", "--json")
    d = json.loads(out)
    assert rc == 0 and d["instance"]["task"] == "data"
    assert d["certificate"]["global_optimum"] is True
    assert d["certificate"]["all_minima_abstract"] is None and d["ps"] is None
    w = d["certificate"]["witness"]                  # the outputs every global minimum shares
    gap = float(Fraction(w["upper"]) - Fraction(w["lower"]))
    assert w["outputs_radius"] ** 2 == pytest.approx(gap, rel=1e-9)
    T = hypercube(2, seed=4)
    g = tmp_path / "h.npz"
    np.savez(g, X=T.X, Y=T.Y)
    rc, out, _ = _run(capsys, "--data", str(g), "--lam1", "0.05", "--lam2", "0.1", "--certify", "--json")
    d = json.loads(out)
    assert d["instance"]["task"] == "hypercube" and d["certificate"]["all_minima_abstract"] is True
    assert all(c["ok"] for c in d["checks"])


def test_bad_data_exits_2(tmp_path, capsys):
    f = tmp_path / "bad.npz"
    X = np.ones((2, 3))
    X[1, 2] = np.inf
    np.savez(f, X=X, Y=np.ones((1, 3)))
    rc, out, err = _run(capsys, "--data", str(f), "--lam1", "0.1", "--lam2", "0.1", "--certify", "--json")
    assert rc == 2 and out == "" and "`X` must be finite" in err
