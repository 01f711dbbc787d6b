"""The endpoint supervisor: a duty of the job scheduler's tick (in the Jupyter server, or
headless in ``jupyter mlops scheduler``), so one process per workspace, the lease holder,
keeps the deployed endpoints running.

An endpoint is wanted while its ``endpoint.json`` exists (``wanted.py``). When a wanted
endpoint has no running router (killed, or the machine restarted), the supervisor starts
one (not waiting for it: the tick goes on) and records a ``restart`` in the audit trail; the
new router first stops the scoring servers the old one left, then serves as before, its
rollout resumed from ``rollout.json``. A router that does not come up is tried again after a
growing pause.
"""

from __future__ import annotations

import logging
import subprocess
import time
from dataclasses import dataclass

from ..workspace import Workspace
from .commands import running, serving_store, spawn_router
from .refs import parse_model_ref
from .store import ROUTER_ACTOR
from .wanted import read_wanted

log = logging.getLogger(__name__)

CHECK_EVERY_S = 5.0
START_TIMEOUT_S = 180.0
RETRY_PAUSES_S = (10.0, 30.0, 60.0, 300.0)


@dataclass
class _Starting:
    proc: subprocess.Popen[bytes]
    deadline: float
    attempt: int


class EndpointSupervisor:
    """Call it each tick; it looks at the endpoints every ``every`` seconds."""

    def __init__(self, ws: Workspace, every: float = CHECK_EVERY_S) -> None:
        self.ws = ws
        self.every = every
        self._next = 0.0
        self._starting: dict[str, _Starting] = {}
        self._retry_at: dict[str, tuple[float, int]] = {}  # name → (when, attempts so far)

    def __call__(self) -> list[str]:
        """The endpoints started again this time."""
        now = time.monotonic()
        if now < self._next:
            return []
        self._next = now + self.every
        root = self.ws.mlops_dir / "serving"
        if not root.is_dir():
            return []
        started = []
        for directory in sorted(p for p in root.iterdir() if p.is_dir()):
            wanted = read_wanted(directory)
            name = directory.name
            if wanted is None or running(directory) is not None:
                self._starting.pop(name, None)
                self._retry_at.pop(name, None)
                continue
            if self._still_starting(name, now):
                continue
            when, attempts = self._retry_at.get(name, (0.0, 0))
            if now < when:
                continue
            proc = spawn_router(self.ws, wanted, directory)
            self._starting[name] = _Starting(proc, now + START_TIMEOUT_S, attempts + 1)
            log.warning("endpoint %s: its router was not running; started it again", name)
            serving_store(self.ws).add_event(
                name,
                ROUTER_ACTOR,
                "restart",
                parse_model_ref(wanted.model).name,
                None,
                None,
                {"reason": "its router was not running", "attempt": attempts + 1},
            )
            started.append(name)
        return started

    def _still_starting(self, name: str, now: float) -> bool:
        starting = self._starting.get(name)
        if starting is None:
            return False
        if starting.proc.poll() is None and now < starting.deadline:
            return True
        if starting.proc.poll() is None:
            starting.proc.kill()
        del self._starting[name]
        pause = RETRY_PAUSES_S[min(starting.attempt - 1, len(RETRY_PAUSES_S) - 1)]
        self._retry_at[name] = (now + pause, starting.attempt)
        return True
