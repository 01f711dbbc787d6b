"""The REST contract of the Monitoring panel: the query and response model of each view.

The views themselves are in ``queries.py``; the route table (``server/routes.py``) names these
models, so the OpenAPI document and the frontend's types follow them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..contract import StrictModel, UtcDateTime, max_page
from .models import Action, Alert, MonitorPoint, Rule

MAX_PAGE_SIZE = 1000


class ListMonitorsQuery(StrictModel):
    """Query of ``GET /mlops/api/monitors``: a name search and a page."""

    search: str = Field(default="", max_length=128, description="Part of the monitor name")
    page: int = Field(default=0, ge=0, le=max_page(500))
    page_size: int = Field(default=50, ge=1, le=500)


class MonitorStatus(StrictModel):
    """A monitor and where it stands: its latest point's verdict and its open alerts."""

    name: str
    kind: Literal["data", "model"]
    reference: str | None
    points: int
    open_alerts: int
    last_point_id: int | None = None
    last_point_at: UtcDateTime | None = None
    share_of_drifted_columns: float | None = None
    number_of_drifted_columns: int | None = None
    number_of_columns: int | None = None
    dataset_drifted: bool | None = None  # None: no point yet, or no column could be tested


class ListMonitorsResponse(StrictModel):
    monitors: list[MonitorStatus]
    total: int  # monitors matching the search
    open_alerts: int  # open alerts of every monitor


class MonitorDetail(StrictModel):
    """``GET /mlops/api/monitors/{name}``: the monitor with its thresholds and actions (the
    points are read by page, ``PointsPage``)."""

    name: str
    kind: Literal["data", "model"]
    reference: str | None
    thresholds: list[Rule]
    actions: list[Action]
    created_at: UtcDateTime
    updated_at: UtcDateTime
    points: int
    open_alerts: int


class PointsQuery(StrictModel):
    """A page of a monitor's points: page 0 holds the newest ``page_size`` points."""

    page: int = Field(default=0, ge=0, le=max_page(MAX_PAGE_SIZE))
    page_size: int = Field(default=100, ge=1, le=MAX_PAGE_SIZE)


class PointRow(StrictModel):
    """One point of the time series: the check's summary."""

    id: int
    created_at: UtcDateTime
    engine: Literal["fast", "evidently"]
    reference_rows: int
    current_rows: int
    share_of_drifted_columns: float | None
    number_of_drifted_columns: int
    number_of_columns: int
    dataset_drifted: bool | None
    reference_dataset: str | None = None
    current_dataset: str | None = None
    alerts: int  # alerts the point raised
    has_report: bool  # Evidently's HTML report is stored for it


class ColumnSeries(StrictModel):
    """One column's scores over the page's points (aligned with ``PointsPage.points``;
    None where the point did not test the column)."""

    column: str
    test_label: str | None  # of the newest point that tested it
    statistic: Literal["p_value", "distance"] | None
    threshold: float | None
    scores: list[float | None]
    drifted: list[bool | None]
    drift_count: int  # points of the page where it drifted


class QualitySeries(StrictModel):
    """One model-quality metric over the page's points (aligned with the points)."""

    name: str
    greater_is_better: bool
    current: list[float | None]
    reference: list[float | None]


class PointsPage(StrictModel):
    """A page of a monitor's history, oldest first (as a time-series plot draws it).

    ``columns`` lists every column, the most often drifted first; ``quality`` the metrics
    any point of the page carried.
    """

    monitor: str
    points: list[PointRow]
    columns: list[ColumnSeries]
    quality: list[QualitySeries]
    page: int
    page_size: int
    total: int


class PointDetail(MonitorPoint):
    """One point in full: every column's test, score, threshold and verdict, quality
    metrics, distributions of drifted columns, alerts; ``report`` is the API path serving
    Evidently's HTML report when the point has one."""

    report: str | None = None


class ListAlertsQuery(StrictModel):
    """Query of ``GET /mlops/api/alerts``: one monitor's or all; open only unless asked."""

    monitor: str | None = Field(default=None, max_length=128)
    include_acknowledged: bool = False
    page: int = Field(default=0, ge=0, le=max_page(500))
    page_size: int = Field(default=50, ge=1, le=500)


class ListAlertsResponse(StrictModel):
    alerts: list[Alert]  # newest first
    total: int  # alerts matching the query
    open: int  # open alerts (of the monitor, if one is named)
