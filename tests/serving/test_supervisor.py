"""The endpoint supervisor, as a duty of the job scheduler's tick: a deployed endpoint whose
router is SIGKILLed is started again (its leftover scoring server stopped first), answers
as before, and the audit trail says why; a stopped endpoint stays stopped."""

from __future__ import annotations

import os
import signal
import time

import httpx

import jupyter_mlops as mlops
from jupyter_mlops.pipelines.scheduler import Scheduler
from jupyter_mlops.serving.commands import running
from jupyter_mlops.serving.endpoint import endpoint_dir
from jupyter_mlops.serving.scoring import free_port
from jupyter_mlops.serving.supervisor import EndpointSupervisor
from jupyter_mlops.workspace import Workspace

from .conftest import MODEL, ROWS, Registered
from .test_serve import START_S, scoring_processes


def test_a_killed_router_is_started_again_by_the_scheduler(
    registered: Registered, mlops_workspace: Workspace
) -> None:
    port = free_port()
    deployment = mlops.serving.deploy(f"{MODEL}@champion", port=port)
    directory = endpoint_dir(mlops_workspace, "cancer")
    supervisor = EndpointSupervisor(mlops_workspace, every=0.0)
    scheduler = Scheduler(mlops_workspace, launch=False, duties=[("endpoints", supervisor)])
    assert scheduler.tick().leader and supervisor() == []  # running: nothing to do
    try:
        answered = httpx.post(deployment.invocations, json=ROWS, timeout=60)
        assert answered.status_code == 200
        os.killpg(deployment.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while running(directory) is not None:  # a zombie until reaped: not running
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert len(scoring_processes(mlops_workspace.root)) == 1  # left by the killed router

        scheduler.tick()
        deadline = time.monotonic() + START_S
        while (again := running(directory)) is None:
            assert time.monotonic() < deadline, (directory / "router.log").read_text()[-2000:]
            scheduler.tick()
            time.sleep(0.5)
        assert again.pid != deployment.pid and again.url == deployment.url
        answer = httpx.post(deployment.invocations, json=ROWS, timeout=60)
        assert answer.json() == {"predictions": [0, 0]}
        assert len(scoring_processes(mlops_workspace.root)) == 1  # the leftover was stopped
        ids = set(mlops.serving.log("cancer")["request_id"])
        assert answered.headers["X-Request-Id"] in ids  # answered before the kill: logged
        restart = next(e for e in mlops.serving.events("cancer") if e.action == "restart")
        assert restart.by == "jupyter-mlops" and "not running" in restart.detail["reason"]
    finally:
        mlops.serving.stop("cancer")
    scheduler.tick()
    time.sleep(0.5)
    assert running(directory) is None  # stopped by a person: not started again


def test_an_endpoint_whose_router_died_can_still_be_stopped(
    registered: Registered, mlops_workspace: Workspace
) -> None:
    deployment = mlops.serving.deploy(f"{MODEL}@champion", port=free_port())
    directory = endpoint_dir(mlops_workspace, "cancer")
    os.killpg(deployment.pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while running(directory) is not None:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    mlops.serving.stop("cancer")  # not running, but wanted: no longer wanted
    assert EndpointSupervisor(mlops_workspace, every=0.0)() == []
    assert mlops.serving.events("cancer")[0].action == "stop"
