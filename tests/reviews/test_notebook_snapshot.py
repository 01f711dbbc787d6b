"""Registering a version freezes its run's notebook: with a real MLflow store, runs tracked
from a real notebook file in the workspace, and the real review page. Two versions trained
from one notebook that changed between their registrations show what changed; a notebook
the run logged itself is kept; a file last saved before the run that lacks its tracked cell
is not frozen until a registration after it was saved; nothing about the notebook ever
fails a registration."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
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
from jupyter_mlops.job_context import JobContext
from jupyter_mlops.pipelines.api import store_for as jobs_for
from jupyter_mlops.pipelines.definitions import promote_notebook
from jupyter_mlops.reviews import notebook_snapshot, registry
from jupyter_mlops.reviews.notebook_snapshot import freeze_notebook
from jupyter_mlops.reviews.notebook_source import NOTEBOOK_ARTIFACT, SNAPSHOT_TAG
from jupyter_mlops.reviews.page_builder import build_review_page
from jupyter_mlops.workspace import Workspace

MODEL = "cancer"
SNAPSHOT_LOG = "jupyter_mlops.reviews.notebook_snapshot"
TRAIN = "%%track\nmodel = fit(C)"  # the training cell, as %%track logs it (mlops/cell.py)
SAVE_AND_REGISTER = "save the notebook, then register the run again"


def _write(path: Path, *sources: str) -> Any:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, str(path))
    return nb


def _tracked(notebook: str | None, cell: str | None = None, **tags: str) -> str:
    """A run tracked from ``notebook`` that logs a tiny real model (and ``cell`` as its
    tracked cell, as ``%%track`` does); its id."""
    with mlops.track(
        experiment="snapshots", autolog=False, notebook=notebook, tags=tags, cell_source=cell
    ) as run:
        model = LogisticRegression().fit([[0.0], [1.0], [0.2], [0.9]], [0, 1, 0, 1])
        mlflow.sklearn.log_model(model, name="model", pip_requirements=["scikit-learn"])
    return run.run_id


def _artifact(client: MlflowClient, run_id: str, path: str = NOTEBOOK_ARTIFACT) -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        return nbformat.read(client.download_artifacts(run_id, path, tmp), as_version=4)


def _sources(nb: Any) -> list[str]:
    return [c.source for c in nb.cells]


def _saved_before(path: Path, run_id: str, client: MlflowClient) -> None:
    """Date the file's last save a minute before the run started."""
    started = (client.get_run(run_id).info.start_time or 0) / 1000
    os.utime(path, (started - 60, started - 60))


def _frozen_version(client: MlflowClient, run_id: str) -> int | None:
    tag = client.get_run(run_id).data.tags.get(SNAPSHOT_TAG)
    return None if tag is None else int(json.loads(tag)["version"])


def test_two_versions_of_one_notebook_show_what_changed_between_their_registrations(
    mlops_workspace: Workspace, mlops_client: MlflowClient
) -> None:
    ws = mlops_workspace
    # saved before each run (papermill's case): each holds the cell its run tracked
    _write(ws.root / "train.ipynb", "import pandas as pd", "C = 1.0", TRAIN)
    first = _tracked("train.ipynb", TRAIN)
    assert mlops.reviews.register(first, MODEL).version == 1
    mlops_client.set_registered_model_alias(MODEL, "champion", "1")
    _write(ws.root / "train.ipynb", "import pandas as pd", "C = 0.5", TRAIN, "calibrate()")
    second = _tracked("train.ipynb", TRAIN)
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
    assert _sources(_artifact(mlops_client, first)) == ["import pandas as pd", "C = 1.0", TRAIN]
    assert json.loads(mlops_client.get_run(first).data.tags[SNAPSHOT_TAG])["version"] == 1


def test_a_notebook_the_run_logged_itself_is_kept(
    mlops_workspace: Workspace, mlops_client: MlflowClient, tmp_path: Path
) -> None:
    ws = mlops_workspace
    run_id = _tracked("train.ipynb")
    _write(ws.root / "train.ipynb", "on_disk_now = 1")  # saved after the run
    logged = tmp_path / "notebook.ipynb"
    _write(logged, "as_it_ran = 1")
    mlops_client.log_artifact(run_id, str(logged), "mlops")

    info = registry.register(ws, run_id, MODEL)
    assert info.version == 1
    assert info.notebook_note == f"the run already has {NOTEBOOK_ARTIFACT}: kept"
    assert _sources(_artifact(mlops_client, run_id)) == ["as_it_ran = 1"]
    assert SNAPSHOT_TAG not in mlops_client.get_run(run_id).data.tags
    page = build_review_page(ws, MODEL, 1)
    assert page.notebook.notebook is not None
    assert (page.notebook.notebook.path, page.notebook.notebook.note) == (NOTEBOOK_ARTIFACT, None)
    assert [c.source for c in page.notebook.cells] == ["as_it_ran = 1"]


def test_another_notebook_artifact_of_the_run_does_not_block_the_freeze(
    mlops_workspace: Workspace, mlops_client: MlflowClient, tmp_path: Path
) -> None:
    ws = mlops_workspace
    run_id = _tracked("train.ipynb", TRAIN)
    _write(ws.root / "train.ipynb", "C = 1.0", TRAIN)
    report = tmp_path / "eda.ipynb"
    _write(report, "df.describe()")
    mlops_client.log_artifact(run_id, str(report), "reports")

    info = registry.register(ws, run_id, MODEL)
    assert info.notebook_note == f"froze train.ipynb as {NOTEBOOK_ARTIFACT} of run {run_id}"
    assert _sources(_artifact(mlops_client, run_id)) == ["C = 1.0", TRAIN]
    assert _sources(_artifact(mlops_client, run_id, "reports/eda.ipynb")) == ["df.describe()"]
    assert _frozen_version(mlops_client, run_id) == 1
    ref = build_review_page(ws, MODEL, 1).notebook.notebook
    assert ref is not None and (ref.origin, ref.path) == ("artifact", NOTEBOOK_ARTIFACT)


