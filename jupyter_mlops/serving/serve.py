"""An endpoint served headless: its scoring server, the alias watch and the router, in one
process (``jupyter mlops serve``; ``api.deploy`` starts one in the background).

It binds to loopback unless told otherwise, and then only with a token. It writes where it
listens to ``router.json`` in the endpoint's folder once it answers, and removes it once it
has stopped (its scoring server stopped, its log rolled).
"""

from __future__ import annotations

import fcntl
import gc
import ipaddress
import json
import logging
import os
import re
import signal
import socket
import threading
from pathlib import Path
from typing import IO

import psutil
import uvicorn

from ..errors import Invalid
from ..workspace import Workspace
from .endpoint import Endpoint
from .inference_log import InferenceLog
from .refs import ModelRef, parse_model_ref
from .router import make_router

log = logging.getLogger(__name__)

DEFAULT_PORT = 8765
FOLLOW_EVERY_S = 1.0
ROUTER_FILE = "router.json"
LOCK_FILE = "router.lock"  # held for a router's life: one router per endpoint
TOKEN_ENV = "JUPYTER_MLOPS_SERVE_TOKEN"
JOIN_FOLLOWER_S = 150.0  # a challenger or a switch may be starting a scoring server


def default_endpoint_name(ref: ModelRef) -> str:
    """An endpoint named after its model: ``Breast Cancer`` → ``breast-cancer``."""
    return re.sub(r"[^a-z0-9_\-]+", "-", ref.name.lower()).strip("-_")[:63] or "model"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_port(host: str, port: int) -> None:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise Invalid(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def log_dir(endpoint_directory: Path) -> Path:
    return endpoint_directory / "log"


def serve(
    ws: Workspace,
    model: str,
    name: str | None = None,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    token: str | None = None,
) -> None:
    """Serve ``model`` (``NAME@ALIAS`` or ``NAME/VERSION``) as endpoint ``name`` until
    interrupted; checks everything it can before starting anything."""
    ref = parse_model_ref(model)
    endpoint = Endpoint(ws, name or default_endpoint_name(ref), ref)
    if not _loopback(host) and not token:
        raise Invalid(f"serving on {host} (beyond this machine) needs a token: pass --token")
    _check_port(host, port)
    endpoint.resolve()  # an unknown model or alias is refused before anything starts
    if threading.current_thread() is threading.main_thread():
        # uvicorn re-raises the signal that stopped it once it has: as SystemExit here, so the
        # scoring server is still drained and stopped, and the log rolled, below
        signal.signal(signal.SIGTERM, _exit_on_term)
    endpoint.directory.mkdir(parents=True, exist_ok=True)
    lock = _hold_lock(endpoint.directory / LOCK_FILE, endpoint.name)
    inference_log = InferenceLog(log_dir(endpoint.directory))
    stop = threading.Event()
    follower: threading.Thread | None = None
    router_file = endpoint.directory / ROUTER_FILE
    try:
        endpoint.start()
        follower = threading.Thread(target=_follow, args=(endpoint, stop), daemon=True)
        follower.start()
        app = make_router({endpoint.name: endpoint}, {endpoint.name: inference_log}, token)
        # uvloop's event loop and httptools' parser (uvicorn's fastest; its "auto" would fall
        # back to asyncio and h11 unnoticed were they missing), no access log: the router's
        # CPU per request is what bounds an endpoint's throughput on a shared machine
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            loop="uvloop",
            http="httptools",
            log_level="warning",
            access_log=False,
        )
        server = uvicorn.Server(config)
        announced = threading.Thread(
            target=_announce, args=(server, router_file, host, port, endpoint), daemon=True
        )
        announced.start()
        if threading.current_thread() is threading.main_thread():  # the process is ours
            # what is loaded by now (MLflow, SQLAlchemy, pandas: most of the heap) lives as
            # long as the router: out of the collector's reach, the collections the requests'
            # garbage sets off scan only what came after, not the whole heap
            gc.collect()
            gc.freeze()
        server.run()
    finally:  # router.json goes last: once it is gone, everything has stopped
        stop.set()
        if follower is not None:  # it may be starting a scoring server: let it see the stop
            follower.join(JOIN_FOLLOWER_S)
        endpoint.stop()
        inference_log.close()
        router_file.unlink(missing_ok=True)
        lock.close()


def _hold_lock(path: Path, name: str) -> IO[bytes]:
    """An exclusive lock on ``path`` held until the returned file is closed (or the process
    ends, however it ends): a second router of the same endpoint is refused."""
    held = open(path, "wb")  # noqa: SIM115 (held for the router's life)
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        held.close()
        raise Invalid(f"endpoint {name} is already served by another router") from None
    return held


def _exit_on_term(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def _follow(endpoint: Endpoint, stop: threading.Event) -> None:
    while not stop.wait(FOLLOW_EVERY_S):
        try:
            endpoint.supervise_once()
        except Exception as exc:  # the current version keeps answering; try again later
            log.warning("endpoint %s: %s", endpoint.name, exc)


def _announce(server: uvicorn.Server, path: Path, host: str, port: int, endpoint: Endpoint) -> None:
    while not server.started:
        if server.should_exit:
            return
        threading.Event().wait(0.05)
    url = f"http://{host}:{port}/endpoints/{endpoint.name}"
    pid = os.getpid()
    started = psutil.Process(pid).create_time()  # with the pid: a reused pid is not ours
    text = json.dumps({"pid": pid, "started": started, "url": url, "model": str(endpoint.ref)})
    partial = path.with_suffix(".partial")
    partial.write_text(text)
    os.replace(partial, path)
