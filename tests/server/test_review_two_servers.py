"""Two Jupyter servers with different identity providers on one workspace (one state DB,
one MLflow store): alice requests a review on server A (in this process), bob comments and
approves on server B (a ``jupyter server`` subprocess), and alice sees bob's comment and
the alias move on A.

It runs on a SQLite state DB and on PostgreSQL, both servers given the same URL through
``JUPYTER_MLOPS_STATE_DB_URL`` (PostgreSQL when ``JUPYTER_MLOPS_TEST_POSTGRES_URL`` names a
database, as ``make test-py`` does; see ``tests/state_db.py``)."""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPClientError

from jupyter_mlops.pytest_plugin import make_workspace
from jupyter_mlops.reviews import registry
from jupyter_mlops.workspace import Workspace
from tests.helpers import api, stop_process
from tests.reviews.conftest import log_model_run
from tests.state_db import KINDS, STATE_DB_ENV, empty_review_tables, use_state_db

OTHER_EXTENSIONS = ("jupyter_server_terminals", "jupyterlab", "nbdime", "jupyter_lsp")
START_LIMIT_S = 180  # generous: a cold server start imports MLflow

# Server B's users: only its own token names a user, and a different one than A's tokens.
IDENTITY_MODULE = '''
from jupyter_server.auth.identity import IdentityProvider, User


class ServerBIdentity(IdentityProvider):
    """``Authorization: token bob-on-b`` is bob; nothing else is anyone."""

    def get_user(self, handler):
        if handler.request.headers.get("Authorization", "") == "token bob-on-b":
            return User(username="bob", name="Bob on B", display_name="Bob on B")
        return None

    def is_token_authenticated(self, handler):
        return bool(handler.request.headers.get("Authorization", "").startswith("token "))
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(params=KINDS)
def state_db(
    request: pytest.FixtureRequest, mlops_root: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The state DB kind of the parameter, set before the workspace is resolved and before
    either server starts."""
    use_state_db(request.param, monkeypatch)
    return str(request.param)


@pytest.fixture
def jp_server_config(
    state_db: str, mlops_multiuser_server_config: dict[str, Any]
) -> dict[str, Any]:
    return mlops_multiuser_server_config


@pytest.fixture
def mlops_workspace(state_db: str, mlops_root: Path, mlops_empty_mlflow_db: Path) -> Workspace:
    """The test workspace on the state DB of ``state_db``, its review tables empty."""
    ws = make_workspace(mlops_root, mlops_empty_mlflow_db)
    empty_review_tables(ws.state_db_url)
    return ws


@pytest.fixture
def server_b(mlops_workspace: Workspace, tmp_path: Path) -> Iterator[str]:
    """A second server on the same workspace, ready; yields its base URL, always stops it."""
    here = tmp_path / "server-b"
    (here / "root").mkdir(parents=True)
    (here / "server_b_identity.py").write_text(IDENTITY_MODULE)
    port = free_port()
    config = {
        "ServerApp": {
            "ip": "127.0.0.1",
            "port": port,
            "port_retries": 0,
            "open_browser": False,
            "root_dir": str(here / "root"),
            "allow_root": True,
            # only ours: other installed extensions would only slow the start
            "jpserver_extensions": {
                "jupyter_mlops": True,
                **{name: False for name in OTHER_EXTENSIONS},
            },
            "allow_unauthenticated_access": False,
            "identity_provider_class": "server_b_identity.ServerBIdentity",
        },
        "MlopsApp": {"workspace_root": str(mlops_workspace.root), "run_scheduler": False},
    }
    (here / "config.json").write_text(json.dumps(config))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (str(here), os.environ.get("PYTHONPATH")) if p),
        "JUPYTER_CONFIG_DIR": str(here / "config"),
        "JUPYTER_RUNTIME_DIR": str(here / "runtime"),
        # the same state DB as server A, whichever kind (and not one B would resolve itself)
        STATE_DB_ENV: mlops_workspace.state_db_url,
    }
    log = (here / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", f"--config={here / 'config.json'}"],
        cwd=here,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(url, proc, here / "server.log")
        yield url
    finally:
        stop_process(proc)
        log.close()


async def call_b(url: str, path: str, method: str = "GET", body: Any = None) -> tuple[int, Any]:
    client = AsyncHTTPClient()
    try:
        resp = await client.fetch(
            f"{url}/mlops/api/{path}",
            method=method,
            headers={"Authorization": "token bob-on-b", "Content-Type": "application/json"},
            body=None if method == "GET" else json.dumps(body or {}),
            request_timeout=120,
        )
    except HTTPClientError as err:
        assert err.response is not None
        return err.code, json.loads(err.response.body or b"{}")
    return resp.code, json.loads(resp.body)


def wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Poll the server's info route until it answers (or it exits, or the limit passes)."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + START_LIMIT_S
    request = urllib.request.Request(
        f"{url}/mlops/api/info", headers={"Authorization": "token bob-on-b"}
    )
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(request, timeout=30) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"server B did not start:\n{log.read_text()[-4000:]}")


async def test_alice_on_a_requests_bob_on_b_approves_alice_sees_it_on_a(
    jp_fetch: Any, state_db: str, mlops_workspace: Workspace, mlops_client: Any, server_b: str
) -> None:
    registry.register(mlops_workspace, log_model_run(), "cancer")
    alice: dict[str, Any] = {"headers": {"Authorization": "token alice"}}

    # both servers on the one state DB of the parameter
    code, info_a = await api(jp_fetch, "info", **alice)
    assert code == 200
    code, info_b = await call_b(server_b, "info")
    assert code == 200
    assert info_a["state_db_url"] == info_b["state_db_url"]
    assert mlops_workspace.state_db_url.startswith(state_db)

    code, review = await api(
        jp_fetch, "reviews", method="POST", body={"model": "cancer", "version": 1}, **alice
    )
    assert code == 200, review
    rid = review["id"]

    code, waiting = await call_b(server_b, "reviews?view=waiting")
    assert code == 200 and [r["id"] for r in waiting["reviews"]] == [rid]
    code, comment = await call_b(
        server_b,
        f"reviews/{rid}/comments",
        "POST",
        {"body": "checked on B", "anchor": {"cell_index": 1}},
    )
    assert code == 200, comment
    code, decided = await call_b(
        server_b, f"reviews/{rid}/decisions", "POST", {"decision": "approve", "note": "ok"}
    )
    assert code == 200, decided
    assert decided["status"] == "approved" and decided["alias_state"] == "moved"

    code, detail = await api(jp_fetch, "reviews", str(rid), **alice)
    assert code == 200
    [seen] = detail["comments"]
    assert (seen["body"], seen["author"]["username"]) == ("checked on B", "bob")
    assert seen["author"]["display_name"] == "Bob on B"
    assert detail["review"]["status"] == "approved"
    code, models = await api(jp_fetch, "models", **alice)
    assert code == 200 and models["models"][0]["aliases"] == {"champion": 1}
    assert str(mlops_client.get_model_version_by_alias("cancer", "champion").version) == "1"

    # B knows no alice: her token is refused there
    client = AsyncHTTPClient()
    with pytest.raises(HTTPClientError) as refused:
        await client.fetch(f"{server_b}/mlops/api/reviews", headers=alice["headers"])
    assert refused.value.code == 403
