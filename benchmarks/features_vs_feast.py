"""Point-in-time training sets and online lookups: ``mlops.features`` vs Feast 0.67 (its own
virtualenv, ``make feast-env``), on 100,000 entity rows × 1,000,000 feature rows.

The data (``features_data.py``): 100,000 drivers with about ten rows each over the last 30
days (whole-second UTC times, unique per driver), ten Float64 features, a 3-day ttl; the
entity frame's rows ask about the same 30 days and 3 more, 5% of them for drivers without
rows, 3% exactly on a value's time, the ttl after it or a second more. The feature rows are
saved once with ``mlops.datasets.save``; every side reads that same Parquet file. Offline,
in one process and called in turn (medians of wall time after a warm-up; their CPU times
too): ours, ``training_set(entity_df, service=...).to_df()``; the floor, a bare DuckDB
``ASOF LEFT JOIN`` of the entity frame with the file, the ttl as a filter, in the entity
frame's order; ``pd.read_parquet`` + ``pd.merge_asof`` (by driver, backward, tolerance the
ttl). Feast runs in its own process (``feast_side.py``):
``get_historical_features(...).to_df()`` with its default (dask) offline store and with its
DuckDB offline store, each warmed up first. Every result is aligned with Feast's DuckDB
store's by a row id carried in the entity frame and compared value by value (nulls equal,
other values bit-identical); the benchmark fails if ours differs on any row or drops one.
The rows each side returns are counted. The same join runs again on 1,000,000 × 10,000,000
rows for ours, the floor and ``merge_asof``. Online: Feast's ``materialize`` of the view
into its SQLite online store (DuckDB offline store), once, against ours (``materialize``,
the first, full, write); then lookups of the same random drivers, one and a hundred per
call, many calls each, as p99 of ``time.perf_counter``: Feast's
``get_online_features(...).to_dict()``, ours' ``online()`` in the process, and ours' ``POST
/mlops/api/features/online`` to a Jupyter server with the extension on loopback (one
kept-alive connection, requests one after another).
"""

from __future__ import annotations

import cProfile
import http.client
import json
import pstats
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .features_data import (
    FEATURES,
    KEY,
    SPAN_SECONDS,
    TIME,
    TTL,
    TTL_SECONDS,
    compare,
    coverage,
    duckdb_join,
    make_frames,
    pandas_join,
    start_seconds,
)
from .timing import Result, timed
from .workspace import fresh_workspace

ROOT = Path(__file__).resolve().parents[1]
FEAST_VENV = ROOT / ".venv-feast"
ENTITY_ROWS, FEATURE_ROWS = 100_000, 1_000_000
LARGE_ENTITY_ROWS, LARGE_FEATURE_ROWS = 1_000_000, 10_000_000
REPEAT, LARGE_REPEAT = 11, 3
FEAST_REPEAT = {"file": 3, "duckdb": 5}
ONLINE_CALLS = {1: 2000, 100: 300}  # calls per batch size, in the process (Feast's and ours)
REST_CALLS = {1: 1000, 100: 300}
OVERHEAD_TARGET = 1.1  # ours / the bare DuckDB join
MATERIALIZE_TARGET = 10  # × faster than Feast's
ONLINE_BUDGET = {1: 100e-6, 100: 1e-3}  # p99, in the process
REST_BUDGET = 5e-3  # p99, one driver per request
VIEW, SERVICE = "driver_stats", "driver_model"


def feast_python() -> Path:
    """Feast's interpreter, or a clear stop when its virtualenv is not (fully) built."""
    if not (FEAST_VENV / ".installed").exists():
        raise SystemExit(
            f"Feast is not installed: run `make feast-env` first ({FEAST_VENV.name}/.installed "
            "missing); features_vs_feast compares with Feast and does not run without it"
        )
    return FEAST_VENV / "bin" / "python"


def _define(source: str, suffix: str = "") -> None:
    from jupyter_mlops.features import api

    api.entity("driver", join_keys={KEY: "Int64"})
    api.view(
        VIEW + suffix,
        entities=["driver"],
        source=source,
        timestamp_field=TIME,
        features=dict.fromkeys(FEATURES, "Float64"),
        ttl=TTL,
    )
    api.service(SERVICE + suffix, features=[VIEW + suffix])


def _save(name: str, frame: Any) -> str:
    """Save the feature rows as a dataset; the path of its Parquet object."""
    from jupyter_mlops.datasets import api as datasets

    saved = datasets.save(name, frame)
    return str(datasets.store().objects.path(saved.version.manifest.object_id))


