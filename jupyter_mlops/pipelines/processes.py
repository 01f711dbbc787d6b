"""Finding and stopping the processes of a job run: its worker and its kernels.

A pid stored in the DB may belong to another process by the time it is read (after a
restart pids are reused), so a process counts as ours only if it was created in the window
the DB says ours started in (and, for a worker, runs our worker module for that run).
Both the worker and each kernel lead their own session, so a process group is one of them
with its children.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from datetime import UTC, datetime

import psutil

CLOCK_SLACK_S = 2.0  # process start times and DB times come from different clocks
WORKER_MODULE = "jupyter_mlops.pipelines.worker"
# A standby worker (standby.py, the scheduler's) is handed its run less than this after it
# started; its command line cannot name the run, so its age is what identifies it.
STANDBY_MODULE = "jupyter_mlops.pipelines.standby"
STANDBY_MAX_AGE_S = 120.0


def hostname() -> str:
    return socket.gethostname()


def _epoch(moment: datetime) -> float:
    """A naive UTC DB time as seconds since the epoch."""
    return moment.replace(tzinfo=UTC).timestamp()


def _process(pid: int | None) -> psutil.Process | None:
    if not pid or pid <= 0:
        return None
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return None
        return proc
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None


def worker_alive(pid: int | None, run_id: int, started_at: datetime | None) -> bool:
    """Whether ``pid`` is still the worker process of run ``run_id`` launched at
    ``started_at`` (on this host)."""
    proc = _process(pid)
    if proc is None:
        return False
    try:
        created, cmdline = proc.create_time(), proc.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False
    if STANDBY_MODULE in cmdline:  # started ahead of its run, told the run's id on stdin
        return started_at is None or created >= _epoch(started_at) - STANDBY_MAX_AGE_S
    if started_at is not None and created < _epoch(started_at) - CLOCK_SLACK_S:
        return False  # older than the launch: a reused pid
    return WORKER_MODULE in cmdline and str(run_id) in cmdline


def kernel_alive(
    pid: int | None, started_after: datetime | None, started_before: datetime | None
) -> bool:
    """Whether ``pid`` is still a kernel created between ``started_after`` (the step's
    start; a standby worker starts the first step's kernel ahead, less than
    ``STANDBY_MAX_AGE_S`` before) and ``started_before`` (when the step's kernel was
    recorded: started, or taken from the standby)."""
    proc = _process(pid)
    if proc is None:
        return False
    try:
        created = proc.create_time()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False
    ahead = STANDBY_MAX_AGE_S + CLOCK_SLACK_S
    if started_after is not None and created < _epoch(started_after) - ahead:
        return False
    return not (started_before is not None and created > _epoch(started_before) + CLOCK_SLACK_S)


def signal_group(pgid: int, signum: int) -> bool:
    """Send ``signum`` to process group ``pgid``; False if the group is gone."""
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def group_alive(pgid: int) -> bool:
    return signal_group(pgid, 0) and _process(pgid) is not None


def stop_group(pgid: int, grace_s: float = 3.0) -> None:
    """SIGTERM process group ``pgid``, then SIGKILL it if its leader outlives ``grace_s``."""
    if not signal_group(pgid, signal.SIGTERM):
        return
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        if not group_alive(pgid):
            break
        time.sleep(0.05)
    signal_group(pgid, signal.SIGKILL)
