"""One side of a column as the drift tests read it: its profile.

A profile says how many of a column's values are usable (missing and infinite values are left
out, as Evidently drops them) and holds the usable values in the form the tests read:
- a column of a numpy number dtype (bool, int, uint, float): its usable values sorted, in
  their own dtype (and, once a test asked for it, their population standard deviation). The
  K-S test and the Wasserstein distance read sorted values; per-value counts are read off
  the sorted array (values in ascending order);
- any other column (strings, pandas categories, objects, nullable extension types, dates):
  its distinct usable values in order of first appearance, each with how often it occurs
  (values compared by equality, as Python sets and pandas do: 1 == 1.0 == True). A numerical
  test of such a column (objects holding numbers, ``column_types``) expands them back into a
  sorted sample.

A profile is all a check needs of its side: the reference's profile of a dataset version is
stored (``profile_store.py``), so a monitor's later checks against that version neither read
nor sort it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .column_types import ValueKind, value_kind
from .stattests import Counts, Floats

NUMBER_DTYPE_KINDS = "biuf"  # numpy dtype kinds profiled as sorted values
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


@dataclass(frozen=True)
class Categories:
    """Distinct usable values (a pandas Index in the column's dtype) and their counts."""

    values: pd.Index
    counts: Counts


@dataclass
class ColumnProfile:
    """One side of one column (see the module doc). Build one with :func:`profile_of`."""

    usable: Usable
    dtype: str  # the pandas dtype's name, for messages
    value_kind: ValueKind
    sorted_values: np.ndarray | None = None  # a number dtype: usable values, ascending
    std: float | None = None  # ...and their population standard deviation
    counted: Categories | None = None  # any other dtype: distinct values and counts
    uncountable: str | None = None  # why the values cannot be counted (a TypeError's text)
    infinite_distinct: int = 0  # distinct infinite values left out of ``counted``
    _floats: Floats | None = field(default=None, repr=False)

    @cached_property
    def categories(self) -> Categories:
        """Distinct usable values and their counts (ascending for a number dtype)."""
        if self.sorted_values is not None:
            return _runs(self.sorted_values)
        if self.counted is None:
            raise TypeError(self.uncountable or "the values cannot be counted")
        return self.counted

    def distinct(self) -> int:
        """How many distinct usable values this side holds."""
        return len(self.categories.values)

    def floats(self) -> Floats:
        """The usable values as float64, ascending (numbers only)."""
        if self._floats is None:
            self._floats = self._expand()
        return self._floats

    def standard_deviation(self) -> float:
        """The population standard deviation of the usable values (over their ascending
        float64 values, so a stored profile gives the same one)."""
        if self.std is None:
            self.std = float(np.std(self.floats()))
        return self.std

    def _expand(self) -> Floats:
        if self.sorted_values is not None:
            return np.asarray(self.sorted_values, dtype=np.float64)
        counted = self.categories
        values = np.asarray(counted.values.to_numpy(dtype=np.float64), dtype=np.float64)
        finite = np.isfinite(values)
        order = np.argsort(values[finite], kind="stable")
        return np.repeat(values[finite][order], counted.counts[finite][order])


def profile_of(series: pd.Series) -> ColumnProfile:
    """The profile of one column's values."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in NUMBER_DTYPE_KINDS:
        return _numbers(series, dtype)
    return _counted(series)


def _numbers(series: pd.Series, dtype: np.dtype) -> ColumnProfile:
    values = series.to_numpy()
    rows = int(values.size)
    missing = infinite = 0
    if dtype.kind == "f":
        finite = np.isfinite(values)
        kept = int(np.count_nonzero(finite))
        if kept < rows:
            missing = int(np.count_nonzero(np.isnan(values)))
            infinite = rows - kept - missing
            values = values[finite]
    ordered = np.sort(values)
    return ColumnProfile(
        usable=Usable(rows=rows, missing=missing, infinite=infinite),
        dtype=str(dtype),
        value_kind="number",
        sorted_values=ordered,
        _floats=ordered if ordered.dtype == np.float64 else None,
    )


def _counted(series: pd.Series) -> ColumnProfile:
    rows = len(series)
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError as error:  # values pandas cannot hash, e.g. lists
        present = series.notna()
        infinite = int(series[present].isin(_INFINITIES).sum()) if series.dtype == object else 0
        usable = Usable(rows=rows, missing=rows - int(present.sum()), infinite=infinite)
        kind = value_kind(series)
        return ColumnProfile(usable, str(series.dtype), kind, uncountable=str(error))
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques)).astype(np.int64)
    missing = rows - int(counts.sum())
    values = pd.Index(uniques)
    kind = _strings_only(values) or value_kind(series)
    infinite = 0
    infinite_distinct = 0
    if _may_hold_infinities(values):
        is_infinite = np.asarray(pd.Series(values).isin(_INFINITIES), dtype=bool)
        if is_infinite.any():
            infinite = int(counts[is_infinite].sum())
            infinite_distinct = int(is_infinite.sum())
            values, counts = values[~is_infinite], counts[~is_infinite]
    return ColumnProfile(
        usable=Usable(rows=rows, missing=missing, infinite=infinite),
        dtype=str(series.dtype),
        value_kind=kind,
        counted=Categories(values, counts),
        infinite_distinct=infinite_distinct,
    )


def _strings_only(values: pd.Index) -> ValueKind | None:
    """The value kind "string" when the distinct values of an object column are all
    strings: then so are all its values (a value equal to a string is a string), and the
    whole column need not be scanned again; None when it must be."""
    if values.dtype == object and len(values) and pd.api.types.infer_dtype(values) == "string":
        return "string"
    return None


def _may_hold_infinities(values: pd.Index) -> bool:
    """Object and float-like values may equal +/-inf; strings, dates and the like never."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _may_hold_infinities(pd.Index(dtype.categories))
    return bool(pd.api.types.is_object_dtype(dtype) or pd.api.types.is_float_dtype(dtype))


def _runs(ordered: np.ndarray) -> Categories:
    """The distinct values of an ascending array and how often each occurs."""
    if ordered.size == 0:
        return Categories(pd.Index(ordered), np.zeros(0, dtype=np.int64))
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    counts = np.diff(np.r_[starts, ordered.size]).astype(np.int64)
    return Categories(pd.Index(ordered[starts]), counts)
