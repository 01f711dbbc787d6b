"""Run search for the runs table: one page of runs, sorted and filtered, with a total count.

MLflow's ``search_runs`` loads every tag, param and metric of every run as ORM entities,
sorts through a join that SQLite cannot index, and cannot count. On a SQL tracking store
this module filters with MLflow's own filter-clause builder and sorts with MLflow's exact
ordering rules (a test checks both give the same runs in the same order), but joins the
sort key through its primary key, selects only the columns a table needs and loads the
page's metrics and params in two bulk queries. Any other store (an MLflow server, a file
store), or a MLflow whose
internals moved, goes through ``MlflowClient.search_runs``.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient
from mlflow.utils.mlflow_tags import MLFLOW_SOURCE_NAME
from mlflow.utils.search_utils import SearchUtils

from ..errors import Invalid
from .models import ListRunsQuery, ListRunsResponse, RunRow

try:  # MLflow internals used by the fast path; guarded so a moved name degrades, not breaks.
    from mlflow.store.tracking.dbmodels.models import SqlLatestMetric, SqlParam, SqlRun, SqlTag
    from mlflow.store.tracking.sqlalchemy_store import (
        SqlAlchemyStore,
        _get_sqlalchemy_filter_clauses,
    )
    from sqlalchemy import and_, bindparam, case, func, select, true
    from sqlalchemy.orm import Session, sessionmaker

    _FAST_PATH = True
except ImportError:  # pragma: no cover - depends on the MLflow release
    _FAST_PATH = False

# What MLflow's own sessions set on a SQLite connection (case-sensitive LIKE is part of its
# filter semantics; the busy timeout lets a read wait out a writer's commit)
_SQLITE_SESSION = (
    "PRAGMA foreign_keys = ON;",
    "PRAGMA busy_timeout = 20000;",
    "PRAGMA case_sensitive_like = true;",
)


@functools.cache
def _sessions(engine: Any) -> Any:
    return sessionmaker(bind=engine)


@contextmanager
def reading(store: Any) -> Iterator[Session]:
    """A read of MLflow's SQL store: a session on its engine, set up as MLflow sets up its
    own, that writes nothing and is rolled back when the block ends. MLflow's managed
    session builds and compiles its three pragma statements anew for every session (it
    cost more than a page's queries); these go to the driver as they are."""
    engine = getattr(store, "read_engine", None) or store.engine
    with _sessions(engine)() as session:
        if store.db_type == "sqlite":
            connection = session.connection()
            for pragma in _SQLITE_SESSION:
                connection.exec_driver_sql(pragma)
        yield session


@functools.cache
def _page_statements() -> tuple[Any, Any, Any]:
    """The statements reading a page's latest metrics, params and notebook tags, built once
    on MLflow's tables (plain columns, the run ids an expanding parameter): SQLAlchemy then
    finds them in its compiled cache by identity, not by rebuilding and hashing them."""
    ids: Any = bindparam("run_ids", expanding=True)
    metric, param, tag = (t.__table__.c for t in (SqlLatestMetric, SqlParam, SqlTag))
    metrics = select(metric.run_uuid, metric.key, metric.value, metric.is_nan).where(
        metric.run_uuid.in_(ids)
    )  # MLflow stores NaN as 0 with the is_nan flag
    params = select(param.run_uuid, param.key, param.value).where(param.run_uuid.in_(ids))
    sources = select(tag.run_uuid, tag.value).where(
        tag.run_uuid.in_(ids), tag.key == MLFLOW_SOURCE_NAME
    )
    return metrics, params, sources


@functools.lru_cache(maxsize=256)
def _parsed_filter(filter_string: str) -> list[dict[str, Any]]:
    """MLflow's parse of a filter (sqlparse, the slow part of a page), once per text; the
    clauses builder only reads it."""
    return SearchUtils.parse_search_filter(filter_string)  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=256)
def _sort_key(order_by: str) -> tuple[str, str, bool]:
    """MLflow's parse of one order-by clause, once per text: (key type, key, ascending)."""
    key_type, key, ascending = SearchUtils.parse_order_by_for_search_runs(order_by)
    return key_type, SearchUtils.translate_key_alias(key), ascending


def finite_or_none(value: float | None) -> float | None:
    """A metric value for JSON: NaN and infinities become None."""
    return None if value is None or math.isnan(value) or math.isinf(value) else value


