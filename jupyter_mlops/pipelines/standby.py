"""Standby workers: started ahead of a run, with a kernel ready, they run it at once.

Starting ``python -m jupyter_mlops.pipelines.worker`` costs seconds before a step's first
cell: imports (papermill, nbformat's jsonschema, nbconvert for the HTML rendering) and the
kernel's start. A standby process does all of that ahead: it imports what a run needs,
opens the state DB, renders an empty notebook once, starts a fresh kernel
(``kernels.PreparedKernel``), says it is warm, then waits on its stdin. Whoever started it
claims a run as ``launch`` does and writes the run's id; the standby runs it as any worker
would (``worker.run_worker``), logging to the run's worker log, in its own session so it
outlives its starter, and offers its kernel to the run's first step. It runs one run and
ends: its kernel is never used by another step or run.

Two keep one:

- the scheduler, while a fire is near (``scheduler.py``), for the fire's run;
- a process that launches runs (``launch.launch``: the Jupyter server for Run now, a
  kernel calling ``mlops.jobs.run``, the CLI), for its next run: when a run it launched
  ends, it starts a standby for the workspace (``StandbyPool``), so a run started again
  soon after skips the imports and the kernel's start. Set ``JUPYTER_MLOPS_JOB_STANDBY``
  to ``false`` for a new worker process per run.

An idle standby ends when its stdin closes (its starter stopped or let it go), or by itself
``IDLE_LIMIT_S`` after it started; its starter hands it a run only in the first half of
``STANDBY_MAX_AGE_S``, since its age is what tells recovery it is the run's worker.
"""

from __future__ import annotations

import contextlib
import logging
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING

from ..workspace import resolve_workspace
from .processes import STANDBY_MAX_AGE_S, STANDBY_MODULE
from .store import JobStore

if TYPE_CHECKING:
    from .kernels import PreparedKernel

log = logging.getLogger(__name__)

HANDED = "handed to a standby worker"  # logged in the run's worker log
ENABLED_ENV = "JUPYTER_MLOPS_JOB_STANDBY"
WARM_FD_ENV = "JUPYTER_MLOPS_STANDBY_WARM_FD"  # the pipe a standby closes once warm
IDLE_LIMIT_S = STANDBY_MAX_AGE_S * 3 / 4  # an idle standby ends by itself after this
HAND_WITHIN_S = STANDBY_MAX_AGE_S / 2  # a standby is handed a run only this young
WARM = b"warm"


def readable(fd: int, timeout: float | None) -> bool:
    """Whether ``fd`` has something to read (or its end) within ``timeout`` seconds. A
    selector, not ``select.select``: a long-lived server holds file descriptors past 1023,
    which ``select`` refuses."""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        return bool(selector.select(timeout))


def standby_log(store: JobStore) -> Path:
    """Where idle standbys write (a standby that never gets a run logs nothing else)."""
    return store.ws.mlops_dir / "jobs" / "standby.log"


def enabled() -> bool:
    """Whether launching processes keep a standby for their next run (on unless
    ``JUPYTER_MLOPS_JOB_STANDBY`` says false)."""
    return os.environ.get(ENABLED_ENV, "").strip().lower() not in ("0", "false", "no", "off")


class Standby:
    """One standby worker process, ready for one run."""

    def __init__(self, store: JobStore) -> None:
        from .launch import spawn_detached, worker_env  # as a launched worker

        self.env = worker_env(store)  # a worker started later would get the same

        warm_read, warm_write = os.pipe()
        try:
            self.proc = spawn_detached(
                store,
                [STANDBY_MODULE],
                standby_log(store),
                subprocess.PIPE,
                pass_fds=(warm_write,),
                extra_env={WARM_FD_ENV: str(warm_write)},
            )
        except BaseException:
            os.close(warm_read)
            raise
        finally:
            os.close(warm_write)
        self._warm_fd: int | None = warm_read
        self._warm: bool | None = None  # None: not known yet
        self._lock = threading.Lock()
        self._stdin: IO[bytes] | None = self.proc.stdin
        self.started = time.monotonic()

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def ready(self) -> bool:
        """Alive, not yet given a run, and young enough to be known as its worker
        (``processes.worker_alive``): half its age limit is left for the hand-over."""
        young = time.monotonic() - self.started < HAND_WITHIN_S
        return young and self._stdin is not None and self.proc.poll() is None

    def wait_warm(self, timeout: float | None = None) -> bool | None:
        """Wait until it has imported, warmed up and started its kernel (True), or ended
        or failed before (False); None after ``timeout`` seconds without either."""
        with self._lock:
            if self._warm is None and self._warm_fd is not None:
                if not readable(self._warm_fd, timeout):
                    return None
                self._warm = os.read(self._warm_fd, len(WARM)) == WARM
                os.close(self._warm_fd)
                self._warm_fd = None
            return bool(self._warm)

    def hand(self, run_id: int, then: Callable[[], object] | None = None) -> bool:
        """Give run ``run_id`` (already claimed) to the standby; False if it is gone.
        ``then`` is called (in a thread) once the standby process has ended."""
        stdin, self._stdin = self._stdin, None
        if stdin is None or self.proc.poll() is not None:
            return False
        try:
            stdin.write(f"{run_id}\n".encode())
            stdin.close()
        except OSError:
            return False
        self._reap(then)
        return True

    def close(self) -> None:
        """Let an idle standby go (it exits on EOF); a standby running a run goes on."""
        stdin, self._stdin = self._stdin, None
        if stdin is not None:
            with contextlib.suppress(OSError):
                stdin.close()
            self._reap(None)

    def _reap(self, then: Callable[[], object] | None) -> None:
        # wait for the process in the background: it would linger as a zombie of this one
        def wait() -> None:
            self.proc.wait()
            with self._lock:
                if self._warm_fd is not None:
                    os.close(self._warm_fd)
                    self._warm_fd = None
            if then is not None:
                try:
                    then()
                except Exception:
                    log.exception("after standby worker %s ended", self.pid)

        threading.Thread(target=wait, name=f"standby-{self.pid}", daemon=True).start()


