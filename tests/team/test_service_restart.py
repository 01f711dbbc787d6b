"""The team service killed mid-job on a real Hub: JupyterHub starts it again (a managed
service that exits is restarted), the job's worker runs on, and the run ends as it would
have, recorded: no run is lost.

A Hub of its own (its service's workspace holds the job's notebook, as an operator would
put it there); alice promotes it and runs it through the service.
"""

from __future__ import annotations

import os
import secrets
import signal
import time
from collections.abc import Iterator
from typing import Any

import httpx
import psutil
import pytest

from jupyter_mlops.pytest_plugin import write_notebook
from tests.state_db import POSTGRES_ENV
from tests.team.hub import Hub, running_hub

RESTART_LIMIT_S = 180  # the Hub polls its managed services every 30 s
RUN_LIMIT_S = 300


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set (make test-py sets it)")
    with running_hub(tmp_path_factory.mktemp("hub-restart"), url) as running:
        yield running


def api(hub: Hub, token: str, method: str, path: str, body: object = None) -> Any:
    answer = httpx.request(
        method,
        f"{hub.service_url}/mlops/api{path}",
        headers={"Authorization": f"token {token}"},
        json=body,
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def service_process(hub: Hub) -> psutil.Process:
    """The service's process: the one whose Hub-given environment names this service."""
    for found in psutil.process_iter(["cmdline"]):
        try:
            command = " ".join(found.info["cmdline"] or [])
            env = found.environ()
        except psutil.Error:
            continue
        if "jupyter_mlops.cli service" in command and env.get("JUPYTER_MLOPS_ROOT") == str(
            hub.workspace
        ):
            return found
    raise AssertionError("the service's process is not running")


def run_status(hub: Hub, token: str, run_id: int) -> str | None:
    """The run's status, or None while the service does not answer."""
    try:
        answer = httpx.get(
            f"{hub.service_url}/mlops/api/job-runs/{run_id}",
            headers={"Authorization": f"token {token}"},
            timeout=10,
        )
    except httpx.HTTPError:
        return None
    return str(answer.json()["status"]) if answer.status_code == 200 else None


def test_a_service_killed_mid_job_is_restarted_and_loses_no_run(hub: Hub) -> None:
    _, alice = hub.token("alice")
    name = f"slow-{secrets.token_hex(3)}"  # the test database is the session's
    write_notebook(
        hub.workspace / f"{name}.ipynb",
        "print('first cell done', flush=True)",
        "import time\ntime.sleep(15)\nprint('done', flush=True)",
    )
    job = api(hub, alice, "POST", "/jobs", {"notebook": f"{name}.ipynb"})
    assert job["name"] == name
    run = api(hub, alice, "POST", f"/jobs/{name}/runs", {"stage": "dev", "token": f"once-{name}"})
    deadline = time.monotonic() + RUN_LIMIT_S
    while run_status(hub, alice, run["id"]) != "running":
        assert time.monotonic() < deadline, "the run did not start"
        time.sleep(0.5)

    first = service_process(hub)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)

    deadline = time.monotonic() + RESTART_LIMIT_S
    status = run_status(hub, alice, run["id"])
    while status not in ("succeeded", "failed", "cancelled", "timed_out"):
        assert time.monotonic() < deadline, f"the run is {status} after the restart"
        time.sleep(1)
        status = run_status(hub, alice, run["id"])
    assert service_process(hub).pid != first.pid  # the Hub started it again
    assert status == "succeeded"
    # the run is the one alice asked for, once (the repeated token returns it)
    again = api(hub, alice, "POST", f"/jobs/{name}/runs", {"stage": "dev", "token": f"once-{name}"})
    assert again["id"] == run["id"]
    runs = api(hub, alice, "GET", f"/jobs/{name}/runs")["runs"]
    assert [(r["id"], r["status"]) for r in runs] == [(run["id"], "succeeded")]
