"""Registering a model version freezes its run's notebook.

A run tracked from a notebook names the notebook file as its MLflow source; the file keeps
changing after the run. When a version of the run's model is registered, the file as it
is saved at that moment is logged as the run artifact ``mlops/notebook.ipynb``, so the
review page reads that copy (and the diff against the champion compares two frozen
notebooks) instead of the file as it is when the page is opened.

Nothing is frozen when the run already has a notebook artifact (it logged its own) or was
tracked inside a job step (the step's executed notebook is more faithful), nor for a file
outside the workspace root, unreadable, not a notebook or larger than
``MAX_SNAPSHOT_BYTES``. A snapshot never fails the registration: what goes wrong is
logged as a warning and the page falls back to the file as it is now.
"""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path, PurePosixPath

from mlflow.tracking import MlflowClient
from mlflow.utils.mlflow_tags import MLFLOW_SOURCE_NAME

from ..workspace import Workspace
from .notebook_source import (
    NOTEBOOK_ARTIFACT,
    SNAPSHOT_TAG,
    artifact_notebook,
    from_job,
    parse_notebook,
    source_notebook,
)

MAX_SNAPSHOT_BYTES = 50 * 1024 * 1024
log = logging.getLogger(__name__)


class _NotFrozen(Exception):
    """The notebook is not frozen, for a reason worth a warning."""


def _read_bounded(path: Path, notebook: str) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_SNAPSHOT_BYTES + 1)
    except FileNotFoundError as exc:
        raise _NotFrozen(f"the notebook {notebook} is no longer in the workspace") from exc
    if len(data) > MAX_SNAPSHOT_BYTES:
        limit = f"{MAX_SNAPSHOT_BYTES / 2**20:g} MB"
        raise _NotFrozen(f"the notebook {notebook} is larger than {limit}: not copied")
    try:
        parse_notebook(data)
    except ValueError as exc:
        raise _NotFrozen(f"{notebook}: {exc}") from exc
    return data


def _freeze(client: MlflowClient, ws: Workspace, run_id: str, model: str, version: int) -> str:
    """Log the notebook; returns what was done, or why nothing was (no warning needed).
    Raises _NotFrozen (or the store's error) when the notebook should have been frozen."""
    if artifact_notebook(client, run_id) is not None:
        return "the run already has a notebook artifact: kept"
    run = client.get_run(run_id)
    notebook, reason = source_notebook(ws, run)
    if notebook is None:
        if run.data.tags.get(MLFLOW_SOURCE_NAME, "").endswith(".ipynb"):
            raise _NotFrozen(reason)  # a notebook outside the workspace root
        return reason
    if from_job(ws, dict(run.data.tags), notebook) is not None:
        return "the run was tracked in a job step, whose executed notebook is kept"
    data = _read_bounded(ws.root / notebook, notebook)
    folder, name = PurePosixPath(NOTEBOOK_ARTIFACT).parent, PurePosixPath(NOTEBOOK_ARTIFACT).name
    with tempfile.TemporaryDirectory(prefix="mlops-notebook-") as tmp:
        local = Path(tmp) / name
        local.write_bytes(data)
        client.log_artifact(run_id, str(local), str(folder))
    frozen = {"path": notebook, "model": model, "version": version}
    client.set_tag(run_id, SNAPSHOT_TAG, json.dumps(frozen))
    return f"froze {notebook} as {NOTEBOOK_ARTIFACT} of run {run_id}"


def freeze_notebook(
    client: MlflowClient, ws: Workspace, run_id: str, model: str, version: int
) -> str:
    """Log the source notebook of run ``run_id`` as its ``mlops/notebook.ipynb`` when
    ``model`` version ``version`` is registered from it. Never raises: returns what was
    done or why nothing was, and logs a warning when the notebook could not be frozen."""
    try:
        return _freeze(client, ws, run_id, model, version)
    except _NotFrozen as exc:
        message = str(exc)
    except Exception as exc:  # the artifact store, the tracking store, the file system
        message = f"{type(exc).__name__}: {exc}"
    log.warning(
        "%s version %s is registered, but its run's notebook was not frozen (%s): its review "
        "page reads the notebook file as it is now",
        model,
        version,
        message,
    )
    return f"not frozen: {message}"
