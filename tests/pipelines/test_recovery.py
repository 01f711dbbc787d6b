"""Runs whose worker vanished: found by reconcile (or cancel), never left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import nbformat
import pytest
from sqlalchemy import select, update

from jupyter_mlops import db
from jupyter_mlops.errors import Conflict
from jupyter_mlops.pipelines.definitions import JobOptions, promote_notebook
from jupyter_mlops.pipelines.launch import cancel, launch
from jupyter_mlops.pipelines.orm import JobRunRow, JobStepRunRow
from jupyter_mlops.pipelines.processes import STANDBY_MAX_AGE_S, kernel_alive, worker_alive
from jupyter_mlops.pipelines.recovery import INTERRUPTED, reconcile
from jupyter_mlops.pipelines.runtime import executed_notebook, staged_notebook
from jupyter_mlops.pipelines.store import JobStore, now
from jupyter_mlops.pytest_plugin import write_notebook
from jupyter_mlops.workspace import Workspace

from .runs import run_notebook, wait_end, wait_for

SLOW = ("print('first cell done', flush=True)", "import time\ntime.sleep(60)")


@pytest.fixture
def store(mlops_workspace: Workspace) -> JobStore:
    return JobStore(mlops_workspace)


def _rows(store: JobStore, run_id: int) -> tuple[JobRunRow, JobStepRunRow]:
    with db.session_scope(store.url) as session:
        run = session.get(JobRunRow, run_id)
        step = session.scalar(select(JobStepRunRow).where(JobStepRunRow.run_id == run_id))
        assert run is not None and step is not None
        return run, step


def _kill_worker_mid_run(store: JobStore, run_id: int) -> JobStepRunRow:
    """Wait until the first cell is saved in the staging notebook, then SIGKILL the worker's
    process group as a crashing machine would; returns the step row (with its kernel)."""
    path = staged_notebook(store.ws, run_id, "nb")
    wait_for(store, run_id, lambda r: path.is_file() and "first cell done" in path.read_text())
    run, step = _rows(store, run_id)
    assert run.worker_pid and worker_alive(run.worker_pid, run_id, run.started_at)
    os.killpg(run.worker_pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while worker_alive(run.worker_pid, run_id, run.started_at):
        assert time.monotonic() < deadline, "the worker outlived SIGKILL"
        time.sleep(0.05)
    return step


def _gone(step: JobStepRunRow) -> bool:
    deadline = time.monotonic() + 10
    while kernel_alive(step.kernel_pid, step.started_at, step.kernel_started_at):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_killed_worker_is_found_and_its_run_failed_with_the_partial_notebook_kept(
    store: JobStore,
) -> None:
    run = run_notebook(store, *SLOW)
    step = _kill_worker_mid_run(store, run.id)
    assert store.get_run(run.id).status == "running"
    assert reconcile(store) == [run.id]
    ended = store.get_run(run.id)
    assert (ended.status, ended.error, ended.finished_at is not None) == (
        "failed",
        INTERRUPTED,
        True,
    )
    assert ended.steps[0].status == "failed" and ended.steps[0].notebook_object
    nb = nbformat.reads(executed_notebook(store, run.id, "nb").decode(), as_version=4)  # type: ignore[no-untyped-call]
    assert "first cell done" in str(nb.cells)
    assert _gone(step)  # the kernel the dead worker left behind was stopped
    assert reconcile(store) == []


def test_an_interrupted_run_with_attempts_left_is_queued_again(store: JobStore) -> None:
    run = run_notebook(store, *SLOW, options=JobOptions(retries=1, retry_backoff_s=0))
    _kill_worker_mid_run(store, run.id)
    assert reconcile(store) == [run.id]
    queued = store.get_run(run.id)
    assert (queued.status, queued.attempt) == ("queued", 2)
    assert INTERRUPTED in (queued.error or "")
    assert queued.steps[0].status == "pending" and queued.steps[0].notebook_object


def test_cancel_after_the_worker_is_gone_ends_the_run_and_stops_its_kernel(
    store: JobStore,
) -> None:
    run = run_notebook(store, *SLOW)
    step = _kill_worker_mid_run(store, run.id)
    ended = cancel(store, run.id, "bob")
    assert ended.status == "cancelled" and ended.error == "cancelled by bob"
    assert ended.steps[0].status == "cancelled" and ended.steps[0].notebook_object
    assert _gone(step)


def test_a_stale_heartbeat_from_another_host_fails_the_run_and_a_fresh_one_is_left_alone(
    store: JobStore,
) -> None:
    write_notebook(store.ws.root / "nb.ipynb", "print(1)")
    promote_notebook(store, "nb.ipynb", "alice")
    stale = store.create_run("nb", "dev", "manual", "alice")
    fresh = store.create_run("nb", "dev", "manual", "alice")
    for run_id, beat in ((stale.id, now() - timedelta(seconds=90)), (fresh.id, now())):
        store.move_run(
            run_id,
            ["queued"],
            status="running",
            started_at=beat,
            heartbeat_at=beat,
            worker_host="another-host",
            worker_pid=12345,
        )
    store.update_step(stale.id, "nb", status="running")
    assert reconcile(store) == [stale.id]
    ended = store.get_run(stale.id)
    assert (ended.status, ended.error, ended.steps[0].status) == ("failed", INTERRUPTED, "failed")
    assert store.get_run(fresh.id).status == "running"


def test_a_reused_pid_is_not_taken_for_a_worker_or_a_kernel() -> None:
    started = now()
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert not worker_alive(other.pid, 1, started)  # not our worker's command line
        assert not worker_alive(None, 1, started) and not worker_alive(2**22 + 7, 1, started)
        assert kernel_alive(other.pid, started, now())
        # a step that started after this process, by more than a standby worker starts its
        # first step's kernel ahead
        later = now() + timedelta(seconds=STANDBY_MAX_AGE_S + 30)
        assert not kernel_alive(other.pid, later, later)
        assert not kernel_alive(other.pid, None, started - timedelta(seconds=30))
    finally:
        other.kill()
        other.wait()
    assert not kernel_alive(other.pid, started, now())


def test_a_run_outlives_the_process_that_launched_it(store: JobStore) -> None:
    """The worker runs in its own session: a server killed right after launching (SIGKILL,
    as a crash) takes nothing with it, and the run ends on its own."""
    write_notebook(store.ws.root / "nb.ipynb", "import time\ntime.sleep(1)\nprint('done')")
    promote_notebook(store, "nb.ipynb", "alice")
    run = store.create_run("nb", "dev", "manual", "alice")
    server = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal, sys\n"
            "from jupyter_mlops.pipelines.launch import launch\n"
            "from jupyter_mlops.pipelines.store import JobStore\n"
            "from jupyter_mlops.workspace import resolve_workspace\n"
            f"launch(JobStore(resolve_workspace()), {run.id})\n"
            "os.kill(os.getpid(), signal.SIGKILL)",
        ],
        env={**os.environ, "JUPYTER_MLOPS_ROOT": str(store.ws.root)},
        capture_output=True,
    )
    assert server.returncode == -signal.SIGKILL, server.stderr
    ended = wait_for(store, run.id, lambda r: r.status not in ("queued", "running"))
    assert ended.status == "succeeded" and ended.steps[0].notebook_object
    assert reconcile(store) == []


def test_a_live_worker_on_this_host_is_left_alone_however_late_its_heartbeat(
    store: JobStore,
) -> None:
    """After the machine slept (or the DB stayed locked), a heartbeat is late but the worker
    lives: the process table, not the clock, decides on this host."""
    run = run_notebook(store, "import time\ntime.sleep(3)\nprint('done')")
    wait_for(store, run.id, lambda r: r.steps[0].kernel_started_at is not None)
    with db.session_scope(store.url) as session:
        session.execute(
            update(JobRunRow)
            .where(JobRunRow.id == run.id)
            .values(heartbeat_at=now() - timedelta(minutes=10))
        )
    assert reconcile(store) == []
    assert wait_end(store, run.id).status == "succeeded"


def test_an_interrupted_run_of_another_host_is_not_queued_again(store: JobStore) -> None:
    """Its worker may only be silent, not dead: queuing it again could run it twice."""
    write_notebook(store.ws.root / "nb.ipynb", "print(1)")
    promote_notebook(store, "nb.ipynb", "alice", options=JobOptions(retries=3))
    run = store.create_run("nb", "dev", "manual", "alice")
    beat = now() - timedelta(seconds=90)
    store.move_run(
        run.id, ["queued"], status="running", started_at=beat, heartbeat_at=beat,
        worker_host="another-host", worker_pid=12345,
    )  # fmt: skip
    assert reconcile(store) == [run.id]
    assert (store.get_run(run.id).status, store.get_run(run.id).attempt) == ("failed", 1)


def test_a_cancel_during_a_failing_attempt_is_not_undone_by_the_retry(store: JobStore) -> None:
    run = run_notebook(
        store,
        "import time\ntime.sleep(2)\nraise ValueError('boom')",
        options=JobOptions(retries=2, retry_backoff_s=0),
    )
    wait_for(store, run.id, lambda r: r.steps[0].kernel_started_at is not None)
    flagged = store.request_cancel(run.id, "bob")  # flags it; the cell then fails anyway
    assert flagged.status == "running" and flagged.cancel_requested
    ended = wait_end(store, run.id)
    assert (ended.status, ended.attempt) == ("cancelled", 1)
    with pytest.raises(Conflict):
        launch(store, run.id)


def test_a_retry_the_store_is_asked_for_after_a_cancel_ends_the_run_cancelled(
    store: JobStore,
) -> None:
    write_notebook(store.ws.root / "nb.ipynb", "print(1)")
    promote_notebook(store, "nb.ipynb", "alice", options=JobOptions(retries=3))
    run = store.create_run("nb", "dev", "manual", "alice")
    store.move_run(run.id, ["queued"], status="running", started_at=now(), heartbeat_at=now())
    store.request_cancel(run.id, "bob")
    spec = store.version("nb").spec
    ended = store.requeue_run(run.id, spec, error="attempt 1 failed")
    assert (ended.status, ended.attempt, ended.error) == (
        "cancelled",
        1,
        "cancelled during attempt 1",
    )
    with pytest.raises(Conflict):
        store.requeue_run(run.id, spec)


def test_waiting_for_a_run_launches_its_retry_when_no_scheduler_does(store: JobStore) -> None:
    """From a shell without Lab or a scheduler, run --wait still ends: the waiter launches
    the queued retry once it is due."""
    from jupyter_mlops.pipelines.queries import wait_for_run

    marker = store.ws.root / "second-try"
    cell = f"import pathlib\np = pathlib.Path({str(marker)!r})\nif not p.exists():\n"
    cell += "    p.touch()\n    raise RuntimeError('first attempt fails')"
    run = run_notebook(store, cell, options=JobOptions(retries=1, retry_backoff_s=0))
    ended = wait_for_run(store, run.id, timeout=240)
    assert (ended.status, ended.attempt) == ("succeeded", 2)
