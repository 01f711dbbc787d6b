"""``mlops.serving``: deploy a registered model from a notebook, roll a challenger out beside
it (shadow or canary), promote or abort it, and read what the endpoint answered.

``by`` is who acts (default: the kernel's user), recorded as asserted in the audit trail.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pandas as pd
from pydantic import ValidationError

from ..datasets.models import SaveResult
from ..errors import Invalid
from ..identity import asserted
from ..monitoring.models import DriftCheck
from ..remote import active as team_mode
from ..remote import refuse_local_state
from ..workspace import Workspace, resolve_workspace
from . import batch, commands, queries
from . import live as live_traffic
from . import remote as service
from .commands import Deployment
from .kserve import inference_service
from .models import EndpointStatus, ListEndpointsResponse
from .rollout import RolloutRules
from .scoring import HEALTH_TIMEOUT_S
from .serve import DEFAULT_PORT
from .store import ServingEvent

__all__ = [
    "Deployment",
    "RolloutRules",
    "abort",
    "canary",
    "deploy",
    "endpoints",
    "events",
    "export_kserve",
    "label",
    "live",
    "log",
    "promote",
    "score",
    "shadow",
    "status",
    "stop",
    "watch",
]

Rules = RolloutRules | dict[str, Any] | None


def _workspace(ws: Workspace | None) -> Workspace:
    """``ws``, else the current workspace; refused in team mode, where the team's endpoints
    are the service's (a private local one would silently diverge)."""
    if ws is None:
        refuse_local_state("this call of the serving area")
    return ws or resolve_workspace()


def _rules(rules: Rules) -> RolloutRules:
    if isinstance(rules, RolloutRules):
        return rules
    try:
        return RolloutRules(**(rules or {}))
    except ValidationError as exc:
        raise Invalid(f"bad rollout rules: {exc}") from exc


def deploy(
    model: str,
    name: str | None = None,
    port: int = DEFAULT_PORT,
    ws: Workspace | None = None,
    timeout: float = HEALTH_TIMEOUT_S,
    *,
    by: str | None = None,
) -> Deployment:
    """Serve ``model`` (``NAME@ALIAS`` follows the alias; ``NAME/VERSION``) on loopback
    ``port`` in a process of its own, which outlives this kernel; returns once it answers."""
    return commands.deploy(_workspace(ws), model, name, port, asserted(by), timeout)


def stop(
    name: str, ws: Workspace | None = None, timeout: float = 60.0, *, by: str | None = None
) -> None:
    """Stop a deployed endpoint; returns once it has (its scoring servers drained and
    stopped, its log rolled). A rollout it ran ends with it."""
    commands.stop(_workspace(ws), name, asserted(by), timeout)


def status(name: str, ws: Workspace | None = None) -> EndpointStatus:
    """What endpoint ``name``'s router says now: the answering version, the rollout, each
    arm's traffic over the last minute (rate, p50/p99, errors, disagreement), the switches."""
    if ws is None and team_mode():
        return service.status(name)
    return commands.status(_workspace(ws), name)


def endpoints(ws: Workspace | None = None) -> ListEndpointsResponse:
    """Every endpoint this workspace has served, running ones first."""
    if ws is None and team_mode():
        return service.endpoints()
    return queries.list_endpoints(_workspace(ws))


def shadow(
    name: str,
    challenger: str,
    rules: Rules = None,
    ws: Workspace | None = None,
    timeout: float = HEALTH_TIMEOUT_S,
    *,
    by: str | None = None,
) -> EndpointStatus:
    """Send endpoint ``name``'s challenger (``NAME@ALIAS`` or ``NAME/VERSION`` of the same
    model) a copy of every request; its answers are logged, never returned. Returns the
    endpoint's status once the challenger serves."""
    ws = _workspace(ws)
    return commands.start_rollout(
        ws, name, "shadow", challenger, 0.0, _rules(rules), asserted(by), timeout
    )


def canary(
    name: str,
    challenger: str,
    percent: float = 10.0,
    rules: Rules = None,
    ws: Workspace | None = None,
    timeout: float = HEALTH_TIMEOUT_S,
    *,
    by: str | None = None,
) -> EndpointStatus:
    """Let the challenger answer ``percent`` % of endpoint ``name``'s requests (sticky by
    the ``X-MLOps-Route-Key`` header), rolled back automatically when it breaks ``rules``.
    Returns the endpoint's status once the challenger serves."""
    ws = _workspace(ws)
    return commands.start_rollout(
        ws, name, "canary", challenger, percent, _rules(rules), asserted(by), timeout
    )


