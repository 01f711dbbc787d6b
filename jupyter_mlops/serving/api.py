"""``mlops.serving``: deploy a registered model from a notebook, roll a challenger out beside
it (shadow or canary), promote or abort it, and read what the endpoint answered.

``by`` is who acts (default: the kernel's user), recorded as asserted in the audit trail.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import psutil

from ..errors import Conflict, Invalid, NotFound
from ..identity import asserted
from ..state import store_of
from ..tracking.store import use_workspace
from ..workspace import Workspace, resolve_workspace
from .endpoint import Endpoint, endpoint_dir
from .inference_log import read_log
from .refs import parse_model_ref
from .rollout import Rollout, RolloutMode, RolloutRules, end_rollout, read_rollout, write_rollout
from .scoring import HEALTH_TIMEOUT_S, ServingError
from .serve import DEFAULT_PORT, ROUTER_FILE, default_endpoint_name, log_dir
from .store import ServingEvent, ServingStore

__all__ = [
    "Deployment",
    "RolloutRules",
    "abort",
    "canary",
    "deploy",
    "events",
    "log",
    "promote",
    "shadow",
    "status",
    "stop",
]


@dataclass(frozen=True)
class Deployment:
    """A running endpoint: where it answers and the process serving it."""

    name: str
    url: str
    pid: int
    model: str

    @property
    def invocations(self) -> str:
        return f"{self.url}/invocations"


def _workspace(ws: Workspace | None) -> Workspace:
    return ws or resolve_workspace()


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
    ws = _workspace(ws)
    actor = asserted(by)
    ref = parse_model_ref(model)
    name = name or default_endpoint_name(ref)
    directory = endpoint_dir(ws, name)
    running = _running(directory)
    if running is not None:
        raise Invalid(f"endpoint {name} is already served at {running.url}: stop it first")
    directory.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "jupyter_mlops.cli", "serve", model, "--name", name]
    argv += ["--port", str(port)]
    with open(directory / "router.log", "ab") as out:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ws.root,
            env={**os.environ, **ws.env()},
            start_new_session=True,
        )
    deadline = time.monotonic() + timeout
    while (found := _running(directory)) is None:
        if proc.poll() is not None:
            tail = (directory / "router.log").read_text(errors="replace").strip().splitlines()
            raise ServingError(f"endpoint {name} did not start: {' | '.join(tail[-3:])}")
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGTERM)
            raise ServingError(f"endpoint {name} did not answer within {timeout:.0f} s")
        time.sleep(0.1)
    _store(ws).add_event(
        name, actor, "deploy", ref.name, None, None, {"model": model, "url": found.url}
    )
    return Deployment(name, found.url, found.pid, found.model)


def _running(directory: Path) -> Deployment | None:
    path = directory / ROUTER_FILE
    try:
        data = json.loads(path.read_text())
        if psutil.Process(int(data["pid"])).status() == psutil.STATUS_ZOMBIE:
            return None  # ended, not yet reaped by the kernel that started it
    except (OSError, ValueError, KeyError, psutil.Error):
        return None
    return Deployment(directory.name, data["url"], int(data["pid"]), data["model"])


def stop(
    name: str, ws: Workspace | None = None, timeout: float = 60.0, *, by: str | None = None
) -> None:
    """Stop a deployed endpoint; returns once it has (its scoring server drained and
    stopped, its log rolled). A rollout it ran ends with it."""
    ws = _workspace(ws)
    actor = asserted(by)
    directory = endpoint_dir(ws, name)
    running = _running(directory)
    if running is None:
        raise NotFound(f"endpoint {name} is not running")
    end_rollout(directory)
    _store(ws).add_event(name, actor, "stop", running.model.split("@")[0].split("/")[0])
    os.kill(running.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _running(directory) is not None and time.monotonic() < deadline:
        time.sleep(0.1)


def log(
    name: str, since: pd.Timestamp | str | None = None, ws: Workspace | None = None
) -> pd.DataFrame:
    """Every request endpoint ``name`` answered (from ``since``, a time with its zone),
    oldest first: time (UTC), endpoint, arm, model version, request id, input, prediction,
    latency and status."""
    directory = log_dir(endpoint_dir(_workspace(ws), name))
    if not directory.exists():
        raise NotFound(f"endpoint {name} has no inference log (never served here)")
    start = None
    if since is not None:
        start = pd.Timestamp(since)
        if start.tzinfo is None:
            raise Invalid(f"since={since!r} has no time zone: give one, e.g. '…+00:00'")
    return read_log(directory, start)


def _store(ws: Workspace) -> ServingStore:
    return store_of(ServingStore, ws)


def _deployed(ws: Workspace, name: str) -> Deployment:
    running = _running(endpoint_dir(ws, name))
    if running is None:
        raise NotFound(f"endpoint {name} is not running: deploy it first")
    return running


def status(name: str, ws: Workspace | None = None) -> dict[str, Any]:
    """What endpoint ``name``'s router says now: the answering version, the rollout, each
    arm's traffic over the last minute, the switches."""
    running = _deployed(_workspace(ws), name)
    try:
        answer = httpx.get(f"{running.url}/info", timeout=10.0)
    except httpx.HTTPError as exc:
        raise ServingError(f"endpoint {name} did not answer: {exc}") from exc
    found: dict[str, Any] = answer.json()
    return found


