"""Materialization: each entity's latest values of a view, within its ttl, written to the
online store.

DuckDB picks the newest row per entity from the view's verified Parquet (one
``QUALIFY row_number()`` pass; ties on event time go to the newest created time); the
online store writes them in one transaction (``online_store.py``). A full run replaces the
view's table; an incremental one reads only events after the last watermark and upserts
them. Each run is recorded (running → done or failed) with the dataset version it read.
"""

from __future__ import annotations

import time
from typing import Any

from ..datasets.store import DatasetStore
from ..errors import Invalid
from ..progress import Progress
from .join import ViewPlan, connection, quote
from .models import FeatureView, Materialization
from .online_store import OnlineStore, TableMeta
from .resolution import join_keys
from .sources import resolve
from .store import FeatureStore
from .timing import ttl_ns

STEPS = 2  # what a materialization tells its progress: the latest values read, then written


def _latest_rows_sql(plan: ViewPlan, after_ns: int | None, now_ns: int) -> str:
    keys = ", ".join(quote(k) for k in plan.keys)
    feats = []
    for field in plan.view.features:
        column = quote(field.name)
        feats.append(f"epoch_ns({column})" if field.dtype == "UnixTimestamp" else column)
    where = []
    if plan.ttl_ns is not None:
        where.append(f"__ets >= {now_ns - plan.ttl_ns}")
    if after_ns is not None:
        where.append(f"__ets > {after_ns}")
    where.append(f"__ets <= {now_ns}")  # never a value from the future
    return (
        f"SELECT {keys}, __ets, {', '.join(feats)} FROM ({plan.rows_sql()}) "
        f"WHERE {' AND '.join(where)} "
        f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY __ets DESC) = 1"
    )


def materialize_view(
    features: FeatureStore,
    datasets: DatasetStore,
    online: OnlineStore,
    view: FeatureView,
    by: str,
    incremental: bool = False,
    *,
    progress: Progress | None = None,
) -> Materialization:
    """Write ``view``'s latest values to ``online``; the recorded run. ``progress`` hears
    its :data:`STEPS`: the latest values read, then written."""
    if not view.online:
        raise Invalid(f"view {view.name!r} is not online (online=False): nothing to materialize")
    keys = join_keys(features, view)
    source = resolve(datasets, view, keys)
    names = [f.name for f in view.features]
    plan = ViewPlan(view, source, keys, names, names, ttl_ns(view.ttl_seconds))
    after = features.last_watermark_ns(view.name) if incremental else None
    run_id = features.start_materialization(
        {
            "view": view.name,
            "view_version": view.version,
            "dataset": source.version.name,
            "dataset_version": source.version.version,
            "mode": "incremental" if incremental else "full",
        },
        by,
    )
    try:
        count, watermark = _write(online, plan, after, incremental, progress)
    except BaseException as exc:
        features.finish_materialization(run_id, error=f"{type(exc).__name__}: {exc}")
        raise
    return features.finish_materialization(
        run_id, rows=count, watermark_ns=watermark if watermark is not None else after
    )


def _write(
    online: OnlineStore,
    plan: ViewPlan,
    after: int | None,
    incremental: bool,
    progress: Progress | None = None,
) -> tuple[int, int | None]:
    name = plan.view.name
    if progress is not None:
        progress(0, STEPS, f"{name}: reading the latest values")
    now_ns = time.time_ns()
    con = connection()
    rows: list[tuple[Any, ...]] = con.sql(_latest_rows_sql(plan, after, now_ns)).fetchall()
    if progress is not None:
        progress(1, STEPS, f"{name}: writing {len(rows):,} entities")
    width = len(plan.keys)
    watermark = max((r[width] for r in rows), default=None)
    meta = TableMeta(
        view=plan.view.name,
        view_version=plan.view.version,
        table="",
        keys=list(plan.keys.items()),
        features=[(f.name, f.dtype) for f in plan.view.features],
        ttl_ns=plan.ttl_ns,
        watermark_ns=watermark if watermark is not None else after,
        materialized_ns=now_ns,
    )
    if incremental:
        online.upsert(meta, rows)
    else:
        online.replace(meta, rows)
    if progress is not None:
        progress(STEPS, STEPS, f"{name}: {len(rows):,} entities written")
    return len(rows), watermark
