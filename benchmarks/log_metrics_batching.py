"""1,000 metrics through ``mlops.log_metrics`` vs 1,000 ``mlflow.log_metric`` calls."""

from __future__ import annotations

import mlflow

import jupyter_mlops as mlops

from .timing import Result, median_seconds
from .workspace import fresh_workspace

N = 1000
REPEAT = 3


def run() -> list[Result]:
    ws, client = fresh_workspace("metrics")
    exp_id = client.create_experiment("bare")
    run_ids: dict[str, str] = {}

    def ours() -> None:
        with mlops.track(experiment="ours", autolog=False, workspace=ws) as tracked:
            for step in range(N):
                mlops.log_metrics({"loss": 1 / (step + 1)})
        run_ids["ours"] = tracked.run_id

    def bare() -> None:
        with mlflow.start_run(experiment_id=exp_id) as active:
            for step in range(N):
                mlflow.log_metric("loss", 1 / (step + 1), step=step)
        run_ids["bare"] = active.info.run_id

    ours_s = median_seconds(ours, REPEAT, warmup=1)
    bare_s = median_seconds(bare, REPEAT, warmup=1)
    for side in ("ours", "bare"):
        points = client.get_metric_history(run_ids[side], "loss")
        assert len(points) == N, f"{side} stored {len(points)} of {N} points"
    return [
        Result(
            name="log_metrics_batching",
            ours=f"{N} × mlops.log_metrics in a track() block",
            ours_seconds=ours_s,
            baseline=f"{N} × mlflow.log_metric in a run",
            baseline_seconds=bare_s,
            target="≥ 20× faster",
            kind="speed-up",
            limit=20,
            notes="both stores checked to hold all points",
        )
    ]
