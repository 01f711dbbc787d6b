"""The Feast export, checked by Feast itself.

Feast lives in its own virtualenv (``make feast-env``, a step of ``make test``); these
tests run its CLI and Python in a subprocess: ``feast apply`` accepts the generated
repository, its registry holds what we declared, and ``get_historical_features`` on its
DuckDB offline store returns, row for row, the point-in-time join of
:func:`expected_join` (a pandas ``merge_asof`` reference: by key, backward, within the
ttl, ties of event time broken by the newest created timestamp); and our own
``training_set`` over the same rows in a workspace returns Feast's values on every row.
"""

from __future__ import annotations

import ast
import json
import math
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from jupyter_mlops.errors import Invalid
from jupyter_mlops.features.feast_export import (
    MODULE_FILE,
    YAML_FILE,
    FeastExport,
    export_feast,
    redis_connection,
)
from jupyter_mlops.features.models import (
    Entity,
    FeatureService,
    FeatureView,
    FieldSpec,
    parse_ref,
)

FEAST_VENV = Path(__file__).resolve().parents[2] / ".venv-feast"
# Text that would break generated code pasted raw.
HOSTILE = "x'); import os; os.remove('/') #\n\"\"\"{{ run_id }}\\ é"
T0 = datetime(2024, 3, 1, tzinfo=UTC)
TTL = timedelta(hours=2)

# Dumps the registry after `feast apply`, as JSON.
REGISTRY = """
import json, sys
from feast import FeatureStore

store = FeatureStore(repo_path=sys.argv[1])
print(json.dumps({
    "entities": {
        e.name: {"join_key": e.join_key, "value_type": e.value_type.name,
                 "description": e.description, "tags": e.tags}
        for e in store.list_entities()
    },
    "views": {
        v.name: {
            "entities": sorted(v.entities),
            "ttl": v.ttl.total_seconds(),
            "online": v.online,
            "features": {f.name: str(f.dtype) for f in v.features},
            "keys": {f.name: str(f.dtype) for f in v.entity_columns},
            "path": v.batch_source.path,
            "timestamp_field": v.batch_source.timestamp_field,
            "created": v.batch_source.created_timestamp_column,
            "description": v.description,
            "tags": v.tags,
        }
        for v in store.list_feature_views()
    },
    "services": {
        s.name: {p.name: [f.name for f in p.features] for p in s.feature_view_projections}
        for s in store.list_feature_services()
    },
}))
"""

# Point-in-time join of an entity frame (Parquet) with a service, written as Parquet.
HISTORICAL = """
import sys
import pandas as pd
from feast import FeatureStore

store = FeatureStore(repo_path=sys.argv[1])
entity_df = pd.read_parquet(sys.argv[2])
job = store.get_historical_features(
    entity_df=entity_df,
    features=store.get_feature_service(sys.argv[3]),
    full_feature_names=True,
)
job.to_df().to_parquet(sys.argv[4])
"""

# Loads a feature_store.yaml as Feast does (no connection is made), as JSON.
CONFIG = """
import json, sys
from pathlib import Path
from feast.repo_config import load_repo_config

config = load_repo_config(Path(sys.argv[1]), Path(sys.argv[1]) / "feature_store.yaml")
online = config.online_store
print(json.dumps({
    "project": config.project,
    "offline": config.offline_store.type,
    "online": online.type,
    "connection_string": getattr(online, "connection_string", None),
}))
"""


def feast(tmp_path: Path, *args: str, cwd: Path | None = None) -> dict[str, Any]:
    """Run a program of Feast's virtualenv (``python -c SCRIPT ARGS`` or ``feast ...``);
    its last line, when JSON, is returned."""
    python = FEAST_VENV / "bin" / "python"
    if not python.exists():
        pytest.fail(
            f"Feast's virtualenv {FEAST_VENV.name} is missing: run `make feast-env` "
            "(make test does) to check the Feast export with Feast itself"
        )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "VIRTUAL"))}
    clean |= {
        "PATH": f"{python.parent}{os.pathsep}{clean.get('PATH', '')}",
        "HOME": str(tmp_path / "home"),
        "FEAST_USAGE": "False",
    }
    program = [str(python), *args] if args[0] == "-c" else [str(python.parent / args[0]), *args[1:]]
    done = subprocess.run(
        program, cwd=cwd or tmp_path, env=clean, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-4000:])
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "{}"
    return dict(json.loads(last)) if last.startswith("{") else {}


