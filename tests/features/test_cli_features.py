"""``jupyter mlops features list|show|lookup|materialize`` and ``jupyter mlops export feast``
on a real workspace (Feast itself reads the export in ``test_feast_export.py``)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import jupyter_mlops as mlops
from jupyter_mlops.cli import main
from jupyter_mlops.workspace import Workspace

from .test_online import recent_rows


def rows_of(out: str) -> list[list[str]]:
    """Each printed line's cells (columns are two or more spaces apart)."""
    return [re.split(r"\s{2,}", line.strip()) for line in out.splitlines()]


def cells(out: str, first: str) -> list[str]:
    (row,) = [row for row in rows_of(out) if row[0] == first]
    return row


def test_list_show_materialize_and_look_up(
    drivers: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["features", "list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "1 entity, 1 view, 1 service"
    assert cells(out, "entity") == ["entity", "driver", "v1", "keys driver_id Int64", "—"]
    assert cells(out, "view")[3:] == ["driver ← driver_rows; 2 features; ttl 1d", "never"]
    assert cells(out, "service") == ["service", "eta", "v1", "driver_stats", "—"]

    assert main(["features", "show", "driver_stats"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "view driver_stats v1: driver_rows v1, 5 rows"
    assert (
        "newest event 2026-01-10 22:00:00 UTC" in out and ": STALE (older than the ttl 1d)" in out
    )
    assert "never materialized" in out
    assert cells(out, "trips")[:6] == ["trips", "Int64", "0 (0%)", "3", "16", "40"]

    # the rows are months old: a new version of recent rows (the view follows the latest)
    mlops.datasets.save("driver_rows", recent_rows(3, 2.0))
    assert main(["features", "materialize", "driver_stats"]) == 0
    out = capsys.readouterr().out
    assert cells(out, "driver_stats")[:6] == [
        *("driver_stats", "v1", "driver_rows v2"),
        *("full", "done", "3"),
    ]

    assert main(["features", "lookup", "eta", "driver_id=0,2,9"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "eta: 3 entities; driver_stats: 2 present, 1 missing"
    assert rows_of(out)[1] == ["driver_id", "trips", "rating", "status", "age"]
    assert [row[:4] for row in rows_of(out)[2:]] == [
        ["0", "2", "2", "present"],
        ["2", "2", "2", "present"],
        ["9", "—", "—", "missing"],
    ]
    assert main(["features", "lookup", "eta", "driver_id=2", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)["rows"]
    assert row["key"] == {"driver_id": 2} and row["values"] == {"trips": 2, "rating": 2.0}
    assert row["views"][0]["status"] == "present" and 60 <= row["views"][0]["age_seconds"] < 600

    assert main(["features", "materialize", "--service", "eta", "--incremental", "--json"]) == 0
    [done] = json.loads(capsys.readouterr().out)["materializations"]
    assert (done["mode"], done["status"], done["rows"]) == ("incremental", "done", 0)
    assert main(["features", "show", "driver_stats", "--json"]) == 0
    detail = json.loads(capsys.readouterr().out)
    assert [m["mode"] for m in detail["materializations"]] == ["incremental", "full"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["features", "show", "nope"], "feature view 'nope' is not defined"),
        (["features", "lookup", "eta", "driver_id=one"], "'one' is not a whole number"),
        (["features", "lookup", "eta", "rider=1"], "missing ['driver_id']; unknown ['rider']"),
        (["features", "lookup", "nope", "driver_id=1"], "feature service 'nope' is not defined"),
        (["features", "materialize"], "give a VIEW, or --service SERVICE"),
        (["features", "materialize", "nope"], "feature view 'nope' is not defined"),
        (["export", "feast", "repo", "--online", "redis"], "the Redis online store needs a URL"),
        (["export", "feast", "repo", "--redis-url", "redis://h:1/0"], "only used with the Redis"),
        (["export", "feast", "repo", "--project", "a b"], "Feast project name 'a b' is not valid"),
    ],
)
def test_errors_are_one_line(
    drivers: Any, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_export_feast_writes_the_two_files(
    drivers: Any, mlops_workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "feast_repo"
    assert main(["export", "feast", str(repo), "--project", "rides"]) == 0
    written = [Path(line) for line in capsys.readouterr().out.splitlines()]
    assert written == [repo / "feature_store.yaml", repo / "features_repo.py"]
    config = written[0].read_text()
    assert 'project: "rides"' in config and 'type: "sqlite"' in config
    module = written[1].read_text()
    compile(module, str(written[1]), "exec")
    version = mlops.datasets.store().resolve("driver_rows")
    parquet = mlops.datasets.store().objects.path(version.manifest.object_id)
    assert f"    path={str(parquet)!r}," in module
    for declared in ("entity_driver = Entity(", "view_driver_stats = FeatureView(", "service_eta"):
        assert declared in module
    assert "ttl=timedelta(seconds=86400)" in module

    assert (
        main(
            [
                "export",
                "feast",
                str(repo),
                "--online",
                "redis",
                "--redis-url",
                "redis://cache:6380/2",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert 'connection_string: "cache:6380,db=2"' in written[0].read_text()


def test_export_feast_of_a_workspace_without_definitions_is_refused(
    mlops_workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "feast", str(tmp_path / "repo")]) == 2
    assert "no feature definitions to export" in capsys.readouterr().err
    assert not (tmp_path / "repo").exists()
