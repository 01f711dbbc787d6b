"""Every operation of the OpenAPI document fuzzed by Schemathesis against a real server.

A real ``jupyter server`` subprocess with the extension, on a free loopback port, in a
temporary workspace holding one of everything (runs, datasets, a monitor with alerts, a
job, a registered model under review), with a token and
``allow_unauthenticated_access = False``. Schemathesis (its CLI, a fixed seed, a bounded
number of examples per operation, every phase including stateful chains) runs once with
the token and once without, and checks that no answer is a 5xx, that each status is one
the document declares, and that each body matches its schema and its content type.

The job scheduler is off in that server, so only a request starts a job run; its notebook
only prints. Runs still going after the fuzzing are cancelled, every process of the
workspace is stopped, and none may be left behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from jupyter_mlops.pipelines.processes import STANDBY_MODULE
from jupyter_mlops.server.routes import ROUTES
from jupyter_mlops.workspace import ROOT_ENV

REPO = Path(__file__).parents[2]
TOKEN = "fuzz-token"
SEED = 20261205
MAX_EXAMPLES = 30
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)
START_LIMIT_S = 90
FUZZ_LIMIT_S = 600


def seed_workspace() -> None:
    """Fill the workspace of ``JUPYTER_MLOPS_ROOT`` (run in a subprocess of its own)."""
    import numpy as np
    import pandas as pd

    import jupyter_mlops as mlops
    from jupyter_mlops.datasets.checks import not_null
    from jupyter_mlops.pytest_plugin import write_notebook
    from tests.helpers import make_run
    from tests.reviews.conftest import log_model_run

    root = Path(os.environ[ROOT_ENV])
    make_run("fuzz", {"accuracy": 0.9}, {"alpha": 1})
    wine = pd.DataFrame({"pH": [3.1, 3.3, 3.5], "kind": ["red", "white", "red"]})
    mlops.datasets.expect("wine", not_null("pH"))
    mlops.datasets.save("wine", wine, "first", tag="gold", key=["kind", "pH"])
    mlops.datasets.save("wine", wine.assign(pH=[3.1, 3.2, 3.9]), "second")
    rng = np.random.default_rng(0)
    reference = pd.DataFrame({"x": rng.normal(0, 1, 200), "c": rng.choice(["a", "b"], 200)})
    current = pd.DataFrame({"x": rng.normal(2, 1, 200), "c": rng.choice(["a", "b"], 200)})
    mlops.monitor.configure("wine-drift", thresholds=["drifted_share >= 0.3"])
    mlops.monitor.drift(reference, reference, name="wine-drift")
    mlops.monitor.drift(reference, current, name="wine-drift")
    write_notebook(root / "train.ipynb", "print('trained')")
    mlops.jobs.promote("train.ipynb", name="train", by="alice")
    mlops.reviews.register(log_model_run(), "cancer")
    review = mlops.reviews.request("cancer", 1, title="first", by="alice")
    mlops.reviews.comment(review.id, "why this threshold?", by="bob")


@dataclass
class Server:
    url: str
    home: Path  # the temporary folder of this run: workspace, logs, Schemathesis' files
    root: Path
    schema: Path  # the document as the server serves it (fetched with the token)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, token: str | None = TOKEN) -> tuple[int, bytes]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"token {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _env(root: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_MLOPS_", "MLFLOW"))}
    env.update(
        {
            ROOT_ENV: str(root),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTER_DATA_DIR": str(home / "data"),
            "PYTHONPATH": os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]),
        }
    )
    return env


def _workspace_processes(root: Path) -> list[psutil.Process]:
    """Every live process working for the fuzzed workspace: the server, job workers and
    their kernels (each carries the workspace root in its environment)."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.environ().get(ROOT_ENV) == str(root) and proc.pid != os.getpid():
                found.append(proc)
        except (psutil.Error, OSError):
            continue
    return found


