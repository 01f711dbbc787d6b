"""Cron schedules in an IANA timezone, and when they fire.

A schedule is read in the wall-clock time of its timezone, and each wall-clock fire time
runs once (the daylight-saving policy):

- a time that happens twice (the repeated hour when clocks go back) fires once, at its
  first occurrence: a daily 01:30 America/New_York job runs once on 2026-11-01;
- a time that does not happen (the hour skipped when clocks go forward) fires at the first
  instant after the gap: a daily 02:30 job runs at 03:00 on 2026-03-08. Several skipped
  times collapse into that one fire.

Fire times are returned timezone-aware, in UTC. croniter evaluates the cron expression on
naive wall-clock times; this module alone maps them to instants.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import CroniterBadDateError, croniter
from pydantic import BaseModel, ConfigDict

from ..errors import Invalid

FIELDS = ("minute", "hour", "day of month", "month", "day of week")
MACROS = frozenset(
    {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)
MAX_FIRES = 1000
# Start the wall-clock walk this far before ``after``: more than any DST shift, so a fire
# that is still ahead in real time (after clocks went back) is not missed.
_LOOKBACK = timedelta(hours=3)


class Schedule(BaseModel):
    """A validated cron expression (five fields, or a macro such as ``@daily``) and timezone."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cron: str
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def parse_timezone(name: str) -> ZoneInfo:
    """The IANA timezone ``name``, or Invalid naming it."""
    if not isinstance(name, str) or not name.strip():
        raise Invalid("timezone is required (an IANA name such as 'Europe/Paris' or 'UTC')")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise Invalid(
            f"unknown timezone {name!r}: expected an IANA name such as 'Europe/Paris' or 'UTC'"
        ) from None


def _check_cron(cron: str) -> str:
    if not isinstance(cron, str) or not cron.strip():
        raise Invalid("cron expression is required, e.g. '30 1 * * *'")
    expr = " ".join(cron.split())
    if expr.startswith("@"):
        if expr.lower() not in MACROS:
            raise Invalid(
                f"unknown cron macro {expr!r}: expected one of {', '.join(sorted(MACROS))}"
            )
        return expr.lower()
    fields = expr.split(" ")
    if len(fields) != len(FIELDS):
        raise Invalid(
            f"cron expression {cron!r} has {len(fields)} fields; expected 5 "
            "(minute hour day-of-month month day-of-week)"
        )
    for i, (value, field) in enumerate(zip(fields, FIELDS, strict=True)):
        probe = ["*"] * len(FIELDS)
        probe[i] = value
        if not croniter.is_valid(" ".join(probe)):
            raise Invalid(f"cron expression {cron!r}: bad {field} field {value!r}")
    if not croniter.is_valid(expr):
        raise Invalid(f"cron expression {cron!r} is not valid")
    return expr


def parse_schedule(cron: str, tz: str) -> Schedule:
    """Validate a cron expression and an IANA timezone; Invalid names what is wrong."""
    expr = _check_cron(cron)
    zone = parse_timezone(tz)
    schedule = Schedule(cron=expr, timezone=zone.key)
    try:
        croniter(expr, datetime(2000, 1, 1)).get_next(datetime)
    except CroniterBadDateError:
        raise Invalid(f"cron expression {cron!r} never fires") from None
    return schedule


def _resolve(wall: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant a naive wall-clock time in ``zone`` fires at (see the module policy)."""
    first = wall.replace(tzinfo=zone, fold=0)
    instant = first.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall:
        return instant  # exists (for a repeated time, fold=0 is its first occurrence)
    # In a gap: fold=1 reads it with the offset before the change, fold=0 with the one
    # after; the transition lies between the two instants. Find it to the second.
    lo = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    hi = instant
    lo, hi = min(lo, hi), max(lo, hi)
    offset_after = hi.astimezone(zone).utcoffset()
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(zone).utcoffset() == offset_after:
            hi = mid
        else:
            lo = mid
    return hi.replace(microsecond=0)


def next_fires(schedule: Schedule, after: datetime, count: int = 1) -> list[datetime]:
    """The next ``count`` fire instants strictly after ``after`` (timezone-aware), in UTC."""
    if after.tzinfo is None or after.utcoffset() is None:
        raise Invalid("'after' must be timezone-aware")
    if not 1 <= count <= MAX_FIRES:
        raise Invalid(f"count must be between 1 and {MAX_FIRES}, got {count}")
    zone = schedule.zone
    start = (after.astimezone(zone) - _LOOKBACK).replace(tzinfo=None, fold=0)
    walk = croniter(schedule.cron, start)
    fires: list[datetime] = []
    while len(fires) < count:
        try:
            wall = walk.get_next(datetime)
        except CroniterBadDateError:
            break
        instant = _resolve(wall, zone)
        if instant > after and (not fires or instant > fires[-1]):
            fires.append(instant)
    return fires
