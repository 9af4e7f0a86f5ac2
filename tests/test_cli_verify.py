"""``emergence verify FILE.json``: the certificates of a saved solve output re-checked from the
file alone; a tampered certificate fails (exit 1); bad files exit 2 with one clear line."""
from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from numeric.cli import main


def _solve(capsys, tmp_path, name, *args):
    assert main(["solve", *args, "--certify", "--json"]) == 0
    path = tmp_path / name
    path.write_text(capsys.readouterr().out)
    return path


def _verify(capsys, path):
    rc = main(["verify", str(path), "--json"])
    out = capsys.readouterr()
    return rc, (json.loads(out.out)["certificates"] if out.out else None), out.err


def _passes(capsys, path, kinds):
    """the untouched file re-verifies, with these certificates; its parsed JSON"""
    rc, found, _ = _verify(capsys, path)
    assert rc == 0 and [f["kind"] for f in found] == kinds and all(f["ok"] for f in found)
    return json.loads(path.read_text())


def _fails(capsys, path, d):
    """the tampered object ``d`` written back fails re-verification (exit 1); its findings"""
    path.write_text(json.dumps(d))
    rc, found, _ = _verify(capsys, path)
    assert rc == 1
    return found


@pytest.fixture()
def dense_file(capsys, tmp_path):
    rng = np.random.default_rng(3)
    data = tmp_path / "d.npz"
    np.savez(data, X=rng.standard_normal((3, 6)), Y=np.sign(rng.standard_normal((1, 6))))
    return _solve(capsys, tmp_path, "dense.json", "--data", str(data), "--lam1", "0.1",
                  "--lam2", "0.1")


def test_dense_relu_certificate_round_trip_and_tampering(capsys, dense_file):
    d = _passes(capsys, dense_file, ["relu-bracket"])
    lam = d["certificate"]["witness"]["certificate"]["dual"]["Lambda"]
    lam[0][0] = str(Fraction(lam[0][0]) * Fraction(11, 10))     # a different dual point
    assert not _fails(capsys, dense_file, d)[0]["ok"]


def test_three_output_fan_certificate_with_and_without_the_float_filter(capsys, tmp_path, monkeypatch,
                                                                      fans_on_full_rank):
    rng = np.random.default_rng(4)
    data = tmp_path / "d3.npz"
    np.savez(data, X=rng.standard_normal((5, 6)), Y=np.sign(rng.standard_normal((3, 6))))   # full rank: fans
    path = _solve(capsys, tmp_path, "fan.json", "--data", str(data), "--lam1", "0.1", "--lam2", "0.1")
    d = _passes(capsys, path, ["relu-bracket"])
    assert "simplicial cones" in d["certificate"]["witness"]["certificate"]["summary"]["cone_method"]
    from numeric.solver import float_filter
    monkeypatch.delenv("EMERGENCE_EXACT_CONES", raising=False)
    seen, enabled = [], float_filter.enabled
    monkeypatch.setattr(float_filter, "enabled", lambda: seen.append(enabled()) or seen[-1])
    rc = main(["verify", str(path), "--json", "--exact-cones"])
    assert rc == 0 and json.loads(capsys.readouterr().out)["certificates"][0]["ok"]
    assert seen and not any(seen)                          # the filter was off for every batch
    assert enabled()                                       # and is on again afterwards
    lam = d["certificate"]["witness"]["certificate"]["dual"]["Lambda"]
    lam[1][2] = str(Fraction(lam[1][2]) * 3)
    path.write_text(json.dumps(d))
    assert main(["verify", str(path), "--json", "--exact-cones"]) == 1


