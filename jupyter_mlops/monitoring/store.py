"""Monitors in the state DB: history points, alerts on thresholds, actions of alerts.

``record`` writes a point, the alerts its thresholds raise and the actions those alerts ask
for in one transaction (IMMEDIATE on SQLite): a reader sees all of them or none. A monitor
is created by its first point (or by ``configure``); a UNIQUE name and a retry make two
processes creating the same monitor at once end with one monitor and both points.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, CursorResult, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import db
from ..errors import Conflict, Invalid, NotFound
from ..identity import AUTHENTICATED, check_username, source_of
from ..state import StateStore, children, now
from . import rules
from .models import (
    Action,
    Alert,
    AlertAction,
    ColumnDistribution,
    ColumnDrift,
    DriftCheck,
    DriftReport,
    EvidentlyArtifact,
    ModelQuality,
    Monitor,
    MonitorPoint,
    Rule,
)
from .orm import MonitorAlertActionRow, MonitorAlertRow, MonitorPointRow, MonitorRow

_RETRIES = 5
PENDING_DETAIL = {
    "run_job": (
        "pending: recorded for the jobs area; the job scheduler starts a run of the job "
        "on its next tick"
    ),
    "block_promotion": (
        "pending: blocks the job's promotion while the alert is open (the promotion gate "
        "reads it; acknowledging the alert lifts the block)"
    ),
}
_rules = TypeAdapter(list[Rule])
_actions = TypeAdapter(list[Action])
_columns = TypeAdapter(list[ColumnDrift])
_distributions = TypeAdapter(list[ColumnDistribution])


def _open_alert(*, until_authenticated: bool) -> ColumnElement[bool]:
    """An alert nobody acknowledged; with ``until_authenticated``, also one whose
    acknowledgement the Jupyter server did not authenticate (a kernel's, or unrecorded)."""
    unacknowledged: ColumnElement[bool] = MonitorAlertRow.acknowledged_at.is_(None)
    if not until_authenticated:
        return unacknowledged
    return or_(
        unacknowledged,
        MonitorAlertRow.acknowledged_by_source.is_(None),
        MonitorAlertRow.acknowledged_by_source != AUTHENTICATED,
    )


class MonitorStore(StateStore):
    """The monitors of one workspace."""

    # -- writing ---------------------------------------------------------------------
    def configure(
        self,
        name: str,
        thresholds: Sequence[str | Rule] | None = None,
        actions: Sequence[str | Action] | None = None,
    ) -> Monitor:
        """Create monitor ``name`` or replace its thresholds and/or actions (None keeps them)."""
        rules.check_monitor_name(name)
        wanted = rules.parse_rules(thresholds), rules.parse_actions(actions)
        with db.session_scope(self.url) as session:
            row = self._monitor_row(session, name, *wanted, kind="data", reference=None)
            return self._to_monitor(session, row)

    def record(
        self,
        name: str,
        report: DriftReport,
        *,
        thresholds: Sequence[str | Rule] | None = None,
        actions: Sequence[str | Action] | None = None,
        mlflow_run_id: str | None = None,
    ) -> MonitorPoint:
        """Add a point for ``report`` to monitor ``name``, with the alerts it raises."""
        rules.check_monitor_name(name)
        if not isinstance(report, DriftReport):
            raise Invalid(
                f"record() takes the report of a drift check (mlops.monitor.drift or "
                f"check_drift), not a {type(report).__name__}"
            )
        wanted = rules.parse_rules(thresholds), rules.parse_actions(actions)
        for _ in range(_RETRIES):
            try:
                return self._record(name, report, wanted, mlflow_run_id)
            except IntegrityError:  # a concurrent first point created the monitor: retry
                continue
        raise Conflict(f"monitor {name!r} is being created by too many writers at once; retry")

    def _record(
        self,
        name: str,
        report: DriftReport,
        wanted: tuple[list[Rule] | None, list[Action] | None],
        mlflow_run_id: str | None,
    ) -> MonitorPoint:
        check = report if isinstance(report, DriftCheck) else None
        quality = check.quality if check else None
        reference = check.reference if check else None
        with db.session_scope(self.url) as session:
            kind = "model" if quality is not None else "data"
            monitor = self._monitor_row(session, name, *wanted, kind=kind, reference=reference)
            point = _point_row(monitor.id, report, check, mlflow_run_id)
            session.add(point)
            session.flush()
            values = rules.point_values(report, quality)
            actions = _actions.validate_json(monitor.actions)
            fired = rules.breaches(_rules.validate_json(monitor.thresholds), values)
            for number, (rule, value) in enumerate(fired):
                alert = MonitorAlertRow(
                    monitor_id=monitor.id,
                    point_id=point.id,
                    rule=rule.text,
                    message=rules.describe_breach(name, rule, value),
                    created_at=point.created_at,
                )
                session.add(alert)
                session.flush()
                # a job runs once per breaching check (on its first alert); a promotion stays
                # blocked while any alert of the check is open (on every alert)
                for action in actions:
                    if action.kind == "run_job" and number > 0:
                        continue
                    session.add(
                        MonitorAlertActionRow(
                            alert_id=alert.id,
                            kind=action.kind,
                            job=action.job,
                            status="pending",
                            detail=PENDING_DETAIL[action.kind],
                            updated_at=point.created_at,
                        )
                    )
            session.flush()
            return self._to_point(session, point, name)

    def _monitor_row(
        self,
        session: Session,
        name: str,
        thresholds: list[Rule] | None,
        actions: list[Action] | None,
        kind: str,
        reference: str | None,
    ) -> MonitorRow:
        """The monitor named ``name``, created if missing, updated with what is given."""
        row = session.scalar(select(MonitorRow).where(MonitorRow.name == name))
        stamp = now()
        if row is None:
            row = MonitorRow(
                name=name,
                kind=kind,
                reference=reference,
                thresholds=_rules.dump_json(thresholds or []).decode(),
                actions=_actions.dump_json(actions or []).decode(),
                created_at=stamp,
                updated_at=stamp,
            )
            session.add(row)
            session.flush()
            return row
        if thresholds is not None:
            row.thresholds = _rules.dump_json(thresholds).decode()
        if actions is not None:
            row.actions = _actions.dump_json(actions).decode()
        if kind == "model":
            row.kind = kind
        if reference is not None:
            row.reference = reference
        row.updated_at = stamp
        return row

    def acknowledge(self, alert_id: int, user: str) -> Alert:
        """Mark an open alert acknowledged by ``user``; Conflict if it already is.

        An acknowledgement the Jupyter server authenticated may replace one that was only
        asserted (a kernel's or the CLI's): where the workspace requires authenticated
        decisions, that is what clears a ``block_promotion`` alert."""
        if isinstance(alert_id, bool) or not isinstance(alert_id, int):
            raise Invalid(f"an alert id is a whole number, not {alert_id!r}")
        if not isinstance(user, str) or not user.strip():
            raise Invalid("acknowledging an alert needs the user's name")
        name, source = check_username(user.strip(), "the acknowledging user"), source_of(user)
        with db.session_scope(self.url) as session:
            # compare-and-set: of two racing acknowledgements (on any database) one wins;
            # an authenticated one may replace a kernel's (asserted) acknowledgement
            still_open = _open_alert(until_authenticated=source == AUTHENTICATED)
            result = session.execute(
                update(MonitorAlertRow)
                .where(MonitorAlertRow.id == alert_id, still_open)
                .values(acknowledged_by=name, acknowledged_by_source=source, acknowledged_at=now())
            )
            taken = cast("CursorResult[Any]", result).rowcount
            row = session.get(MonitorAlertRow, alert_id)
            if row is None:
                raise NotFound(f"no alert {alert_id}")
            if not taken:
                assert row.acknowledged_at is not None
                raise Conflict(
                    f"alert {alert_id} was already acknowledged by {row.acknowledged_by} "
                    f"at {row.acknowledged_at:%Y-%m-%d %H:%M:%S} UTC"
                )
            return self._to_alerts(session, [row])[0]

    # -- reading -------------------------------------------------------------------
    def monitors(self) -> list[Monitor]:
        """Every monitor, by name, with its point count, open alerts and latest point."""
        with db.session_scope(self.url) as session:
            rows = session.scalars(select(MonitorRow).order_by(MonitorRow.name)).all()
            return [self._to_monitor(session, row) for row in rows]

    def monitor(self, name: str) -> Monitor:
        rules.check_monitor_name(name)
        with db.session_scope(self.url) as session:
            return self._to_monitor(session, _monitor(session, name))

    def history(self, name: str, limit: int | None = None) -> list[MonitorPoint]:
        """The points of monitor ``name``, newest first (the newest ``limit`` of them)."""
        rules.check_monitor_name(name)
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise Invalid(f"limit must be a whole number, not {limit!r}")
        if limit is not None and limit < 1:
            raise Invalid(f"limit must be at least 1, not {limit}")
        with db.session_scope(self.url) as session:
            monitor = _monitor(session, name)
            query = (
                select(MonitorPointRow)
                .where(MonitorPointRow.monitor_id == monitor.id)
                .order_by(MonitorPointRow.created_at.desc(), MonitorPointRow.id.desc())
                .limit(limit)
            )
            return [self._to_point(session, p, name) for p in session.scalars(query)]

    def point(self, point_id: int) -> MonitorPoint:
        with db.session_scope(self.url) as session:
            row = session.get(MonitorPointRow, point_id)
            if row is None:
                raise NotFound(f"no monitor point {point_id}")
            monitor = session.get(MonitorRow, row.monitor_id)
            assert monitor is not None
            return self._to_point(session, row, monitor.name)

    def alerts(
        self,
        name: str | None = None,
        include_acknowledged: bool = False,
        *,
        offset: int = 0,
        limit: int | None = None,
        open_until_authenticated: bool = False,
    ) -> list[Alert]:
        """Alerts, newest first: open ones only unless ``include_acknowledged``; ``offset``
        and ``limit`` take one page of them. ``open_until_authenticated``: an alert whose
        acknowledgement was not authenticated by the Jupyter server counts as open."""
        with db.session_scope(self.url) as session:
            query = select(MonitorAlertRow).order_by(MonitorAlertRow.id.desc())
            query = query.offset(offset).limit(limit)
            if name is not None:
                rules.check_monitor_name(name)
                query = query.where(MonitorAlertRow.monitor_id == _monitor(session, name).id)
            if not include_acknowledged:
                query = query.where(_open_alert(until_authenticated=open_until_authenticated))
            return self._to_alerts(session, list(session.scalars(query)))

    # -- to models -------------------------------------------------------------------
    def _to_monitor(self, session: Session, row: MonitorRow) -> Monitor:
        points = session.scalar(select(func.count()).where(MonitorPointRow.monitor_id == row.id))
        open_alerts = session.scalar(
            select(func.count()).where(
                MonitorAlertRow.monitor_id == row.id, MonitorAlertRow.acknowledged_at.is_(None)
            )
        )
        last = session.scalar(
            select(MonitorPointRow)
            .where(MonitorPointRow.monitor_id == row.id)
            .order_by(MonitorPointRow.created_at.desc(), MonitorPointRow.id.desc())
            .limit(1)
        )
        return Monitor(
            id=row.id,
            name=row.name,
            kind=row.kind,  # type: ignore[arg-type]
            reference=row.reference,
            thresholds=_rules.validate_json(row.thresholds),
            actions=_actions.validate_json(row.actions),
            created_at=row.created_at,
            updated_at=row.updated_at,
            points=points or 0,
            open_alerts=open_alerts or 0,
            last_point=None if last is None else self._to_point(session, last, row.name),
        )

    def _to_point(self, session: Session, row: MonitorPointRow, name: str) -> MonitorPoint:
        alerts = children(session, MonitorAlertRow.point_id, row.id, MonitorAlertRow.id)
        return MonitorPoint(
            **point_summary(row),
            monitor=name,
            columns=_columns.validate_json(row.column_scores),
            quality=_maybe(ModelQuality, row.quality),
            distributions=_distributions.validate_json(row.distributions or "[]"),
            reference=row.reference,
            mlflow_run_id=row.mlflow_run_id,
            evidently=_maybe(EvidentlyArtifact, row.evidently),
            alerts=self._to_alerts(session, list(alerts)),
        )

    def _to_alerts(self, session: Session, rows: list[MonitorAlertRow]) -> list[Alert]:
        if not rows:
            return []
        ids = {r.monitor_id for r in rows}
        query = select(MonitorRow.id, MonitorRow.name).where(MonitorRow.id.in_(ids))
        names = {monitor_id: name for monitor_id, name in session.execute(query)}
        monitor_of = {r.id: names[r.monitor_id] for r in rows}
        actions: dict[int, list[AlertAction]] = {}
        for action in session.scalars(
            select(MonitorAlertActionRow)
            .where(MonitorAlertActionRow.alert_id.in_(list(monitor_of)))
            .order_by(MonitorAlertActionRow.id)
        ):
            entry = to_action(action, monitor_of[action.alert_id])
            actions.setdefault(action.alert_id, []).append(entry)
        return [
            Alert(
                id=r.id,
                monitor=monitor_of[r.id],
                point_id=r.point_id,
                rule=r.rule,
                message=r.message,
                created_at=r.created_at,
                acknowledged_by=r.acknowledged_by,
                acknowledged_by_source=r.acknowledged_by_source,  # type: ignore[arg-type]
                acknowledged_at=r.acknowledged_at,
                actions=actions.get(r.id, []),
            )
            for r in rows
        ]


def point_summary(row: MonitorPointRow) -> dict[str, Any]:
    """The fields of a point that its full model and its table row share."""
    return {
        "id": row.id,
        "created_at": row.created_at,
        "engine": row.engine,
        "reference_rows": row.reference_rows,
        "current_rows": row.current_rows,
        "share_of_drifted_columns": row.drifted_share,
        "number_of_drifted_columns": row.drifted_columns,
        "number_of_columns": row.tested_columns,
        "dataset_drifted": row.dataset_drifted,
        "reference_dataset": row.reference_dataset,
        "current_dataset": row.current_dataset,
    }


def to_action(row: MonitorAlertActionRow, monitor: str) -> AlertAction:
    return AlertAction(
        id=row.id,
        alert_id=row.alert_id,
        monitor=monitor,
        kind=row.kind,  # type: ignore[arg-type]
        job=row.job,
        status=row.status,  # type: ignore[arg-type]
        detail=row.detail,
        updated_at=row.updated_at,
    )


def _monitor(session: Session, name: str) -> MonitorRow:
    row = session.scalar(select(MonitorRow).where(MonitorRow.name == name))
    if row is None:
        raise NotFound(f"no monitor named {name!r}")
    return row


def _maybe(model: Any, text: str | None) -> Any:
    return None if text is None else model.model_validate_json(text)


def _json(models: Sequence[Any]) -> str:
    return json.dumps([m.model_dump(mode="json") for m in models])


def _point_row(
    monitor_id: int, report: DriftReport, check: DriftCheck | None, mlflow_run_id: str | None
) -> MonitorPointRow:
    dataset = report.dataset
    return MonitorPointRow(
        monitor_id=monitor_id,
        created_at=now(),
        engine=check.engine if check else "fast",
        reference_rows=report.reference_rows,
        current_rows=report.current_rows,
        drifted_share=dataset.share_of_drifted_columns,
        drifted_columns=dataset.number_of_drifted_columns,
        tested_columns=dataset.number_of_columns,
        dataset_drifted=dataset.drifted,
        column_scores=_json(report.columns),
        quality=check.quality.model_dump_json() if check and check.quality else None,
        distributions=_json(check.distributions) if check else None,
        reference=check.reference if check else None,
        reference_dataset=check.reference_dataset if check else None,
        current_dataset=check.current_dataset if check else None,
        mlflow_run_id=mlflow_run_id,
        evidently=check.evidently.model_dump_json() if check and check.evidently else None,
    )
