"""Per-column statistics of a DataFrame for a version's manifest."""

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


def column_stats(frame: Any) -> list[ColumnStats]:
    """Nulls for every column; min/max/mean/std/quantiles for numbers; top values otherwise."""
    import pandas as pd

    stats = []
    for name in frame.columns:
        series = frame[name]
        entry = ColumnStats(name=str(name), dtype=str(series.dtype), nulls=int(series.isna().sum()))
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            values = series.dropna()
            if len(values):
                entry.min = _num(values.min())
                entry.max = _num(values.max())
                entry.mean = _num(values.mean())
                entry.std = _num(values.std()) if len(values) > 1 else None
                q = values.quantile(list(QUANTILES))
                entry.quantiles = {str(k): _num(v) for k, v in q.items()}
        else:
            counts = series.astype("string").value_counts(dropna=True).head(TOP_VALUES)
            entry.top_values = [(str(k), int(v)) for k, v in counts.items()]
        stats.append(entry)
    return stats