def test_walsh_certificate_and_its_zero_set_round_trip_and_tampering(capsys, tmp_path):
    path = _solve(capsys, tmp_path, "w.json", "--dY", "4", "--lam1", "0.1", "--lam2", "0.1",
                  "--anisotropic", "2,3,4,5")
    d = _passes(capsys, path, ["walsh", "walsh zero set"])
    d["certificate"]["all_minima_abstract"] = False                  # a wrong stored answer
    found = _fails(capsys, path, d)
    assert found[0]["ok"] and not found[1]["ok"]
    w = d["certificate"]["witness"]["walsh"]
    w["n_pp"] = [str(-Fraction(1, 1000))] + w["n_pp"][1:]           # N < 0: not a certificate
    found = _fails(capsys, path, d)
    assert not found[0]["ok"] and len(found) == 1


def test_symmetric_walsh_certificate_round_trip_and_tampering(capsys, tmp_path):
    path = _solve(capsys, tmp_path, "s.json", "--dY", "4", "--lam1", "0.05", "--lam2", "0.05",
                  "--interaction", "2")
    d = _passes(capsys, path, ["walsh-symmetric"])
    w = d["certificate"]["witness"]["walsh"]
    w["a"] = [w["a"][0], str(Fraction(w["a"][1]) * Fraction(101, 100))] + w["a"][2:]  # 1% past rho
    assert not _fails(capsys, path, d)[0]["ok"]


def test_bad_files_exit_2_with_one_line(capsys, tmp_path):
    missing = tmp_path / "nope.json"
    assert main(["verify", str(missing)]) == 2
    assert "`FILE` must be a readable file" in capsys.readouterr().err
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    assert main(["verify", str(junk)]) == 2
    assert "`FILE` must hold JSON" in capsys.readouterr().err
    none = tmp_path / "none.json"
    none.write_text(json.dumps({"instance": {}, "certificate": None}))
    assert main(["verify", str(none)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "certificate this command re-checks" in err


def test_linear_certificate_round_trip_and_tampering(capsys, tmp_path):
    rng = np.random.default_rng(4)
    data = tmp_path / "l.npz"
    np.savez(data, X=rng.standard_normal((3, 6)), Y=np.sign(rng.standard_normal((2, 6))))
    path = _solve(capsys, tmp_path, "lin.json", "--data", str(data), "--lam1", "0.1",
                  "--lam2", "0.1", "--activation", "linear")
    d = _passes(capsys, path, ["linear-bracket"])
    w = d["certificate"]["witness"]
    w["lower"] = str(Fraction(w["lower"]) * Fraction(1001, 1000))  # a better bound than proved
    assert "stored lower bound" in _fails(capsys, path, d)[0]["detail"]
    w["lower"] = str(Fraction(w["lower"]) * Fraction(1000, 1001))
    lam = w["certificate"]["Lambda"]
    lam[0][0] = str(Fraction(lam[0][0]) * 3)                       # no longer dual feasible
    assert not _fails(capsys, path, d)[0]["ok"]


def test_symmetry_reduction_round_trip_and_tampering(capsys, tmp_path):
    path = _solve(capsys, tmp_path, "sym.json", "--dY", "5", "--lam1", "0.05", "--lam2", "0.05")
    d = _passes(capsys, path, ["symmetry-reduction"])
    w = d["certificate"]["witness"]
    w["kappa2"] = str(Fraction(w["kappa2"]) * Fraction(101, 100))   # past the certified scale
    assert not _fails(capsys, path, d)[0]["ok"]
    w["kappa2"] = str(Fraction(w["kappa2"]) * Fraction(100, 101))
    d["numeric"]["energy"] *= 1 - 1e-9                              # a wrong stored energy
    assert "stored energy" in _fails(capsys, path, d)[0]["detail"]


def test_lipschitz_bracket_round_trip_and_tampering(capsys, tmp_path):
    path = _solve(capsys, tmp_path, "ht.json", "--dY", "2", "--lam1", "0.05", "--lam2", "0.05",
                  "--activation", "hard-tanh")
    d = _passes(capsys, path, ["lipschitz-bracket"])
    c = d["certificate"]["witness"]["certificate"]
    c["W2"][0][0] = str(Fraction(c["W2"][0][0]) * Fraction(9, 10))   # another network: other loss
    assert "stored upper bound" in _fails(capsys, path, d)[0]["detail"]
