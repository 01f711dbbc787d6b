"""Polled pages through a real server: answered again from the read cache while nothing
changed, and never stale once a kernel (here, another process) wrote something new."""

import json
import os
import subprocess
import sys
from typing import Any

import pandas as pd
import pytest

from jupyter_mlops import datasets
from jupyter_mlops.tracking.tracker import track
from jupyter_mlops.workspace import ROOT_ENV
from tests.helpers import api, make_run

pytestmark = pytest.mark.usefixtures("mlops_workspace")

# What a kernel does: a run tracked in a new process of the same workspace.
KERNEL_RUN = """
from jupyter_mlops.tracking.tracker import track
with track(experiment="polled", autolog=False) as run:
    run.log_metrics({"acc": 0.99})
print(run.run_id)
"""


def in_a_kernel(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, ROOT_ENV: os.environ[ROOT_ENV]},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


async def get(jp_fetch: Any, *parts: str, **kw: Any) -> Any:
    code, body = await api(jp_fetch, *parts, **kw)
    assert code == 200, body
    return body


async def run_ids(jp_fetch: Any, experiment_id: str) -> list[str]:
    params = {"experiment_ids": experiment_id, "order_by": "metrics.acc DESC"}
    return [r["run_id"] for r in (await get(jp_fetch, "runs", params=params))["runs"]]


async def test_runs_page_shows_a_run_tracked_by_another_process(jp_fetch: Any) -> None:
    first = make_run("polled", {"acc": 0.5})
    body = await get(jp_fetch, "experiments")
    [exp] = [e for e in body["experiments"] if e["name"] == "polled"]
    assert await run_ids(jp_fetch, exp["experiment_id"]) == [first]
    assert await run_ids(jp_fetch, exp["experiment_id"]) == [first]  # a poll, unchanged

    second = in_a_kernel(KERNEL_RUN)
    assert await run_ids(jp_fetch, exp["experiment_id"]) == [second, first]
    body = await get(jp_fetch, "experiments")
    assert [e["run_count"] for e in body["experiments"] if e["name"] == "polled"] == [2]


async def test_dataset_pages_follow_new_versions_and_lineage(jp_fetch: Any) -> None:
    datasets.save("polled", pd.DataFrame({"x": [1, 2]}))
    listed = await get(jp_fetch, "datasets", params={"search": "poll"})
    assert [(d["name"], d["versions"]) for d in listed["datasets"]] == [("polled", 1)]
    v1 = await get(jp_fetch, "datasets", "polled", "versions", "v1")
    assert v1["lineage"] == []

    with track(experiment="polled", autolog=False) as run:  # lineage lives in MLflow's store
        datasets.load("polled@v1")
    v1 = await get(jp_fetch, "datasets", "polled", "versions", "v1")
    assert [(r["run_id"], r["context"]) for r in v1["lineage"]] == [(run.run_id, "consumed")]

    datasets.save("polled", pd.DataFrame({"x": [1, 2, 3]}))
    listed = await get(jp_fetch, "datasets", params={"search": "poll"})
    assert [(d["name"], d["versions"]) for d in listed["datasets"]] == [("polled", 2)]
    detail = await get(jp_fetch, "datasets", "polled")
    assert [v["version"] for v in detail["versions"]] == [2, 1]


async def test_an_unchanged_page_is_not_sent_again(jp_fetch: Any) -> None:
    """A client that kept the page's ETag gets 304 Not Modified while it is unchanged."""
    make_run("polled", {"acc": 0.5})
    first = await jp_fetch("mlops", "api", "experiments")
    etag = first.headers["Etag"]
    code, _ = await api(jp_fetch, "experiments", headers={"If-None-Match": etag})
    assert code == 304
    make_run("polled", {"acc": 0.6})
    changed = await jp_fetch("mlops", "api", "experiments", headers={"If-None-Match": etag})
    assert changed.code == 200
    [exp] = [e for e in json.loads(changed.body)["experiments"] if e["name"] == "polled"]
    assert exp["run_count"] == 2
