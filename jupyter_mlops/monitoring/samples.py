"""The values a test sees on both sides of a column, read from the two sides' profiles.

As in Evidently, missing values (None, NaN, NaT, pd.NA) and +/-inf are left out on each side
(``profiles.py`` counts them) before the test is chosen; what remains is compared either as
numbers (both sides sorted: the distinct values, per-value counts, the K-S test and the
Wasserstein distance all read sorted arrays) or as per-value counts over the values of both
sides (compared by equality, as Python sets and pandas do: 1 == 1.0 == True).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .profiles import ColumnProfile
from .stattests import Counts, Floats


@dataclass
class NumericSample:
    sorted_reference: Floats
    sorted_current: Floats
    reference_std: float

    @classmethod
    def of(cls, reference: ColumnProfile, current: ColumnProfile) -> NumericSample:
        return cls(reference.floats(), current.floats(), reference.standard_deviation())

    @cached_property
    def merged(self) -> Floats:
        """Both sides' values, ascending (a merge of two sorted runs)."""
        both = np.concatenate([self.sorted_reference, self.sorted_current])
        both.sort(kind="stable")  # finds the two runs and merges them
        return both

    @cached_property
    def distinct_count(self) -> int:
        """How many distinct values both sides hold together."""
        merged = self.merged
        return 1 + int(np.count_nonzero(merged[1:] != merged[:-1])) if merged.size else 0

    def distinct(self) -> Floats:
        """The distinct values over both sides, ascending."""
        merged = self.merged
        first = np.empty(merged.size, dtype=bool)
        first[:1] = True
        np.not_equal(merged[1:], merged[:-1], out=first[1:])
        return merged[first]

    def counts(self, distinct: Floats) -> tuple[Counts, Counts]:
        """How often each of ``distinct`` occurs on each side."""
        return _counts_in(self.sorted_reference, distinct), _counts_in(
            self.sorted_current, distinct
        )


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
    def of(cls, reference: ColumnProfile, current: ColumnProfile) -> CategoryCounts:
        ref, cur = reference.categories, current.categories
        # the two sides' distinct values put together as the columns would be: the same
        # category sets stay categorical (only observed values come back), others object
        both = pd.concat([pd.Series(ref.values), pd.Series(cur.values)], ignore_index=True)
        codes, uniques = pd.factorize(both)
        size = len(uniques)
        split = len(ref.values)
        return cls(
            values=list(uniques),
            reference=_add_up(codes[:split], ref.counts, size),
            current=_add_up(codes[split:], cur.counts, size),
        )


def _add_up(codes: np.ndarray, counts: Counts, size: int) -> Counts:
    total = np.zeros(size, dtype=np.int64)
    np.add.at(total, codes, counts)
    return total
