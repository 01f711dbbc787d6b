"""The scheduler on a real state DB: fires, missed fires, the lease, two scheduler processes,
alert actions, and the loop serving headless.

Ticks are given their ``now`` (naive UTC), so a test decides which fires are due; nothing
here waits for a wall-clock minute. Runs are only created (``launch=False``): starting them
is the worker's, tested with it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
import psutil
import pytest
from sqlalchemy import select, text, update

from jupyter_mlops import db
from jupyter_mlops.monitoring import actions as alert_actions
from jupyter_mlops.monitoring.api import drift, store_for
from jupyter_mlops.monitoring.orm import MonitorAlertActionRow
from jupyter_mlops.pipelines import lease
from jupyter_mlops.pipelines.definitions import promote_notebook
from jupyter_mlops.pipelines.models import JobSpec, MissedPolicy, StepSpec
from jupyter_mlops.pipelines.orm import JobRow, JobRunRow, JobStageRow
from jupyter_mlops.pipelines.runtime import WORKER_LOG, run_dir
from jupyter_mlops.pipelines.scheduler import Scheduler, alert_stage
from jupyter_mlops.pipelines.standby import HANDED
from jupyter_mlops.pipelines.store import JobStore, now
from jupyter_mlops.pytest_plugin import write_notebook
from jupyter_mlops.workspace import Workspace, resolve_workspace

SPEC = JobSpec(steps=[StepSpec(name="train", notebook="train.ipynb", notebook_object="0" * 64)])
T0 = datetime(2030, 1, 7, 12, 0)  # a Monday noon (UTC), on every minute and hour schedule


@pytest.fixture
def store(mlops_workspace: Workspace) -> JobStore:
    return JobStore(mlops_workspace)


def make_job(
    store: JobStore,
    name: str,
    cron: str | None = "* * * * *",
    policy: MissedPolicy = "skip",
    next_fire_at: datetime | None = T0,
) -> None:
    """A job scheduled in dev whose next fire is ``next_fire_at`` (set directly)."""
    store.create_job(name, SPEC, "alice", cron=cron, missed_policy=policy)
    if cron is not None:
        set_next_fire(store, name, next_fire_at)


def set_next_fire(store: JobStore, name: str, at: datetime | None, stage: str = "dev") -> None:
    with db.session_scope(store.url) as session:
        job_id = session.scalar(select(JobRow.id).where(JobRow.name == name))
        session.execute(
            update(JobStageRow)
            .where(JobStageRow.job_id == job_id, JobStageRow.stage == stage)
            .values(next_fire_at=at)
        )


def next_fire_at(store: JobStore, name: str, stage: str = "dev") -> datetime | None:
    return {s.stage: s.next_fire_at for s in store.get_job(name).stages}[stage]


def fires(store: JobStore, name: str) -> list[datetime | None]:
    runs, _ = store.runs(name, limit=1000)
    return sorted(r.scheduled_for for r in runs if r.scheduled_for is not None)


# -- firing ----------------------------------------------------------------------------
def test_a_due_stage_fires_once_and_advances(store: JobStore) -> None:
    make_job(store, "every5", cron="*/5 * * * *")
    scheduler = Scheduler(store.ws, launch=False)
    assert scheduler.tick(T0 - timedelta(seconds=1)).fired == []  # not yet

    result = scheduler.tick(T0 + timedelta(seconds=1))
    assert result.leader and len(result.fired) == 1
    run = store.get_run(result.fired[0])
    assert (run.job, run.stage, run.trigger, run.status) == ("every5", "dev", "schedule", "queued")
    assert run.scheduled_for == T0 and run.created_by == "scheduler"
    assert next_fire_at(store, "every5") == T0 + timedelta(minutes=5)

    assert scheduler.tick(T0 + timedelta(seconds=2)).fired == []  # the fire ran once
    assert scheduler.tick(T0 + timedelta(minutes=5, seconds=1)).fired != []
    assert fires(store, "every5") == [T0, T0 + timedelta(minutes=5)]


def test_a_failing_part_of_a_tick_does_not_stop_the_others(store: JobStore) -> None:
    """The monitoring tables unreadable (here: gone) cost the alert actions of this tick,
    nothing else: the due stage still fires."""
    make_job(store, "every5", cron="*/5 * * * *")
    with db.session_scope(store.url) as session:
        session.execute(text("DROP TABLE mlops_monitor_alert_actions"))
    result = Scheduler(store.ws, launch=False).tick(T0 + timedelta(seconds=1))
    assert len(result.fired) == 1 and result.actions == []
    assert next_fire_at(store, "every5") == T0 + timedelta(minutes=5)


def test_every_fire_within_the_grace_runs_in_order(store: JobStore) -> None:
    make_job(store, "minutely")
    result = Scheduler(store.ws, launch=False).tick(T0 + timedelta(seconds=59))
    assert len(result.fired) == 1 and result.missed == []
    result = Scheduler(store.ws, launch=False, grace=timedelta(minutes=10)).tick(
        T0 + timedelta(minutes=3, seconds=30)
    )
    assert len(result.fired) == 3  # 12:01, 12:02, 12:03
    assert fires(store, "minutely") == [T0 + timedelta(minutes=m) for m in range(4)]
    assert next_fire_at(store, "minutely") == T0 + timedelta(minutes=4)


def test_paused_and_manual_stages_never_fire(store: JobStore) -> None:
    make_job(store, "paused")
    store.configure_stage("paused", "dev", "alice", paused=True)
    make_job(store, "manual", cron=None)
    assert next_fire_at(store, "paused") is None and next_fire_at(store, "manual") is None
    # a paused stage with a next fire left in its row (written by hand) does not fire either
    set_next_fire(store, "paused", T0)
    scheduler = Scheduler(store.ws, launch=False)
    for minutes in (0, 1, 60, 24 * 60):
        assert scheduler.tick(T0 + timedelta(minutes=minutes, seconds=1)).fired == []
    assert store.runs(limit=10)[1] == 0
    assert next_fire_at(store, "paused") is None
    # a version in staging without a schedule: nothing fires there
    store.configure_stage("manual", "staging", "alice", version=1)
    assert scheduler.tick(T0 + timedelta(days=2)).fired == []


# -- missed fires ----------------------------------------------------------------------
def test_missed_fires_are_skipped_under_skip(store: JobStore) -> None:
    make_job(store, "hourly", cron="0 * * * *", policy="skip", next_fire_at=T0)
    now = T0 + timedelta(hours=3, minutes=30)  # 12:00, 13:00, 14:00 and 15:00 missed
    result = Scheduler(store.ws, launch=False).tick(now)
    assert result.fired == [] and result.skipped == 1
    [missed] = result.missed
    assert (missed.job, missed.policy, missed.latest, missed.run_id) == (
        "hourly",
        "skip",
        T0 + timedelta(hours=3),
        None,
    )
    assert store.runs("hourly")[1] == 0
    assert next_fire_at(store, "hourly") == T0 + timedelta(hours=4)  # past now


def test_missed_fires_run_once_for_the_latest_under_run_once(store: JobStore) -> None:
    make_job(store, "hourly", cron="0 * * * *", policy="run_once", next_fire_at=T0)
    scheduler = Scheduler(store.ws, launch=False)
    now = T0 + timedelta(hours=3, minutes=30)
    result = scheduler.tick(now)
    assert len(result.fired) == 1 and result.skipped == 0
    assert result.missed[0].run_id == result.fired[0]
    assert fires(store, "hourly") == [T0 + timedelta(hours=3)]  # exactly one, the latest
    assert next_fire_at(store, "hourly") == T0 + timedelta(hours=4)
    assert scheduler.tick(now + timedelta(seconds=1)).fired == []


def test_run_once_catches_up_with_the_fire_that_is_on_time(store: JobStore) -> None:
    make_job(store, "hourly", cron="0 * * * *", policy="run_once", next_fire_at=T0)
    # 12:00 and 13:00 missed, 14:00 is 30 s old: that run is the one catch-up
    result = Scheduler(store.ws, launch=False).tick(T0 + timedelta(hours=2, seconds=30))
    assert len(result.fired) == 1
    assert fires(store, "hourly") == [T0 + timedelta(hours=2)]
    assert result.missed[0].latest == T0 + timedelta(hours=1)


def test_a_week_of_missed_minutes_is_not_walked_one_by_one(store: JobStore) -> None:
    make_job(store, "minutely", policy="run_once", next_fire_at=T0)
    now = T0 + timedelta(days=7, seconds=90)
    result = Scheduler(store.ws, launch=False).tick(now)
    # the fire 30 s before now is on time; the week before it is caught up by that run
    assert fires(store, "minutely") == [T0 + timedelta(days=7, minutes=1)]
    assert result.missed[0].latest == T0 + timedelta(days=7)


# -- the lease ---------------------------------------------------------------------------
def test_only_the_lease_holder_fires_and_another_takes_over_after_expiry(
    store: JobStore,
) -> None:
    make_job(store, "minutely")
    first = Scheduler(store.ws, "first", launch=False)
    second = Scheduler(store.ws, "second", launch=False)
    assert len(first.tick(T0 + timedelta(seconds=1)).fired) == 1
    assert lease.current(store.url) == ("first", T0 + timedelta(seconds=31))
    assert first.tick(T0 + timedelta(seconds=59)).fired == []  # renews: to 12:01:29

    held = second.tick(T0 + timedelta(minutes=1, seconds=2))  # first's lease still runs
    assert not held.leader and held.fired == []
    assert fires(store, "minutely") == [T0]

    # first stops ticking; its lease expires at 12:01:29 and second takes over
    taken = second.tick(T0 + timedelta(minutes=1, seconds=40))
    assert taken.leader and len(taken.fired) == 1
    assert lease.current(store.url) == ("second", T0 + timedelta(minutes=2, seconds=10))
    assert not first.tick(T0 + timedelta(minutes=1, seconds=41)).leader

    # a scheduler that stops releases the lease: the other one leads at once
    assert lease.release(store.url, "second")
    assert first.tick(T0 + timedelta(minutes=2, seconds=1)).leader
    assert fires(store, "minutely") == [T0 + timedelta(minutes=m) for m in range(3)]


def test_lease_insert_race_has_one_winner(store: JobStore) -> None:
    holders = [f"h{i}" for i in range(8)]
    won: list[str] = []
    barrier = threading.Barrier(len(holders))

    def take(holder: str) -> None:
        barrier.wait()
        if lease.acquire(store.url, holder, T0) is not None:
            won.append(holder)

    threads = [threading.Thread(target=take, args=(h,)) for h in holders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1 and lease.current(store.url) == (won[0], T0 + lease.TTL)


# -- two scheduler processes -----------------------------------------------------------
JOBS, STEPS = 8, 6


def _tick_in_lockstep(root: str, holder: str, barrier: Any, fired: Any) -> None:
    """A scheduler process without the lease: ticks at the same times as its twin."""
    scheduler = Scheduler(
        resolve_workspace(root), holder, launch=False, use_lease=False, grace=timedelta(hours=1)
    )
    for step in range(STEPS):
        barrier.wait(timeout=60)
        fired.put(scheduler.tick(T0 + timedelta(minutes=step, seconds=1)).fired)


def test_two_scheduler_processes_run_each_fire_exactly_once(store: JobStore) -> None:
    for i in range(JOBS):
        make_job(store, f"job{i}")
    context = multiprocessing.get_context("spawn")
    barrier, fired = context.Barrier(2), context.Queue()
    procs = [
        context.Process(
            target=_tick_in_lockstep, args=(str(store.ws.root), f"proc{i}", barrier, fired)
        )
        for i in range(2)
    ]
    for proc in procs:
        proc.start()
    created = [run_id for _ in range(2 * STEPS) for run_id in fired.get(timeout=120)]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    expected = [T0 + timedelta(minutes=m) for m in range(STEPS)]
    for i in range(JOBS):
        assert fires(store, f"job{i}") == expected
    # every run was created by exactly one of the two processes
    assert sorted(created) == sorted(r.id for r in store.runs(limit=1000)[0])
    assert len(created) == JOBS * STEPS


# -- alert actions ---------------------------------------------------------------------
def _breach(name: str, action: str) -> int:
    """A drift check of monitor ``name`` that breaches its threshold; its run_job action."""
    ref = pd.DataFrame({"x": [float(i % 50) for i in range(400)]})
    cur = pd.DataFrame({"x": [float(i % 50) + 40 for i in range(400)]})
    check = drift(ref, cur, name=name, thresholds=["drifted_share >= 0.5"], actions=[action])
    assert check.point is not None and check.point.alerts
    [taken] = [a for a in check.point.alerts[0].actions if a.kind == "run_job"]
    return taken.id


def _action(ws: Workspace, action_id: int) -> Any:
    monitors = store_for(ws)
    return next(a for alert in monitors.alerts() for a in alert.actions if a.id == action_id)


def test_a_run_job_action_starts_one_alert_run_of_the_prod_version(store: JobStore) -> None:
    make_job(store, "retrain", cron=None)
    store.configure_stage("retrain", "prod", "alice", version=1)
    action_id = _breach("sales", "run_job:retrain")
    scheduler = Scheduler(store.ws, launch=False)

    result = scheduler.tick()
    assert result.actions == [action_id]
    [run] = store.runs("retrain")[0]
    assert (run.trigger, run.stage, run.created_by) == ("alert", "prod", "monitor:sales")
    taken = _action(store.ws, action_id)
    assert taken.status == "done" and f"run {run.id}" in taken.detail
    assert scheduler.tick().actions == []  # taken once
    assert store.runs("retrain")[1] == 1
    assert alert_actions.pending(store_for(store.ws), kind="run_job") == []


def test_a_run_job_action_for_an_unknown_job_fails_clearly(store: JobStore) -> None:
    action_id = _breach("sales", "run_job:nosuchjob")
    assert Scheduler(store.ws, launch=False).tick().actions == [action_id]
    failed = _action(store.ws, action_id)
    assert failed.status == "failed" and "no job named 'nosuchjob'" in failed.detail
    assert store.runs()[1] == 0


def test_a_claim_left_unfinished_is_taken_over_and_runs_the_job_once(store: JobStore) -> None:
    make_job(store, "retrain", cron=None)
    action_id = _breach("sales", "run_job:retrain")
    monitors = store_for(store.ws)
    # a scheduler claimed it and queued the run, then died before finishing the action
    alert_actions.claim(monitors, action_id, "dead-host:1:abc")
    first = store.create_run(
        "retrain", "dev", "alert", "monitor:sales", token=f"alert-action-{action_id}"
    )
    assert Scheduler(store.ws, "s", launch=False).tick().actions == []  # a fresh claim: left
    with db.session_scope(store.url) as session:
        session.execute(
            update(MonitorAlertActionRow)
            .where(MonitorAlertActionRow.id == action_id)
            .values(updated_at=now() - timedelta(minutes=10))
        )
    # a scheduler looks at stale claims when it starts, then once a minute
    assert Scheduler(store.ws, "s", launch=False).tick().actions == [action_id]
    taken = _action(store.ws, action_id)
    assert taken.status == "done" and f"run {first.id}" in taken.detail
    assert store.runs("retrain")[1] == 1  # the run's token: the job ran once


def test_alerts_run_prod_else_the_highest_stage_with_a_version(store: JobStore) -> None:
    make_job(store, "j", cron=None)
    assert alert_stage(store.get_job("j")) == "dev"
    store.configure_stage("j", "staging", "alice", version=1)
    assert alert_stage(store.get_job("j")) == "staging"
    store.configure_stage("j", "prod", "alice", version=1)
    assert alert_stage(store.get_job("j")) == "prod"


# -- the loop ------------------------------------------------------------------------------
def _wait_for(predicate: Any, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_serve_fires_a_stage_due_now_and_stops_releasing_the_lease(store: JobStore) -> None:
    scheduler = Scheduler(store.ws, launch=False)
    thread = scheduler.start()
    try:
        assert _wait_for(lambda: lease.current(store.url) is not None)
        make_job(store, "soon", next_fire_at=None)
        set_next_fire(store, "soon", now())
        scheduler.wake()
        assert _wait_for(lambda: store.runs("soon")[1] == 1)
    finally:
        scheduler.stop()
    assert not thread.is_alive()
    assert lease.current(store.url) is None


def test_a_near_fire_is_run_by_a_standby_worker_started_ahead(store: JobStore) -> None:
    write_notebook(store.ws.root / "hello.ipynb", "print(greeting)", parameters="greeting = 'hi'")
    promote_notebook(store, "hello.ipynb", "alice", cron="0 0 1 1 *")
    scheduler = Scheduler(store.ws)
    scheduler.start()
    try:
        set_next_fire(store, "hello", now() + timedelta(seconds=8))
        assert _wait_for(lambda: _statuses(store, "hello") == ["succeeded"], 120)
    finally:
        scheduler.stop()
    [run] = store.runs("hello")[0]
    assert run.trigger == "schedule" and run.steps[0].kernel_started_at is not None
    worker_log = (run_dir(store.ws, run.id) / WORKER_LOG).read_text()
    assert HANDED in worker_log and "ended succeeded" in worker_log


def test_a_run_of_a_standby_worker_is_cancelled_and_recovered_as_any(store: JobStore) -> None:
    from jupyter_mlops.pipelines.launch import cancel
    from jupyter_mlops.pipelines.recovery import reconcile

    write_notebook(store.ws.root / "slow.ipynb", "import time\ntime.sleep(120)")
    promote_notebook(store, "slow.ipynb", "alice", cron="0 0 1 1 *")
    scheduler = Scheduler(store.ws)
    scheduler.start()
    try:
        set_next_fire(store, "slow", now() + timedelta(seconds=8))

        def kernel_started() -> bool:
            runs = store.runs("slow")[0]
            return bool(runs) and runs[0].steps[0].kernel_started_at is not None

        assert _wait_for(kernel_started, 120)
    finally:
        scheduler.stop()
    [run] = store.runs("slow")[0]
    assert reconcile(store) == []  # the standby is known as the run's live worker
    with db.session_scope(store.url) as session:
        pid = session.scalar(select(JobRunRow.worker_pid).where(JobRunRow.id == run.id))
    assert pid is not None
    assert cancel(store, run.id, "alice").status == "cancelled"
    assert _wait_for(lambda: not psutil.pid_exists(pid) or _zombie(pid), 30)
    worker_log = (run_dir(store.ws, run.id) / WORKER_LOG).read_text()
    assert HANDED in worker_log


def _zombie(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_an_idle_standby_worker_ends_when_the_scheduler_stops(store: JobStore) -> None:
    make_job(store, "later", next_fire_at=None)
    scheduler = Scheduler(store.ws)
    scheduler.start()
    try:
        set_next_fire(store, "later", now() + timedelta(seconds=15))
        assert _wait_for(lambda: scheduler._standby is not None)
        standby = scheduler._standby
    finally:
        scheduler.stop()
    assert standby is not None
    assert _wait_for(lambda: standby.proc.poll() is not None)
    assert store.runs()[1] == 0


def test_serve_headless_fires_launches_and_stops_on_sigterm(store: JobStore) -> None:
    write_notebook(store.ws.root / "hello.ipynb", "print(greeting)", parameters="greeting = 'hi'")
    promote_notebook(store, "hello.ipynb", "alice", cron="0 0 1 1 *")
    set_next_fire(store, "hello", now())
    env = {**os.environ, "JUPYTER_MLOPS_ROOT": str(store.ws.root)}
    code = (
        "from jupyter_mlops.pipelines.scheduler import serve_headless\n"
        "raise SystemExit(serve_headless())"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        # fired, launched by the headless scheduler, run by the worker to its end
        assert _wait_for(lambda: _statuses(store, "hello") == ["succeeded"], 120)
        [run] = store.runs("hello")[0]
        assert run.trigger == "schedule" and run.steps[0].kernel_started_at is not None
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "serving" in err and "SIGTERM received" in err and "stopped" in err
    assert lease.current(store.url) is None


def _statuses(store: JobStore, name: str) -> list[str]:
    return [r.status for r in store.runs(name)[0]]
