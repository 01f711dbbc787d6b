"""The Datasets panel's views read in one snapshot give what the store's own reads give."""

from __future__ import annotations

import pandas as pd
from mlflow.tracking import MlflowClient

from jupyter_mlops.datasets import queries
from jupyter_mlops.datasets.checks import not_null, row_count, unique
from jupyter_mlops.datasets.lineage import CONSUMED, PRODUCED, log_lineage
from jupyter_mlops.datasets.models import ListDatasetsQuery
from jupyter_mlops.datasets.store import DatasetStore


def _frame(n: int, shift: float = 0.0) -> pd.DataFrame:
    return pd.DataFrame({"id": range(n), "x": [i + shift for i in range(n)]})


def test_a_page_of_datasets_is_what_resolve_and_checks_give(mlops_datasets: DatasetStore) -> None:
    store = mlops_datasets
    store.save("alpha", _frame(10))
    store.save("alpha", _frame(10, 1.0))
    store.tag("alpha@v2", "prod")
    store.tag("alpha@v2", "best")
    store.tag("alpha@v1", "old")
    store.expect("beta", [not_null("x"), unique("id"), row_count(min=5)])
    store.save("beta", _frame(10))  # checked on save: its report is on the version
    store.save("beta", _frame(3))  # fails row_count
    store.expect("gamma", [not_null("x")])  # checks, no version yet
    store.save("delta", _frame(4))
    for search, page, size in (("", 0, 10), ("a", 0, 2), ("a", 1, 2), ("zz", 0, 10)):
        listed = queries.list_datasets(
            store, ListDatasetsQuery(search=search, page=page, page_size=size)
        )
        for summary in listed.datasets:
            versions = len(store.log(summary.name)) if summary.name != "gamma" else 0
            assert summary.versions == versions
            assert summary.latest == (store.resolve(summary.name) if versions else None)
            assert summary.checks == len(store.checks(summary.name))
    everything = queries.list_datasets(store, ListDatasetsQuery())
    by_name = {s.name: s for s in everything.datasets}
    assert everything.total == 4
    assert by_name["alpha"].latest is not None and by_name["alpha"].latest.tags == ["best", "prod"]
    assert by_name["beta"].latest is not None and by_name["beta"].latest.checks_passed is False
    assert (by_name["gamma"].versions, by_name["gamma"].latest, by_name["gamma"].checks) == (
        0,
        None,
        1,
    )


def test_a_versions_lineage_and_report(
    mlops_datasets: DatasetStore, mlops_client: MlflowClient
) -> None:
    store = mlops_datasets
    store.expect("t", [not_null("x")])
    store.save("t", _frame(5))
    v2 = store.save("t", _frame(5, 2.0)).version
    exp = mlops_client.create_experiment("lineage")
    reader = mlops_client.create_run(exp).info.run_id
    writer = mlops_client.create_run(exp).info.run_id
    log_lineage(mlops_client, reader, v2, CONSUMED)
    log_lineage(mlops_client, writer, v2, PRODUCED)
    gone = mlops_client.create_experiment("gone")
    hidden = mlops_client.create_run(gone).info.run_id
    log_lineage(mlops_client, hidden, v2, CONSUMED)
    mlops_client.delete_experiment(gone)  # its runs are not searched, as with MLflow's search
    detail = queries.version_detail(store, mlops_client, "t", "v2")
    assert {(r.run_id, r.context) for r in detail.lineage} == {
        (reader, CONSUMED),
        (writer, PRODUCED),
    }
    assert detail.report == store.report("t@v2")
    assert detail.report is not None and detail.report.passed
    first = queries.version_detail(store, mlops_client, "t", "v1")
    assert first.lineage == []  # never an input: nothing searched
    assert first.report == store.report("t@v1")
