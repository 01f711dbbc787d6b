"""A model's scoring server runs the model's code: started by the team service, it gets
none of the service's secrets, and still serves (the registry is reached by its URI)."""

from __future__ import annotations

import httpx
import psutil
import pytest

from jupyter_mlops.remote.children import TEAM_SERVICE_ENV
from jupyter_mlops.serving.scoring import ScoringServer
from jupyter_mlops.workspace import Workspace
from tests.serving.conftest import MODEL, ROWS, Registered


def test_a_scoring_server_of_the_team_service_holds_no_secret_and_serves(
    mlops_workspace: Workspace, registered: Registered, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TEAM_SERVICE_ENV, "http://127.0.0.1:10101/services/mlops")
    monkeypatch.setenv("JUPYTER_MLOPS_STATE_DB_URL", mlops_workspace.state_db_url)
    monkeypatch.setenv("PGPASSWORD", "the-service-secret")
    log = mlops_workspace.mlops_dir / "scoring-test.log"
    server = ScoringServer(mlops_workspace, MODEL, registered.versions[0], log, {"MARK": "1"})
    server.start()
    try:
        server.wait_healthy()
        assert server.proc is not None
        env = psutil.Process(server.proc.pid).environ()
        assert "JUPYTER_MLOPS_STATE_DB_URL" not in env and "PGPASSWORD" not in env
        assert env["JUPYTER_MLOPS_SERVICE_URL"].endswith("/services/mlops")
        assert env["MARK"] == "1" and env["MLFLOW_TRACKING_URI"] == mlops_workspace.tracking_uri
        answer = httpx.post(f"{server.url}/invocations", json=ROWS, timeout=30)
        assert answer.status_code == 200 and answer.json() == {"predictions": [0, 0]}
    finally:
        server.stop()
