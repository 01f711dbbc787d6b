"""What the Features panel reads: the catalog, a view's detail, sample rows, a service's
detail, and where each is used (MLflow runs and the model versions they produced)."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from mlflow.tracking import MlflowClient

from ..datasets.models import ColumnStats
from ..datasets.store import DatasetStore
from .join import ViewPlan, connection, quote
from .lineage import FEAST_SERVICE_TAG, FEAST_VIEWS_TAG
from .models import FeatureView, check_name
from .resolution import join_keys
from .sources import resolve
from .store import FeatureStore
from .timing import NS_PER_SECOND, from_ns
from .views import (
    Catalog,
    CatalogQuery,
    FeatureStats,
    Freshness,
    SampleRows,
    SampleRowsQuery,
    ServiceDetail,
    UsageRun,
    ViewDetail,
    ViewSummary,
)

HISTOGRAM_BINS = 20
MAX_USAGE_RUNS = 200


def catalog(store: FeatureStore, query: CatalogQuery) -> Catalog:
    """Every entity, view and service whose name contains ``query.search``."""
    views = [
        ViewSummary(
            view=v, last_materialization=next(iter(store.materializations(v.name, 1)), None)
        )
        for v in store.latest("view", query.search)
    ]
    return Catalog(
        entities=store.latest("entity", query.search),
        views=views,
        services=store.latest("service", query.search),
    )


_HISTOGRAMS: OrderedDict[tuple[str, str, float, float], list[int]] = OrderedDict()
_HISTOGRAMS_KEPT = 1024


def _histograms(plan: ViewPlan, stats: dict[str, ColumnStats]) -> dict[str, list[int]]:
    """A 20-bin histogram of each numeric feature, between its manifest min and max.

    Remembered per process by the object's id: an object never changes, so the panel's
    polling of a view recomputes nothing until its dataset has a new version."""
    object_id = plan.source.version.manifest.object_id
    found: dict[str, list[int]] = {}
    con = connection()
    numeric = {f.name for f in plan.view.features if f.dtype not in ("Bool", "UnixTimestamp")}
    for name in plan.features:
        entry = stats.get(name)
        if name not in numeric or entry is None or entry.min is None or entry.max is None:
            continue
        lo, width = entry.min, (entry.max - entry.min) or 1.0
        key = (object_id, name, entry.min, entry.max)
        if key in _HISTOGRAMS:
            found[name] = _HISTOGRAMS[key]
            continue
        sql = (
            f"SELECT least(floor(({quote(name)} - {lo!r}) / {width!r} * {HISTOGRAM_BINS}), "
            f"{HISTOGRAM_BINS - 1})::INT AS b, count(*) FROM {plan.source.sql()} "
            f"WHERE {quote(name)} IS NOT NULL AND isfinite({quote(name)}::DOUBLE) GROUP BY b"
        )
        counts = [0] * HISTOGRAM_BINS
        for bucket, count in con.sql(sql).fetchall():
            counts[int(bucket)] = int(count)
        found[name] = _HISTOGRAMS[key] = counts
        while len(_HISTOGRAMS) > _HISTOGRAMS_KEPT:
            _HISTOGRAMS.popitem(last=False)
    return found


def _freshness(view: FeatureView, stats: dict[str, ColumnStats], naive: bool) -> Freshness:
    """The newest event's age against the ttl. The manifest keeps a naive time column's
    range as if its wall times were UTC: they are read in the view's zone here."""
    entry = stats.get(view.timestamp_field)
    if entry is None or entry.max is None:
        return Freshness(ttl_seconds=view.ttl_seconds)
    newest_ns = int(entry.max * NS_PER_SECOND)
    if naive and view.timezone not in (None, "UTC"):
        import pandas as pd

        wall = pd.Timestamp(newest_ns, unit="ns")
        local = wall.tz_localize(view.timezone, ambiguous=True, nonexistent="shift_forward")
        newest_ns = int(local.value)
    age = (time.time_ns() - newest_ns) / NS_PER_SECOND
    fresh = None if view.ttl_seconds is None else age <= view.ttl_seconds
    return Freshness(
        newest_event=from_ns(newest_ns), age_seconds=age, ttl_seconds=view.ttl_seconds, fresh=fresh
    )


