"""The features REST routes through a real server, state DB, object store, online store
and MLflow store: define, read the catalog and a view's detail, materialize, look up;
bad input is a 4xx naming what is wrong, never a 500."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import jupyter_mlops as mlops
from tests.features.test_online import recent_rows
from tests.helpers import api

pytestmark = pytest.mark.usefixtures("mlops_workspace")


async def define_over_rest(jp_fetch: Any) -> None:
    mlops.datasets.save("driver_rows", recent_rows(4, 2.0))
    code, entity = await api(
        jp_fetch,
        "features",
        "entities",
        method="POST",
        body={"name": "driver", "join_keys": [{"name": "driver_id", "dtype": "Int64"}]},
    )
    assert code == 200 and entity["version"] == 1 and entity["author_source"] == "authenticated"
    view = {
        "name": "driver_stats",
        "entities": ["driver"],
        "source": "driver_rows",
        "timestamp_field": "event_timestamp",
        "ttl_seconds": 3600,
        "features": [{"name": "trips", "dtype": "Int64"}, {"name": "rating", "dtype": "Float64"}],
        "description": "Trips and rating per driver",
    }
    code, body = await api(jp_fetch, "features", "views", method="POST", body=view)
    assert code == 200 and body["version"] == 1, body
    code, body = await api(jp_fetch, "features", "views", method="POST", body=view)
    assert body["version"] == 1  # unchanged: the same version
    code, body = await api(
        jp_fetch,
        "features",
        "services",
        method="POST",
        body={"name": "eta", "features": ["driver_stats"]},
    )
    assert code == 200, body


async def test_define_read_materialize_and_look_up(jp_fetch: Any) -> None:
    await define_over_rest(jp_fetch)
    entity = pd.DataFrame({"driver_id": [1], "event_timestamp": [pd.Timestamp.now(tz="UTC")]})
    with mlops.track(experiment="eta") as run:
        mlops.features.training_set(entity, service="eta")

    code, catalog = await api(jp_fetch, "features", params={"search": "driv"})
    assert code == 200
    assert [e["name"] for e in catalog["entities"]] == ["driver"]
    assert [v["view"]["name"] for v in catalog["views"]] == ["driver_stats"]
    assert catalog["services"] == []  # "eta" does not contain "driv"

    code, done = await api(
        jp_fetch, "features", "materialize", method="POST", body={"view": "driver_stats"}
    )
    assert code == 200 and done["materializations"][0]["rows"] == 4

    code, detail = await api(jp_fetch, "features", "views", "driver_stats")
    assert code == 200
    assert (detail["dataset"], detail["dataset_version"], detail["rows"]) == ("driver_rows", 1, 4)
    trips = detail["features"][0]
    assert (trips["name"], trips["dtype"], trips["null_share"]) == ("trips", "Int64", 0.0)
    assert sum(trips["histogram"]) == 4
    assert detail["freshness"]["fresh"] is True and detail["freshness"]["ttl_seconds"] == 3600
    assert detail["materializations"][0]["status"] == "done"
    assert [u["run_id"] for u in detail["used_by"]] == [run.run_id]

    code, rows = await api(
        jp_fetch, "features", "views", "driver_stats", "rows", params={"limit": "2"}
    )
    assert rows["columns"] == ["driver_id", "event_timestamp", "trips", "rating"]
    assert len(rows["rows"]) == 2

    code, service = await api(jp_fetch, "features", "services", "eta")
    assert code == 200 and service["used_by"][0]["service"] == "eta"

    code, found = await api(
        jp_fetch,
        "features",
        "online",
        method="POST",
        body={"service": "eta", "entities": {"driver_id": [2, 42]}},
    )
    assert code == 200
    assert found["features"] == ["trips", "rating"]
    assert [r["views"][0]["status"] for r in found["rows"]] == ["present", "missing"]
    assert found["rows"][0]["values"] == {"trips": 2, "rating": 2.0}
    assert found["rows"][0]["key"] == {"driver_id": 2}


@pytest.mark.parametrize(
    ("parts", "method", "body", "code", "message"),
    [
        (("features", "views", "nope"), "GET", None, 404, "feature view 'nope' is not defined"),
        (("features", "services", "nope"), "GET", None, 404, "feature service 'nope'"),
        (("features", "views", "bad-name"), "GET", None, 400, "view name 'bad-name' is not valid"),
        (
            ("features", "online"),
            "POST",
            {"service": "eta", "entities": {"driver_id": ["x"]}},
            400,
            "is Int64",
        ),
        (
            ("features", "online"),
            "POST",
            {"entities": {"driver_id": [1]}},
            400,
            "exactly one of service or view",
        ),
        (("features", "online"), "POST", {"service": "eta", "entities": {}}, 400, "entities"),
        (("features", "materialize"), "POST", {"view": "nope"}, 404, "feature view 'nope'"),
        (
            ("features", "views"),
            "POST",
            {
                "name": "v",
                "entities": ["driver"],
                "source": "driver_rows",
                "timestamp_field": "event_timestamp",
                "features": [{"name": "speed", "dtype": "Float64"}],
            },
            400,
            "feature 'speed' is missing",
        ),
        (
            ("features", "views"),
            "POST",
            {
                "name": "v",
                "entities": ["nobody"],
                "source": "driver_rows",
                "timestamp_field": "event_timestamp",
                "features": [{"name": "trips", "dtype": "Int64"}],
            },
            404,
            "entity 'nobody' is not defined",
        ),
        (
            ("features", "services"),
            "POST",
            {"name": "s", "features": ["driver_stats:speed"]},
            404,
            "no feature 'speed'",
        ),
        (
            ("features", "entities"),
            "POST",
            {"name": "1x", "join_keys": [{"name": "k", "dtype": "Int64"}]},
            400,
            "entity name",
        ),
    ],
)
async def test_bad_input_is_a_4xx_naming_it(
    jp_fetch: Any, parts: tuple[str, ...], method: str, body: Any, code: int, message: str
) -> None:
    await define_over_rest(jp_fetch)
    got, error = await api(jp_fetch, *parts, method=method, body=body)
    assert got == code, error
    assert message in error["message"], error
