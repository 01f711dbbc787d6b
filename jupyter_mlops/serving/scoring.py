"""One scoring server: MLflow's own ``mlflow models serve`` for one model version.

It runs in the local environment (``--env-manager local``: the workspace's Python), on a
loopback port of its own, in a process group of its own (its server may start workers), and
writes to a log file. Healthy means its ``/ping`` answers 200.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

from ..errors import MlopsError
from ..remote.children import user_code_env
from ..workspace import ROOT_ENV, Workspace

HEALTH_TIMEOUT_S = 120.0  # imports and the model's load, on a loaded machine
LOG_TAIL_BYTES = 2000


class ServingError(MlopsError):
    """A scoring server could not start or answer; the message names which and why."""

    status = 503


def free_port() -> int:
    """A loopback port free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ScoringServer:
    """``mlflow models serve -m models:/NAME/VERSION`` on 127.0.0.1:``port``."""

    def __init__(
        self, ws: Workspace, model: str, version: str, log: Path, marks: dict[str, str]
    ) -> None:
        self.ws = ws
        self.marks = marks  # environment variables that tell whose process this is
        self.model = model
        self.version = version
        self.log = log
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def label(self) -> str:
        return f"{self.model} v{self.version}"

    def start(self) -> ScoringServer:
        """Start the process (not waiting for it to be healthy)."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        argv = [
            sys.executable, "-m", "mlflow", "models", "serve",
            "-m", f"models:/{self.model}/{self.version}",
            "-h", "127.0.0.1", "-p", str(self.port), "--env-manager", "local", "-w", "1",
        ]  # fmt: skip
        # the model's code runs here: in the team service, without its credentials
        env = user_code_env(
            {**os.environ, **self.ws.env()},
            {"MLFLOW_TRACKING_URI": self.ws.tracking_uri, **self.marks},
        )
        # MLflow starts ``uvicorn`` by name: from this Python's environment, even when the
        # kernel was started by its interpreter's path with that environment not on PATH
        scripts = os.path.dirname(sys.executable)
        env["PATH"] = os.pathsep.join([scripts, env.get("PATH", "")]).rstrip(os.pathsep)
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.ws.root,
                env=env,
                start_new_session=True,
            )
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def healthy(self) -> bool:
        """Whether its ``/ping`` answers 200 now."""
        try:
            return httpx.get(f"{self.url}/ping", timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_healthy(self, timeout: float = HEALTH_TIMEOUT_S) -> None:
        """Wait until healthy; stop it and raise :class:`ServingError` (with the end of its
        log) if it ends or is still not healthy after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not self.healthy():
            if not self.alive():
                raise ServingError(f"the scoring server of {self.label} ended: {self.log_tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise ServingError(
                    f"the scoring server of {self.label} was not healthy after {timeout:.0f} s: "
                    f"{self.log_tail()}"
                )
            time.sleep(0.1)

    def stop(self, grace: float = 10.0) -> None:
        """Stop its process group: SIGTERM, then SIGKILL after ``grace`` seconds."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def log_tail(self) -> str:
        """The end of its log, for an error message."""
        try:
            data = self.log.read_bytes()[-LOG_TAIL_BYTES:]
        except OSError:
            return "(no log)"
        lines = data.decode("utf-8", "replace").strip().splitlines()
        return " | ".join(lines[-5:]) or "(empty log)"


def stop_leftovers(root: Path, marks: dict[str, str]) -> int:
    """Stop the scoring servers a killed router left (in ``root``'s workspace, carrying
    ``marks`` in their environment); how many."""
    stopped = 0
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error, ProcessLookupError):
            env = proc.environ()
            ours = env.get(ROOT_ENV) == str(root) and all(env.get(k) == v for k, v in marks.items())
            if ours and proc.pid == os.getpgid(proc.pid):  # the group's leader: its server
                os.killpg(proc.pid, signal.SIGKILL)
                stopped += 1
    return stopped
