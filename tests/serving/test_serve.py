"""An endpoint through real HTTP: MLflow's own scoring servers behind the router, started
as a user starts one (``jupyter mlops serve``), following its alias under load."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import pytest

from jupyter_mlops.serving.api import log as inference_log
from jupyter_mlops.serving.scoring import free_port
from jupyter_mlops.workspace import ROOT_ENV, Workspace

from .conftest import MODEL, ROWS, Registered

START_S = 240.0  # the router and a scoring server (imports, the model's load), loaded machine


@dataclass
class Router:
    proc: subprocess.Popen[str]
    url: str
    root: Path
    output: list[str] = field(default_factory=list)

    @property
    def invocations(self) -> str:
        return f"{self.url}/endpoints/cancer/invocations"

    def info(self) -> dict[str, object]:
        return httpx.get(f"{self.url}/endpoints/cancer/info", timeout=10).json()  # type: ignore[no-any-return]


def serve_command(ws: Workspace, *args: str) -> list[str]:
    return [sys.executable, "-m", "jupyter_mlops.cli", "serve", *args, "--root", str(ws.root)]


def scoring_processes(root: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            if proc.environ().get(ROOT_ENV) == str(root) and "models" in proc.cmdline():
                found.append(proc)
    return found


def stop_all(router: subprocess.Popen[str], root: Path) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(router.pid, signal.SIGKILL)
    router.wait()
    for proc in scoring_processes(root):
        with contextlib.suppress(psutil.Error):
            os.killpg(proc.pid, signal.SIGKILL)


def start_router(ws: Workspace, port: int | None = None, *extra: str) -> Router:
    """``jupyter mlops serve cancer@champion`` in a process of its own, once it answers."""
    port = port or free_port()
    announced = ws.mlops_dir / "serving" / "cancer" / "router.json"
    announced.unlink(missing_ok=True)
    proc = subprocess.Popen(
        serve_command(ws, f"{MODEL}@champion", "--port", str(port), *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + START_S
    while not announced.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_all(proc, ws.root)
            pytest.fail(f"the router did not start: {proc.stdout.read() if proc.stdout else ''}")
        time.sleep(0.1)
    return Router(proc, f"http://127.0.0.1:{port}", ws.root)


@pytest.fixture
def router(registered: Registered, mlops_workspace: Workspace) -> Iterator[Router]:
    started = start_router(mlops_workspace)
    yield started
    stop_all(started.proc, mlops_workspace.root)


def test_answers_in_mlflows_format_and_says_which_version(router: Router) -> None:
    answer = httpx.post(router.invocations, json=ROWS, headers={"X-Request-Id": "q-1"})
    assert answer.status_code == 200
    assert answer.json() == {"predictions": [0, 0]}
    assert answer.headers["X-MLOps-Model-Version"] == f"{MODEL}/1"
    assert answer.headers["X-Request-Id"] == "q-1"
    info = router.info()
    assert (info["model"], info["alias"], info["version"], info["status"]) == (
        MODEL, "champion", "1", "serving",
    )  # fmt: skip

    bad = httpx.post(router.invocations, json={"rows": [1, 2]})  # not one of MLflow's formats
    assert bad.status_code == 400
    assert bad.json()["error_code"] == "BAD_REQUEST"
    assert httpx.post(f"{router.url}/endpoints/other/invocations", json=ROWS).status_code == 404

    logged = inference_log("cancer")
    assert logged["request_id"].iloc[0] == "q-1"
    assert logged["status"].tolist() == [200, 400]
    assert json.loads(logged["prediction"].iloc[0]) == {"predictions": [0, 0]}
    assert logged["model_version"].tolist() == ["1", "1"]


def test_follows_the_alias_under_load_without_a_failed_request(
    router: Router, registered: Registered
) -> None:
    answers: list[tuple[int, str, object, str]] = []
    stop = threading.Event()

    def load() -> None:  # about 50 requests a second
        with httpx.Client(timeout=30) as client:
            i = 0
            while not stop.is_set():
                rid = f"load-{i}"
                i += 1
                try:
                    got = client.post(router.invocations, json=ROWS, headers={"X-Request-Id": rid})
                    version = got.headers.get("X-MLOps-Model-Version", "")
                    answers.append((got.status_code, version, got.json(), rid))
                except httpx.HTTPError as exc:
                    answers.append((0, "", repr(exc), rid))
                time.sleep(0.02)

    threads = [threading.Thread(target=load) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)
        registered.client.set_registered_model_alias(MODEL, "champion", registered.versions[1])
        deadline = time.monotonic() + START_S
        while not any(v == f"{MODEL}/2" for _, v, _, _ in answers[-5:]):
            assert time.monotonic() < deadline, "the endpoint did not switch to v2"
            time.sleep(0.2)
        time.sleep(1.0)
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    assert [a for a in answers if a[0] != 200] == []
    expected = {f"{MODEL}/1": [0, 0], f"{MODEL}/2": [1, 1]}
    assert all(body == {"predictions": expected[v]} for _, v, body, _ in answers)
    assert {v for _, v, _, _ in answers} == {f"{MODEL}/1", f"{MODEL}/2"}
    switches = router.info()["switches"]
    assert [(s["from_version"], s["to_version"]) for s in switches] == [(None, "1"), ("1", "2")]
    assert "alias champion moved to v2" in switches[1]["reason"]
    deadline = time.monotonic() + 60
    while len(scoring_processes(router.root)) > 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    [left] = [p for p in scoring_processes(router.root) if "models:/cancer/2" in p.cmdline()]
    assert left.is_running()
    logged = set(inference_log("cancer")["request_id"])
    assert {rid for *_, rid in answers} <= logged  # every answered request is in the log


def test_a_killed_router_has_logged_every_request_it_answered(
    router: Router, mlops_workspace: Workspace
) -> None:
    answered = []
    with httpx.Client(timeout=30) as client:
        for i in range(200):
            got = client.post(router.invocations, json=ROWS, headers={"X-Request-Id": f"k{i}"})
            assert got.status_code == 200
            answered.append(f"k{i}")
    [orphan] = scoring_processes(router.root)
    os.killpg(router.proc.pid, signal.SIGKILL)
    router.proc.wait()
    assert set(answered) <= set(inference_log("cancer")["request_id"])

    # Started again: the scoring server the killed router left is stopped, a new one serves,
    # and the log keeps what the killed router wrote.
    again = start_router(mlops_workspace)
    try:
        assert not orphan.is_running() or orphan.status() == psutil.STATUS_ZOMBIE
        assert httpx.post(again.invocations, json=ROWS, timeout=30).status_code == 200
        assert set(answered) <= set(inference_log("cancer")["request_id"])
    finally:
        stop_all(again.proc, mlops_workspace.root)


def test_a_killed_scoring_server_is_restarted_and_the_gap_gets_fast_503s(
    router: Router,
) -> None:
    [server] = scoring_processes(router.root)
    os.killpg(server.pid, signal.SIGKILL)
    statuses: list[tuple[int, str]] = []
    deadline = time.monotonic() + START_S
    with httpx.Client(timeout=30) as client:
        while not statuses or statuses[-1][0] != 200:
            assert time.monotonic() < deadline, "the scoring server was not restarted"
            got = client.post(router.invocations, json=ROWS, headers={"X-Request-Id": "gap"})
            statuses.append((got.status_code, got.text))
            time.sleep(0.05)
    gap = [s for s in statuses if s[0] != 200]
    assert gap, "a request should have met the gap"
    assert {code for code, _ in gap} == {503}
    # refused at once, or reset by the dying process: a fast failure, never the timeout
    fast = ("ClientConnectorError", "ServerDisconnectedError", "ClientOSError")
    assert all("ENDPOINT_UNAVAILABLE" in t and any(f in t for f in fast) for _, t in gap), gap
    logged = inference_log("cancer")
    assert (logged["status"] == 503).sum() == len(gap)
    switches = router.info()["switches"]
    assert switches[-1]["to_version"] == "1"
    assert "scoring server ended: restarted" in switches[-1]["reason"]


def test_bad_starts_are_refused_with_a_clear_message(
    registered: Registered, mlops_workspace: Workspace
) -> None:
    def refused(*args: str) -> str:
        done = subprocess.run(
            serve_command(mlops_workspace, *args), capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 2, done.stdout + done.stderr
        return done.stderr

    assert "is not a model to serve" in refused("cancer@@x")
    assert "cannot serve nope@champion" in refused("nope@champion", "--port", str(free_port()))
    assert "cannot serve cancer@gone" in refused("cancer@gone", "--port", str(free_port()))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert f"cannot listen on 127.0.0.1:{port}" in refused(
            "cancer@champion", "--port", str(port)
        )
    assert "needs a token" in refused("cancer@champion", "--host", "0.0.0.0")
    assert "is not an endpoint name" in refused("cancer@champion", "--name", "Bad Name")
    assert scoring_processes(mlops_workspace.root) == []


def test_a_second_router_of_the_same_endpoint_is_refused(
    router: Router, mlops_workspace: Workspace
) -> None:
    done = subprocess.run(
        serve_command(mlops_workspace, f"{MODEL}@champion", "--port", str(free_port())),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "already served by another router" in done.stderr
    assert len(scoring_processes(mlops_workspace.root)) == 1  # the first router's, untouched
    assert httpx.post(router.invocations, json=ROWS, timeout=30).status_code == 200


def test_a_router_with_a_token_refuses_every_other_credential(
    registered: Registered, mlops_workspace: Workspace
) -> None:
    started = start_router(mlops_workspace, None, "--token", "s3cret")
    try:
        for given in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Bearer é".encode()}):
            refused = httpx.post(started.invocations, json=ROWS, headers=given, timeout=30)
            assert refused.status_code == 401, (given, refused.text)
            assert refused.json()["error_code"] == "UNAUTHENTICATED"
        good = {"Authorization": "Bearer s3cret"}
        assert httpx.post(started.invocations, json=ROWS, headers=good, timeout=30).json() == {
            "predictions": [0, 0]
        }
        assert httpx.get(f"{started.url}/health", timeout=10).status_code == 200
    finally:
        stop_all(started.proc, mlops_workspace.root)
