import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import jupyter_mlops as mlops
from jupyter_mlops.cli import main
from jupyter_mlops.pytest_plugin import write_notebook
from jupyter_mlops.workspace import Workspace


def test_info_prints_the_resolved_workspace(mlops_root: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["root"] == str(mlops_root.resolve())
    assert info["tracking_uri"].endswith(".mlops/mlflow.db")


def test_info_masks_the_credentials_in_urls(
    mlops_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JUPYTER_MLOPS_TRACKING_URI", "https://mlflow.example/?token=t0ken")
    monkeypatch.setenv("JUPYTER_MLOPS_STATE_DB_URL", "postgresql://mlops:p4ss@db.example/state")
    monkeypatch.setenv("JUPYTER_MLOPS_OBJECT_STORE_URL", "s3://bucket/objects?secret=s3cret")
    assert main(["info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["tracking_uri"] == "https://mlflow.example/?token=***"
    assert info["state_db_url"] == "postgresql://mlops:***@db.example/state"
    assert info["object_store_url"] == "s3://bucket/objects?secret=***"
    assert main(["info"]) == 0
    shown = capsys.readouterr().out
    assert "state_db_url" in shown and "mlops:***@db.example" in shown
    assert not any(s in shown for s in ("t0ken", "p4ss", "s3cret"))


def test_bad_config_is_a_one_line_error_not_a_traceback(mlops_root: Path) -> None:
    (mlops_root / "mlops.toml").write_text("[mlops\n")
    proc = subprocess.run(
        [sys.executable, "-m", "jupyter_mlops.cli", "info"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "not valid TOML" in proc.stderr
    assert "Traceback" not in proc.stderr


# -- jobs -------------------------------------------------------------------------------------
@pytest.fixture
def train(mlops_workspace: Workspace) -> str:
    write_notebook(
        mlops_workspace.root / "train.ipynb",
        "import jupyter_mlops as mlops\nmlops.output('score', alpha * 2)",
        parameters="alpha = 0.5",
    )
    mlops.jobs.promote("train.ipynb", cron="0 6 * * *", timezone="Europe/Paris", by="alice")
    return "train"


def test_job_list_run_runs_show_and_promote(train: str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["job", "list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:5] == ["job", "latest", "dev", "staging", "prod"]
    assert "v1 0 6 * * * Europe/Paris" in out

    assert main(["job", "run", train, "--param", "alpha=3", "--wait"]) == 0
    assert "job run 1 of train: succeeded" in capsys.readouterr().out
    assert mlops.jobs.get_run(1).steps[0].outputs == {"score": 6.0}
    assert main(["job", "runs", train, "--json"]) == 0
    [run] = json.loads(capsys.readouterr().out)
    assert (run["id"], run["status"], run["parameters"]) == (1, "succeeded", {"alpha": 3.0})
    assert main(["job", "runs", train]) == 0
    assert "succeeded" in capsys.readouterr().out.splitlines()[1]

    assert main(["job", "promote", train, "--to", "staging"]) == 0
    out = capsys.readouterr().out
    assert "train staging: — → v1" in out and "passed" in out
    assert main(["job", "pause", train, "--stage", "staging"]) == 0
    assert "paused" in capsys.readouterr().out and mlops.jobs.job(train).stages[1].paused
    assert main(["job", "resume", train, "--stage", "staging"]) == 0
    assert not mlops.jobs.job(train).stages[1].paused
    capsys.readouterr()

    assert main(["job", "show", train, "--json"]) == 0
    detail = json.loads(capsys.readouterr().out)
    actions = [e["action"] for e in detail["events"]]
    assert actions[:3] == ["resume", "pause", "promote"] and actions[-1] == "create"
    assert main(["job", "show", train]) == 0
    assert "audit:" in capsys.readouterr().out


def test_job_create_and_update(mlops_workspace: Workspace, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write_notebook(mlops_workspace.root / "nightly.ipynb", "print(n)", parameters="n = 1")
    argv = ["job", "create", "nightly.ipynb", "--cron", "30 1 * * *", "--tz", "America/New_York"]
    argv += ["-p", "n=5", "--retries", "2", "--backoff", "10", "--missed", "run_once"]
    assert main([*argv, "--timeout", "60", "--no-notify"]) == 0
    assert "job nightly v1 in dev: v1 30 1 * * * America/New_York" in capsys.readouterr().out
    job = mlops.jobs.job("nightly")
    spec = mlops.jobs.versions("nightly")[0].spec
    assert job.missed_policy == "run_once" and spec.steps[0].parameters == {"n": 5}
    assert (spec.retries, spec.retry_backoff_s, spec.timeout_s) == (2, 10, 60)
    assert spec.notify_on_failure is False
    write_notebook(path, "print(n * 2)", parameters="n = 1")
    assert main(["job", "update", "nightly"]) == 0
    assert "job nightly v2: dev runs it from now on" in capsys.readouterr().out
    assert mlops.jobs.job("nightly").stages[0].version == 2


def test_job_cancel_and_rollback(train: str, capsys) -> None:  # type: ignore[no-untyped-def]
    queued = mlops.jobs.store().create_run(train, "dev", "manual", "alice")
    assert main(["job", "cancel", str(queued.id)]) == 0
    assert f"job run {queued.id} of train: cancelled" in capsys.readouterr().out
    assert main(["job", "rollback", train, "--stage", "dev"]) == 2
    assert "there is no earlier version" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["job", "show", "nope"], "no job named 'nope'"),
        (["job", "run", "nope"], "no job named 'nope'"),
        (["job", "run", "train", "--param", "alpha=high"], "expects float, got str"),
        (["job", "run", "train", "--param", "x;import os#=1"], "not a valid Python"),
        (["job", "run", "train", "--stage", "prod"], "no version in prod"),
        (["job", "run", "train", "--token", "x" * 200], "token"),
        (["job", "promote", "train", "--to", "staging"], "cannot be promoted"),
        (["job", "cancel", "42"], "no job run 42"),
        (["job", "create", "train.ipynb", "--name", "t2", "--cron", "0 25 * * *"], "hour"),
        (["job", "create", "train.ipynb", "--name", "t2", "--tz", "Mars/Base"], "Mars/Base"),
        (["job", "create", "../up.ipynb", "--name", "t2"], "outside the workspace"),
        (["job", "update", "train"], "no notebook of job 'train' changed"),
        (["export", "airflow", "train", "--stage", "prod"], "no version in prod"),
    ],
)
def test_job_errors_are_one_line(train: str, capsys, argv: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert mlops.jobs.runs(train) == []


def test_export_airflow_writes_the_dag(train: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["export", "airflow", train, "--stage", "dev", "--out", str(tmp_path)]) == 0
    dag = Path(capsys.readouterr().out.strip())
    assert dag == tmp_path / "train.py" and dag.is_file()
    assert (tmp_path / "train" / "train.ipynb").is_file()
    compile(dag.read_text(), str(dag), "exec")


def test_headless_scheduler_launches_a_queued_run_and_stops_on_sigterm(
    train: str, mlops_workspace: Workspace
) -> None:
    queued = mlops.jobs.store().create_run(train, "dev", "manual", "alice")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter_mlops.cli", "scheduler"],
        cwd=mlops_workspace.root,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while mlops.jobs.get_run(queued.id).status in ("queued", "running"):
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the run did not finish"
            time.sleep(0.3)
        assert mlops.jobs.get_run(queued.id).status == "succeeded"
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
