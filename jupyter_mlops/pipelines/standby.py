"""A standby worker: started ahead of a scheduled fire, it runs the fire's run at once.

Starting ``python -m jupyter_mlops.pipelines.worker`` costs seconds of imports (nbformat's
jsonschema alone builds an IRI grammar for a second or two), so a run launched at its
minute would start its kernel seconds late. While a fire is near (``PREWARM_LEAD``), the
scheduler keeps one standby process that has imported what a run needs and opened the
state DB, and waits on its stdin. At the fire the scheduler claims the run as ``launch``
does and writes its id; the standby runs it as any worker would (``worker.run_worker``),
logging to the run's worker log, in its own session so it outlives the scheduler. An idle
standby ends when its stdin closes (the scheduler stopped or let it go); one idle for a
minute is replaced, since its age is what tells recovery it is the run's worker.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from ..workspace import resolve_workspace
from .processes import STANDBY_MAX_AGE_S, STANDBY_MODULE
from .store import JobStore

log = logging.getLogger(__name__)

HANDED = "handed to a standby worker"  # logged in the run's worker log


def standby_log(store: JobStore) -> Path:
    """Where idle standbys write (a standby that never gets a run logs nothing else)."""
    return store.ws.mlops_dir / "jobs" / "standby.log"


class Standby:
    """One standby worker process, ready for one run."""

    def __init__(self, store: JobStore) -> None:
        from .launch import spawn_detached  # as a launched worker, in its environment

        self.proc = spawn_detached(store, [STANDBY_MODULE], standby_log(store), subprocess.PIPE)
        self._stdin: IO[bytes] | None = self.proc.stdin
        self.started = time.monotonic()

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def ready(self) -> bool:
        """Alive, not yet given a run, and young enough to be known as its worker
        (``processes.worker_alive``): half its age limit is left for the hand-over."""
        young = time.monotonic() - self.started < STANDBY_MAX_AGE_S / 2
        return young and self._stdin is not None and self.proc.poll() is None

    def hand(self, run_id: int) -> bool:
        """Give run ``run_id`` (already claimed) to the standby; False if it is gone."""
        stdin, self._stdin = self._stdin, None
        if stdin is None or self.proc.poll() is not None:
            return False
        try:
            stdin.write(f"{run_id}\n".encode())
            stdin.close()
        except OSError:
            return False
        self._reap()
        return True

    def close(self) -> None:
        """Let an idle standby go (it exits on EOF); a standby running a run goes on."""
        stdin, self._stdin = self._stdin, None
        if stdin is not None:
            with contextlib.suppress(OSError):
                stdin.close()
            self._reap()

    def _reap(self) -> None:
        # wait for the process in the background: it would linger as a zombie of this one
        threading.Thread(target=self.proc.wait, name=f"standby-{self.pid}", daemon=True).start()


def _log_to(path: Path) -> None:
    """Send this process's stdout and stderr (and so its logging) to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def main() -> int:
    """The standby process: import, wait for a run id on stdin, run it."""
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from .lean import skip_unused_imports

    skip_unused_imports()
    import papermill  # noqa: F401  (imported now, not after the fire)

    from . import worker
    from .execute import RunControl
    from .runtime import WORKER_LOG, run_dir

    store = JobStore(resolve_workspace())
    line = sys.stdin.readline()
    if not line.strip():
        return 0  # let go before a run came
    control = RunControl()
    worker.stop_on_signals(control)  # first: a cancel may come at once
    run_id = int(line)
    _log_to(run_dir(store.ws, run_id) / WORKER_LOG)
    log.info("run %s: %s (pid %s)", run_id, HANDED, os.getpid())
    run = worker.run_worker(store, run_id, control)
    log.info("run %s ended %s", run.id, run.status)
    return 0


if __name__ == "__main__":
    sys.exit(main())
