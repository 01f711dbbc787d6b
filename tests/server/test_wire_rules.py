"""The wire rules every route shares: a JSON 404 for any path under the API that no route
matches, an Allow header on 405, JSON bodies only as application/json (415 otherwise), and
no duplicated keys in a JSON object."""

import json
from typing import Any

import pandas as pd
import pytest

import jupyter_mlops as mlops
from tests.helpers import api

pytestmark = pytest.mark.usefixtures("mlops_workspace")

CHECKS = {"checks": [{"kind": "not_null", "column": "pH"}]}


async def fetch(jp_fetch: Any, *parts: str, **kwargs: Any) -> Any:
    """The raw answer (any status) of one request to the API."""
    return await jp_fetch("mlops", "api", *parts, raise_error=False, **kwargs)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "nope"),
        ("GET", "reviews/abc"),  # review ids are digits in the route itself
        ("GET", "reviews/1/comments/x/resolve"),
        ("POST", "reviews/1/comments/1234567890/resolve"),
        ("PUT", "datasets/wine/versions/v1/rows/extra"),
        ("DELETE", "jobs/train/runs/7"),
        ("GET", "runs/abc/extra"),
    ],
)
async def test_a_path_no_route_matches_is_a_json_404(jp_fetch: Any, method: str, path: str) -> None:
    body = b"{}" if method in ("POST", "PUT") else None
    answer = await fetch(jp_fetch, *path.split("/"), method=method, body=body)
    assert answer.code == 404
    assert answer.headers["Content-Type"].startswith("application/json")
    error = json.loads(answer.body)
    assert error["reason"] == "NotFound"
    assert error["message"] == f"no such resource: {method} /a%40b/mlops/api/{path}"


async def test_a_path_no_route_matches_needs_a_token_like_every_route(jp_fetch: Any) -> None:
    answer = await fetch(jp_fetch, "reviews", "abc", headers={"Authorization": ""})
    assert answer.code == 403
    assert json.loads(answer.body)["reason"] == "Forbidden"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "datasets", "GET"),
        ("POST", "datasets", "GET"),
        ("PATCH", "jobs", "GET, POST"),
        ("GET", "datasets/wine/checks", "PUT"),
        ("PUT", "job-runs/1/cancel", "POST"),
        ("HEAD", "info", "GET"),
    ],
)
async def test_a_method_the_route_lacks_is_a_405_with_allow(
    jp_fetch: Any, method: str, path: str, allow: str
) -> None:
    body = b"{}" if method in ("POST", "PUT", "PATCH") else None
    answer = await fetch(jp_fetch, *path.split("/"), method=method, body=body)
    assert answer.code == 405
    assert answer.headers["Allow"] == allow


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/jsonx", "json"],
)
async def test_a_json_body_sent_as_anything_else_is_a_415(
    jp_fetch: Any, content_type: str | None
) -> None:
    mlops.datasets.save("wine", pd.DataFrame({"pH": [3.1]}))
    # tornado's client would send a form type for a body without one: say "none" explicitly
    headers = {"Content-Type": content_type or ""}
    answer = await fetch(
        jp_fetch,
        "datasets",
        "wine",
        "checks",
        method="PUT",
        body=json.dumps(CHECKS),
        headers=headers,
    )
    assert answer.code == 415
    assert "application/json" in json.loads(answer.body)["message"]
    assert mlops.datasets.store().checks("wine") == []


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"],
)
async def test_json_with_a_utf8_charset_is_accepted(jp_fetch: Any, content_type: str) -> None:
    mlops.datasets.save("wine", pd.DataFrame({"pH": [3.1]}))
    answer = await fetch(
        jp_fetch,
        "datasets",
        "wine",
        "checks",
        method="PUT",
        body=json.dumps(CHECKS),
        headers={"Content-Type": content_type},
    )
    assert answer.code == 200, answer.body
    assert [c.kind for c in mlops.datasets.store().checks("wine")] == ["not_null"]


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('{"checks": [], "checks": [{"kind": "not_null", "column": "pH"}]}', "checks"),
        ('{"checks": [{"kind": "not_null", "kind": "unique", "column": "pH"}]}', "kind"),
    ],
)
async def test_a_duplicated_key_is_a_400_naming_it(jp_fetch: Any, body: str, key: str) -> None:
    mlops.datasets.save("wine", pd.DataFrame({"pH": [3.1]}))
    code, answer = await api(jp_fetch, "datasets", "wine", "checks", method="PUT", body=body)
    assert code == 400
    assert answer["message"] == f"duplicate key {key!r} in the JSON body"
    assert mlops.datasets.store().checks("wine") == []
