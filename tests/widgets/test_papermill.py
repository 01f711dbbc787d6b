"""A notebook calling ``mlops.features.explorer()`` and the progress display, executed by
papermill in a real kernel: where no frontend renders widgets, the executed notebook still
says something useful (the explorer's catalog as text/html, how each wait ended)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import papermill
import pytest

from jupyter_mlops.pytest_plugin import write_notebook
from jupyter_mlops.widgets.progress import MODE_ENV, WIDGET_VIEW
from jupyter_mlops.workspace import Workspace

CELLS = (
    "import jupyter_mlops as mlops\nfrom jupyter_mlops.widgets.progress import progress",
    "mlops.features.explorer()",
    "with progress('counting', unit='rows') as update:\n"
    "    for done in range(1, 4):\n"
    "        update(done, 3, 'counting rows')",
)


def run(root: Path) -> Any:
    notebook = write_notebook(root / "explore.ipynb", *CELLS)
    return papermill.execute_notebook(
        str(notebook), str(root / "explored.ipynb"), cwd=str(root), progress_bar=False
    )


def test_the_executed_notebook_keeps_the_text_fallbacks(
    online_features: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MODE_ENV, raising=False)
    done = run(online_features.root)
    explorer, waited = done.cells[1].outputs, done.cells[2].outputs
    [shown] = [o for o in explorer if o.output_type == "execute_result"]
    assert {WIDGET_VIEW, "text/html", "text/plain"} <= set(shown.data)
    assert "Feature explorer: 1 entity, 1 view, 1 service" in shown.data["text/html"]
    assert "<td>driver_stats</td>" in shown.data["text/html"]
    assert "mlops.features.online('eta', {'driver_id': [...]})" in shown.data["text/plain"]

    # a kernel cannot tell papermill from Lab: a bar, whose stored text is the final state
    [bar] = waited
    assert bar.output_type == "display_data" and WIDGET_VIEW in bar.data
    assert bar.data["text/plain"].startswith("counting: counting rows: 3/3 rows (100%) — done in")
    assert "— done in" in bar.data["text/html"]


def test_text_lines_when_the_run_asks_for_them(
    online_features: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MODE_ENV, "text")  # papermill's kernel inherits the environment
    done = run(online_features.root)
    outputs = done.cells[2].outputs
    assert {o.output_type for o in outputs} == {"stream"}
    *lines, last = "".join(o.text for o in outputs).splitlines()
    assert lines == [
        "counting: counting rows: 1/3 rows (33%)",
        "counting: counting rows: 3/3 rows (100%)",
    ]
    assert last.startswith("counting: done in ")
