"""The values a test sees on both sides of a column, read from the two sides' profiles.

As in Evidently, missing values (None, NaN, NaT, pd.NA) and +/-inf are left out on each side
(``profiles.py`` counts them) before the test is chosen; what remains is compared either as
numbers (both sides sorted: the distinct values, per-value counts, order statistics, the K-S
test and the Wasserstein distance all read the two sorted arrays, never merged) or as
per-value counts over the values of both sides (compared by equality, as Python sets and
pandas do: 1 == 1.0 == True).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .profiles import ColumnProfile
from .stattests import Counts, Floats

EXACT_DISTINCT = 10_000  # both sides with more distinct values: their union is only bounded


@dataclass
class NumericSample:
    sorted_reference: Floats
    sorted_current: Floats
    reference_std: float

    @classmethod
    def of(cls, reference: ColumnProfile, current: ColumnProfile) -> NumericSample:
        return cls(reference.floats(), current.floats(), reference.standard_deviation())

    @cached_property
    def distinct_count(self) -> tuple[int, bool]:
        """How many distinct values both sides hold together, and whether that is exact.

        It is exact unless both sides hold more than ``EXACT_DISTINCT`` distinct values:
        then it is the larger side's count, a lower bound, for the values the two sides
        share could only be counted by merging both samples, and neither the choice of test
        nor the charts depend on more than that there are many (``why`` says "at least")."""
        sides = self.sorted_reference, self.sorted_current
        ref_count, cur_count = (_count_distinct(side) for side in sides)
        if min(ref_count, cur_count) > EXACT_DISTINCT:
            return max(ref_count, cur_count), False
        few, many = sides if ref_count <= cur_count else sides[::-1]
        values = _distinct(few)
        at = np.minimum(np.searchsorted(many, values), many.size - 1)
        shared = int(np.count_nonzero(many[at] == values))
        return ref_count + cur_count - shared, True

    def distinct(self) -> Floats:
        """The distinct values over both sides, ascending (for few distinct values)."""
        return np.union1d(_distinct(self.sorted_reference), _distinct(self.sorted_current))

    def counts(self, distinct: Floats) -> tuple[Counts, Counts]:
        """How often each of ``distinct`` occurs on each side."""
        return _counts_in(self.sorted_reference, distinct), _counts_in(
            self.sorted_current, distinct
        )

    @property
    def size(self) -> int:
        return self.sorted_reference.size + self.sorted_current.size

    def smallest(self, k: int) -> float:
        """The kth smallest (from 0) of both sides' values together, found by a binary search
        on how many of them the reference gives (no merge of the two samples)."""
        a, b = self.sorted_reference, self.sorted_current
        low, high = max(0, k + 1 - b.size), min(k + 1, a.size)
        while low < high:  # the fewest values taken from a such that a[i] >= b[k - i]
            i = (low + high) // 2
            if a[i] < b[k - i]:
                low = i + 1
            else:
                high = i
        taken = [a[low - 1]] if low > 0 else []
        taken += [b[k - low]] if k - low >= 0 else []
        return float(max(taken))

    def below(self, value: float) -> int:
        """How many values of both sides are smaller than ``value``."""
        return sum(int(np.searchsorted(side, value, side="left")) for side in self.sides)

    def above(self, value: float) -> int:
        """How many values of both sides are larger than ``value``."""
        return sum(
            side.size - int(np.searchsorted(side, value, side="right")) for side in self.sides
        )

    @property
    def sides(self) -> tuple[Floats, Floats]:
        return self.sorted_reference, self.sorted_current


def _count_distinct(ordered: Floats) -> int:
    return 1 + int(np.count_nonzero(ordered[1:] != ordered[:-1])) if ordered.size else 0


def _distinct(ordered: Floats) -> Floats:
    if ordered.size == 0:
        return ordered
    first = np.empty(ordered.size, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


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
