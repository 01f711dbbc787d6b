"""Each side's distribution of a column, binned here so that a plot never carries raw values.

A numerical column with many distinct values becomes a histogram on bin edges shared by both
sides (``BINS`` equal bins over both sides' range; when a few far values would squeeze the
rest into a bar or two, the range is the 0.5–99.5 % quantiles and the values beyond are
counted in the edge bins, which the note says). Any other tested column becomes bars of its
most frequent values (``TOP_VALUES``, the others in one bar). Values are shares of each
side's usable values, rounded to 6 significant digits.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .models import ColumnDistribution, ColumnDrift

BINS = 30
TOP_VALUES = 20
TAIL = 0.005  # quantile cut on each end when the tails squeeze the histogram
SQUEEZE = 10  # ...that is, when the full range is this many times the central one


def distribution(
    reference: pd.Series, current: pd.Series, drift: ColumnDrift
) -> ColumnDistribution:
    """The binned distribution of a tested column (``drift`` tells its kind and values)."""
    many = (drift.distinct_values or 0) > TOP_VALUES
    if drift.kind == "numerical" and many:
        return _histogram(drift.column, _finite(reference), _finite(current))
    return _categories(drift.column, reference, current)


def _finite(series: pd.Series) -> NDArray[np.float64]:
    values: NDArray[np.float64] = series.to_numpy(dtype=np.float64, na_value=np.nan)
    return values[np.isfinite(values)]


def _round(values: np.ndarray) -> list[float]:
    return [float(f"{v:.6g}") for v in values.tolist()]


def _shares(counts: np.ndarray) -> list[float]:
    total = counts.sum()
    return _round(counts / total) if total else [0.0] * len(counts)


def _histogram(column: str, reference: np.ndarray, current: np.ndarray) -> ColumnDistribution:
    both = np.concatenate([reference, current])
    low, high = float(both.min()), float(both.max())
    note = None
    inner_low, inner_high = (float(q) for q in np.quantile(both, [TAIL, 1 - TAIL]))
    if inner_high > inner_low and (high - low) > SQUEEZE * (inner_high - inner_low):
        beyond = int(((both < inner_low) | (both > inner_high)).sum())
        note = (
            f"{beyond} values beyond [{inner_low:.4g}, {inner_high:.4g}] "
            f"(of [{low:.4g}, {high:.4g}]) are counted in the edge bins"
        )
        low, high = inner_low, inner_high
    if not math.isfinite(high - low) or high == low:
        high = low + 1.0
    edges = np.linspace(low, high, BINS + 1)
    counts = [
        np.histogram(np.clip(side, low, high), bins=edges)[0] for side in (reference, current)
    ]
    return ColumnDistribution(
        column=column,
        shape="histogram",
        edges=_round(edges),
        reference=_shares(counts[0]),
        current=_shares(counts[1]),
        note=note,
    )


def _categories(column: str, reference: pd.Series, current: pd.Series) -> ColumnDistribution:
    ref_counts = _value_counts(reference)
    cur_counts = _value_counts(current)
    totals = ref_counts.add(cur_counts, fill_value=0).sort_values(ascending=False, kind="stable")
    top = list(totals.index[:TOP_VALUES])
    labels = [str(v) for v in top]
    ref = ref_counts.reindex(top, fill_value=0).to_numpy(dtype=np.float64)
    cur = cur_counts.reindex(top, fill_value=0).to_numpy(dtype=np.float64)
    note = None
    others = len(totals) - len(top)
    if others > 0:
        labels.append(f"({others} other values)")
        ref = np.append(ref, ref_counts.sum() - ref.sum())
        cur = np.append(cur, cur_counts.sum() - cur.sum())
        note = f"the {TOP_VALUES} most frequent of {len(totals)} values; the others in one bar"
    return ColumnDistribution(
        column=column,
        shape="categories",
        labels=labels,
        reference=_shares(ref),
        current=_shares(cur),
        note=note,
    )


def _value_counts(series: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(series.dtype):
        series = series[np.isfinite(series.to_numpy(dtype=np.float64, na_value=np.nan))]
    elif isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    return series.value_counts(dropna=True, sort=False)
