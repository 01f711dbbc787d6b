"""The datasets REST routes through a real server, catalog, object store and MLflow store."""

from typing import Any

import pandas as pd
import pytest

from jupyter_mlops import datasets
from jupyter_mlops.pytest_plugin import PATH_TRICKS
from jupyter_mlops.tracking.tracker import track
from tests.helpers import api

pytestmark = pytest.mark.usefixtures("mlops_workspace")


def save_two_versions() -> str:
    """wine v1 (tagged base) consumed by a tracked run, then v2 produced by it."""
    v1 = pd.DataFrame({"id": [1, 2, 3], "pH": [3.1, 3.3, None], "color": ["red"] * 3})
    datasets.save("wine", v1, message="raw", tag="base", key=["id"])
    with track(experiment="wine", autolog=False) as run:
        datasets.load("wine@v1")
        v2 = pd.concat([v1.iloc[1:], pd.DataFrame({"id": [4], "pH": [3.9], "color": ["white"]})])
        v2.loc[v2["id"] == 2, "pH"] = 3.0
        datasets.save("wine", v2.reset_index(drop=True), message="clean")
    return run.run_id


async def test_list_detail_version_rows_and_lineage(jp_fetch: Any) -> None:
    run_id = save_two_versions()
    datasets.save("other", pd.DataFrame({"a": [1]}))
    code, body = await api(jp_fetch, "datasets", params={"search": "win"})
    assert code == 200 and body["total"] == 1
    [summary] = body["datasets"]
    assert (summary["name"], summary["versions"], summary["latest"]["version"]) == ("wine", 2, 2)

    code, detail = await api(jp_fetch, "datasets", "wine")
    assert [v["version"] for v in detail["versions"]] == [2, 1]
    assert detail["versions"][1]["tags"] == ["base"]
    assert detail["versions"][1]["manifest"]["key"] == ["id"]

    code, v1 = await api(jp_fetch, "datasets", "wine", "versions", "base")
    assert code == 200 and v1["version"]["version"] == 1
    assert [(r["run_id"], r["context"]) for r in v1["lineage"]] == [(run_id, "consumed")]
    code, v2 = await api(jp_fetch, "datasets", "wine", "versions", "v2")
    assert [(r["run_id"], r["context"]) for r in v2["lineage"]] == [(run_id, "produced")]

    code, run = await api(jp_fetch, "runs", run_id)
    assert {(d["name"], d["version"], d["context"]) for d in run["datasets"]} == {
        ("wine", "v1", "consumed"),
        ("wine", "v2", "produced"),
    }

    code, page = await api(
        jp_fetch, "datasets", "wine", "versions", "v1", "rows", params={"page_size": "2"}
    )
    assert code == 200 and page["total"] == 3
    assert page["columns"] == ["id", "pH", "color"]
    assert page["rows"] == [[1, 3.1, "red"], [2, 3.3, "red"]]
    code, page = await api(
        jp_fetch,
        "datasets",
        "wine",
        "versions",
        "v1",
        "rows",
        params={"page_size": "2", "page": "1"},
    )
    assert page["rows"] == [[3, None, "red"]]  # NaN travels as null


async def test_diff_with_the_declared_key(jp_fetch: Any) -> None:
    save_two_versions()
    code, diff = await api(
        jp_fetch, "datasets", "wine", "diff", params=[("a", "v1"), ("b", "v2"), ("key", "id")]
    )
    assert code == 200
    assert (diff["rows_added"], diff["rows_removed"], diff["rows_changed"]) == (1, 1, 1)
    assert diff["rows_a"] == 3 and diff["rows_b"] == 3


async def test_checks_from_the_panel_then_check_a_version(jp_fetch: Any) -> None:
    save_two_versions()
    checks = {
        "checks": [
            {"kind": "not_null", "column": "pH"},
            {"kind": "allowed_values", "column": "color", "values": ["red", "white"]},
        ]
    }
    code, body = await api(jp_fetch, "datasets", "wine", "checks", method="PUT", body=checks)
    assert code == 200 and len(body["checks"]) == 2
    code, report = await api(jp_fetch, "datasets", "wine", "versions", "v1", "check", method="POST")
    assert code == 200 and not report["passed"]
    assert report["results"][0]["failing_rows"] == 1
    code, v1 = await api(jp_fetch, "datasets", "wine", "versions", "v1")
    assert v1["version"]["checks_passed"] is False and v1["report"] == report
    code, detail = await api(jp_fetch, "datasets", "wine")
    given = [{k: v for k, v in c.items() if v is not None} for c in detail["checks"]]
    assert given == checks["checks"]


