"""Read side of tracking for the panel, the magics and the API: experiments, run detail,
comparison of runs. Every function takes an ``MlflowClient`` and returns API models."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mlflow.exceptions import MlflowException
from mlflow.store.artifact.artifact_repo import ArtifactRepository
from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository
from mlflow.tracking import MlflowClient
from mlflow.utils.mlflow_tags import MLFLOW_DATASET_CONTEXT
from mlflow.utils.uri import add_databricks_profile_info_to_artifact_uri

from .. import tags as mlops_tags
from ..errors import Invalid, NotFound
from .history import metric_histories
from .models import (
    MAX_COMPARE_RUNS,
    MAX_PAGE_SIZE,
    Artifact,
    CompareResponse,
    Experiment,
    ListExperimentsResponse,
    ListRunsQuery,
    ListRunsResponse,
    MetricPoint,
    ParamDiff,
    RunDataset,
    RunDetail,
)
from .search import run_counts, run_row, search_runs
from .store import PRIMARY_METRIC_TAG, greater_is_better
from .store_reads import active_experiments, read_run
from .tracker import CELL_ARTIFACT

DEFAULT_EXPERIMENT_ID = "0"
RUN_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_ARTIFACTS = 500


def list_experiments(client: MlflowClient) -> ListExperimentsResponse:
    """Active experiments, most recently updated first, with their run counts."""
    counts = run_counts(client)
    experiments = [
        Experiment(
            experiment_id=e.experiment_id,
            name=e.name,
            artifact_location=e.artifact_location,
            lifecycle_stage=e.lifecycle_stage,
            creation_time=e.creation_time,
            last_update_time=e.last_update_time,
            run_count=(counts or {}).get(e.experiment_id, 0),
            primary_metric=e.primary_metric,
        )
        for e in active_experiments(client)
        # MLflow creates an empty "Default" experiment with every store: not worth a row.
        if counts is None or e.experiment_id != DEFAULT_EXPERIMENT_ID or counts.get("0", 0) > 0
    ]
    return ListExperimentsResponse(experiments=experiments)


def check_run_id(run_id: str) -> str:
    """Refuse anything that is not an MLflow run id (32 hex digits)."""
    if not RUN_ID.fullmatch(run_id):
        raise Invalid(f"{run_id!r} is not a run id (expected 32 hexadecimal digits)")
    return run_id


def get_run(client: MlflowClient, run_id: str):  # type: ignore[no-untyped-def]
    """The MLflow run, or ``NotFound`` naming the id."""
    check_run_id(run_id)
    with _not_found(run_id):
        return client.get_run(run_id)


@contextmanager
def _not_found(run_id: str) -> Iterator[None]:
    """MLflow's "does not exist" as ``NotFound`` naming the run."""
    try:
        yield
    except MlflowException as exc:
        if exc.error_code == "RESOURCE_DOES_NOT_EXIST":
            raise NotFound(f"no run with id {run_id}") from exc
        raise


def _run_artifacts(client: MlflowClient, artifact_uri: str) -> ArtifactRepository:
    """The artifact repository of a run we already hold, as MLflow's ``list_artifacts`` and
    ``download_artifacts`` resolve it from the run id (which costs them the run again)."""
    uri = add_databricks_profile_info_to_artifact_uri(  # type: ignore[no-untyped-call]
        artifact_uri, client.tracking_uri
    )
    return get_artifact_repository(uri, tracking_uri=client.tracking_uri)


def _artifacts(client: MlflowClient, run_id: str, repo: ArtifactRepository) -> list[Artifact]:
    """Every artifact of ``run``, walking its folders (at most ``MAX_ARTIFACTS``). The top
    level is listed from the run's repository, as MLflow lists it; folders through
    ``list_artifacts``, which also lists the artifacts of a logged model named like one."""
    found: list[Artifact] = []
    pending: list[str | None] = [None]
    while pending and len(found) < MAX_ARTIFACTS:
        path = pending.pop()
        listed = repo.list_artifacts(None) if path is None else client.list_artifacts(run_id, path)
        for info in listed:
            found.append(Artifact(path=info.path, is_dir=info.is_dir, file_size=info.file_size))
            if info.is_dir:
                pending.append(info.path)
    return sorted(found, key=lambda a: a.path)


