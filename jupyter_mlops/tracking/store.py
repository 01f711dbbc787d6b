"""Access to the MLflow store of a workspace: one client per tracking URI, experiments.

MLflow stays the system of record: everything here goes through MLflow's own client so
that what we track opens unchanged in the MLflow UI.
"""

from __future__ import annotations

import functools
import logging
import re
import uuid

import mlflow
from mlflow.entities import Experiment
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from ..errors import Invalid
from ..workspace import Workspace

PRIMARY_METRIC_TAG = "mlops.primary_metric"
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
    """Point MLflow's fluent API at the workspace's store and return its client."""
    ws.ensure()
    if mlflow.get_tracking_uri() != ws.tracking_uri:
        mlflow.set_tracking_uri(ws.tracking_uri)
    return client_for(ws.tracking_uri)


def experiment_by_name(client: MlflowClient, ws: Workspace, name: str) -> Experiment:
    """Get the named experiment, creating it (artifacts under the workspace) if missing."""
    name = name.strip()
    if not name:
        raise Invalid("experiment name must not be empty")
    found = client.get_experiment_by_name(name)
    if found is not None:
        if found.lifecycle_stage == "deleted":
            raise Invalid(f"experiment {name!r} is deleted; restore it in MLflow or pick another name")
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


def greater_is_better(metric: str) -> bool:
    """Direction of a metric from its name: losses and errors are better when lower."""
    return _LOWER_IS_BETTER.search(metric) is None
