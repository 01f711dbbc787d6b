"""Per-column statistics of a DataFrame for a version's manifest.

Computed without copying the frame's text: top values are counted on the column itself (a
hash table of its distinct values), never on a string-converted copy; datetimes get nulls
and their range (as epoch seconds), not a count of every distinct timestamp.
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


def _datetime(entry: ColumnStats, series: Any) -> None:
    low, high = series.min(), series.max()
    if low is not None and low == low:  # NaT compares unequal to itself
        entry.min = low.timestamp()
        entry.max = high.timestamp()


def column_stats(frame: Any) -> list[ColumnStats]:
    """Nulls for every column; min/max/mean/std/quantiles for numbers; the range of
    datetimes; the most frequent values of anything else."""
    import pandas as pd

    stats = []
    for name in frame.columns:
        series = frame[name]
        entry = ColumnStats(name=str(name), dtype=str(series.dtype), nulls=int(series.isna().sum()))
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            _numeric(entry, series)
        elif pd.api.types.is_datetime64_any_dtype(series):
            _datetime(entry, series)
        else:
            try:
                counts = series.value_counts(dropna=True, sort=True).head(TOP_VALUES)
            except TypeError:  # unhashable values (lists, dicts): no top values
                counts = pd.Series(dtype="int64")
            entry.top_values = [(str(k), int(v)) for k, v in counts.items()]
        stats.append(entry)
    return stats
