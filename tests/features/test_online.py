"""The online store: materialize, then look up a batch of entities; the ttl honoured at
read time; a killed materialization leaves the previous one; readers never see a mix.

Run on the embedded SQLite store and on a real PostgreSQL server (``make test-py`` starts
one; ``JUPYTER_MLOPS_TEST_POSTGRES_URL``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

import jupyter_mlops as mlops
from jupyter_mlops.errors import Invalid
from jupyter_mlops.workspace import Workspace

from ..state_db import KINDS, POSTGRES_ENV
from .builders import define_drivers


@pytest.fixture(params=KINDS)
def online_kind(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, mlops_root: Path
) -> str:
    """The online store on SQLite (the default) or in a fresh PostgreSQL schema."""
    if request.param == "postgresql":
        url = os.environ.get(POSTGRES_ENV)
        if not url:
            pytest.skip(f"{POSTGRES_ENV} is not set")
        schema = f"online_{uuid.uuid4().hex[:12]}"
        import psycopg

        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in plain else "?"
        monkeypatch.setenv(
            "JUPYTER_MLOPS_ONLINE_STORE_URL", f"{plain}{sep}options=-csearch_path%3D{schema}"
        )
    return str(request.param)


def recent_rows(n: int, value: float, age_s: float = 60.0) -> pd.DataFrame:
    now = pd.Timestamp.now(tz="UTC")
    return pd.DataFrame(
        {
            "driver_id": list(range(n)),
            "event_timestamp": [now - pd.Timedelta(seconds=age_s)] * n,
            "trips": [int(value)] * n,
            "rating": [value] * n,
        }
    )


def define(ttl: timedelta = timedelta(hours=1)) -> None:
    define_drivers(ttl=ttl)


def test_materialize_then_look_up_a_batch(online_kind: str, mlops_workspace: Workspace) -> None:
    mlops.datasets.save("driver_rows", recent_rows(5, 2.0))
    define()
    (done,) = mlops.features.materialize("driver_stats")
    assert (done.status, done.rows, done.dataset_version) == ("done", 5, 1)
    found = mlops.features.online("eta", {"driver_id": [3, 99, 0]})
    df = found.to_df()
    assert df["driver_id"].tolist() == [3, 99, 0]
    assert df["rating"].tolist()[0] == 2.0 and df["rating"].tolist()[2] == 2.0
    assert pd.isna(df["rating"].tolist()[1])
    assert df["driver_stats__status"].tolist() == ["present", "missing", "present"]
    assert 50 < df["driver_stats__age_s"][0] < 600
    row = found.model().rows[0]
    assert row.views[0].status == "present" and row.values["trips"] == 2


def test_reads_honour_the_ttl(online_kind: str, mlops_workspace: Workspace) -> None:
    mlops.datasets.save("driver_rows", recent_rows(2, 1.0, age_s=0.2))
    define(ttl=timedelta(seconds=2))
    mlops.features.materialize("driver_stats")
    assert (
        mlops.features.online("eta", {"driver_id": [0]}).to_df()["driver_stats__status"][0]
        == "present"
    )
    time.sleep(2.2)
    late = mlops.features.online("eta", {"driver_id": [0]}).to_df()
    assert late["driver_stats__status"][0] == "expired"
    assert pd.isna(late["rating"][0])


def test_values_past_the_ttl_are_not_materialized(
    online_kind: str, mlops_workspace: Workspace
) -> None:
    mlops.datasets.save("driver_rows", recent_rows(3, 1.0, age_s=7200))
    define(ttl=timedelta(hours=1))
    (done,) = mlops.features.materialize("driver_stats")
    assert done.rows == 0
    assert (
        mlops.features.online("eta", {"driver_id": [0]}).to_df()["driver_stats__status"][0]
        == "missing"
    )


def test_incremental_reads_events_after_the_watermark(
    online_kind: str, mlops_workspace: Workspace
) -> None:
    base = recent_rows(3, 1.0, age_s=120)
    mlops.datasets.save("driver_rows", base)
    define()
    mlops.features.materialize("driver_stats")
    newer = recent_rows(1, 7.0, age_s=10)
    newer["driver_id"] = [1]
    mlops.datasets.save("driver_rows", pd.concat([base, newer]))
    (done,) = mlops.features.materialize("driver_stats", incremental=True)
    assert (done.mode, done.rows) == ("incremental", 1)
    values = mlops.features.online("eta", {"driver_id": [0, 1]}).to_df()["rating"].tolist()
    assert values == [1.0, 7.0]
    assert mlops.features.store().materializations("driver_stats")[0].watermark is not None


def test_an_online_false_view_or_bad_keys_are_refused(
    online_kind: str, mlops_workspace: Workspace
) -> None:
    mlops.datasets.save("driver_rows", recent_rows(2, 1.0))
    define()
    mlops.features.materialize("driver_stats")
    with pytest.raises(Invalid, match="'driver_id' is Int64"):
        mlops.features.online("eta", {"driver_id": ["1"]})
    with pytest.raises(Invalid, match="missing \\['driver_id'\\]"):
        mlops.features.online("eta", {"driver": [1]})


KILLED = """
import os, sys, time
import jupyter_mlops as mlops
from jupyter_mlops.features.online_store import TableMeta
online = mlops.features.api.online_store()
view = mlops.features.get_view("driver_stats")
def rows():
    for i in range({n}):
        if i == {n} // 2:
            open({flag!r}, "w").close()  # halfway: the parent kills us now
            time.sleep(60)
        yield (i, time.time_ns(), 9, 9.0)