def _start_rollout(
    mode: RolloutMode,
    name: str,
    challenger: str,
    percent: float,
    rules: RolloutRules | dict[str, Any] | None,
    ws: Workspace | None,
    by: str | None,
    timeout: float,
) -> dict[str, Any]:
    ws = _workspace(ws)
    actor = asserted(by)
    running = _deployed(ws, name)
    champion = parse_model_ref(running.model)
    ref = parse_model_ref(challenger)
    if ref.name != champion.name:
        raise Invalid(
            f"the challenger {challenger} is not a version of {champion.name}, which endpoint "
            f"{name} serves: a challenger must be one, so that promoting it moves the alias"
        )
    directory = endpoint_dir(ws, name)
    if read_rollout(directory) is not None:
        raise Conflict(f"endpoint {name} already runs a rollout: promote or abort it first")
    version = Endpoint(ws, name, ref).resolve()
    info = status(name, ws)
    if info["version"] == version:
        raise Invalid(f"{challenger} is v{version}, the version endpoint {name} answers with")
    checked = rules if isinstance(rules, RolloutRules) else RolloutRules(**(rules or {}))
    rollout = Rollout(
        mode=mode,
        model=ref.name,
        challenger=str(ref),
        challenger_version=version,
        percent=percent,
        rules=checked,
        started_at=datetime.now(UTC),
        started_by=str(actor),
    )
    write_rollout(directory, rollout)
    _store(ws).add_event(
        name, actor, mode, ref.name, info["version"], version, rollout.model_dump(mode="json")
    )
    return _wait_rollout(ws, name, rollout, timeout)


def _wait_rollout(ws: Workspace, name: str, rollout: Rollout, timeout: float) -> dict[str, Any]:
    """The endpoint's status once it runs ``rollout``; ServingError when it cannot."""
    deadline = time.monotonic() + timeout
    while True:
        info = status(name, ws)
        running = info.get("rollout")
        if running and running["started_at"] == rollout.started_at.isoformat():
            return info
        if info.get("rollout_error") and read_rollout(endpoint_dir(ws, name)) == rollout:
            end_rollout(endpoint_dir(ws, name))
            raise ServingError(f"endpoint {name}: {info['rollout_error']}")
        if time.monotonic() > deadline:
            end_rollout(endpoint_dir(ws, name))
            raise ServingError(
                f"endpoint {name}: the challenger v{rollout.challenger_version} was not "
                f"serving within {timeout:.0f} s (see its log in the endpoint's folder)"
            )
        time.sleep(0.2)


