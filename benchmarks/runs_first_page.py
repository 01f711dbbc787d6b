"""Runs API first page (100 of N runs, sorted by a metric) vs ``MlflowClient.search_runs``."""

from __future__ import annotations

import os
import random
import sys
import time

from mlflow.entities import Metric, Param, RunTag

from jupyter_mlops.tracking.models import ListRunsQuery
from jupyter_mlops.tracking.search import search_runs

from .timing import Result, median_seconds
from .workspace import fresh_workspace

RUNS = int(os.environ.get("BENCH_RUNS", "10000"))
PAGE = 100
REPEAT = 15


def _seed(client: object, exp_id: str, n: int) -> None:
    """Create ``n`` runs through MLflow's own API: 5 params, 5 metrics, 3 tags each."""
    rng = random.Random(0)
    start = time.perf_counter()
    for i in range(n):
        run = client.create_run(exp_id, run_name=f"run-{i}")  # type: ignore[attr-defined]
        now = int(time.time() * 1000)
        client.log_batch(  # type: ignore[attr-defined]
            run.info.run_id,
            metrics=[Metric(k, rng.random(), now, 0) for k in ("acc", "f1", "auc", "loss", "rmse")],
            params=[Param(k, str(rng.randint(0, 9))) for k in ("C", "depth", "lr", "seed", "n")],
            tags=[
                RunTag("team", "ml"),
                RunTag("mlflow.source.name", "train.ipynb"),
                RunTag("stage", "dev"),
            ],
        )
        client.set_terminated(run.info.run_id)  # type: ignore[attr-defined]
        if (i + 1) % 1000 == 0:
            rate = (i + 1) / (time.perf_counter() - start)
            print(f"  seeded {i + 1}/{n} runs ({rate:.0f}/s)", file=sys.stderr)


def run() -> list[Result]:
    _, client = fresh_workspace("runs")
    exp_id = client.create_experiment("many")
    _seed(client, exp_id, RUNS)
    query = ListRunsQuery(experiment_ids=[exp_id], order_by="metrics.`acc` DESC", page_size=PAGE)
    ours_page = search_runs(client, query)
    theirs_page = client.search_runs([exp_id], order_by=["metrics.`acc` DESC"], max_results=PAGE)
    assert [r.run_id for r in ours_page.runs] == [r.info.run_id for r in theirs_page]
    assert ours_page.total == RUNS
    ours = median_seconds(lambda: search_runs(client, query), REPEAT)
    theirs = median_seconds(
        lambda: client.search_runs([exp_id], order_by=["metrics.`acc` DESC"], max_results=PAGE),
        REPEAT,
    )
    return [
        Result(
            name="runs_first_page",
            ours=f"runs API page of {PAGE}/{RUNS} by metric, with total count",
            ours_seconds=ours,
            baseline="MlflowClient.search_runs, same page",
            baseline_seconds=theirs,
            target="≥ 5× faster",
            kind="speed-up",
            limit=5,
            notes="same run ids in the same order (checked)",
        )
    ]
