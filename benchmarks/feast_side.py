"""Feast's side of ``features_vs_feast``, run by Feast's own virtualenv (``make feast-env``):
``.venv-feast/bin/python benchmarks/feast_side.py SPEC.json`` prints one JSON line.

Self-contained (Feast cannot be imported in the product's virtualenv, nor the product
here). For each offline store, its default (``file``: dask) and DuckDB, a repository is
applied in a folder of its own: the ``driver`` entity and the ``driver_stats`` view of ten
Float64 features with a 3-day ttl, over a ``FileSource`` on the benchmark's Parquet file
(an object of the dataset store, whose name has no ``.parquet``: the format is given).
Each store's ``get_historical_features(entity_df, features).to_df()`` is warmed up on the
first 1,000 entity rows, then timed; the last result is written to Parquet for the caller
to compare. The DuckDB repository's ``materialize`` into its SQLite online store is timed
once, then ``get_online_features`` for 1 and for 100 drivers, many times each.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from feast import Entity, FeatureStore, FeatureView, Field, FileSource, ValueType
from feast.data_format import ParquetFormat
from feast.repo_config import RepoConfig
from feast.types import Float64, Int64


def _store(folder: Path, offline: str, source_path: str, spec: dict[str, Any]) -> FeatureStore:
    folder.mkdir(parents=True, exist_ok=True)
    config = RepoConfig(
        project="bench",
        provider="local",
        registry=str(folder / "registry.db"),
        offline_store={"type": offline},
        online_store={"type": "sqlite", "path": str(folder / "online.db")},
        entity_key_serialization_version=3,
        repo_path=folder,
    )
    store = FeatureStore(config=config)
    driver = Entity(name="driver", join_keys=[spec["key"]], value_type=ValueType.INT64)
    view = FeatureView(
        name="driver_stats",
        entities=[driver],
        ttl=timedelta(seconds=spec["ttl_seconds"]),
        schema=[Field(name=spec["key"], dtype=Int64)]
        + [Field(name=name, dtype=Float64) for name in spec["features"]],
        source=FileSource(
            path=source_path, file_format=ParquetFormat(), timestamp_field=spec["time"]
        ),
        online=True,
    )
    store.apply([driver, view])
    return store


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[int(q * (len(ordered) - 1))]


def _historical(store: FeatureStore, entity: Any, refs: list[str], repeat: int) -> Any:
    store.get_historical_features(entity_df=entity.head(1000), features=refs).to_df()
    seconds, frame = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        frame = store.get_historical_features(entity_df=entity, features=refs).to_df()
        seconds.append(time.perf_counter() - start)
    return seconds, frame


def _online(store: FeatureStore, refs: list[str], spec: dict[str, Any]) -> dict[str, Any]:
    key = spec["key"]
    keys = spec["online_keys"]
    out: dict[str, Any] = {}
    for size, calls in ((1, spec["online_calls_1"]), (100, spec["online_calls_100"])):
        rows = [[{key: k} for k in keys[i * size : (i + 1) * size]] for i in range(calls)]
        for batch in rows[:20]:  # warm-up
            store.get_online_features(features=refs, entity_rows=batch).to_dict()
        samples = []
        for batch in rows:
            start = time.perf_counter()
            store.get_online_features(features=refs, entity_rows=batch).to_dict()
            samples.append(time.perf_counter() - start)
        out[str(size)] = {
            "p50": statistics.median(samples),
            "p99": _p(samples, 0.99),
            "calls": calls,
        }
    sample = keys[:100]
    answer = store.get_online_features(
        features=refs, entity_rows=[{key: k} for k in sample]
    ).to_dict()
    out["values"] = {name: answer[name] for name in (key, *spec["features"])}
    return out


def main(spec_path: str) -> dict[str, Any]:
    import feast

    spec = json.loads(Path(spec_path).read_text())
    work = Path(spec["work"])
    entity = pd.read_parquet(spec["entity"])
    refs = [f"driver_stats:{name}" for name in spec["features"]]
    result: dict[str, Any] = {"feast": feast.__version__}
    stores = {}
    for offline in ("file", "duckdb"):
        stores[offline] = store = _store(work / offline, offline, spec["source"], spec)
        seconds, frame = _historical(store, entity, refs, spec["repeat"][offline])
        out = work / f"{offline}-result.parquet"
        frame.to_parquet(out)
        result[offline] = {"seconds": seconds, "rows": len(frame), "path": str(out)}
    store = stores["duckdb"]
    start = time.perf_counter()
    store.materialize(
        start_date=pd.Timestamp(spec["materialize_from"]).to_pydatetime(),
        end_date=pd.Timestamp(spec["materialize_to"]).to_pydatetime(),
    )
    result["materialize_seconds"] = time.perf_counter() - start
    with sqlite3.connect(work / "duckdb" / "online.db") as online:
        (table,) = [
            name
            for (name,) in online.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name.endswith("driver_stats")
        ]
        (written,) = online.execute(f'SELECT COUNT(DISTINCT entity_key) FROM "{table}"').fetchone()
    result["materialized_entities"] = written
    result["online"] = _online(store, refs, spec)
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
