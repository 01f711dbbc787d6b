"""What the serving area answers with: an endpoint's status (its arms, rollout and traffic),
the endpoint list and detail the panel shows, and the requests that change an endpoint."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..contract import UtcDateTime
from .rollout import RolloutMode, RolloutRules
from .store import ServingEvent


class TrafficFigures(BaseModel):
    """One arm over the last minute; None where nothing was measured yet."""

    requests: int
    rate_per_s: float
    error_rate: float | None
    p50_ms: float | None
    p99_ms: float | None
    compared: int  # answers compared with the champion's (a challenger's)
    disagreement: float | None


class RolloutInfo(BaseModel):
    mode: RolloutMode
    challenger: str
    version: str
    percent: float | None  # a canary's share
    rules: RolloutRules
    started_at: UtcDateTime
    started_by: str


class RolledBackInfo(BaseModel):
    at: UtcDateTime
    version: str
    reason: str


class SwitchInfo(BaseModel):
    at: UtcDateTime
    from_version: str | None
    to_version: str
    reason: str


class EndpointStatus(BaseModel):
    """What an endpoint's router says of it now."""

    endpoint: str
    model: str
    alias: str | None
    version: str | None
    status: str  # serving | stopped
    rollout: RolloutInfo | None = None
    rollout_error: str | None = None
    rollout_error_for: UtcDateTime | None = None  # the started_at of the rollout it concerns
    copies_dropped: int = 0  # unseen copies skipped (a challenger too far behind)
    rolled_back: RolledBackInfo | None = None
    traffic: dict[str, TrafficFigures] = Field(default_factory=dict)  # champion, challenger
    switches: list[SwitchInfo] = Field(default_factory=list)


class EndpointSummary(BaseModel):
    """An endpoint of the workspace: running (with its status) or only logged before."""

    name: str
    running: bool
    url: str | None = None
    model: str | None = None
    status: EndpointStatus | None = None
    error: str | None = None  # why a running endpoint's status could not be read


class ListEndpointsResponse(BaseModel):
    endpoints: list[EndpointSummary]


class LogRow(BaseModel):
    time: UtcDateTime
    arm: str
    model_version: str | None
    request_id: str
    input: str
    prediction: str
    latency_ms: float
    status: int


class EndpointDetail(BaseModel):
    """The panel's page of one endpoint: its summary, its audit trail and its latest rows."""

    summary: EndpointSummary
    events: list[ServingEvent]
    log: list[LogRow]


class DeployRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str = Field(description="NAME@ALIAS (follows the alias) or NAME/VERSION")
    name: str | None = Field(default=None, description="the endpoint's name (default: the model's)")
    port: int | None = Field(default=None, ge=1024, le=65535, description="default: a free one")


class RolloutRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: RolloutMode
    challenger: str = Field(description="NAME@ALIAS or NAME/VERSION of the endpoint's model")
    percent: float = Field(default=10.0, gt=0, lt=100, description="a canary's share")
    rules: RolloutRules = Field(default_factory=RolloutRules)


def status_of(data: dict[str, Any]) -> EndpointStatus:
    return EndpointStatus.model_validate(data)
