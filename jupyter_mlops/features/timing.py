"""Event times, made explicit: every time the features area compares is an int64 count of
nanoseconds since the epoch, in UTC.

Nanoseconds, because two events a nanosecond apart must still order (DuckDB's
``TIMESTAMPTZ`` keeps microseconds; ``epoch_ns`` of a ``TIMESTAMP_NS`` keeps them all).
UTC, because a point-in-time join across a DST change or across zones is only correct on
one clock. Naive times are refused unless the caller says which zone they were written
in; an ambiguous or non-existent local time (a DST change) is refused too, by name.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from ..errors import Invalid

NS_PER_SECOND = 1_000_000_000


def from_ns(value: int) -> datetime:
    """Nanoseconds since the epoch → a naive UTC datetime (as the state DB stores times)."""
    return datetime(1970, 1, 1) + timedelta(microseconds=value // 1000)


def to_ns(moment: datetime, what: str, timezone: str | None = None) -> int:
    """A datetime (aware, or naive read in ``timezone``) → nanoseconds since the epoch."""
    import pandas as pd

    stamp = pd.Timestamp(moment)
    if stamp.tzinfo is None:
        if timezone is None:
            raise Invalid(
                f"{what} {moment} has no time zone: give an aware time, or timezone='UTC' "
                "(or the zone it was written in)"
            )
        stamp = _localize(pd.Series([stamp]), timezone, what).iloc[0]
    return int(stamp.tz_convert(UTC).as_unit("ns").value)


def ttl_ns(ttl: timedelta | int | float | None) -> int | None:
    """A ttl given as a timedelta or seconds → whole nanoseconds (None: no ttl)."""
    if ttl is None:
        return None
    seconds = ttl.total_seconds() if isinstance(ttl, timedelta) else float(ttl)
    return round(seconds * NS_PER_SECOND)


def _localize(series: Any, timezone: str, what: str) -> Any:
    try:
        return series.dt.tz_localize(timezone, ambiguous="raise", nonexistent="raise")
    except Exception as exc:  # pytz/zoneinfo errors, AmbiguousTimeError, NonExistentTimeError
        kind = type(exc).__name__
        raise Invalid(
            f"{what}: cannot read naive times in {timezone!r} ({kind}: {exc}); a local time "
            "repeated or skipped by a DST change has no single instant, so give aware times"
        ) from exc


def series_ns(series: Any, what: str, timezone: str | None = None) -> np.ndarray[Any, Any]:
    """A pandas column of times → int64 nanoseconds in UTC, or Invalid naming the problem:
    a column that holds no times, nulls, naive times without ``timezone``."""
    import pandas as pd

    if series.isna().any():
        rows = list(np.flatnonzero(series.isna().to_numpy())[:5])
        raise Invalid(f"{what} has {int(series.isna().sum())} missing times (rows {rows}…)")
    if series.dtype == object:
        series = _object_times(series, what)
    if not pd.api.types.is_datetime64_any_dtype(series.dtype):
        raise Invalid(f"{what} must hold times (datetime64), not {series.dtype}")
    if getattr(series.dt, "tz", None) is None:
        if timezone is None:
            raise Invalid(
                f"{what} holds naive times (no time zone): make them aware "
                "(series.dt.tz_localize('UTC')), or pass timezone='UTC' (or the zone they "
                "were written in)"
            )
        series = _localize(series, timezone, what)
    utc = series.dt.tz_convert(UTC).dt.as_unit("ns")
    return np.asarray(utc.array.asi8, dtype=np.int64)


def _object_times(series: Any, what: str) -> Any:
    """An object column of datetimes in several zones → one UTC column; anything else is
    refused (strings would need a format, naive datetimes a zone)."""
    import pandas as pd

    kinds = {type(value).__name__ for value in series.head(1000)}
    if not all(isinstance(value, datetime) for value in series):
        raise Invalid(f"{what} must hold datetimes, found {sorted(kinds)}; parse it first")
    if any(value.tzinfo is None for value in series):
        raise Invalid(f"{what} mixes naive and aware datetimes: give every one a time zone")
    return pd.to_datetime(series, utc=True)