class StandbyPool:
    """The standby worker a launching process keeps per workspace for its next run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._standbys: dict[Path, Standby] = {}
        self.keep = True  # False: a process about to end starts none

    def take(self, store: JobStore) -> Standby | None:
        """The workspace's standby, if one is ready and started in the environment a new
        worker would have now; it is this caller's alone."""
        from .launch import worker_env

        with self._lock:
            standby = self._standbys.pop(store.ws.root, None)
        if standby is not None and not (standby.ready and standby.env == worker_env(store)):
            standby.close()
            return None
        return standby

    def replenish(self, store: JobStore) -> Standby | None:
        """Have a standby ready for the workspace's next run (unless turned off)."""
        if not (self.keep and enabled()):
            return None
        with self._lock:
            current = self._standbys.get(store.ws.root)
            if current is not None and current.ready:
                return current
            standby = self._standbys[store.ws.root] = Standby(store)
        if current is not None:
            current.close()
        log.debug("standby worker %d started for the next run", standby.pid)
        return standby

    def waiting(self, store: JobStore) -> Standby | None:
        """The workspace's standby, if there is one (not taken)."""
        with self._lock:
            return self._standbys.get(store.ws.root)

    def close(self) -> None:
        """Let every idle standby go."""
        with self._lock:
            standbys, self._standbys = list(self._standbys.values()), {}
        for standby in standbys:
            standby.close()


_pool: StandbyPool | None = None
_pool_lock = threading.Lock()


def standbys() -> StandbyPool:
    """This process's standby workers (made on first use)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = StandbyPool()
        return _pool


# -- the standby process -------------------------------------------------------------------
def _log_to(path: Path) -> None:
    """Send this process's stdout and stderr (and so its logging) to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def _say_warm(ok: bool) -> None:
    """Tell the starter this standby is warm (or failed to be): close the pipe it watches."""
    fd = os.environ.pop(WARM_FD_ENV, "")
    if not fd.isdigit():
        return
    with contextlib.suppress(OSError):
        if ok:
            os.write(int(fd), WARM)
        os.close(int(fd))


class _Orders:
    """The standby's stdin (fd 0, unbuffered): a run id line, or EOF when let go."""

    def __init__(self) -> None:
        self.data = b""
        self.closed = False

    def read(self, timeout: float) -> None:
        """Take what has arrived, waiting up to ``timeout`` seconds for something."""
        if self.closed:
            return
        if readable(0, max(0.0, timeout)):
            chunk = os.read(0, 4096)
            self.data += chunk
            self.closed = not chunk

    def run_id(self, deadline: float) -> int | None:
        """The run id, once its line came; None on EOF or once ``deadline`` passed."""
        while b"\n" not in self.data and not self.closed:
            left = deadline - time.monotonic()
            self.read(left)  # past the deadline: one last look
            if left <= 0 and b"\n" not in self.data:
                return None
        line = self.data.partition(b"\n")[0].strip()
        return int(line) if line else None


def _prepare_kernel(store: JobStore) -> PreparedKernel | None:
    """A kernel started ahead for the run's first step (None if it would not start)."""
    from .kernels import PreparedKernel
    from .notebook_html import warm_up

    try:
        kernel = PreparedKernel(store.ws.root)
    except Exception:
        log.exception("standby: no kernel started ahead")
        return None
    try:
        warm_up()  # nbconvert, while the kernel starts
        kernel.wait_ready()
    except Exception:
        log.exception("standby: the kernel started ahead is not ready")
        kernel.discard()
        return None
    return kernel


def _exit_on_sigterm(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)  # (the kernel started ahead is stopped on the way out)


def main() -> int:
    """The standby process: import, start a kernel, wait for a run id on stdin, run it."""
    started = time.monotonic()
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from .lean import skip_unused_imports

    skip_unused_imports()
    import papermill  # noqa: F401  (imported now, not after the run came)

    from . import worker
    from .execute import RunControl
    from .runtime import WORKER_LOG, run_dir

    store = JobStore(resolve_workspace())
    orders = _Orders()
    orders.read(0)
    if orders.closed and not orders.data:
        return 0  # let go while importing: no kernel to start
    kernel = _prepare_kernel(store)
    try:
        _say_warm(kernel is not None)
        run_id = orders.run_id(started + IDLE_LIMIT_S)
        if run_id is None:
            return 0  # let go, or idle too long, before a run came
        control = RunControl()
        worker.stop_on_signals(control)  # first: a cancel may come at once
        _log_to(run_dir(store.ws, run_id) / WORKER_LOG)
        log.info("run %s: %s (pid %s)", run_id, HANDED, os.getpid())
        run = worker.run_worker(store, run_id, control, kernel)
        log.info("run %s ended %s", run.id, run.status)
    finally:
        if kernel is not None:
            kernel.discard()
    return 0


if __name__ == "__main__":
    sys.exit(main())
