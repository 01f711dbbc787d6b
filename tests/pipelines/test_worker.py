"""Job runs executed for real: a worker process, papermill, a python3 kernel per step."""

from __future__ import annotations

import time
from datetime import datetime

import nbformat
import psutil
import pytest
from mlflow.tracking import MlflowClient
from sqlalchemy import select

from jupyter_mlops import db
from jupyter_mlops.errors import Conflict, NotFound
from jupyter_mlops.objects import ObjectStore
from jupyter_mlops.pipelines.definitions import JobOptions, StepInput, create_job, promote_notebook
from jupyter_mlops.pipelines.launch import cancel, launch
from jupyter_mlops.pipelines.mlflow_runs import StoreWatch, tagged_runs
from jupyter_mlops.pipelines.models import JobRun
from jupyter_mlops.pipelines.orm import JobRunRow, JobStepRunRow
from jupyter_mlops.pipelines.processes import kernel_alive
from jupyter_mlops.pipelines.runtime import executed_notebook, log_tail, notebook_html
from jupyter_mlops.pipelines.store import JobStore
from jupyter_mlops.pipelines.worker import run_worker
from jupyter_mlops.pytest_plugin import write_notebook
from jupyter_mlops.workspace import Workspace

from .runs import run_notebook, wait_end, wait_for

OUTPUT = "import jupyter_mlops as mlops\n"


@pytest.fixture
def store(mlops_workspace: Workspace) -> JobStore:
    return JobStore(mlops_workspace)


def _notebook(store: JobStore, run: JobRun, step: str) -> nbformat.NotebookNode:
    data = executed_notebook(store, run.id, step)
    return nbformat.reads(data.decode(), as_version=4)  # type: ignore[no-untyped-call]


def _texts(nb: nbformat.NotebookNode) -> str:
    return "".join(
        "".join(out.get("text", "")) for cell in nb.cells for out in cell.get("outputs", [])
    )


def test_a_run_succeeds_with_outputs_and_its_notebook_html_and_log_published(
    store: JobStore,
) -> None:
    run = run_notebook(
        store,
        OUTPUT + "mlops.output('doubled', alpha * 2)\nmlops.output('tags', ['a', {'b': None}])",
        "print('alpha is', alpha)",
        parameters="alpha = 0.5",
        values={"alpha": 2},
    )
    assert run.status == "running"
    with pytest.raises(Conflict, match="is running, not queued"):
        launch(store, run.id)  # launched once only
    end = wait_end(store, run.id)
    assert end.status == "succeeded" and end.error is None and end.finished_at
    (step,) = end.steps
    assert step.status == "succeeded" and step.attempt == 1 and step.kernel_started_at
    assert step.outputs == {"doubled": 4.0, "tags": ["a", {"b": None}]}
    assert end.mlflow_run_ids == []
    objects = ObjectStore(store.ws.object_store_url)
    assert step.notebook_object and step.html_object and step.log_object
    assert all(objects.exists(o) for o in (step.notebook_object, step.html_object, step.log_object))
    nb = _notebook(store, end, "nb")
    assert "alpha is 2.0" in _texts(nb)
    assert executed_notebook(store, run.id, "nb") == objects.read_bytes(step.notebook_object)
    html = notebook_html(store, run.id, "nb")
    assert "<html" in html and "alpha is 2.0" in html
    assert "alpha is 2.0" in log_tail(store, run.id, "nb")
    assert "ended succeeded" in log_tail(store, run.id, None)
    assert log_tail(store, run.id, "nb", max_bytes=40).count("\n") <= 2


def test_a_raising_cell_fails_the_run_and_keeps_its_notebook(store: JobStore) -> None:
    run = run_notebook(store, "print('before')", "raise ValueError('boom')", "print('never')")
    end = wait_end(store, run.id)
    (step,) = end.steps
    assert (end.status, step.status) == ("failed", "failed")
    assert step.error == "ValueError: boom" and "ValueError: boom" in (end.error or "")
    assert step.notebook_object and step.html_object
    nb = _notebook(store, end, "nb")
    assert step.failed_cell is not None
    assert nb.cells[step.failed_cell].source == "raise ValueError('boom')"
    assert "before" in _texts(nb) and "never" not in _texts(nb)


