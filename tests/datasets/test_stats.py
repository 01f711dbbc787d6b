"""Column statistics of a manifest: every kind of column, none of them crashing."""

import pandas as pd

from jupyter_mlops.datasets.stats import column_stats


def test_statistics_per_kind_of_column() -> None:
    frame = pd.DataFrame(
        {
            "n": [1.0, 2.0, None],
            "t": pd.to_datetime(["2024-01-01", None, "2024-02-01"]),
            "s": ["a", "b", "a"],
            "c": pd.Categorical(["x", "y", "x"]),
            "b": [True, False, True],
            "lists": [[1], [2], [1]],
        }
    )
    stats = {c.name: c for c in column_stats(frame)}
    assert (stats["n"].min, stats["n"].max, stats["n"].nulls) == (1.0, 2.0, 1)
    assert stats["n"].quantiles == {"0.25": 1.25, "0.5": 1.5, "0.75": 1.75}
    assert (stats["t"].min, stats["t"].max, stats["t"].nulls) == (1704067200.0, 1706745600.0, 1)
    assert stats["t"].top_values is None  # no count of every distinct timestamp
    assert stats["s"].top_values == [("a", 2), ("b", 1)]
    assert stats["c"].top_values == [("x", 2), ("y", 1)]
    assert stats["b"].top_values == [("True", 2), ("False", 1)]
    assert stats["lists"].top_values == [("[1]", 2), ("[2]", 1)]  # lists counted too


def test_all_null_datetime_column_has_no_range() -> None:
    [stats] = column_stats(pd.DataFrame({"t": pd.to_datetime([None, None])}))
    assert (stats.nulls, stats.min, stats.max) == (2, None, None)
