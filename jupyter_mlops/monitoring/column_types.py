"""What a column holds: its kind as Evidently's default detection sees it, and its values' kind.

``infer_kind`` follows the rules Evidently 0.7 applies when a ``Report`` gets a plain DataFrame
(no ``DataDefinition``): the kind is read from the *current* data alone, by dtype name:
- ``float*``: numerical; ``int*``: categorical when at most 10 distinct values, else numerical
  (so ``uint*`` and the nullable ``Int64``/``Float64``/``boolean`` are not recognised);
- ``string``: text when more than half of its non-null values are distinct, else categorical;
- ``object``: the same text/categorical rule when its first and last non-null values are
  strings, a list column when they are lists or tuples, otherwise not recognised;
- ``bool`` and ``category``: categorical; ``datetime*``: datetime; anything else: unknown.

``value_kind`` is ours: what the values of one side are (numbers, strings, dates...), so that a
column holding numbers on one side and strings on the other is reported, not scored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from .models import ColumnKind

if TYPE_CHECKING:
    from .profiles import ColumnProfile

INTEGER_CATEGORIES_LIMIT = 10  # an int column with at most this many distinct values is categorical
TEXT_DISTINCT_SHARE = 0.5  # a string column with more distinct values than this share is text
PEEK = 64  # the first and last values looked at before scanning a whole object column

ValueKind = Literal["number", "string", "datetime", "timedelta", "mixed", "other", "empty"]

_OBJECT_KINDS: dict[str, ValueKind] = {
    "string": "string",
    "empty": "empty",
    "integer": "number",
    "floating": "number",
    "mixed-integer-float": "number",
    "decimal": "number",
    "boolean": "number",
    "datetime": "datetime",
    "datetime64": "datetime",
    "date": "datetime",
    "timedelta": "timedelta",
    "timedelta64": "timedelta",
    "mixed": "mixed",
    "mixed-integer": "mixed",
}


def infer_kind(series: pd.Series, profile: ColumnProfile | None = None) -> ColumnKind:
    """The column's kind as Evidently's default data definition infers it (see module doc).

    ``profile``, the series' own profile when there is one, spares counting its values again.
    """
    name = series.dtype.name
    if name.startswith("float"):
        return "numerical"
    if name.startswith("int"):
        distinct = _distinct(series, profile)
        return "categorical" if distinct <= INTEGER_CATEGORIES_LIMIT else "numerical"
    if name in ("string", "str"):
        return _text_or_categorical(series, profile)
    if name == "object":
        ends = _first_and_last_present(series)
        if ends is None:
            return "unknown"
        first, last = ends
        if isinstance(first, str) and isinstance(last, str):
            return _text_or_categorical(series, profile)
        if isinstance(first, list | tuple) and isinstance(last, list | tuple):
            return "list"
        return "unknown"
    if name in ("bool", "category"):
        return "categorical"
    if name.startswith("datetime"):
        return "datetime"
    return "unknown"


def _distinct(series: pd.Series, profile: ColumnProfile | None) -> int:
    """``series.nunique()``: its distinct non-null values (infinite ones included)."""
    if profile is None:
        return int(series.nunique())
    return profile.distinct() + profile.infinite_distinct


def _text_or_categorical(series: pd.Series, profile: ColumnProfile | None) -> ColumnKind:
    present = series.count() if profile is None else profile.usable.rows - profile.usable.missing
    many = _distinct(series, profile) > present * TEXT_DISTINCT_SHARE
    return "text" if many else "categorical"


def _first_and_last_present(series: pd.Series) -> tuple[object, object] | None:
    """The first and the last non-null values, looking at the ends first."""
    values = series.to_numpy()
    found = []
    for ordered in (values, values[::-1]):
        head = ordered[:PEEK]
        present = np.flatnonzero(pd.notna(head))
        if present.size == 0:
            present = np.flatnonzero(pd.notna(ordered))
            if present.size == 0:
                return None
        found.append(ordered[present[0]])
    return found[0], found[1]


def value_kind(series: pd.Series) -> ValueKind:
    """What the non-null values of one side are; booleans count as numbers (True == 1)."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return value_kind(pd.Series(dtype.categories)) if len(dtype.categories) else "empty"
    if pd.api.types.is_complex_dtype(dtype):
        return "other"
    if pd.api.types.is_numeric_dtype(dtype):  # bool, int, uint, float and their nullable twins
        return "number"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if pd.api.types.is_timedelta64_dtype(dtype):
        return "timedelta"
    if pd.api.types.is_string_dtype(dtype) and dtype.name != "object":
        return "string"
    if dtype.name == "object":
        return _OBJECT_KINDS.get(pd.api.types.infer_dtype(series, skipna=True), "other")
    return "other"


def describe_values(kind: ValueKind, dtype: object) -> str:
    """E.g. "numbers (float64)", "strings (object)", for messages."""
    words = {
        "number": "numbers",
        "string": "strings",
        "datetime": "dates",
        "timedelta": "durations",
        "mixed": "mixed values",
        "other": "values",
        "empty": "no values",
    }
    return f"{words[kind]} ({dtype})"
