"""``%%track`` on an empty cell vs a bare ``with mlflow.start_run(): pass`` on the same store."""

from __future__ import annotations

import mlflow
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from jupyter_mlops.tracking.tracker import track

from .timing import Result, median_seconds, paired_medians
from .workspace import fresh_workspace

REPEAT = 60


def run() -> list[Result]:
    ws, client = fresh_workspace("track")
    exp_id = client.create_experiment("bare")
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "jupyter_mlops")

    def magic() -> None:
        with capture_output():
            result = shell.run_cell("%%track -e bench\npass", store_history=True)
        assert result.success

    def api() -> None:
        with track(experiment="bench-api", workspace=ws):
            pass

    shell.user_ns["mlflow"] = mlflow
    bare_cell = f"with mlflow.start_run(experiment_id={exp_id!r}):\n    pass"

    def bare() -> None:
        # The same cell machinery on both sides: a user compares two cells.
        with capture_output():
            result = shell.run_cell(bare_cell, store_history=True)
        assert result.success

    ours, base = paired_medians(magic, bare, REPEAT)
    api_s = median_seconds(api, REPEAT)
    return [
        Result(
            name="track_overhead",
            ours="%%track on an empty cell (IPython shell)",
            ours_seconds=ours,
            baseline="a cell with mlflow.start_run(): pass (IPython shell)",
            baseline_seconds=base,
            target="≤ 1.5×",
            kind="overhead",
            limit=1.5,
            notes=f"mlops.track() Python API alone: {api_s * 1000:.1f} ms",
        )
    ]
