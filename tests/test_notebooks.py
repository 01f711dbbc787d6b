"""Every demo notebook runs top to bottom with papermill in a real kernel."""

import shutil
from pathlib import Path

import papermill
import pytest

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_demo_notebook_runs(
    notebook: Path, mlops_root: Path, mlops_workspace: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = mlops_root / notebook.name
    shutil.copy(notebook, copy)
    monkeypatch.setenv("JPY_SESSION_NAME", notebook.name)
    out = papermill.execute_notebook(
        str(copy), str(mlops_root / f"out-{notebook.name}"), cwd=str(mlops_root),
        progress_bar=False,
    )  # fmt: skip
    errors = [o for c in out.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
