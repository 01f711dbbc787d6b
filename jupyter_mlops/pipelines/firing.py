"""Which runs a due stage gets: its fires up to now, split by the missed-fire policy.

A fire is *on time* while it is at most ``grace`` old when the scheduler sees it, and
*missed* when older (nothing was running at its minute). On-time fires all run. Missed
fires follow the job's policy:

- ``skip``: none runs;
- ``run_once``: the job catches up once, with one run for the latest missed fire, unless a
  fire within the grace is due as well: that run is the catch-up.

The stage's stored next fire is the first fire (as computed when the stage was scheduled);
the schedule gives the ones after it. Either way the stage's next fire becomes its first
fire after now. Pure functions of the schedule and the clock: the scheduler writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from .schedule import Schedule, next_fires

_TICK = timedelta(microseconds=1)
_BATCH = 100


@dataclass(frozen=True)
class FirePlan:
    """What to do for one due stage (times naive UTC, as stored)."""

    runs: list[datetime] = field(default_factory=list)  # fires to create a run for
    latest_missed: datetime | None = None  # the newest fire older than the grace, if any
    next_fire_at: datetime | None = None  # the stage's first fire after now


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def fires_between(schedule: Schedule, after: datetime, until: datetime) -> Iterator[datetime]:
    """Fires ``f`` of ``schedule`` with ``after < f <= until`` (naive UTC), oldest first."""
    cursor = _aware(after)
    end = _aware(until)
    size = 1  # usually no fire or one is due: ask for more only as they come
    while cursor < end:
        batch = next_fires(schedule, cursor, size)
        for fire in batch:
            if fire > end:
                return
            yield _naive(fire)
        if len(batch) < size:
            return  # the schedule has no more fires
        cursor = batch[-1]
        size = min(2 * size, _BATCH)


def latest_fire_before(schedule: Schedule, start: datetime, limit: datetime) -> datetime | None:
    """The newest fire ``f`` with ``start <= f < limit``, looking back in growing windows
    (so a week of missed minutes is not walked fire by fire)."""
    window = timedelta(hours=1)
    while True:
        low = max(start, limit - window)
        latest = None
        for fire in fires_between(schedule, low - _TICK, limit - _TICK):
            latest = fire
        if latest is not None or low == start:
            return latest
        window *= 24


def plan_fires(
    schedule: Schedule, next_fire_at: datetime, now: datetime, grace: timedelta
) -> FirePlan:
    """The runs a stage gets at ``now`` when its stored next fire is ``next_fire_at``
    (≤ ``now``): that fire, then the schedule's fires after it up to ``now``."""
    cutoff = now - grace
    if next_fire_at >= cutoff:
        on_time = [next_fire_at, *fires_between(schedule, next_fire_at, now)]
        missed = None
    else:
        on_time = list(fires_between(schedule, cutoff - _TICK, now))
        missed = latest_fire_before(schedule, next_fire_at, cutoff) or next_fire_at
    upcoming = next_fires(schedule, _aware(now), 1)
    return FirePlan(
        runs=on_time,
        latest_missed=missed,
        next_fire_at=_naive(upcoming[0]) if upcoming else None,
    )
