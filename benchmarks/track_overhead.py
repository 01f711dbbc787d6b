"""``%%track`` on an empty cell vs a bare ``with mlflow.start_run(): pass`` on the same store."""

from __future__ import annotations

import mlflow
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from jupyter_mlops.tracking.tracker import track

from .timing import Result, median_seconds
from .workspace import fresh_workspace

REPEAT = 30


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

    def bare() -> None:
        with mlflow.start_run(experiment_id=exp_id):
            pass

    # Interleave so both sides see the same store size and machine state.
    ours = median_seconds(magic, REPEAT)
    base = median_seconds(bare, REPEAT)
    api_s = median_seconds(api, REPEAT)
    return [
        Result(
            name="track_overhead",
            ours="%%track on an empty cell (IPython shell)",
            ours_seconds=ours,
            baseline="with mlflow.start_run(): pass",
            baseline_seconds=base,
            target="≤ 1.5×",
            kind="overhead",
            limit=1.5,
            notes=f"mlops.track() Python API alone: {api_s * 1000:.1f} ms",
        )
    ]