def _ours(entity: Any, service: str = SERVICE) -> Any:
    from jupyter_mlops.features import api

    return api.training_set(entity, service=service).to_df()


def _feast(spec: dict[str, Any], work: Path) -> dict[str, Any]:
    """Run ``feast_side.py`` in Feast's virtualenv; its JSON answer."""
    path = work / "feast-spec.json"
    path.write_text(json.dumps(spec))
    done = subprocess.run(
        [str(feast_python()), str(Path(__file__).with_name("feast_side.py")), str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=work,
    )
    if done.returncode:
        raise RuntimeError(f"Feast's side failed:\n{done.stderr[-5000:]}")
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def _profile(entity: Any) -> str:
    """Where ours' time goes: the product's functions taking the most of one call
    (cumulative, under cProfile, so slower than unprofiled)."""
    profiler = cProfile.Profile()
    profiler.runcall(_ours, entity)
    stats = pstats.Stats(profiler)
    rows = []
    for (file, _, func), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "jupyter_mlops" in file and func not in ("training_set", "build", "<lambda>"):
            rows.append((cumulative, f"{Path(file).stem}.{func}"))
    total = max(c for c, _ in rows)
    top = sorted(rows, reverse=True)[:7]
    return f"{total * 1000:.0f} ms in all: " + ", ".join(
        f"{name} {seconds * 1000:.0f} ms" for seconds, name in top
    )


def _checked(label: str, found: dict[str, Any], rows: int) -> str:
    if not (found["differ"] or found["missing"] or found["repeated"]):
        return f"{label}: identical on all {rows:,} rows"
    parts = [f"{found['rows']:,} rows returned"]
    if found["missing"]:
        parts.append(f"{found['missing']:,} rows missing")
    if found["repeated"]:
        parts.append(f"{found['repeated']:,} repeated")
    if found["differ"]:
        parts.append(f"{found['differ']:,} rows with other values ({'; '.join(found['examples'])})")
    return f"{label}: " + ", ".join(parts)


def _interleaved(
    sides: dict[str, Callable[[], Any]], repeat: int, warmup: int = 1
) -> tuple[dict[str, float], dict[str, float]]:
    """Median wall and CPU times (all threads of the process) of each side, all warmed
    up, then called in turn: the CPU times tell a busy machine from a slower join."""
    for fn in sides.values():
        for _ in range(warmup):
            fn()
    wall: dict[str, list[float]] = {name: [] for name in sides}
    cpu: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(repeat):
        for name, fn in sides.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return (
        {name: statistics.median(v) for name, v in wall.items()},
        {name: statistics.median(v) for name, v in cpu.items()},
    )


def _prepare(work: Path, start: int) -> dict[str, Any]:
    """The 100,000 × 1,000,000 data, saved as a dataset and defined as a view; Feast's side
    run on it (its joins, then its materialize and lookups of ``keys``)."""
    import pandas as pd

    entity, features = make_frames(ENTITY_ROWS, FEATURE_ROWS, start)
    source = _save("driver_rows", features)
    entity_path = work / "entity.parquet"
    entity.to_parquet(entity_path)
    wanted = max(ONLINE_CALLS[1], 100 * ONLINE_CALLS[100], REST_CALLS[1], 100 * REST_CALLS[100])
    keys = [int(k) for k in np.random.default_rng(1).integers(0, ENTITY_ROWS, wanted)]
    day = pd.Timedelta(days=1)
    first = pd.Timestamp(start, unit="s", tz="UTC")
    spec = {
        "work": str(work),
        "source": source,
        "entity": str(entity_path),
        "features": FEATURES,
        "key": KEY,
        "time": TIME,
        "ttl_seconds": TTL_SECONDS,
        "repeat": FEAST_REPEAT,
        "materialize_from": (first - day).isoformat(),
        "materialize_to": (first + pd.Timedelta(seconds=SPAN_SECONDS) + day).isoformat(),
        "online_keys": keys,
        "online_calls_1": ONLINE_CALLS[1],
        "online_calls_100": ONLINE_CALLS[100],
    }
    feast = _feast(spec, work)
    return {"entity": entity, "features": features, "source": source, "keys": keys, "feast": feast}


def _offline(data: dict[str, Any], ours: bool = True) -> dict[str, Any]:
    """The joins in this process, called in turn; every result compared with Feast's
    DuckDB store's (Feast's dask store's too)."""
    import duckdb
    import pandas as pd

    entity, source, feast = data["entity"], data["source"], data["feast"]
    connection = duckdb.connect()
    sides = {
        "floor": lambda: duckdb_join(connection, entity, source),
        "pandas": lambda: pandas_join(entity, source),
    }
    if ours:
        sides["ours"] = lambda: _ours(entity)
    seconds, cpu = _interleaved(sides, REPEAT)
    reference = pd.read_parquet(feast["duckdb"]["path"])
    checks = {name: compare(fn(), reference) for name, fn in sides.items()}
    checks["feast_dask"] = compare(pd.read_parquet(feast["file"]["path"]), reference)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "checks": checks,
        "coverage": coverage(entity, data["features"]),
        "profile": _profile(entity) if ours else "",
    }


