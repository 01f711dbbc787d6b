"""The jobs REST routes through a real server, state DB, object store and real papermill runs
in worker processes: promote, run now and poll, the log, the executed notebook and its
sandboxed HTML, stages, gates and promotion, cancel, idempotent run-now, clear 4xx."""

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest
from tornado.httpclient import HTTPClientError

import jupyter_mlops as mlops
from jupyter_mlops.pytest_plugin import PATH_TRICKS, write_notebook
from jupyter_mlops.workspace import Workspace
from tests.helpers import api

RUN_LIMIT_S = 180  # a generous bound so a broken worker fails the test instead of hanging it


@pytest.fixture
def jp_server_config(mlops_server_config: dict[str, Any]) -> dict[str, Any]:
    """No scheduler in the server: runs start only because a request launched them."""
    config = {k: dict(v) for k, v in mlops_server_config.items()}
    config["MlopsApp"]["run_scheduler"] = False
    return config


@pytest.fixture
def notebook(mlops_workspace: Workspace) -> Path:
    return write_notebook(
        mlops_workspace.root / "train.ipynb",
        "import jupyter_mlops as mlops\nprint('alpha is', alpha)\nmlops.output('score', alpha * 2)",
        parameters="alpha = 0.5\nlabel = 'base'",
    )


@pytest.fixture
def sleeper(mlops_workspace: Workspace) -> Path:
    return write_notebook(
        mlops_workspace.root / "sleeper.ipynb",
        "import time\nprint('sleeping', flush=True)\ntime.sleep(seconds)",
        parameters="seconds = 120",
    )


def stored() -> tuple[list[tuple[str, int]], int]:
    """What the state DB holds: (job, latest version) pairs and the number of runs."""
    store = mlops.jobs.store()
    jobs = [(j.name, j.latest_version) for j in store.list_jobs()]
    return jobs, store.runs()[1]


