"""A training set recorded on the MLflow run that used it.

An MLflow dataset input (context ``training``) whose digest is our full-content digest of
the frame, and run tags naming the service, the feature references and each view's version
and source dataset version, so the run says exactly what it was trained on and the
Features panel finds the runs (and so the registered models) that used a service.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from mlflow.data.code_dataset_source import CodeDatasetSource
from mlflow.data.meta_dataset import MetaDataset
from mlflow.entities import DatasetInput, InputTag, RunTag
from mlflow.tracking import MlflowClient
from mlflow.utils.mlflow_tags import MLFLOW_DATASET_CONTEXT

from ..datasets.lineage import MLFLOW_DIGEST_LENGTH

if TYPE_CHECKING:
    from .training import TrainingSet

SERVICE_TAG = "mlops.features.service"
VIEWS_TAG = "mlops.features.views"  # JSON: [{view, version, dataset, dataset_version}]
REFS_TAG = "mlops.features.refs"  # JSON list of view:feature
MAX_TAG = 5000  # MLflow's tag value limit is 8000 characters; keep a margin


def run_tags(ts: TrainingSet) -> dict[str, str]:
    """The run tags a training set writes (ours; Feast's where they fit)."""
    info = ts.info
    views = [
        {
            "view": u.view,
            "version": u.view_version,
            "dataset": u.dataset,
            "dataset_version": u.dataset_version,
        }
        for u in info.views
    ]
    tags = {
        VIEWS_TAG: json.dumps(views, separators=(",", ":"))[:MAX_TAG],
        REFS_TAG: json.dumps(info.features, separators=(",", ":"))[:MAX_TAG],
    }
    if info.service:
        tags[SERVICE_TAG] = info.service
    return tags


def log_training_set(client: MlflowClient, run_id: str, ts: TrainingSet) -> None:
    """Record ``ts`` on ``run_id``: a dataset input with its digest, and the run tags."""
    digest = ts.digest()
    ts.info = ts.info.model_copy(update={"digest": digest})
    name = f"training set of {ts.info.service}" if ts.info.service else "training set"
    source = CodeDatasetSource(tags={"mlops.features.digest": digest})
    dataset = MetaDataset(  # type: ignore[abstract]
        source=source, name=name, digest=digest[:MLFLOW_DIGEST_LENGTH]
    )
    client.log_inputs(
        run_id,
        [
            DatasetInput(
                dataset._to_mlflow_entity(), tags=[InputTag(MLFLOW_DATASET_CONTEXT, "training")]
            )
        ],
    )
    client.log_batch(run_id, tags=[RunTag(k, v) for k, v in run_tags(ts).items()])