def search_runs(client: MlflowClient, query: ListRunsQuery) -> ListRunsResponse:
    """One page of runs of ``query.experiment_ids`` (all active experiments when empty)."""
    ids = query.experiment_ids or [e.experiment_id for e in client.search_experiments()]
    store = client._tracking_client.store
    try:  # MLflow parses the filter and sort, and checks comparators, while building queries
        if _FAST_PATH and isinstance(store, SqlAlchemyStore):
            rows, total = _search_sql(store, ids, query)
        else:
            rows, total = _search_client(client, ids, query)
    except MlflowException as exc:
        if exc.error_code != "INVALID_PARAMETER_VALUE":
            raise
        raise Invalid(f"bad filter or sort: {exc.message}") from exc
    metric_keys = sorted({k for r in rows for k in r.metrics})
    param_keys = sorted({k for r in rows for k in r.params})
    return ListRunsResponse(
        runs=rows,
        total=total,
        page=query.page,
        page_size=query.page_size,
        metric_keys=metric_keys,
        param_keys=param_keys,
    )


def _order_by(order_by: str) -> tuple[Any, list[Any]]:
    """MLflow's run ordering (values first, then NaN, then missing; ties by newest start
    and run id), joined through the (key, run_uuid) primary key instead of MLflow's
    subquery over every row of the key, which SQLite cannot index."""
    key_type, key, ascending = _sort_key(order_by)
    join = None
    if SearchUtils.is_string_attribute(key_type, key, "=") or SearchUtils.is_numeric_attribute(
        key_type, key, "="
    ):
        value = getattr(SqlRun, SqlRun.get_attribute_name(key))
        rank = case((value.is_(None), 1), else_=0)
    else:
        entities: dict[str, Any] = {"metric": SqlLatestMetric, "parameter": SqlParam, "tag": SqlTag}
        entity = entities.get(key_type)
        if entity is None:
            raise Invalid(f"cannot sort by {order_by!r}")
        alias = entity.__table__.alias()
        join = (alias, and_(alias.c.run_uuid == SqlRun.run_uuid, alias.c.key == key))
        value = alias.c.value
        if entity is SqlLatestMetric:
            rank = case((alias.c.is_nan == true(), 1), (value.is_(None), 2), else_=0)
        else:
            rank = case((value.is_(None), 1), else_=0)
    clauses = [rank, value if ascending else value.desc()]
    if not (key_type == "attribute" and key == "start_time"):
        clauses.append(SqlRun.start_time.desc())
    clauses.append(SqlRun.run_uuid)
    return join, clauses


def _search_sql(
    store: Any, experiment_ids: Sequence[str], query: ListRunsQuery
) -> tuple[list[RunRow], int]:
    try:
        numeric_ids = [int(i) for i in experiment_ids]
    except ValueError as exc:
        raise Invalid(f"experiment ids must be numbers, got {list(experiment_ids)}") from exc
    with reading(store) as session:
        parsed = _parsed_filter(query.filter)
        attr_filters, joins, dataset_joins = _get_sqlalchemy_filter_clauses(
            parsed, session, store._get_dialect()
        )
        sort_join, order_by = _order_by(query.order_by)
        columns = (
            SqlRun.run_uuid, SqlRun.name, SqlRun.experiment_id, SqlRun.status,
            SqlRun.start_time, SqlRun.end_time, SqlRun.user_id,
        )  # fmt: skip
        matching = _matching_runs(numeric_ids, attr_filters, joins, dataset_joins)
        total = session.execute(select(func.count()).select_from(matching.subquery())).scalar_one()
        stmt: Any = select(*columns).where(SqlRun.run_uuid.in_(matching))
        if sort_join is not None:
            stmt = stmt.outerjoin(*sort_join)
        page = session.execute(
            stmt.order_by(*order_by).offset(query.page * query.page_size).limit(query.page_size)
        ).all()
        run_ids = [row.run_uuid for row in page]
        metrics, params = _values(session, run_ids)
        sources = _source_names(session, run_ids)
    rows = [
        RunRow(
            run_id=r.run_uuid,
            run_name=r.name or "",
            experiment_id=str(r.experiment_id),
            status=r.status,
            start_time=r.start_time,
            end_time=r.end_time,
            user_id=r.user_id,
            source_notebook=_notebook(sources.get(r.run_uuid)),
            metrics=metrics.get(r.run_uuid, {}),
            params=params.get(r.run_uuid, {}),
        )
        for r in page
    ]
    return rows, int(total)


