"""Standby workers with a kernel started ahead: each run still gets a fresh kernel of its own.

Real worker processes and real python3 kernels, as in ``test_worker.py``."""

from __future__ import annotations

import fcntl
import os
import resource
import time
from collections.abc import Iterator
from datetime import UTC
from typing import Any

import psutil
import pytest
from sqlalchemy import select

from jupyter_mlops import db
from jupyter_mlops.pipelines.definitions import StepInput, create_job, promote_notebook
from jupyter_mlops.pipelines.kernels import PreparedKernel
from jupyter_mlops.pipelines.launch import cancel, launch
from jupyter_mlops.pipelines.models import JobRun, StepRun
from jupyter_mlops.pipelines.orm import JobRunRow, JobStepRunRow
from jupyter_mlops.pipelines.processes import kernel_alive
from jupyter_mlops.pipelines.recovery import reconcile
from jupyter_mlops.pipelines.runtime import WORKER_LOG, run_dir
from jupyter_mlops.pipelines.standby import ENABLED_ENV, HANDED, Standby, readable, standbys
from jupyter_mlops.pipelines.store import JobStore
from jupyter_mlops.pytest_plugin import write_notebook
from jupyter_mlops.workspace import Workspace

from .runs import wait_end, wait_for

WARM_S = 120.0  # imports and a kernel's start, on a loaded machine
# what a step's kernel tells about itself, and whether an earlier run's variable is here
PROBE = (
    "names = sorted(globals())\n"  # before this cell bound any
    "import os, time\nimport jupyter_mlops as mlops\n"
    "mlops.output('names', names)\n"
    "mlops.output('pid', os.getpid())\n"
    # when this kernel started, to 10 ms (psutil's create_time can be a second off)
    "ticks = int(open('/proc/self/stat').read().rsplit(')', 1)[1].split()[19])\n"
    "uptime = float(open('/proc/uptime').read().split()[0])\n"
    "mlops.output('started', time.time() - uptime + ticks / os.sysconf('SC_CLK_TCK'))\n"
    "mlops.output('leaked', 'secret' in globals())\n"
    "mlops.output('run', os.environ.get('JUPYTER_MLOPS_JOB_RUN'))\n"
    "mlops.output('step', os.environ.get('JUPYTER_MLOPS_JOB_STEP'))\n"
    "mlops.output('session', __session__)\n"
    "secret = 'of this run only'"
)


