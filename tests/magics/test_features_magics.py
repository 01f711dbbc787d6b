"""``%features`` in a real IPython shell, over real datasets, the real state DB, DuckDB
joins and the workspace's SQLite online store."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import jupyter_mlops as mlops
from jupyter_mlops.pytest_plugin import html_of, text_of
from jupyter_mlops.pytest_plugin import run_cell as run
from tests.features.builders import define_drivers

NOW = pd.Timestamp.now(tz="UTC").floor("s")


def shown(text: str) -> list[str]:
    """The lines a magic rendered, without the progress lines of its long waits (text
    mode here: the test shell has no kernel)."""
    return [line for line in text.splitlines() if not line.startswith("%features ")]


def ago(**delta: float) -> pd.Timestamp:
    return NOW - pd.Timedelta(**delta)


def driver_rows() -> pd.DataFrame:
    """Driver 1: values 5 h and 1 h old; driver 2: 2 h old; driver 3: 5 days old (past
    the view's ttl of a day)."""
    return pd.DataFrame(
        {
            "driver_id": [1, 1, 2, 3],
            "event_timestamp": [ago(hours=5), ago(hours=1), ago(hours=2), ago(days=5)],
            "trips": [10, 12, 7, 3],
            "rating": [4.0, 4.5, 3.9, 5.0],
        }
    )


@pytest.fixture
def shell(mlops_shell: InteractiveShell) -> InteractiveShell:
    """A shell over a ``driver`` entity, a ``driver_stats`` view (ttl 1 day) of the
    ``driver_rows`` dataset and an ``eta`` service of all of it."""
    define_drivers(driver_rows(), ttl=timedelta(days=1))
    return mlops_shell


def lines_of(text: str) -> list[list[str]]:
    """Each line's cells (columns are two or more spaces apart, cells hold single ones)."""
    return [re.split(r"\s{2,}", line.strip()) for line in text.splitlines()]


def cells(text: str, first: str) -> list[str]:
    """The cells of the table row starting with ``first``."""
    (row,) = [line for line in lines_of(text) if line[0] == first]
    return row


def test_list_names_entities_views_and_services(shell: InteractiveShell) -> None:
    result, out = run(shell, "%features list")
    assert result.success, result.error_in_exec
    text = text_of(out)
    assert shown(text)[0] == "1 entity, 1 view, 1 service"
    assert cells(text, "entity") == ["entity", "driver", "v1", "keys driver_id Int64", "—"]
    assert cells(text, "view") == [
        *("view", "driver_stats", "v1"),
        *("driver ← driver_rows; 2 features; ttl 1d", "never"),
    ]
    assert cells(text, "service") == ["service", "eta", "v1", "driver_stats", "—"]
    assert "<th>last materialized</th>" in html_of(out)

    _, out = run(shell, "%features list STATS")
    assert shown(text_of(out))[0] == "0 entities, 1 view, 0 services matching 'STATS'"


def test_show_gives_schema_statistics_and_freshness(shell: InteractiveShell) -> None:
    result, out = run(shell, "%features show driver_stats")
    assert result.success, result.error_in_exec
    text = text_of(out)
    head = text.splitlines()
    assert head[0] == "view driver_stats v1: driver_rows v1, 4 rows"
    assert head[1] == "entities driver; event time event_timestamp; ttl 1d; online"
    assert head[2].startswith(f"newest event {ago(hours=1):%Y-%m-%d %H:%M:%S} UTC, 1h")
    assert head[2].endswith(": fresh (within the ttl)")
    assert head[3] == "never materialized"
    trips, rating = cells(text, "trips"), cells(text, "rating")
    assert trips[:7] == ["trips", "Int64", "0 (0%)", "3", "8", "12", "—"]
    assert rating[:7] == ["rating", "Float64", "0 (0%)", "3.9", "4.35", "5", "—"]
    assert len(trips[7]) == 20 and set(trips[7]) <= set("▁▂▃▄▅▆▇█")  # 20 bins
    assert "<th>histogram</th>" in html_of(out)


def test_show_says_when_a_view_is_stale(shell: InteractiveShell) -> None:
    old = driver_rows().assign(event_timestamp=[ago(days=d) for d in (9, 8, 7, 6)])
    mlops.datasets.save("driver_rows", old)
    _, out = run(shell, "%features show driver_stats")
    text = text_of(out)
    assert "view driver_stats v1: driver_rows v2, 4 rows" in text
    assert "6d ago: STALE (older than the ttl 1d)" in text


def test_materialize_then_look_up_several_entities(shell: InteractiveShell) -> None:
    result, out = run(shell, "%features materialize driver_stats")
    assert result.success, result.error_in_exec
    text = text_of(out)
    assert shown(text)[0] == "materialized 1 view in full"
    watermark = f"{ago(hours=1):%Y-%m-%d %H:%M:%S} UTC"
    row = cells(text, "driver_stats")
    assert row[:7] == ["driver_stats", "v1", "driver_rows v1", "full", "done", "2", watermark]

    result, out = run(shell, "%features lookup eta driver_id=1,2,3,4")
    assert result.success, result.error_in_exec
    text = text_of(out)
    assert shown(text)[0] == "eta: 4 entities; driver_stats: 2 present, 2 missing"
    assert lines_of(text)[1] == ["driver_id", "trips", "rating", "status", "age"]
    # driver 3's only value was past the ttl when materialized: never written
    assert [cells(text, k)[:4] for k in "1234"] == [
        ["1", "12", "4.5", "present"],
        ["2", "7", "3.9", "present"],
        ["3", "—", "—", "missing"],
        ["4", "—", "—", "missing"],
    ]
    assert cells(text, "1")[4].startswith("1h") and cells(text, "2")[4].startswith("2h")
    assert "<td>present</td>" in html_of(out)

    _, out = run(shell, "%features show driver_stats")
    (line,) = [line for line in text_of(out).splitlines() if "materializ" in line]
    assert line.startswith("last materialization 1 (full): done ")
    assert line.endswith(f" UTC, 2 entities, watermark {watermark}")

    result, out = run(shell, "%features materialize --service eta --incremental")
    assert result.success, result.error_in_exec
    text = text_of(out)
    assert shown(text)[0] == "materialized 1 view incrementally"
    assert cells(text, "driver_stats")[3:7] == ["incremental", "done", "0", watermark]


def test_lookup_reads_each_join_key_as_its_type(shell: InteractiveShell) -> None:
    routes = pd.DataFrame(
        {
            "origin": ["75", "69", "75"],
            "zone": [1, 2, 2],
            "event_timestamp": [ago(minutes=30), ago(minutes=20), ago(minutes=10)],
            "fare": [12.5, 30.0, 18.25],
        }
    )
    mlops.datasets.save("route_rows", routes)
    mlops.features.entity("route", {"origin": "String", "zone": "Int32"})
    mlops.features.view(
        "route_fares", entities=["route"], source="route_rows", features={"fare": "Float64"}
    )
    mlops.features.service("fares", ["route_fares"])
    run(shell, "%features materialize --service fares")
    # "75" stays text (a String key), "2" becomes a number (an Int32 key)
    result, out = run(shell, "%features lookup fares origin=75,69,75 zone=2,2,9")
    assert result.success, result.error_in_exec
    text = text_of(out)
    assert shown(text)[0] == "fares: 3 entities; route_fares: 2 present, 1 missing"
    assert lines_of(text)[1] == ["origin", "zone", "fare", "status", "age"]
    assert [row[:4] for row in lines_of(text)[2:]] == [
        ["75", "2", "18.25", "present"],
        ["69", "2", "30", "present"],
        ["75", "9", "—", "missing"],
    ]


def test_lookup_says_a_value_expired_since_it_was_materialized(
    shell: InteractiveShell,
) -> None:
    written = pd.Timestamp.now(tz="UTC")
    pings = pd.DataFrame({"driver_id": [1], "event_timestamp": [written], "speed": [42.0]})
    mlops.datasets.save("ping_rows", pings)
    mlops.features.view(
        "pings",
        entities=["driver"],
        source="ping_rows",
        features={"speed": "Float64"},
        ttl=timedelta(seconds=3),
    )
    mlops.features.service("live", ["pings"])
    _, out = run(shell, "%features materialize pings")
    assert cells(text_of(out), "pings")[4:6] == ["done", "1"]
    _, out = run(shell, "%features lookup live driver_id=1")
    assert cells(text_of(out), "1")[:3] == ["1", "42", "present"]
    time.sleep(
        max(0.0, (written + pd.Timedelta(seconds=3.3) - pd.Timestamp.now(tz="UTC")).total_seconds())
    )
    _, out = run(shell, "%features lookup live driver_id=1")
    text = text_of(out)
    assert shown(text)[0] == "live: 1 entity; pings: 1 expired"
    assert cells(text, "1")[:3] == ["1", "—", "expired"]


def test_join_assigns_the_training_set_in_the_entity_frames_order(
    shell: InteractiveShell,
) -> None:
    shell.user_ns["rides"] = pd.DataFrame(
        {
            "driver_id": [2, 1, 9, 1, 3],
            "event_timestamp": [NOW, ago(hours=3), NOW, ago(days=10), NOW],
        },
        index=[50, 40, 30, 20, 10],
    )
    result, out = run(shell, "%features join rides --service eta")
    assert result.success, result.error_in_exec
    text = text_of(out)
    assert shown(text)[0] == ("training_set = 5 rows × 4 columns, point in time from service eta")
    assert "views: driver_stats v1 on driver_rows v1" in text
    assert cells(text, "driver_stats") == ["driver_stats", "5", "2", "1", "1", "1", "40.0%"]
    assert "<th>only later</th>" in html_of(out)

    frame = shell.user_ns["training_set"]
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.index) == [50, 40, 30, 20, 10]
    assert list(frame.columns) == ["driver_id", "event_timestamp", "trips", "rating"]
    assert list(frame["driver_id"]) == [2, 1, 9, 1, 3]
    assert frame["trips"].tolist()[:2] == [7, 10] and frame["trips"].isna().tolist()[2:] == [
        True,
        True,
        True,
    ]
    statuses = shell.user_ns["_training_set"].status["driver_stats"].tolist()
    assert statuses == ["matched", "matched", "no_key", "only_later", "expired"]

    result, out = run(
        shell, "%features join rides --features driver_stats:trips --as ts --full-names"
    )
    assert result.success, result.error_in_exec
    assert shown(text_of(out))[0] == (
        "ts = 5 rows × 3 columns, point in time from driver_stats:trips"
    )
    assert list(shell.user_ns["ts"].columns) == [
        "driver_id",
        "event_timestamp",
        "driver_stats__trips",
    ]

    naive = shell.user_ns["rides"].assign(
        event_timestamp=lambda f: f["event_timestamp"].dt.tz_localize(None)
    )
    shell.user_ns["naive"] = naive
    result, _ = run(shell, "%features join naive --service eta --as from_naive --timezone UTC")
    assert result.success, result.error_in_exec
    pd.testing.assert_frame_equal(
        shell.user_ns["from_naive"].drop(columns="event_timestamp"),
        frame.drop(columns="event_timestamp"),
    )


