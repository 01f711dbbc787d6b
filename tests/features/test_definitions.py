"""Definitions: each change a new audited version, checked against what it refers to
before anything is written; concurrent definitions never lose a version."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pandas as pd
import pytest
from pydantic import ValidationError

import jupyter_mlops as mlops
from jupyter_mlops.errors import Invalid, NotFound
from jupyter_mlops.workspace import Workspace


def test_a_change_is_a_new_version_and_the_same_spec_is_not(drivers: Any) -> None:
    assert drivers.version == 1
    again = mlops.features.view(
        "driver_stats",
        entities=["driver"],
        source="driver_rows",
        features={"trips": "Int64", "rating": "Float64"},
        ttl=24 * 3600,
    )
    assert again.version == 1
    changed = mlops.features.view(
        "driver_stats", entities=["driver"], source="driver_rows", features={"trips": "Int64"}
    )
    assert changed.version == 2 and changed.author_source == "asserted"
    history = mlops.features.store().history("view", "driver_stats")
    assert [v.version for v in history] == [2, 1]
    assert [f.name for f in mlops.features.get_view("driver_stats", 1).features] == [
        "trips",
        "rating",
    ]
    assert mlops.features.list() == {
        "entity": ["driver"],
        "view": ["driver_stats"],
        "service": ["eta"],
    }


def test_a_view_is_checked_against_its_source_before_it_is_saved(drivers: Any) -> None:
    base = {"entities": ["driver"], "source": "driver_rows"}
    cases = [
        ({"features": {"speed": "Float64"}}, Invalid, "feature 'speed' is missing"),
        ({"features": {"rating": "Int64"}}, Invalid, "feature 'rating' is double, not Int64"),
        (
            {"features": {"rating": "Float64"}, "timestamp_field": "trips"},
            Invalid,
            "time column 'trips' is int64",
        ),
        ({"features": {"driver_id": "Int64"}}, Invalid, "appear twice"),
        ({"features": {"trips": "Int64"}, "source": "nope"}, NotFound, "nope"),
        (
            {"features": {"trips": "Int64"}, "entities": ["rider"]},
            NotFound,
            "entity 'rider' is not defined",
        ),
    ]
    for change, error, message in cases:
        with pytest.raises(error, match=message):
            mlops.features.view("v2", **{**base, **change})  # type: ignore[arg-type]
    assert mlops.features.list()["view"] == ["driver_stats"]


def test_names_and_types_are_checked(mlops_workspace: Workspace) -> None:
    with pytest.raises(Invalid, match="entity name 'a__b'"):
        mlops.features.entity("a__b", {"k": "Int64"})
    with pytest.raises(ValidationError, match="Int64"):
        mlops.features.entity("e", {"k": "int"})
    with pytest.raises(Invalid, match="not a valid column name"):
        mlops.features.entity("e", {"k k": "Int64"})


def test_a_source_with_naive_times_needs_its_zone(mlops_workspace: Workspace) -> None:
    # 2026-03-29: Paris moves from CET (UTC+1) to CEST (UTC+2) at 02:00
    rows = pd.DataFrame(
        {
            "k": [1, 1],
            "ts": pd.to_datetime(["2026-03-29 01:30", "2026-03-29 03:30"]),
            "v": [1.0, 2.0],
        }
    )
    mlops.datasets.save("naive", rows)
    mlops.features.entity("e", {"k": "Int64"})
    with pytest.raises(Invalid, match="holds naive times: set timezone="):
        mlops.features.view(
            "nv", entities=["e"], source="naive", timestamp_field="ts", features={"v": "Float64"}
        )
    mlops.features.view(
        "nv",
        entities=["e"],
        source="naive",
        timestamp_field="ts",
        features={"v": "Float64"},
        timezone="Europe/Paris",
    )
    times = pd.to_datetime(["2026-03-29 00:45", "2026-03-29 01:15", "2026-03-29 01:45"], utc=True)
    entity = pd.DataFrame({"k": [1, 1, 1], "event_timestamp": times})
    # 01:30 Paris is 00:30 UTC; 03:30 Paris (summer time) is 01:30 UTC
    assert mlops.features.training_set(entity, features=["nv:v"]).to_df()["v"].tolist() == [
        1.0,
        1.0,
        2.0,
    ]


def test_concurrent_definitions_each_get_a_version(mlops_workspace: Workspace) -> None:
    mlops.features.entity("e", {"k": "Int64"})

    def define(i: int) -> int:
        return mlops.features.entity("e", {"k": "Int64"}, description=f"take {i}").version

    with ThreadPoolExecutor(8) as pool:
        versions = sorted(pool.map(define, range(16)))
    assert versions == list(range(2, 18))


def test_freshness_reads_naive_times_in_the_view_s_zone(mlops_workspace: Workspace) -> None:
    from jupyter_mlops.datasets.api import store as datasets
    from jupyter_mlops.features.queries import view_detail
    from jupyter_mlops.tracking.store import use_workspace

    paris_now = pd.Timestamp.now(tz="Europe/Paris").tz_localize(None).floor("s")
    rows = pd.DataFrame({"k": [1], "ts": [paris_now - pd.Timedelta(minutes=10)], "v": [1.0]})
    mlops.datasets.save("local", rows)
    mlops.features.entity("e", {"k": "Int64"})
    mlops.features.view(
        "lv", entities=["e"], source="local", timestamp_field="ts", features={"v": "Float64"},
        timezone="Europe/Paris", ttl=3600,
    )  # fmt: skip
    detail = view_detail(mlops.features.store(), datasets(), use_workspace(mlops_workspace), "lv")
    assert detail.freshness.age_seconds is not None
    assert 590 <= detail.freshness.age_seconds < 700  # not off by Paris' UTC offset
    assert detail.freshness.fresh is True
