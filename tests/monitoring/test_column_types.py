"""Column kinds as Evidently's default detection sees them, and value kinds per side."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jupyter_mlops.monitoring.column_types import infer_kind, value_kind


@pytest.mark.parametrize(
    ("series", "kind"),
    [
        (pd.Series([0.5, 1.5, np.nan]), "numerical"),
        (pd.Series(np.arange(20) % 10), "categorical"),  # int, 10 distinct
        (pd.Series(np.arange(20) % 11), "numerical"),  # int, 11 distinct
        (pd.Series(np.arange(20), dtype=np.uint8), "unknown"),
        (pd.Series([1, None, 3], dtype="Int64"), "unknown"),
        (pd.Series([1.0, None], dtype="Float64"), "unknown"),
        (pd.Series([True, None], dtype="boolean"), "unknown"),
        (pd.Series(["a", "b", "c", "a"], dtype="string"), "text"),  # 3 distinct of 4
        (pd.Series(["a", "b", "a", "b"], dtype="string"), "categorical"),
        (pd.Series(["a", "b", "a", "b", None]), "categorical"),  # 2 distinct of 4 present
        (pd.Series(["a", "b", "c", None]), "text"),
        (pd.Series(["a", 1, "a", 1, "a"]), "categorical"),  # first and last are strings
        (pd.Series([1, "a", "b", "a"]), "unknown"),
        (pd.Series([[1], [2]]), "list"),
        (pd.Series([None, None]), "unknown"),
        (pd.Series([True, False]), "categorical"),
        (pd.Series(pd.Categorical(["x", "y"])), "categorical"),
        (pd.Series(pd.date_range("2024", periods=3)), "datetime"),
        (pd.Series(pd.date_range("2024", periods=3, tz="UTC")), "datetime"),
        (pd.Series(pd.to_timedelta([1, 2], unit="s")), "unknown"),
    ],
)
def test_infer_kind_follows_evidently(series: pd.Series, kind: str) -> None:
    from evidently.core.datasets import infer_column_type

    assert infer_kind(series) == kind
    theirs = infer_column_type(series).name.lower()
    assert theirs == {"numerical": "numerical", "categorical": "categorical"}.get(kind, kind)


@pytest.mark.parametrize(
    ("series", "kind"),
    [
        (pd.Series([1, 2]), "number"),
        (pd.Series([True, False]), "number"),
        (pd.Series([1, None], dtype="Int64"), "number"),
        (pd.Series([1, 2.5, None], dtype=object), "number"),
        (pd.Series(["a", None]), "string"),
        (pd.Series(["a"], dtype="string"), "string"),
        (pd.Series(pd.Categorical(["a", "b"])), "string"),
        (pd.Series(pd.Categorical([1, 2])), "number"),
        (pd.Series(["a", 1]), "mixed"),
        (pd.Series(pd.date_range("2024", periods=2)), "datetime"),
        (pd.Series([None, None]), "empty"),
        (pd.Series([b"x"]), "other"),
    ],
)
def test_value_kind(series: pd.Series, kind: str) -> None:
    assert value_kind(series) == kind