def test_skew_before_and_after_materializing(shell: InteractiveShell) -> None:
    _, out = run(shell, "%features skew eta")
    text = text_of(out)
    assert shown(text)[0] == "eta: SKEW OR STALE in driver_stats"
    assert "never materialized" in cells(text, "driver_stats")[-1]
    run(shell, "%features materialize driver_stats")
    result, out = run(shell, "%features skew eta --sample 5")
    assert result.success, result.error_in_exec
    text = text_of(out)
    assert shown(text)[0] == "eta: online values equal offline, and fresh"
    assert cells(text, "driver_stats")[1:4] == ["ok", "2", "0"]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("%features show nope", "%features show: feature view 'nope' is not defined"),
        ("%features show 'bad name'", "view name 'bad name' is not valid"),
        ("%features lookup eta driver_id=x", "join key 'driver_id' is Int64: 'x' is not a whole"),
        ("%features lookup eta driver_id", "'driver_id' is not KEY=VALUE"),
        ("%features lookup eta driver_id=1 driver_id=2", "'driver_id' is given twice"),
        ("%features lookup eta city=paris", "missing ['driver_id']; unknown ['city']"),
        ("%features lookup nope driver_id=1", "feature service 'nope' is not defined"),
        ("%features join nope --service eta", "'nope' is not a variable of this notebook"),
        ("%features join number --service eta", "number is a int, not a pandas DataFrame"),
        ("%features join rides", "give --service SERVICE, or --features"),
        ("%features join rides --service eta --features driver_stats", "give --service"),
        ("%features join rides --service eta --as class", "'class' is not a Python variable"),
        ("%features join rides --service eta", "holds naive times"),
        ("%features join rides --features driver_stats:speed", "has no feature 'speed'"),
        ("%features materialize", "give a VIEW, or --service SERVICE"),
        ("%features materialize driver_stats --service eta", "give a VIEW, or --service"),
        ("%features materialize nope", "feature view 'nope' is not defined"),
        ("%features skew eta --sample 0", "sample must be between 1 and"),
        ("%features list " + "x" * 200, "search: String should have at most 128 characters"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(
    shell: InteractiveShell, cell: str, message: str
) -> None:
    shell.user_ns["number"] = 3
    shell.user_ns["rides"] = pd.DataFrame({"driver_id": [1], "event_timestamp": [NOW]})
    shell.user_ns["rides"]["event_timestamp"] = shell.user_ns["rides"][
        "event_timestamp"
    ].dt.tz_localize(None)
    result, _ = run(shell, cell)
    assert not result.success
    error = result.error_in_exec
    assert isinstance(error, UsageError)
    assert message in str(error) and "\n" not in str(error)
    assert str(error).startswith(f"%features {cell.split()[1]}: ")
    assert "training_set" not in shell.user_ns


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("%features frobnicate", "invalid choice: 'frobnicate'"),
        ("%features lookup eta", "the following arguments are required: KEY=VALUES"),
        ("%features skew eta --sample many", "invalid int value: 'many'"),
        ("%features show 'unclosed", "No closing quotation"),
    ],
)
def test_bad_grammar_is_a_usage_error_with_the_usage(
    shell: InteractiveShell, cell: str, message: str
) -> None:
    result, _ = run(shell, cell)
    assert isinstance(result.error_in_exec, UsageError)
    assert message in str(result.error_in_exec)
    assert "usage: %features" in str(result.error_in_exec)
