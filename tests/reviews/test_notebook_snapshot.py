"""Registering a version freezes its run's notebook: with a real MLflow store, runs tracked
from a real notebook file in the workspace, and the real review page. Two versions trained
from one notebook that changed between their registrations show what changed; a notebook
the run logged itself is kept; nothing about the notebook ever fails a registration."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

import mlflow
import mlflow.sklearn
import nbformat
import pytest
from mlflow.tracking import MlflowClient
from mlflow.utils.file_utils import local_file_uri_to_path
from sklearn.linear_model import LogisticRegression

import jupyter_mlops as mlops
from jupyter_mlops.pipelines.api import store_for as jobs_for
from jupyter_mlops.pipelines.definitions import promote_notebook
from jupyter_mlops.pipelines.outputs import JobContext
from jupyter_mlops.reviews import notebook_snapshot, registry
from jupyter_mlops.reviews.notebook_snapshot import freeze_notebook
from jupyter_mlops.reviews.notebook_source import NOTEBOOK_ARTIFACT, SNAPSHOT_TAG
from jupyter_mlops.reviews.page_builder import build_review_page
from jupyter_mlops.workspace import Workspace

MODEL = "cancer"
SNAPSHOT_LOG = "jupyter_mlops.reviews.notebook_snapshot"


def _write(path: Path, *sources: str) -> Any:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, str(path))
    return nb


def _tracked(notebook: str | None, **tags: str) -> str:
    """A run tracked from ``notebook`` that logs a tiny real model; its id."""
    with mlops.track(experiment="snapshots", autolog=False, notebook=notebook, tags=tags) as run:
        model = LogisticRegression().fit([[0.0], [1.0], [0.2], [0.9]], [0, 1, 0, 1])
        mlflow.sklearn.log_model(model, name="model", pip_requirements=["scikit-learn"])
    return run.run_id


def _artifact(client: MlflowClient, run_id: str, path: str = NOTEBOOK_ARTIFACT) -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        return nbformat.read(client.download_artifacts(run_id, path, tmp), as_version=4)


def _sources(nb: Any) -> list[str]:
    return [c.source for c in nb.cells]


def test_two_versions_of_one_notebook_show_what_changed_between_their_registrations(
    mlops_workspace: Workspace, mlops_client: MlflowClient
) -> None:
    ws = mlops_workspace
    _write(ws.root / "train.ipynb", "import pandas as pd", "C = 1.0", "model = fit(C)")
    first = _tracked("train.ipynb")
    assert mlops.reviews.register(first, MODEL).version == 1
    mlops_client.set_registered_model_alias(MODEL, "champion", "1")
    _write(
        ws.root / "train.ipynb", "import pandas as pd", "C = 0.5", "model = fit(C)", "calibrate()"
    )
    second = _tracked("train.ipynb")
    assert registry.register(ws, second, MODEL).version == 2
    _write(ws.root / "train.ipynb", "edited = 'after both registrations'")

    page = build_review_page(ws, MODEL, 2)
    ref = page.notebook.notebook
    assert ref is not None and (ref.origin, ref.path) == ("artifact", NOTEBOOK_ARTIFACT)
    assert ref.note == "the notebook train.ipynb as saved when 'cancer' version 2 was registered"
    assert [c.source for c in page.notebook.cells][-1] == "calibrate()"
    diff = page.notebook_diff
    assert diff.champion is not None
    assert diff.champion.note == (
        "the notebook train.ipynb as saved when 'cancer' version 1 was registered"
    )
    assert diff.counts == {"unchanged": 2, "added": 1, "removed": 0, "modified": 1}
    assert [(c.status, c.changed) for c in diff.cells] == [
        ("unchanged", []),
        ("modified", ["source"]),
        ("unchanged", []),
        ("added", []),
    ]
    assert [(line.kind, line.text) for line in diff.cells[1].source_diff] == [
        ("removed", "C = 1.0"),
        ("added", "C = 0.5"),
    ]
    assert diff.reason is None
    tag = json.loads(mlops_client.get_run(first).data.tags[SNAPSHOT_TAG])
    assert tag == {"path": "train.ipynb", "model": MODEL, "version": 1}

    # registered again (another model): the first frozen copy stays
    registry.register(ws, first, "cancer-copy")
    assert _sources(_artifact(mlops_client, first)) == [
        "import pandas as pd",
        "C = 1.0",
        "model = fit(C)",
    ]
    assert json.loads(mlops_client.get_run(first).data.tags[SNAPSHOT_TAG])["version"] == 1


@pytest.mark.parametrize("artifact", [NOTEBOOK_ARTIFACT, "reports/analysis.ipynb"])
def test_a_notebook_the_run_logged_itself_is_kept(
    mlops_workspace: Workspace, mlops_client: MlflowClient, tmp_path: Path, artifact: str
) -> None:
    ws = mlops_workspace
    _write(ws.root / "train.ipynb", "on_disk_now = 1")
    run_id = _tracked("train.ipynb")
    logged = tmp_path / Path(artifact).name
    _write(logged, "as_it_ran = 1")
    mlops_client.log_artifact(run_id, str(logged), str(Path(artifact).parent))

    assert registry.register(ws, run_id, MODEL).version == 1
    assert _sources(_artifact(mlops_client, run_id, artifact)) == ["as_it_ran = 1"]
    paths = [a.path for a in mlops_client.list_artifacts(run_id, "mlops")]
    assert (NOTEBOOK_ARTIFACT in paths) == (artifact == NOTEBOOK_ARTIFACT)
    assert SNAPSHOT_TAG not in mlops_client.get_run(run_id).data.tags
    page = build_review_page(ws, MODEL, 1)
    assert page.notebook.notebook is not None and page.notebook.notebook.path == artifact
    assert page.notebook.notebook.note is None
    assert [c.source for c in page.notebook.cells] == ["as_it_ran = 1"]


def test_a_run_whose_notebook_is_gone_still_registers(
    mlops_workspace: Workspace, mlops_client: MlflowClient, caplog: pytest.LogCaptureFixture
) -> None:
    ws = mlops_workspace
    _write(ws.root / "gone.ipynb", "x = 1")
    run_id = _tracked("gone.ipynb")
    (ws.root / "gone.ipynb").unlink()
    with caplog.at_level(logging.WARNING, logger=SNAPSHOT_LOG):
        assert mlops.reviews.register(run_id, MODEL).version == 1
    assert mlops_client.get_model_version(MODEL, "1").run_id == run_id
    assert "the notebook gone.ipynb is no longer in the workspace" in caplog.text
    assert "cancer version 1 is registered" in caplog.text
    page = build_review_page(ws, MODEL, 1)
    assert page.notebook.reason == "the run's notebook gone.ipynb is no longer in the workspace"


def test_what_cannot_be_frozen_leaves_the_registration_alone(
    mlops_workspace: Workspace,
    mlops_client: MlflowClient,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ws = mlops_workspace
    outside = tmp_path / "elsewhere.ipynb"
    _write(outside, "secret = 1")
    (ws.root / "broken.ipynb").write_text("{ not json")
    _write(ws.root / "big.ipynb", "x = 1  # " + "-" * 4096)
    _write(ws.root / "store.ipynb", "y = 2")
    runs = {
        "outside": _tracked(str(outside)),
        "broken": _tracked("broken.ipynb"),
        "big": _tracked("big.ipynb"),
        "store": _tracked("store.ipynb"),
        "script": _tracked(None),
    }
    # the artifact store fails for one run: its artifact folder is a file now
    folder = Path(local_file_uri_to_path(mlops_client.get_run(runs["store"]).info.artifact_uri))
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("not a folder")
    monkeypatch.setattr(notebook_snapshot, "MAX_SNAPSHOT_BYTES", 2**12)  # 4 KB

    with caplog.at_level(logging.WARNING, logger=SNAPSHOT_LOG):
        versions = {kind: registry.register(ws, run, MODEL).version for kind, run in runs.items()}
    assert versions == {"outside": 1, "broken": 2, "big": 3, "store": 4, "script": 5}
    for run_id in runs.values():
        assert SNAPSHOT_TAG not in mlops_client.get_run(run_id).data.tags
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 4  # a run tracked from a script has no notebook: no warning
    assert f"the run's notebook {outside} is outside the workspace" in warnings[0]
    assert "broken.ipynb: not a readable notebook" in warnings[1]
    assert "the notebook big.ipynb is larger than 0.00390625 MB: not copied" in warnings[2]
    assert warnings[3].startswith("cancer version 4 is registered")
    assert "NotADirectoryError" in warnings[3] or "FileExistsError" in warnings[3]
    page = build_review_page(ws, MODEL, 3)
    assert page.notebook.notebook is not None and page.notebook.notebook.origin == "workspace"


def test_a_job_steps_run_keeps_its_executed_notebook(
    mlops_workspace: Workspace, mlops_client: MlflowClient
) -> None:
    ws = mlops_workspace
    _write(ws.root / "train.ipynb", "snapshot = 1")
    jobs = jobs_for(ws)
    promote_notebook(jobs, "train.ipynb", "alice", name="train-job")
    job_run = jobs.create_run("train-job", "dev", "manual", "alice")
    context = JobContext(job_run.job, job_run.version, "dev", job_run.id, "train")
    run_id = _tracked(str(ws.root / "train.ipynb"), **context.tags())

    done = freeze_notebook(mlops_client, ws, run_id, MODEL, 1)
    assert done == "the run was tracked in a job step, whose executed notebook is kept"
    assert NOTEBOOK_ARTIFACT not in [a.path for a in mlops_client.list_artifacts(run_id, "mlops")]
