import json
import subprocess
import sys
from pathlib import Path

from jupyter_mlops.cli import main


def test_info_prints_the_resolved_workspace(mlops_root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["root"] == str(mlops_root.resolve())
    assert info["tracking_uri"].endswith(".mlops/mlflow.db")


def test_bad_config_is_a_one_line_error_not_a_traceback(mlops_root: Path) -> None:
    (mlops_root / "mlops.toml").write_text("[mlops\n")
    proc = subprocess.run(
        [sys.executable, "-m", "jupyter_mlops.cli", "info"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "not valid TOML" in proc.stderr
    assert "Traceback" not in proc.stderr
