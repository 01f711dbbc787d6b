"""Live traffic as data, on a real endpoint: the answered rows decoded as the model saw them,
labels joined on request id for live quality, a monitor that raises an alert (whose action
asks for the retraining job) when live traffic drifts; and batch scoring of a dataset
version into a new one, with lineage both ways."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pandas as pd
import pytest

import jupyter_mlops as mlops
from jupyter_mlops.errors import Invalid, NotFound
from jupyter_mlops.serving import batch
from jupyter_mlops.serving.scoring import free_port
from jupyter_mlops.tracking.store import use_workspace
from jupyter_mlops.workspace import Workspace

from .conftest import MODEL, Registered


def _frame(rows: int, shift: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"a": rng.normal(shift, 1, rows), "b": rng.normal(shift, 1, rows)})


@pytest.fixture
def endpoint(registered: Registered) -> Iterator[Any]:
    deployment = mlops.serving.deploy(f"{MODEL}@champion", port=free_port())
    yield deployment
    mlops.serving.stop("cancer")


def _send(url: str, frame: pd.DataFrame, per_request: int) -> list[str]:
    """``frame`` sent in requests of ``per_request`` rows, in both of MLflow's DataFrame
    formats; the request ids of the answers."""
    ids = []
    for start in range(0, len(frame), per_request):
        part = frame.iloc[start : start + per_request]
        if start % 2:
            body: dict[str, Any] = {"dataframe_records": part.to_dict(orient="records")}
        else:
            body = {"dataframe_split": part.to_dict(orient="split", index=False)}
        answer = httpx.post(url, json=body, timeout=60)
        assert answer.status_code == 200, answer.text
        ids.append(answer.headers["X-Request-Id"])
    return ids


def test_live_rows_labels_and_a_drift_alert_that_asks_for_retraining(endpoint: Any) -> None:
    httpx.post(endpoint.invocations, json={"nonsense": 1}, timeout=60)  # a 400: not live data
    sent = _frame(60, shift=4.0, seed=1)
    ids = _send(endpoint.invocations, sent, per_request=3)

    rows = mlops.serving.live("cancer", last="1h")
    assert len(rows) == 60
    pd.testing.assert_frame_equal(rows[["a", "b"]], sent, check_dtype=False)
    assert set(rows["prediction"]) == {0} and set(rows["model_version"]) == {"1"}
    assert list(rows["row"][:3]) == [0, 1, 2] and rows["request_id"].nunique() == 20

    # the truth arrives later for the first ten requests: every row of them is a 1
    truth = pd.DataFrame({"request_id": np.repeat(ids[:10], 3), "row": [0, 1, 2] * 10, "label": 1})
    assert mlops.serving.label("cancer", truth) == 30
    joined = mlops.serving.live("cancer", labels=True)
    assert joined["label"].notna().sum() == 30

    reference = _frame(200, shift=0.0, seed=2).assign(label=0, prediction=0)
    check = mlops.serving.watch(
        "cancer",
        reference,
        target="label",
        thresholds=["dataset_drift"],
        actions=["run_job:retrain"],
    )
    assert check.dataset.drifted and check.point is not None
    assert check.quality is not None
    live_accuracy = {m.name: m.current for m in check.quality.metrics}["accuracy"]
    assert live_accuracy == 0.0  # v1 answers 0 where the truth is 1
    [alert] = check.point.alerts
    pending = mlops.monitor.pending_actions(kind="run_job", job="retrain")
    assert [a.alert_id for a in pending] == [alert.id]

    with pytest.raises(Invalid, match="needs at least 100"):
        mlops.serving.watch("cancer", reference, min_rows=100)
    with pytest.raises(Invalid, match="not a duration"):
        mlops.serving.live("cancer", last="yesterday")
    with pytest.raises(Invalid, match="request_id column"):
        mlops.serving.label("cancer", pd.DataFrame({"label": [1]}))
    with pytest.raises(NotFound):
        mlops.serving.label("nobody", truth)


def test_batch_scoring_saves_a_new_version_with_lineage_both_ways(
    registered: Registered, mlops_workspace: Workspace
) -> None:
    mlops.datasets.save("patients", _frame(50, 0.0, seed=3))
    result = mlops.serving.score(f"{MODEL}@champion", "patients@v1", into="patients-scored")
    scored = mlops.datasets.load("patients-scored@v1")
    assert list(scored.columns) == ["a", "b", "prediction"] and set(scored["prediction"]) == {0}

    client = use_workspace(mlops_workspace)
    [run] = client.search_runs(
        [client.get_experiment_by_name(batch.BATCH_EXPERIMENT).experiment_id]
    )
    assert run.data.tags[batch.MODEL_TAG] == MODEL and run.data.tags[batch.VERSION_TAG] == "1"
    contexts = {
        (i.dataset.name, t.value)
        for i in run.inputs.dataset_inputs
        for t in i.tags
        if t.key == "mlflow.data.context"
    }
    assert contexts == {("patients@v1", "consumed"), ("patients-scored@v1", "produced")}
    assert result.version.version == 1

    with pytest.raises(Invalid, match="already has a 'prediction' column"):
        mlops.serving.score(f"{MODEL}/2", "patients-scored", into="again")
    with pytest.raises(Invalid, match="has no column 'z'"):
        mlops.serving.score(f"{MODEL}/2", "patients", into="again", columns=["z"])
    with pytest.raises(NotFound):
        mlops.serving.score("nobody@champion", "patients", into="again")
