"""An endpoint: the scoring server that answers, and the switch when its alias moves.

The router takes the answering arm and counts the request on it under one lock; a switch
replaces the arm under the same lock, so once it has, every request still on the old arm
is counted there, and the old arm is stopped only when that count is back to zero (or after
``DRAIN_TIMEOUT_S``). The new version is started and healthy before anything moves:
blue/green, with no failed request.

Beside the champion an endpoint may run a challenger (``rollout.py``): the supervisor
applies the rollout asked for in ``rollout.json``, checks its rules over the challenger's
traffic and rolls it back when one breaks. When the alias moves to the challenger's version
(a promotion), the challenger's running server becomes the champion: nothing restarts.
Every switch, rollout and rollback is audited (``store.py``).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mlflow.exceptions import MlflowException

from ..errors import NotFound
from ..state import store_of
from ..tracking.store import use_workspace
from ..workspace import Workspace
from .refs import ModelRef, check_endpoint_name
from .rollout import Rollout, end_rollout, read_rollout
from .scoring import ScoringServer, stop_leftovers
from .store import ROUTER_ACTOR, ServingStore
from .traffic import Traffic, broken_rule

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


@dataclass(frozen=True)
class Route:
    """Where one request goes: the arm that answers it (None: nothing serving), and the arm
    that gets an unseen copy (a shadow challenger, or a canary's champion for comparison).
    Both are counted on their arm until released."""

    answer: Arm | None
    arm: str  # champion | canary
    mirror: Arm | None = None
    mirror_arm: str | None = None  # shadow | baseline
    timeout: float = 60.0  # for the challenger's call (its rollout's ``timeout_s``)
    champion_traffic: Traffic | None = None  # where the answer's figures go
    challenger_traffic: Traffic | None = None  # where the challenger's figures go


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
        self.challenger: Arm | None = None
        self.rollout: Rollout | None = None
        self.rollout_error: str | None = None  # why the rollout asked for is not running
        self.rollout_error_for: datetime | None = None  # that rollout's started_at
        self._closed = False  # stopped: a server started after this is stopped, not served
        self.copies_dropped = 0  # unseen copies skipped, the challenger too far behind
        self.rolled_back: RolledBack | None = None  # the last rollout a rule rolled back
        self.traffic = {"champion": Traffic(), "challenger": Traffic()}
        self._store: ServingStore | None = None

    def audit(
        self, action: str, version_from: str | None, version_to: str | None, **detail: object
    ) -> None:
        """Record what the router did on its own; a failing state DB never stops serving."""
        try:
            if self._store is None:
                self._store = store_of(ServingStore, self.ws)
            self._store.add_event(
                self.name, ROUTER_ACTOR, action, self.ref.name, version_from, version_to, detail
            )
        except Exception as exc:
            log.warning("endpoint %s: audit of %s not recorded: %s", self.name, action, exc)

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

    def route(self, key: str) -> Route:
        """The arms for the request keyed ``key`` (a canary takes a fixed share of keys, so
        one key always lands on one arm), each counted until released."""
        with self._lock:
            champion, challenger, rollout = self._arm, self.challenger, self.rollout
            if champion is None:
                return Route(None, "champion")
            champion.inflight += 1
            ours, theirs = self.traffic["champion"], self.traffic["challenger"]
            if challenger is None or rollout is None:
                return Route(champion, "champion", champion_traffic=ours)
            challenger.inflight += 1
            timeout = rollout.rules.timeout_s
            if rollout.mode == "shadow":
                return Route(champion, "champion", challenger, "shadow", timeout, ours, theirs)
            if _bucket(key) < rollout.percent * 100:
                return Route(challenger, "canary", champion, "baseline", timeout, None, theirs)
            challenger.inflight -= 1
            return Route(champion, "champion", champion_traffic=ours)

    def release(self, arm: Arm) -> None:
        with self._lock:
            arm.inflight -= 1

    def is_challenger(self, arm: Arm) -> bool:
        return arm is self.challenger

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
        self.sync_rollout()
        self.check_rollout()

    def follow_once(self) -> bool:
        """Switch if the alias has moved since; whether it switched."""
        if self.ref.alias is None:
            return False
        version = self.resolve()
        if version == self.version:
            return False
        reason = f"alias {self.ref.alias} moved to v{version}"
        if self.challenger is not None and self.challenger.version == version:
            self._adopt_challenger(reason)
        else:
            self.switch_to(version, reason)
        return True

    def _adopt_challenger(self, reason: str) -> None:
        """The challenger, already serving the version the alias moved to, becomes the
        champion; the old champion is drained and stopped."""
        with self._switching:
            with self._lock:
                rollout = self.rollout
                old, self._arm = self._arm, self.challenger
                self.challenger, self.rollout = None, None
            assert self._arm is not None
            if rollout is not None:
                end_rollout(self.directory, rollout.started_at)
            self._record_switch(old, self._arm.version, reason)
            self.traffic["champion"], self.traffic["challenger"] = Traffic(), Traffic()
            if old is not None:
                self._drain(old)
                old.server.stop()

    # -- rollouts ---------------------------------------------------------------------------
    def sync_rollout(self) -> None:
        """Run the rollout ``rollout.json`` asks for: start its challenger (healthy before it
        gets any request), change its share or rules, or stop it when the file is gone."""
        try:
            wanted = read_rollout(self.directory)
        except Exception as exc:
            self.rollout_error, self.rollout_error_for = str(exc), None
            return
        if wanted is None or wanted.started_at != self.rollout_error_for:
            self.rollout_error, self.rollout_error_for = None, None
        current = self.rollout
        if wanted == current:
            return
        if wanted is None or wanted.model != self.ref.name:
            self._stop_challenger()
            return
        if wanted.challenger_version == self.version:  # the alias moved to it: nothing to do
            self._stop_challenger()
            end_rollout(self.directory, wanted.started_at)
            return
        if current is None or wanted.challenger_version != current.challenger_version:
            self._stop_challenger()
            if self.rollout_error_for == wanted.started_at:
                return  # this rollout's challenger did not start: not again in a loop
            self._start_challenger(wanted)
            return
        with self._lock:
            self.rollout = wanted  # the same challenger: a new share or new rules

    def _start_challenger(self, rollout: Rollout) -> None:
        version = rollout.challenger_version
        log_path = self.directory / f"{self.ref.name}-v{version}.log"
        server = ScoringServer(self.ws, self.ref.name, version, log_path, self.marks)
        try:
            server.start()
            server.wait_healthy()
        except Exception as exc:
            server.stop()
            self.rollout_error = f"the challenger v{version} did not start: {exc}"
            self.rollout_error_for = rollout.started_at
            log.warning("endpoint %s: %s", self.name, self.rollout_error)
            return
        with self._lock:
            closed = self._closed
            if not closed:
                self.challenger, self.rollout = Arm(server), rollout
                self.traffic["challenger"] = Traffic(max(rollout.rules.window_s, 60.0))
        if closed:  # stopped meanwhile: this server is nobody's
            server.stop()
            return
        log.info("endpoint %s: %s of v%s runs", self.name, rollout.mode, version)

    def _stop_challenger(self) -> None:
        with self._lock:
            arm, self.challenger, self.rollout = self.challenger, None, None
        if arm is not None:
            self._drain(arm)
            arm.server.stop()

    def check_rollout(self) -> str | None:
        """Roll the challenger back if it has broken one of its rules (or its scoring server
        ended); the broken rule, said with its figures, or None."""
        rollout, arm = self.rollout, self.challenger
        if rollout is None or arm is None:
            return None
        if not arm.server.alive():
            reason = f"the challenger v{arm.version}'s scoring server ended"
        else:
            summary = self.traffic["challenger"].summary(rollout.rules.window_s)
            found = broken_rule(rollout.rules, summary)
            if found is None:
                return None
            reason = found
        self.rollback(rollout, reason)
        return reason

    def rollback(self, rollout: Rollout, reason: str) -> None:
        """End ``rollout`` (its challenger drained and stopped), audited with ``reason``."""
        summary = self.traffic["challenger"].summary(rollout.rules.window_s)
        end_rollout(self.directory, rollout.started_at)
        self._stop_challenger()
        self.rolled_back = RolledBack(datetime.now(UTC), rollout.challenger_version, reason)
        log.warning(
            "endpoint %s: %s of v%s rolled back: %s",
            self.name,
            rollout.mode,
            rollout.challenger_version,
            reason,
        )
        self.audit(
            "rollback",
            rollout.challenger_version,
            self.version,
            mode=rollout.mode,
            reason=reason,
            figures=summary.as_dict(),
        )

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
                closed = self._closed
                if not closed:
                    old, self._arm = self._arm, Arm(server)
            if closed:  # stopped meanwhile: this server is nobody's
                server.stop()
                return
            self._record_switch(old, version, reason)
            if old is not None:
                self._drain(old)
                old.server.stop()

    def _record_switch(self, old: Arm | None, version: str, reason: str) -> None:
        old_version = old.version if old else None
        self.events.append(SwitchEvent(datetime.now(UTC), old_version, version, reason))
        log.info("endpoint %s: v%s answers (%s)", self.name, version, reason)
        if old_version != version:
            self.traffic["champion"] = Traffic()
        self.audit("switch", old_version, version, reason=reason)

    def _drain(self, arm: Arm) -> None:
        deadline = time.monotonic() + DRAIN_TIMEOUT_S
        while arm.inflight > 0 and time.monotonic() < deadline:
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop answering: the current arm is drained and stopped (and a server a switch or
        a rollout starts after this is stopped, not served)."""
        with self._lock:
            self._closed = True
        with self._switching:
            self._stop_challenger()
            with self._lock:
                arm, self._arm = self._arm, None
            if arm is not None:
                self._drain(arm)
                arm.server.stop()


@dataclass(frozen=True)
class RolledBack:
    """The last rollout the router rolled back: when, which version, and why."""

    at: datetime
    version: str
    reason: str


def _bucket(key: str) -> int:
    """A request key's place in 0..9999, the same in every process (not Python's hash)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big") % 10_000
