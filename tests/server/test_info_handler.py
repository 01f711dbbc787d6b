"""``GET /mlops/api/info`` tells what the workspace resolved to, never the state DB's
password: on SQLite (no password) and on PostgreSQL (password login, when
``JUPYTER_MLOPS_TEST_POSTGRES_URL`` names a database; see ``tests/state_db.py``)."""

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
