"""A 1,000-step training loop: ``mlops.log_metrics`` in ``track()`` vs ``mlflow.log_metric``.

Ours includes the whole ``track()`` block (run start, the final flush at block exit, run
end and summary); the baseline the whole ``mlflow.start_run()`` block. Both runs are then
read back through ``MlflowClient.get_metric_history``: every step, every value.
"""

from __future__ import annotations

import mlflow
from mlflow.tracking import MlflowClient

import jupyter_mlops as mlops

from .probes import sql_trace
from .timing import Result, paired_medians
from .workspace import fresh_workspace, store_engine

N = 1000
REPEAT = 3
TARGET = 20


def _value(step: int) -> float:
    return 1 / (step + 1)


def _check(client: MlflowClient, run_id: str, side: str) -> None:
    """The run holds exactly the loop's points: steps 0..N-1 with their values."""
    points = sorted(client.get_metric_history(run_id, "loss"), key=lambda m: m.step)
    assert len(points) == N, f"{side} stored {len(points)} of {N} points"
    assert [p.step for p in points] == list(range(N)), f"{side} stored wrong steps"
    assert all(p.value == _value(p.step) for p in points), f"{side} stored wrong values"


def run() -> list[Result]:
    """Measure; returns the one result."""
    ws, client = fresh_workspace("metrics")
    exp_id = client.create_experiment("bare")
    run_ids: dict[str, str] = {}

    def ours() -> None:
        with mlops.track(experiment="ours", autolog=False, workspace=ws) as tracked:
            for step in range(N):
                mlops.log_metrics({"loss": _value(step)})
        run_ids["ours"] = tracked.run_id

    def bare() -> None:
        with mlflow.start_run(experiment_id=exp_id) as active:
            for step in range(N):
                mlflow.log_metric("loss", _value(step), step=step)
        run_ids["bare"] = active.info.run_id

    ours_s, bare_s = paired_medians(ours, bare, REPEAT, warmup=1)
    _check(client, run_ids["ours"], "ours")
    _check(client, run_ids["bare"], "bare")
    engine = store_engine(client)
    with sql_trace(engine) as ours_sql:
        ours()
    with sql_trace(engine) as bare_sql:
        bare()
    _check(client, run_ids["ours"], "ours")
    _check(client, run_ids["bare"], "bare")
    return [
        Result(
            name="log_metrics_batching",
            ours=f"{N} × mlops.log_metrics in a track() block",
            ours_seconds=ours_s,
            baseline=f"{N} × mlflow.log_metric in a start_run() block",
            baseline_seconds=bare_s,
            target=f"≥ {TARGET}× faster",
            kind="speed-up",
            limit=TARGET,
            notes=(
                "both runs read back with get_metric_history: all 1,000 steps and values (checked)"
            ),
            details={
                "per metric, ours / bare": f"{ours_s / N * 1e6:.0f} µs / {bare_s / N * 1e6:.0f} µs",
                "store work of ours, whole block": ours_sql.counts(),
                "store work of bare, whole block": bare_sql.counts(),
            },
        )
    ]
