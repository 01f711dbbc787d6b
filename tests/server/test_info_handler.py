"""``GET /mlops/api/info`` tells what the workspace resolved to, never the state DB's
password: on SQLite (no password) and on PostgreSQL (password login, when
``JUPYTER_MLOPS_TEST_POSTGRES_URL`` names a database; see ``tests/state_db.py``)."""

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from jupyter_mlops.pytest_plugin import make_workspace
from jupyter_mlops.workspace import Workspace
from tests.helpers import api
from tests.state_db import KINDS, use_state_db


@pytest.fixture(params=KINDS)
def state_db(
    request: pytest.FixtureRequest, mlops_root: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The state DB kind of the parameter, set before the workspace and the server."""
    use_state_db(request.param, monkeypatch)
    return str(request.param)


@pytest.fixture
def mlops_workspace(state_db: str, mlops_root: Path, mlops_empty_mlflow_db: Path) -> Workspace:
    return make_workspace(mlops_root, mlops_empty_mlflow_db)


@pytest.fixture
def jp_server_config(state_db: str, mlops_server_config: dict[str, Any]) -> dict[str, Any]:
    return mlops_server_config


async def test_info_hides_the_state_db_password(
    jp_fetch: Any, state_db: str, mlops_workspace: Workspace
) -> None:
    code, info = await api(jp_fetch, "info")
    assert code == 200
    url = make_url(mlops_workspace.state_db_url)
    if state_db == "sqlite":
        assert url.password is None and info["state_db_url"] == mlops_workspace.state_db_url
        return
    assert url.password
    shown = make_url(info["state_db_url"])
    assert shown.password == "***" and shown._replace(password=url.password) == url
    response = await jp_fetch("mlops", "api", "info", method="GET")
    assert str(url.password) not in response.body.decode()


async def test_info_masks_the_credentials_of_every_url(
    jp_fetch: Any,
    jp_serverapp: Any,
    mlops_workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = jp_serverapp.web_app.settings
    masked = replace(
        settings["mlops_workspace"],
        tracking_uri="https://mlops:tr4ck@mlflow.example/api?token=t0ken",
        artifact_location="s3://bucket/artifacts?secret_key=s3cret&region=eu",
        state_db_url="postgresql://mlops:p4ss@db.example:notaport/state",
        object_store_url="s3://bucket/objects?X-Amz-Credential=cr3d&passwd=pw0",
        online_store_url="postgresql://feat:0nl1ne@db.example/online",
    )
    monkeypatch.setitem(settings, "mlops_workspace", masked)
    code, info = await api(jp_fetch, "info")
    assert code == 200
    assert info["tracking_uri"] == "https://mlops:***@mlflow.example/api?token=***"
    assert info["artifact_location"] == "s3://bucket/artifacts?region=eu&secret_key=***"
    assert info["state_db_url"] == "postgresql://mlops:***@db.example:notaport/state"
    assert info["object_store_url"] == "s3://bucket/objects?X-Amz-Credential=***&passwd=***"
    assert info["online_store_url"] == "postgresql://feat:***@db.example/online"
    secrets = ("tr4ck", "t0ken", "s3cret", "p4ss", "cr3d", "pw0", "0nl1ne")
    assert not any(s in str(info) for s in secrets)