def _cell_source(repo: ArtifactRepository, artifacts: list[Artifact]) -> str | None:
    if not any(a.path == CELL_ARTIFACT for a in artifacts):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        local = repo.download_artifacts(CELL_ARTIFACT, dst_path=tmp)  # type: ignore[no-untyped-call]
        return Path(local).read_text(encoding="utf-8")


def run_detail(client: MlflowClient, run_id: str) -> RunDetail:
    """Params, metrics with history, tags, artifacts and the notebook cell of one run."""
    check_run_id(run_id)
    with _not_found(run_id):
        run = read_run(client, run_id)
    repo = _run_artifacts(client, run.artifact_uri)
    artifacts = _artifacts(client, run_id, repo)
    return RunDetail(
        run=run.row,
        tags=run.tags,
        metric_history=run.metric_history,
        artifacts=artifacts,
        cell_source=_cell_source(repo, artifacts),
        artifact_uri=run.artifact_uri,
        datasets=_datasets(run.dataset_inputs),
    )


def _datasets(dataset_inputs: list[Any]) -> list[RunDataset]:
    """The run's dataset inputs; ours carry the dataset name and version in their source."""
    found = []
    for given in dataset_inputs:
        try:
            source_tags = json.loads(given.dataset.source).get("tags", {})
        except (TypeError, ValueError, AttributeError):
            source_tags = {}
        context = next((t.value for t in given.tags if t.key == MLFLOW_DATASET_CONTEXT), None)
        found.append(
            RunDataset(
                name=source_tags.get(mlops_tags.DATASET, given.dataset.name),
                version=source_tags.get(mlops_tags.DATASET_VERSION),
                digest=given.dataset.digest,
                context=context,
            )
        )
    return found


def compare_runs(client: MlflowClient, run_ids: list[str]) -> CompareResponse:
    """Side by side: rows, metric histories per metric and run, and the params that differ."""
    unique = list(dict.fromkeys(run_ids))
    if not unique:
        raise Invalid("name at least one run to compare")
    if len(unique) > MAX_COMPARE_RUNS:
        raise Invalid(f"compare at most {MAX_COMPARE_RUNS} runs at once, got {len(unique)}")
    runs = [get_run(client, run_id) for run_id in unique]
    rows = [run_row(r) for r in runs]
    metric_keys = sorted({k for r in rows for k in r.metrics})
    param_keys = sorted({k for r in rows for k in r.params})
    history: dict[str, dict[str, list[MetricPoint]]] = {k: {} for k in metric_keys}
    by_run = metric_histories(client, {row.run_id: row.metrics for row in rows})
    for row in rows:
        for key, points in by_run[row.run_id].items():
            history[key][row.run_id] = points
    diff = [
        ParamDiff(key=key, values={r.run_id: r.params.get(key) for r in rows})
        for key in param_keys
        if len({r.params.get(key) for r in rows}) > 1
    ]
    return CompareResponse(
        runs=rows,
        metric_keys=metric_keys,
        param_keys=param_keys,
        param_diff=diff,
        metric_history=history,
    )


def top_runs(
    client: MlflowClient, experiment: str | None, metric: str | None, top: int
) -> tuple[ListRunsResponse, str | None]:
    """The best ``top`` runs of an experiment (all when None) on ``metric``, or the newest.

    ``metric`` defaults to the experiment's primary metric; returns the metric used.
    """
    if not 1 <= top <= MAX_PAGE_SIZE:
        raise Invalid(f"--top must be between 1 and {MAX_PAGE_SIZE}, got {top}")
    experiment_ids: list[str] = []
    if experiment:
        exp = client.get_experiment_by_name(experiment)
        if exp is None:
            raise NotFound(f"no experiment named {experiment!r}")
        experiment_ids = [exp.experiment_id]
        metric = metric or exp.tags.get(PRIMARY_METRIC_TAG)
    if metric:
        direction = "DESC" if greater_is_better(metric) else "ASC"
        order_by = f"metrics.`{metric}` {direction}"
    else:
        order_by = "attributes.start_time DESC"
    query = ListRunsQuery(experiment_ids=experiment_ids, order_by=order_by, page_size=top)
    return search_runs(client, query), metric
