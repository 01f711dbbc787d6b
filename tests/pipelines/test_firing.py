"""Which fires a due stage runs: the walk over fires and the look back for the latest."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from jupyter_mlops.pipelines.firing import fires_between, latest_fire_before, plan_fires
from jupyter_mlops.pipelines.schedule import parse_schedule

START = datetime(2030, 1, 7, 12, 0)


@pytest.mark.parametrize(
    ("cron", "span"),
    [
        ("* * * * *", timedelta(hours=5)),
        ("*/7 9-17 * * 1-5", timedelta(days=9)),
        ("0 3 * * *", timedelta(days=40)),
        ("30 1 1 * *", timedelta(days=400)),
        ("0 0 29 2 *", timedelta(days=3000)),
    ],
)
def test_the_latest_fire_before_a_time_is_the_last_of_the_walk(cron: str, span: timedelta) -> None:
    schedule = parse_schedule(cron, "Europe/Paris")
    walked = list(fires_between(schedule, START, START + span))
    assert walked == sorted(set(walked)) and all(START < f <= START + span for f in walked)
    for cut in (walked[0] + timedelta(seconds=1), walked[len(walked) // 2], START + span):
        expected = [f for f in walked if f < cut][-1]
        assert latest_fire_before(schedule, walked[0], cut) == expected
    assert latest_fire_before(schedule, walked[0], walked[0]) is None


def test_a_plan_runs_the_stored_fire_and_the_fires_after_it_up_to_now() -> None:
    schedule = parse_schedule("*/5 * * * *", "UTC")
    plan = plan_fires(schedule, START, START + timedelta(minutes=10), timedelta(minutes=30))
    assert plan.runs == [START + timedelta(minutes=m) for m in (0, 5, 10)]
    assert plan.latest_missed is None
    assert plan.next_fire_at == START + timedelta(minutes=15)


def test_a_plan_splits_missed_fires_from_those_on_time() -> None:
    schedule = parse_schedule("*/5 * * * *", "UTC")
    now = START + timedelta(hours=1, seconds=30)
    plan = plan_fires(schedule, START, now, timedelta(seconds=60))
    assert plan.runs == [START + timedelta(hours=1)]
    assert plan.latest_missed == START + timedelta(minutes=55)
    # a stored next fire that is not on the schedule (set by hand) is still the first fire
    odd = START + timedelta(seconds=17)
    plan = plan_fires(schedule, odd, odd + timedelta(seconds=1), timedelta(seconds=60))
    assert plan.runs == [odd] and plan.next_fire_at == START + timedelta(minutes=5)