def _stop(procs: list[psutil.Process]) -> None:
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.terminate()
    _, alive = psutil.wait_procs(procs, timeout=10)
    for proc in alive:
        with contextlib.suppress(psutil.Error):
            proc.kill()


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, mlops_empty_mlflow_db: Path
) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("fuzz")
    root = home / "project"
    root.mkdir()
    (root / ".mlops").mkdir()
    shutil.copyfile(mlops_empty_mlflow_db, root / ".mlops" / "mlflow.db")
    env = _env(root, home)
    code = "from tests.server.test_openapi_fuzz import seed_workspace; seed_workspace()"
    subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True, timeout=300)

    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--ServerApp.token={TOKEN}",
        "--ServerApp.allow_unauthenticated_access=False",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.jpserver_extensions="
        + repr({"jupyter_mlops": True, "jupyter_server_terminals": False}),
        "--MlopsApp.run_scheduler=False",
    ]
    log = (home / "server.log").open("wb")
    process = subprocess.Popen(command, cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_LIMIT_S
        while True:
            assert process.poll() is None, (home / "server.log").read_text()[-5000:]
            try:
                status, document = _get(f"{url}/mlops/api/openapi.json")
            except OSError:
                status = 0
            if status == 200:
                break
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.5)
        schema = home / "openapi.json"
        schema.write_bytes(document)
        yield Server(url, home, root, schema)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        _stop(_workspace_processes(root))


def schemathesis(server: Server, *options: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        str(server.schema),
        f"--url={server.url}",
        f"--checks={CHECKS}",
        f"--seed={SEED}",
        f"--max-examples={MAX_EXAMPLES}",
        "--workers=1",  # one request at a time: the same seed gives the same run
        "--generation-database=none",  # no examples replayed from an earlier run
        "--no-color",
        *options,
    ]
    result = subprocess.run(
        command, cwd=server.home, capture_output=True, text=True, timeout=FUZZ_LIMIT_S
    )
    print(result.stdout[-2500:])  # the summary, shown with -s or -rP
    return result


def _outcome(result: subprocess.CompletedProcess[str]) -> str:
    text = result.stdout + result.stderr
    return text[-20_000:]


def test_every_operation_holds_its_contract_with_a_token(server: Server) -> None:
    result = schemathesis(server, f"--header=Authorization: token {TOKEN}")
    assert result.returncode == 0, _outcome(result)
    assert f"Tested: {len(ROUTES)}" in result.stdout, _outcome(result)


def test_every_operation_holds_its_contract_without_a_token(server: Server) -> None:
    result = schemathesis(server)
    assert result.returncode == 0, _outcome(result)
    assert f"Tested: {len(ROUTES)}" in result.stdout, _outcome(result)
    # nothing answered but a refusal
    status, _ = _get(f"{server.url}/mlops/api/jobs", token=None)
    assert status == 403


def test_runs_the_fuzzing_started_end_and_leave_no_process(server: Server) -> None:
    status, body = _get(f"{server.url}/mlops/api/jobs/train/runs?limit=500")
    assert status == 200
    for run in json.loads(body)["runs"]:
        if run["status"] in ("queued", "running"):
            request = urllib.request.Request(
                f"{server.url}/mlops/api/job-runs/{run['id']}/cancel", method="POST"
            )
            request.add_header("Authorization", f"token {TOKEN}")
            try:
                urllib.request.urlopen(request, timeout=30).close()
            except urllib.error.HTTPError as error:
                assert error.code == 409  # it finished meanwhile
    deadline = time.monotonic() + 60
    while True:
        status, body = _get(f"{server.url}/mlops/api/jobs/train/runs?limit=500")
        going = [r for r in json.loads(body)["runs"] if r["status"] in ("queued", "running")]
        if not going or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert going == []
    deadline = time.monotonic() + 30
    while True:
        workers = [p for p in _workspace_processes(server.root) if _works_a_run(p)]
        if not workers or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert workers == []
    assert len(_standbys(_workspace_processes(server.root))) <= 1


def _works_a_run(proc: psutil.Process) -> bool:
    """A job worker or a kernel one started. Not a standby worker, kept ready for the next
    run, nor its kernel: once every run has ended (the test waits for that first), a
    standby is idle, and the server keeps at most one per workspace."""
    try:
        command = " ".join(proc.cmdline())
        standby = [p for p in (proc, *proc.parents()) if STANDBY_MODULE in " ".join(p.cmdline())]
    except psutil.Error:
        return False
    if standby:
        return False
    return "jupyter_mlops.pipelines.worker" in command or "ipykernel" in command


def _standbys(procs: list[psutil.Process]) -> list[psutil.Process]:
    found = []
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            if STANDBY_MODULE in " ".join(proc.cmdline()):
                found.append(proc)
    return found
