"""The values a test sees: missing and infinite values left out, then sorted or counted.

As in Evidently, a column's missing values (None, NaN, NaT, pd.NA) and +/-inf are dropped on
each side before the test is chosen; what remains is either a numeric sample (both sides
sorted once: distinct values, counts and the Wasserstein distance all read the sorted arrays)
or per-value counts (values compared by equality, as Python sets and pandas do: 1 == 1.0 == True).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .stattests import Counts, Flags, Floats

_INFINITIES = [np.inf, -np.inf]


@dataclass(frozen=True)
class Usable:
    """How many values of one side are usable, and why the others are not."""

    rows: int
    missing: int
    infinite: int

    @property
    def values(self) -> int:
        return self.rows - self.missing - self.infinite


def count_usable(series: pd.Series) -> Usable:
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        missing, infinite = int(np.isnan(values).sum()), int(np.isinf(values).sum())
    else:
        present = series.notna()
        missing = len(series) - int(present.sum())
        infinite = int(series[present].isin(_INFINITIES).sum()) if series.dtype == object else 0
    return Usable(rows=len(series), missing=missing, infinite=infinite)


def _finite(series: pd.Series) -> Floats:
    values: Floats = series.to_numpy(dtype=np.float64, na_value=np.nan)
    return values[np.isfinite(values)]


def _present(series: pd.Series) -> pd.Series:
    kept = series[series.notna()]
    if pd.api.types.is_float_dtype(kept.dtype) or kept.dtype == object:
        kept = kept[~kept.isin(_INFINITIES)]
    return kept


@dataclass(frozen=True)
class NumericSample:
    reference: Floats  # in the data's order
    sorted_reference: Floats
    sorted_current: Floats
    merged: Floats  # both sides, ascending
    from_current: Flags  # which values of ``merged`` come from the current side

    @classmethod
    def of(cls, reference: pd.Series, current: pd.Series) -> NumericSample:
        ref = _finite(reference)
        sorted_ref, sorted_cur = np.sort(ref), np.sort(_finite(current))
        merged, from_current = merge_sorted(sorted_ref, sorted_cur)
        return cls(ref, sorted_ref, sorted_cur, merged, from_current)

    def distinct(self) -> Floats:
        """The distinct values over both sides, ascending."""
        first = np.empty(self.merged.size, dtype=bool)
        first[:1] = True
        np.not_equal(self.merged[1:], self.merged[:-1], out=first[1:])
        return self.merged[first]

    def counts(self, distinct: Floats) -> tuple[Counts, Counts]:
        """How often each of ``distinct`` occurs on each side."""
        return _counts_in(self.sorted_reference, distinct), _counts_in(
            self.sorted_current, distinct
        )


def merge_sorted(first: Floats, second: Floats) -> tuple[Floats, Flags]:
    """Merge two ascending arrays (ties: ``first``'s values first) and flag ``second``'s.

    One binary search of ``second`` into ``first`` places every value: cheaper than sorting
    the concatenation, and the flags give both sides' empirical CDFs by a cumulative sum.
    """
    size = first.size + second.size
    at = np.searchsorted(first, second, side="right") + np.arange(second.size)
    from_second = np.zeros(size, dtype=bool)
    from_second[at] = True
    merged = np.empty(size, dtype=np.float64)
    merged[from_second] = second
    merged[~from_second] = first
    return merged, from_second


def _counts_in(sorted_values: Floats, distinct: Floats) -> Counts:
    left = np.searchsorted(sorted_values, distinct, side="left")
    right = np.searchsorted(sorted_values, distinct, side="right")
    return (right - left).astype(np.int64)


@dataclass(frozen=True)
class CategoryCounts:
    values: list[object]  # the distinct values over both sides
    reference: Counts
    current: Counts

    @classmethod
    def of(cls, reference: pd.Series, current: pd.Series) -> CategoryCounts:
        ref, cur = _present(reference), _present(current)
        # same category sets stay categorical (only observed values come back), others object
        codes, uniques = pd.factorize(pd.concat([ref, cur], ignore_index=True))
        size = len(uniques)
        return cls(
            values=list(uniques),
            reference=np.bincount(codes[: len(ref)], minlength=size).astype(np.int64),
            current=np.bincount(codes[len(ref) :], minlength=size).astype(np.int64),
        )
