"""A kernel started ahead of the job step that runs in it.

Starting a kernel costs about half a second before a step's first cell can run. A standby
worker (``standby.py``) starts one while it waits for a run: a fresh kernel, in the
workspace root, started as papermill would start it (nbclient's in-memory IPython history),
in which nothing ever ran. The first step the worker runs takes it if it asks for the same
kernel, and only that step: ``take`` gives it once, and the kernel is stopped when the step
ends, like any step's. A kernel is never reused for another step or another run; a worker
that runs several steps starts a new kernel for each of the others.

The step's environment (the job step it runs as, its notebook as ``JPY_SESSION_NAME``) did
not exist when the kernel started, so ``enter`` sets it in the kernel before papermill runs
the first cell: silently (no execution count, no history, no output) and binding no name
in the notebook's namespace but ``__session__``, which ipykernel sets from that variable.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.client import KernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from ..remote.children import user_code_env
from ..state import now

log = logging.getLogger(__name__)

DEFAULT_KERNEL = "python3"
READY_TIMEOUT_S = 60.0  # papermill's own default start timeout
ENTER_TIMEOUT_S = 30.0
SESSION_ENV = "JPY_SESSION_NAME"
# as nbclient starts an IPython kernel: history in memory, not in the user's SQLite file
IPYKERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]
READY_CLIENT = f"{__name__}._ReadyClient"


class _ReadyClient(AsyncKernelClient):
    """A client connected and waited for ahead, so nbclient's start and wait (a kernel_info
    round trip, then 0.2 s of IOPub silence) cost nothing when the step comes."""

    def start_channels(self, *args: Any, **kwargs: Any) -> None:
        if not self.channels_running:
            super().start_channels(*args, **kwargs)

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        if not self.__dict__.get("_waited"):
            await KernelClient._async_wait_for_ready(self, timeout)
            self.__dict__["_waited"] = True


class _PreparedManager(AsyncKernelManager):
    """Hands out the client connected ahead first (to nbclient), and remembers every client
    made, so their channels close with the kernel (a notebook client that did not start a
    kernel leaves it, and them, to its owner)."""

    def client(self, **kwargs: Any) -> Any:
        ready = self.__dict__.pop("_ready_client", None)
        if ready is not None:
            return ready
        made = super().client(**kwargs)
        self.__dict__.setdefault("_made_clients", []).append(made)
        return made

    def ready_client(self, client: Any) -> None:
        """``client`` is the next one handed out."""
        self.__dict__["_ready_client"] = client


class PreparedKernel:
    """A fresh kernel for one step: ``take`` it once (or ``discard`` it)."""

    def __init__(self, cwd: str | os.PathLike[str], name: str = DEFAULT_KERNEL) -> None:
        self.name = name
        self.manager = _PreparedManager(kernel_name=name, client_class=READY_CLIENT)
        arguments = list(IPYKERNEL_ARGUMENTS) if self.manager.ipykernel else []
        run_sync(self.manager.start_kernel)(
            cwd=str(cwd), env=user_code_env(os.environ), extra_arguments=arguments
        )
        self.pid: int | None = getattr(self.manager.provisioner, "pid", None)
        self.started_at: datetime = now()
        self._lock = threading.Lock()
        self._taken = False
        self._client: _ReadyClient | None = None

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> None:
        """Connect the client the step's notebook client will use and wait until the kernel
        answers on it (raises if it does not within ``timeout``)."""
        client = self.manager.client()
        client.start_channels()
        run_sync(client.wait_for_ready)(timeout=timeout)
        client.allow_stdin = False
        self._client = client
        self.manager.ready_client(client)

    def alive(self) -> bool:
        """Whether the kernel process still runs."""
        try:
            return self.pid is not None and bool(run_sync(self.manager.is_alive)())
        except Exception:
            return False

    def take(self, name: str | None) -> AsyncKernelManager | None:
        """The kernel, for the one step that asks first, if it asked for this kernel and the
        kernel still runs; None otherwise. Whoever asks first uses it up: a step that wants
        another kernel makes this one stopped, never kept for a later step."""
        with self._lock:
            taken, self._taken = self._taken, True
        if taken:
            return None
        if name == self.name and self.alive():
            return self.manager
        self._stop()
        return None

    def enter(self, env: Mapping[str, str], timeout: float = ENTER_TIMEOUT_S) -> None:
        """Give the kernel the step's environment, as if it had started with it."""
        client = self._client
        if client is None:
            raise RuntimeError("the kernel was not waited for")
        code = f"__import__('os').environ.update({dict(env)!r})"
        if env.get(SESSION_ENV):
            code += f"\n__session__ = {env[SESSION_ENV]!r}"
        msg_id = client.execute(code, silent=True, store_history=False, allow_stdin=False)
        content = run_sync(client._async_recv_reply)(msg_id, timeout=timeout)["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")

    def discard(self) -> None:
        """Stop the kernel unless a step took it (that step stops it when it ends)."""
        with self._lock:
            taken, self._taken = self._taken, True
        if not taken:
            self._stop()

    def _stop(self) -> None:
        stop_kernel(self.manager, now=True)


def stop_kernel(manager: AsyncKernelManager, now: bool = False) -> None:
    """Shut a kernel down (``now``: kill it; else ask it first, as nbclient does), then
    close the channels of the clients made for it; a dead kernel is only cleaned up."""
    try:
        if manager.has_kernel:
            run_sync(manager.shutdown_kernel)(now=now)
    except Exception as exc:  # already gone: nothing to stop
        log.debug("stopping kernel %s: %s", getattr(manager, "kernel_id", None), exc)
    manager.__dict__.pop("_ready_client", None)
    for client in manager.__dict__.get("_made_clients", []):
        try:
            client.stop_channels()
        except Exception as exc:
            log.debug("closing a kernel client: %s", exc)