def test_the_jobs_kernel_is_used_and_an_unknown_one_fails_the_step(store: JobStore) -> None:
    run = run_notebook(store, "print(1)", options=JobOptions(kernel="no-such-kernel"))
    end = wait_end(store, run.id)
    assert end.status == "failed" and "no-such-kernel" in (end.steps[0].error or "")


def test_a_kernel_that_dies_fails_the_run(store: JobStore) -> None:
    run = run_notebook(store, "print('alive')", "import os\nos._exit(1)", "print('never')")
    end = wait_end(store, run.id)
    (step,) = end.steps
    assert (end.status, step.status, step.error) == ("failed", "failed", "kernel died")
    assert step.notebook_object and "alive" in _texts(_notebook(store, end, "nb"))


def test_a_run_past_its_timeout_is_timed_out_with_its_notebook_kept(store: JobStore) -> None:
    run = run_notebook(
        store,
        "print('started', flush=True)",
        "import time\ntime.sleep(60)",
        options=JobOptions(timeout_s=6),
    )
    end = wait_end(store, run.id)
    (step,) = end.steps
    assert (end.status, step.status) == ("timed_out", "timed_out")
    assert "timeout of 6 s" in (step.error or "")
    assert step.notebook_object and "started" in _texts(_notebook(store, end, "nb"))


def test_the_timeout_covers_the_whole_run_not_each_step(store: JobStore) -> None:
    root = store.ws.root
    write_notebook(root / "slow.ipynb", "import time\ntime.sleep(60)")
    write_notebook(root / "other.ipynb", "print('other ran')")
    create_job(
        store,
        "deadline",
        [
            StepInput(name="first", notebook="slow.ipynb"),
            StepInput(name="second", notebook="other.ipynb"),  # independent of the first
        ],
        "alice",
        options=JobOptions(timeout_s=6),
    )
    run = launch(store, store.create_run("deadline", "dev", "manual", "alice").id)
    end = wait_end(store, run.id)
    first, second = sorted(end.steps, key=lambda s: s.name)  # run in name order
    assert (end.status, first.status, second.status) == ("timed_out", "timed_out", "skipped")
    assert second.error == "not run: the run was timed out"


def _kernel(store: JobStore, run_id: int, step: str) -> JobStepRunRow:
    with db.session_scope(store.url) as session:
        row = session.scalar(
            select(JobStepRunRow).where(JobStepRunRow.run_id == run_id, JobStepRunRow.step == step)
        )
        assert row is not None
        return row


def _kernel_gone(store: JobStore, run_id: int, step: str) -> bool:
    row = _kernel(store, run_id, step)
    deadline = time.monotonic() + 10
    while kernel_alive(row.kernel_pid, row.started_at, row.kernel_started_at):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _heartbeat(store: JobStore, run_id: int) -> datetime:
    with db.session_scope(store.url) as session:
        row = session.get(JobRunRow, run_id)
        assert row is not None and row.heartbeat_at is not None
        return row.heartbeat_at


