"""The monitoring REST routes through a real server and state DB (and real Evidently for the
stored report): monitors, time series, points, the sandboxed report, alerts, acknowledge."""

from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

import jupyter_mlops as mlops
from jupyter_mlops.monitoring import check_drift
from jupyter_mlops.pytest_plugin import PATH_TRICKS
from tests.helpers import api
from tests.monitoring.frames import frames

pytestmark = pytest.mark.usefixtures("mlops_workspace")


def three_windows() -> list[int]:
    """wine-drift: a quiet point, then two drifting ones, each raising one alert."""
    reference, current = frames()
    mlops.monitor.configure("wine-drift", thresholds=["drifted_share >= 0.3"])
    points = [
        mlops.monitor.drift(reference, w, name="wine-drift").point for w in (reference, current)
    ]
    points.append(mlops.monitor.record("wine-drift", check_drift(reference, current)))
    return [p.id for p in points if p is not None]


def alerts_state() -> list[tuple[int, str | None]]:
    return [(a.id, a.acknowledged_by) for a in mlops.monitor.alerts(include_acknowledged=True)]


async def test_monitors_series_point_and_alerts(jp_fetch: Any) -> None:
    ids = three_windows()
    code, body = await api(jp_fetch, "monitors")
    assert code == 200 and body["total"] == 1 and body["open_alerts"] == 2
    [status] = body["monitors"]
    assert (status["name"], status["points"], status["dataset_drifted"]) == ("wine-drift", 3, True)
    assert status["last_point_id"] == ids[-1] and status["open_alerts"] == 2

    code, detail = await api(jp_fetch, "monitors", "wine-drift")
    assert code == 200
    assert detail["thresholds"] == [{"metric": "drifted_share", "op": ">=", "value": 0.3}]

    code, page = await api(jp_fetch, "monitors", "wine-drift", "points", params={"page_size": 2})
    assert code == 200 and page["total"] == 3
    assert [p["id"] for p in page["points"]] == ids[1:]  # the newest two, oldest first
    x0 = next(c for c in page["columns"] if c["column"] == "x0")
    assert x0["drifted"] == [True, True] and len(x0["scores"]) == 2

    code, point = await api(jp_fetch, "monitors", "wine-drift", "points", str(ids[1]))
    assert code == 200 and point["id"] == ids[1] and point["report"] is None
    by_column = {c["column"]: c for c in point["columns"]}
    assert by_column["x0"]["drifted"] is True and by_column["x2"]["drifted"] is False
    assert {"test_label", "score", "threshold", "message"} <= set(by_column["x0"])

    code, alerts = await api(jp_fetch, "alerts", params={"monitor": "wine-drift"})
    assert code == 200 and (alerts["total"], alerts["open"]) == (2, 2)
    newest = alerts["alerts"][0]
    code, acked = await api(jp_fetch, "alerts", str(newest["id"]), "acknowledge", method="POST")
    assert code == 200 and acked["acknowledged_by"] and acked["acknowledged_at"]
    code, again = await api(jp_fetch, "alerts", str(newest["id"]), "acknowledge", method="POST")
    assert code == 409 and f"already acknowledged by {acked['acknowledged_by']}" in again["message"]
    code, alerts = await api(
        jp_fetch, "alerts", params={"monitor": "wine-drift", "include_acknowledged": "true"}
    )
    assert (alerts["total"], alerts["open"]) == (2, 1)


async def test_the_evidently_report_is_served_sandboxed(jp_fetch: Any) -> None:
    reference, current = frames(rows=120)
    check = mlops.monitor.drift(reference, current, name="ev", engine="evidently")
    assert check.point is not None and check.evidently is not None
    code, point = await api(jp_fetch, "monitors", "ev", "points", str(check.point.id))
    assert code == 200 and point["report"] == f"monitors/ev/points/{check.point.id}/report"
    response = await jp_fetch("mlops", "api", *point["report"].split("/"))
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    csp = response.headers["Content-Security-Policy"]
    assert csp.startswith("sandbox allow-scripts;") and "allow-same-origin" not in csp
    assert "default-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.body == mlops.monitor.report_file(check.point.id).read_bytes()
    assert len(response.body) == check.evidently.size


