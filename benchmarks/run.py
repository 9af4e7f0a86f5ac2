"""Run every benchmark (not part of `make test`): each top-level script here, and each
sub-folder's own run.py. Optional peers (cvxpy, clarabel, pyscnn) are listed in that
sub-folder's README."""
import pathlib
import runpy
import sys

here = pathlib.Path(__file__).parent
sys.path.insert(0, str(here.parent))
scripts = [p for p in sorted(here.glob("*.py")) if p.name != "run.py" and not p.name.startswith("_")]
scripts += sorted(here.glob("*/run.py"))
for script in scripts:
    print(f"== {script.relative_to(here)}", flush=True)
    sys.argv = [str(script)]
    runpy.run_path(str(script), run_name="__main__")
