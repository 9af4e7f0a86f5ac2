import subprocess
import sys


def test_figures_write_png(tmp_path):
    p = subprocess.run([sys.executable, "-m", "numeric.cli", "figures", "--out", str(tmp_path),
                        "--only", "A.silent"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    png = tmp_path / "A.silent.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_figure_is_usage_error(tmp_path):
    p = subprocess.run([sys.executable, "-m", "numeric.cli", "figures", "--out", str(tmp_path),
                        "--only", "nope"], capture_output=True, text=True)
    assert p.returncode == 2 and "`--only`" in p.stderr and not any(tmp_path.iterdir())