def _staged_text(store: JobStore, run_id: int) -> str:
    try:
        return executed_notebook(store, run_id, "nb").decode()
    except NotFound:
        return ""


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_cancel_mid_run_stops_the_kernels_process_group_and_ends_cancelled(
    store: JobStore,
) -> None:
    run = run_notebook(
        store,
        OUTPUT + "import subprocess\nchild = subprocess.Popen(['sleep', '300'])\n"
        "mlops.output('child', child.pid)\nprint('ready', flush=True)",
        "import time\ntime.sleep(60)",
    )
    running = wait_for(store, run.id, lambda r: "child" in r.steps[0].outputs)
    child = running.steps[0].outputs["child"]
    assert _alive(child)
    row = _kernel(store, run.id, "nb")
    assert kernel_alive(row.kernel_pid, row.started_at, row.kernel_started_at)
    wait_for(store, run.id, lambda r: _heartbeat(store, r.id) > (r.started_at or r.created_at))
    partial = wait_for(store, run.id, lambda r: "ready" in _staged_text(store, r.id))
    assert partial.status == "running" and "ready" in notebook_html(store, run.id, "nb")
    ended = cancel(store, run.id, "bob")
    assert ended.status == "cancelled" and ended.steps[0].status == "cancelled"
    assert ended.cancel_requested and ended.finished_at
    assert _kernel_gone(store, run.id, "nb")
    deadline = time.monotonic() + 10
    while _alive(child):  # the kernel's child went with its process group
        assert time.monotonic() < deadline, "the kernel's child process outlived the cancel"
        time.sleep(0.05)
    assert ended.steps[0].notebook_object  # what ran so far is kept
    assert "ready" in _texts(_notebook(store, ended, "nb"))


def test_launch_and_cancel_refuse_runs_in_the_wrong_state(store: JobStore) -> None:
    write_notebook(store.ws.root / "nb.ipynb", "print(1)")
    promote_notebook(store, "nb.ipynb", "alice")
    run = store.create_run("nb", "dev", "manual", "alice")
    with pytest.raises(NotFound, match="has no step 'other'"):
        executed_notebook(store, run.id, "other")
    with pytest.raises(NotFound, match="no executed notebook yet"):
        executed_notebook(store, run.id, "nb")
    with pytest.raises(NotFound, match="no log yet"):
        log_tail(store, run.id, "nb")
    assert run_worker(store, run.id).status == "queued"  # a worker only runs a running run
    queued = cancel(store, run.id, "bob")
    assert queued.status == "cancelled" and "bob" in (queued.error or "")
    with pytest.raises(Conflict, match="is cancelled, not queued"):
        launch(store, run.id)
    with pytest.raises(Conflict, match="already ended"):
        cancel(store, run.id, "bob")


def test_a_failed_attempt_is_retried_and_succeeded_steps_are_not_run_again(
    store: JobStore,
) -> None:
    root = store.ws.root
    write_notebook(
        root / "count.ipynb",
        OUTPUT + "with open('count.txt', 'a') as fh:\n    fh.write('x')\nmlops.output('n', 7)",
    )
    write_notebook(
        root / "flaky.ipynb",
        "import os\nif not os.path.exists(marker):\n    open(marker, 'w').close()\n"
        "    raise RuntimeError('first attempt fails')",
        "print('got', n)",
        parameters="marker = ''\nn = 0",
    )
    create_job(
        store,
        "retry",
        [
            StepInput(name="count", notebook="count.ipynb"),
            StepInput(
                name="flaky",
                notebook="flaky.ipynb",
                parameters={"marker": "marker.txt"},
                inputs={"n": "count.n"},
            ),
        ],
        "alice",
        options=JobOptions(retries=2, retry_backoff_s=0),
    )
    run = launch(store, store.create_run("retry", "dev", "manual", "alice").id)
    queued = wait_for(store, run.id, lambda r: r.status != "running")
    assert (queued.status, queued.attempt) == ("queued", 2)
    assert "first attempt fails" in (queued.error or "")
    assert [s.status for s in queued.steps] == ["succeeded", "pending"]
    first_attempt = queued.steps[1].notebook_object  # the failed attempt's notebook is kept
    assert first_attempt and "first attempt fails" in str(_notebook(store, queued, "flaky").cells)
    launch(store, run.id)
    end = wait_end(store, run.id)
    assert (end.status, end.attempt) == ("succeeded", 2)
    count, flaky = end.steps
    assert (count.attempt, flaky.attempt) == (1, 2)
    assert count.outputs == {"n": 7}
    assert (root / "count.txt").read_text() == "x"  # the succeeded step ran once
    assert "got 7" in _texts(_notebook(store, end, "flaky"))
    assert flaky.notebook_object != first_attempt