# -- definitions and their data --------------------------------------------------------------
def versioned() -> dict[str, Any]:
    return {"version": 1, "created_at": T0.replace(tzinfo=None), "author": "alice"}


def definitions() -> tuple[list[Entity], list[FeatureView], list[FeatureService]]:
    """A trip (two join keys of different types) and a rider; a view of each, one with a
    ttl and a created-timestamp column; a service of one feature and one whole view."""
    trip = Entity(
        name="trip",
        join_keys=[
            FieldSpec(name="driver_id", dtype="Int64"),
            FieldSpec(name="city", dtype="String"),
        ],
        description=HOSTILE,
        tags={"team": HOSTILE},
        **versioned(),
    )
    rider = Entity(
        name="rider", join_keys=[FieldSpec(name="rider_id", dtype="Int64")], **versioned()
    )
    driver_stats = FeatureView(
        name="driver_stats",
        entities=["trip"],
        source="driver_rows@v1",
        timestamp_field="event_ts",
        created_timestamp_column="created_ts",
        ttl_seconds=int(TTL.total_seconds()),
        features=[
            FieldSpec(name="conv_rate", dtype="Float64"),
            FieldSpec(name="trips", dtype="Int64"),
        ],
        description=HOSTILE,
        **versioned(),
    )
    rider_stats = FeatureView(
        name="rider_stats",
        entities=["rider"],
        source="rider_rows",
        timestamp_field="ts",
        features=[
            FieldSpec(name="rating", dtype="Float32"),
            FieldSpec(name="vip", dtype="Bool"),
            FieldSpec(name="tier", dtype="String"),
        ],
        online=False,
        **versioned(),
    )
    ranking = FeatureService(
        name="ranking", features=["driver_stats:conv_rate", "rider_stats"], **versioned()
    )
    return [trip, rider], [driver_stats, rider_stats], [ranking]


def at(hours: float, seconds: int = 0) -> pd.Timestamp:
    return pd.Timestamp(T0 + timedelta(hours=hours, seconds=seconds))


def driver_rows() -> pd.DataFrame:
    """Two rows of (1, paris) share an event time: the later created one wins."""
    rows = [
        (1, "paris", at(10), at(10), 0.1, 1),
        (1, "paris", at(11), at(11, 300), 0.2, 2),
        (1, "paris", at(11), at(11, 600), 0.3, 3),
        (1, "lyon", at(9), at(9), 0.5, 5),
        (2, "paris", at(12), at(12), 0.7, 7),
    ]
    columns = ["driver_id", "city", "event_ts", "created_ts", "conv_rate", "trips"]
    return pd.DataFrame(rows, columns=columns)


def rider_rows() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "rider_id": [7, 7, 8],
            "ts": [at(-24 * 365), at(10), at(20)],  # a year-old value: no ttl, still joined
            "rating": [4.5, 3.25, 5.0],
            "vip": [True, False, True],
            "tier": ["gold", "silver", "bronze"],
        }
    )
    return frame.astype({"rating": "float32"})


def entity_rows() -> pd.DataFrame:
    rows = [  # row, driver, city, rider, time: what driver_stats answers
        (0, 1, "paris", 7, at(11, 1800)),  # the created-timestamp tie: 0.3
        (1, 1, "paris", 7, at(13)),  # exactly the ttl old: still joined
        (2, 1, "paris", 8, at(13, 1)),  # a second past the ttl: expired
        (3, 1, "paris", 8, at(9, 3540)),  # only later values
        (4, 1, "lyon", 7, at(10)),
        (5, 2, "paris", 7, at(12)),  # the value's own time: joined
        (6, 2, "lyon", 9, at(12)),  # no such key
        (7, 1, "paris", 7, at(9)),  # rider 7's year-old value
    ]
    columns = ["row", "driver_id", "city", "rider_id", "event_timestamp"]
    return pd.DataFrame(rows, columns=columns)


