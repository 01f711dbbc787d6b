"""Team mode against single-user mode: a tracked cell and a small dataset save, from a
kernel, on the same PostgreSQL state DB and the same MLflow tracking server.

Set-up, all real: a throw-away PostgreSQL cluster (``scripts/test_postgres.sh``), an MLflow
tracking server (``mlflow server``, SQLite backend, one worker), and a JupyterHub with its
proxy and the team service (the Hub of ``tests/team/hub.py``), alice's Hub token.
Kernel-like processes, one per mode, run the same code, alternately, each first as often
as the others:

- single-user: the workspace opened in the process (``JUPYTER_MLOPS_STATE_DB_URL`` on the
  PostgreSQL database);
- team mode: ``JUPYTER_MLOPS_SERVICE_URL`` and alice's token, at the service's own
  address, as users' servers and kernels are configured (docs/team.md; JupyterHub gives
  them its own API's internal address the same way); the service asks the Hub who the
  token is, cached for 5 s as in production;
- team mode through the Hub's public proxy instead, reported beside it.

Both track to the same MLflow server and write datasets' bytes to the same object store.
Measured in each process, after warm-up: ``track()`` of one metric and one parameter (what
``%%track`` runs; in team mode it talks to MLflow directly, as in single-user mode), and
``mlops.datasets.save`` of a 100-row frame, each save a new version. Target: team mode
costs ≤ 1.3× single-user, for each.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from jupyter_mlops.serving.scoring import free_port

from .timing import Result, ms

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = ROOT / "scripts" / "test_postgres.sh"
ROUNDS = 6  # alternating rounds per mode
PER_ROUND = 10  # operations per round
TARGET = 1.3
START_LIMIT_S = 120

# the kernel side: one round of each operation, timed in the process, as JSON
KERNEL = """
import json, sys, time
import numpy as np, pandas as pd
import jupyter_mlops as mlops

n, label = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng()
out = {"track": [], "save": []}
for i in range(n):
    start = time.perf_counter()
    with mlops.track(experiment="team-bench", autolog=False):
        mlops.log_params({"i": i})
        mlops.log_metrics({"accuracy": float(rng.random())})
    out["track"].append(time.perf_counter() - start)
    frame = pd.DataFrame({"x": rng.random(100), "k": rng.integers(0, 10, 100)})
    start = time.perf_counter()
    mlops.datasets.save(f"bench-{label}", frame, "bench")
    out["save"].append(time.perf_counter() - start)
print(json.dumps(out))
"""


def _mlflow_server(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [
        sys.executable, "-m", "mlflow", "server",
        "--backend-store-uri", f"sqlite:///{home / 'mlflow.db'}",
        "--default-artifact-root", str(home / "artifacts"),
        "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
    ]  # fmt: skip
    log = (home / "mlflow.log").open("wb")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_LIMIT_S
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, (home / "mlflow.log").read_text()[-3000:]
        time.sleep(0.5)
    raise AssertionError("the MLflow server did not start")


def _round(env: dict[str, str], label: str, cwd: Path) -> dict[str, list[float]]:
    done = subprocess.run(
        [sys.executable, "-c", KERNEL, str(PER_ROUND), label],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run() -> list[Result]:
    """Both modes on one PostgreSQL, one MLflow server and one object store."""
    sys.path.insert(0, str(ROOT))
    from tests.team.hub import running_hub

    home = Path(tempfile.mkdtemp(prefix="mlops-bench-team-"))
    started = subprocess.run(
        ["bash", str(POSTGRES), "start"], check=True, capture_output=True, text=True
    )
    cluster, db_url = started.stdout.strip().splitlines()[-1].split(" ", 1)
    mlflow_proc, tracking = _mlflow_server(home)
    try:
        with running_hub(home / "hub", db_url) as hub:
            _, token = hub.token("alice")
            base = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_MLOPS_")}
            shared = {
                **base,
                "PYTHONPATH": os.pathsep.join([str(ROOT), base.get("PYTHONPATH", "")]),
                "JUPYTER_MLOPS_TRACKING_URI": tracking,
                "JUPYTER_MLOPS_OBJECT_STORE_URL": str(hub.directory / "objects"),
                "JUPYTER_MLOPS_JOB_STANDBY": "false",
            }
            for mode in ("single-user", "team", "team-proxy"):
                (home / mode).mkdir()
            envs = {
                "single-user": {
                    **shared,
                    "JUPYTER_MLOPS_ROOT": str(home / "single-user"),
                    "JUPYTER_MLOPS_STATE_DB_URL": db_url,
                },
                "team": {
                    **shared,
                    "JUPYTER_MLOPS_ROOT": str(home / "team"),
                    "JUPYTER_MLOPS_SERVICE_URL": hub.service_internal_url,
                    "JUPYTER_MLOPS_SERVICE_TOKEN": token,
                },
                "team-proxy": {
                    **shared,
                    "JUPYTER_MLOPS_ROOT": str(home / "team-proxy"),
                    "JUPYTER_MLOPS_SERVICE_URL": hub.service_url,
                    "JUPYTER_MLOPS_SERVICE_TOKEN": token,
                },
            }
            samples: dict[str, dict[str, list[float]]] = {
                mode: {"track": [], "save": []} for mode in envs
            }
            label = secrets.token_hex(3)
            for mode in envs:  # warm-up: first imports, the dataset's first version
                _round(envs[mode], f"{mode}-{label}", home / mode)
            for i in range(ROUNDS):
                for mode in list(envs) if i % 2 == 0 else reversed(list(envs)):
                    got = _round(envs[mode], f"{mode}-{label}", home / mode)
                    for op in ("track", "save"):
                        samples[mode][op] += got[op][1:]  # each process's first is warm-up
    finally:
        mlflow_proc.terminate()
        mlflow_proc.wait(timeout=60)
        subprocess.run(["bash", str(POSTGRES), "stop", cluster], check=False)
        shutil.rmtree(home, ignore_errors=True)
    return [_result(op, samples) for op in ("track", "save")]


def _result(op: str, samples: dict[str, dict[str, list[float]]]) -> Result:
    team = statistics.median(samples["team"][op])
    proxied = statistics.median(samples["team-proxy"][op])
    single = statistics.median(samples["single-user"][op])
    what = {
        "track": "track() of one metric and one parameter (a %%track cell's run)",
        "save": "mlops.datasets.save of a 100-row frame (a new version)",
    }[op]
    return Result(
        name="team_remote" if op == "track" else "team_remote_save",
        ours=f"team mode, the service at its own address: {what}",
        ours_seconds=team,
        baseline="single-user mode on the same PostgreSQL and MLflow server",
        baseline_seconds=single,
        target=f"≤ {TARGET}×",
        kind="overhead",
        limit=TARGET,
        notes=(
            f"medians of {len(samples['team'][op])} calls each, {ROUNDS} alternating rounds "
            f"of fresh processes; team {ms(team)}, single-user {ms(single)}"
        ),
        details={"through the Hub's public proxy": f"{ms(proxied)} ({proxied / single:.2f}×)"},
    )
