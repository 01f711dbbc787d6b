"""Jobs routes as named users: who promotes, runs and changes a stage is recorded as the
signed-in user; a refused user gets 403 and nothing changes."""

from pathlib import Path
from typing import Any

import pytest

import jupyter_mlops as mlops
from jupyter_mlops.pytest_plugin import write_notebook
from jupyter_mlops.workspace import Workspace
from tests.helpers import api, as_user


@pytest.fixture
def jp_server_config(mlops_multiuser_server_config: dict[str, Any]) -> dict[str, Any]:
    config = {k: dict(v) for k, v in mlops_multiuser_server_config.items()}
    config["MlopsApp"]["run_scheduler"] = False
    return config


@pytest.fixture
def notebook(mlops_workspace: Workspace) -> Path:
    return write_notebook(mlops_workspace.root / "nb.ipynb", "x = 1", parameters="alpha = 1")


async def test_writes_are_recorded_as_the_signed_in_user(jp_fetch: Any, notebook: Path) -> None:
    code, job = await api(
        jp_fetch, "jobs", method="POST", body={"notebook": "nb.ipynb"}, **as_user("alice")
    )
    assert code == 200 and job["created_by"] == "alice"
    code, _ = await api(
        jp_fetch,
        "jobs",
        "nb",
        "stages",
        "dev",
        method="PUT",
        body={"paused": True},
        **as_user("bob"),
    )
    assert code == 200
    run = mlops.jobs.store().create_run("nb", "dev", "manual", "alice")  # queued, not launched
    code, cancelled = await api(
        jp_fetch, "job-runs", str(run.id), "cancel", method="POST", **as_user("bob")
    )
    assert code == 200 and cancelled["error"] == "cancelled by bob before it started"
    events = [(e.action, e.by, e.by_source) for e in mlops.jobs.events("nb")]
    assert events == [("pause", "bob", "authenticated"), ("create", "alice", "authenticated")]
    # the Python API (a kernel, a script) names itself: recorded as asserted
    write_notebook(notebook, "x = 2", parameters="alpha = 1")
    mlops.jobs.update("nb", by="carol")
    newest = {(e.action, e.by, e.by_source) for e in mlops.jobs.events("nb")[:2]}
    assert ("version", "carol", "asserted") in newest


@pytest.mark.parametrize(
    ("method", "parts", "body"),
    [
        ("GET", ("jobs",), None),
        ("POST", ("jobs",), {"notebook": "nb.ipynb", "name": "other"}),
        ("PUT", ("jobs", "nb", "stages", "dev"), {"paused": True}),
        ("POST", ("jobs", "nb", "runs"), {}),
        ("POST", ("jobs", "nb", "promote"), {"to": "staging"}),
    ],
)
async def test_a_refused_user_gets_403_and_nothing_changes(
    jp_fetch: Any, notebook: Path, method: str, parts: tuple[str, ...], body: Any
) -> None:
    mlops.jobs.promote("nb.ipynb", by="alice")
    before = (mlops.jobs.job("nb"), mlops.jobs.events("nb"), mlops.jobs.runs("nb"))
    code, _ = await api(jp_fetch, *parts, method=method, body=body, **as_user("mallory"))
    assert code == 403
    assert [j.name for j in mlops.jobs.jobs()] == ["nb"]
    assert (mlops.jobs.job("nb"), mlops.jobs.events("nb"), mlops.jobs.runs("nb")) == before
