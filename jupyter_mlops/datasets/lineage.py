"""Lineage between dataset versions and MLflow runs, kept in MLflow itself.

A save or load inside a tracked run is logged as an MLflow run input whose digest is our
content hash (BLAKE3 of the full content, cut to the 32 hex digits MLflow's digest column
holds) — unlike ``mlflow.data``'s own digest, which samples the first 10,000 rows. The
input's context says whether the run consumed or produced the version, so MLflow's UI and
``search_runs`` (``datasets.digest = '…'``) answer "which runs used this version".
"""

from __future__ import annotations

from typing import Any

from mlflow.data.code_dataset_source import CodeDatasetSource
from mlflow.data.meta_dataset import MetaDataset
from mlflow.entities import DatasetInput, InputTag, Run
from mlflow.tracking import MlflowClient
from mlflow.utils.mlflow_tags import MLFLOW_DATASET_CONTEXT

from .. import tags as mlops_tags
from ..tracking.search import reading
from .models import DatasetVersion, LineageRun

try:  # MLflow internals; guarded so a moved name degrades to MLflow's own calls
    from mlflow.store.tracking.dbmodels.models import SqlDataset, SqlExperiment
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
    from sqlalchemy import select

    _FAST_PATH = True
except ImportError:  # pragma: no cover - depends on the MLflow release
    _FAST_PATH = False

MLFLOW_DIGEST_LENGTH = 32
CONSUMED = "consumed"
PRODUCED = "produced"


def mlflow_digest(object_id: str) -> str:
    """The part of our content hash that fits MLflow's dataset digest."""
    return object_id[:MLFLOW_DIGEST_LENGTH]


def log_lineage(client: MlflowClient, run_id: str, version: DatasetVersion, context: str) -> None:
    """Record that ``run_id`` consumed or produced ``version`` as an MLflow run input."""
    source = CodeDatasetSource(
        tags={
            mlops_tags.DATASET: version.name,
            mlops_tags.DATASET_VERSION: f"v{version.version}",
            mlops_tags.DATASET_OBJECT: version.manifest.object_id,
        }
    )
    dataset = MetaDataset(  # type: ignore[abstract]  # profile is optional in use
        source=source,
        name=f"{version.name}@v{version.version}",
        digest=mlflow_digest(version.manifest.object_id),
    )
    client.log_inputs(
        run_id,
        [
            DatasetInput(
                dataset._to_mlflow_entity(), tags=[InputTag(MLFLOW_DATASET_CONTEXT, context)]
            )
        ],
    )


def _experiments_with_digest(client: MlflowClient, digest: str) -> list[str]:
    """The active experiments whose runs may have an input of that digest: on a SQL store
    those holding a dataset of it (one indexed query; most versions were never an input and
    need nothing more), elsewhere every active experiment."""
    store = client._tracking_client.store
    if not (_FAST_PATH and isinstance(store, SqlAlchemyStore)):
        return [e.experiment_id for e in client.search_experiments()]
    with reading(store) as session:
        found: Any = session.execute(
            select(SqlDataset.experiment_id)
            .join(SqlExperiment, SqlExperiment.experiment_id == SqlDataset.experiment_id)
            .where(
                SqlDataset.digest == digest,
                SqlExperiment.lifecycle_stage == "active",
                *store._experiment_where_clauses(),  # type: ignore[no-untyped-call]  # MLflow's own scoping (workspaces)
            )
            .distinct()
        ).scalars()
        return sorted(str(experiment_id) for experiment_id in found)


def _runs_with_digest(client: MlflowClient, digest: str) -> list[Run]:
    experiments = _experiments_with_digest(client, digest)
    if not experiments:
        return []
    return client.search_runs(
        experiments, filter_string=f"datasets.digest = '{digest}'", max_results=1000
    )


def runs_using(client: MlflowClient, version: DatasetVersion) -> list[str]:
    """Ids of the runs that consumed or produced ``version`` (MLflow's own search)."""
    digest = mlflow_digest(version.manifest.object_id)
    return [r.info.run_id for r in _runs_with_digest(client, digest)]


def lineage_runs(client: MlflowClient, version: DatasetVersion) -> list[LineageRun]:
    """The runs that consumed or produced ``version``, newest first, one row per direction."""
    digest = mlflow_digest(version.manifest.object_id)
    found = []
    for run in _runs_with_digest(client, digest):
        contexts = {
            tag.value
            for given in (run.inputs.dataset_inputs if run.inputs else [])
            if given.dataset.digest == digest
            for tag in given.tags
            if tag.key == MLFLOW_DATASET_CONTEXT
        }
        for context in sorted(contexts) or ["consumed"]:
            found.append(
                LineageRun(
                    run_id=run.info.run_id,
                    run_name=run.info.run_name,
                    experiment_id=run.info.experiment_id,
                    status=run.info.status,
                    start_time=run.info.start_time,
                    context=context,
                )
            )
    return found