@pytest.fixture
def store(mlops_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Iterator[JobStore]:
    monkeypatch.setenv(ENABLED_ENV, "true")
    yield JobStore(mlops_workspace)
    standbys().close()


def _standby(store: JobStore) -> Standby:
    """The workspace's standby once it is warm (the pool starts it when a run ends)."""
    deadline = time.monotonic() + WARM_S
    while (standby := standbys().waiting(store)) is None:
        assert time.monotonic() < deadline, "no standby worker was started"
        time.sleep(0.05)
    assert standby.wait_warm(WARM_S) is True
    return standby


def _run(store: JobStore, job: str = "probe") -> JobRun:
    return launch(store, store.create_run(job, "dev", "manual", "alice").id)


def _worker_pid(store: JobStore, run: JobRun) -> int | None:
    with db.session_scope(store.url) as session:
        return session.scalar(select(JobRunRow.worker_pid).where(JobRunRow.id == run.id))


def _step_row(store: JobStore, run: JobRun, step: str) -> JobStepRunRow:
    with db.session_scope(store.url) as session:
        row = session.scalar(
            select(JobStepRunRow).where(JobStepRunRow.run_id == run.id, JobStepRunRow.step == step)
        )
        assert row is not None
        return row


def _worker_log(store: JobStore, run: JobRun) -> str:
    return (run_dir(store.ws, run.id) / WORKER_LOG).read_text()


def _started_ahead(step: StepRun) -> bool:
    """Whether the step's kernel process started before the step did."""
    assert step.started_at is not None
    return float(step.outputs["started"]) < step.started_at.replace(tzinfo=UTC).timestamp()


def _gone(pid: int, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def test_runs_in_a_row_each_get_a_fresh_kernel_started_ahead_for_them(store: JobStore) -> None:
    write_notebook(store.ws.root / "probe.ipynb", PROBE, parameters="n = 1")
    promote_notebook(store, "probe.ipynb", "alice")
    cold = wait_end(store, _run(store).id)
    runs = [cold]
    for _ in range(2):
        standby = _standby(store)
        run = _run(store)
        assert _worker_pid(store, run) == standby.pid
        runs.append(wait_end(store, run.id))
    assert [r.status for r in runs] == ["succeeded"] * 3
    steps = [r.steps[0] for r in runs]
    pids = [s.outputs["pid"] for s in steps]
    assert len(set(pids)) == 3  # a kernel per run
    assert all(_gone(pid) for pid in pids)  # each stopped with its run
    assert [s.outputs["leaked"] for s in steps] == [False] * 3
    assert steps[1].outputs["names"] == steps[0].outputs["names"] == steps[2].outputs["names"]
    assert [s.outputs["run"] for s in steps] == [str(r.id) for r in runs]
    assert {s.outputs["step"] for s in steps} == {"probe"}
    assert {s.outputs["session"] for s in steps} == {str(store.ws.root / "probe.ipynb")}
    assert not _started_ahead(steps[0]) and HANDED not in _worker_log(store, cold)
    for run, step in zip(runs[1:], steps[1:], strict=True):
        assert _started_ahead(step)
        assert _step_row(store, run, "probe").kernel_pid == step.outputs["pid"]
        log = _worker_log(store, run)
        assert HANDED in log and f"runs in kernel {step.outputs['pid']}, started ahead" in log


def test_a_kernel_started_ahead_runs_the_first_step_only(store: JobStore) -> None:
    root = store.ws.root
    write_notebook(root / "a.ipynb", PROBE)
    write_notebook(root / "b.ipynb", PROBE + "\nmlops.output('from_a', n)", parameters="n = 0")
    create_job(
        store,
        "dag",
        [
            StepInput(name="a", notebook="a.ipynb"),
            StepInput(name="b", notebook="b.ipynb", inputs={"n": "a.pid"}),
        ],
        "alice",
    )
    wait_end(store, _run(store, "dag").id)  # cold; leaves a standby
    _standby(store)
    end = wait_end(store, _run(store, "dag").id)
    assert end.status == "succeeded"
    a, b = (next(s for s in end.steps if s.name == name) for name in ("a", "b"))
    assert _started_ahead(a) and not _started_ahead(b)
    assert b.outputs["pid"] != a.outputs["pid"] == b.outputs["from_a"]
    assert not b.outputs["leaked"] and b.outputs["step"] == "b"


def test_a_prepared_kernel_is_given_once_and_only_for_its_kernel(store: JobStore) -> None:
    kernel = PreparedKernel(store.ws.root)
    try:
        kernel.wait_ready()
        manager = kernel.take("python3")
        assert manager is not None and kernel.pid and kernel.alive()
        assert kernel.take("python3") is None  # never a second time
        kernel.discard()  # taken: its step stops it, not the worker
        assert kernel.alive()
    finally:
        from jupyter_mlops.pipelines.kernels import stop_kernel

        stop_kernel(kernel.manager, now=True)
    assert kernel.pid is not None and _gone(kernel.pid)
    other = PreparedKernel(store.ws.root)
    assert other.take("ir") is None  # another kernel asked: this one is stopped at once
    assert other.pid is not None and _gone(other.pid) and other.take("python3") is None


def test_a_standby_is_taken_by_one_launch_and_an_idle_one_ends_with_its_kernel(
    store: JobStore,
) -> None:
    pool = standbys()
    standby = pool.replenish(store)
    assert standby is not None and pool.replenish(store) is standby  # one per workspace
    assert standby.wait_warm(WARM_S) is True
    [kernel] = psutil.Process(standby.pid).children()
    assert pool.take(store) is standby and pool.take(store) is None
    standby.close()  # let go before a run came
    assert _gone(standby.pid) and _gone(kernel.pid)


def test_a_run_in_a_kernel_started_ahead_is_known_alive_then_cancelled_with_it(
    store: JobStore,
) -> None:
    write_notebook(
        store.ws.root / "slow.ipynb", PROBE + "\nimport time\ntime.sleep(120)", parameters="n = 1"
    )
    promote_notebook(store, "slow.ipynb", "alice")
    pool: Any = standbys()
    pool.replenish(store)
    _standby(store)
    run = _run(store, "slow")
    running = wait_for(store, run.id, lambda r: "pid" in r.steps[0].outputs)
    step = running.steps[0]
    assert _started_ahead(step)
    row = _step_row(store, run, "slow")
    assert row.kernel_pid == step.outputs["pid"]
    assert kernel_alive(row.kernel_pid, row.started_at, row.kernel_started_at)
    assert reconcile(store) == []  # its standby is known as its live worker
    ended = cancel(store, run.id, "bob")
    assert ended.status == "cancelled" and ended.steps[0].status == "cancelled"
    assert _gone(step.outputs["pid"])


def test_a_standby_started_before_the_environment_changed_is_not_used(
    store: JobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_notebook(
        store.ws.root / "env.ipynb",
        "import os\nimport jupyter_mlops as mlops\n"
        "mlops.output('flag', os.environ.get('MLOPS_TEST_FLAG'))",
    )
    promote_notebook(store, "env.ipynb", "alice")
    wait_end(store, _run(store, "env").id)
    standby = _standby(store)
    monkeypatch.setenv("MLOPS_TEST_FLAG", "set since")  # a new worker would see it
    run = _run(store, "env")
    assert _worker_pid(store, run) != standby.pid and _gone(standby.pid)
    assert wait_end(store, run.id).steps[0].outputs == {"flag": "set since"}


def test_readiness_is_read_from_descriptors_past_1023() -> None:
    """A long-lived server holds more than 1024 files: the warm pipe of a standby it starts
    then has a descriptor past 1023, which ``select.select`` refuses."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft <= 2048:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
    read_end, write_end = os.pipe()
    high = fcntl.fcntl(read_end, fcntl.F_DUPFD, 2000)
    try:
        assert high >= 2000
        assert readable(high, 0.05) is False
        os.write(write_end, b"warm")
        assert readable(high, 5.0) is True
    finally:
        for fd in (read_end, write_end, high):
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
