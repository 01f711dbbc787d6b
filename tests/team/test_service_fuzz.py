"""The OpenAPI fuzzing of ``tests/server/test_openapi_fuzz.py``, through the team service
on a real Hub: every operation, as alice (her Hub token) and without a token, through the
Hub's proxy. No answer is a 5xx, each status is one the document declares, each body
matches its schema; without a token every operation is refused.

The service's workspace is seeded as the server's is (runs, datasets, a monitor, a job, a
registered model under review), on a PostgreSQL schema of its own, dropped afterwards,
so nothing the fuzzing writes reaches other tests' tables.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import create_engine, text

from jupyter_mlops.server.routes import ROUTES
from jupyter_mlops.workspace import ROOT_ENV
from tests.server.test_openapi_fuzz import Server, _outcome, schemathesis
from tests.state_db import POSTGRES_ENV, STATE_DB_ENV
from tests.team.hub import ROOT, Hub, running_hub

SEED_LIMIT_S = 300


@pytest.fixture(scope="module")
def schema_url() -> Iterator[str]:
    """A PostgreSQL schema of the test database for this module's service, dropped after."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set (make test-py sets it)")
    name = f"team_fuzz_{secrets.token_hex(4)}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {name}"))
    try:
        yield f"{url}?options=-csearch_path%3D{name}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
        engine.dispose()


@pytest.fixture(scope="module")
def hub(schema_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with running_hub(tmp_path_factory.mktemp("hub-fuzz"), schema_url) as running:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_MLOPS_", "MLFLOW"))
        }
        env.update(
            {
                ROOT_ENV: str(running.workspace),
                STATE_DB_ENV: schema_url,
                "PYTHONPATH": os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]),
            }
        )
        code = "from tests.server.test_openapi_fuzz import seed_workspace; seed_workspace()"
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=SEED_LIMIT_S
        )
        yield running


@pytest.fixture(scope="module")
def service(hub: Hub) -> Server:
    """The service as Schemathesis sees it, with the document it serves to alice."""
    _, token = hub.token("alice")
    document = httpx.get(
        f"{hub.service_url}/mlops/api/openapi.json",
        headers={"Authorization": f"token {token}"},
        timeout=60,
    )
    assert document.status_code == 200, document.text
    home = hub.directory / "fuzz"
    home.mkdir()
    schema = home / "openapi.json"
    schema.write_bytes(document.content)
    server = Server(hub.service_url, home, hub.workspace, schema)
    server.token = token  # type: ignore[attr-defined]
    return server


def test_every_operation_through_the_service_holds_its_contract_as_alice(service: Server) -> None:
    token = service.token  # type: ignore[attr-defined]
    result = schemathesis(service, f"--header=Authorization: token {token}")
    assert result.returncode == 0, _outcome(result)
    assert f"Tested: {len(ROUTES)}" in result.stdout, _outcome(result)


def test_every_operation_through_the_service_is_refused_without_a_token(
    service: Server,
) -> None:
    result = schemathesis(service)
    assert result.returncode == 0, _outcome(result)
    assert f"Tested: {len(ROUTES)}" in result.stdout, _outcome(result)
    assert httpx.get(f"{service.url}/mlops/api/jobs", timeout=30).status_code == 403
