"""Read and act views of monitors for the REST API (the Monitoring panel).

Each function takes the monitor store and a parsed request (path parts as text, checked
here) and returns a response model of ``views.py``. Lists read only the summary columns of
points; a time series reads a page of points' column scores, never their distributions.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from .. import contract, db
from ..errors import NotFound
from . import rules
from .models import ModelQuality
from .orm import MonitorAlertRow, MonitorPointRow, MonitorRow
from .reports import read_report
from .store import MonitorStore, point_summary
from .views import (
    ColumnSeries,
    ListAlertsQuery,
    ListAlertsResponse,
    ListMonitorsQuery,
    ListMonitorsResponse,
    MonitorDetail,
    MonitorStatus,
    PointDetail,
    PointRow,
    PointsPage,
    PointsQuery,
    QualitySeries,
)

_NEWEST = (MonitorPointRow.created_at.desc(), MonitorPointRow.id.desc())


def parse_id(text: str, what: str) -> int:
    """A point or alert id from a path segment: a whole number a database can hold."""
    return contract.parse_id(text, what)


def list_monitors(store: MonitorStore, query: ListMonitorsQuery) -> ListMonitorsResponse:
    """Monitors whose name contains ``query.search``, by name, one page, with their status."""
    open_alert = MonitorAlertRow.acknowledged_at.is_(None)
    with store.session() as session:
        offset = query.page * query.page_size
        total, rows = store.name_page(
            session, MonitorRow.name, query.search, offset, query.page_size, MonitorRow
        )
        ids = [r.id for r in rows]
        points = _counts(session, MonitorPointRow.monitor_id, ids)
        alerts = _counts(session, MonitorAlertRow.monitor_id, ids, open_alert)
        all_open = session.scalar(select(func.count()).where(open_alert)) or 0
        monitors = [
            _status(row, points.get(row.id, 0), alerts.get(row.id, 0), _last(session, row.id))
            for row in rows
        ]
    return ListMonitorsResponse(monitors=monitors, total=total, open_alerts=all_open)


def _counts(session: Any, column: Any, ids: list[int], *where: Any) -> dict[int, int]:
    query = select(column, func.count()).where(column.in_(ids), *where).group_by(column)
    return {key: count for key, count in session.execute(query)}


def _last(session: Any, monitor_id: int) -> MonitorPointRow | None:
    query = select(MonitorPointRow).where(MonitorPointRow.monitor_id == monitor_id)
    return session.scalar(query.order_by(*_NEWEST).limit(1))  # type: ignore[no-any-return]


def _status(
    row: MonitorRow, points: int, open_alerts: int, last: MonitorPointRow | None
) -> MonitorStatus:
    status = MonitorStatus(
        name=row.name,
        kind=row.kind,  # type: ignore[arg-type]
        reference=row.reference,
        points=points,
        open_alerts=open_alerts,
    )
    if last is not None:
        status.last_point_id = last.id
        status.last_point_at = last.created_at
        status.share_of_drifted_columns = last.drifted_share
        status.number_of_drifted_columns = last.drifted_columns
        status.number_of_columns = last.tested_columns
        status.dataset_drifted = last.dataset_drifted
    return status


def monitor_detail(store: MonitorStore, name: str) -> MonitorDetail:
    """The monitor with its thresholds and actions, point count and open alerts."""
    monitor = store.monitor(name)  # checks the name; NotFound if unknown
    return MonitorDetail(
        **monitor.model_dump(include=set(MonitorDetail.model_fields) - {"points", "open_alerts"}),
        points=monitor.points,
        open_alerts=monitor.open_alerts,
    )


def points_page(store: MonitorStore, name: str, query: PointsQuery) -> PointsPage:
    """A page of the monitor's points (page 0: the newest), returned oldest first, with
    each column's scores and each quality metric as series aligned with the points."""
    rules.check_monitor_name(name)
    with db.session_scope(store.url) as session:
        monitor = session.scalar(select(MonitorRow).where(MonitorRow.name == name))
        if monitor is None:
            raise NotFound(f"no monitor named {name!r}")
        where = MonitorPointRow.monitor_id == monitor.id
        total = session.scalar(select(func.count()).where(where)) or 0
        newest = session.scalars(
            select(MonitorPointRow)
            .where(where)
            .order_by(*_NEWEST)
            .offset(query.page * query.page_size)
            .limit(query.page_size)
        ).all()
        rows = list(reversed(newest))
        alerts = _counts(session, MonitorAlertRow.point_id, [r.id for r in rows])
        points = [_point_row(r, alerts.get(r.id, 0)) for r in rows]
        columns = _column_series([json.loads(r.column_scores) for r in rows])
        quality = _quality_series([r.quality for r in rows])
    return PointsPage(
        monitor=name,
        points=points,
        columns=columns,
        quality=quality,
        page=query.page,
        page_size=query.page_size,
        total=total,
    )


