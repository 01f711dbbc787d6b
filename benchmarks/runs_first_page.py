"""Runs API first page (100 of N runs, sorted by a metric) vs ``MlflowClient.search_runs``.

The runs are seeded through MLflow's own API (``create_run`` + ``log_batch`` +
``set_terminated``). Both sides must return the same run ids in the same order. Ours also
returns the total count, which MLflow's search cannot; what that count costs ours, and what
getting it costs through MLflow (listing every run), are reported alongside.
"""

from __future__ import annotations

import random
import sys
import time

from mlflow.entities import Metric, Param, RunTag
from mlflow.tracking import MlflowClient

from jupyter_mlops.tracking.models import ListRunsQuery
from jupyter_mlops.tracking.search import search_runs

from .probes import sql_trace
from .timing import Result, median_seconds, ms, paired_medians, timed
from .workspace import fresh_workspace, store_engine, unsynced_writes

RUNS = 10_000
PAGE = 100
REPEAT = 5
ORDER = "metrics.`acc` DESC"
METRICS = ("acc", "f1", "auc", "loss", "rmse")
PARAMS = ("C", "depth", "lr", "seed", "n")


def _seed(client: MlflowClient, exp_id: str, n: int) -> None:
    """Create ``n`` finished runs through MLflow's own API: 5 params, 5 metrics, 3 tags each."""
    rng = random.Random(0)
    start = time.perf_counter()
    every = max(1, min(1000, n // 10))
    with unsynced_writes(client):
        for i in range(n):
            run = client.create_run(exp_id, run_name=f"run-{i}")
            now = int(time.time() * 1000)
            client.log_batch(
                run.info.run_id,
                metrics=[Metric(k, rng.random(), now, 0) for k in METRICS],
                params=[Param(k, str(rng.randint(0, 9))) for k in PARAMS],
                tags=[
                    RunTag("team", "ml"),
                    RunTag("mlflow.source.name", "train.ipynb"),
                    RunTag("stage", "dev"),
                ],
            )
            client.set_terminated(run.info.run_id)
            if (i + 1) % every == 0 or i + 1 == n:
                rate = (i + 1) / (time.perf_counter() - start)
                print(f"  seeded {i + 1}/{n} runs ({rate:.0f}/s)", file=sys.stderr, flush=True)


def _by_statement(statements: list[tuple[str, float]]) -> str:
    """Execute time of each of ours' queries, named by what it does."""
    parts = []
    for text, seconds in statements:
        if text.startswith("PRAGMA"):
            continue
        if "count(" in text:
            label = "total (COUNT)"
        elif "ORDER BY" in text:
            label = "page (sort by the metric, LIMIT)"
        else:
            label = "values from " + text.split(" FROM ", 1)[-1].split()[0]
        parts.append(f"{label} {ms(seconds)}")
    return ", ".join(parts)


def run(runs: int = RUNS) -> list[Result]:
    """Seed ``runs`` runs, then measure; returns the one result."""
    _, client = fresh_workspace("runs")
    exp_id = client.create_experiment("many")
    _seed(client, exp_id, runs)
    query = ListRunsQuery(experiment_ids=[exp_id], order_by=ORDER, page_size=PAGE)

    def ours() -> object:
        return search_runs(client, query)

    def theirs() -> object:
        return client.search_runs([exp_id], order_by=[ORDER], max_results=PAGE)

    ours_page = search_runs(client, query)
    theirs_page = client.search_runs([exp_id], order_by=[ORDER], max_results=PAGE)
    assert [r.run_id for r in ours_page.runs] == [r.info.run_id for r in theirs_page], (
        "the runs API and MlflowClient.search_runs disagree on the first page"
    )
    assert len(ours_page.runs) == min(PAGE, runs)
    assert ours_page.total == runs, f"total {ours_page.total}, seeded {runs}"
    for row, entity in zip(ours_page.runs, theirs_page, strict=True):
        assert row.metrics == entity.data.metrics and row.params == entity.data.params

    ours_s, theirs_s = paired_medians(ours, theirs, REPEAT, warmup=1)
    ours_alone = median_seconds(ours, REPEAT * 3)
    with sql_trace(store_engine(client)) as trace:
        ours()
    sql_s = sum(s for text, s in trace.statements if not text.startswith("PRAGMA"))

    def count_through_mlflow() -> int:
        total, token = 0, None
        while True:
            chunk = client.search_runs([exp_id], max_results=50_000, page_token=token)
            total += len(chunk)
            token = chunk.token
            if not token:
                return total

    walk_s, walked = timed(count_through_mlflow)
    assert walked == runs
    return [
        Result(
            name="runs_first_page",
            ours=f"runs API: page of {PAGE} of {runs:,} runs by a metric, with the total",
            ours_seconds=ours_s,
            baseline="MlflowClient.search_runs, same page (no total)",
            baseline_seconds=theirs_s,
            target="≥ 5× faster",
            kind="speed-up",
            limit=5,
            notes=(
                "same run ids in the same order, same metrics and params (checked); "
                f"total = {ours_page.total:,} (checked)"
            ),
            details={
                "ours alone, more repeats": ms(ours_alone),
                "SQL in one call of ours": f"{trace.counts()}, executing for {ms(sql_s)}",
                "SQL by statement": _by_statement(trace.statements),
                "the total through MLflow (list every run, 50,000 a page)": ms(walk_s),
            },
        )
    ]
