"""Column statistics of a manifest: every kind of column, none of them crashing; a save
computes the same ones while it writes."""

import datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute
import pytest

from jupyter_mlops.datasets import frame_writer, text_counts
from jupyter_mlops.datasets.frame_writer import ROW_GROUP
from jupyter_mlops.datasets.stats import column_stats
from jupyter_mlops.datasets.store import DatasetStore
from jupyter_mlops.workspace import Workspace


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


# -- the statistics a save computes while it writes: pandas' own, value for value --------


def mixed_frame(rows: int, seed: int = 0) -> pd.DataFrame:
    """Every kind of column, with nulls, ties among the most frequent values, and more rows
    than one row group (so counts are merged across written batches)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, rows)
    x[rng.random(rows) < 0.1] = np.nan
    words = np.array([f"w{i}" for i in range(40)], dtype=object)
    text = words[rng.integers(0, 40, rows)]
    text[rng.random(rows) < 0.05] = None
    ties = np.array(["a", "b", "c", "d", "e", "f", "g"], dtype=object)[np.arange(rows) % 7]
    unique = np.array([f"id-{i:08d}" for i in rng.permutation(rows)], dtype=object)
    unique[::97] = np.nan
    stamps = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 10**8, rows), "s")
    counts = np.where(rng.random(rows) < 0.2, None, np.arange(rows))
    return pd.DataFrame(
        {
            "int": rng.integers(-50, 50, rows),
            "int32": rng.integers(0, 10, rows, dtype="int32"),
            "uint8": rng.integers(0, 255, rows, dtype="uint8"),
            "big_int": rng.integers(2**60, 2**62, rows),
            "float": x,
            "with_inf": np.where(rng.random(rows) < 0.01, np.inf, x * 1e6),  # std: inf - inf
            "all_nan": np.full(rows, np.nan),
            "float32": x.astype("float32"),
            "nullable_int": pd.array(counts, "Int64"),
            "text": text,
            "tied_text": ties,
            "unique_text": unique,
            "category": pd.Categorical(rng.choice(["x", "y", "z"], rows), ["x", "y", "z", "w"]),
            "when": pd.Series(stamps).where(rng.random(rows) > 0.1),
            "flag": rng.random(rows) < 0.3,
            "all_null_text": pd.Series([None] * rows, dtype=object),
        }
    )


@pytest.mark.parametrize("rows", [0, 1, 7, 3 * ROW_GROUP + 11])
@pytest.mark.filterwarnings("ignore:invalid value encountered in subtract:RuntimeWarning")
def test_a_save_records_pandas_statistics(
    mlops_workspace: Workspace, monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    monkeypatch.setattr(frame_writer, "BATCH_GROUPS", 2)  # converted in several batches
    frame = mixed_frame(rows)
    saved = DatasetStore(mlops_workspace).save("mixed", frame).version.manifest.columns
    assert [c.model_dump() for c in saved] == [c.model_dump() for c in column_stats(frame)]
    if rows > ROW_GROUP:  # the columns counted from hashes, checked against pandas itself
        by_name = {c.name: c for c in saved}
        for name in ("text", "tied_text", "unique_text"):
            expected = frame[name].value_counts(dropna=True, sort=True).head(5)
            assert by_name[name].top_values == [(str(k), int(v)) for k, v in expected.items()]


def test_text_top_values_fall_back_to_pandas_when_two_strings_share_a_hash(
    mlops_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hashes that collide (here: every value hashed to its length) never merge two
    strings' counts: the collision is seen and the column counted by pandas."""
    real_add = text_counts.TextCounts.add

    def add_by_length(self: text_counts.TextCounts, cursor: Any, offset: int, array: Any) -> None:
        lengths = pa.compute.utf8_length(array)
        real_add(self, _LengthCursor(cursor, lengths), offset, array)

    monkeypatch.setattr(text_counts.TextCounts, "add", add_by_length)
    fell_back = []
    real_top_values = text_counts.top_values
    monkeypatch.setattr(
        text_counts, "top_values", lambda s: fell_back.append(s.name) or real_top_values(s)
    )
    frame = pd.DataFrame({"s": ["aa", "bb", "bb", "c", "dd", "bb", None, "c"] * 1000})
    [saved] = DatasetStore(mlops_workspace).save("collide", frame).version.manifest.columns
    assert saved.top_values == column_stats(frame)[0].top_values
    assert saved.top_values == [("bb", 3000), ("c", 2000), ("aa", 1000), ("dd", 1000)]
    assert fell_back == ["s"]


class _LengthCursor:
    """A DuckDB cursor stand-in whose hash of each value is the value's length."""

    def __init__(self, cursor: Any, lengths: Any) -> None:
        self.lengths = lengths

    def from_arrow(self, table: Any) -> "_LengthCursor":
        return self

    def project(self, expression: str) -> "_LengthCursor":
        return self

    def fetchnumpy(self) -> dict[str, Any]:
        return {"h": self.lengths.fill_null(0).to_numpy().astype(np.uint64)}


@pytest.mark.parametrize(
    "frame",
    [
        mixed_frame(50),
        mixed_frame(0),
        mixed_frame(20).set_axis(pd.RangeIndex(100, 140, 2, name="row")),
        pd.DataFrame({0: ["a", None], 1: [1.5, 2.5]}),
        pd.DataFrame({("a", "x"): ["s", "t"], ("b", "y"): [1, 2]}),
        pd.DataFrame({"s": ["a", "b"]}, index=["r1", "r2"]),  # Arrow's own: not a range
        pd.DataFrame({"s": ["a", b"b"]}),  # Arrow's own: not only strings
        pd.DataFrame({"s": ["a", pd.NaT]}),
        pd.DataFrame({"d": [datetime.date(2026, 1, 1), None]}),
    ],
)
def test_the_schema_is_arrows_own(frame: pd.DataFrame) -> None:
    assert frame_writer.arrow_schema(frame).equals(
        pa.Schema.from_pandas(frame, preserve_index=None), check_metadata=True
    )
