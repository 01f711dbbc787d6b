"""Point-in-time LEFT joins of an entity frame with feature views, computed by DuckDB.

For each entity row (keys, t) and each view, the value is the view's newest row with
event time ≤ t, and ≥ t - ttl when the view has a ttl (inclusive, as Feast counts it);
rows with the same event time are told apart by the created-time column, newest first.
The output has exactly the input's rows, in the input's order: a row without a value
gets nulls and a status saying why (``no_key``, ``only_later``, ``expired``).

One ``ASOF LEFT JOIN`` per view over the view's verified Parquet file, on int64
nanoseconds in UTC (``timing.py``). The statuses cost one more pass over the key columns
of the view, only for the rows left unmatched. A leakage guard checks, on the joined event
times, that no value is newer than its row.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import Invalid
from .models import FeatureView
from .sources import Source

MATCH_STATUSES = ("matched", "no_key", "only_later", "expired")


def quote(name: str) -> str:
    """A column name as a DuckDB identifier (names are checked identifiers already)."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class ViewPlan:
    """What to read from one view: its source, join keys, features and their columns."""

    view: FeatureView
    source: Source
    keys: dict[str, str]  # join key → Feast type
    features: list[str]
    columns: list[str]  # output column of each feature (``view__feature`` with full names)
    ttl_ns: int | None

    def event_ns_sql(self, column: str) -> str:
        """SQL of a source time column as UTC nanoseconds (naive times read in the view's
        zone; ``epoch_ns`` keeps every nanosecond of a ``TIMESTAMP_NS``)."""
        naive = ", tz=" not in self.source.schema[column]
        zone = self.view.timezone
        if naive and zone not in (None, "UTC"):
            literal = "'" + str(zone).replace("'", "''") + "'"
            return f"epoch_ns(timezone({literal}, {quote(column)}))"
        return f"epoch_ns({quote(column)})"

    def rows_sql(self, extra: str = "") -> str:
        """The view's rows: keys, ``__ets`` (and ``__cts``), features; with a created-time
        column, one row per (keys, event time): the newest created."""
        keys = ", ".join(quote(k) for k in self.keys)
        feats = "".join(", " + quote(f) for f in self.features)
        ets = self.event_ns_sql(self.view.timestamp_field)
        created = self.view.created_timestamp_column
        select = f"SELECT {keys}, {ets} AS __ets{feats} FROM {self.source.sql()} {extra}"
        if created is None:
            return select
        cts = self.event_ns_sql(created)
        return (
            f"{select} QUALIFY row_number() OVER "
            f"(PARTITION BY {keys}, __ets ORDER BY {cts} DESC NULLS LAST) = 1"
        )


@dataclass
class ViewJoin:
    """One view's joined values (in the entity rows' order) and each row's status."""

    plan: ViewPlan
    values: Any  # a DataFrame of the view's output columns
    event_ns: np.ndarray[Any, Any]  # int64; meaningful where ``found``
    found: np.ndarray[Any, Any]  # bool: a row ≤ t was found (before the ttl)
    status: np.ndarray[Any, Any]  # int8 index into MATCH_STATUSES


def join_view(con: Any, plan: ViewPlan, entity: Any) -> ViewJoin:
    """ASOF LEFT JOIN of ``entity`` (:func:`entity_table`, registered as ``__entity``)
    with one view; values beyond the ttl are nulled in the same query. The rows come back
    in any order with their position (``__row``) and are put in order here (a numpy
    permutation costs less than the query's sort)."""
    row_ts = entity.column("__ts").to_numpy()
    on = " AND ".join(f"e.{quote(k)} = f.{quote(k)}" for k in plan.keys)
    fresh = "TRUE" if plan.ttl_ns is None else f"f.__ets >= e.__ts - {int(plan.ttl_ns)}"
    values = ", ".join(
        f"CASE WHEN {fresh} THEN f.{quote(f)} END AS {quote(c)}"
        for f, c in zip(plan.features, plan.columns, strict=True)
    )
    sql = (
        f"SELECT e.__row AS __row, {values}, f.__ets AS __ets FROM __entity e "
        f"ASOF LEFT JOIN ({plan.rows_sql()}) f ON {on} AND e.__ts >= f.__ets"
    )
    frame = con.sql(sql).df()
    positions = frame.pop("__row").to_numpy()
    if not (np.diff(positions) > 0).all():
        frame = frame.take(np.argsort(positions, kind="stable")).reset_index(drop=True)
    ets = frame.pop("__ets")
    found = ets.notna().to_numpy()
    event_ns = ets.fillna(0).to_numpy(dtype=np.int64)
    leaked = found & (event_ns > row_ts)
    if leaked.any():  # the join's own guard: never a value from the row's future
        row = int(np.flatnonzero(leaked)[0])
        raise AssertionError(f"leakage: view {plan.view.name!r} gave row {row} a later value")
    status = np.full(len(frame), MATCH_STATUSES.index("no_key"), dtype=np.int8)
    fresh_rows = found if plan.ttl_ns is None else found & (event_ns >= row_ts - plan.ttl_ns)
    status[fresh_rows] = MATCH_STATUSES.index("matched")
    status[found & ~fresh_rows] = MATCH_STATUSES.index("expired")
    _mark_only_later(con, plan, entity, found, status)
    return ViewJoin(plan, frame, event_ns, found, status)


