"""The route table of the REST API: path, handler, and the models of each verb.

Both the server (``app.py`` registers the handlers) and the OpenAPI generator read this
table, so a route cannot exist without its documented contract.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from ..datasets import models as dm
from ..datasets.checks import CheckReport, DatasetChecks
from ..datasets.diff import DatasetDiff
from ..monitoring import models as mm
from ..monitoring import views as mv
from ..tracking import models as tm

API_PREFIX = "/mlops/api"


@dataclass(frozen=True)
class Route:
    """One REST route: a tornado path pattern and its documented contract."""

    path: str  # OpenAPI form, e.g. "/runs/{run_id}"
    pattern: str  # tornado regex, e.g. r"/runs/(?P<run_id>[0-9a-f]{32})"
    handler: str  # "module:Class" under jupyter_mlops.server
    summary: str
    response: type[BaseModel] | None  # None: not JSON, see media_type
    query: type[BaseModel] | None = None
    tag: str = "tracking"
    method: str = "get"
    body: type[BaseModel] | None = None
    media_type: str = "application/json"


ROUTES: tuple[Route, ...] = (
    Route(
        "/info",
        "/info",
        "info:InfoHandler",
        "Resolved workspace",
        tm.WorkspaceInfo,
        tag="workspace",
    ),
    Route(
        "/experiments",
        "/experiments",
        "tracking:ExperimentsHandler",
        "List experiments",
        tm.ListExperimentsResponse,
    ),
    Route(
        "/runs",
        "/runs",
        "tracking:RunsHandler",
        "Search runs (paged, sorted, filtered)",
        tm.ListRunsResponse,
        query=tm.ListRunsQuery,
    ),
    Route(
        "/runs/{run_id}",
        r"/runs/(?P<run_id>[^/]+)",
        "tracking:RunHandler",
        "One run: params, metrics, history, tags, artifacts, notebook source",
        tm.RunDetail,
    ),
    Route(
        "/compare",
        "/compare",
        "tracking:CompareHandler",
        "Compare runs",
        tm.CompareResponse,
        query=tm.CompareQuery,
    ),
    Route(
        "/datasets",
        "/datasets",
        "datasets:DatasetsHandler",
        "List datasets (name search, paged)",
        dm.ListDatasetsResponse,
        query=dm.ListDatasetsQuery,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}",
        r"/datasets/(?P<name>[^/]+)",
        "datasets:DatasetHandler",
        "A dataset's versions (newest first) and checks",
        dm.DatasetDetail,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}/checks",
        r"/datasets/(?P<name>[^/]+)/checks",
        "datasets:ChecksHandler",
        "Replace the checks attached to a dataset",
        DatasetChecks,
        tag="datasets",
        method="put",
        body=DatasetChecks,
    ),
    Route(
        "/datasets/{name}/diff",
        r"/datasets/(?P<name>[^/]+)/diff",
        "datasets:DiffHandler",
        "Diff two versions: schema, rows (by key), statistic shifts",
        DatasetDiff,
        query=dm.DiffQuery,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}/versions/{version}",
        r"/datasets/(?P<name>[^/]+)/versions/(?P<version>[^/]+)",
        "datasets:VersionHandler",
        "One version (vN, tag or hash prefix): manifest, lineage to runs, check report",
        dm.VersionDetail,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}/versions/{version}/rows",
        r"/datasets/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/rows",
        "datasets:RowsHandler",
        "A page of a table version's rows",
        dm.RowsPage,
        query=dm.RowsQuery,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}/versions/{version}/check",
        r"/datasets/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/check",
        "datasets:CheckHandler",
        "Run the dataset's checks on a version now and record the report",
        CheckReport,
        tag="datasets",
        method="post",
    ),
    Route(
        "/monitors",
        "/monitors",
        "monitoring:MonitorsHandler",
        "List monitors with their status (name search, paged)",
        mv.ListMonitorsResponse,
        query=mv.ListMonitorsQuery,
        tag="monitoring",
    ),
    Route(
        "/monitors/{name}",
        r"/monitors/(?P<name>[^/]+)",
        "monitoring:MonitorHandler",
        "A monitor: its thresholds, actions, point count and open alerts",
        mv.MonitorDetail,
        tag="monitoring",
    ),
    Route(
        "/monitors/{name}/points",
        r"/monitors/(?P<name>[^/]+)/points",
        "monitoring:PointsHandler",
        "A page of a monitor's points as time series (page 0: newest; oldest first within)",
        mv.PointsPage,
        query=mv.PointsQuery,
        tag="monitoring",
    ),
    Route(
        "/monitors/{name}/points/{point_id}",
        r"/monitors/(?P<name>[^/]+)/points/(?P<point_id>[^/]+)",
        "monitoring:PointHandler",
        "One point in full: per-column report, quality, alerts, its Evidently report's path",
        mv.PointDetail,
        tag="monitoring",
    ),
    Route(
        "/monitors/{name}/points/{point_id}/report",
        r"/monitors/(?P<name>[^/]+)/points/(?P<point_id>[^/]+)/report",
        "monitoring:PointReportHandler",
        "Evidently's HTML report of a point, served sandboxed (CSP sandbox, nosniff)",
        None,
        tag="monitoring",
        media_type="text/html",
    ),
    Route(
        "/alerts",
        "/alerts",
        "monitoring:AlertsHandler",
        "Alerts, newest first (one monitor's; open only unless include_acknowledged)",
        mv.ListAlertsResponse,
        query=mv.ListAlertsQuery,
        tag="monitoring",
    ),
    Route(
        "/alerts/{alert_id}/acknowledge",
        r"/alerts/(?P<alert_id>[^/]+)/acknowledge",
        "monitoring:AcknowledgeHandler",
        "Acknowledge an open alert as the signed-in user (409 naming who, if already done)",
        mm.Alert,
        tag="monitoring",
        method="post",
    ),
)