async def wait_finished(jp_fetch: Any, run_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + RUN_LIMIT_S
    while True:
        code, run = await api(jp_fetch, "job-runs", str(run_id))
        assert code == 200, run
        if run["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return run  # type: ignore[no-any-return]
        await asyncio.sleep(0.3)


async def promote(jp_fetch: Any, **body: Any) -> dict[str, Any]:
    code, job = await api(jp_fetch, "jobs", method="POST", body=body)
    assert code == 200, job
    return job  # type: ignore[no-any-return]


async def test_promote_run_poll_and_read_the_outputs(jp_fetch: Any, notebook: Path) -> None:
    code, params = await api(jp_fetch, "notebook-parameters", params={"path": "train.ipynb"})
    assert code == 200 and params["has_parameters_cell"] is True
    assert [(p["name"], p["type"], p["default"]) for p in params["parameters"]] == [
        ("alpha", "float", 0.5),
        ("label", "str", "base"),
    ]
    job = await promote(
        jp_fetch,
        notebook="train.ipynb",
        parameters={"alpha": 1},
        cron="30 6 * * 1-5",
        timezone="Europe/Paris",
        options={"timeout_s": 300, "retries": 1, "retry_backoff_s": 5},
    )
    assert (job["name"], job["latest_version"]) == ("train", 1)
    dev = next(s for s in job["stages"] if s["stage"] == "dev")
    assert (dev["version"], dev["cron"], dev["timezone"]) == (1, "30 6 * * 1-5", "Europe/Paris")
    assert dev["next_fire_at"] is not None

    code, listed = await api(jp_fetch, "jobs", params={"search": "tra"})
    assert code == 200 and listed["total"] == 1
    [summary] = listed["jobs"]
    assert summary["last_run"] is None and summary["notebook_changed"] is False

    code, run = await api(
        jp_fetch, "jobs", "train", "runs", method="POST", body={"parameters": {"alpha": 3}}
    )
    assert code == 200, run
    assert run["status"] in ("running", "succeeded") and run["trigger"] == "manual"
    assert run["parameters"] == {"alpha": 3.0} and run["created_by"]
    run = await wait_finished(jp_fetch, run["id"])
    assert run["status"] == "succeeded", run
    [step] = run["steps"]
    assert step["name"] == "train" and step["outputs"] == {"score": 6.0}

    code, listed = await api(jp_fetch, "jobs")
    assert listed["jobs"][0]["last_run"]["id"] == run["id"]
    code, page = await api(jp_fetch, "jobs", "train", "runs", params={"stage": "dev"})
    assert code == 200 and page["total"] == 1 and page["runs"][0]["id"] == run["id"]

    rid = str(run["id"])
    log = await jp_fetch("mlops", "api", "job-runs", rid, "log", params={"step": "train"})
    assert log.headers["Content-Type"].startswith("text/plain")
    executed = await jp_fetch("mlops", "api", "job-runs", rid, "steps", "train", "notebook")
    nb = nbformat.reads(executed.body.decode(), as_version=4)  # joins multi-line text
    printed = "".join(out.get("text", "") for cell in nb.cells for out in cell.get("outputs", []))
    assert "alpha is 3.0" in printed
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    page_html = await jp_fetch("mlops", "api", "job-runs", rid, "steps", "train", "html")
    assert page_html.headers["Content-Type"].startswith("text/html")
    csp = page_html.headers["Content-Security-Policy"]
    assert csp.startswith("sandbox allow-scripts;") and "allow-same-origin" not in csp
    assert page_html.headers["X-Content-Type-Options"] == "nosniff"
    assert b"alpha is 3.0" in page_html.body


async def test_new_version_stages_promotion_and_rollback(jp_fetch: Any, notebook: Path) -> None:
    await promote(jp_fetch, notebook="train.ipynb")
    code, report = await api(jp_fetch, "jobs", "train", "promotion", params={"to": "staging"})
    assert code == 200 and report["allowed"] is False  # no successful dev run yet
    code, refused = await api(
        jp_fetch, "jobs", "train", "promote", method="POST", body={"to": "staging"}
    )
    assert code == 409 and "cannot be promoted to staging" in refused["message"]

    code, run = await api(jp_fetch, "jobs", "train", "runs", method="POST", body={})
    assert (await wait_finished(jp_fetch, run["id"]))["status"] == "succeeded"
    code, report = await api(jp_fetch, "jobs", "train", "promotion", params={"to": "staging"})
    assert code == 200 and report["allowed"] is True and report["version"] == 1
    code, result = await api(
        jp_fetch,
        "jobs",
        "train",
        "promote",
        method="POST",
        body={"to": "staging", "expected_version": None},
    )
    assert code == 200 and (result["stage"], result["version_to"]) == ("staging", 1)

    code, state = await api(
        jp_fetch,
        "jobs",
        "train",
        "stages",
        "staging",
        method="PUT",
        body={"cron": "0 3 * * *", "timezone": "America/New_York", "parameters": {"alpha": 2}},
    )
    assert code == 200 and state["cron"] == "0 3 * * *" and state["parameters"] == {"alpha": 2.0}
    assert state["next_fire_at"] is not None
    code, state = await api(
        jp_fetch, "jobs", "train", "stages", "staging", method="PUT", body={"paused": True}
    )
    assert code == 200 and state["paused"] is True and state["next_fire_at"] is None
    assert state["cron"] == "0 3 * * *"  # fields not given are kept
    code, state = await api(
        jp_fetch, "jobs", "train", "stages", "staging", method="PUT", body={"cron": None}
    )
    assert code == 200 and state["cron"] is None

    code, answer = await api(jp_fetch, "jobs", "train", "versions", method="POST")
    assert code == 400 and "no notebook of job 'train' changed" in answer["message"]
    write_notebook(notebook, "print(alpha + 1)", parameters="alpha = 0.5\nlabel = 'base'")
    code, listed = await api(jp_fetch, "jobs")
    assert listed["jobs"][0]["notebook_changed"] is True
    code, version = await api(jp_fetch, "jobs", "train", "versions", method="POST")
    assert code == 200 and version["number"] == 2
    code, detail = await api(jp_fetch, "jobs", "train")
    assert code == 200 and [v["number"] for v in detail["versions"]] == [2, 1]
    assert detail["changed_steps"] == []
    stages = {s["stage"]: s["version"] for s in detail["job"]["stages"]}
    assert stages == {"dev": 2, "staging": 1, "prod": None}
    actions = [e["action"] for e in detail["events"]]
    assert "promote" in actions and "create" in actions and "version" in actions

    code, answer = await api(
        jp_fetch, "jobs", "train", "rollback", method="POST", body={"stage": "prod"}
    )
    assert code == 400 and "no version in prod" in answer["message"]


async def test_racing_promotions_give_one_200_and_the_rest_409(
    jp_fetch: Any, notebook: Path
) -> None:
    await promote(jp_fetch, notebook="train.ipynb")
    _, run = await api(jp_fetch, "jobs", "train", "runs", method="POST", body={})
    assert (await wait_finished(jp_fetch, run["id"]))["status"] == "succeeded"
    body = {"to": "staging", "expected_version": None}
    answers = await asyncio.gather(
        *(api(jp_fetch, "jobs", "train", "promote", method="POST", body=body) for _ in range(6))
    )
    assert sorted(code for code, _ in answers) == [200] + [409] * 5
    assert mlops.jobs.job("train").stages[1].version == 1
    promotions = [e for e in mlops.jobs.events("train") if e.action == "promote"]
    assert len(promotions) == 1


async def test_cancel_stops_a_running_run(jp_fetch: Any, sleeper: Path) -> None:
    await promote(jp_fetch, notebook="sleeper.ipynb")
    code, run = await api(jp_fetch, "jobs", "sleeper", "runs", method="POST", body={})
    assert code == 200 and run["status"] == "running"
    code, cancelled = await api(jp_fetch, "job-runs", str(run["id"]), "cancel", method="POST")
    assert code == 200 and cancelled["status"] == "cancelled", cancelled
    code, again = await api(jp_fetch, "job-runs", str(run["id"]), "cancel", method="POST")
    assert code == 409 and "already ended" in again["message"]


async def test_twenty_identical_run_requests_make_one_run(jp_fetch: Any, sleeper: Path) -> None:
    await promote(jp_fetch, notebook="sleeper.ipynb")
    body = {"token": "click-7f3a", "parameters": {"seconds": 60}}
    answers = await asyncio.gather(
        *(api(jp_fetch, "jobs", "sleeper", "runs", method="POST", body=body) for _ in range(20))
    )
    assert {code for code, _ in answers} == {200}
    assert len({run["id"] for _, run in answers}) == 1
    code, page = await api(jp_fetch, "jobs", "sleeper", "runs")
    assert page["total"] == 1
    run_id = answers[0][1]["id"]
    code, run = await api(jp_fetch, "job-runs", str(run_id), "cancel", method="POST")
    assert code == 200 and run["status"] == "cancelled"


async def test_a_token_of_another_job_is_a_409(jp_fetch: Any, notebook: Path) -> None:
    mlops.jobs.promote("train.ipynb", by="alice")
    mlops.jobs.promote("train.ipynb", name="other", by="alice")
    first = mlops.jobs.store().create_run("other", "dev", "manual", "alice", token="tok-1")
    code, answer = await api(
        jp_fetch, "jobs", "train", "runs", method="POST", body={"token": "tok-1"}
    )
    assert code == 409 and f"already started run {first.id} of job 'other'" in answer["message"]
    assert mlops.jobs.runs("train") == [] and mlops.jobs.get_run(first.id).status == "queued"


BAD_PROMOTIONS = [
    ({"notebook": "train.ipynb", "cron": "0 " * 150}, "at most 200 characters"),
    ({"notebook": "train.ipynb", "cron": "61 * * * *"}, "minute"),
    ({"notebook": "train.ipynb", "cron": "0 6 * * *", "timezone": "Mars/Olympus"}, "Mars"),
    ({"notebook": "train.ipynb", "timezone": "Not/AZone"}, "Not/AZone"),
    ({"notebook": "train.ipynb", "parameters": {"alpha": "high"}}, "expects float, got str"),
    ({"notebook": "train.ipynb", "parameters": {"x=1;import os#": 1}}, "not a valid Python"),
    ({"notebook": "train.ipynb", "parameters": {"beta": 1}}, "unknown parameter 'beta'"),
    ({"notebook": "../outside.ipynb"}, "outside the workspace"),
    ({"notebook": "/etc/passwd"}, "outside the workspace"),
    ({"notebook": "missing.ipynb"}, "does not exist"),
    ({"notebook": "train.ipynb", "name": "bad name"}, "is not a job name"),
    ({"notebook": "train.ipynb", "options": {"retries": -1}}, "retries"),
    ({"notebook": "train.ipynb", "options": {"colour": "red"}}, "colour"),
    ({}, "give either notebook or steps"),
    ({"steps": [{"name": "a", "notebook": "train.ipynb"}]}, "needs a name"),
    (
        {"name": "p", "steps": [{"name": "a", "notebook": "train.ipynb", "depends_on": ["b"]}]},
        "unknown step",
    ),
]


@pytest.mark.parametrize(("body", "message"), BAD_PROMOTIONS)
async def test_bad_promotions_are_a_clear_400_and_store_nothing(
    jp_fetch: Any, notebook: Path, body: dict[str, Any], message: str
) -> None:
    (notebook.parent.parent / "outside.ipynb").write_text(notebook.read_text())
    code, answer = await api(jp_fetch, "jobs", method="POST", body=body)
    assert code == 400, answer
    assert message in answer["message"] and "Traceback" not in answer["message"]
    assert stored() == ([], 0)


@pytest.mark.parametrize(
    "body",
    [
        "null",
        "[]",
        '"train.ipynb"',
        "{",
        '{"notebook": 5}',
        '{"notebook": "train.ipynb\\u0000"}',
        '{"notebook": "train.ipynb", "parameters": [1]}',
        '{"notebook": "train.ipynb", "parameters": {"alpha": NaN}}',
        '{"notebook": "train.ipynb", "parameters": {"alpha": 1e999}}',
        '{"notebook": "train.ipynb", "options": {"gates": {"thresholds": [{"source": "x"}]}}}',
        '{"notebook": "train.ipynb", "options": {"timeout_s": 0}}',
        '{"steps": [], "name": "p"}',
        '{"steps": [{"name": "a", "notebook": "train.ipynb", "inputs": {"alpha": "a"}}], '
        '"name": "p"}',
    ],
)
async def test_malformed_bodies_are_400_not_500(jp_fetch: Any, notebook: Path, body: str) -> None:
    code, answer = await api(jp_fetch, "jobs", method="POST", body=body)
    assert code == 400, answer
    assert answer["reason"] == "Invalid" and answer["message"]
    assert stored() == ([], 0)
    mlops.jobs.promote("train.ipynb", by="alice")
    for parts, method in (
        (("jobs", "train", "runs"), "POST"),
        (("jobs", "train", "promote"), "POST"),
        (("jobs", "train", "stages", "dev"), "PUT"),
        (("jobs", "train", "rollback"), "POST"),
    ):
        code, answer = await api(jp_fetch, *parts, method=method, body=body)
        assert 400 <= code < 500, (parts, answer)


@pytest.mark.parametrize(
    ("method", "parts", "params", "body", "status", "message"),
    [
        ("GET", ("jobs", "nope"), None, None, 404, "no job named 'nope'"),
        ("GET", ("jobs", "bad name"), None, None, 400, "is not a job name"),
        ("GET", ("jobs", "nope", "runs"), None, None, 404, "no job named 'nope'"),
        ("GET", ("jobs", "train", "runs"), {"stage": "qa"}, None, 400, "stage"),
        ("GET", ("jobs", "train", "runs"), {"limit": "0"}, None, 400, "limit"),
        ("GET", ("jobs",), {"colour": "x"}, None, 400, "unknown query parameter"),
        ("GET", ("jobs",), {"offset": "-1"}, None, 400, "offset"),
        ("POST", ("jobs", "nope", "runs"), None, {}, 404, "no job named 'nope'"),
        ("POST", ("jobs", "train", "runs"), None, {"stage": "qa"}, 400, "stage"),
        ("POST", ("jobs", "train", "runs"), None, {"stage": "prod"}, 400, "no version in prod"),
        (
            "POST",
            ("jobs", "train", "runs"),
            None,
            {"parameters": {"alpha": [1]}},
            400,
            "expects float, got list",
        ),
        (
            "POST",
            ("jobs", "train", "runs"),
            None,
            {"parameters": {"x=1;import os#": 1}},
            400,
            "not a valid Python identifier",
        ),
        ("POST", ("jobs", "train", "runs"), None, "{not json", 400, "JSON"),
        ("PUT", ("jobs", "train", "stages", "qa"), None, {}, 400, "stage must be one of"),
        ("PUT", ("jobs", "train", "stages", "dev"), None, {"cron": "* * *"}, 400, "cron"),
        ("PUT", ("jobs", "train", "stages", "dev"), None, {"timezone": "X/Y"}, 400, "X/Y"),
        (
            "PUT",
            ("jobs", "train", "stages", "dev"),
            None,
            {"parameters": {"label": 3}},
            400,
            "expects str, got int",
        ),
        ("PUT", ("jobs", "nope", "stages", "dev"), None, {}, 404, "no job named 'nope'"),
        ("POST", ("jobs", "nope", "versions"), None, None, 404, "no job named 'nope'"),
        ("GET", ("jobs", "train", "promotion"), {"to": "qa"}, None, 400, "to"),
        ("GET", ("jobs", "nope", "promotion"), None, None, 404, "no job named 'nope'"),
        ("POST", ("jobs", "train", "promote"), None, {"to": "qa"}, 400, "to"),
        ("POST", ("jobs", "train", "promote"), None, {}, 400, "to"),
        ("POST", ("jobs", "train", "rollback"), None, {"stage": "dev"}, 400, "roll back"),
        ("GET", ("job-runs", "999"), None, None, 404, "no job run 999"),
        ("GET", ("job-runs", "abc"), None, None, 400, "whole number"),
        ("GET", ("job-runs", "-1"), None, None, 400, "whole number"),
        ("GET", ("job-runs", "999", "log"), None, None, 404, "no job run 999"),
        ("GET", ("job-runs", "1", "log"), {"max_bytes": "0"}, None, 400, "max_bytes"),
        ("GET", ("job-runs", "999", "steps", "train", "notebook"), None, None, 404, "999"),
        ("GET", ("job-runs", "999", "steps", "train", "html"), None, None, 404, "999"),
        ("POST", ("job-runs", "999", "cancel"), None, None, 404, "no job run 999"),
        ("GET", ("notebook-parameters",), {"path": "../x.ipynb"}, None, 400, "outside"),
        ("GET", ("notebook-parameters",), {"path": "nope.ipynb"}, None, 400, "does not exist"),
        ("GET", ("notebook-parameters",), {"path": "mlops.toml"}, None, 400, "not a notebook"),
        ("GET", ("notebook-parameters",), None, None, 400, "path"),
    ],
)
async def test_bad_input_is_a_clear_4xx_and_changes_nothing(
    jp_fetch: Any,
    notebook: Path,
    method: str,
    parts: tuple[str, ...],
    params: Any,
    body: Any,
    status: int,
    message: str,
) -> None:
    mlops.jobs.promote("train.ipynb", by="alice")
    (notebook.parent / "mlops.toml").touch()
    before = stored()
    code, answer = await api(jp_fetch, *parts, method=method, params=params, body=body)
    assert code == status, answer
    assert message in answer["message"] and "Traceback" not in answer["message"]
    assert stored() == before


async def test_unknown_steps_of_a_run_are_404(jp_fetch: Any, sleeper: Path) -> None:
    mlops.jobs.promote("sleeper.ipynb", by="alice")
    run = mlops.jobs.store().create_run("sleeper", "dev", "manual", "alice")  # stays queued
    for parts in (("steps", "other", "notebook"), ("steps", "other", "html")):
        code, answer = await api(jp_fetch, "job-runs", str(run.id), *parts)
        assert code == 404 and "has no step 'other'" in answer["message"]
    code, answer = await api(jp_fetch, "job-runs", str(run.id), "log", params={"step": "other"})
    assert code == 404 and "has no step 'other'" in answer["message"]
    code, answer = await api(jp_fetch, "job-runs", str(run.id), "steps", "sleeper", "notebook")
    assert code == 404 and "no executed notebook yet" in answer["message"]
    code, cancelled = await api(jp_fetch, "job-runs", str(run.id), "cancel", method="POST")
    assert code == 200 and cancelled["status"] == "cancelled"


@pytest.mark.parametrize("segment", PATH_TRICKS)
async def test_path_tricks_in_names_and_ids_are_refused(
    jp_fetch: Any, notebook: Path, segment: str
) -> None:
    mlops.jobs.promote("train.ipynb", by="alice")
    before = stored()
    for method, parts in (
        ("GET", ("jobs", segment)),
        ("GET", ("jobs", segment, "runs")),
        ("POST", ("jobs", segment, "runs")),
        ("POST", ("jobs", segment, "versions")),
        ("PUT", ("jobs", "train", "stages", segment)),
        ("GET", ("job-runs", segment)),
        ("GET", ("job-runs", segment, "log")),
        ("GET", ("job-runs", "1", "steps", segment, "notebook")),
        ("POST", ("job-runs", segment, "cancel")),
    ):
        body = {} if method in ("POST", "PUT") else None
        code, _ = await api(jp_fetch, *parts, method=method, body=body)
        assert code in (400, 404), (parts, code)
    code, _ = await api(jp_fetch, "notebook-parameters", params={"path": segment})
    assert code in (400, 404)
    assert stored() == before


ROUTES = [
    ("GET", "jobs"),
    ("POST", "jobs"),
    ("GET", "jobs/train"),
    ("POST", "jobs/train/versions"),
    ("PUT", "jobs/train/stages/dev"),
    ("GET", "jobs/train/runs"),
    ("POST", "jobs/train/runs"),
    ("GET", "jobs/train/promotion"),
    ("POST", "jobs/train/promote"),
    ("POST", "jobs/train/rollback"),
    ("GET", "job-runs/RUN"),
    ("GET", "job-runs/RUN/log"),
    ("GET", "job-runs/RUN/steps/train/notebook"),
    ("GET", "job-runs/RUN/steps/train/html"),
    ("POST", "job-runs/RUN/cancel"),
    ("GET", "notebook-parameters?path=train.ipynb"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_every_jobs_route_refuses_requests_without_a_token(
    jp_fetch: Any, notebook: Path, method: str, path: str
) -> None:
    mlops.jobs.promote("train.ipynb", by="alice")
    run = mlops.jobs.store().create_run("train", "dev", "manual", "alice")
    path = path.replace("RUN", str(run.id))
    before = stored()
    body = {"notebook": "train.ipynb", "name": "other", "to": "staging", "stage": "dev"}
    route, _, query = path.partition("?")
    try:
        await jp_fetch(
            "mlops",
            "api",
            *route.split("/"),
            method=method,
            params=dict([query.split("=")]) if query else None,
            body=json.dumps({} if "runs" in route else body) if method != "GET" else None,
            headers={"Authorization": ""},
        )
        code = 200
    except HTTPClientError as err:
        code = err.code
    assert code == 403
    assert stored() == before
    assert mlops.jobs.get_run(run.id).status == "queued"
