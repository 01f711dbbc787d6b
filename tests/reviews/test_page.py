"""The review page of a registered model version against the champion, built from a real
MLflow registry, real tracked runs with notebooks and datasets, and a real monitor."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import mlflow
import mlflow.sklearn
import nbformat
import numpy as np
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient
from sklearn.linear_model import LogisticRegression

import jupyter_mlops as mlops
from jupyter_mlops.errors import Invalid, NotFound
from jupyter_mlops.reviews.models import ReviewRules
from jupyter_mlops.reviews.page_builder import build_review_page
from jupyter_mlops.workspace import Workspace

MODEL = "iris-review"
SHARED = ["import pandas as pd", "# Train\nThe model of this review."]


def _notebook(cells: list[str], outputs: dict[int, str] | None = None) -> Any:
    nb = nbformat.v4.new_notebook()
    for i, source in enumerate(cells):
        if source.startswith("#"):
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
            continue
        cell = nbformat.v4.new_code_cell(source, execution_count=i + 1)
        if outputs and i in outputs:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=outputs[i])]
        nb.cells.append(cell)
    return nb


CHAMPION_NB = _notebook(
    [*SHARED, "C = 1.0", "model = fit(C)", "print(score)", "old_plot()"],
    outputs={4: "0.91\n"},
)
CANDIDATE_NB = _notebook(
    [*SHARED, "C = 0.5", "model = fit(C)", "print(score)", "calibrate(model)"],
    outputs={4: "0.95\n"},
)


def _frame(shift: float = 0.0, rows: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "id": range(rows),
            "x0": rng.normal(shift, 1.0, rows),
            "x1": rng.normal(shift, 1.0, rows),
            "label": [i % 2 for i in range(rows)],
        }
    )


def _train(
    client: MlflowClient,
    dataset: str | None,
    metrics: dict[str, float],
    params: dict[str, Any],
    *,
    notebook: str | None = None,
    notebook_artifact: Any = None,
) -> str:
    """Track a run that consumes ``dataset``, log a small model and register it: the version."""
    with mlops.track(experiment="review", autolog=False, notebook=notebook) as run:
        frame = mlops.datasets.load(dataset) if dataset else _frame()
        model = LogisticRegression().fit(frame[["x0", "x1"]], frame["label"])
        run.log_params(params)
        run.log_metrics(metrics)
        info = mlflow.sklearn.log_model(model, name="model", pip_requirements=["scikit-learn"])
    if notebook_artifact is not None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "notebook.ipynb"
            nbformat.write(notebook_artifact, str(path))
            client.log_artifact(run.run_id, str(path), "mlops")
    return str(mlflow.register_model(info.model_uri, MODEL).version)


@pytest.fixture
def two_versions(mlops_workspace: Workspace, mlops_client: MlflowClient) -> Workspace:
    """Version 1 (the champion: train@v1, its notebook logged as an artifact) and version 2
    (train@v2, tracked from train.ipynb in the workspace), and a monitor on train@v2."""
    ws = mlops_workspace
    mlops.datasets.save("train", _frame(), key=["id"])
    changed = _frame()
    changed.loc[3, "x0"] = 99.0
    mlops.datasets.save("train", pd.concat([changed, _frame().iloc[:0]]).iloc[:-2])
    assert (
        _train(
            mlops_client,
            "train@v1",
            {"accuracy": 0.91, "log_loss": 0.30},
            {"C": 1.0, "solver": "lbfgs", "penalty": "l2"},
            notebook_artifact=CHAMPION_NB,
        )
        == "1"
    )
    nbformat.write(CANDIDATE_NB, str(ws.root / "train.ipynb"))
    assert (
        _train(
            mlops_client,
            "train@v2",
            {"accuracy": 0.95, "log_loss": 0.25, "f1": 0.9},
            {"C": 0.5, "solver": "lbfgs", "class_weight": "balanced"},
            notebook="train.ipynb",
        )
        == "2"
    )
    mlops_client.set_registered_model_alias(MODEL, "champion", "1")
    mlops.monitor.drift("train@v2", _frame(shift=3.0), name="iris-inputs", columns=["x0", "x1"])
    return ws


def test_the_page_compares_the_version_with_the_champion(two_versions: Workspace) -> None:
    page = build_review_page(two_versions, MODEL, 2)
    assert (page.model, page.version, page.champion_alias) == (MODEL, 2, "champion")
    assert page.champion is not None and page.champion.version == 1
    assert page.champion.aliases == ["champion"] and page.champion_reason is None
    assert page.candidate.run_id is not None and page.candidate.run_name

    rows = {r.name: r for r in page.metrics.rows}
    assert rows["accuracy"].candidate == 0.95 and rows["accuracy"].champion == 0.91
    assert rows["accuracy"].delta == pytest.approx(0.04) and rows["accuracy"].improved
    assert rows["log_loss"].delta == pytest.approx(-0.05) and rows["log_loss"].improved
    assert not rows["log_loss"].greater_is_better
    assert rows["f1"].champion is None and rows["f1"].delta is None
    figure = page.metrics.figure
    assert figure is not None and figure["layout"]["barmode"] == "group"
    assert [t["name"] for t in figure["data"]] == ["v2", "champion v1"]
    assert list(figure["data"][0]["x"]) == ["accuracy", "f1", "log_loss"]

    params = page.params
    assert [(c.name, c.candidate) for c in params.added] == [("class_weight", "balanced")]
    assert [(c.name, c.champion) for c in params.removed] == [("penalty", "l2")]
    assert [(c.name, c.champion, c.candidate) for c in params.changed] == [("C", "1.0", "0.5")]
    assert params.unchanged == 1 and params.reason is None


def test_training_datasets_their_diff_and_drift(two_versions: Workspace) -> None:
    page = build_review_page(two_versions, MODEL, "2")
    datasets = page.datasets
    assert [d.ref for d in datasets.candidate] == ["train@v2"]
    assert [d.ref for d in datasets.champion] == ["train@v1"]
    assert datasets.candidate[0].rows == 58 and datasets.candidate[0].kind == "dataframe"
    [comparison] = datasets.comparisons
    assert (comparison.status, comparison.champion, comparison.candidate) == (
        "changed",
        "train@v1",
        "train@v2",
    )
    assert comparison.diff is not None and comparison.diff_error is None
    assert comparison.diff.key == ["id"]
    assert (comparison.diff.rows_removed, comparison.diff.rows_changed) == (2, 1)

    [drift] = page.drift.monitors
    point = mlops.monitor.history("iris-inputs")[0]
    assert (drift.monitor, drift.point_id, drift.reference_dataset) == (
        "iris-inputs",
        point.id,
        "train@v2",
    )
    assert drift.verdict == "drifted" and drift.share_of_drifted_columns == 1.0
    assert drift.number_of_columns == 2 and page.drift.reason is None


def test_the_notebook_and_its_diff_against_the_champions(two_versions: Workspace) -> None:
    page = build_review_page(two_versions, MODEL, 2)
    notebook = page.notebook
    assert notebook.notebook is not None and notebook.notebook.origin == "workspace"
    assert notebook.notebook.path == "train.ipynb" and notebook.notebook.note
    cells = notebook.cells
    assert [c.index for c in cells] == list(range(6))
    assert [c.id for c in cells] == [c.id for c in CANDIDATE_NB.cells]
    assert cells[1].cell_type == "markdown" and cells[2].source == "C = 0.5"
    assert [(o.output_type, o.text) for o in cells[4].outputs] == [("stream", "0.95\n")]

    diff = page.notebook_diff
    assert diff.champion is not None and diff.champion.origin == "artifact"
    assert diff.champion.path == "mlops/notebook.ipynb" and diff.reason is None
    statuses = [(c.status, c.champion_index, c.index) for c in diff.cells]
    assert statuses == [
        ("unchanged", 0, 0),
        ("unchanged", 1, 1),
        ("modified", 2, 2),
        ("unchanged", 3, 3),
        ("modified", 4, 4),
        ("removed", 5, None),
        ("added", None, 5),
    ]
    assert diff.counts == {"unchanged": 3, "added": 1, "removed": 1, "modified": 2}
    assert [(line.kind, line.text) for line in diff.cells[2].source_diff] == [
        ("removed", "C = 1.0"),
        ("added", "C = 0.5"),
    ]
    assert diff.cells[2].changed == ["source"] and diff.cells[2].id == CANDIDATE_NB.cells[2].id
    assert diff.cells[4].changed == ["outputs"] and diff.cells[4].source_diff == []
    assert [(line.kind, line.text) for line in diff.cells[5].source_diff] == [
        ("removed", "old_plot()")
    ]
    assert page.model_dump_json()  # the whole page is JSON for the REST surface


def test_without_a_champion_every_section_says_so(
    two_versions: Workspace, mlops_client: MlflowClient
) -> None:
    mlops_client.delete_registered_model_alias(MODEL, "champion")
    page = build_review_page(two_versions, MODEL, 2)
    assert page.champion is None
    assert page.champion_reason == f"no version of {MODEL!r} holds the alias 'champion' yet"
    assert {r.champion for r in page.metrics.rows} == {None}
    assert page.metrics.figure is not None and len(page.metrics.figure["data"]) == 1
    assert page.metrics.reason == "no champion run to compare with"
    assert page.params.params["C"] == "0.5" and not page.params.changed
    assert page.params.reason == "no champion run to compare with"
    assert [d.ref for d in page.datasets.candidate] == ["train@v2"]
    assert page.datasets.comparisons == [] and page.datasets.reason
    assert page.drift.monitors  # drift depends on the candidate only
    assert page.notebook.cells and page.notebook_diff.cells == []
    assert page.notebook_diff.reason == page.champion_reason


def test_the_champion_itself_and_another_alias(
    two_versions: Workspace, mlops_client: MlflowClient
) -> None:
    page = build_review_page(two_versions, MODEL, 1)
    assert page.champion is None
    assert page.champion_reason == "version 1 is the champion itself: nothing to compare with"
    assert page.notebook.notebook is not None and page.notebook.notebook.origin == "artifact"
    assert [c.source for c in page.notebook.cells][2] == "C = 1.0"
    assert page.drift.reason == "no monitor checks recent data against train@v1"

    mlops_client.set_registered_model_alias(MODEL, "challenger", "2")
    page = build_review_page(two_versions, MODEL, 1, champion_alias="challenger")
    assert page.champion is not None and page.champion.version == 2
    diff = page.notebook_diff  # the other way round: what v1 has that v2 does not
    assert diff.counts == {"unchanged": 3, "added": 1, "removed": 1, "modified": 2}
    assert [c.source_diff[0].text for c in diff.cells if c.status == "added"] == ["old_plot()"]


def test_a_run_without_notebook_or_datasets_gives_empty_sections(
    mlops_workspace: Workspace, mlops_client: MlflowClient
) -> None:
    assert _train(mlops_client, None, {"accuracy": 0.8}, {"C": 1.0}) == "1"
    assert _train(mlops_client, None, {"accuracy": 0.9}, {"C": 2.0}) == "2"
    mlops_client.set_registered_model_alias(MODEL, "champion", "1")
    page = build_review_page(mlops_workspace, MODEL, 2)
    run_id = page.candidate.run_id
    assert page.notebook.cells == []
    assert page.notebook.reason == f"run {run_id} was not tracked from a notebook"
    assert page.notebook_diff.reason == "the candidate's run has no notebook to compare"
    assert page.datasets.candidate == [] and page.datasets.comparisons == []
    assert page.datasets.reason == "the run consumed no dataset version of the catalog"
    assert page.drift.reason == "no training dataset version to check drift against"
    assert [r.delta for r in page.metrics.rows] == [pytest.approx(0.1)]


def test_a_notebook_deleted_since_the_run_is_a_reason(
    two_versions: Workspace,
) -> None:
    (two_versions.root / "train.ipynb").unlink()
    page = build_review_page(two_versions, MODEL, 2)
    assert page.notebook.reason == "the run's notebook train.ipynb is no longer in the workspace"
    assert page.metrics.rows  # the rest of the page is still there


def test_unknown_model_or_version_is_not_found(two_versions: Workspace) -> None:
    with pytest.raises(NotFound, match="no registered model named 'nope'"):
        build_review_page(two_versions, "nope", 1)
    with pytest.raises(NotFound, match=f"registered model '{MODEL}' has no version 7"):
        build_review_page(two_versions, MODEL, 7)
    with pytest.raises(Invalid, match="name the alias"):
        build_review_page(two_versions, MODEL, 2, champion_alias=" ")
    for bad in ("two", 0, "-1", True):
        with pytest.raises(Invalid, match="is not a model version"):
            build_review_page(two_versions, MODEL, bad)  # type: ignore[arg-type]


def test_two_runs_of_one_workspace_notebook_say_the_diff_cannot_tell(
    mlops_workspace: Workspace, mlops_client: MlflowClient
) -> None:
    nbformat.write(CANDIDATE_NB, str(mlops_workspace.root / "same.ipynb"))
    assert _train(mlops_client, None, {"accuracy": 0.8}, {}, notebook="same.ipynb") == "1"
    assert _train(mlops_client, None, {"accuracy": 0.9}, {}, notebook="same.ipynb") == "2"
    mlops_client.set_registered_model_alias(MODEL, "champion", "1")
    diff = build_review_page(mlops_workspace, MODEL, 2).notebook_diff
    assert diff.counts["unchanged"] == len(CANDIDATE_NB.cells)
    assert diff.reason is not None and "cannot show what changed" in diff.reason


def test_a_version_without_a_source_run_still_has_a_page(
    mlops_workspace: Workspace, mlops_client: MlflowClient, tmp_path: Path
) -> None:
    mlops_client.create_registered_model(MODEL)
    version = mlops_client.create_model_version(MODEL, source=tmp_path.as_uri())
    page = build_review_page(mlops_workspace, MODEL, int(version.version))
    assert page.candidate.run_id is None and page.champion is None
    assert page.metrics.reason == "the version has no source run: no metrics"
    assert page.params.reason == "the version has no source run: no params"
    assert page.datasets.reason == "the version has no source run: no training data known"
    assert page.notebook.reason == (
        "the version has no run to read a notebook of: registered without a source run"
    )
    assert page.drift.reason == "no training dataset version to check drift against"


def test_the_python_api_gives_a_reviews_page_against_its_rules_alias(
    two_versions: Workspace, mlops_client: MlflowClient
) -> None:
    """``mlops.reviews.page(id)``, as ``GET /mlops/api/reviews/{id}/page`` gives it."""
    review = mlops.reviews.request(MODEL, 2, by="alice")
    page = mlops.reviews.page(review.id)
    assert page == build_review_page(two_versions, MODEL, 2)
    assert page.champion is not None and page.champion.version == 1

    mlops.reviews.withdraw(review.id, by="alice")
    champion_run = page.champion.run_id or ""
    assert mlops.reviews.register(champion_run, MODEL).version == 3
    mlops_client.set_registered_model_alias(MODEL, "prod", "3")
    prod = mlops.reviews.request(MODEL, 2, rules=ReviewRules(alias="prod"), by="bob")
    page = mlops.reviews.page(prod.id)
    assert page.champion_alias == "prod" and page.champion is not None
    assert page.champion.version == 3
    no_alias = mlops.reviews.request(MODEL, 3, rules=ReviewRules(alias=None), by="bob")
    page = mlops.reviews.page(no_alias.id)
    assert page.champion_alias == "champion" and page.champion is not None
    assert page.champion.version == 1
    with pytest.raises(NotFound):
        mlops.reviews.page(10_000)
