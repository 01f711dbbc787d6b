"""The first MLflow call of a fresh process or server works, and writes only under .mlops/.

MLflow's registry resolves a ``models:/m-…`` source through the process-wide tracking URI;
a restarted kernel or a new server has not pointed it at the workspace yet. Every entry
point goes through ``tracking.store.use_workspace``, which does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jupyter_mlops.reviews import registry
from jupyter_mlops.reviews.api import store_for
from jupyter_mlops.workspace import ROOT_ENV, Workspace
from tests.helpers import api
from tests.reviews.conftest import ALICE, log_model_run

# Each a first call in a new Python process: a restarted kernel's or a script's.
FIRST_CALLS = {
    "register": "mlops.reviews.register(RUN, 'fresh-proc')",
    "versions": "mlops.reviews.versions('cancer')",
    "set_alias": "mlops.reviews.set_alias('cancer', 'staging', 1)",
    "champion": "mlops.reviews.champion('cancer')",
    "page": "mlops.reviews.page(REVIEW)",
    "track": (
        "with mlops.track(experiment='fresh', autolog=False) as run:\n"
        "    mlops.log_metrics({'m': 1.0})"
    ),
}


def _outside_mlops(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if ".mlops" not in p.parts}


@pytest.fixture
def registered(mlops_workspace: Workspace, mlops_client: Any) -> tuple[str, int]:
    run_id = log_model_run()
    registry.register(mlops_workspace, run_id, "cancer")
    review = store_for(mlops_workspace).request("cancer", 1, ALICE)
    return run_id, review.id


@pytest.mark.parametrize("call", sorted(FIRST_CALLS))
def test_a_first_call_in_a_fresh_process(
    call: str, registered: tuple[str, int], mlops_workspace: Workspace
) -> None:
    run_id, review_id = registered
    root = mlops_workspace.root
    before = _outside_mlops(root)
    code = (
        "import jupyter_mlops as mlops\n"
        f"RUN, REVIEW = {run_id!r}, {review_id}\n" + FIRST_CALLS[call] + "\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env[ROOT_ENV] = str(root)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert _outside_mlops(root) == before  # no stray mlflow.db, mlruns/ or anything else


async def test_registering_is_the_first_request_of_a_fresh_server(
    jp_fetch: Any, registered: tuple[str, int], tmp_path: Path, mlops_workspace: Workspace
) -> None:
    import mlflow

    run_id, _ = registered
    # As in a new server process: MLflow's process-wide URI is not the workspace's.
    decoy = tmp_path / "decoy" / "mlflow.db"
    mlflow.set_tracking_uri(f"sqlite:///{decoy}")
    body = {"run_id": run_id, "name": "fresh-server"}
    code, version = await api(jp_fetch, "models", method="POST", body=body)
    assert code == 200, version
    assert version["name"] == "fresh-server" and version["version"] == 1
    assert registry.get_version(mlops_workspace, "fresh-server", 1).run_id == run_id
    assert not decoy.exists()
