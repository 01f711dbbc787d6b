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

from .models import ColumnDistribution, ColumnDrift, ColumnKind
from .profiles import ColumnProfile, profile_of
from .samples import CategoryCounts, NumericSample

BINS = 30
TOP_VALUES = 20
TAIL = 0.005  # quantile cut on each end when the tails squeeze the histogram
SQUEEZE = 10  # ...that is, when the full range is this many times the central one


def distribution(
    reference: pd.Series, current: pd.Series, drift: ColumnDrift
) -> ColumnDistribution:
    """The binned distribution of a tested column (``drift`` tells its kind and values)."""
    assert drift.kind is not None and drift.distinct_values is not None
    ref, cur = profile_of(reference), profile_of(current)
    return binned(drift.column, drift.kind, drift.distinct_values, ref, cur)


def binned(
    column: str,
    kind: ColumnKind,
    distinct: int,
    reference: ColumnProfile,
    current: ColumnProfile,
    sample: NumericSample | None = None,
) -> ColumnDistribution:
    """A histogram of a numerical column with many distinct values (from ``sample``, the
    check's sorted values of both sides, when given), bars of its values otherwise.
    ``distinct`` is the number of distinct values over both sides (or a lower bound)."""
    if kind == "numerical" and distinct > TOP_VALUES:
        return _histogram(column, sample or NumericSample.of(reference, current))
    return _categories(column, CategoryCounts.of(reference, current))


def _round(values: np.ndarray) -> list[float]:
    return [float(f"{v:.6g}") for v in values.tolist()]


def _shares(counts: np.ndarray) -> list[float]:
    total = counts.sum()
    return _round(counts / total) if total else [0.0] * len(counts)


def _quantile(sample: NumericSample, q: float) -> float:
    """``np.quantile`` (linear) of both sides' values together, read at the two order
    statistics it interpolates between."""
    position = q * (sample.size - 1)
    below = math.floor(position)
    above = min(below + 1, sample.size - 1)
    ends = np.array([sample.smallest(below), sample.smallest(above)])
    return float(np.quantile(ends, position - below))


def _histogram(column: str, sample: NumericSample) -> ColumnDistribution:
    low = float(min(side[0] for side in sample.sides))
    high = float(max(side[-1] for side in sample.sides))
    note = None
    inner_low, inner_high = _quantile(sample, TAIL), _quantile(sample, 1 - TAIL)
    if inner_high > inner_low and (high - low) > SQUEEZE * (inner_high - inner_low):
        beyond = sample.below(inner_low) + sample.above(inner_high)
        note = (
            f"{beyond} values beyond [{inner_low:.4g}, {inner_high:.4g}] "
            f"(of [{low:.4g}, {high:.4g}]) are counted in the edge bins"
        )
        low, high = inner_low, inner_high
    if not math.isfinite(high - low) or high == low:
        high = low + 1.0
    edges = np.linspace(low, high, BINS + 1)
    counts = [_bins(side, edges) for side in sample.sides]
    return ColumnDistribution(
        column=column,
        shape="histogram",
        edges=_round(edges),
        reference=_shares(counts[0]),
        current=_shares(counts[1]),
        note=note,
    )


def _bins(ordered: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """What ``np.histogram(np.clip(values, edges[0], edges[-1]), edges)`` counts, read off
    ascending values: a bin holds edges[i] <= v < edges[i + 1] (the last one closed), and
    values beyond either end count in the edge bins."""
    inner = np.searchsorted(ordered, edges[1:-1], side="left")
    return np.diff(np.concatenate([[0], inner, [ordered.size]]))


def _categories(column: str, counts: CategoryCounts) -> ColumnDistribution:
    totals = counts.reference + counts.current
    order = np.argsort(-totals, kind="stable")
    top = order[:TOP_VALUES]
    labels = [str(counts.values[i]) for i in top]
    ref = counts.reference[top].astype(np.float64)
    cur = counts.current[top].astype(np.float64)
    note = None
    others = len(totals) - len(top)
    if others > 0:
        labels.append(f"({others} other values)")
        ref = np.append(ref, counts.reference.sum() - ref.sum())
        cur = np.append(cur, counts.current.sum() - cur.sum())
        note = f"the {TOP_VALUES} most frequent of {len(totals)} values; the others in one bar"
    return ColumnDistribution(
        column=column,
        shape="categories",
        labels=labels,
        reference=_shares(ref),
        current=_shares(cur),
        note=note,
    )
