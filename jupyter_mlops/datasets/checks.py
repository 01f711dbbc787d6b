"""Data checks: expectations attached to a dataset name, evaluated on every save.

A check is data (a pydantic model), so it is stored as JSON, edited from the panel and
declared in Python the same way::

    from jupyter_mlops.datasets.checks import not_null, in_range, row_count
    mlops.datasets.expect("wine", not_null("pH"), in_range("pH", 2.5, 4.5), row_count(min=100))

Evaluation is vectorized pandas over the frame being saved; the parent version's manifest
answers ``schema_unchanged`` without reading data. A failing check never refuses a save:
the version is kept and flagged with its report.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ..contract import UtcDateTime
from ..errors import Invalid

if TYPE_CHECKING:
    from .models import ColumnStats

CheckKind = Literal[
    "not_null", "unique", "in_range", "allowed_values", "row_count", "schema_unchanged"
]
_NEEDS_COLUMN = {"not_null", "unique", "in_range", "allowed_values"}
_NEEDS_BOUND = {"in_range", "row_count"}
Scalar = str | int | float | bool


class Check(BaseModel):
    """One expectation; which fields apply depends on ``kind``."""

    model_config = ConfigDict(extra="forbid")

    kind: CheckKind
    column: str | None = None
    min: float | None = None
    max: float | None = None
    values: list[Scalar] | None = None

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Check:
        if self.kind in _NEEDS_COLUMN and not self.column:
            raise ValueError(f"a {self.kind} check needs a column")
        if self.kind not in _NEEDS_COLUMN and self.column:
            raise ValueError(f"a {self.kind} check takes no column")
        if self.kind in _NEEDS_BOUND and self.min is None and self.max is None:
            raise ValueError(f"a {self.kind} check needs min, max or both")
        if self.kind not in _NEEDS_BOUND and (self.min is not None or self.max is not None):
            raise ValueError(f"a {self.kind} check takes no min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        if self.kind == "allowed_values" and not self.values:
            raise ValueError("an allowed_values check needs a non-empty list of values")
        if self.kind != "allowed_values" and self.values is not None:
            raise ValueError(f"a {self.kind} check takes no values")
        return self

    def describe(self) -> str:
        """How a person would say it: ``pH in [2.5, 4.5]``, ``row count ≥ 100``."""
        if self.min is None:
            bounds = f"≤ {_fmt(self.max)}"
        elif self.max is None:
            bounds = f"≥ {_fmt(self.min)}"
        else:
            bounds = f"in [{_fmt(self.min)}, {_fmt(self.max)}]"
        return {
            "not_null": f"{self.column} has no nulls",
            "unique": f"{self.column} is unique",
            "in_range": f"{self.column} {bounds}",
            "allowed_values": f"{self.column} in {self.values}",
            "row_count": f"row count {bounds}",
            "schema_unchanged": "schema unchanged from the parent version",
        }[self.kind]


class CheckResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    check: Check
    description: str
    passed: bool
    message: str
    failing_rows: int | None = None


class CheckReport(BaseModel):
    """The checks of one version, as evaluated when it was saved (or re-checked)."""

    model_config = ConfigDict(extra="forbid")

    dataset: str
    version: int
    passed: bool
    checked_at: UtcDateTime
    results: list[CheckResult]


class DatasetChecks(BaseModel):
    """The expectations attached to a dataset name (request and response of the panel)."""

    model_config = ConfigDict(extra="forbid")

    checks: list[Check]


def _fmt(bound: float | None) -> str:
    number = float(bound or 0)
    return str(int(number)) if number.is_integer() else str(number)


# -- constructors for the Python API ------------------------------------------------------
def _make(**fields: Any) -> Check:
    return parse_checks([fields])[0]


def not_null(column: str) -> Check:
    """No missing values in ``column``."""
    return _make(kind="not_null", column=column)


def unique(column: str) -> Check:
    """No value of ``column`` appears twice."""
    return _make(kind="unique", column=column)


def in_range(column: str, min: float | None = None, max: float | None = None) -> Check:
    """Every non-null value of ``column`` within ``[min, max]`` (either bound optional)."""
    return _make(kind="in_range", column=column, min=min, max=max)


def allowed_values(column: str, values: list[Scalar]) -> Check:
    """Every non-null value of ``column`` is one of ``values``."""
    return _make(kind="allowed_values", column=column, values=list(values))


def row_count(min: int | None = None, max: int | None = None) -> Check:
    """The number of rows within ``[min, max]``."""
    return _make(kind="row_count", min=min, max=max)


def schema_unchanged() -> Check:
    """Same columns with the same types as the parent version."""
    return _make(kind="schema_unchanged")


# -- evaluation --------------------------------------------------------------------------
def _result(check: Check, failing: int | None, message: str) -> CheckResult:
    return CheckResult(
        check=check,
        description=check.describe(),
        passed=not failing,
        message=message,
        failing_rows=failing,
    )


def _column_check(check: Check, frame: Any) -> CheckResult:
    import pandas as pd

    column = str(check.column)
    if column not in frame.columns:
        return CheckResult(
            check=check,
            description=check.describe(),
            passed=False,
            message=f"column {column!r} is missing",
        )
    series = frame[column]
    if check.kind == "not_null":
        bad = int(series.isna().sum())
        return _result(check, bad, f"{bad} null value(s)" if bad else "no nulls")
    if check.kind == "unique":
        bad = int(series.duplicated(keep=False).sum())
        return _result(check, bad, f"{bad} row(s) share a value" if bad else "all unique")
    values = series.dropna()
    if check.kind == "allowed_values":
        allowed = set(check.values or [])
        outside = values[~values.isin(allowed)]
        bad = len(outside)
        sample = sorted({str(v) for v in outside.head(1000)})[:5]
        return _result(check, bad, f"{bad} value(s) not allowed, e.g. {sample}" if bad else "ok")
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return CheckResult(
            check=check,
            description=check.describe(),
            passed=False,
            message=f"column {column!r} is {series.dtype}, not numeric",
        )
    low = check.min if check.min is not None else -math.inf
    high = check.max if check.max is not None else math.inf
    bad = int((~values.between(low, high)).sum())
    if not bad:
        return _result(check, 0, "ok")
    return _result(check, bad, f"{bad} value(s) outside, from {values.min()} to {values.max()}")


def _row_count(check: Check, rows: int) -> CheckResult:
    inside = (check.min is None or rows >= check.min) and (check.max is None or rows <= check.max)
    return CheckResult(
        check=check,
        description=check.describe(),
        passed=inside,
        message=f"{rows} rows",
    )


def _schema(
    check: Check, columns: list[ColumnStats], parent: list[ColumnStats] | None
) -> CheckResult:
    if parent is None:
        return CheckResult(
            check=check, description=check.describe(), passed=True, message="first version"
        )
    now = {c.name: c.dtype for c in columns}
    before = {c.name: c.dtype for c in parent}
    changes = [f"+{n}" for n in now if n not in before]
    changes += [f"-{n}" for n in before if n not in now]
    changes += [f"{n} {before[n]}→{now[n]}" for n in now if n in before and before[n] != now[n]]
    return CheckResult(
        check=check,
        description=check.describe(),
        passed=not changes,
        message=", ".join(changes) if changes else "same columns and types",
    )


def evaluate(
    checks: list[Check],
    frame: Any,
    columns: list[ColumnStats],
    parent_columns: list[ColumnStats] | None,
) -> list[CheckResult]:
    """Every check against ``frame`` (its manifest ``columns``; the parent's, if any)."""
    results = []
    for check in checks:
        if check.kind == "row_count":
            results.append(_row_count(check, len(frame)))
        elif check.kind == "schema_unchanged":
            results.append(_schema(check, columns, parent_columns))
        else:
            results.append(_column_check(check, frame))
    return results


def parse_checks(raw: Any) -> list[Check]:
    """Checks from JSON-like data, with a clear error naming the bad one."""
    if not isinstance(raw, list):
        raise Invalid("checks must be a list")
    parsed = []
    for i, item in enumerate(raw):
        if isinstance(item, Check):
            parsed.append(item)
            continue
        try:
            parsed.append(Check.model_validate(item))
        except ValidationError as exc:
            reasons = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
            raise Invalid(f"check {i + 1} ({item}): {reasons}") from None
    return parsed
