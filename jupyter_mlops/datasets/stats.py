"""Per-column statistics of a DataFrame for a version's manifest.

Computed without copying the frame's text: top values are counted on the column itself (a
hash table of its distinct values), never on a string-converted copy; datetimes get nulls
and their range (as epoch seconds), not a count of every distinct timestamp. A save
computes the same values while it writes the Parquet file (``frame_writer``): numbers
through ``_numeric_in_numpy``, text from hashes (``text_counts``).
"""

from __future__ import annotations

import math
from typing import Any

from .models import ColumnStats

TOP_VALUES = 5
QUANTILES = (0.25, 0.5, 0.75)


def _num(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def _numeric(entry: ColumnStats, series: Any) -> None:
    values = series.dropna()
    if len(values):
        entry.min = _num(values.min())
        entry.max = _num(values.max())
        entry.mean = _num(values.mean())
        entry.std = _num(values.std()) if len(values) > 1 else None
        q = values.quantile(list(QUANTILES))
        entry.quantiles = {str(k): _num(v) for k, v in q.items()}


def _numeric_in_numpy(entry: ColumnStats, values: Any) -> None:
    """``_numeric`` of a NumPy int, uint or float64 column's values, by the same NumPy
    operations pandas' reductions run (``nanops``: sums in float64 divided by a float64
    count, the two-pass variance, ``np.percentile`` with linear interpolation), without
    pandas' masks, copies and index: the same values, bit for bit (the tests compare)."""
    import numpy as np

    if values.dtype.kind == "f":
        values = values[~np.isnan(values)]
    if not len(values):
        return
    count = np.float64(len(values))
    entry.min = _num(values.min())
    entry.max = _num(values.max())
    entry.mean = _num(values.sum(dtype=np.float64) / count)
    if len(values) > 1:
        floats = values.astype("f8") if values.dtype.kind in "iu" else values
        average = floats.sum(dtype=np.float64) / count
        squares = ((average - floats) ** 2).sum(dtype=np.float64)
        entry.std = _num(np.sqrt(squares / (count - 1)))
    q = np.percentile(values, [100.0 * k for k in QUANTILES], method="linear")
    entry.quantiles = {str(k): _num(v) for k, v in zip(QUANTILES, q, strict=True)}


def _in_numpy(series: Any) -> bool:
    """Whether ``_numeric_in_numpy`` applies: a NumPy int, uint or float64 column."""
    import numpy as np

    dtype = series.dtype
    return isinstance(dtype, np.dtype) and (dtype.kind in "iu" or dtype == np.float64)


def _datetime(entry: ColumnStats, series: Any) -> None:
    low, high = series.min(), series.max()
    if low is not None and low == low:  # NaT compares unequal to itself
        entry.min = low.timestamp()
        entry.max = high.timestamp()


def column_stats(frame: Any, *, numpy_numbers: bool = False) -> list[ColumnStats]:
    """Nulls for every column; min/max/mean/std/quantiles for numbers; the range of
    datetimes; the most frequent values of anything else (``numpy_numbers``: as
    ``column_entry``)."""
    return [column_entry(name, frame[name], numpy_numbers=numpy_numbers) for name in frame.columns]


def column_entry(name: Any, series: Any, *, numpy_numbers: bool = False) -> ColumnStats:
    """The statistics of one column (``numpy_numbers``: NumPy number columns' computed
    without pandas, the same values faster)."""
    import pandas as pd

    entry = ColumnStats(name=str(name), dtype=str(series.dtype), nulls=int(series.isna().sum()))
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        if numpy_numbers and _in_numpy(series):
            _numeric_in_numpy(entry, series.to_numpy())
        else:
            _numeric(entry, series)
    elif pd.api.types.is_datetime64_any_dtype(series):
        _datetime(entry, series)
    else:
        entry.top_values = top_values(series)
    return entry


def top_values(series: Any) -> list[tuple[str, int]]:
    """The ``TOP_VALUES`` most frequent non-null values with their counts (pandas'
    ``value_counts``); none for unhashable values (lists, dicts)."""
    try:
        counts = series.value_counts(dropna=True, sort=True).head(TOP_VALUES)
    except TypeError:  # unhashable values (lists, dicts): no top values
        return []
    return [(str(k), int(v)) for k, v in counts.items()]