def promote(
    name: str,
    ws: Workspace | None = None,
    timeout: float = HEALTH_TIMEOUT_S,
    *,
    by: str | None = None,
) -> EndpointStatus:
    """Make the rollout's challenger the champion: move the alias the endpoint follows to its
    version (audited); the endpoint switches to the challenger's running server."""
    return commands.promote(_workspace(ws), name, asserted(by), timeout)


def abort(
    name: str, ws: Workspace | None = None, timeout: float = 60.0, *, by: str | None = None
) -> EndpointStatus:
    """End endpoint ``name``'s rollout: the challenger is drained and stopped (audited)."""
    return commands.abort(_workspace(ws), name, asserted(by), timeout)


def events(name: str, ws: Workspace | None = None) -> builtins.list[ServingEvent]:
    """Endpoint ``name``'s audit trail, newest first: deploys, switches, rollouts, decisions."""
    if ws is None and team_mode():
        return service.events(name)
    return commands.serving_store(_workspace(ws)).events(name)


def log(
    name: str, since: pd.Timestamp | str | None = None, ws: Workspace | None = None
) -> pd.DataFrame:
    """Every request endpoint ``name`` answered (from ``since``, a time with its zone),
    oldest first: time (UTC), endpoint, arm (champion, canary; shadow and baseline for the
    unseen copies), model version, request id, input, prediction, latency and status."""
    return queries.log(_workspace(ws), name, since)


def export_kserve(model: str, endpoint: str | None = None, ws: Workspace | None = None) -> str:
    """``model`` (``NAME@ALIAS``, ``NAME/VERSION`` or a running endpoint's name) as a KServe
    InferenceService in YAML; a canary rollout of ``endpoint`` (default: the model's) as
    KServe's canary. What it cannot express is said in comments on top."""
    return inference_service(_workspace(ws), model, endpoint=endpoint).to_yaml()


def live(
    name: str,
    last: str | timedelta | None = live_traffic.DEFAULT_WINDOW,
    since: Any = None,
    labels: bool = False,
    ws: Workspace | None = None,
) -> pd.DataFrame:
    """Endpoint ``name``'s answered rows in the last ``last`` (or from ``since``) as the
    model saw them, with ``prediction``, ``request_id``, ``row``, ``served_at`` and
    ``model_version``; with ``labels=True``, the labels given by ``label`` joined."""
    return live_traffic.live_frame(_workspace(ws), name, last, since, labels)


def label(name: str, labels: pd.DataFrame, ws: Workspace | None = None) -> int:
    """Give endpoint ``name`` the ground truth of answered requests: a ``request_id``
    column (each answer's ``X-Request-Id``), ``row`` when a request held several rows, and
    the label columns. Returns how many rows were kept."""
    return live_traffic.add_labels(_workspace(ws), name, labels)


def watch(
    name: str,
    reference: pd.DataFrame | str,
    monitor: str | None = None,
    last: str | timedelta | None = "1h",
    columns: Sequence[str] | None = None,
    *,
    target: str | None = None,
    thresholds: Sequence[str] | None = None,
    actions: Sequence[str] | None = None,
    min_rows: int = 30,
    ws: Workspace | None = None,
) -> DriftCheck:
    """Check endpoint ``name``'s live window for drift against ``reference`` (a DataFrame
    or ``"DATASET@vN"``), recorded as a point of ``monitor`` (default ``NAME-live``):
    ``thresholds`` raise alerts, ``actions`` (``"run_job:retrain"``) start the retraining
    job. With ``target``, live quality from the labels too."""
    return live_traffic.watch(
        _workspace(ws),
        name,
        reference,
        monitor,
        last,
        columns,
        target=target,
        thresholds=thresholds,
        actions=actions,
        min_rows=min_rows,
    )


def score(
    model: str,
    dataset: str,
    into: str,
    columns: Sequence[str] | None = None,
    prediction: str = "prediction",
) -> SaveResult:
    """Score dataset version ``dataset`` with ``model`` (``NAME@ALIAS`` or ``NAME/VERSION``)
    into the next version of dataset ``into``, lineage recorded both ways (a job step). In
    the current workspace, as ``mlops.datasets`` reads and saves."""
    refuse_local_state("batch scoring")
    return batch.score(resolve_workspace(), model, dataset, into, columns, prediction)
