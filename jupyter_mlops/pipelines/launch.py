"""Starting a queued run in its own worker process, and cancelling a run.

``launch`` claims the run by a compare-and-set from ``queued`` (only once its retry backoff
has passed), then hands it to the standby worker the process keeps ready (``standby.py``),
or starts ``python -m jupyter_mlops.pipelines.worker RUN_ID`` in a new session, detached
from the caller: either outlives the Jupyter server that started it.
``cancel`` stops a running run's worker and kernel process groups (SIGTERM, then SIGKILL);
when the worker is already gone (a restart) it ends the run itself, so a cancelled run
never stays ``running``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import update

from .. import db
from ..errors import Conflict
from ..job_context import RUN_ENV, STEP_ENV
from ..state import now
from .models import JobRun
from .orm import JobRunRow
from .processes import WORKER_MODULE, hostname, signal_group, worker_alive
from .recovery import end_abandoned, stop_kernels
from .runtime import WORKER_LOG, run_dir
from .store import JobStore, run_row

CANCEL_GRACE_S = 10.0


def _claim(store: JobStore, run_id: int) -> None:
    at = now()
    with db.session_scope(store.url) as session:
        changed = session.execute(
            update(JobRunRow)
            .where(
                JobRunRow.id == run_id,
                JobRunRow.status == "queued",
                JobRunRow.cancel_requested.is_(False),
                JobRunRow.not_before <= at,
            )
            .values(
                status="running",
                started_at=at,
                finished_at=None,
                worker_host=hostname(),
                worker_pid=None,
                heartbeat_at=at,
            )
        ).rowcount  # type: ignore[attr-defined]
        if not changed:
            row = run_row(session, run_id)
            if row.status == "queued":
                raise Conflict(f"job run {run_id} waits until {row.not_before} UTC to retry")
            raise Conflict(f"job run {run_id} is {row.status}, not queued")


def worker_env(store: JobStore) -> dict[str, str]:
    """The environment of a worker process: this process's, with the workspace's settings
    and none of a job step's."""
    env = {k: v for k, v in os.environ.items() if k not in (RUN_ENV, STEP_ENV)}
    return {**env, **store.ws.env()}


def spawn_detached(
    store: JobStore,
    argv: list[str],
    log: Path,
    stdin: int,
    *,
    pass_fds: tuple[int, ...] = (),
    extra_env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``python -m …`` in a session of its own (it outlives the server), in the
    workspace's root and environment (``worker_env``), appending to ``log``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", *argv],
            stdin=stdin,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=store.ws.root,
            env={**worker_env(store), **(extra_env or {})},
            start_new_session=True,
            close_fds=True,
            pass_fds=pass_fds,
        )


def launch(store: JobStore, run_id: int) -> JobRun:
    """Move run ``run_id`` from ``queued`` to ``running`` and start it: in the standby
    worker this process keeps for the workspace when one is ready (``standby.py``), else in
    a new worker process. When the run's worker ends, a standby is started for the next run.

    Conflict if the run is not queued (someone else launched it) or its retry backoff has
    not passed yet.
    """
    from .standby import standbys

    _claim(store, run_id)
    pool = standbys()
    standby = pool.take(store)
    if standby is not None and standby.hand(run_id, then=lambda: pool.replenish(store)):
        return _worker_started(store, run_id, standby.pid)
    log = run_dir(store.ws, run_id) / WORKER_LOG
    try:
        proc = spawn_detached(store, [WORKER_MODULE, str(run_id)], log, subprocess.DEVNULL)
    except OSError as exc:
        store.move_run(
            run_id,
            ["running"],
            status="failed",
            finished_at=now(),
            error=f"the worker process could not start: {exc}",
        )
        raise

    def reap() -> None:  # (it would linger as a zombie of this process)
        proc.wait()
        pool.replenish(store)

    threading.Thread(target=reap, name=f"job-run-{run_id}-reaper", daemon=True).start()
    return _worker_started(store, run_id, proc.pid)


def _worker_started(store: JobStore, run_id: int, pid: int) -> JobRun:
    try:
        return store.move_run(run_id, ["running"], worker_pid=pid)
    except Conflict:  # it already ended
        return store.get_run(run_id)


def _wait_ended(store: JobStore, run_id: int, timeout_s: float, worker: Callable[[], bool]) -> bool:
    """Wait for the run to end while ``worker()`` says its worker is alive."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if store.get_run(run_id).status != "running":
            return True
        if not worker():
            return store.get_run(run_id).status != "running"
        time.sleep(0.1)
    return False


def cancel(store: JobStore, run_id: int, by: str, grace_s: float = CANCEL_GRACE_S) -> JobRun:
    """Cancel run ``run_id``: a queued run ends at once; a running one has its worker and
    kernel process groups stopped (SIGTERM, then SIGKILL after ``grace_s``) and ends
    ``cancelled``, also when its worker is already gone. Conflict if it had ended.

    Blocks until the run has ended (at most about ``grace_s`` seconds).
    """
    run = store.request_cancel(run_id, by)
    if run.status != "running":
        return run
    with db.session_scope(store.url) as session:
        row = run_row(session, run_id)
        pid, host, started_at = row.worker_pid, row.worker_host, row.started_at
    here = host == hostname()

    def worker() -> bool:  # on another host: trust its heartbeat to see the request
        return not here or (pid is not None and worker_alive(pid, run_id, started_at))

    alive = here and worker()
    if alive and pid is not None:
        signal_group(pid, signal.SIGTERM)  # the worker stops its kernel and ends the run
    if (alive or not here) and _wait_ended(store, run_id, grace_s, worker):
        return store.get_run(run_id)
    if alive and pid is not None:
        signal_group(pid, signal.SIGKILL)
    stop_kernels(store, run_id)
    try:
        return end_abandoned(store, run_id, "cancelled", f"cancelled by {by}")
    except Conflict:  # the worker ended it just now
        return store.get_run(run_id)