def _matching_runs(
    experiment_ids: list[int], attr_filters: list[Any], joins: list[Any], dataset_joins: list[Any]
) -> Any:
    """The ids of the active runs of ``experiment_ids`` that MLflow's filter clauses keep.

    MLflow's filter joins match at most one row per run (their tables are keyed by
    (key, run_uuid)); only dataset joins can repeat a run and need DISTINCT."""
    matching: Any = select(SqlRun.run_uuid)
    for join in joins:
        matching = matching.join(join)
    for join in dataset_joins:
        matching = matching.join(join, SqlRun.run_uuid == join.c.destination_id)
    matching = matching.where(
        SqlRun.experiment_id.in_(experiment_ids),
        SqlRun.lifecycle_stage == "active",
        *attr_filters,
    )
    return matching.distinct() if dataset_joins else matching


def _source_names(session: Any, run_ids: list[str]) -> dict[str, str]:
    """Each run's ``mlflow.source.name`` tag (the notebook it came from)."""
    statement = _page_statements()[2]
    return dict(session.connection().execute(statement, {"run_ids": run_ids}).all())


def _values(
    session: Any, run_ids: Sequence[str]
) -> tuple[dict[str, dict[str, float | None]], dict[str, dict[str, str]]]:
    """Latest metrics and params of ``run_ids``, in two bulk queries."""
    metric_rows, param_rows, _ = _page_statements()
    connection = session.connection()
    bound = {"run_ids": list(run_ids)}
    metrics: dict[str, dict[str, float | None]] = defaultdict(dict)
    for run_id, key, value, is_nan in connection.execute(metric_rows, bound):
        metrics[run_id][key] = None if is_nan else finite_or_none(value)
    params: dict[str, dict[str, str]] = defaultdict(dict)
    for run_id, key, value in connection.execute(param_rows, bound):
        params[run_id][key] = value
    return metrics, params


def run_values(client: MlflowClient, run_id: str) -> tuple[dict[str, float | None], dict[str, str]]:
    """Latest metrics and params of one run (two small queries on a SQL store)."""
    store = client._tracking_client.store
    if _FAST_PATH and isinstance(store, SqlAlchemyStore):
        with reading(store) as session:
            metrics, params = _values(session, [run_id])
        return metrics.get(run_id, {}), params.get(run_id, {})
    row = run_row(client.get_run(run_id))
    return row.metrics, row.params


def _notebook(source: str | None) -> str | None:
    return source if source and source.endswith(".ipynb") else None


def run_row(run: Any) -> RunRow:
    """A table row from an MLflow ``Run`` entity."""
    return RunRow(
        run_id=run.info.run_id,
        run_name=run.info.run_name or "",
        experiment_id=run.info.experiment_id,
        status=run.info.status,
        start_time=run.info.start_time,
        end_time=run.info.end_time,
        user_id=run.info.user_id,
        source_notebook=_notebook(run.data.tags.get(MLFLOW_SOURCE_NAME)),
        metrics={k: finite_or_none(v) for k, v in run.data.metrics.items()},
        params=dict(run.data.params),
    )


def _search_client(
    client: MlflowClient, experiment_ids: Sequence[str], query: ListRunsQuery
) -> tuple[list[RunRow], int]:
    """Any store: page through MLflow's own search (counting costs a walk over all ids)."""
    offset = query.page * query.page_size
    token = SearchUtils.create_page_token(offset) if offset else None
    page = client.search_runs(
        list(experiment_ids), query.filter, order_by=[query.order_by],
        max_results=query.page_size, page_token=token,
    )  # fmt: skip
    total, count_token = 0, None
    while True:
        chunk = client.search_runs(
            list(experiment_ids), query.filter, max_results=50_000, page_token=count_token
        )
        total += len(chunk)
        count_token = chunk.token
        if not count_token:
            break
    return [run_row(r) for r in page], total


def run_counts(client: MlflowClient) -> dict[str, int] | None:
    """Active runs per experiment id (None when the store is not SQL: counting is a walk)."""
    store = client._tracking_client.store
    if not (_FAST_PATH and isinstance(store, SqlAlchemyStore)):
        return None
    with reading(store) as session:
        rows: Any = session.execute(
            select(SqlRun.experiment_id, func.count())
            .where(SqlRun.lifecycle_stage == "active")
            .group_by(SqlRun.experiment_id)
        ).all()
    return {str(exp_id): int(n) for exp_id, n in rows}
