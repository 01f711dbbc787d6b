from typing import Any

import pytest

from jupyter_mlops.pytest_plugin import PATH_TRICKS
from tests.helpers import api, make_run

pytestmark = pytest.mark.usefixtures("mlops_workspace")


async def get(jp_fetch: Any, *parts: str, params: Any = None, **kw: Any) -> tuple[int, Any]:
    return await api(jp_fetch, *parts, params=params, **kw)


async def test_experiments_and_runs_pages(jp_fetch: Any) -> None:
    ids = [make_run("web", {"acc": a}, {"C": str(a)}) for a in (0.2, 0.9, 0.5)]
    code, body = await get(jp_fetch, "experiments")
    assert code == 200
    [exp] = [e for e in body["experiments"] if e["name"] == "web"]
    assert exp["run_count"] == 3
    params = [
        ("experiment_ids", exp["experiment_id"]),
        ("order_by", "metrics.acc DESC"),
        ("page_size", "2"),
    ]
    code, body = await get(jp_fetch, "runs", params=params)
    assert code == 200
    assert body["total"] == 3
    assert [r["run_id"] for r in body["runs"]] == [ids[1], ids[2]]
    code, body = await get(
        jp_fetch, "runs", params=[*params[:2], ("page_size", "2"), ("page", "1")]
    )
    assert [r["run_id"] for r in body["runs"]] == [ids[0]]


async def test_run_detail_and_compare(jp_fetch: Any) -> None:
    a = make_run("web", {"acc": 0.1}, {"C": "1"}, cell_source="%%track\nprint(1)")
    b = make_run("web", {"acc": 0.2}, {"C": "2"})
    code, detail = await get(jp_fetch, "runs", a)
    assert code == 200
    assert detail["run"]["params"] == {"C": "1"}
    assert detail["metric_history"]["acc"][0]["value"] == 0.1
    assert detail["cell_source"] == "%%track\nprint(1)"
    assert any(art["path"] == "mlops/cell.py" for art in detail["artifacts"])
    code, cmp = await get(jp_fetch, "compare", params=[("run_ids", a), ("run_ids", b)])
    assert code == 200
    assert [d["key"] for d in cmp["param_diff"]] == ["C"]
    assert set(cmp["metric_history"]["acc"]) == {a, b}


@pytest.mark.parametrize(
    ("parts", "params", "status", "message"),
    [
        (("runs", "0" * 32), None, 404, "no run with id"),
        (("runs", "not-a-run"), None, 400, "is not a run id"),
        (("runs", "..%2F..%2Fetc%2Fpasswd"), None, 400, "is not a run id"),
        (("runs",), {"filter": "metrics.acc >>> 1"}, 400, "bad filter"),
        (("runs",), {"order_by": "metrics.acc SIDEWAYS"}, 400, "bad filter or sort"),
        (("runs",), {"page_size": "0"}, 400, "page_size"),
        (("runs",), {"page_size": "100000"}, 400, "page_size"),
        (("runs",), {"page": "-1"}, 400, "page"),
        (("runs",), {"page": "two"}, 400, "page"),
        (("runs",), {"pagesize": "5"}, 400, "unknown query parameter(s): pagesize"),
        (("compare",), None, 400, "run_ids"),
        (("compare",), {"run_ids": "0" * 32}, 404, "no run with id"),
    ],
)
async def test_bad_input_is_a_clear_4xx(
    jp_fetch: Any, parts: tuple[str, ...], params: Any, status: int, message: str
) -> None:
    code, body = await get(jp_fetch, *parts, params=params)
    assert code == status
    assert message in body["message"]
    assert "Traceback" not in body["message"]


@pytest.mark.parametrize("path", ["experiments", "runs", "info", "compare", "openapi.json"])
async def test_every_route_refuses_requests_without_a_token(jp_fetch: Any, path: str) -> None:
    code, _ = await get(jp_fetch, path, headers={"Authorization": ""})
    assert code == 403


async def test_info_and_openapi(jp_fetch: Any, mlops_root: Any) -> None:
    code, info = await get(jp_fetch, "info")
    assert code == 200 and info["root"] == str(mlops_root.resolve())
    code, doc = await get(jp_fetch, "openapi.json")
    assert code == 200
    assert "/mlops/api/runs/{mlflow_run_id}" in doc["paths"]


async def test_jupyterlab_cache_buster_is_accepted(jp_fetch: Any) -> None:
    code, _ = await get(jp_fetch, "runs", params=[("page_size", "5"), ("1795392662477", "")])
    assert code == 200


@pytest.mark.parametrize("segment", [*PATH_TRICKS, "\x00" + "a" * 31, "A" * 32])
async def test_run_id_path_tricks_are_refused(jp_fetch: Any, segment: str) -> None:
    code, body = await get(jp_fetch, "runs", segment)
    assert code in (400, 404)
    if code == 400:
        assert "is not a run id" in body["message"]
