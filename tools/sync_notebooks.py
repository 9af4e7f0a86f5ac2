"""Keep notebooks/NN_name.py (jupytext percent, the source of truth) and NN_name.ipynb paired.

    python tools/sync_notebooks.py [--execute] [FILE.py ...]   # write the .ipynb from the .py
    python tools/sync_notebooks.py --check                      # exit 1 on drift / unexecuted

``--execute`` runs the notebook in the current environment's ``python3`` kernel (as nbval's
``--nbval-current-env`` does at test time) with the notebooks folder as working directory.
The check compares cell types and sources of each pair and requires every code cell of a
committed .ipynb to have been executed; tests/test_notebooks.py calls :func:`problems`.
"""
from __future__ import annotations

import argparse
import pathlib
import sys

import jupytext
import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def sources(nb_dir: pathlib.Path = NB_DIR):
    return sorted(p for p in nb_dir.glob("[0-9][0-9]_*.py"))


def _cells(nb):
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def build(py: pathlib.Path, execute: bool) -> pathlib.Path:
    nb = jupytext.read(py)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata["jupytext"] = {"formats": "ipynb,py:percent"}
    if execute:
        from nbclient import NotebookClient
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(NB_DIR)}}).execute()
    out = py.with_suffix(".ipynb")
    nbformat.write(nb, out)
    return out


def problems(nb_dir: pathlib.Path = NB_DIR) -> list[str]:
    """Every drifted pair, missing pair or unexecuted committed notebook in ``nb_dir``."""
    found = []
    pys = sources(nb_dir)
    for ipynb in sorted(nb_dir.glob("*.ipynb")):
        if not ipynb.with_suffix(".py").exists():
            found.append(f"{ipynb.name}: no jupytext pair {ipynb.with_suffix('.py').name}")
    for py in pys:
        ipynb = py.with_suffix(".ipynb")
        if not ipynb.exists():
            found.append(f"{py.name}: no executed pair {ipynb.name}")
            continue
        a, b = _cells(jupytext.read(py)), _cells(nbformat.read(ipynb, as_version=4))
        if a != b:
            first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            found.append(f"{py.name} and {ipynb.name} drifted (first differing cell {first})")
        nb = nbformat.read(ipynb, as_version=4)
        for i, c in enumerate(nb.cells):
            if c.cell_type == "code" and c.source.strip() and c.get("execution_count") is None:
                found.append(f"{ipynb.name}: code cell {i} not executed")
                break
    return found


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*")
    ap.add_argument("--execute", action="store_true")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args(argv)
    if args.check:
        found = problems()
        for f in found:
            print(f)
        return 1 if found else 0
    for py in ([pathlib.Path(f).resolve() for f in args.files] or sources()):
        print(build(py, args.execute))
    return 0


if __name__ == "__main__":
    sys.exit(main())
