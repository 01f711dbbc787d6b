"""Cron schedules: validation, and one fire per wall-clock time across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jupyter_mlops.errors import Invalid
from jupyter_mlops.pipelines.schedule import Schedule, next_fires, parse_schedule

NY = ZoneInfo("America/New_York")


def _fires_on(schedule: Schedule, day: datetime) -> list[datetime]:
    start = day.replace(tzinfo=NY) - timedelta(days=1)
    fires = next_fires(schedule, start.astimezone(UTC), count=5)
    return [f for f in fires if f.astimezone(NY).date() == day.date()]


def test_daily_job_fires_once_in_the_repeated_hour() -> None:
    schedule = parse_schedule("30 1 * * *", "America/New_York")
    fires = _fires_on(schedule, datetime(2026, 11, 1))
    # 01:30 happens twice (EDT then EST): one run, at the first one.
    assert fires == [datetime(2026, 11, 1, 5, 30, tzinfo=UTC)]
    assert fires[0].astimezone(NY).utcoffset() == timedelta(hours=-4)


def test_daily_job_in_the_skipped_hour_moves_to_three() -> None:
    schedule = parse_schedule("30 2 * * *", "America/New_York")
    fires = _fires_on(schedule, datetime(2026, 3, 8))
    assert fires == [datetime(2026, 3, 8, 7, 0, tzinfo=UTC)]
    local = fires[0].astimezone(NY)
    assert (local.hour, local.minute) == (3, 0)


def test_consecutive_days_around_both_changes() -> None:
    spring = parse_schedule("30 2 * * *", "America/New_York")
    after = datetime(2026, 3, 6, 12, tzinfo=UTC)
    local = [f.astimezone(NY).strftime("%m-%d %H:%M") for f in next_fires(spring, after, 4)]
    assert local == ["03-07 02:30", "03-08 03:00", "03-09 02:30", "03-10 02:30"]

    autumn = parse_schedule("30 1 * * *", "America/New_York")
    after = datetime(2026, 10, 30, 12, tzinfo=UTC)
    fires = next_fires(autumn, after, 4)
    assert [f.astimezone(NY).strftime("%m-%d %H:%M") for f in fires] == [
        "10-31 01:30",
        "11-01 01:30",
        "11-02 01:30",
        "11-03 01:30",
    ]
    assert all(f.tzinfo is UTC for f in fires)


def test_skipped_times_collapse_into_one_fire() -> None:
    every_quarter = parse_schedule("*/15 2 * * *", "America/New_York")
    after = datetime(2026, 3, 8, 1, tzinfo=NY)
    fires = next_fires(every_quarter, after, 2)
    assert [f.astimezone(NY).strftime("%m-%d %H:%M") for f in fires] == [
        "03-08 03:00",
        "03-09 02:00",
    ]


def test_after_the_repeated_fire_the_next_is_the_next_day() -> None:
    schedule = parse_schedule("30 1 * * *", "America/New_York")
    # 01:45 EST, the second pass through the repeated hour: 01:30 already fired.
    after = datetime(2026, 11, 1, 6, 45, tzinfo=UTC)
    assert next_fires(schedule, after, 1) == [datetime(2026, 11, 2, 6, 30, tzinfo=UTC)]


def test_fires_are_strictly_after_and_in_utc() -> None:
    schedule = parse_schedule("0 9 * * 1-5", "Europe/Paris")
    after = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # Monday 09:00 in Paris exactly
    fires = next_fires(schedule, after, 3)
    assert fires[0] == datetime(2026, 6, 2, 7, 0, tzinfo=UTC)
    assert len(fires) == 3 and fires == sorted(fires)


def test_macro_and_whitespace_are_normalised() -> None:
    assert parse_schedule("@DAILY", "UTC").cron == "@daily"
    assert parse_schedule(" 0  3 * * * ", "UTC").cron == "0 3 * * *"


@pytest.mark.parametrize(
    ("cron", "needle"),
    [
        ("61 * * * *", "bad minute field '61'"),
        ("0 24 * * *", "bad hour field '24'"),
        ("0 0 32 * *", "bad day of month field '32'"),
        ("0 0 * 13 *", "bad month field '13'"),
        ("0 0 * * funday", "bad day of week field 'funday'"),
        ("* * * *", "has 4 fields; expected 5"),
        ("* * * * * *", "has 6 fields; expected 5"),
        ("@sometimes", "unknown cron macro"),
        ("", "cron expression is required"),
        ("0 0 31 2 *", "never fires"),
    ],
)
def test_bad_cron_is_refused_naming_the_field(cron: str, needle: str) -> None:
    with pytest.raises(Invalid, match=needle.replace("(", r"\(")):
        parse_schedule(cron, "UTC")


@pytest.mark.parametrize("tz", ["Mars/Olympus_Mons", "../../etc/passwd", "", "America/New York"])
def test_unknown_timezone_is_refused_naming_it(tz: str) -> None:
    with pytest.raises(Invalid, match="timezone"):
        parse_schedule("0 0 * * *", tz)


def test_unknown_timezone_message_names_it() -> None:
    with pytest.raises(Invalid, match="'Mars/Olympus_Mons'"):
        parse_schedule("0 0 * * *", "Mars/Olympus_Mons")


def test_naive_after_and_bad_count_are_refused() -> None:
    schedule = parse_schedule("0 0 * * *", "UTC")
    with pytest.raises(Invalid, match="timezone-aware"):
        next_fires(schedule, datetime(2026, 1, 1), 1)
    with pytest.raises(Invalid, match="count"):
        next_fires(schedule, datetime(2026, 1, 1, tzinfo=UTC), 0)