def shadow(
    name: str,
    challenger: str,
    rules: RolloutRules | dict[str, Any] | None = None,
    ws: Workspace | None = None,
    timeout: float = HEALTH_TIMEOUT_S,
    *,
    by: str | None = None,
) -> dict[str, Any]:
    """Send endpoint ``name``'s challenger (``NAME@ALIAS`` or ``NAME/VERSION`` of the same
    model) a copy of every request; its answers are logged, never returned. Returns the
    endpoint's status once the challenger serves."""
    return _start_rollout("shadow", name, challenger, 0.0, rules, ws, by, timeout)


def canary(
    name: str,
    challenger: str,
    percent: float = 10.0,
    rules: RolloutRules | dict[str, Any] | None = None,
    ws: Workspace | None = None,
    timeout: float = HEALTH_TIMEOUT_S,
    *,
    by: str | None = None,
) -> dict[str, Any]:
    """Let the challenger answer ``percent`` % of endpoint ``name``'s requests (sticky by
    the ``X-MLOps-Route-Key`` header), rolled back automatically when it breaks ``rules``.
    Returns the endpoint's status once the challenger serves."""
    return _start_rollout("canary", name, challenger, percent, rules, ws, by, timeout)


def promote(
    name: str,
    ws: Workspace | None = None,
    timeout: float = HEALTH_TIMEOUT_S,
    *,
    by: str | None = None,
) -> dict[str, Any]:
    """Make the rollout's challenger the champion: move the alias the endpoint follows to its
    version (audited); the endpoint switches to the challenger's running server."""
    ws = _workspace(ws)
    actor = asserted(by)
    running = _deployed(ws, name)
    champion = parse_model_ref(running.model)
    directory = endpoint_dir(ws, name)
    rollout = read_rollout(directory)
    if rollout is None:
        raise NotFound(f"endpoint {name} runs no rollout to promote")
    if champion.alias is None:
        raise Invalid(
            f"endpoint {name} serves the fixed version {champion}: promoting needs an endpoint "
            "that follows an alias (deploy NAME@ALIAS)"
        )
    before = status(name, ws)["version"]
    use_workspace(ws).set_registered_model_alias(
        champion.name, champion.alias, rollout.challenger_version
    )
    end_rollout(directory)
    _store(ws).add_event(
        name,
        actor,
        "promote",
        champion.name,
        before,
        rollout.challenger_version,
        {"alias": champion.alias, "mode": rollout.mode},
    )
    deadline = time.monotonic() + timeout
    while (info := status(name, ws))["version"] != rollout.challenger_version:
        if time.monotonic() > deadline:
            raise ServingError(
                f"endpoint {name} did not switch to v{rollout.challenger_version} within "
                f"{timeout:.0f} s; the alias {champion.alias} names it"
            )
        time.sleep(0.2)
    return info


def abort(
    name: str, ws: Workspace | None = None, timeout: float = 60.0, *, by: str | None = None
) -> dict[str, Any]:
    """End endpoint ``name``'s rollout: the challenger is drained and stopped (audited)."""
    ws = _workspace(ws)
    actor = asserted(by)
    _deployed(ws, name)
    directory = endpoint_dir(ws, name)
    rollout = read_rollout(directory)
    if rollout is None:
        raise NotFound(f"endpoint {name} runs no rollout to abort")
    end_rollout(directory)
    _store(ws).add_event(
        name,
        actor,
        "abort",
        rollout.model,
        rollout.challenger_version,
        None,
        {"mode": rollout.mode},
    )
    deadline = time.monotonic() + timeout
    while (info := status(name, ws))["rollout"] is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    return info


def events(name: str, ws: Workspace | None = None) -> list[ServingEvent]:
    """Endpoint ``name``'s audit trail, newest first: deploys, switches, rollouts, decisions."""
    return _store(_workspace(ws)).events(name)
