"""Runs whose worker is gone: found, their kernels stopped, their state kept, their status set.

A worker can vanish without ending its run (the server or machine restarted, the worker was
killed). ``reconcile`` finds such runs (a worker on this host that is no longer alive, or a
heartbeat older than ``STALE_AFTER`` wherever it ran), stops kernels left behind, publishes
the notebooks they had staged, and ends the run as failed (interrupted), or queues it
again when the job has attempts left. ``end_abandoned`` is shared with ``launch.cancel``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from .. import db
from ..errors import Conflict
from ..state import now
from .models import JobRun, RunStatus, StepStatus
from .orm import JobRunRow, JobStepRunRow
from .processes import hostname, kernel_alive, stop_group, worker_alive
from .publish import publish_step
from .store import JobStore

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(seconds=60)
INTERRUPTED = "interrupted: the worker stopped (server or machine restarted)"


def stop_kernels(store: JobStore, run_id: int, grace_s: float = 2.0) -> list[int]:
    """Stop the process groups of kernels the run's running steps started on this host;
    returns their pids (a pid reused by another process is left alone)."""
    with db.session_scope(store.url) as session:
        host = session.scalar(select(JobRunRow.worker_host).where(JobRunRow.id == run_id))
        rows = session.execute(
            select(
                JobStepRunRow.kernel_pid,
                JobStepRunRow.started_at,
                JobStepRunRow.kernel_started_at,
            ).where(
                JobStepRunRow.run_id == run_id,
                JobStepRunRow.status == "running",
                JobStepRunRow.kernel_pid.is_not(None),
            )
        ).all()
    if host != hostname():
        return []
    stopped = []
    for pid, started, kernel_started in rows:
        if pid is not None and kernel_alive(pid, started, kernel_started):
            stop_group(pid, grace_s)
            stopped.append(pid)
    return stopped


def _collect_mlflow(store: JobStore, run_id: int) -> dict[str, str]:
    import json

    from .mlflow_runs import tagged_runs

    try:
        return {"mlflow_run_ids": json.dumps(tagged_runs(store.ws, run_id))}
    except Exception as exc:
        log.warning("run %s: MLflow runs not collected: %s", run_id, exc)
        return {}


def end_abandoned(
    store: JobStore, run_id: int, status: RunStatus, error: str, *, requeue: bool = False
) -> JobRun:
    """End a running run whose worker is gone: publish what its running steps staged, mark
    them (``failed`` or ``cancelled``; ``pending`` when queued again), skip the steps never
    started, then move the run from ``running`` to ``status`` (or back to ``queued``)."""
    run = store.get_run(run_id)
    step_status: StepStatus = "cancelled" if status == "cancelled" else "failed"
    for step in run.steps:
        if step.status == "running":
            try:
                publish_step(store, run_id, step.name)
            except Exception:
                log.exception("run %s step %s: publishing its files failed", run_id, step.name)
            store.update_step(
                run_id,
                step.name,
                status="pending" if requeue else step_status,
                finished_at=now(),
                error=error,
            )
        elif step.status == "pending" and not requeue:
            store.update_step(
                run_id, step.name, status="skipped", finished_at=now(), error=f"not run: {error}"
            )
    extra = _collect_mlflow(store, run_id)
    if requeue:
        spec = store.version(run.job, run.version).spec
        return store.requeue_run(run_id, spec, error=f"attempt {run.attempt} {error}", **extra)
    return store.move_run(
        run_id, ["running"], status=status, finished_at=now(), error=error, **extra
    )


def _gone(
    run_id: int,
    pid: int | None,
    host: str | None,
    started_at: datetime | None,
    heartbeat_at: datetime | None,
    at: datetime,
) -> bool:
    if host == hostname() and pid is not None:
        # on this host the process table is the truth: a heartbeat late after the machine
        # slept, or while the DB was locked, does not make a live worker gone
        return not worker_alive(pid, run_id, started_at)
    return heartbeat_at is None or at - heartbeat_at > STALE_AFTER


def reconcile(store: JobStore) -> list[int]:
    """End (or queue again) every running run whose worker is gone; returns their ids."""
    at = now()
    with db.session_scope(store.url) as session:
        rows = session.execute(
            select(
                JobRunRow.id,
                JobRunRow.worker_pid,
                JobRunRow.worker_host,
                JobRunRow.started_at,
                JobRunRow.heartbeat_at,
            ).where(JobRunRow.status == "running")
        ).all()
    fixed = []
    for run_id, pid, host, started_at, heartbeat_at in rows:
        if not _gone(run_id, pid, host, started_at, heartbeat_at, at):
            continue
        stop_kernels(store, run_id)
        run = store.get_run(run_id)
        # another host's worker may only be silent, not dead: its run ends failed rather
        # than running twice at once; a cancelled run is never queued again
        here = host == hostname()
        again = here and run.attempt < run.max_attempts and not run.cancel_requested
        try:
            end_abandoned(store, run_id, "failed", INTERRUPTED, requeue=again)
        except Conflict:  # its worker ended it after all
            continue
        log.warning("job run %s: %s", run_id, INTERRUPTED)
        fixed.append(run_id)
    return fixed
