"""Access to the MLflow store of a workspace: one client per tracking URI, experiments.

MLflow stays the system of record: everything here goes through MLflow's own client so
that what we track opens unchanged in the MLflow UI.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import tempfile
import uuid
from pathlib import Path

import mlflow
from mlflow.entities import Experiment
from mlflow.exceptions import MlflowException
from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository
from mlflow.tracking import MlflowClient
from mlflow.utils.file_utils import local_file_uri_to_path

from .. import tags as mlops_tags
from ..errors import Invalid
from ..workspace import Workspace

PRIMARY_METRIC_TAG = mlops_tags.PRIMARY_METRIC
_LOWER_IS_BETTER = re.compile(r"(loss|error|err\b|mse|rmse|mae|mape|log_?loss|perplexity)", re.I)


@functools.lru_cache(maxsize=8)
def client_for(tracking_uri: str) -> MlflowClient:
    """The MLflow client of a tracking URI (cached: creating a SQL store runs migrations).

    The store is opened here, with MLflow's "creating tables" notices kept out of the
    notebook's output.
    """
    client = MlflowClient(tracking_uri=tracking_uri)
    db_log = logging.getLogger("mlflow.store.db.utils")
    level = db_log.level
    db_log.setLevel(logging.WARNING)
    try:
        client._tracking_client.store  # noqa: B018 - opening the store runs its migrations
    finally:
        db_log.setLevel(level)
    return client


def use_workspace(ws: Workspace) -> MlflowClient:
    """The one way to MLflow for a workspace: points MLflow's process-wide tracking URI
    (its fluent API, and the registry's resolution of ``models:/`` sources) at the
    workspace's store and returns its client.

    Every entry point that touches MLflow passes here, so the first call of a fresh
    process (a restarted kernel, a new server) works alike and never falls back to
    MLflow's default store (an ``mlflow.db`` in the current directory)."""
    ws.ensure()
    if mlflow.get_tracking_uri() != ws.tracking_uri:
        mlflow.set_tracking_uri(ws.tracking_uri)
    return client_for(ws.tracking_uri)


_known: dict[tuple[str, str], Experiment] = {}


def forget_experiment(ws: Workspace, name: str) -> None:
    """Drop a cached experiment (e.g. after MLflow refused it as deleted)."""
    _known.pop((ws.tracking_uri, name.strip()), None)


def experiment_by_name(client: MlflowClient, ws: Workspace, name: str) -> Experiment:
    """Get the named experiment, creating it (artifacts under the workspace) if missing.

    Found experiments are remembered for the process: a tracked cell then costs no lookup.
    MLflow itself refuses a run in an experiment deleted since (see ``forget_experiment``).
    """
    name = name.strip()
    if not name:
        raise Invalid("experiment name must not be empty")
    cached = _known.get((ws.tracking_uri, name))
    if cached is not None:
        return cached
    found = _lookup(client, ws, name)
    _known[(ws.tracking_uri, name)] = found
    return found


def _lookup(client: MlflowClient, ws: Workspace, name: str) -> Experiment:
    found = client.get_experiment_by_name(name)
    if found is not None:
        if found.lifecycle_stage == "deleted":
            raise Invalid(
                f"experiment {name!r} is deleted; restore it in MLflow or pick another name"
            )
        return found
    location = f"{ws.artifact_location.rstrip('/')}/{uuid.uuid4().hex}"
    try:
        client.create_experiment(name, artifact_location=location)
    except MlflowException as exc:
        # Another process created it between our lookup and our create: use theirs.
        if exc.error_code != "RESOURCE_ALREADY_EXISTS":
            raise
    created = client.get_experiment_by_name(name)
    assert created is not None
    return created


def set_primary_metric(
    client: MlflowClient, ws: Workspace, exp: Experiment, metric: str
) -> Experiment:
    """Remember ``metric`` as the experiment's primary metric (a tag MLflow shows too)."""
    if exp.tags.get(PRIMARY_METRIC_TAG) == metric:
        return exp
    client.set_experiment_tag(exp.experiment_id, PRIMARY_METRIC_TAG, metric)
    updated = client.get_experiment(exp.experiment_id)
    _known[(ws.tracking_uri, exp.name)] = updated
    return updated


def greater_is_better(metric: str) -> bool:
    """Direction of a metric from its name: losses and errors are better when lower."""
    return _LOWER_IS_BETTER.search(metric) is None


def save_text_artifact(artifact_uri: str, text: str, artifact_path: str) -> None:
    """Write ``text`` as the run artifact ``artifact_path`` (e.g. ``mlops/cell.py``).

    Like ``MlflowClient.log_text`` but given the run's artifact URI, which the caller
    already has, instead of fetching the whole run again to find it. A local artifact
    store is written in place (temporary file, then rename); others go through MLflow's
    artifact repository.
    """
    if artifact_uri.startswith("file:") or "://" not in artifact_uri:
        target = Path(local_file_uri_to_path(artifact_uri)) / artifact_path
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        return
    directory, _, name = artifact_path.rpartition("/")
    with tempfile.TemporaryDirectory() as tmp_dir:
        local = Path(tmp_dir) / name
        local.write_text(text, encoding="utf-8")
        get_artifact_repository(artifact_uri).log_artifact(str(local), directory or None)