meta = TableMeta("driver_stats", view.version, "", [("driver_id", "Int64")],
                 [("trips", "Int64"), ("rating", "Float64")], 3600 * 10**9, None, time.time_ns())
online.replace(meta, rows())
"""


def test_a_killed_materialization_leaves_the_previous_one(
    online_kind: str, mlops_workspace: Workspace, tmp_path: Path
) -> None:
    mlops.datasets.save("driver_rows", recent_rows(50, 1.0))
    define()
    mlops.features.materialize("driver_stats")
    flag = tmp_path / "halfway"
    script = KILLED.format(n=50, flag=str(flag))
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], env=os.environ.copy())
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert child.poll() is None and time.monotonic() < deadline, "the writer never started"
            time.sleep(0.05)
        during = mlops.features.online("eta", {"driver_id": list(range(50))}).to_df()
        assert set(during["rating"]) == {1.0}  # the writer's rows are not visible
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    after = mlops.features.online("eta", {"driver_id": list(range(50))}).to_df()
    assert set(after["rating"]) == {1.0}
    assert set(after["driver_stats__status"]) == {"present"}
    mlops.datasets.save("driver_rows", recent_rows(50, 3.0))
    (rerun,) = mlops.features.materialize("driver_stats")
    assert rerun.status == "done"
    assert set(mlops.features.online("eta", {"driver_id": list(range(50))}).to_df()["rating"]) == {
        3.0
    }


def test_readers_see_the_old_or_the_new_values_never_a_mix(
    online_kind: str, mlops_workspace: Workspace
) -> None:
    n = 2000
    mlops.datasets.save("driver_rows", recent_rows(n, 1.0))
    define()
    mlops.features.materialize("driver_stats")
    seen: list[set[float]] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def read() -> None:
        try:
            while not stop.is_set():
                values = mlops.features.online("eta", {"driver_id": list(range(0, n, 7))}).to_dict()
                seen.append(set(values["rating"]))
        except BaseException as exc:  # reported below
            failures.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for value in (2.0, 3.0, 4.0):
            mlops.datasets.save("driver_rows", recent_rows(n, value))
            mlops.features.materialize("driver_stats")
    finally:
        stop.set()
        reader.join(timeout=60)
    assert not failures, failures
    assert seen and all(len(values) == 1 for values in seen)
    assert {v for values in seen for v in values} <= {1.0, 2.0, 3.0, 4.0}


def test_values_come_back_in_their_feature_s_type(
    online_kind: str, mlops_workspace: Workspace
) -> None:
    rows = recent_rows(2, 1.0)
    rows["vip"] = [True, False]
    rows["joined"] = [pd.Timestamp("2025-06-01T12:00:00Z")] * 2
    mlops.datasets.save("driver_rows", rows)
    mlops.features.entity("driver", {"driver_id": "Int64"})
    mlops.features.view(
        "typed",
        entities=["driver"],
        source="driver_rows",
        features={"trips": "Int64", "vip": "Bool", "joined": "UnixTimestamp"},
        ttl=timedelta(hours=1),
    )
    mlops.features.materialize("typed")
    found = mlops.features.online(view="typed", entities={"driver_id": [0, 1, 5]})
    values = found.to_dict()
    assert values["vip"] == [True, False, None]
    assert values["joined"][0] == pd.Timestamp("2025-06-01T12:00:00Z").to_pydatetime()
    assert str(found.to_df()["trips"].dtype) == "Int64"
    assert found.model().rows[0].values["joined"] == "2025-06-01T12:00:00+00:00"
    from jupyter_mlops.datasets.api import store as datasets
    from jupyter_mlops.features.queries import view_detail
    from jupyter_mlops.tracking.store import use_workspace

    client = use_workspace(mlops_workspace)
    detail = view_detail(mlops.features.store(), datasets(), client, "typed")
    bins = {f.name: len(f.histogram) for f in detail.features}
    assert bins == {"trips": 20, "vip": 0, "joined": 0}


def test_a_service_over_two_entities_reads_each_view_s_own_keys(
    online_kind: str, mlops_workspace: Workspace
) -> None:
    mlops.datasets.save("driver_rows", recent_rows(3, 2.0))
    define_drivers()
    now = pd.Timestamp.now(tz="UTC")
    riders = pd.DataFrame({"rider_id": ["a", "b"], "event_timestamp": [now] * 2, "rides": [5, 9]})
    mlops.datasets.save("rider_rows", riders)
    mlops.features.entity("rider", {"rider_id": "String"})
    mlops.features.view(
        "rider_stats", entities=["rider"], source="rider_rows", features={"rides": "Int64"}
    )
    mlops.features.service("match", ["driver_stats:rating", "rider_stats"])
    mlops.features.materialize(service="match")
    found = mlops.features.online(
        "match", {"driver_id": [0, 2, 9], "rider_id": ["b", "zz", "a"]}
    ).to_dict()
    assert found["rating"] == [2.0, 2.0, None]
    assert found["rides"] == [9, None, 5]
    with pytest.raises(Invalid, match="missing \\['rider_id'\\]"):
        mlops.features.online("match", {"driver_id": [0]})
