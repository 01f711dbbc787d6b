"""What changes an endpoint: deploy, stop, start a rollout, promote or abort it.

Each takes the workspace and ``by``, who acts (an :class:`~jupyter_mlops.identity.Actor`
from the server stays ``authenticated``; a plain name is ``asserted``), and records what it
did in the audit trail. The Python API (``api.py``), the magics, the CLI and the REST
handlers call these.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psutil
from mlflow.exceptions import MlflowException
from pydantic import ValidationError

from ..errors import Conflict, Invalid, NotFound
from ..state import store_of
from ..tracking.store import use_workspace
from ..workspace import Workspace
from .endpoint import Endpoint, endpoint_dir
from .models import EndpointStatus
from .refs import check_endpoint_name, parse_model_ref
from .rollout import Rollout, RolloutMode, RolloutRules, end_rollout, read_rollout, write_rollout
from .scoring import HEALTH_TIMEOUT_S, ServingError
from .serve import ROUTER_FILE, TOKEN_ENV, default_endpoint_name
from .store import ServingStore
from .wanted import Wanted, forget_wanted, read_wanted, write_wanted

STOP_TIMEOUT_S = 150.0  # both arms drained (60 s each) and the scoring servers' grace


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


def serving_store(ws: Workspace) -> ServingStore:
    return store_of(ServingStore, ws)


def running(directory: Path) -> Deployment | None:
    """The endpoint whose folder is ``directory``, if its router runs."""
    path = directory / ROUTER_FILE
    try:
        data = json.loads(path.read_text())
        proc = psutil.Process(int(data["pid"]))
        if proc.status() == psutil.STATUS_ZOMBIE:
            return None  # ended, not yet reaped by the process that started it
        if abs(proc.create_time() - float(data["started"])) > 1.0:
            return None  # a router.json left by a reboot, its pid now another process's
    except (OSError, ValueError, KeyError, TypeError, psutil.Error):
        return None
    return Deployment(directory.name, data["url"], int(data["pid"]), data["model"])


def deployed(ws: Workspace, name: str) -> Deployment:
    """Endpoint ``name``, running; NotFound naming it otherwise."""
    found = running(endpoint_dir(ws, name))
    if found is None:
        raise NotFound(f"endpoint {name} is not running: deploy it first")
    return found


def deploy(
    ws: Workspace,
    model: str,
    name: str | None,
    port: int,
    by: str,
    timeout: float = HEALTH_TIMEOUT_S,
) -> Deployment:
    """Serve ``model`` (``NAME@ALIAS`` follows the alias; ``NAME/VERSION``) on loopback
    ``port`` in a process of its own (``jupyter mlops serve``), which outlives its caller;
    returns once it answers."""
    ref = parse_model_ref(model)
    name = check_endpoint_name(name or default_endpoint_name(ref))
    directory = endpoint_dir(ws, name)
    found = running(directory)
    if found is not None:
        raise Invalid(f"endpoint {name} is already served at {found.url}: stop it first")
    Endpoint(ws, name, ref).resolve()  # an unknown model or alias: a clear error, here
    proc = spawn_router(ws, Wanted(model=model, port=port), directory)
    deadline = time.monotonic() + timeout
    while (found := running(directory)) is None:
        if proc.poll() is not None:
            tail = (directory / "router.log").read_text(errors="replace").strip().splitlines()
            raise ServingError(f"endpoint {name} did not start: {' | '.join(tail[-3:])}")
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGTERM)
            raise ServingError(f"endpoint {name} did not answer within {timeout:.0f} s")
        time.sleep(0.1)
    write_wanted(directory, Wanted(model=model, port=port))
    detail = {"model": model, "url": found.url}
    serving_store(ws).add_event(name, by, "deploy", ref.name, None, None, detail)
    return found


def spawn_router(ws: Workspace, wanted: Wanted, directory: Path) -> subprocess.Popen[bytes]:
    """Start ``jupyter mlops serve`` for the endpoint of ``directory`` in a session of its
    own (it outlives its caller), logging to its ``router.log``; not waiting for it."""
    directory.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "jupyter_mlops.cli", "serve", wanted.model]
    argv += ["--name", directory.name, "--port", str(wanted.port)]
    with open(directory / "router.log", "ab") as out:
        return subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ws.root,
            env={**os.environ, **ws.env()},
            start_new_session=True,
        )


def stop(ws: Workspace, name: str, by: str, timeout: float = STOP_TIMEOUT_S) -> None:
    """Stop a deployed endpoint; returns once it has (its scoring servers drained and
    stopped, its log rolled). A rollout it ran ends with it. An endpoint whose router is
    down (the supervisor would start it again) is no longer wanted either."""
    directory = endpoint_dir(ws, name)
    wanted = read_wanted(directory)
    forget_wanted(directory)  # first: the supervisor must not start it again
    end_rollout(directory)
    found = running(directory)
    if found is None and wanted is None:
        raise NotFound(f"endpoint {name} is not running")
    model = parse_model_ref(found.model if found else wanted.model if wanted else "").name
    serving_store(ws).add_event(name, by, "stop", model)
    if found is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(found.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while running(directory) is not None and time.monotonic() < deadline:
        time.sleep(0.1)


def status(ws: Workspace, name: str) -> EndpointStatus:
    """What endpoint ``name``'s router says now: the answering version, the rollout, each
    arm's traffic over the last minute, the switches."""
    return status_of(deployed(ws, name))