_KEY_SETS: OrderedDict[tuple[str, str], np.ndarray[Any, Any]] = OrderedDict()
_KEY_SETS_KEPT = 16


def _key_set(con: Any, plan: ViewPlan) -> np.ndarray[Any, Any] | None:
    """The sorted distinct values of a single-column key of a view's source, remembered
    per object (an object never changes); None for a key of several columns."""
    if len(plan.keys) != 1:
        return None
    (key,) = plan.keys
    cache_key = (plan.source.version.manifest.object_id, key)
    found = _KEY_SETS.get(cache_key)
    if found is None:
        sql = f"SELECT DISTINCT {quote(key)} AS k FROM {plan.source.sql()} ORDER BY k"
        found = con.sql(sql).fetchnumpy()["k"]
        found = np.asarray(found.compressed() if np.ma.isMaskedArray(found) else found)
        _KEY_SETS[cache_key] = found
        while len(_KEY_SETS) > _KEY_SETS_KEPT:
            _KEY_SETS.popitem(last=False)
    return found


def _mark_only_later(
    con: Any,
    plan: ViewPlan,
    entity: Any,
    found: np.ndarray[Any, Any],
    status: np.ndarray[Any, Any],
) -> None:
    """Among rows with no value at or before their time, those whose key does occur in
    the view (with later values only) are ``only_later``; the rest stay ``no_key``."""
    if found.all():
        return
    missing = np.flatnonzero(~found)
    keys = _key_set(con, plan)
    if keys is not None:
        (key,) = plan.keys
        wanted = entity.column(key).to_numpy()[missing]
        present = np.isin(wanted, keys, assume_unique=False)
        status[missing[present]] = MATCH_STATUSES.index("only_later")
        return
    con.register("__unmatched", entity.take(missing))
    on = " AND ".join(f"u.{quote(k)} = f.{quote(k)}" for k in plan.keys)
    columns = ", ".join(quote(k) for k in plan.keys)
    sql = (
        f"SELECT u.__row FROM __unmatched u "
        f"SEMI JOIN (SELECT {columns} FROM {plan.source.sql()}) f ON {on}"
    )
    try:
        rows = con.sql(sql).fetchnumpy()["__row"]
    finally:
        con.unregister("__unmatched")
    status[np.asarray(rows, dtype=np.int64)] = MATCH_STATUSES.index("only_later")


_local = threading.local()


def connection() -> Any:
    """This thread's in-memory DuckDB connection (opening one costs tens of ms)."""
    con = getattr(_local, "con", None)
    if con is None:
        import duckdb

        con = _local.con = duckdb.connect()
    return con


def entity_table(frame: Any, keys: dict[str, str], row_ts: np.ndarray[Any, Any]) -> Any:
    """The Arrow table DuckDB joins from: the entity frame's join keys, ``__ts`` (UTC ns)
    and ``__row`` (its position), each key checked for nulls and for its type."""
    import pyarrow as pa

    columns: dict[str, Any] = {}
    for name, dtype in keys.items():
        if name not in frame.columns:
            raise Invalid(
                f"entity_df has no join key column {name!r} (columns: {list(frame.columns)})"
            )
        series = frame[name]
        if series.isna().any():
            rows = list(np.flatnonzero(series.isna().to_numpy())[:5])
            raise Invalid(f"entity_df column {name!r} has null keys (rows {rows}…)")
        columns[name] = _key_array(series, name, dtype)
    columns["__ts"] = pa.array(row_ts, type=pa.int64())
    columns["__row"] = pa.array(np.arange(len(frame), dtype=np.int64))
    return pa.table(columns)


def _key_array(series: Any, name: str, dtype: str) -> Any:
    import pandas as pd
    import pyarrow as pa

    if dtype in ("Int32", "Int64"):
        if not pd.api.types.is_integer_dtype(series.dtype):
            raise Invalid(
                f"entity_df column {name!r} is {series.dtype}, but the join key is {dtype}: "
                "an int key never matches a string one (convert it first)"
            )
        return pa.array(series.to_numpy(dtype=np.int64))
    if dtype == "String":
        if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
            raise Invalid(
                f"entity_df column {name!r} is {series.dtype}, but the join key is a String"
            )
        if not all(isinstance(v, str) for v in series):
            raise Invalid(f"entity_df column {name!r} must hold strings only (join key String)")
        return pa.array(series.astype(str).to_numpy(), type=pa.string())
    return pa.array(series.to_numpy())
