"""The actions alerts ask for, and how the jobs area takes them: the whole interface is here.

A monitor may carry actions (``run_job:JOB``, ``block_promotion:JOB``). When a check breaches
its thresholds, the alerts record them as ``AlertAction`` rows with status ``pending``: a
``run_job`` once per check (on its first alert, so two rules breached do not run the job
twice), a ``block_promotion`` on every alert (the job stays blocked until all are
acknowledged). The jobs area calls these functions and nothing else:

- the job scheduler (``pipelines/scheduler.py``), each tick: ``pending(kind="run_job")``,
  then ``claim(id, by)`` (a compare-and-set from pending to claimed: of two schedulers, one
  gets the action, the other a Conflict), queues a run of the job (trigger ``alert``, in
  prod when the job has a version there, else its highest stage with one), and
  ``finish(id, ok, detail)`` (claimed to done, naming the run, or failed, saying why: an
  unknown job, say). A claim left unfinished (its scheduler died midway) is taken over
  with ``stale_claims`` and ``reclaim``; the run's token makes doing it again start the
  job once;
- the promotion gate of job J (``pipelines/gates.py``): ``promotion_blockers(J)``, the open
  (unacknowledged) alerts whose monitor asked to block J; the gate refuses while it is not
  empty, and acknowledging the alerts lifts the block. ``block_promotion`` actions stay
  ``pending``: the gate reads the alerts, it does not take them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from .. import db
from ..errors import Conflict, Invalid, NotFound
from ..state import now
from .models import ActionKind, Alert, AlertAction
from .orm import MonitorAlertActionRow, MonitorAlertRow, MonitorRow
from .rules import check_monitor_name
from .store import MonitorStore, to_action


def pending(
    store: MonitorStore, kind: ActionKind | None = None, job: str | None = None
) -> list[AlertAction]:
    """Actions no one has taken yet, oldest first (optionally of one kind or one job)."""
    return _listed(store, "pending", kind, job)


def stale_claims(
    store: MonitorStore, older_than: timedelta, kind: ActionKind | None = None
) -> list[AlertAction]:
    """Claimed actions left unfinished for ``older_than``: their taker stopped midway."""
    return _listed(store, "claimed", kind, None, before=now() - older_than)


def _listed(
    store: MonitorStore,
    status: str,
    kind: ActionKind | None,
    job: str | None,
    before: datetime | None = None,
) -> list[AlertAction]:
    if kind not in (None, "run_job", "block_promotion"):
        raise Invalid(f"kind must be 'run_job' or 'block_promotion', not {kind!r}")
    with db.session_scope(store.url) as session:
        query = (
            select(MonitorAlertActionRow, MonitorRow.name)
            .join(MonitorAlertRow, MonitorAlertRow.id == MonitorAlertActionRow.alert_id)
            .join(MonitorRow, MonitorRow.id == MonitorAlertRow.monitor_id)
            .where(MonitorAlertActionRow.status == status)
            .order_by(MonitorAlertActionRow.id)
        )
        if kind is not None:
            query = query.where(MonitorAlertActionRow.kind == kind)
        if job is not None:
            query = query.where(MonitorAlertActionRow.job == check_monitor_name(job, "job"))
        if before is not None:
            query = query.where(MonitorAlertActionRow.updated_at < before)
        return [to_action(row, name) for row, name in session.execute(query)]


def claim(store: MonitorStore, action_id: int, by: str) -> AlertAction:
    """Take a pending action (pending → claimed); Conflict if someone else took it first."""
    return _move(store, action_id, "pending", "claimed", f"claimed by {by}")


def reclaim(store: MonitorStore, action: AlertAction, by: str) -> AlertAction:
    """Take over a stale claim (see ``stale_claims``): a compare-and-set on the claim as it
    was read, so of two takers one gets it and the other a Conflict."""
    detail = f"claimed again by {by} ({action.detail} stopped before finishing)"
    return _move(store, action.id, "claimed", "claimed", detail, seen=action.updated_at)


def finish(store: MonitorStore, action_id: int, ok: bool, detail: str) -> AlertAction:
    """Record how a claimed action ended (claimed → done or failed)."""
    return _move(store, action_id, "claimed", "done" if ok else "failed", detail)


def _move(
    store: MonitorStore,
    action_id: int,
    before: str,
    after: str,
    detail: str,
    seen: datetime | None = None,
) -> AlertAction:
    with db.session_scope(store.url) as session:
        query = update(MonitorAlertActionRow).where(
            MonitorAlertActionRow.id == action_id, MonitorAlertActionRow.status == before
        )
        if seen is not None:
            query = query.where(MonitorAlertActionRow.updated_at == seen)
        changed = session.execute(
            query.values(status=after, detail=detail, updated_at=now())
        ).rowcount  # type: ignore[attr-defined]
        row = session.get(MonitorAlertActionRow, action_id)
        if row is None:
            raise NotFound(f"no alert action {action_id}")
        if not changed:
            state = row.status if row.status != before else f"{row.status} by someone else"
            raise Conflict(f"alert action {action_id} is {state}, not {before}")
        session.refresh(row)
        alert = session.get(MonitorAlertRow, row.alert_id)
        assert alert is not None
        monitor = session.get(MonitorRow, alert.monitor_id)
        assert monitor is not None
        return to_action(row, monitor.name)


def promotion_blockers(store: MonitorStore, job: str) -> list[Alert]:
    """Open alerts whose monitor asked to block ``job``'s promotion (empty: not blocked).

    Where the workspace requires authenticated decisions, an alert a kernel or the CLI
    acknowledged (asserted) still blocks: only an acknowledgement through the Jupyter
    server clears it."""
    check_monitor_name(job, "job")
    strict = store.ws.require_authenticated_decisions
    return [
        alert
        for alert in store.alerts(open_until_authenticated=strict)
        if any(a.kind == "block_promotion" and a.job == job for a in alert.actions)
    ]