@pytest.mark.parametrize(
    ("method", "parts", "params", "status", "message"),
    [
        ("GET", ("monitors", "nope"), None, 404, "no monitor named 'nope'"),
        ("GET", ("monitors", "bad name"), None, 400, "is not a monitor name"),
        ("GET", ("monitors", "nope", "points"), None, 404, "no monitor named 'nope'"),
        ("GET", ("monitors", "wine-drift", "points", "999"), None, 404, "has no point 999"),
        ("GET", ("monitors", "wine-drift", "points", "x1"), None, 400, "whole number"),
        ("GET", ("monitors", "wine-drift", "points", "-1"), None, 400, "whole number"),
        ("GET", ("monitors", "wine-drift", "points", "LAST", "report"), None, 404, "no Evidently"),
        ("GET", ("monitors", "wine-drift", "points"), {"page_size": "0"}, 400, "page_size"),
        ("GET", ("monitors", "wine-drift", "points"), {"page_size": "5000"}, 400, "page_size"),
        ("GET", ("monitors", "wine-drift", "points"), {"page": "x"}, 400, "page"),
        ("GET", ("monitors",), {"colour": "x"}, 400, "unknown query parameter"),
        ("GET", ("alerts",), {"monitor": "nope"}, 404, "no monitor named 'nope'"),
        ("GET", ("alerts",), {"monitor": "a b"}, 400, "is not a monitor name"),
        ("GET", ("alerts",), {"include_acknowledged": "maybe"}, 400, "include_acknowledged"),
        ("POST", ("alerts", "999", "acknowledge"), None, 404, "no alert 999"),
        ("POST", ("alerts", "one", "acknowledge"), None, 400, "whole number"),
    ],
)
async def test_bad_input_is_a_clear_4xx_and_changes_nothing(
    jp_fetch: Any,
    method: str,
    parts: tuple[str, ...],
    params: Any,
    status: int,
    message: str,
) -> None:
    ids = three_windows()
    parts = tuple(str(ids[-1]) if p == "LAST" else p for p in parts)
    before = alerts_state()
    code, answer = await api(jp_fetch, *parts, method=method, params=params)
    assert code == status, answer
    assert message in answer["message"] and "Traceback" not in answer["message"]
    assert alerts_state() == before and len(mlops.monitor.history("wine-drift")) == 3


@pytest.mark.parametrize("segment", PATH_TRICKS)
async def test_path_tricks_in_names_and_ids_are_refused(jp_fetch: Any, segment: str) -> None:
    three_windows()
    before = alerts_state()
    for method, parts in (
        ("GET", ("monitors", segment)),
        ("GET", ("monitors", segment, "points")),
        ("GET", ("monitors", "wine-drift", "points", segment)),
        ("GET", ("monitors", "wine-drift", "points", segment, "report")),
        ("POST", ("alerts", segment, "acknowledge")),
    ):
        code, _ = await api(jp_fetch, *parts, method=method)
        assert code in (400, 404), (parts, code)
    assert alerts_state() == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "monitors"),
        ("GET", "monitors/wine-drift"),
        ("GET", "monitors/wine-drift/points"),
        ("GET", "monitors/wine-drift/points/POINT"),
        ("GET", "monitors/wine-drift/points/POINT/report"),
        ("GET", "alerts"),
        ("POST", "alerts/ALERT/acknowledge"),
    ],
)
async def test_every_monitoring_route_refuses_requests_without_a_token(
    jp_fetch: Any, method: str, path: str
) -> None:
    ids = three_windows()
    alert = mlops.monitor.alerts()[0].id
    path = path.replace("POINT", str(ids[-1])).replace("ALERT", str(alert))
    before = alerts_state()
    try:
        await jp_fetch(
            "mlops",
            "api",
            *path.split("/"),
            method=method,
            body=b"" if method == "POST" else None,
            headers={"Authorization": ""},
        )
        code = 200
    except HTTPClientError as err:
        code = err.code
    assert code == 403
    assert alerts_state() == before
