"""Point-in-time training sets: every row kept, in order, with the right value or a
status saying why there is none; bad input refused by name."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

import jupyter_mlops as mlops
from jupyter_mlops.errors import Invalid, NotFound

from .conftest import at


def entity_frame(rows: list[tuple[int, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {"driver_id": [k for k, _ in rows], "event_timestamp": [at(h) for _, h in rows]}
    )


def test_each_row_gets_the_newest_value_at_or_before_its_time(drivers: Any) -> None:
    entity = entity_frame([(1, 3), (1, 4), (1, 1.99), (2, 11)])
    ts = mlops.features.training_set(entity, service="eta")
    df = ts.to_df()
    assert df["trips"].tolist() == [20, 40, 10, 7]  # 4h itself matches (≤ t)
    assert df["rating"].tolist() == [4.5, 4.8, 4.0, 3.9]
    assert ts.status["driver_stats"].tolist() == ["matched"] * 4


def test_the_rows_feast_drops_are_kept_with_nulls_and_a_status(drivers: Any) -> None:
    """A duplicated (key, time) row, an entity with only later values, one past the ttl,
    one predating every value, an unknown key: all six rows come back, in order."""
    entity = entity_frame([(1, 3), (1, 3), (2, 5), (3, 1), (1, -1), (99, 1)])
    entity.index = [10, 11, 12, 13, 14, 15]
    ts = mlops.features.training_set(entity, service="eta")
    df = ts.to_df()
    assert list(df.index) == [10, 11, 12, 13, 14, 15]
    assert df["driver_id"].tolist() == [1, 1, 2, 3, 1, 99]
    assert df["trips"].iloc[:2].tolist() == [20, 20]
    assert df["trips"].iloc[2:].isna().all()
    assert ts.status["driver_stats"].tolist() == [
        "matched",
        "matched",
        "only_later",
        "expired",
        "only_later",
        "no_key",
    ]
    (coverage,) = ts.coverage
    assert (coverage.rows, coverage.matched, coverage.no_key) == (6, 2, 1)
    assert (coverage.only_later, coverage.expired) == (2, 1)


def test_the_ttl_is_inclusive(drivers: Any) -> None:
    # driver 3's value is at -48h; the view's ttl is 24h
    exactly, past = at(-24), at(-24) + pd.Timedelta(nanoseconds=1)
    entity = pd.DataFrame({"driver_id": [3, 3], "event_timestamp": [exactly, past]})
    ts = mlops.features.training_set(entity, service="eta")
    assert ts.to_df()["trips"].tolist()[0] == 3
    assert ts.status["driver_stats"].tolist() == ["matched", "expired"]


def test_nanoseconds_order(mlops_workspace: Any) -> None:
    t = pd.Timestamp("2026-01-01T00:00:00.000000001", tz="UTC")
    rows = pd.DataFrame(
        {"k": [1, 1], "event_timestamp": [t, t + pd.Timedelta(1, "ns")], "v": [1.0, 2.0]}
    )
    mlops.datasets.save("ns_rows", rows)
    mlops.features.entity("e", {"k": "Int64"})
    mlops.features.view("ns", entities=["e"], source="ns_rows", features={"v": "Float64"})
    entity = pd.DataFrame(
        {
            "k": [1, 1, 1],
            "event_timestamp": [t - pd.Timedelta(1, "ns"), t, t + pd.Timedelta(1, "ns")],
        }
    )
    ts = mlops.features.training_set(entity, features=["ns:v"])
    assert ts.to_df()["v"].tolist()[1:] == [1.0, 2.0]
    assert ts.status["ns"].tolist() == ["only_later", "matched", "matched"]


def test_ties_in_event_time_go_to_the_newest_created_time(mlops_workspace: Any) -> None:
    t = at(0)
    rows = pd.DataFrame(
        {
            "k": [1, 1, 1],
            "event_timestamp": [t, t, t],
            "created": [at(3), at(5), at(1)],
            "v": [3.0, 5.0, 1.0],
        }
    )
    mlops.datasets.save("tied", rows)
    mlops.features.entity("e", {"k": "Int64"})
    mlops.features.view(
        "tied",
        entities=["e"],
        source="tied",
        features={"v": "Float64"},
        created_timestamp_column="created",
    )
    entity = pd.DataFrame({"k": [1], "event_timestamp": [at(1)]})
    assert mlops.features.training_set(entity, features=["tied:v"]).to_df()["v"].tolist() == [5.0]


def test_times_in_other_zones_and_across_dst_are_compared_as_instants(drivers: Any) -> None:
    # 2026-03-29 02:00 CET→CEST: one instant written in two zones, and an object column
    paris = pd.Timestamp("2026-01-10 15:30", tz="Europe/Paris")  # = T0 + 2.5h UTC
    ny = pd.Timestamp("2026-01-10 09:30", tz="America/New_York")  # = T0 + 2.5h UTC
    entity = pd.DataFrame(
        {"driver_id": [1, 1], "event_timestamp": pd.Series([paris, ny], dtype=object)}
    )
    assert mlops.features.training_set(entity, service="eta").to_df()["trips"].tolist() == [20, 20]


def test_naive_times_are_refused_unless_their_zone_is_given(drivers: Any) -> None:
    naive = pd.DataFrame({"driver_id": [1], "event_timestamp": [pd.Timestamp("2026-01-10 14:30")]})
    with pytest.raises(Invalid, match="naive times"):
        mlops.features.training_set(naive, service="eta")
    ts = mlops.features.training_set(naive, service="eta", timezone="UTC")
    assert ts.to_df()["trips"].tolist() == [20]
    paris = mlops.features.training_set(naive, service="eta", timezone="Europe/Paris")
    assert paris.to_df()["trips"].tolist() == [10]  # 14:30 Paris is 13:30 UTC
    gap = pd.DataFrame({"driver_id": [1], "event_timestamp": [pd.Timestamp("2026-03-29 02:30")]})
    with pytest.raises(Invalid, match="DST"):
        mlops.features.training_set(gap, service="eta", timezone="Europe/Paris")


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"driver_id": [1, None], "event_timestamp": [at(1), at(1)]}), "null keys"),
        (pd.DataFrame({"driver_id": ["1"], "event_timestamp": [at(1)]}), "int key never matches"),
        (pd.DataFrame({"driver_id": [1]}), "no time column 'event_timestamp'"),
        (pd.DataFrame({"event_timestamp": [at(1)]}), "no join key column 'driver_id'"),
        (pd.DataFrame({"driver_id": [1], "event_timestamp": [None]}), "missing times"),
        (
            pd.DataFrame({"driver_id": [1], "event_timestamp": ["2026-01-10"]}),
            "must hold datetimes",
        ),
    ],
)
def test_bad_entity_frames_are_refused_by_name(
    drivers: Any, frame: pd.DataFrame, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        mlops.features.training_set(frame, service="eta")


def test_unknown_references_are_named(drivers: Any) -> None:
    entity = entity_frame([(1, 1)])
    with pytest.raises(NotFound, match="no feature 'speed'"):
        mlops.features.training_set(entity, features=["driver_stats:speed"])
    with pytest.raises(NotFound, match="view 'nope'"):
        mlops.features.training_set(entity, features=["nope:x"])
    with pytest.raises(NotFound, match="service 'nope'"):
        mlops.features.training_set(entity, service="nope")


def test_the_same_feature_name_in_two_views_needs_full_names(drivers: Any) -> None:
    mlops.features.view(
        "driver_stats_b",
        entities=["driver"],
        source="driver_rows",
        features={"trips": "Int64"},
    )
    entity = entity_frame([(1, 3)])
    refs = ["driver_stats:trips", "driver_stats_b:trips"]
    with pytest.raises(Invalid, match="full_names=True"):
        mlops.features.training_set(entity, features=refs)
    df = mlops.features.training_set(entity, features=refs, full_names=True).to_df()
    assert df[["driver_stats__trips", "driver_stats_b__trips"]].iloc[0].tolist() == [20, 20]


def test_retrieval_without_an_entity_frame(drivers: Any) -> None:
    ts = mlops.features.training_set(service="eta", start=at(1), end=at(10))
    df = ts.to_df()
    assert list(zip(df["driver_id"], df["trips"], strict=True)) == [(1, 20), (1, 40), (2, 7)]


def test_a_pinned_source_and_the_versions_used_are_recorded(drivers: Any) -> None:
    entity = entity_frame([(1, 5)])
    first = mlops.features.training_set(entity, service="eta")
    more = pd.concat(
        [
            mlops.datasets.load("driver_rows"),
            pd.DataFrame(
                {"driver_id": [1], "event_timestamp": [at(5)], "trips": [99], "rating": [1.0]}
            ),
        ]
    )
    mlops.datasets.save("driver_rows", more)
    second = mlops.features.training_set(entity, service="eta")
    assert (first.to_df()["trips"][0], second.to_df()["trips"][0]) == (40, 99)
    assert (first.info.views[0].dataset_version, second.info.views[0].dataset_version) == (1, 2)
    mlops.features.view(
        "driver_stats",
        entities=["driver"],
        source="driver_rows@v1",
        features={"trips": "Int64", "rating": "Float64"},
        ttl=timedelta(hours=24),
    )
    pinned = mlops.features.training_set(entity, service="eta")
    assert pinned.to_df()["trips"][0] == 40
    assert pinned.info.views[0].view_version == 2


def test_no_value_is_newer_than_its_row(drivers: Any) -> None:
    rng = np.random.default_rng(1)
    hours = rng.uniform(-60, 20, 200)
    entity = pd.DataFrame(
        {"driver_id": rng.integers(1, 4, 200), "event_timestamp": [at(h) for h in hours]}
    )
    ts = mlops.features.training_set(entity, service="eta")
    rows = mlops.datasets.load("driver_rows")
    for i, row in ts.to_df().iterrows():
        if pd.notna(row["trips"]):
            match = rows[(rows.driver_id == row.driver_id) & (rows.trips == row.trips)]
            assert (match.event_timestamp <= row.event_timestamp).all(), i


def test_a_new_dataset_version_is_read_afresh(drivers: Any) -> None:
    """What a join remembers per object (the keys a view's rows have) never serves a new
    version: a key that appears later turns from no_key into only_later."""
    entity = entity_frame([(5, 1)])
    assert mlops.features.training_set(entity, service="eta").status["driver_stats"][0] == "no_key"
    rows = mlops.datasets.load("driver_rows")
    later = pd.DataFrame(
        {"driver_id": [5], "event_timestamp": [at(3)], "trips": [1], "rating": [2.0]}
    )
    mlops.datasets.save("driver_rows", pd.concat([rows, later], ignore_index=True))
    ts = mlops.features.training_set(entity, service="eta")
    assert ts.status["driver_stats"][0] == "only_later"


def test_a_training_set_is_saved_as_a_dataset_version(drivers: Any) -> None:
    ts = mlops.features.training_set(entity_frame([(1, 3), (99, 1)]), service="eta")
    saved = ts.save("eta_train")
    assert saved.version.version == 1
    assert saved.version.manifest.message == (
        "training set of service eta: driver_stats v1 on driver_rows@v1"
    )
    back = mlops.datasets.load("eta_train")
    pd.testing.assert_frame_equal(back.reset_index(drop=True), ts.to_df().reset_index(drop=True))
