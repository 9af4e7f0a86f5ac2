"""Notebooks and their jupytext pairs stay in sync, and committed notebooks are executed."""
import importlib.util
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("sync_notebooks", ROOT / "tools" / "sync_notebooks.py")
sync = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sync)


def test_committed_notebooks_are_paired_and_executed():
    assert sync.sources(), "no notebooks found"
    assert sync.problems() == []


def test_drift_and_unexecuted_cells_are_detected(tmp_path):
    src = sync.sources()[0]
    for suffix in (".py", ".ipynb"):
        shutil.copy(src.with_suffix(suffix), tmp_path / (src.stem + suffix))
    assert sync.problems(tmp_path) == []
    py = tmp_path / (src.stem + ".py")
    py.write_text(py.read_text() + "\n# %%\nprint('a new cell')\n")
    assert any("drifted" in p for p in sync.problems(tmp_path))
    sync.build(py, execute=False)               # re-pair without executing
    assert any("not executed" in p for p in sync.problems(tmp_path))
    (tmp_path / (src.stem + ".py")).unlink()
    assert any("no jupytext pair" in p for p in sync.problems(tmp_path))
