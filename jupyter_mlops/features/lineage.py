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

# Feast's own run tags (its MLflow integration writes and reads these names): Feast's UI
# lists runs carrying feast.project and feast.retrieval_type, and its model resolver reads
# feast.feature_service from a model version's run.
FEAST_PROJECT = "mlops"  # the project `jupyter mlops export feast` writes, by default
FEAST_PROJECT_TAG = "feast.project"
FEAST_RETRIEVAL_TAG = "feast.retrieval_type"
FEAST_SERVICE_TAG = "feast.feature_service"
FEAST_VIEWS_TAG = "feast.feature_views"  # sorted view names, comma-joined
FEAST_REFS_TAG = "feast.feature_refs"  # view:feature, comma-joined
FEAST_ENTITY_COUNT_TAG = "feast.entity_count"
FEAST_FEATURE_COUNT_TAG = "feast.feature_count"
# Ours: each view's exact version and source dataset version, so a run resolves again to
# exactly what it was trained on.
VIEWS_TAG = "mlops.features.views"  # JSON: [{view, version, dataset, dataset_version}]
MAX_TAG = 4990  # Feast cuts its tag values here; MLflow allows 8000 characters


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TAG else text[: MAX_TAG - 3] + "..."


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
        FEAST_PROJECT_TAG: FEAST_PROJECT,
        FEAST_RETRIEVAL_TAG: "historical",
        FEAST_VIEWS_TAG: _cut(",".join(sorted(u.view for u in info.views))),
        FEAST_REFS_TAG: _cut(",".join(info.features)),
        FEAST_ENTITY_COUNT_TAG: str(info.rows),
        FEAST_FEATURE_COUNT_TAG: str(len(info.features)),
        VIEWS_TAG: _cut(json.dumps(views, separators=(",", ":"))),
    }
    if info.service:
        tags[FEAST_SERVICE_TAG] = info.service
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
