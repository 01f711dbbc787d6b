"""A rollout: a challenger model version beside an endpoint's champion, and its rules.

- **shadow**: the challenger gets a copy of every request after the champion has answered;
  its answers are logged (arm ``shadow``) and never returned, so its faults and slowness
  never reach the client;
- **canary**: ``percent`` of requests are answered by the challenger (arm ``canary``),
  sticky by the request's ``X-MLOps-Route-Key`` when one is given; each canary request is
  also sent to the champion, unseen, so the two answers can be compared.

The rules are checked over the challenger's last ``window_s`` seconds once it has answered
``min_requests``: its error rate (5xx or no answer), its p99 latency and its disagreement
with the champion. A broken rule rolls the challenger back (in the router, audited with the
rule and the figures); a person promotes it (moves the alias) or aborts it.

The rollout an endpoint should run is ``rollout.json`` in its folder, written whole
(``os.replace``) by whoever starts one and removed when it ends; the router applies it.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..contract import UtcDateTime
from ..errors import Invalid

ROLLOUT_FILE = "rollout.json"
RolloutMode = Literal["shadow", "canary"]


class RolloutRules(BaseModel):
    """When the router rolls a challenger back; None switches a rule off."""

    model_config = ConfigDict(extra="forbid")

    max_error_rate: float | None = Field(default=0.05, ge=0, le=1)
    max_p99_ms: float | None = Field(default=None, gt=0)
    max_disagreement: float | None = Field(default=None, ge=0, le=1)
    window_s: float = Field(default=60.0, gt=0, le=86_400)
    min_requests: int = Field(default=20, ge=1)
    timeout_s: float = Field(default=10.0, gt=0, le=600)  # a challenger call's, else an error


class Rollout(BaseModel):
    """A challenger (a fixed version, resolved when the rollout started) and how it runs."""

    model_config = ConfigDict(extra="forbid")

    mode: RolloutMode
    model: str
    challenger: str  # the ref asked for, e.g. "cancer@challenger" or "cancer/3"
    challenger_version: str
    percent: float = Field(default=0.0, ge=0, le=100)
    rules: RolloutRules = Field(default_factory=RolloutRules)
    started_at: UtcDateTime
    started_by: str

    @model_validator(mode="after")
    def _canary_has_a_share(self) -> Rollout:
        if self.mode == "canary" and not 0 < self.percent < 100:
            raise ValueError("a canary needs a percent of traffic above 0 and below 100")
        return self


def rollout_path(endpoint_directory: Path) -> Path:
    return endpoint_directory / ROLLOUT_FILE


def read_rollout(endpoint_directory: Path) -> Rollout | None:
    """The rollout the endpoint in ``endpoint_directory`` should run, or None."""
    path = rollout_path(endpoint_directory)
    try:
        return Rollout.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except ValidationError as exc:
        raise Invalid(f"{path.name} of endpoint {endpoint_directory.name}: {exc}") from exc


def write_rollout(endpoint_directory: Path, rollout: Rollout) -> bool:
    """Ask the endpoint to run ``rollout`` unless it runs one already (whole or not at all:
    written aside, then linked into place, which fails when the file exists); whether it
    was written."""
    path = rollout_path(endpoint_directory)
    partial = path.with_name(f".rollout-{uuid.uuid4().hex}.partial")
    partial.write_text(rollout.model_dump_json(indent=1))
    try:
        os.link(partial, path)
    except FileExistsError:
        return False
    finally:
        partial.unlink()
    return True


def end_rollout(endpoint_directory: Path, started_at: datetime | None = None) -> bool:
    """Ask the endpoint to stop its rollout (only the one started at ``started_at`` when
    given); whether one was removed."""
    if started_at is not None:
        try:
            found = read_rollout(endpoint_directory)
        except Invalid:
            found = None
        if found is None or found.started_at != started_at:
            return False
    try:
        rollout_path(endpoint_directory).unlink()
    except FileNotFoundError:
        return False
    return True
