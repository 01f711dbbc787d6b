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

from typing import Literal

import pandas as pd

from .models import ColumnKind

INTEGER_CATEGORIES_LIMIT = 10  # an int column with at most this many distinct values is categorical
TEXT_DISTINCT_SHARE = 0.5  # a string column with more distinct values than this share is text

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


def infer_kind(series: pd.Series) -> ColumnKind:
    """The column's kind as Evidently's default data definition infers it (see module doc)."""
    name = series.dtype.name
    if name.startswith("float"):
        return "numerical"
    if name.startswith("int"):
        return "categorical" if series.nunique() <= INTEGER_CATEGORIES_LIMIT else "numerical"
    if name in ("string", "str"):
        return _text_or_categorical(series)
    if name == "object":
        present = series.dropna()
        if present.empty:
            return "unknown"
        first, last = present.iloc[0], present.iloc[-1]
        if isinstance(first, str) and isinstance(last, str):
            return _text_or_categorical(series)
        if isinstance(first, list | tuple) and isinstance(last, list | tuple):
            return "list"
        return "unknown"
    if name in ("bool", "category"):
        return "categorical"
    if name.startswith("datetime"):
        return "datetime"
    return "unknown"


def _text_or_categorical(series: pd.Series) -> ColumnKind:
    many = series.nunique() > series.count() * TEXT_DISTINCT_SHARE
    return "text" if many else "categorical"


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


def describe_values(kind: ValueKind, series: pd.Series) -> str:
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
    return f"{words[kind]} ({series.dtype})"
