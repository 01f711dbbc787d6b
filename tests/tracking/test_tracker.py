import subprocess
from pathlib import Path
from typing import Any

import mlflow
import pytest
from mlflow.tracking import MlflowClient

import jupyter_mlops as mlops
from jupyter_mlops.errors import Invalid
from jupyter_mlops.tracking.tracker import CELL_ARTIFACT, EXECUTION_COUNT_TAG, track
from tests.helpers import make_run


def test_track_records_source_cell_versions_and_metrics(
    mlops_client: MlflowClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JPY_SESSION_NAME", "work/01-iris.ipynb")
    with mlops.track(cell_source="%%track\nx = 1", execution_count=7) as run:
        mlops.log_params({"C": 0.5})
        mlops.log_metrics({"accuracy": 0.9})
    stored = mlops_client.get_run(run.run_id)
    assert stored.info.status == "FINISHED"
    assert mlops_client.get_experiment(stored.info.experiment_id).name == "01-iris"
    tags = stored.data.tags
    assert tags["mlflow.source.type"] == "NOTEBOOK"
    assert tags["mlflow.source.name"] == "work/01-iris.ipynb"
    assert tags[EXECUTION_COUNT_TAG] == "7"
    assert tags["mlops.version.mlflow"] == mlflow.__version__
    assert stored.data.params == {"C": "0.5"}
    assert stored.data.metrics == {"accuracy": 0.9}
    assert [a.path for a in mlops_client.list_artifacts(run.run_id, "mlops")] == [CELL_ARTIFACT]


def test_git_commit_branch_and_dirty_state_are_recorded(
    mlops_client: MlflowClient, mlops_root: Path
) -> None:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=mlops_root, check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip

    git("init", "-q", "-b", "main")
    (mlops_root / "train.py").write_text("print(1)\n")
    git("add", "train.py")
    git("commit", "-qm", "first")
    clean = make_run("git", {"m": 1})
    (mlops_root / "train.py").write_text("print(2)\n")
    dirty = make_run("git", {"m": 1})
    commit = git("rev-parse", "HEAD")
    for run_id, state in ((clean, "false"), (dirty, "true")):
        tags = mlops_client.get_run(run_id).data.tags
        assert tags["mlflow.source.git.commit"] == commit
        assert tags["mlflow.source.git.branch"] == "main"
        assert tags["mlops.git.dirty"] == state


def test_a_raising_block_fails_its_run_and_the_next_one_just_works(
    mlops_client: MlflowClient,
) -> None:
    with pytest.raises(ZeroDivisionError), track(experiment="e", autolog=False) as failed:
        1 / 0  # noqa: B018
    assert mlops_client.get_run(failed.run_id).info.status == "FAILED"
    assert mlflow.active_run() is None
    ok = make_run("e", {"m": 1.0})
    assert mlops_client.get_run(ok).info.status == "FINISHED"


def test_a_run_left_active_by_a_crash_does_not_block_the_next(mlops_client: MlflowClient) -> None:
    cm = track(experiment="e", autolog=False)
    orphan = cm.__enter__()  # a cell interrupted before its run was ended
    from jupyter_mlops.tracking import tracker

    tracker._stack.clear()
    run_id = make_run("e", {"m": 2.0})
    assert mlops_client.get_run(orphan.run_id).info.status == "FAILED"
    assert mlops_client.get_run(run_id).info.status == "FINISHED"


def test_log_metrics_batches_a_training_loop(
    mlops_client: MlflowClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    original = mlops_client.log_batch

    def counting(*args: Any, **kwargs: Any) -> None:
        calls.append(len(kwargs.get("metrics", [])))
        original(*args, **kwargs)

    # Counts the store writes (the real ones still happen); the run uses this same client.
    monkeypatch.setattr(mlops_client, "log_batch", counting)
    with track(experiment="loop", autolog=False) as run:
        for step in range(2500):
            mlops.log_metrics({"loss": 1 / (step + 1)})
    history = mlops_client.get_metric_history(run.run_id, "loss")
    assert [m.step for m in history] == list(range(2500))
    assert calls == [1000, 1000, 500]


def test_logging_outside_a_run_is_a_clear_error(mlops_client: MlflowClient) -> None:
    with pytest.raises(Invalid, match="no active run"):
        mlops.log_metrics({"m": 1})
    with pytest.raises(Invalid, match="not a number"), track(experiment="e", autolog=False):
        mlops.log_metrics({"m": "high"})  # type: ignore[dict-item]


def test_summary_compares_with_the_best_earlier_run(mlops_client: MlflowClient) -> None:
    make_run("cmp", {"rmse": 3.0}, metric="rmse")
    make_run("cmp", {"rmse": 2.0})
    with track(experiment="cmp", autolog=False) as run:
        run.log_metrics({"rmse": 2.5})
    s = run.summary
    assert s is not None
    assert (s.primary_metric, s.greater_is_better) == ("rmse", False)
    assert s.best_value == 2.0
    assert s.delta == pytest.approx(0.5)


def test_sklearn_autolog_records_params_and_training_metrics(mlops_client: MlflowClient) -> None:
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression

    X, y = load_iris(return_X_y=True)
    with track(experiment="auto") as run:
        LogisticRegression(max_iter=300, C=0.7).fit(X, y)
    data = mlops_client.get_run(run.run_id).data
    assert data.params["C"] == "0.7"
    assert data.metrics["training_accuracy_score"] > 0.9
    with track(experiment="auto", autolog=False) as quiet:
        LogisticRegression(max_iter=300).fit(X, y)
    assert mlops_client.get_run(quiet.run_id).data.params == {}


def test_an_experiment_deleted_since_the_last_run_is_a_clear_error(
    mlops_client: MlflowClient,
) -> None:
    make_run("gone", {"m": 1})
    exp = mlops_client.get_experiment_by_name("gone")
    assert exp is not None
    mlops_client.delete_experiment(exp.experiment_id)
    with pytest.raises(Invalid, match="experiment 'gone' is deleted"):
        make_run("gone", {"m": 2})


def test_no_autolog_cells_suspend_autologging_without_unpatching(
    mlops_client: MlflowClient,
) -> None:
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression

    X, y = load_iris(return_X_y=True)
    with track(experiment="mix") as first:
        LogisticRegression(max_iter=300).fit(X, y)
    with track(experiment="mix", autolog=False) as quiet:
        LogisticRegression(max_iter=300).fit(X, y)
    with track(experiment="mix") as again:
        LogisticRegression(max_iter=300).fit(X, y)
    params = [mlops_client.get_run(r.run_id).data.params for r in (first, quiet, again)]
    assert params[0] and not params[1] and params[2] == params[0]


def test_git_state_is_read_without_touching_the_index(
    mlops_client: MlflowClient, mlops_root: Path
) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=mlops_root, check=True, capture_output=True,
        )  # fmt: skip

    git("init", "-q", "-b", "main")
    (mlops_root / "a.py").write_text("1\n")
    git("add", "a.py")
    git("commit", "-qm", "c")
    index = mlops_root / ".git" / "index"
    (mlops_root / "a.py").touch()  # stale stat info: a plain `git status` rewrites the index
    before = index.stat().st_mtime_ns
    run_id = make_run("git2", {"m": 1})
    assert index.stat().st_mtime_ns == before
    assert mlops_client.get_run(run_id).data.tags["mlops.git.dirty"] == "false"
