"""The most frequent values of a text column, from 64-bit hashes of its values.

Counting millions of distinct strings in pandas (``value_counts``) hashes and compares
Python objects one by one: seconds for a few million rows, the bulk of a save's
statistics. Here the Arrow arrays written to Parquet are hashed in DuckDB (vectorized,
outside the GIL) as the rows are written, and only the 64-bit hashes are kept. At the end
the hashes are counted in order of first appearance, as pandas' hash table counts values,
and those counts sorted the way ``value_counts`` sorts them (the same NumPy sort on the same
array), so the top values and their order (ties included, in whatever order that sort
leaves them) are pandas'.

A hash stands for its string only if no two different strings share it: when every hash
is distinct, every string is; otherwise each repeated hash's rows are checked to hold one
string, and a collision (about one chance in 10^6 for ten million distinct values) falls
back to pandas' ``value_counts`` of the column.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from .stats import TOP_VALUES, top_values

# Arrow types whose values are Python strings in pandas' object columns.
TEXT_TYPES = ("string", "large_string")


def is_text(series: Any, arrow_type: Any) -> bool:
    """Whether a column is counted here: an object column that Arrow writes as text."""
    return series.dtype == object and str(arrow_type) in TEXT_TYPES


class TextCounts:
    """Hashes of one text column's non-null values, added in row order by batches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # row offset → (hashes of the batch's non-null values, their rows in the batch or
        # None when it has no nulls, the batch's length)
        self._batches: dict[int, tuple[Any, Any, int]] = {}

    def add(self, cursor: Any, offset: int, array: Any) -> None:
        """Hash ``array`` (Arrow strings of rows ``offset``…) with a DuckDB ``cursor``."""
        import pyarrow as pa

        table = pa.table({"v": array})
        hashes = cursor.from_arrow(table).project("hash(v) AS h").fetchnumpy()["h"]
        valid = None
        if array.null_count:
            mask = np.asarray(array.is_valid())
            hashes, valid = hashes[mask], np.flatnonzero(mask)
        with self._lock:
            self._batches[offset] = (np.asarray(hashes, dtype=np.uint64), valid, len(array))

    @property
    def nulls(self) -> int:
        """Null values among the rows added (Arrow's nulls of a text column are exactly
        pandas' ``isna``: None, NaN, NA and NaT)."""
        return sum(length - len(h) for h, _, length in self._batches.values())

    def top(self, series: Any) -> list[tuple[str, int]]:
        """The ``TOP_VALUES`` most frequent values of ``series`` (the column hashed), as
        ``series.value_counts(dropna=True, sort=True).head(TOP_VALUES)`` gives them."""
        import pandas as pd

        offsets = sorted(self._batches)
        if not sum(len(self._batches[o][0]) for o in offsets):
            return []
        ordered = np.concatenate([self._batches[o][0] for o in offsets])
        ordered.sort()
        if not (ordered[1:] == ordered[:-1]).any():  # all distinct: each value seen once
            counts = np.ones(len(ordered), dtype=np.int64)
            del ordered
            picked = _like_value_counts(counts, TOP_VALUES, constant=True)
            rows = self._rows(offsets, picked)
        else:
            del ordered
            hashes = np.concatenate([self._batches[o][0] for o in offsets])
            codes, _ = pd.factorize(hashes)  # codes in order of first appearance
            counts = np.bincount(codes).astype(np.int64)
            first_at = _first_positions(codes)
            all_rows = self._rows(offsets, None)
            values = series.to_numpy()
            if not bool((values[all_rows] == values[all_rows[first_at[codes]]]).all()):
                return top_values(series)  # two strings share a hash: count them in pandas
            picked = _like_value_counts(counts, TOP_VALUES)
            rows = all_rows[first_at[picked]]
        picked_rows = zip(picked, rows, strict=True)
        return [(str(series.iloc[int(row)]), int(counts[p])) for p, row in picked_rows]

    def _rows(self, offsets: list[int], positions: Any) -> Any:
        """The rows of the non-null values at ``positions`` (all when None), in order."""
        parts = []
        for offset in offsets:
            h, valid, _ = self._batches[offset]
            parts.append(offset + (np.arange(len(h)) if valid is None else valid))
        rows = np.concatenate(parts)
        return rows if positions is None else rows[positions]


def _like_value_counts(counts: Any, k: int, *, constant: bool = False) -> Any:
    """The first ``k`` positions of ``counts`` (counts in order of first appearance, as
    pandas' hash table yields them) in ``value_counts(sort=True)``'s order: pandas sorts
    them with ``nargsort(kind="quicksort", ascending=False)``, reversed, argsorted and
    reversed back, done here the same way on the same values, so ties come out as pandas
    leaves them (the tests compare with pandas itself). ``constant``: every count is the
    same, so reversed they are the same array."""
    n = len(counts)
    reversed_counts = counts if constant else np.ascontiguousarray(counts[::-1])
    order = reversed_counts.argsort(kind="quicksort")
    return n - 1 - order[::-1][:k]


def _first_positions(codes: Any) -> Any:
    """Where each code first appears, for codes numbered in order of first appearance."""
    seen = np.maximum.accumulate(codes)
    new = np.empty(len(codes), dtype=bool)
    new[0] = True
    new[1:] = codes[1:] > seen[:-1]
    return np.flatnonzero(new)