def test_a_notebook_saved_before_the_run_without_its_cell_is_frozen_once_saved(
    mlops_workspace: Workspace, mlops_client: MlflowClient, caplog: pytest.LogCaptureFixture
) -> None:
    """JupyterLab autosaves every two minutes and ``%mlops register`` runs in the unsaved
    notebook: the file on disk may predate the %%track cell that trained the model."""
    ws = mlops_workspace
    path = ws.root / "train.ipynb"
    _write(path, "import pandas as pd", "C = 1.0")  # the last autosave: no training cell yet
    run_id = _tracked("train.ipynb", TRAIN)
    _saved_before(path, run_id, mlops_client)

    with caplog.at_level(logging.WARNING, logger=SNAPSHOT_LOG):
        info = registry.register(ws, run_id, MODEL)
    assert info.version == 1
    stale = (
        f"the notebook train.ipynb was last saved before run {run_id} started and none of "
        f"its cells holds the cell the run tracked: {SAVE_AND_REGISTER}"
    )
    assert info.notebook_note == (
        f"not frozen ({stale}): the review page reads the notebook file as it is now"
    )
    (warning,) = [r.getMessage() for r in caplog.records]
    assert warning.startswith("cancer version 1 is registered, but its run's notebook was not")
    assert stale in warning and "reads the notebook file as it is now" in warning
    assert NOTEBOOK_ARTIFACT not in [a.path for a in mlops_client.list_artifacts(run_id, "mlops")]
    assert _frozen_version(mlops_client, run_id) is None
    ref = build_review_page(ws, MODEL, 1).notebook.notebook
    assert ref is not None and ref.origin == "workspace"
    assert ref.note == "the notebook file as it is now: it may have changed since the run"

    # a run tracked without a cell (the Python API) names no cell in the warning
    plain = _tracked("train.ipynb")
    _saved_before(path, plain, mlops_client)
    note = registry.register(ws, plain, "plain").notebook_note or ""
    assert f"saved before run {plain} started: {SAVE_AND_REGISTER}" in note

    # the user saves, and registers the run again: frozen now, for that version
    _write(path, "import pandas as pd", "C = 1.0", TRAIN)
    info = registry.register(ws, run_id, MODEL)
    assert info.version == 2
    assert info.notebook_note == f"froze train.ipynb as {NOTEBOOK_ARTIFACT} of run {run_id}"
    assert _sources(_artifact(mlops_client, run_id)) == ["import pandas as pd", "C = 1.0", TRAIN]
    assert _frozen_version(mlops_client, run_id) == 2
    for version in (1, 2):  # both versions come from the run: both pages read the copy
        ref = build_review_page(ws, MODEL, version).notebook.notebook
        assert ref is not None and (ref.origin, ref.path) == ("artifact", NOTEBOOK_ARTIFACT)
    # and a third registration keeps that copy
    assert registry.register(ws, run_id, MODEL).notebook_note == (
        f"the run already has {NOTEBOOK_ARTIFACT}: kept"
    )
    assert _frozen_version(mlops_client, run_id) == 2


def test_a_notebook_saved_before_the_run_that_holds_its_cell_is_frozen(
    mlops_workspace: Workspace, mlops_client: MlflowClient
) -> None:
    """Papermill (and the tutorials) never save the notebook they run: the file predates
    the run but holds the cell it tracked, with other whitespace and the %%track line's
    variables not expanded."""
    ws = mlops_workspace
    path = ws.root / "train.ipynb"
    cell = "%%track --name run-{C}\nmodel = fit(C)\n\n\nprint(model)   \n"
    _write(path, "C = 1.0", "# notes", cell)
    run_id = _tracked("train.ipynb", "%%track --name run-1.0\nmodel  = fit(C)\nprint(model)")
    _saved_before(path, run_id, mlops_client)

    info = registry.register(ws, run_id, MODEL)
    assert info.notebook_note == f"froze train.ipynb as {NOTEBOOK_ARTIFACT} of run {run_id}"
    assert _sources(_artifact(mlops_client, run_id)) == ["C = 1.0", "# notes", cell]
    assert _frozen_version(mlops_client, run_id) == 1


def test_a_tracked_cell_matches_whole_code_only() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("%%track\nmodel = fit(C)"),
        nbformat.v4.new_code_cell("%%track\nmodel = fit(C2)\nscore = 1"),
    ]
    assert not notebook_snapshot.holds_cell(nb, "%%track\nmodel = fit(C)")  # C2, not C
    assert notebook_snapshot.holds_cell(nb, "%%track --name x\nmodel =  fit(C2)")
    assert notebook_snapshot.holds_cell(nb, "%%track\n  score = 1 ")
    assert not notebook_snapshot.holds_cell(nb, "%%track\n\n")  # no code to look for
    assert not notebook_snapshot.holds_cell(nb, "")


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
    later = time.time() + 60  # each file saved after its run: only its own fault shows
    for name in ("broken.ipynb", "big.ipynb", "store.ipynb"):
        os.utime(ws.root / name, (later, later))
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
