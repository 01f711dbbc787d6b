"""Metric histories of runs, every key of every run asked for in one query.

MLflow's ``get_metric_history`` answers one (run, key) at a time: a run detail with ten
metrics cost ten queries, a comparison of five such runs fifty. On a SQL tracking store
this module reads the same rows from MLflow's ``metrics`` table in one query, ordered as
MLflow orders each history (timestamp, step, value), and turns NaN back from MLflow's
``is_nan`` flag as MLflow does; a test checks it against ``get_metric_history`` on a real
store. Any other store (an MLflow server, a file store), or an MLflow whose internals moved,
goes through ``get_metric_history``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mlflow.tracking import MlflowClient

from .models import MetricPoint
from .search import finite_or_none, reading

try:  # MLflow internals; guarded so a moved name degrades to MLflow's own calls
    from mlflow.store.tracking.dbmodels.models import SqlMetric
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
    from sqlalchemy import select

    _FAST_PATH = True
except ImportError:  # pragma: no cover - depends on the MLflow release
    _FAST_PATH = False

# SQLite allows 32,766 bound parameters per statement; others more. Runs asked per query,
# and the most keys named in one (beyond, every key is read and the unwanted dropped):
_RUNS_PER_QUERY = 500
_KEYS_PER_QUERY = 1000

Histories = dict[str, dict[str, list[MetricPoint]]]


def metric_histories(client: MlflowClient, wanted: dict[str, Iterable[str]]) -> Histories:
    """``{run_id: {key: points}}`` for the metric keys wanted of each run, each history in
    MLflow's order; a key with nothing logged has an empty list, as with MLflow."""
    keys_of = {run_id: sorted(set(keys)) for run_id, keys in wanted.items()}
    store = client._tracking_client.store
    if _FAST_PATH and isinstance(store, SqlAlchemyStore):
        with reading(store) as session:
            found = _read_sql(session, keys_of)
    else:
        found = {
            run_id: {key: _points(client.get_metric_history(run_id, key)) for key in keys}
            for run_id, keys in keys_of.items()
        }
    return _as_wanted(found, keys_of)


def _as_wanted(found: Histories, keys_of: dict[str, list[str]]) -> Histories:
    return {
        run_id: {key: found.get(run_id, {}).get(key, []) for key in keys}
        for run_id, keys in keys_of.items()
    }


def metric_history(
    client: MlflowClient, run_id: str, keys: Iterable[str]
) -> dict[str, list[MetricPoint]]:
    """The histories of one run's metrics ``keys``, by key in name order."""
    return metric_histories(client, {run_id: keys})[run_id]


def _points(metrics: Iterable[Any]) -> list[MetricPoint]:
    return [
        MetricPoint(step=m.step, timestamp=m.timestamp, value=finite_or_none(m.value))
        for m in metrics
    ]


def histories_in(session: Any, wanted: dict[str, Iterable[str]]) -> Histories:
    """``metric_histories`` read in a session of MLflow's SQL store (see ``reading``)."""
    keys_of = {run_id: sorted(set(keys)) for run_id, keys in wanted.items()}
    return _as_wanted(_read_sql(session, keys_of), keys_of)


def _read_sql(session: Any, keys_of: dict[str, list[str]]) -> Histories:
    """Every wanted (run, key) history from the ``metrics`` table, in as few queries as the
    driver's parameter limit allows (one for a run detail)."""
    found: Histories = {}
    run_ids = [run_id for run_id, keys in keys_of.items() if keys]
    all_keys = sorted({key for keys in keys_of.values() for key in keys})
    if not run_ids:
        return found
    table = SqlMetric.__table__
    for start in range(0, len(run_ids), _RUNS_PER_QUERY):
        chunk = run_ids[start : start + _RUNS_PER_QUERY]
        stmt = (
            select(
                table.c.run_uuid,
                table.c.key,
                table.c.value,
                table.c.is_nan,
                table.c.timestamp,
                table.c.step,
            )
            .where(table.c.run_uuid.in_(chunk))
            # MLflow's order within one history; run and key only group them
            .order_by(table.c.run_uuid, table.c.key, table.c.timestamp, table.c.step, table.c.value)
        )
        if len(all_keys) <= _KEYS_PER_QUERY:
            stmt = stmt.where(table.c.key.in_(all_keys))
        for run_id, key, value, is_nan, timestamp, step in session.execute(stmt):
            # NaN is stored as 0 with the flag set (None on the wire, as finite_or_none)
            point = MetricPoint(
                step=step, timestamp=timestamp, value=None if is_nan else finite_or_none(value)
            )
            found.setdefault(run_id, {}).setdefault(key, []).append(point)
    return found
