"""Run every benchmark script in this folder (not part of `make test`)."""
import pathlib
import runpy
import sys

here = pathlib.Path(__file__).parent
sys.path.insert(0, str(here.parent))
for script in sorted(here.rglob("*.py")):
    if script.name in ("run.py", "__init__.py") or script.name.startswith("_"):
        continue
    print(f"== {script.relative_to(here)}")
    runpy.run_path(str(script), run_name="__main__")
