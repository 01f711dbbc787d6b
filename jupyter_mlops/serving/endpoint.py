"""An endpoint: the scoring server that answers, and the switch when its alias moves.

The router takes the answering arm and counts the request on it under one lock; a switch
replaces the arm under the same lock, so once it has, every request still on the old arm
is counted there, and the old arm is stopped only when that count is back to zero (or after
``DRAIN_TIMEOUT_S``). The new version is started and healthy before anything moves:
blue/green, with no failed request.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mlflow.exceptions import MlflowException

from ..errors import NotFound
from ..tracking.store import use_workspace
from ..workspace import Workspace
from .refs import ModelRef, check_endpoint_name
from .scoring import ScoringServer, stop_leftovers

log = logging.getLogger(__name__)

DRAIN_TIMEOUT_S = 60.0
RESTART_BACKOFF_S = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)  # after 1, 2, 3... restarts in a row
ENDPOINT_ENV = "JUPYTER_MLOPS_ENDPOINT"  # marks an endpoint's scoring servers


@dataclass
class Arm:
    """One scoring server of one model version, and the requests it is answering."""

    server: ScoringServer
    inflight: int = 0

    @property
    def version(self) -> str:
        return self.server.version


@dataclass
class SwitchEvent:
    """A change of the answering version: when, from which, to which, and why."""

    at: datetime
    from_version: str | None
    to_version: str
    reason: str
    extra: dict[str, Any] = field(default_factory=dict)


def endpoint_dir(ws: Workspace, name: str) -> Path:
    """Where an endpoint keeps its scoring servers' logs and its inference log."""
    return ws.mlops_dir / "serving" / check_endpoint_name(name)


class Endpoint:
    """An endpoint named ``name`` serving ``ref`` in workspace ``ws``."""

    def __init__(self, ws: Workspace, name: str, ref: ModelRef) -> None:
        self.ws = ws
        self.name = check_endpoint_name(name)
        self.ref = ref
        self.directory = endpoint_dir(ws, name)
        self.events: list[SwitchEvent] = []
        self._arm: Arm | None = None
        self._lock = threading.Lock()
        self._switching = threading.Lock()
        self._restarts = 0  # in a row, without a healthy minute between
        self._next_restart = 0.0

    def resolve(self) -> str:
        """The version ``ref`` names now (the alias's, or the fixed one)."""
        client = use_workspace(self.ws)
        try:
            if self.ref.alias is None:
                found = client.get_model_version(self.ref.name, str(self.ref.version))
            else:
                found = client.get_model_version_by_alias(self.ref.name, self.ref.alias)
            return str(found.version)  # MLflow gives an int or a str
        except MlflowException as exc:
            raise NotFound(f"cannot serve {self.ref}: {exc.message}") from exc

    @property
    def version(self) -> str | None:
        arm = self._arm
        return arm.version if arm else None

    def take(self) -> Arm | None:
        """The arm to answer a request on, with the request counted on it."""
        with self._lock:
            arm = self._arm
            if arm is not None:
                arm.inflight += 1
            return arm

    def release(self, arm: Arm) -> None:
        with self._lock:
            arm.inflight -= 1

    @property
    def marks(self) -> dict[str, str]:
        """What its scoring servers carry in their environment (see ``stop_leftovers``)."""
        return {ENDPOINT_ENV: self.name}

    def start(self) -> None:
        """Stop what a killed router of this endpoint left running, then start the version
        ``ref`` names and wait until it is healthy."""
        left = stop_leftovers(self.ws.root, self.marks)
        if left:
            log.warning("endpoint %s: stopped %d scoring servers left running", self.name, left)
        self.switch_to(self.resolve(), "started")

    def supervise_once(self) -> None:
        """Restart the answering version if its scoring server has ended (requests meanwhile
        get a fast 503), with a growing pause between restarts in a row; else switch if
        the alias has moved."""
        arm = self._arm
        if arm is not None and not arm.server.alive():
            now = time.monotonic()
            if now < self._next_restart:
                return
            pause = RESTART_BACKOFF_S[min(self._restarts, len(RESTART_BACKOFF_S) - 1)]
            self._restarts += 1
            self._next_restart = now + pause
            log.warning("endpoint %s: v%s ended; restarting", self.name, arm.version)
            self.switch_to(self.resolve(), f"v{arm.version}'s scoring server ended: restarted")
            return
        if arm is not None and time.monotonic() - self._next_restart > 60:
            self._restarts = 0
        self.follow_once()

    def follow_once(self) -> bool:
        """Switch if the alias has moved since; whether it switched."""
        if self.ref.alias is None:
            return False
        version = self.resolve()
        if version == self.version:
            return False
        self.switch_to(version, f"alias {self.ref.alias} moved to v{version}")
        return True

    def switch_to(self, version: str, reason: str) -> None:
        """Start ``version``, wait until healthy, move traffic, drain and stop the old one.
        A version that does not start leaves the current one answering (and raises)."""
        with self._switching:
            log_path = self.directory / f"{self.ref.name}-v{version}.log"
            server = ScoringServer(self.ws, self.ref.name, version, log_path, self.marks).start()
            try:
                server.wait_healthy()
            except BaseException:
                server.stop()
                raise
            with self._lock:
                old, self._arm = self._arm, Arm(server)
            self.events.append(
                SwitchEvent(datetime.now(UTC), old.version if old else None, version, reason)
            )
            log.info("endpoint %s: v%s answers (%s)", self.name, version, reason)
            if old is not None:
                self._drain(old)
                old.server.stop()

    def _drain(self, arm: Arm) -> None:
        deadline = time.monotonic() + DRAIN_TIMEOUT_S
        while arm.inflight > 0 and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop answering: the current arm is drained and stopped."""
        with self._switching:
            with self._lock:
                arm, self._arm = self._arm, None
            if arm is not None:
                self._drain(arm)
                arm.server.stop()