def test_a_retry_waits_for_its_backoff(store: JobStore) -> None:
    run = run_notebook(store, "raise RuntimeError('no')", options=JobOptions(retries=1))
    queued = wait_for(store, run.id, lambda r: r.status != "running")
    assert queued.status == "queued" and queued.not_before > queued.created_at
    with pytest.raises(Conflict, match="waits until"):
        launch(store, run.id)


def test_a_pipeline_feeds_outputs_downstream_and_a_failure_skips_only_its_dependents(
    store: JobStore,
) -> None:
    root = store.ws.root
    write_notebook(root / "a.ipynb", OUTPUT + "mlops.output('n', 21)")
    write_notebook(root / "b.ipynb", OUTPUT + "mlops.output('double', n * 2)", parameters="n = 0")
    write_notebook(root / "c.ipynb", "raise KeyError('c broke')")
    write_notebook(root / "d.ipynb", "print('d ran')")
    create_job(
        store,
        "dag",
        [
            StepInput(name="a", notebook="a.ipynb"),
            StepInput(name="b", notebook="b.ipynb", inputs={"n": "a.n"}),
            StepInput(name="c", notebook="c.ipynb"),
            StepInput(name="d", notebook="d.ipynb", depends_on=["c"]),
        ],
        "alice",
    )
    run = launch(store, store.create_run("dag", "dev", "manual", "alice").id)
    end = wait_end(store, run.id)
    steps = {s.name: s for s in end.steps}
    assert end.status == "failed" and "c broke" in (end.error or "")
    assert {n: s.status for n, s in steps.items()} == {
        "a": "succeeded",
        "b": "succeeded",
        "c": "failed",
        "d": "skipped",
    }
    assert steps["b"].outputs == {"double": 42}
    assert "c" in (steps["d"].error or "") and steps["d"].notebook_object is None


def test_a_string_parameter_with_quotes_and_newlines_arrives_literally(store: JobStore) -> None:
    text = "He said \"hi\";\n'x' = {1}\\n\n\ttab ünï \"\"\" ''' #"
    run = run_notebook(
        store,
        OUTPUT + "mlops.output('seen', s)",
        parameters="s = 'default'",
        run_parameters={"s": text},
    )
    end = wait_end(store, run.id)
    assert end.status == "succeeded", end.error
    assert end.steps[0].outputs == {"seen": text}


def test_track_inside_a_job_run_is_tagged_and_recorded(store: JobStore) -> None:
    run = run_notebook(
        store,
        "%load_ext jupyter_mlops",
        "%%track --no-autolog\nimport jupyter_mlops as mlops\nmlops.log_metrics({'acc': 0.9})",
        name="trained",
    )
    end = wait_end(store, run.id)
    assert end.status == "succeeded", end.error
    assert len(end.mlflow_run_ids) == 1
    client = MlflowClient(tracking_uri=store.ws.tracking_uri)
    tracked = client.get_run(end.mlflow_run_ids[0])
    assert {k: v for k, v in tracked.data.tags.items() if k.startswith("mlops.job")} == {
        "mlops.job": "trained",
        "mlops.job.version": "1",
        "mlops.job.stage": "dev",
        "mlops.job.run": str(run.id),
    }
    assert tracked.data.metrics == {"acc": 0.9}


def test_the_mlflow_store_counts_as_written_once_something_is_tracked(store: JobStore) -> None:
    watch = StoreWatch(store.ws)
    assert not watch.changed()
    client = MlflowClient(tracking_uri=store.ws.tracking_uri)
    experiment = client.create_experiment("elsewhere")
    assert watch.changed()
    tagged = client.create_run(experiment, tags={"mlops.job.run": "7"}).info.run_id
    client.create_run(experiment, tags={"mlops.job.run": "8"})
    assert tagged_runs(store.ws, 7) == [tagged]
