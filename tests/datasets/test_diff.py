"""Diff of two versions: schema, rows by key, statistic shifts."""

import pandas as pd
import pytest

from jupyter_mlops.datasets.store import DatasetStore
from jupyter_mlops.errors import Invalid
from jupyter_mlops.workspace import Workspace


@pytest.fixture
def datasets(mlops_workspace: Workspace) -> DatasetStore:
    store = DatasetStore(mlops_workspace)
    before = pd.DataFrame({"id": [1, 2, 3, 4], "price": [10.0, 20.0, 30.0, None], "old": 1})
    after = pd.DataFrame(
        {"id": [2, 3, 4, 5], "price": [20.0, 35.0, None, 50.0], "qty": [1, 2, 3, 4]}
    )
    after["id"] = after["id"].astype("int32")
    store.save("shop", before)
    store.save("shop", after)
    return store


def test_schema_rows_and_stats(datasets: DatasetStore) -> None:
    d = datasets.diff("shop@v1", "shop@v2", key=["id"])
    assert (d.a, d.b) == ("shop@v1", "shop@v2")
    assert d.columns_added == ["qty"]
    assert d.columns_removed == ["old"]
    assert [(r.column, r.before, r.after) for r in d.columns_retyped] == [("id", "int64", "int32")]
    assert (d.rows_a, d.rows_b) == (4, 4)
    # id 1 removed, id 5 added, id 3's price changed (a null staying null is no change)
    assert (d.rows_added, d.rows_removed, d.rows_changed) == (1, 1, 1)
    shifts = {(s.column, s.stat): (s.before, s.after) for s in d.stat_shifts}
    assert shifts[("price", "max")] == (30.0, 50.0)


def test_without_a_key_only_manifests_are_compared(datasets: DatasetStore) -> None:
    d = datasets.diff("shop@v1", "shop@v2")
    assert d.rows_added is None and d.columns_added == ["qty"]


@pytest.mark.parametrize(
    ("key", "message"),
    [(["nope"], r"key column\(s\) \['nope'\] not in the first version")],
)
def test_bad_keys_are_clear_errors(datasets: DatasetStore, key: list[str], message: str) -> None:
    with pytest.raises(Invalid, match=message):
        datasets.diff("shop@v1", "shop@v2", key=key)


def test_a_non_unique_key_is_refused(datasets: DatasetStore) -> None:
    datasets.save("dup", pd.DataFrame({"id": [1, 1], "x": [1, 2]}))
    datasets.save("dup", pd.DataFrame({"id": [1, 2], "x": [1, 2]}))
    with pytest.raises(Invalid, match="is not unique in the first version"):
        datasets.diff("dup@v1", "dup@v2", key=["id"])