def view_detail(
    store: FeatureStore, datasets: DatasetStore, client: MlflowClient, name: str
) -> ViewDetail:
    """A view: its versions, source, per-feature statistics, freshness, materializations
    and the runs trained on it."""
    check_name(name, "view name")
    view: FeatureView = store.get("view", name)
    keys = join_keys(store, view)
    source = resolve(datasets, view, keys)
    names = [f.name for f in view.features]
    plan = ViewPlan(view, source, keys, names, names, None)
    manifest = source.version.manifest
    stats = {c.name: c for c in manifest.columns}
    histograms = _histograms(plan, stats)
    rows = manifest.rows or 0
    features = [
        FeatureStats(
            name=f.name,
            dtype=f.dtype,
            description=f.description,
            stats=stats.get(f.name),
            null_share=(stats[f.name].nulls / rows) if f.name in stats and rows else None,
            histogram=histograms.get(f.name, []),
        )
        for f in view.features
    ]
    return ViewDetail(
        view=view,
        versions=store.history("view", name),
        dataset=source.version.name,
        dataset_version=source.version.version,
        rows=manifest.rows,
        features=features,
        freshness=_freshness(view, stats, ", tz=" not in source.schema[view.timestamp_field]),
        materializations=store.materializations(name, 20),
        used_by=usage(client, view=name),
    )


def sample_rows(
    store: FeatureStore, datasets: DatasetStore, name: str, query: SampleRowsQuery
) -> SampleRows:
    """The newest rows of a view's source: keys, event time, features."""
    check_name(name, "view name")
    view: FeatureView = store.get("view", name)
    keys = join_keys(store, view)
    source = resolve(datasets, view, keys)
    columns = [*keys, view.timestamp_field, *(f.name for f in view.features)]
    sql = (
        f"SELECT {', '.join(quote(c) for c in columns)} FROM {source.sql()} "
        f"ORDER BY {quote(view.timestamp_field)} DESC LIMIT {int(query.limit)}"
    )
    con = connection()
    rows = con.sql(sql).fetchall()
    return SampleRows(columns=columns, rows=[[_plain(v) for v in row] for row in rows])


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def service_detail(store: FeatureStore, client: MlflowClient, name: str) -> ServiceDetail:
    """A service, its versions and the runs trained on it."""
    check_name(name, "service name")
    return ServiceDetail(
        service=store.get("service", name),
        versions=store.history("service", name),
        used_by=usage(client, service=name),
    )


def usage(
    client: MlflowClient, *, view: str | None = None, service: str | None = None
) -> list[UsageRun]:
    """The MLflow runs whose training set used ``service`` or ``view``, newest first,
    with the registered model versions each produced."""
    experiments = [e.experiment_id for e in client.search_experiments()]
    if not experiments:
        return []
    if service is not None:
        where = f"tags.`{FEAST_SERVICE_TAG}` = '{service}'"
    else:
        where = f"tags.`{FEAST_VIEWS_TAG}` LIKE '%{view}%'"
    runs = list(
        client.search_runs(
            experiments, where, max_results=MAX_USAGE_RUNS, order_by=["start_time DESC"]
        )
    )
    if view is not None:  # LIKE matched a substring: keep the runs naming the view itself
        runs = [r for r in runs if view in r.data.tags.get(FEAST_VIEWS_TAG, "").split(",")]
    models = _models_of(client, [r.info.run_id for r in runs])
    return [
        UsageRun(
            run_id=r.info.run_id,
            run_name=r.info.run_name,
            experiment_id=r.info.experiment_id,
            start_time=r.info.start_time,
            service=r.data.tags.get(FEAST_SERVICE_TAG),
            models=models.get(r.info.run_id, []),
        )
        for r in runs
    ]


def _models_of(client: MlflowClient, run_ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for start in range(0, len(run_ids), 50):
        listed = ", ".join(f"'{r}'" for r in run_ids[start : start + 50])
        if not listed:
            break
        for mv in client.search_model_versions(f"run_id IN ({listed})"):
            if mv.run_id:
                found.setdefault(mv.run_id, []).append(f"{mv.name} v{mv.version}")
    return found
