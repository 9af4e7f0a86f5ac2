"""CLI contract: exit codes, JSON keys, one-line errors naming the argument."""
import json
import subprocess
import sys

import numpy as np
import pytest

from numeric import cli, registry
from numeric.registry import Claim, Outcome, Provenance, Witness


def run(args):
    p = subprocess.run([sys.executable, "-m", "numeric.cli", *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def test_list_names_every_claim():
    rc, out, _ = run(["list"])
    assert rc == 0
    ids = [line.split()[0] for line in out.splitlines()]
    assert {"A.meanfield", "A.kkt", "A.relu.whitened"} <= set(ids)


def test_check_one_claim_json():
    rc, out, _ = run(["check", "L.svd-decoupling", "--json"])
    data = json.loads(out)
    assert rc == 0 and data["ok"] and data["claims"][0]["id"] == "L.svd-decoupling"
    assert {"name", "kind", "ok", "error", "detail", "seconds"} <= set(data["claims"][0]["witnesses"][0])


def test_check_exits_1_when_a_witness_fails(monkeypatch, capsys):
    bad = Claim("T.failing", "a false statement", (), Provenance("test", None, "open", "-"),
                witnesses=(Witness("always wrong", "float64", lambda: Outcome(False, 1.0, "x")),))
    registry.all_claims()
    monkeypatch.setitem(registry._REGISTRY, bad.id, bad)
    assert cli.main(["check", "T.failing"]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_check_unknown_id_is_usage_error():
    rc, _, err = run(["check", "No.such.claim"])
    assert rc == 2 and "No.such.claim" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("dY", [1, 2, 30])
def test_solve_json_contract(dY):
    rc, out, _ = run(["solve", "--task", "hypercube", "--dY", str(dY), "--lam1", "0.01",
                      "--lam2", "0.02", "--json"])
    assert rc == 0
    data = json.loads(out)
    assert set(data) >= {"instance", "closed_form", "numeric", "certificate", "ps"}
    cf = data["closed_form"]
    assert cf["claim"] == "A.relu.whitened" and cf["energy"] > 0 and cf["kernel_scale"] > 0
    assert (cf["kernel"]["dense"] is None) == (2 ** dY > 64)
    assert data["ps"] is None if dY == 1 else len(data["ps"]) == dY


def test_solve_reports_uncovered_instances_plainly():
    rc, out, _ = run(["solve", "--dY", "2", "--lam1", "1", "--lam2", "1", "--depth", "3", "--json"])
    data = json.loads(out)
    assert rc == 0 and data["closed_form"] is None
    assert any("no closed form covers" in n for n in data["notes"])


def _bad(args, *needles):
    rc, out, err = run(args)
    assert rc == 2, (rc, out, err)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for n in needles:
        assert n in lines[0], (n, lines[0])


BASE = ["solve", "--dY", "2", "--lam1", "0.1", "--lam2", "0.1"]


@pytest.mark.parametrize("args,needles", [
    (["solve", "--dY", "2", "--lam1", "0", "--lam2", "0.1"], ("`lam1`", "> 0", "0.0")),
    (["solve", "--dY", "2", "--lam1", "0.1", "--lam2", "-3"], ("`lam2`", "> 0", "-3.0")),
    (["solve", "--dY", "2", "--lam1", "nan", "--lam2", "1"], ("`lam1`", "nan")),
    (["solve", "--dY", "0", "--lam1", "0.1", "--lam2", "0.1"], ("`dY`", ">= 1", "0")),
    (BASE + ["--n", "0"], ("`n`", ">= 1", "0")),
    (BASE + ["--activation", "swish"], ("`activation`", "relu", "'swish'")),
    (["solve", "--task", "xor", "--dY", "2", "--lam1", "0.1", "--lam2", "0.1"], ("`task`", "'xor'")),
    (BASE + ["--depth", "0"], ("`depth`", ">= 1")),
    (["solve", "--lam1", "0.1", "--lam2", "0.1"], ("`--dY`",)),
])
def test_solve_bad_input(args, needles):
    _bad(args, *needles)


def test_solve_bad_data_files(tmp_path):
    good_X, good_Y = np.eye(4), np.array([[1, 1, -1, -1.0]])
    f = tmp_path / "shape.npz"
    np.savez(f, X=good_X, Y=np.ones((1, 3)))
    _bad(["solve", "--data", str(f), "--lam1", "1", "--lam2", "1"], "`Y`", "4 columns", "(1, 3)")
    f = tmp_path / "nan.npz"
    X = good_X.copy()
    X[1, 2] = np.nan
    np.savez(f, X=X, Y=good_Y)
    _bad(["solve", "--data", str(f), "--lam1", "1", "--lam2", "1"], "`X`", "finite", "nan")
    f = tmp_path / "keys.npz"
    np.savez(f, A=good_X)
    _bad(["solve", "--data", str(f), "--lam1", "1", "--lam2", "1"], "`--data`", "'X' and 'Y'")
    _bad(["solve", "--data", str(tmp_path / "missing.npz"), "--lam1", "1", "--lam2", "1"],
         "`--data`", "missing.npz")


def test_data_file_of_a_whitened_hypercube_uses_the_closed_form(tmp_path):
    from numeric.tasks import hypercube
    t = hypercube(2, seed=3)
    perm = np.random.default_rng(0).permutation(4)
    f = tmp_path / "hc.npz"
    np.savez(f, X=t.X[:, perm], Y=t.Y[:, perm])
    rc, out, _ = run(["solve", "--data", str(f), "--lam1", "0.1", "--lam2", "0.1", "--json"])
    direct = json.loads(run(BASE + ["--json"])[1])
    data = json.loads(out)
    assert rc == 0 and data["closed_form"]["energy"] == direct["closed_form"]["energy"]


@pytest.mark.parametrize("opt,claim,ps0", [
    (["--aligned", "0.5"], "A.inputs.aligned", 1.0),
    (["--anisotropic", "0.5,2"], "A.inputs.anisotropic", 1.0),
    (["--interaction", "2"], "A.inputs.interaction", 0.0),
])
def test_solve_input_geometries(opt, claim, ps0):
    rc, out, _ = run(BASE + opt + ["--json"])
    data = json.loads(out)
    assert rc == 0 and data["closed_form"]["claim"] == claim
    assert data["instance"]["inputs"] == opt[0][2:]
    assert data["ps"][0] == pytest.approx(ps0, abs=1e-12)


@pytest.mark.parametrize("args,needles", [
    (BASE + ["--anisotropic", "1"], ("`gammas`", "2 finite numbers", "[1.0]")),
    (BASE + ["--anisotropic", "a,b"], ("`--anisotropic`", "'a,b'")),
    (BASE + ["--aligned", "-1"], ("`gamma`", ">= 0", "-1.0")),
    (BASE + ["--n", "2", "--aligned", "1"], ("`n`", "must be 1", "2")),
])
def test_solve_bad_geometry(args, needles):
    _bad(args, *needles)


def test_solve_exits_1_when_a_certification_check_fails(monkeypatch, capsys):
    import numeric.solve as solve_mod
    real = solve_mod.solve

    def broken(**kw):
        out = real(**kw)
        out["checks"] = [{"name": "closed form equals the certified optimum", "ok": False, "detail": "x"}]
        return out
    monkeypatch.setattr(solve_mod, "solve", broken)
    assert cli.main(BASE + ["--certify"]) == 1
    assert "check [FAIL]" in capsys.readouterr().out
    assert cli.main(BASE + ["--certify", "--json"]) == 1
