"""Serving in team mode: what a kernel reads of the team's endpoints, from the service.

The team's endpoints run beside the service, which alone deploys, rolls out and stops
them (the Serving panel, in each user's server, does that through the service as its
user). From a kernel, ``mlops.serving.endpoints``, ``status`` and ``events`` read them
through the service's routes; the other calls are refused in team mode (``api.py``).
"""

from __future__ import annotations

from ..errors import NotFound
from ..remote import Call, client
from .models import EndpointDetail, EndpointStatus, ListEndpointsResponse
from .store import ServingEvent

LIST = Call("get", "/serving/endpoints", ListEndpointsResponse)
DETAIL = Call("get", "/serving/endpoints/{endpoint}", EndpointDetail)
CALLS = (LIST, DETAIL)


def endpoints() -> ListEndpointsResponse:
    return client().send(LIST)


def status(name: str) -> EndpointStatus:
    summary = client().send(DETAIL, {"endpoint": name}).summary
    if summary.status is None:
        why = summary.error or "it is not running"
        raise NotFound(f"endpoint {name!r} has no status: {why}")
    return summary.status


def events(name: str) -> list[ServingEvent]:
    return client().send(DETAIL, {"endpoint": name}).events
