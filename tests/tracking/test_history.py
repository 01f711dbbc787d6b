"""Batched metric histories against MLflow's own ``get_metric_history``, on a real store."""

from __future__ import annotations

from typing import Any

import pytest
from mlflow.entities import Metric
from mlflow.tracking import MlflowClient

from jupyter_mlops.tracking import history, queries
from jupyter_mlops.tracking.models import MetricPoint
from jupyter_mlops.tracking.search import finite_or_none


def _mlflows(client: MlflowClient, run_id: str, key: str) -> list[MetricPoint]:
    """One history as MLflow's client gives it, in our wire form."""
    return [
        MetricPoint(step=m.step, timestamp=m.timestamp, value=finite_or_none(m.value))
        for m in client.get_metric_history(run_id, key)
    ]


def _seed(client: MlflowClient) -> dict[str, list[str]]:
    """Runs whose histories have every ordering case: steps logged out of order, equal
    timestamps and steps told apart by value, NaN and infinities, a key of one run only, a
    run with no metrics; returns each run's metric keys."""
    exp = client.create_experiment("histories")
    keys: dict[str, list[str]] = {}
    for r in range(3):
        run_id = client.create_run(exp).info.run_id
        metrics = [
            Metric("loss", 1.0 / (step + 1) + r, 1000 + (7 * step) % 5, step) for step in range(40)
        ]
        metrics += [
            Metric("acc", value, 5000, 3)  # one timestamp and step: ordered by value
            for value in (0.9, 0.1, 0.5, float("nan"), float("inf"), float("-inf"))
        ]
        if r == 1:
            metrics.append(Metric("only_here", 2.0, 10, 0))
        client.log_batch(run_id, metrics=metrics)
        keys[run_id] = sorted({m.key for m in metrics})
    empty = client.create_run(exp).info.run_id
    keys[empty] = []
    return keys


def test_one_query_gives_mlflows_histories(mlops_client: MlflowClient) -> None:
    keys = _seed(mlops_client)
    wanted: dict[str, list[str]] = {run_id: [*k, "never_logged"] for run_id, k in keys.items()}
    got = history.metric_histories(mlops_client, wanted)
    assert set(got) == set(keys)
    for run_id, run_keys in wanted.items():
        assert list(got[run_id]) == sorted(run_keys)
        for key in run_keys:
            assert got[run_id][key] == _mlflows(mlops_client, run_id, key), (run_id, key)
    first = got[next(iter(keys))]
    assert len(first["loss"]) == 40
    assert first["loss"] != sorted(first["loss"], key=lambda p: p.step)  # time order kept
    values = [p.value for p in first["acc"]]
    assert None in values and 0.1 in values and len(values) == 6  # NaN on the wire: None


def test_only_the_keys_asked_for(mlops_client: MlflowClient) -> None:
    keys = _seed(mlops_client)
    run_id = next(iter(keys))
    got = history.metric_history(mlops_client, run_id, ["acc"])
    assert list(got) == ["acc"]
    assert got["acc"] == _mlflows(mlops_client, run_id, "acc")


def test_many_keys_and_runs_in_chunks(
    mlops_client: MlflowClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = _seed(mlops_client)
    monkeypatch.setattr(history, "_RUNS_PER_QUERY", 2)
    monkeypatch.setattr(history, "_KEYS_PER_QUERY", 1)
    got = history.metric_histories(mlops_client, keys)
    for run_id, run_keys in keys.items():
        for key in run_keys:
            assert got[run_id][key] == _mlflows(mlops_client, run_id, key)


def test_other_stores_go_through_mlflows_client(
    mlops_client: MlflowClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = _seed(mlops_client)
    fast = history.metric_histories(mlops_client, keys)
    monkeypatch.setattr(history, "_FAST_PATH", False)
    calls: list[Any] = []
    original = mlops_client.get_metric_history

    def counted(run_id: str, key: str) -> Any:
        calls.append((run_id, key))
        return original(run_id, key)

    monkeypatch.setattr(mlops_client, "get_metric_history", counted)
    assert history.metric_histories(mlops_client, keys) == fast
    assert len(calls) == sum(len(k) for k in keys.values())


def test_run_detail_and_compare_carry_the_histories(mlops_client: MlflowClient) -> None:
    keys = _seed(mlops_client)
    run_ids = [run_id for run_id, k in keys.items() if k]
    detail = queries.run_detail(mlops_client, run_ids[1])
    assert list(detail.metric_history) == ["acc", "loss", "only_here"]
    for key, points in detail.metric_history.items():
        assert points == _mlflows(mlops_client, run_ids[1], key)
    compared = queries.compare_runs(mlops_client, run_ids)
    assert compared.metric_keys == ["acc", "loss", "only_here"]
    assert list(compared.metric_history["only_here"]) == [run_ids[1]]
    for key, by_run in compared.metric_history.items():
        for run_id, points in by_run.items():
            assert points == _mlflows(mlops_client, run_id, key)
