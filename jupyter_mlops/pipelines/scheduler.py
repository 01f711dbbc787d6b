"""The scheduler: one loop per workspace that fires schedules and starts runs.

A tick, by the holder of the scheduler lease (``lease.py``) only:

1. fires the stages whose ``next_fire_at`` has come (one indexed query; nothing else is
   read when nothing is due): a run per fire through ``JobStore.create_run`` with
   ``scheduled_for`` = the fire, then the stage's next fire, written as a compare-and-set
   on the value read. UNIQUE (job, stage, scheduled_for) makes a fire run at most once
   even when two schedulers fire it; missed fires follow the job's policy (``firing.py``);
2. takes the ``run_job`` actions of monitoring alerts (claim, queue a run of the job's
   prod version, else of its highest stage that has one, finish with the run's id);
3. with ``launch`` on: launches queued runs whose ``not_before`` has come
   (``launch.launch``) and reconciles runs whose worker is gone (``recovery.reconcile``);
4. runs the duties other areas gave it (the serving area's endpoint supervisor), each
   guarded like the parts above; they come from the surfaces that build the scheduler, so
   this module imports no area above it.

``serve`` repeats ticks, sleeping until the earliest next fire (at most a second), and
wakes at once on ``wake()``, so a fire's run is created within milliseconds of its minute;
while a fire is near it keeps a standby worker (``standby.py``) that gets the fire's run,
so its kernel starts without waiting for a new process's imports. It runs
in a thread of the Jupyter server and headless as ``jupyter mlops scheduler``
(``serve_headless``).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select, update

from .. import db
from ..errors import Conflict, MlopsError, NotFound
from ..state import now as utc_now
from ..workspace import Workspace, resolve_workspace
from . import lease
from .firing import plan_fires
from .models import STAGES, Job, MissedPolicy, Stage
from .orm import JobRow, JobRunRow, JobStageRow
from .schedule import parse_schedule
from .store import JobStore

if TYPE_CHECKING:
    from ..monitoring.models import AlertAction
    from .standby import Standby

log = logging.getLogger(__name__)
T = TypeVar("T")

GRACE = timedelta(seconds=60)  # a fire older than this when seen is missed
MAX_SLEEP_S = 1.0
SCHEDULER_USER = "scheduler"
STALE_CLAIM = timedelta(minutes=5)  # an alert action claimed this long ago was abandoned
STALE_CHECK_S = 60.0
PREWARM_LEAD = timedelta(seconds=20)  # keep a standby worker while a fire is this near


class MissedFires(BaseModel):
    """Fires of one stage that were missed (older than the grace when seen)."""

    model_config = ConfigDict(extra="forbid")

    job: str
    stage: Stage
    policy: MissedPolicy
    latest: datetime  # the newest missed fire (UTC)
    run_id: int | None  # run_once: the catch-up run (None when skipped or already run)


class TickResult(BaseModel):
    """What one tick did. Run ids are those this scheduler created or launched."""

    model_config = ConfigDict(extra="forbid")

    at: datetime
    leader: bool  # held the lease (a scheduler without it does nothing else)
    fired: list[int] = Field(default_factory=list)  # runs created for schedule fires
    skipped: int = 0  # stages whose missed fires were skipped without a run
    missed: list[MissedFires] = Field(default_factory=list)
    launched: list[int] = Field(default_factory=list)
    recovered: list[int] = Field(default_factory=list)  # runs reconcile ended or re-queued
    actions: list[int] = Field(default_factory=list)  # alert actions taken (done or failed)


@dataclass(frozen=True)
class _DueStage:
    id: int
    job: str
    policy: str
    stage: str
    cron: str | None
    timezone: str
    next_fire_at: datetime
    schedulable: bool


class Scheduler:
    """The scheduler of workspace ``ws``.

    ``holder`` names this scheduler in the lease (default ``host:pid:uuid``); ``launch``
    off makes ticks only create runs (no processes started or reconciled); ``use_lease``
    off lets every scheduler fire (tests of the UNIQUE constraint); ``grace`` is how old a
    fire may be when seen and still count as on time; ``prewarm`` keeps a standby worker
    (``standby.py``) while ``serve`` sees a fire near, so the fire's kernel starts at once.
    """

    def __init__(
        self,
        ws: Workspace,
        holder: str | None = None,
        launch: bool = True,
        *,
        use_lease: bool = True,
        grace: timedelta = GRACE,
        lease_ttl: timedelta = lease.TTL,
        prewarm: bool = True,
        duties: Sequence[tuple[str, Callable[[], object]]] = (),
    ) -> None:
        self.ws = ws
        self.store = JobStore(ws)
        self.url = self.store.url
        self.holder = holder or lease.new_holder_id()
        self.launch = launch
        self.use_lease = use_lease
        self.grace = grace
        self.lease_ttl = lease_ttl
        self.thread: threading.Thread | None = None
        self._lease_until: datetime | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._next_stale_check = 0.0  # time.monotonic() of the next look at stale claims
        self.prewarm = prewarm
        self._standby: Standby | None = None
        self.duties = tuple(duties)

    # -- one tick --------------------------------------------------------------------
    def tick(self, now: datetime | None = None) -> TickResult:
        """Fire what is due at ``now`` (naive UTC; default the current time), take alert
        actions, then launch and reconcile runs when ``launch`` is on."""
        at = now or utc_now()
        result = TickResult(at=at, leader=self._lead(at))
        if not result.leader:
            return result
        for due in self._guarded("firing", self._due_stages, at) or []:
            self._guarded("firing", self._fire, due, at, result)
        if self.launch:
            standby = self._guarded("standby", self._hand_to_standby, result.fired) or []
            queued = self._guarded("launching", self._launch_queued, at) or []
            result.launched = standby + queued
            result.recovered = self._guarded("reconciling", self._reconcile) or []
        result.actions = self._guarded("alert actions", self._take_alert_actions) or []
        for name, duty in self.duties:
            self._guarded(name, duty)
        return result

    def _guarded(self, part: str, fn: Callable[..., T], *args: Any) -> T | None:
        """``fn(*args)``; an error is logged and this part skipped, so one failing part of a
        tick (say, the monitoring tables) never stops the others (launching runs)."""
        try:
            return fn(*args)
        except Exception:
            log.exception("scheduler: %s failed this tick", part)
            return None

    def _lead(self, at: datetime) -> bool:
        """Whether this scheduler holds the lease at ``at`` (renewed when it runs low)."""
        if not self.use_lease:
            return True
        # renewed once a third of the lease has passed (every 10 s), not every tick
        renew_at = self._lease_until - self.lease_ttl * 2 / 3 if self._lease_until else None
        if renew_at is not None and at < renew_at:
            return True
        self._lease_until = lease.acquire(self.url, self.holder, at, ttl=self.lease_ttl)
        if self._lease_until is None:
            log.debug("scheduler %s: another scheduler holds the lease", self.holder)
        return self._lease_until is not None

    def _due_stages(self, at: datetime) -> list[_DueStage]:
        """Stages whose next fire is at or before ``at`` (one query on the index)."""
        query = (
            select(
                JobStageRow.id,
                JobRow.name,
                JobRow.missed_policy,
                JobStageRow.stage,
                JobStageRow.cron,
                JobStageRow.timezone,
                JobStageRow.next_fire_at,
                JobStageRow.paused,
                JobStageRow.version_id,
            )
            .join(JobRow, JobRow.id == JobStageRow.job_id)
            .where(JobStageRow.next_fire_at <= at)
            .order_by(JobStageRow.next_fire_at, JobStageRow.id)
        )
        with db.session_scope(self.url) as session:
            rows = session.execute(query).all()
        due = []
        for sid, name, policy, stage, cron, tz, fire_at, paused, version_id in rows:
            assert fire_at is not None  # compared in the query
            schedulable = bool(cron) and not paused and version_id is not None
            due.append(_DueStage(sid, name, policy, stage, cron, tz, fire_at, schedulable))
        return due

    def _fire(self, due: _DueStage, at: datetime, result: TickResult) -> None:
        """Create the runs of one due stage, then move its next fire past ``at``."""
        if not due.schedulable or due.cron is None:  # paused or manual: never fires
            self._advance(due, None)
            return
        try:
            plan = plan_fires(
                parse_schedule(due.cron, due.timezone), due.next_fire_at, at, self.grace
            )
        except MlopsError as exc:
            log.error("job %r (%s): cannot read its schedule: %s", due.job, due.stage, exc)
            self._advance(due, None)
            return
        fires = list(plan.runs)
        if not fires and plan.latest_missed is not None and due.policy == "run_once":
            fires = [plan.latest_missed]
        created = {fire: self._create_scheduled_run(due, fire) for fire in fires}
        if plan.latest_missed is not None:
            caught_up = created.get(plan.latest_missed)
            result.missed.append(
                MissedFires(
                    job=due.job,
                    stage=cast(Stage, due.stage),
                    policy=cast(MissedPolicy, due.policy),
                    latest=plan.latest_missed,
                    run_id=caught_up,
                )
            )
            if plan.latest_missed not in created:
                result.skipped += 1
                log.info(
                    "job %r (%s): missed fires up to %s skipped (policy %s)",
                    due.job,
                    due.stage,
                    plan.latest_missed,
                    due.policy,
                )
        result.fired.extend(run_id for run_id in created.values() if run_id is not None)
        self._advance(due, plan.next_fire_at)

    def _create_scheduled_run(self, due: _DueStage, fire: datetime) -> int | None:
        """The run of one fire, or None when it exists already (fired by another scheduler)."""
        try:
            run = self.store.create_run(
                due.job, due.stage, "schedule", SCHEDULER_USER, scheduled_for=fire
            )
        except Conflict:
            return None
        except MlopsError as exc:
            log.error("job %r (%s): the fire at %s failed: %s", due.job, due.stage, fire, exc)
            return None
        log.info("job %r (%s): run %d for the fire at %s", due.job, due.stage, run.id, fire)
        return run.id

    def _advance(self, due: _DueStage, next_fire_at: datetime | None) -> bool:
        """Compare-and-set the stage's next fire from the value read: of two schedulers
        advancing the same fire, one does (and a concurrent reschedule is kept)."""
        with db.session_scope(self.url) as session:
            changed = session.execute(
                update(JobStageRow)
                .where(JobStageRow.id == due.id, JobStageRow.next_fire_at == due.next_fire_at)
                .values(next_fire_at=next_fire_at)
            ).rowcount  # type: ignore[attr-defined]
        return bool(changed)

    # -- alert actions -----------------------------------------------------------------
    def _take_alert_actions(self) -> list[int]:
        """Claim each pending ``run_job`` action, queue a run of its job, finish it; once a
        minute, also take over claims a stopped scheduler left unfinished."""
        from ..monitoring import actions as alert_actions
        from ..monitoring.api import store_for

        monitors = store_for(self.ws)
        claimed = []
        for action in alert_actions.pending(monitors, kind="run_job"):
            try:
                claimed.append(alert_actions.claim(monitors, action.id, self.holder))
            except Conflict:  # another scheduler took it
                continue
        if time.monotonic() >= self._next_stale_check:
            self._next_stale_check = time.monotonic() + STALE_CHECK_S
            for action in alert_actions.stale_claims(monitors, STALE_CLAIM, "run_job"):
                try:
                    claimed.append(alert_actions.reclaim(monitors, action, self.holder))
                except Conflict:
                    continue
        for action in claimed:
            ok, detail = self._run_for_alert(action)
            alert_actions.finish(monitors, action.id, ok, detail)
            (log.info if ok else log.warning)("alert action %d: %s", action.id, detail)
        return [action.id for action in claimed]

    def _run_for_alert(self, action: AlertAction) -> tuple[bool, str]:
        try:
            job = self.store.get_job(action.job)
        except NotFound:
            return False, f"no job named {action.job!r}: nothing was run"
        stage = alert_stage(job)
        if stage is None:
            return False, f"job {job.name!r} has no version in any stage: nothing was run"
        try:
            run = self.store.create_run(
                job.name,
                stage,
                "alert",
                f"monitor:{action.monitor}",
                token=f"alert-action-{action.id}",
            )
        except MlopsError as exc:
            return False, f"could not start job {job.name!r} ({stage}): {exc}"
        return True, f"started job run {run.id} of {job.name!r} ({stage}, version {run.version})"

    # -- processes ---------------------------------------------------------------------
    def _launch_queued(self, at: datetime) -> list[int]:
        """Launch queued runs whose ``not_before`` has come (one query on the status)."""
        due = max(at, utc_now())  # runs this tick created have not_before = the clock's now
        with db.session_scope(self.url) as session:
            ids = session.scalars(
                select(JobRunRow.id)
                .where(JobRunRow.status == "queued", JobRunRow.not_before <= due)
                .order_by(JobRunRow.id)
            ).all()
        if not ids:
            return []
        from .launch import launch

        launched = []
        for run_id in ids:
            try:
                launch(self.store, run_id)
            except Conflict:  # launched by someone else, cancelled, or not yet due
                continue
            except Exception:
                log.exception("job run %d: launch failed", run_id)
                continue
            launched.append(run_id)
        return launched

    def _hand_to_standby(self, fired: list[int]) -> list[int]:
        """Give the first run this tick fired to the standby worker, if one is ready:
        claimed as ``launch`` claims, then run by an already started process."""
        standby = self._standby
        if not fired or standby is None or not standby.ready:
            return []
        self._standby = None  # one run per standby
        from .launch import _claim

        run_id = fired[0]
        try:
            _claim(self.store, run_id)
        except Conflict:
            standby.close()
            return []
        if not standby.hand(run_id):  # it died: the run goes back to the queue
            self.store.move_run(
                run_id,
                ["running"],
                status="queued",
                started_at=None,
                heartbeat_at=None,
                worker_host=None,
            )
            return []
        with contextlib.suppress(Conflict):  # (it already ended)
            self.store.move_run(run_id, ["running"], worker_pid=standby.pid)
        log.info("job run %d: handed to standby worker %d", run_id, standby.pid)
        return [run_id]

    def _keep_standby(self, last: TickResult | None, earliest: datetime | None) -> None:
        """Have a standby worker ready while a fire is near (the lease holder only)."""
        if self._standby is not None and not self._standby.ready:
            self._standby.close()  # gone, or idle too long: replaced when needed
            self._standby = None
        near = earliest is not None and earliest - utc_now() <= PREWARM_LEAD
        if not (self.launch and self.prewarm and last is not None and last.leader and near):
            return
        if self._standby is None:
            from .standby import Standby

            self._standby = Standby(self.store)
            log.debug("standby worker %d started for the fire at %s", self._standby.pid, earliest)

    def _reconcile(self) -> list[int]:
        from .recovery import reconcile

        return reconcile(self.store)

    # -- the loop ----------------------------------------------------------------------
    def wake(self) -> None:
        """Tick now (a stage was rescheduled, a run queued): ends the current sleep."""
        self._wake.set()

    def next_fire_at(self) -> datetime | None:
        """The earliest next fire of any stage (one MIN query on the index)."""
        with db.session_scope(self.url) as session:
            return session.scalar(select(func.min(JobStageRow.next_fire_at)))

    def sleep_seconds(self, last: TickResult | None, earliest: datetime | None) -> float:
        """How long to sleep after tick ``last``: until the earliest next fire, at most
        ``MAX_SLEEP_S``; a fire that tick should have taken but did not (it failed) waits
        the full second rather than spinning."""
        if last is None or not last.leader or earliest is None or earliest <= last.at:
            return MAX_SLEEP_S
        left: float = (earliest - utc_now()).total_seconds()
        return min(MAX_SLEEP_S, max(0.0, left))

    def serve(self, stop: threading.Event) -> None:
        """Tick until ``stop`` is set (noticed within a second, at once with ``wake()``);
        errors of a tick are logged and the loop goes on. The lease is released and an
        idle standby worker let go on the way out."""
        log.info("scheduler %s serving %s", self.holder, self.ws.root)
        try:
            while not stop.is_set():
                last = None
                try:
                    last = self.tick()
                except Exception:
                    log.exception("scheduler tick failed; trying again")
                try:
                    earliest = self.next_fire_at()
                    pause = self.sleep_seconds(last, earliest)
                    self._keep_standby(last, earliest)
                except Exception:
                    log.exception("scheduler: cannot read the next fire")
                    pause = MAX_SLEEP_S
                if pause > 0 and self._wake.wait(pause):
                    self._wake.clear()
        finally:
            if self._standby is not None:
                self._standby.close()
                self._standby = None
            self._release()
            log.info("scheduler %s stopped", self.holder)

    def _release(self) -> None:
        if not self.use_lease:
            return
        try:
            lease.release(self.url, self.holder)
        except Exception:
            log.exception("scheduler %s: could not release the lease", self.holder)
        self._lease_until = None

    def start(self) -> threading.Thread:
        """Serve in a daemon thread (``stop()`` ends it)."""
        self._stop.clear()
        self.thread = threading.Thread(
            target=self.serve, args=(self._stop,), name="mlops-scheduler", daemon=True
        )
        self.thread.start()
        return self.thread

    def stop(self, timeout: float | None = 10.0) -> None:
        """End the thread ``start()`` began, waiting up to ``timeout`` seconds."""
        self._stop.set()
        self.wake()
        if self.thread is not None:
            self.thread.join(timeout)


def alert_stage(job: Job) -> Stage | None:
    """Where an alert runs a job: prod if it has a version there, else the highest stage
    that has one."""
    with_version = {s.stage for s in job.stages if s.version is not None}
    return next((stage for stage in reversed(STAGES) if stage in with_version), None)


def serve_headless(
    ws: Workspace | None = None,
    *,
    grace: timedelta = GRACE,
    duties: Sequence[tuple[str, Callable[[], object]]] = (),
) -> int:
    """``jupyter mlops scheduler``: serve the workspace (default: the current one) until
    SIGINT or SIGTERM, logging to stderr. Call from the main thread; returns 0."""
    workspace = (ws or resolve_workspace()).ensure()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    package = logging.getLogger("jupyter_mlops")
    level = package.level
    package.addHandler(handler)
    if level == logging.NOTSET or level > logging.INFO:
        package.setLevel(logging.INFO)
    scheduler = Scheduler(workspace, grace=grace, duties=duties)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("scheduler: %s received, stopping", signal.Signals(signum).name)
        stop.set()
        scheduler.wake()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        scheduler.serve(stop)
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        package.removeHandler(handler)
        package.setLevel(level)
    return 0
