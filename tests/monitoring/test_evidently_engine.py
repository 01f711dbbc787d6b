"""``engine="evidently"``: Evidently's own Report decides, its HTML is stored (an MLflow
artifact of the tracked run, else a workspace object), never returned inline."""

from __future__ import annotations

import pytest
from mlflow.tracking import MlflowClient

import jupyter_mlops as mlops
from jupyter_mlops.errors import Invalid
from jupyter_mlops.workspace import Workspace

from .frames import frames


def _verdicts(check: object) -> dict[str, bool | None]:
    return {c.column: c.drifted for c in check.columns}  # type: ignore[attr-defined]


def test_evidently_verdicts_match_the_fast_engine_and_its_html_is_an_object(
    mlops_workspace: Workspace,
) -> None:
    reference, current = frames(rows=300)
    ours = mlops.monitor.drift(reference, current)
    theirs = mlops.monitor.drift(reference, current, name="full", engine="evidently")
    assert theirs.engine == "evidently" and theirs.distributions == []
    assert _verdicts(theirs) == _verdicts(ours)
    assert theirs.dataset.drifted == ours.dataset.drifted
    for column in ("x0", "c1"):
        assert theirs.column(column).test == ours.column(column).test
        assert theirs.column(column).score == pytest.approx(ours.column(column).score, abs=1e-6)
    artifact = theirs.evidently
    assert artifact is not None and artifact.store == "objects" and artifact.size > 1_000_000
    assert theirs.point is not None and theirs.point.evidently == artifact
    copy = mlops.monitor.report_file(theirs.point.id)
    assert copy.stat().st_size == artifact.size
    text = copy.read_text(errors="replace")
    assert text.lstrip().startswith("<!DOCTYPE html>") and "Data Drift" in text
    with pytest.raises(Invalid, match="ran with the fast engine"):
        mlops.monitor.report_file(ours)


def test_inside_a_tracked_run_the_html_is_an_artifact_of_the_run(
    mlops_client: MlflowClient,
) -> None:
    reference, current = frames(rows=200, numeric=2, categorical=1)
    with mlops.track(experiment="monitoring", autolog=False) as run:
        check = mlops.monitor.drift(reference, current, engine="evidently", columns=["x0", "c0"])
    artifact = check.evidently
    assert artifact is not None and artifact.store == "mlflow" and artifact.run_id == run.run_id
    listed = [f.path for f in mlops_client.list_artifacts(run.run_id, "mlops/monitoring")]
    assert listed == [artifact.artifact_path]
    assert [c.column for c in check.columns] == ["x0", "c0"]
    assert mlops.monitor.report_file(check).stat().st_size == artifact.size


def test_a_column_evidently_leaves_out_is_listed_as_not_tested(
    mlops_workspace: Workspace,
) -> None:
    reference, current = frames(rows=200, numeric=1, categorical=0)
    reference["empty"] = None
    current["empty"] = None
    check = mlops.monitor.drift(reference, current, engine="evidently")
    assert check.column("empty").drifted is None
    assert "Evidently's report leaves this column out" in check.column("empty").message
    assert check.dataset.columns_not_tested == ["empty"]