def _large(start: int) -> dict[str, Any]:
    """The same join on 1,000,000 × 10,000,000 rows: ours, the floor, merge_asof."""
    import duckdb

    entity, features = make_frames(LARGE_ENTITY_ROWS, LARGE_FEATURE_ROWS, start, seed=2)
    source = _save("driver_rows_large", features)
    del features
    _define("driver_rows_large", suffix="_large")
    connection = duckdb.connect()
    sides = {
        "floor": lambda: duckdb_join(connection, entity, source),
        "pandas": lambda: pandas_join(entity, source),
        "ours": lambda: _ours(entity, SERVICE + "_large"),
    }
    seconds, cpu = _interleaved(sides, LARGE_REPEAT)
    check = compare(sides["ours"](), sides["floor"]())
    return {"seconds": seconds, "cpu": cpu, "check": check}


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50": statistics.median(ordered), "p99": ordered[int(0.99 * (len(ordered) - 1))]}


def _batches(keys: list[int], size: int, calls: int) -> list[list[int]]:
    return [keys[i * size : (i + 1) * size] for i in range(calls)]


def _online_ours(keys: list[int]) -> dict[str, Any]:
    """Ours' materialize (the first: a full write), then lookups in the process."""
    from jupyter_mlops.features import api

    seconds, written = timed(lambda: api.materialize(VIEW))
    out: dict[str, Any] = {"materialize": seconds, "written": written[0].rows}
    for size, calls in ONLINE_CALLS.items():
        batches = _batches(keys, size, calls)
        for batch in batches[:20]:
            api.online(SERVICE, {KEY: batch})
        samples = []
        for batch in batches:
            start = time.perf_counter()
            api.online(SERVICE, {KEY: batch})
            samples.append(time.perf_counter() - start)
        out[size] = _percentiles(samples)
    out["answer"] = api.online(SERVICE, {KEY: keys[:100]})
    return out


def _connected(port: int, headers: dict[str, str]) -> http.client.HTTPConnection:
    """A connection to the server on ``port`` once it answers ``/mlops/api/info``."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", "/mlops/api/info", headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return connection
        except OSError:
            pass
        connection.close()
        time.sleep(0.5)
    raise RuntimeError("the Jupyter server did not start")


def _rest(root: Path, keys: list[int]) -> dict[int, dict[str, float]]:
    """``POST /mlops/api/features/online`` to a Jupyter server on loopback."""
    from .runs_api_load import TOKEN, _free_port, _start_server

    port = _free_port()
    server = _start_server(root, port)
    headers = {"Authorization": f"token {TOKEN}", "Content-Type": "application/json"}
    try:
        connection = _connected(port, headers)

        def post(batch: list[int]) -> None:
            body = json.dumps({"service": SERVICE, "entities": {KEY: batch}})
            connection.request("POST", "/mlops/api/features/online", body, headers)
            response = connection.getresponse()
            data = response.read()
            if response.status != 200:
                raise RuntimeError(f"online lookup over REST: {response.status} {data[:500]!r}")
            if len(json.loads(data)["rows"]) != len(batch):
                raise RuntimeError("online lookup over REST: not one row per driver")

        out = {}
        for size, calls in REST_CALLS.items():
            batches = _batches(keys, size, calls)
            for batch in batches[:20]:
                post(batch)
            samples = []
            for batch in batches:
                start = time.perf_counter()
                post(batch)
                samples.append(time.perf_counter() - start)
            out[size] = _percentiles(samples)
        connection.close()
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


def _online_values(answer: Any, feast_values: dict[str, list[Any]]) -> str:
    """Ours' answer for 100 drivers against Feast's online store's: the values of every
    driver ours has within the ttl must be Feast's (Feast answers a driver's last values
    however old; ours says ``expired`` when they are older than the ttl)."""
    statuses = answer.views[VIEW][0]
    present = [i for i, status in enumerate(statuses) if status == "present"]
    if answer.keys[KEY] != feast_values[KEY]:
        raise RuntimeError("online lookups: ours and Feast's answered other drivers")
    differ = [
        i
        for i in present
        if [answer.values[name][i] for name in FEATURES]
        != [feast_values[name][i] for name in FEATURES]
    ]
    if differ:
        raise RuntimeError(
            f"online values differ from Feast's for {len(differ)} of {len(present)} drivers "
            f"within the ttl (driver {answer.keys[KEY][differ[0]]} first)"
        )
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    return (
        f"of 100 drivers: {len(present)} within the ttl, values identical to Feast's online "
        "store's; " + ", ".join(f"{n} {s}" for s, n in counts.items() if s != "present")
    )


def _duration(seconds: float) -> str:
    """A short time for a note: µs below a millisecond, ms below ten seconds."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    return f"{seconds * 1000:.3g} ms" if seconds < 10 else f"{seconds:.1f} s"


