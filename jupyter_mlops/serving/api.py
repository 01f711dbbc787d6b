"""``mlops.serving``: deploy a registered model from a notebook, read what it answered."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import psutil

from ..errors import Invalid, NotFound
from ..workspace import Workspace, resolve_workspace
from .endpoint import endpoint_dir
from .inference_log import read_log
from .kserve import inference_service
from .refs import parse_model_ref
from .scoring import HEALTH_TIMEOUT_S, ServingError
from .serve import DEFAULT_PORT, ROUTER_FILE, default_endpoint_name, log_dir

__all__ = ["Deployment", "deploy", "export_kserve", "log", "stop"]


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
) -> Deployment:
    """Serve ``model`` (``NAME@ALIAS`` follows the alias; ``NAME/VERSION``) on loopback
    ``port`` in a process of its own, which outlives this kernel; returns once it answers."""
    ws = _workspace(ws)
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


def stop(name: str, ws: Workspace | None = None, timeout: float = 60.0) -> None:
    """Stop a deployed endpoint; returns once it has (its scoring server drained and
    stopped, its log rolled)."""
    directory = endpoint_dir(_workspace(ws), name)
    running = _running(directory)
    if running is None:
        raise NotFound(f"endpoint {name} is not running")
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


def export_kserve(model: str, endpoint: str | None = None, ws: Workspace | None = None) -> str:
    """``model`` (``NAME@ALIAS``, ``NAME/VERSION`` or a running endpoint's name) as a KServe
    InferenceService in YAML; a canary rollout of ``endpoint`` (default: the model's) as
    KServe's canary. What it cannot express is said in comments on top."""
    return inference_service(_workspace(ws), model, endpoint=endpoint).to_yaml()
