"""Each route as an allowed user, a refused user, and with no token."""

from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

import jupyter_mlops as mlops
from jupyter_mlops.monitoring import check_drift
from tests.helpers import api, make_run
from tests.monitoring.frames import frames


@pytest.fixture
def jp_server_config(mlops_multiuser_server_config: dict[str, Any]) -> dict[str, Any]:
    return mlops_multiuser_server_config


ROUTES = ["info", "experiments", "runs", "openapi.json", "datasets", "monitors", "alerts"]


async def status(jp_fetch: Any, path: str, token: str | None) -> int:
    headers = {"Authorization": f"token {token}" if token else ""}
    try:
        resp = await jp_fetch("mlops", "api", *path.split("/"), headers=headers)
    except HTTPClientError as err:
        return err.code
    return resp.code


@pytest.mark.usefixtures("mlops_workspace")
@pytest.mark.parametrize("path", ROUTES)
async def test_allowed_refused_and_anonymous(jp_fetch: Any, path: str) -> None:
    assert await status(jp_fetch, path, "alice") == 200
    assert await status(jp_fetch, path, "mallory") == 403
    assert await status(jp_fetch, path, None) == 403


@pytest.mark.usefixtures("mlops_workspace")
async def test_run_routes_as_each_user(jp_fetch: Any) -> None:
    run_id = make_run("who", {"m": 1.0})
    assert await status(jp_fetch, f"runs/{run_id}", "alice") == 200
    assert await status(jp_fetch, f"runs/{run_id}", "mallory") == 403
    assert await status(jp_fetch, f"runs/{run_id}", None) == 403


@pytest.mark.usefixtures("mlops_workspace")
async def test_an_alert_is_acknowledged_by_the_signed_in_user(jp_fetch: Any) -> None:
    reference, current = frames()
    mlops.monitor.configure("who", thresholds=["dataset_drift"])
    point = mlops.monitor.record("who", check_drift(reference, current))
    [alert] = point.alerts
    path = ("alerts", str(alert.id), "acknowledge")
    refused, _ = await api(
        jp_fetch, *path, method="POST", headers={"Authorization": "token mallory"}
    )
    assert refused == 403 and mlops.monitor.alerts()[0].acknowledged_by is None
    code, acked = await api(
        jp_fetch, *path, method="POST", headers={"Authorization": "token alice"}
    )
    assert code == 200 and acked["acknowledged_by"] == "alice"
    code, again = await api(jp_fetch, *path, method="POST", headers={"Authorization": "token bob"})
    assert code == 409 and "already acknowledged by alice" in again["message"]
    assert mlops.monitor.alerts(include_acknowledged=True)[0].acknowledged_by == "alice"