def status_of(found: Deployment) -> EndpointStatus:
    token = os.environ.get(TOKEN_ENV)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        answer = httpx.get(f"{found.url}/info", headers=headers, timeout=10.0)
        answer.raise_for_status()
        return EndpointStatus.model_validate_json(answer.content)
    except (httpx.HTTPError, ValidationError) as exc:
        raise ServingError(f"endpoint {found.name} did not answer: {exc}") from exc


def start_rollout(
    ws: Workspace,
    name: str,
    mode: RolloutMode,
    challenger: str,
    percent: float,
    rules: RolloutRules,
    by: str,
    timeout: float = HEALTH_TIMEOUT_S,
) -> EndpointStatus:
    """Start a shadow or a canary of ``challenger`` (a version of the endpoint's model) on
    endpoint ``name``; returns its status once the challenger serves."""
    if mode == "canary" and not 0 < percent < 100:
        raise Invalid(f"a canary needs a percent of traffic above 0 and below 100, not {percent}")
    found = deployed(ws, name)
    champion = parse_model_ref(found.model)
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
    now = status_of(found)
    if now.version == version:
        raise Invalid(f"{challenger} is v{version}, the version endpoint {name} answers with")
    rollout = Rollout(
        mode=mode,
        model=ref.name,
        challenger=str(ref),
        challenger_version=version,
        percent=percent if mode == "canary" else 0.0,
        rules=rules,
        started_at=datetime.now(UTC),
        started_by=str(by),
    )
    if not write_rollout(directory, rollout):
        raise Conflict(f"endpoint {name} already runs a rollout: promote or abort it first")
    serving_store(ws).add_event(
        name, by, mode, ref.name, now.version, version, rollout.model_dump(mode="json")
    )
    return _wait_rollout(found, directory, rollout, timeout)


def _wait_rollout(
    found: Deployment, directory: Path, rollout: Rollout, timeout: float
) -> EndpointStatus:
    """The endpoint's status once it runs ``rollout``; ServingError (and the rollout taken
    back) when it cannot."""
    deadline = time.monotonic() + timeout
    while True:
        now = status_of(found)
        if now.rollout and now.rollout.started_at == rollout.started_at:
            return now
        if now.rollout_error and now.rollout_error_for == rollout.started_at:
            end_rollout(directory, rollout.started_at)
            raise ServingError(f"endpoint {found.name}: {now.rollout_error}")
        if time.monotonic() > deadline:
            end_rollout(directory, rollout.started_at)
            raise ServingError(
                f"endpoint {found.name}: the challenger v{rollout.challenger_version} was not "
                f"serving within {timeout:.0f} s (see its log in the endpoint's folder)"
            )
        time.sleep(0.2)


def promote(ws: Workspace, name: str, by: str, timeout: float = HEALTH_TIMEOUT_S) -> EndpointStatus:
    """Make the rollout's challenger the champion: move the alias the endpoint follows to its
    version (audited); the endpoint switches to the challenger's running server."""
    found = deployed(ws, name)
    champion = parse_model_ref(found.model)
    directory = endpoint_dir(ws, name)
    rollout = read_rollout(directory)
    if rollout is None:
        raise NotFound(f"endpoint {name} runs no rollout to promote")
    if champion.alias is None:
        raise Invalid(
            f"endpoint {name} serves the fixed version {champion}: promoting needs an endpoint "
            "that follows an alias (deploy NAME@ALIAS)"
        )
    before = status_of(found).version
    try:
        use_workspace(ws).set_registered_model_alias(
            champion.name, champion.alias, rollout.challenger_version
        )
    except MlflowException as exc:
        raise Invalid(f"cannot move {champion}: {exc.message}") from exc
    detail = {"alias": champion.alias, "mode": rollout.mode}
    serving_store(ws).add_event(
        name, by, "promote", champion.name, before, rollout.challenger_version, detail
    )
    deadline = time.monotonic() + timeout
    while (now := status_of(found)).version != rollout.challenger_version:
        if time.monotonic() > deadline:
            raise ServingError(
                f"endpoint {name} did not switch to v{rollout.challenger_version} within "
                f"{timeout:.0f} s; the alias {champion.alias} names it"
            )
        time.sleep(0.2)
    end_rollout(directory, rollout.started_at)  # the router has, once it took the challenger
    return now


def abort(ws: Workspace, name: str, by: str, timeout: float = STOP_TIMEOUT_S) -> EndpointStatus:
    """End endpoint ``name``'s rollout: the challenger is drained and stopped (audited)."""
    found = deployed(ws, name)
    directory = endpoint_dir(ws, name)
    rollout = read_rollout(directory)
    if rollout is None:
        raise NotFound(f"endpoint {name} runs no rollout to abort")
    end_rollout(directory, rollout.started_at)
    detail = {"mode": rollout.mode}
    serving_store(ws).add_event(
        name, by, "abort", rollout.model, rollout.challenger_version, None, detail
    )
    deadline = time.monotonic() + timeout
    while (now := status_of(found)).rollout is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    return now
