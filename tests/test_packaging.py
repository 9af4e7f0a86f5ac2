"""Packaging invariants: versions in one place, torch behind its door, import direction."""
import pathlib
import re
import subprocess
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _conda_env():
    deps, pip, in_pip = [], [], False
    text = (ROOT / "environment.yml").read_text()
    for line in text[text.index("dependencies:"):].splitlines():
        if re.match(r"^\s*- pip:\s*$", line):
            in_pip = True
            continue
        m = re.match(r"^(\s*)- (.+?)\s*$", line)
        if not m:
            continue
        (pip if in_pip and len(m.group(1)) > 4 else deps).append(m.group(2))
    return deps, pip


def test_environment_yml_mirrors_pyproject_dependencies():
    py = _pyproject()["project"]
    deps, pip = _conda_env()
    conda_specs = {d.replace(" ", "") for d in deps if d not in ("pip",) and not d.startswith("python>")}
    assert conda_specs == {d.replace(" ", "") for d in py["dependencies"]}
    assert f"python{py['requires-python']}" in deps
    extras = ",".join(sorted(py["optional-dependencies"]))
    assert pip == [f"-e .[{extras}]"], pip


def test_torch_extra_admits_the_machine_build():
    torch_req = _pyproject()["project"]["optional-dependencies"]["torch"]
    assert len(torch_req) == 1
    from packaging.specifiers import SpecifierSet
    spec = SpecifierSet(torch_req[0].removeprefix("torch"))
    assert "2.13.0" in spec
    assert "TORCH_PIN ?= torch==2.13.0" in (ROOT / "Makefile").read_text()


def _modules_after(stmt):
    code = f"import sys; {stmt}; print(','.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.strip().split(","))


def test_import_numeric_does_not_import_torch():
    mods = _modules_after("import numeric, numeric.registry, numeric.cli, numeric.torch_bridge; "
                          "numeric.registry.all_claims()")
    assert "torch" not in mods


def test_symbolic_never_imports_numeric_or_torch():
    mods = _modules_after("import importlib, pkgutil, symbolic; [importlib.import_module("
                          "'symbolic.' + m.name) for m in pkgutil.iter_modules(symbolic.__path__)]")
    assert "symbolic.relu_whitened" in mods and "symbolic.kkt" in mods
    assert not any(m == "numeric" or m.startswith("numeric.") for m in mods)
    assert "torch" not in mods


def test_readme_names_the_two_commands_and_ci_calls_make_test():
    readme = (ROOT / "README.md").read_text()
    assert "make verify" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_claim_table_matches_the_registry():
    import importlib.util
    spec = importlib.util.spec_from_file_location("claim_table", ROOT / "tools" / "claim_table.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    readme = (ROOT / "README.md").read_text()
    assert mod.render(readme) == readme, "run `python tools/claim_table.py --write`"
