"""One run, and the active experiments, as MLflow's client gives them, read in a few plain
queries on a SQL tracking store.

``MlflowClient.get_run`` loads a run as ORM entities (its metrics, params and tags eagerly,
then its inputs and its logged models' inputs and outputs), and ``search_experiments``
loads every experiment with its tags: most of the time of a run's detail and of the
experiments list went there, in SQLAlchemy, not in SQLite. Here the run's own columns, its
latest metrics, params and tags are plain selects and its dataset inputs come from the
store's own reader, so the values are MLflow's; tests compare both with the client's.
A store that is not MLflow's own ``SqlAlchemyStore`` (an MLflow server, a file store, a
subclass that scopes queries to a workspace) goes through the client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import RESOURCE_DOES_NOT_EXIST
from mlflow.tracking import MlflowClient
from mlflow.utils.mlflow_tags import MLFLOW_RUN_NAME, MLFLOW_SOURCE_NAME

from .history import histories_in, metric_history
from .models import MetricPoint, RunRow
from .search import _notebook, _values, reading, run_row
from .store import PRIMARY_METRIC_TAG

try:  # MLflow internals; guarded so a moved name degrades to MLflow's own calls
    from mlflow.store.tracking import SEARCH_MAX_RESULTS_DEFAULT
    from mlflow.store.tracking.dbmodels.models import (
        SqlExperiment,
        SqlExperimentTag,
        SqlRun,
        SqlTag,
    )
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
    from sqlalchemy import select

    _FAST_PATH = True
except ImportError:  # pragma: no cover - depends on the MLflow release
    _FAST_PATH = False


@dataclass(frozen=True)
class RunRecord:
    """What a run's detail shows of it."""

    row: RunRow
    tags: dict[str, str]
    artifact_uri: str
    dataset_inputs: list[Any]  # mlflow.entities.DatasetInput, in MLflow's order
    metric_history: dict[str, list[MetricPoint]]  # each metric's, by key in name order


def _plain_sql_store(client: MlflowClient) -> Any:
    """The client's store when it is MLflow's own SQL store (no scoping subclass)."""
    store = client._tracking_client.store
    return store if _FAST_PATH and type(store) is SqlAlchemyStore else None


def read_run(client: MlflowClient, run_id: str) -> RunRecord:
    """One run (active or deleted, as ``get_run``) with its metrics' histories; MLflow's
    ``RESOURCE_DOES_NOT_EXIST`` error when there is none."""
    store = _plain_sql_store(client)
    if store is None:
        run = client.get_run(run_id)
        return RunRecord(
            row=run_row(run),
            tags=dict(run.data.tags),
            artifact_uri=run.info.artifact_uri,
            dataset_inputs=list(run.inputs.dataset_inputs) if run.inputs else [],
            metric_history=metric_history(client, run_id, run.data.metrics),
        )
    run = SqlRun.__table__.c
    tag = SqlTag.__table__.c
    with reading(store) as session:
        found = session.execute(
            select(
                run.name,
                run.experiment_id,
                run.user_id,
                run.status,
                run.start_time,
                run.end_time,
                run.artifact_uri,
            ).where(run.run_uuid == run_id)
        ).all()
        if not found:
            raise MlflowException(f"Run with id={run_id} not found", RESOURCE_DOES_NOT_EXIST)
        [info] = found
        metrics, params = _values(session, [run_id])
        tags: dict[str, str] = dict(
            session.execute(select(tag.key, tag.value).where(tag.run_uuid == run_id)).all()
        )
        inputs = store._get_run_inputs(session=session, run_uuids=[run_id])[0]
        history = histories_in(session, {run_id: metrics.get(run_id, {})})[run_id]
    row = RunRow(
        run_id=run_id,
        # the name column, else the run-name tag (runs of MLflow <= 1.29 left it empty)
        run_name=info.name or tags.get(MLFLOW_RUN_NAME) or "",
        experiment_id=str(info.experiment_id),
        status=info.status,
        start_time=info.start_time,
        end_time=info.end_time,
        user_id=info.user_id,
        source_notebook=_notebook(tags.get(MLFLOW_SOURCE_NAME)),
        metrics=metrics.get(run_id, {}),
        params=params.get(run_id, {}),
    )
    return RunRecord(
        row=row,
        tags=tags,
        artifact_uri=info.artifact_uri,
        dataset_inputs=inputs,
        metric_history=history,
    )


@dataclass(frozen=True)
class ExperimentRecord:
    """What the experiments list shows of one."""

    experiment_id: str
    name: str
    artifact_location: str
    lifecycle_stage: str
    creation_time: int | None
    last_update_time: int | None
    primary_metric: str | None


def active_experiments(client: MlflowClient) -> list[ExperimentRecord]:
    """The active experiments as ``search_experiments(order_by=["last_update_time DESC"])``
    lists them: its first page, most recently updated first, ties by id as MLflow breaks
    them (descending)."""
    store = _plain_sql_store(client)
    if store is None:
        return [
            ExperimentRecord(
                experiment_id=e.experiment_id,
                name=e.name,
                artifact_location=e.artifact_location,
                lifecycle_stage=e.lifecycle_stage,
                creation_time=e.creation_time,
                last_update_time=e.last_update_time,
                primary_metric=e.tags.get(PRIMARY_METRIC_TAG),
            )
            for e in client.search_experiments(order_by=["last_update_time DESC"])
        ]
    exp = SqlExperiment.__table__.c
    tag = SqlExperimentTag.__table__.c
    with reading(store) as session:
        rows = session.execute(
            select(
                exp.experiment_id,
                exp.name,
                exp.artifact_location,
                exp.lifecycle_stage,
                exp.creation_time,
                exp.last_update_time,
            )
            .where(exp.lifecycle_stage == "active")
            .order_by(exp.last_update_time.desc(), exp.experiment_id.desc())
            .limit(SEARCH_MAX_RESULTS_DEFAULT)
        ).all()
        primary: dict[str, str] = dict(
            session.execute(
                select(tag.experiment_id, tag.value).where(
                    tag.key == PRIMARY_METRIC_TAG,
                    tag.experiment_id.in_([r.experiment_id for r in rows]),
                )
            ).all()
        )
    return [
        ExperimentRecord(
            experiment_id=str(r.experiment_id),
            name=r.name,
            artifact_location=r.artifact_location,
            lifecycle_stage=r.lifecycle_stage,
            creation_time=r.creation_time,
            last_update_time=r.last_update_time,
            primary_metric=primary.get(r.experiment_id),
        )
        for r in rows
    ]
