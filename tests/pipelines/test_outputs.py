"""mlops.output: checked always, stored only inside a job step (its kernel's environment)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import jupyter_mlops as mlops
from jupyter_mlops import db
from jupyter_mlops.errors import Invalid, NotFound
from jupyter_mlops.job_context import JobContext, job_context, job_tags
from jupyter_mlops.pipelines import outputs
from jupyter_mlops.pipelines.definitions import promote_notebook
from jupyter_mlops.pipelines.models import JobRun
from jupyter_mlops.pipelines.orm import JobStepRunRow
from jupyter_mlops.pipelines.store import JobStore
from jupyter_mlops.pytest_plugin import write_notebook
from jupyter_mlops.workspace import Workspace


@pytest.fixture
def store(mlops_workspace: Workspace) -> JobStore:
    return JobStore(mlops_workspace)


@pytest.fixture
def in_job(store: JobStore, monkeypatch: pytest.MonkeyPatch) -> JobRun:
    """This process runs as step ``nb`` of a queued run of job ``nb``."""
    write_notebook(store.ws.root / "nb.ipynb", "print(1)")
    promote_notebook(store, "nb.ipynb", "alice")
    run = store.create_run("nb", "dev", "manual", "alice")
    for key, value in JobContext("nb", 1, "dev", run.id, "nb").env().items():
        monkeypatch.setenv(key, value)
    return run


def test_outside_a_job_the_value_is_returned_and_nothing_is_stored() -> None:
    assert job_context() is None and job_tags() == {}
    value = {"a": [1, 2.5, None, "x"]}
    assert mlops.output("metrics", value) is value


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("bad name", 1, "not a valid Python identifier"),
        ("class", 1, "not a valid Python identifier"),
        ("x=1;import os#", 1, "not a valid Python identifier"),
        ("ok", math.nan, "not a JSON number"),
        ("ok", {1: "int key"}, "output 'ok'"),
        ("ok", object(), "not a JSON value"),
        ("ok", "x" * (1024 * 1024 + 1), "bytes as JSON"),
    ],
)
def test_bad_names_and_values_are_refused_also_outside_a_job(
    name: str, value: object, problem: str
) -> None:
    with pytest.raises(Invalid, match=problem):
        mlops.output(name, value)


def test_inside_a_job_outputs_accumulate_on_the_step_row(store: JobStore, in_job: JobRun) -> None:
    assert mlops.output("accuracy", np.float64(0.93)) == 0.93
    mlops.output("n", np.int64(3))
    mlops.output("accuracy", 0.95)  # a later value replaces the earlier one
    assert store.get_run(in_job.id).steps[0].outputs == {"accuracy": 0.95, "n": 3}
    assert job_tags() == {
        "mlops.job": "nb",
        "mlops.job.version": "1",
        "mlops.job.stage": "dev",
        "mlops.job.run": str(in_job.id),
    }


def test_concurrent_outputs_are_all_kept(store: JobStore, in_job: JobRun) -> None:
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: mlops.output(f"v{i}", i), range(40)))
    assert store.get_run(in_job.id).steps[0].outputs == {f"v{i}": i for i in range(40)}


def test_an_unknown_step_is_not_found(
    store: JobStore, in_job: JobRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_MLOPS_JOB_STEP", "elsewhere")
    with pytest.raises(NotFound, match="no step 'elsewhere'"):
        mlops.output("x", 1)


def test_a_job_kernel_stores_outputs_without_importing_sqlalchemy(
    store: JobStore, in_job: JobRun
) -> None:
    code = (
        "import sys\nimport jupyter_mlops as mlops\nmlops.output('x', [1, 'two'])\n"
        "print('sqlalchemy' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert done.stdout.strip() == "False"  # a SQLite state DB: the standard library's sqlite3
    assert store.get_run(in_job.id).steps[0].outputs == {"x": [1, "two"]}


def test_the_orm_path_stores_the_same_and_both_know_the_schema(
    store: JobStore, in_job: JobRun
) -> None:
    context = job_context()
    assert context is not None
    outputs._store_orm(store.url, context, "a", "1")  # as on a PostgreSQL state DB
    mlops.output("b", 2)
    assert store.get_run(in_job.id).steps[0].outputs == {"a": 1, "b": 2}
    missing = JobContext("nb", 1, "dev", in_job.id, "elsewhere")
    with pytest.raises(NotFound, match="no step 'elsewhere'"):
        outputs._store_orm(store.url, missing, "a", "1")
    assert JobStepRunRow.__tablename__ == outputs.STEP_RUNS_TABLE
    assert outputs.SQLITE_BUSY_TIMEOUT_S * 1000 == db.SQLITE_BUSY_TIMEOUT_MS


def test_in_team_mode_outputs_go_to_the_steps_file_and_the_worker_stores_them(
    store: JobStore, in_job: JobRun, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A kernel the team service started holds no state DB credentials: it appends to the
    file the worker named, and the worker stores each name's last valid value."""
    monkeypatch.setenv("JUPYTER_MLOPS_SERVICE_URL", "http://127.0.0.1:1/services/mlops")
    with pytest.raises(Invalid, match="outputs file"):
        mlops.output("accuracy", 0.9)
    published = tmp_path / "step.outputs.jsonl"
    monkeypatch.setenv(outputs.OUTPUTS_FILE_ENV, str(published))
    mlops.output("accuracy", 0.9)
    mlops.output("accuracy", 0.93)
    mlops.output("classes", ["a", "b"])
    with published.open("a") as fh:
        fh.write('{"name": "bad name", "value": 1}\n{"name": "cut", "val')  # not stored
    assert store.get_run(in_job.id).steps[0].outputs == {}  # nothing stored by the kernel
    context = job_context()
    assert context is not None
    outputs.store_published(store.url, context, published)
    assert store.get_run(in_job.id).steps[0].outputs == {"accuracy": 0.93, "classes": ["a", "b"]}
