"""Helpers for tests that run jobs for real: promote, launch, wait for the run's end."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from jupyter_mlops.pipelines.definitions import JobOptions, promote_notebook
from jupyter_mlops.pipelines.launch import launch
from jupyter_mlops.pipelines.models import FINISHED, JobRun
from jupyter_mlops.pipelines.store import JobStore
from jupyter_mlops.pytest_plugin import write_notebook

DEADLINE_S = 120.0  # generous: a kernel start is slow on a loaded machine


def wait_for(
    store: JobStore, run_id: int, done: Callable[[JobRun], bool], timeout_s: float = DEADLINE_S
) -> JobRun:
    """Poll the run until ``done(run)``; fails the test with the run's state if it never is."""
    deadline = time.monotonic() + timeout_s
    while True:
        run = store.get_run(run_id)
        if done(run):
            return run
        if time.monotonic() > deadline:
            raise AssertionError(f"run {run_id} never reached the expected state: {run}")
        time.sleep(0.1)


def wait_end(store: JobStore, run_id: int) -> JobRun:
    return wait_for(store, run_id, lambda r: r.status in FINISHED)


def run_notebook(
    store: JobStore,
    *cells: str,
    parameters: str | None = None,
    values: dict[str, Any] | None = None,
    options: JobOptions | None = None,
    name: str = "nb",
    run_parameters: dict[str, Any] | None = None,
) -> JobRun:
    """Promote a notebook of ``cells`` as job ``name``, launch one run; the run as launched."""
    write_notebook(store.ws.root / f"{name}.ipynb", *cells, parameters=parameters)
    promote_notebook(store, f"{name}.ipynb", "alice", parameters=values, options=options)
    run = store.create_run(name, "dev", "manual", "alice", parameters=run_parameters)
    return launch(store, run.id)
