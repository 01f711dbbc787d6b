"""What the serving area shows: the workspace's endpoints, one endpoint's page (status,
audit trail, latest answered requests), and its inference log as a DataFrame."""

from __future__ import annotations

import pandas as pd

from ..errors import Invalid, MlopsError, NotFound
from ..workspace import Workspace
from .commands import running, serving_store, status_of
from .endpoint import endpoint_dir
from .inference_log import read_log
from .models import EndpointDetail, EndpointSummary, ListEndpointsResponse, LogRow
from .refs import check_endpoint_name
from .serve import log_dir

DETAIL_LOG_ROWS = 20


def summary(ws: Workspace, name: str) -> EndpointSummary:
    """Endpoint ``name``: running or not, and what its router says when it runs."""
    found = running(endpoint_dir(ws, name))
    if found is None:
        return EndpointSummary(name=name, running=False)
    try:
        now = status_of(found)
    except MlopsError as exc:
        return EndpointSummary(name=name, running=True, url=found.url, model=found.model,
                               error=str(exc))  # fmt: skip
    return EndpointSummary(name=name, running=True, url=found.url, model=found.model, status=now)


def list_endpoints(ws: Workspace) -> ListEndpointsResponse:
    """Every endpoint this workspace has served, running ones first, then by name."""
    root = ws.mlops_dir / "serving"
    names = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    found = [summary(ws, name) for name in names]
    return ListEndpointsResponse(endpoints=sorted(found, key=lambda e: (not e.running, e.name)))


def log(
    ws: Workspace, name: str, since: pd.Timestamp | str | None = None, last: int | None = None
) -> pd.DataFrame:
    """Every request endpoint ``name`` answered (from ``since``, a time with its zone),
    oldest first: time (UTC), endpoint, arm, model version, request id, input, prediction,
    latency and status."""
    directory = log_dir(endpoint_dir(ws, check_endpoint_name(name)))
    if not directory.exists():
        raise NotFound(f"endpoint {name} has no inference log (never served here)")
    start = None
    if since is not None:
        start = pd.Timestamp(since)
        if start.tzinfo is None:
            raise Invalid(f"since={since!r} has no time zone: give one, e.g. '…+00:00'")
    return read_log(directory, start, last)


def endpoint_detail(ws: Workspace, name: str) -> EndpointDetail:
    """The panel's page of endpoint ``name``."""
    check_endpoint_name(name)
    if not endpoint_dir(ws, name).is_dir():
        raise NotFound(f"no endpoint named {name} was ever served here")
    try:
        frame = log(ws, name, last=DETAIL_LOG_ROWS).iloc[::-1]
    except NotFound:
        frame = pd.DataFrame()
    rows = [
        LogRow(
            time=r.time.to_pydatetime(warn=False),
            arm=str(r.arm),
            model_version=None if pd.isna(r.model_version) else str(r.model_version),
            request_id=str(r.request_id),
            input=str(r.input)[:2000],
            prediction=str(r.prediction)[:2000],
            latency_ms=float(r.latency_ms),
            status=int(r.status),
        )
        for r in frame.itertuples()
    ]
    events = serving_store(ws).events(name, limit=50)
    return EndpointDetail(summary=summary(ws, name), events=events, log=rows)