def _point_row(row: MonitorPointRow, alerts: int) -> PointRow:
    return PointRow(**point_summary(row), alerts=alerts, has_report=row.evidently is not None)


def _column_series(points: list[list[dict[str, Any]]]) -> list[ColumnSeries]:
    """Per column, its score and verdict at each point; most often drifted first."""
    series: dict[str, ColumnSeries] = {}
    for index, columns in enumerate(points):
        for entry in columns:
            name = entry["column"]
            line = series.get(name)
            if line is None:
                line = series[name] = ColumnSeries(
                    column=name,
                    test_label=None,
                    statistic=None,
                    threshold=None,
                    scores=[None] * len(points),
                    drifted=[None] * len(points),
                    drift_count=0,
                )
            line.scores[index] = entry.get("score")
            line.drifted[index] = entry.get("drifted")
            if entry.get("drifted") is not None:  # the newest tested point names the test
                line.test_label = entry.get("test_label")
                line.statistic = entry.get("statistic")
                line.threshold = entry.get("threshold")
            line.drift_count += entry.get("drifted") is True
    return sorted(series.values(), key=lambda s: (-s.drift_count, s.column))


def _quality_series(texts: list[str | None]) -> list[QualitySeries]:
    """Per quality metric, its current and reference values at each point."""
    series: dict[str, QualitySeries] = {}
    for index, text in enumerate(texts):
        if text is None:
            continue
        for metric in ModelQuality.model_validate_json(text).metrics:
            line = series.get(metric.name)
            if line is None:
                line = series[metric.name] = QualitySeries(
                    name=metric.name,
                    greater_is_better=metric.greater_is_better,
                    current=[None] * len(texts),
                    reference=[None] * len(texts),
                )
            line.current[index] = metric.current
            line.reference[index] = metric.reference
    return list(series.values())


def point_detail(store: MonitorStore, name: str, point_id: str) -> PointDetail:
    """One point of monitor ``name`` in full, with the path of its Evidently report."""
    point = _point_of(store, name, point_id)
    report = f"monitors/{name}/points/{point.id}/report" if point.evidently else None
    return PointDetail(**dict(point), report=report)


def report_html(store: MonitorStore, name: str, point_id: str) -> bytes:
    """The Evidently HTML report of one point (verified when read back)."""
    point = _point_of(store, name, point_id)
    if point.evidently is None:
        raise NotFound(
            f"point {point.id} of monitor {name!r} has no Evidently report: it ran with the "
            "fast engine (run %monitor drift with --engine evidently to keep one)"
        )
    return read_report(store.ws, point.evidently)


def _point_of(store: MonitorStore, name: str, point_id: str) -> Any:
    rules.check_monitor_name(name)
    number = parse_id(point_id, "a point")
    store.monitor(name)  # NotFound for an unknown monitor, before the point
    try:
        point = store.point(number)
    except NotFound:
        point = None
    if point is None or point.monitor != name:
        raise NotFound(f"monitor {name!r} has no point {number}")
    return point


def list_alerts(store: MonitorStore, query: ListAlertsQuery) -> ListAlertsResponse:
    """Alerts newest first (one monitor's, if named; open ones unless asked), one page."""
    name = query.monitor or None
    if name is not None:
        store.monitor(name)  # a clear 400/404 for a bad or unknown name
    alerts = store.alerts(
        name,
        query.include_acknowledged,
        offset=query.page * query.page_size,
        limit=query.page_size,
    )
    with db.session_scope(store.url) as session:
        where = [] if name is None else [MonitorAlertRow.monitor_id == _monitor_id(session, name)]
        count = select(func.count()).select_from(MonitorAlertRow).where(*where)
        open_count = session.scalar(count.where(MonitorAlertRow.acknowledged_at.is_(None))) or 0
        total = open_count if not query.include_acknowledged else session.scalar(count) or 0
    return ListAlertsResponse(alerts=alerts, total=total, open=open_count)


def _monitor_id(session: Any, name: str) -> int:
    monitor_id = session.scalar(select(MonitorRow.id).where(MonitorRow.name == name))
    if monitor_id is None:
        raise NotFound(f"no monitor named {name!r}")
    return int(monitor_id)