def write_source(root: Path, name: str, frame: pd.DataFrame) -> Path:
    """A read-only Parquet file named like an object of the store (no extension)."""
    path = root / "objects" / name[:2] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False)
    path.chmod(0o444)
    return path


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, dict[str, pd.DataFrame], FeastExport]:
    entities, views, services = definitions()
    frames = {"driver_stats": driver_rows(), "rider_stats": rider_rows()}
    paths = {
        name: write_source(tmp_path, f"{name}0123abcd", frame) for name, frame in frames.items()
    }
    spec = FeastExport(entities, [(v, paths[v.name]) for v in views], services)
    repo = tmp_path / "feast_repo"
    written = export_feast(spec, repo)
    assert written == [repo / YAML_FILE, repo / MODULE_FILE]
    return repo, frames, spec


# -- the reference point-in-time join ---------------------------------------------------------
def expected_join(
    entity_df: pd.DataFrame, spec: FeastExport, frames: dict[str, pd.DataFrame], service: str
) -> pd.DataFrame:
    """What a service's point-in-time join must return for ``entity_df`` (columns
    ``view__feature``): per view, the newest row at or before each entity row's time with
    the same keys (ties: newest created timestamp), none when older than the ttl."""
    views = {view.name: view for view, _ in spec.views}
    keys = {e.name: [k.name for k in e.join_keys] for e in spec.entities}
    out = entity_df.sort_values("event_timestamp").reset_index(drop=True)
    (chosen,) = [s for s in spec.services if s.name == service]
    for ref in chosen.features:
        name, feature = parse_ref(ref)
        view = views[name]
        features = [f.name for f in view.features] if feature is None else [feature]
        by = [key for entity in view.entities for key in keys[entity]]
        order = [view.timestamp_field, *filter(None, [view.created_timestamp_column])]
        right = frames[name].sort_values(order)[[*by, view.timestamp_field, *features]]
        right = right.rename(columns={f: f"{name}__{f}" for f in features})
        out = pd.merge_asof(
            out,
            right,
            left_on="event_timestamp",
            right_on=view.timestamp_field,
            by=by,
            direction="backward",
            allow_exact_matches=True,
            tolerance=pd.Timedelta(seconds=view.ttl_seconds) if view.ttl_seconds else None,
        ).drop(columns=[view.timestamp_field])
    return out


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by ``row``, columns by name, missing values as None, numbers as float."""
    frame = frame.sort_values("row").reset_index(drop=True)
    columns = {c: pd.Series([_plain(v) for v in frame[c]], dtype=object) for c in frame}
    return pd.DataFrame(columns)[sorted(columns)]


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | str | pd.Timestamp):
        return value
    number = float(value)
    return None if math.isnan(number) else number


def feast_training_set(
    tmp_path: Path, repo: Path, entity_df: pd.DataFrame, service: str
) -> pd.DataFrame:
    """``feast apply`` the repository, then Feast's ``get_historical_features`` of
    ``service`` for ``entity_df`` on its DuckDB offline store."""
    feast(tmp_path, "feast", "apply", cwd=repo)
    entity_df.to_parquet(tmp_path / "entities.parquet", index=False)
    result_path = tmp_path / "result.parquet"
    feast(
        tmp_path,
        "-c",
        HISTORICAL,
        str(repo),
        str(tmp_path / "entities.parquet"),
        service,
        str(result_path),
    )
    return pd.read_parquet(result_path)


# -- Feast itself ----------------------------------------------------------------------------
def test_feast_applies_the_export(
    tmp_path: Path, exported: tuple[Path, dict[str, pd.DataFrame], FeastExport]
) -> None:
    repo, _, spec = exported
    feast(tmp_path, "feast", "apply", cwd=repo)
    registry = feast(tmp_path, "-c", REGISTRY, str(repo))

    assert registry["entities"] == {
        "trip__driver_id": {
            "join_key": "driver_id",
            "value_type": "INT64",
            "description": HOSTILE,
            "tags": {
                "team": HOSTILE,
                "jupyter_mlops.entity": "trip",
                "jupyter_mlops.entity_version": "1",
            },
        },
        "trip__city": {
            "join_key": "city",
            "value_type": "STRING",
            "description": HOSTILE,
            "tags": {
                "team": HOSTILE,
                "jupyter_mlops.entity": "trip",
                "jupyter_mlops.entity_version": "1",
            },
        },
        "rider": {
            "join_key": "rider_id",
            "value_type": "INT64",
            "description": "",
            "tags": {"jupyter_mlops.entity": "rider", "jupyter_mlops.entity_version": "1"},
        },
    }
    driver, rider = registry["views"]["driver_stats"], registry["views"]["rider_stats"]
    assert driver["entities"] == ["trip__city", "trip__driver_id"]
    assert (driver["ttl"], driver["online"], driver["created"]) == (7200, True, "created_ts")
    assert driver["features"] == {"conv_rate": "Float64", "trips": "Int64"}
    assert driver["keys"] == {"driver_id": "Int64", "city": "String"}
    assert driver["path"] == str(spec.views[0][1].resolve())
    assert driver["description"] == HOSTILE
    assert driver["tags"] == {
        "jupyter_mlops.view_version": "1",
        "jupyter_mlops.source": "driver_rows@v1",
    }
    assert (rider["ttl"], rider["online"], rider["created"]) == (0, False, "")
    assert rider["features"] == {"rating": "Float32", "vip": "Bool", "tier": "String"}
    assert rider["timestamp_field"] == "ts"
    assert registry["services"] == {
        "ranking": {"driver_stats": ["conv_rate"], "rider_stats": ["rating", "vip", "tier"]}
    }


def test_feast_historical_features_match_the_reference_join(
    tmp_path: Path, exported: tuple[Path, dict[str, pd.DataFrame], FeastExport]
) -> None:
    repo, frames, spec = exported
    entity_df = entity_rows()
    result = feast_training_set(tmp_path, repo, entity_df, "ranking")

    expected = expected_join(entity_df, spec, frames, "ranking")
    assert "driver_stats__trips" not in result.columns  # not in the service
    assert sorted(result.columns) == sorted(expected.columns)
    pd.testing.assert_frame_equal(comparable(result), comparable(expected))
    # The cases the entity rows were written for, spelled out.
    conv = comparable(result)["driver_stats__conv_rate"].tolist()
    assert conv == [0.3, 0.3, None, None, 0.5, 0.7, None, None]
    assert comparable(result)["rider_stats__tier"].tolist()[-1] == "gold"


def test_feast_reads_the_redis_configuration(tmp_path: Path) -> None:
    repo = tmp_path / "redis_repo"
    entities, views, _ = definitions()
    path = write_source(tmp_path, "rider0123abcd", rider_rows())
    export_feast(
        FeastExport(entities[1:], [(views[1], path)]),
        repo,
        online="redis",
        redis_url="rediss://:s%3Dcret@cache.internal:6380/2",
        project="ranking_prod",
    )
    config = feast(tmp_path, "-c", CONFIG, str(repo))
    assert config == {
        "project": "ranking_prod",
        "offline": "duckdb",
        "online": "redis",
        "connection_string": 'cache.internal:6380,db=2,password="s=cret",ssl=true',
    }


# -- the generated files, without Feast ------------------------------------------------------
def test_generated_module_is_only_declarations(
    exported: tuple[Path, dict[str, pd.DataFrame], FeastExport],
) -> None:
    """Hostile descriptions and tags stay string literals: the module is imports and
    assignments of Feast constructors, nothing else."""
    repo, _, _ = exported
    tree = ast.parse((repo / MODULE_FILE).read_text("utf-8"))
    calls = set()
    for node in tree.body[1:]:
        if isinstance(node, ast.ImportFrom):
            assert node.module in ("datetime", "feast", "feast.data_format", "feast.types")
            continue
        assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
        assert isinstance(node.value.func, ast.Name)
        calls.add(node.value.func.id)
    assert calls == {"Entity", "FileSource", "FeatureView", "FeatureService"}
    assert not list(repo.glob(".*partial"))
    yaml = (repo / YAML_FILE).read_text("utf-8")
    assert 'type: "duckdb"' in yaml and 'type: "sqlite"' in yaml


@pytest.mark.parametrize(
    ("url", "connection"),
    [
        ("redis://localhost", "localhost:6379,db=0"),
        ("redis://10.0.0.5:6390/3", "10.0.0.5:6390,db=3"),
        ("redis://bob:pw@host/1", 'host:6379,db=1,username="bob",password="pw"'),
        ("rediss://:123@host", 'host:6379,db=0,password="123",ssl=true'),
    ],
)
def test_redis_url_becomes_feast_connection_string(url: str, connection: str) -> None:
    assert redis_connection(url) == connection


@pytest.mark.parametrize(
    "url",
    [
        "http://host",
        "redis://",
        "redis://host/x",
        "redis://host:99999",
        "redis://[::1]:6379",
        "redis://:a%2Cb@host",
        "redis://host/0?ssl=true",
    ],
)
def test_bad_redis_urls_are_refused(url: str) -> None:
    with pytest.raises(Invalid):
        redis_connection(url)


def test_online_store_options_are_checked(tmp_path: Path) -> None:
    spec = FeastExport([], [])
    with pytest.raises(Invalid, match="needs a URL"):
        export_feast(spec, tmp_path, online="redis")
    with pytest.raises(Invalid, match="only used"):
        export_feast(spec, tmp_path, redis_url="redis://host")
    with pytest.raises(Invalid, match="project name"):
        export_feast(spec, tmp_path, project="bad name')")
    assert not list(tmp_path.iterdir())  # nothing written when refused


def test_inconsistent_definitions_are_refused(tmp_path: Path) -> None:
    entities, views, services = definitions()
    path = write_source(tmp_path, "driver0123abcd", driver_rows())
    rider_path = write_source(tmp_path, "rider0123abcd", rider_rows())
    both = [(views[0], path), (views[1], rider_path)]
    cases = [
        (FeastExport(entities[1:], both[:1]), "not exported"),  # the view's entity
        (FeastExport(entities, both[:1], services), "view 'rider_stats' is not exported"),
        (FeastExport(entities, both + both[:1]), "distinct names"),
        (FeastExport(entities + entities[:1], both), "exported twice"),
        (FeastExport(entities, [(views[0], tmp_path / "missing"), both[1]]), "does not exist"),
    ]
    bad_ref = services[0].model_copy(update={"features": ["driver_stats:nope"]})
    cases.append((FeastExport(entities, both, [bad_ref]), "no feature 'nope'"))
    shared = views[0].model_copy(update={"features": [FieldSpec(name="city", dtype="String")]})
    cases.append((FeastExport(entities, [(shared, path)]), "serve twice"))
    for spec, message in cases:
        with pytest.raises(Invalid, match=message):
            export_feast(spec, tmp_path / "repo")


def test_naive_times_export_only_when_read_as_utc(tmp_path: Path) -> None:
    """Feast reads naive times as UTC: a view reading them in another zone is refused."""
    entities, views, _ = definitions()
    naive = rider_rows().assign(ts=lambda f: f["ts"].dt.tz_localize(None))
    path = write_source(tmp_path, "naive0123abcd", naive)
    for timezone, ok in [("UTC", True), ("Etc/UTC", True), ("Europe/Paris", False), (None, False)]:
        view = views[1].model_copy(update={"timezone": timezone})
        spec = FeastExport(entities[1:], [(view, path)])
        if ok:
            export_feast(spec, tmp_path / "repo")
        else:
            with pytest.raises(Invalid, match="naive times"):
                export_feast(spec, tmp_path / "repo")


def test_our_training_set_equals_feast_duckdb_store_on_every_row(
    tmp_path: Path,
    exported: tuple[Path, dict[str, pd.DataFrame], FeastExport],
    mlops_workspace: Any,
) -> None:
    """The same definitions and rows in a workspace: ``training_set`` (full names) gives
    Feast's values on every row, the created-timestamp tie and the ttl edge included."""
    import jupyter_mlops as mlops

    repo, frames, _ = exported
    mlops.datasets.save("driver_rows", frames["driver_stats"])
    mlops.datasets.save("rider_rows", frames["rider_stats"])
    entities, views, services = definitions()
    for entity in entities:
        mlops.features.entity(entity.name, entity.join_keys)
    for view in views:
        mlops.features.view(
            view.name,
            entities=view.entities,
            source=view.source,
            features=view.features,
            timestamp_field=view.timestamp_field,
            created_timestamp_column=view.created_timestamp_column,
            ttl=view.ttl_seconds,
            online=view.online,
        )
    for service in services:
        mlops.features.service(service.name, service.features)

    entity_df = entity_rows()
    theirs = feast_training_set(tmp_path, repo, entity_df, "ranking")
    ours = mlops.features.training_set(entity_df, service="ranking", full_names=True).to_df()
    features = sorted(c for c in theirs.columns if "__" in c)
    assert features == sorted(c for c in ours.columns if "__" in c)
    pd.testing.assert_frame_equal(
        comparable(ours[["row", *features]]), comparable(theirs[["row", *features]])
    )