@pytest.mark.parametrize(
    ("method", "parts", "params", "body", "status", "message"),
    [
        ("GET", ("datasets", "nope"), None, None, 404, "no dataset named 'nope'"),
        ("GET", ("datasets", "bad name"), None, None, 400, "is not a dataset name"),
        ("GET", ("datasets", "wine", "versions", "v9"), None, None, 404, "has no version v9"),
        ("GET", ("datasets", "wine", "versions", "v0"), None, None, 400, "after '@'"),
        ("GET", ("datasets", "wine", "versions", "nosuchtag"), None, None, 404, "no tag"),
        ("GET", ("datasets",), {"page_size": "0"}, None, 400, "page_size"),
        ("GET", ("datasets",), {"colour": "x"}, None, 400, "unknown query parameter"),
        ("GET", ("datasets", "wine", "diff"), {"a": "v1"}, None, 400, "b: Field required"),
        (
            "GET",
            ("datasets", "wine", "diff"),
            [("a", "v1"), ("b", "v2"), ("key", "nope")],
            None,
            400,
            "key column(s) ['nope']",
        ),
        ("PUT", ("datasets", "wine", "checks"), None, "{not json", 400, "Invalid JSON"),
        (
            "PUT",
            ("datasets", "wine", "checks"),
            None,
            {"checks": [{"kind": "in_range", "column": "pH"}]},
            400,
            "needs min, max or both",
        ),
        ("POST", ("datasets", "wine", "versions", "v1", "check"), None, None, 400, "no checks"),
    ],
)
async def test_bad_input_is_a_clear_4xx_and_changes_nothing(
    jp_fetch: Any,
    method: str,
    parts: tuple[str, ...],
    params: Any,
    body: Any,
    status: int,
    message: str,
) -> None:
    save_two_versions()
    code, answer = await api(jp_fetch, *parts, method=method, params=params, body=body)
    assert code == status, answer
    assert message in answer["message"] and "Traceback" not in answer["message"]
    assert datasets.store().checks("wine") == []
    assert [v.version for v in datasets.log("wine")] == [2, 1]


@pytest.mark.parametrize("segment", PATH_TRICKS)
async def test_path_tricks_in_names_and_versions_are_refused(jp_fetch: Any, segment: str) -> None:
    save_two_versions()
    for parts in (("datasets", segment), ("datasets", "wine", "versions", segment, "rows")):
        code, _ = await api(jp_fetch, *parts)
        assert code in (400, 404), (parts, code)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "datasets"),
        ("GET", "datasets/wine"),
        ("GET", "datasets/wine/versions/v1"),
        ("GET", "datasets/wine/versions/v1/rows"),
        ("GET", "datasets/wine/diff"),
        ("PUT", "datasets/wine/checks"),
        ("POST", "datasets/wine/versions/v1/check"),
    ],
)
async def test_every_dataset_route_refuses_requests_without_a_token(
    jp_fetch: Any, method: str, path: str
) -> None:
    save_two_versions()
    body = {"checks": []} if method == "PUT" else None
    params = {"a": "v1", "b": "v2"} if path.endswith("diff") else None
    code, _ = await api(
        jp_fetch,
        *path.split("/"),
        method=method,
        body=body,
        params=params,
        headers={"Authorization": ""},
    )
    assert code == 403
    assert datasets.store().checks("wine") == []


async def test_rows_of_a_corrupted_version_name_the_dataset_and_version(jp_fetch: Any) -> None:
    from jupyter_mlops.datasets.api import store

    version = datasets.save("bad", pd.DataFrame({"x": [1, 2, 3]})).version
    object_id = version.manifest.object_id
    path = store().objects.path(object_id)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes()[:-1] + b"!")
    code, error = await api(jp_fetch, "datasets", "bad", "versions", "v1", "rows")
    assert code == 409, error
    assert error["message"].startswith(f"dataset bad v1 (object {object_id}): ")
    assert "corrupted" in error["message"]
