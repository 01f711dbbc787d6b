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
from ..tracking import models as tm

API_PREFIX = "/mlops/api"


@dataclass(frozen=True)
class Route:
    """One REST route: a tornado path pattern and its documented contract."""

    path: str  # OpenAPI form, e.g. "/runs/{run_id}"
    pattern: str  # tornado regex, e.g. r"/runs/(?P<run_id>[0-9a-f]{32})"
    handler: str  # "module:Class" under jupyter_mlops.server
    summary: str
    response: type[BaseModel]
    query: type[BaseModel] | None = None
    tag: str = "tracking"
    method: str = "get"
    body: type[BaseModel] | None = None


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
)
