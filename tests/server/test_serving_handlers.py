"""The serving REST routes through a real server, real MLflow scoring servers and real
HTTP: deploy, roll a canary out, promote it, read the endpoint's page, stop it; every action
recorded as the server's authenticated user. Bad input is a 4xx naming what is wrong."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.helpers import api
from tests.serving.conftest import (  # noqa: F401 (fixtures)
    MODEL,
    ROWS,
    Registered,
    no_server_outlives_its_test,
    registered,
)

pytestmark = pytest.mark.usefixtures("mlops_workspace")


async def test_deploy_a_canary_promote_and_stop_over_rest(
    jp_fetch: Any,
    registered: Registered,  # noqa: F811
) -> None:
    code, body = await api(
        jp_fetch, "serving", "endpoints", method="POST", body={"model": f"{MODEL}@champion"}
    )
    assert code == 200, body
    assert body["running"] and body["status"]["version"] == "1"
    url = body["url"] + "/invocations"
    try:
        assert httpx.post(url, json=ROWS, timeout=60).json() == {"predictions": [0, 0]}
        code, listed = await api(jp_fetch, "serving", "endpoints")
        assert [e["name"] for e in listed["endpoints"]] == ["cancer"]

        rollout = {"mode": "canary", "challenger": f"{MODEL}/2", "percent": 50}
        code, status = await api(
            jp_fetch, "serving", "endpoints", "cancer", "rollout", method="POST", body=rollout
        )
        assert code == 200, status
        assert status["rollout"]["mode"] == "canary" and status["rollout"]["percent"] == 50
        code, again = await api(
            jp_fetch, "serving", "endpoints", "cancer", "rollout", method="POST", body=rollout
        )
        assert code == 409 and "already runs a rollout" in again["message"]
        for key in range(10):
            httpx.post(url, json=ROWS, headers={"X-MLOps-Route-Key": str(key)}, timeout=60)

        code, status = await api(
            jp_fetch, "serving", "endpoints", "cancer", "promote", method="POST"
        )
        assert code == 200, status
        assert status["version"] == "2" and status["rollout"] is None
        code, page = await api(jp_fetch, "serving", "endpoints", "cancer")
        assert code == 200
        actions = {e["action"]: e for e in page["events"]}
        assert {"deploy", "canary", "promote", "switch"} <= actions.keys()
        assert actions["promote"]["by_source"] == "authenticated"
        assert actions["switch"]["by"] == "jupyter-mlops"
        assert {row["arm"] for row in page["log"]} >= {"champion", "canary"}
        assert page["log"][0]["time"].endswith("Z")  # newest first, in UTC
    finally:
        code, stopped = await api(jp_fetch, "serving", "endpoints", "cancer", method="DELETE")
    assert code == 200 and stopped["running"] is False


@pytest.mark.parametrize(
    ("method", "parts", "body", "code", "says"),
    [
        ("POST", (), {"model": "cancer@@champion"}, 400, "is not a model to serve"),
        ("POST", (), {"model": "nobody@champion"}, 404, "cannot serve nobody@champion"),
        ("POST", (), {"model": "cancer/1", "name": "Bad Name"}, 400, "not an endpoint name"),
        ("POST", (), {"model": "cancer/1", "port": 80}, 400, "port"),
        ("POST", (), {}, 400, "model"),
        ("GET", ("nobody",), None, 404, "no endpoint named nobody"),
        ("GET", ("Bad!",), None, 400, "not an endpoint name"),
        ("DELETE", ("nobody",), None, 404, "not running"),
        ("POST", ("nobody", "promote"), None, 404, "not running"),
        ("POST", ("nobody", "abort"), None, 404, "not running"),
        (
            "POST",
            ("nobody", "rollout"),
            {"mode": "canary", "challenger": "cancer/2", "percent": 0},
            400,
            "percent",
        ),
        (
            "POST",
            ("nobody", "rollout"),
            {"mode": "shadow", "challenger": "cancer/2"},
            404,
            "not running",
        ),
    ],
)
async def test_bad_input_is_a_4xx_naming_what_is_wrong(
    jp_fetch: Any,
    registered: Registered,  # noqa: F811
    method: str,
    parts: tuple[str, ...],
    body: Any,
    code: int,
    says: str,
) -> None:
    got, answer = await api(jp_fetch, "serving", "endpoints", *parts, method=method, body=body)
    assert got == code, answer
    assert says in answer["message"]