def _versus(ours: float, theirs: float) -> str:
    """Ours against another side, as a speed-up or a slow-down."""
    if ours <= theirs:
        return f"ours {theirs / ours:.1f}× faster"
    return f"ours {ours / theirs:.2f}× slower"


def run() -> list[Result]:
    """Measure everything; returns five results (the offline join, materialize, lookups of
    1 and 100 drivers in the process, lookups over REST)."""
    feast_python()  # stop before any work when Feast is not installed
    ws, _ = fresh_workspace("features")
    work = ws.root / "feast"
    work.mkdir()
    start = start_seconds(time.time())
    data = _prepare(work, start)
    _define("driver_rows")
    offline = _offline(data)
    # -- ours online: replace by the measurements below once api.materialize/online exist
    ours_online = _online_ours(data["keys"])
    rest = _rest(ws.root, data["keys"])
    feast = data["feast"]
    del data
    large = _large(start)
    return _results(offline, feast, ours_online, rest, large)


def _results(
    offline: dict[str, Any],
    feast: dict[str, Any],
    online: dict[str, Any],
    rest: dict[int, dict[str, float]],
    large: dict[str, Any],
) -> list[Result]:
    seconds, checks, cov = offline["seconds"], offline["checks"], offline["coverage"]
    cpu, big_cpu = offline["cpu"], large["cpu"]
    ours_check = checks["ours"]
    if ours_check["differ"] or ours_check["missing"] or ours_check["repeated"]:
        raise RuntimeError(_checked("ours differs from Feast's DuckDB store", ours_check, 0))
    dask_s = statistics.median(feast["file"]["seconds"])
    duck_s = statistics.median(feast["duckdb"]["seconds"])
    version = feast["feast"]
    big = large["seconds"]
    big_check = large["check"]
    if big_check["differ"] or big_check["missing"] or big_check["repeated"]:
        raise RuntimeError(_checked("ours differs from the bare join (large)", big_check, 0))
    scale = f"{ENTITY_ROWS:,} entity rows × {FEATURE_ROWS:,} feature rows"
    offline_result = Result(
        name="features_vs_feast",
        ours=f"training_set(entity_df, service=…).to_df(), {scale} (10 Float64, ttl 3 days)",
        ours_seconds=seconds["ours"],
        baseline="a bare DuckDB ASOF LEFT JOIN of the same Parquet file, the ttl as a filter",
        baseline_seconds=seconds["floor"],
        target=f"≤ {OVERHEAD_TARGET}×",
        kind="overhead",
        limit=OVERHEAD_TARGET,
        notes=(
            f"ours' values identical to Feast's DuckDB offline store on all {ENTITY_ROWS:,} "
            "rows (checked row by row)"
        ),
        details={
            f"Feast {version}, default (dask) offline store": (
                f"{dask_s:.2f} s, {feast['file']['rows']:,} of {ENTITY_ROWS:,} rows returned; "
                + _versus(seconds["ours"], dask_s)
            ),
            f"Feast {version}, DuckDB offline store": (
                f"{duck_s:.2f} s, {feast['duckdb']['rows']:,} rows returned; "
                + _versus(seconds["ours"], duck_s)
            ),
            "pd.read_parquet + pd.merge_asof (by driver, backward, tolerance the ttl)": (
                f"{seconds['pandas']:.2f} s; {_versus(seconds['ours'], seconds['pandas'])}"
            ),
            "values against Feast's DuckDB store": "; ".join(
                _checked(label, checks[side], ENTITY_ROWS)
                for side, label in (
                    ("ours", "ours"),
                    ("floor", "the bare DuckDB join"),
                    ("pandas", "merge_asof"),
                    ("feast_dask", "Feast's dask store"),
                )
            ),
            "entity rows matched / no key / only later values / expired": (
                f"{cov['matched']:,} / {cov['no_key']:,} / {cov['only_later']:,} / "
                f"{cov['expired']:,} (Feast's dask store drops the last two kinds)"
            ),
            f"at {LARGE_ENTITY_ROWS:,} × {LARGE_FEATURE_ROWS:,} rows, ours / bare DuckDB / "
            "merge_asof": (
                f"{big['ours']:.2f} s / {big['floor']:.2f} s / {big['pandas']:.2f} s: "
                f"{big['ours'] / big['floor']:.2f}× the bare join (CPU time "
                f"{big_cpu['ours'] / big_cpu['floor']:.2f}×); values identical to it on all "
                f"{LARGE_ENTITY_ROWS:,} rows"
            ),
            "CPU time (all threads), median, ours / bare DuckDB / merge_asof": (
                f"{cpu['ours']:.2f} s / {cpu['floor']:.2f} s / {cpu['pandas']:.2f} s: "
                f"{cpu['ours'] / cpu['floor']:.2f}× the bare join's"
            ),
            "profile of one training_set (cProfile)": offline["profile"],
        },
    )
    feast_online = feast["online"]
    materialize = Result(
        name="features_materialize",
        ours=f"materialize('{VIEW}'): the latest values of {ENTITY_ROWS:,} drivers, online",
        ours_seconds=online["materialize"],
        baseline=f"Feast {version} materialize into its SQLite online store (DuckDB offline)",
        baseline_seconds=feast["materialize_seconds"],
        target=f"≥ {MATERIALIZE_TARGET}× faster",
        kind="speed-up",
        limit=MATERIALIZE_TARGET,
        notes="each side's first materialization of the view, timed once",
        details={
            "drivers written, ours / Feast": (
                f"{online['written']:,} / {feast['materialized_entities']:,} (ours writes a "
                "driver's latest values only when within the ttl at the time of writing; "
                "Feast writes every driver's latest, however old)"
            )
        },
    )
    lookups = []
    for size, name in ((1, "features_online"), (100, "features_online_100")):
        drivers = "1 driver" if size == 1 else f"{size} drivers"
        lookups.append(
            Result(
                name=name,
                ours=f"online('{SERVICE}', {drivers}) p99 in the process",
                ours_seconds=online[size]["p99"],
                baseline="the budget of an online lookup (issue), not a measured call",
                baseline_seconds=ONLINE_BUDGET[size],
                target=f"≤ {_duration(ONLINE_BUDGET[size])}",
                kind="overhead",
                limit=1.0,
                notes=f"{ONLINE_CALLS[size]:,} calls of random drivers after 20 warm-up calls",
                details={
                    "ours p50": _duration(online[size]["p50"]),
                    f"Feast {version} get_online_features(...).to_dict(), SQLite, p50 / p99": (
                        f"{_duration(feast_online[str(size)]['p50'])} / "
                        f"{_duration(feast_online[str(size)]['p99'])}"
                    ),
                    **(
                        {"values": _online_values(online["answer"], feast_online["values"])}
                        if size == 100
                        else {}
                    ),
                },
            )
        )
    rest_result = Result(
        name="features_online_rest",
        ours="POST /mlops/api/features/online, 1 driver, p99 on loopback",
        ours_seconds=rest[1]["p99"],
        baseline="the budget of an online lookup over REST (issue), not a measured call",
        baseline_seconds=REST_BUDGET,
        target=f"≤ {_duration(REST_BUDGET)}",
        kind="overhead",
        limit=1.0,
        notes=(
            f"{REST_CALLS[1]:,} requests one after another on one kept-alive connection to a "
            "Jupyter server with the extension (token authentication)"
        ),
        details={
            "1 driver, p50": _duration(rest[1]["p50"]),
            "100 drivers, p50 / p99": (
                f"{_duration(rest[100]['p50'])} / {_duration(rest[100]['p99'])}"
            ),
        },
    )
    return [offline_result, materialize, *lookups, rest_result]


def baselines() -> dict[str, Any]:
    """Feast's side and the two baselines alone, no call of ``mlops.features``:
    ``python -m benchmarks.features_vs_feast`` prints them."""
    feast_python()
    ws, _ = fresh_workspace("features")
    work = ws.root / "feast"
    work.mkdir()
    data = _prepare(work, start_seconds(time.time()))
    data["feast"]["online"].pop("values")
    return {**_offline(data, ours=False), "feast": data["feast"]}


if __name__ == "__main__":
    print(json.dumps(baselines(), indent=2, default=str))
