"""The route table of the REST API: path, handler, and the models of each verb.

Both the server (``app.py`` registers the handlers) and the OpenAPI generator read this
table, so a route cannot exist without its documented contract.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

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
)
