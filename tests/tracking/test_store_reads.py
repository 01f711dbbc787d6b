"""A run and the experiments read in plain queries against MLflow's client, on a real store."""

from __future__ import annotations

import time
from typing import Any

import pytest
from mlflow.data.code_dataset_source import CodeDatasetSource
from mlflow.data.meta_dataset import MetaDataset
from mlflow.entities import DatasetInput, InputTag, Metric, Param, RunTag
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient
from mlflow.utils.mlflow_tags import MLFLOW_DATASET_CONTEXT, MLFLOW_RUN_NAME

from jupyter_mlops.errors import NotFound
from jupyter_mlops.tracking import queries, store_reads
from jupyter_mlops.tracking.store import PRIMARY_METRIC_TAG


def _input(name: str, digest: str, context: str | None) -> DatasetInput:
    source = CodeDatasetSource(tags={"mlops.dataset": name, "mlops.dataset_version": "v1"})
    dataset = MetaDataset(source=source, name=f"{name}@v1", digest=digest)  # type: ignore[abstract]
    tags = [InputTag(MLFLOW_DATASET_CONTEXT, context)] if context else []
    return DatasetInput(dataset._to_mlflow_entity(), tags=tags)


def _seed_runs(client: MlflowClient) -> list[str]:
    """Runs with every shape a detail shows: NaN and infinite metrics, params, notebook and
    other tags, dataset inputs with and without a context, a run whose name lives only in
    its tag, a deleted run, a run with nothing logged."""
    exp = client.create_experiment("reads")
    runs = []
    full = client.create_run(exp, run_name="full").info.run_id
    client.log_batch(
        full,
        metrics=[
            Metric("acc", 0.5, 1, 0),
            Metric("acc", 0.7, 2, 1),
            Metric("nan", float("nan"), 1, 0),
            Metric("big", float("inf"), 1, 0),
        ],
        params=[Param("lr", "0.1"), Param("depth", "3")],
        tags=[RunTag("mlflow.source.name", "/x/train.ipynb"), RunTag("team", "ml")],
    )
    client.log_inputs(
        full,
        [
            _input("a", "d" * 32, "consumed"),
            _input("b", "e" * 32, None),
            _input("c", "f" * 32, "produced"),
        ],
    )
    client.set_terminated(full)
    runs.append(full)
    unnamed = client.create_run(exp).info.run_id
    client.set_tag(unnamed, MLFLOW_RUN_NAME, "from-tag-only")
    runs.append(unnamed)
    deleted = client.create_run(exp, run_name="gone").info.run_id
    client.log_metric(deleted, "m", 1.0)
    client.delete_run(deleted)
    runs.append(deleted)
    runs.append(client.create_run(exp, run_name="empty").info.run_id)
    return runs


def _both(client: MlflowClient, monkeypatch: pytest.MonkeyPatch, read: Any) -> tuple[Any, Any]:
    fast = read()
    with monkeypatch.context() as patched:
        patched.setattr(store_reads, "_FAST_PATH", False)
        slow = read()
    return fast, slow


def test_a_run_read_in_plain_queries_is_mlflows_run(
    mlops_client: MlflowClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = _seed_runs(mlops_client)
    for run_id in runs:
        fast, slow = _both(
            mlops_client, monkeypatch, lambda r=run_id: store_reads.read_run(mlops_client, r)
        )
        assert fast.row == slow.row
        assert fast.tags == slow.tags
        assert fast.artifact_uri == slow.artifact_uri
        assert [
            (d.dataset.name, d.dataset.digest, d.dataset.source, d.tags)
            for d in fast.dataset_inputs
        ] == [
            (d.dataset.name, d.dataset.digest, d.dataset.source, d.tags)
            for d in slow.dataset_inputs
        ]
        detail_fast, detail_slow = _both(
            mlops_client, monkeypatch, lambda r=run_id: queries.run_detail(mlops_client, r)
        )
        assert detail_fast == detail_slow
    [full, unnamed, *_] = runs
    detail = queries.run_detail(mlops_client, full)
    assert detail.run.metrics == {"acc": 0.7, "nan": None, "big": detail.run.metrics["big"]}
    assert detail.run.source_notebook == "/x/train.ipynb"
    assert {(d.name, d.context) for d in detail.datasets} == {
        ("a", "consumed"),
        ("b", None),
        ("c", "produced"),
    }
    assert queries.run_detail(mlops_client, unnamed).run.run_name == "from-tag-only"


def test_a_missing_run_is_mlflows_error_and_our_not_found(mlops_client: MlflowClient) -> None:
    with pytest.raises(MlflowException) as raised:
        store_reads.read_run(mlops_client, "0" * 32)
    assert raised.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(NotFound, match="no run with id"):
        queries.run_detail(mlops_client, "0" * 32)


def test_active_experiments_are_mlflows_first_page_in_its_order(
    mlops_client: MlflowClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [mlops_client.create_experiment(f"e{i}") for i in range(6)]
    mlops_client.set_experiment_tag(ids[1], PRIMARY_METRIC_TAG, "rmse")
    mlops_client.set_experiment_tag(ids[2], "other", "x")
    mlops_client.delete_experiment(ids[3])
    time.sleep(0.01)
    mlops_client.set_experiment_tag(ids[0], PRIMARY_METRIC_TAG, "acc")  # updated last
    fast, slow = _both(
        mlops_client, monkeypatch, lambda: store_reads.active_experiments(mlops_client)
    )
    assert fast == slow
    assert ids[3] not in [e.experiment_id for e in fast]
    assert {e.experiment_id: e.primary_metric for e in fast}[ids[1]] == "rmse"
    listed_fast, listed_slow = _both(
        mlops_client, monkeypatch, lambda: queries.list_experiments(mlops_client)
    )
    assert listed_fast == listed_slow


def test_ties_in_update_time_are_ordered_as_mlflow_orders_them(
    mlops_client: MlflowClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlflow.store.tracking.dbmodels.models import SqlExperiment
    from sqlalchemy import update

    for i in range(5):
        mlops_client.create_experiment(f"tie{i}")
    store = mlops_client._tracking_client.store
    with store.ManagedSessionMaker() as session:
        session.execute(update(SqlExperiment).values(last_update_time=1234))
    fast, slow = _both(
        mlops_client, monkeypatch, lambda: store_reads.active_experiments(mlops_client)
    )
    assert [e.experiment_id for e in fast] == [e.experiment_id for e in slow]
    assert len(fast) >= 5
