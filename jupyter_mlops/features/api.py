"""The Python API of feature lookup (``mlops.features``), twin of ``%features``.

Definitions in Feast's vocabulary::

    mlops.features.entity("driver", join_keys={"driver_id": "Int64"})
    mlops.features.view("driver_stats", entities=["driver"], source="driver_rows",
                        features={"trips": "Int64", "rating": "Float64"}, ttl=timedelta(days=3))
    mlops.features.service("eta_model", features=["driver_stats:trips", "driver_stats"])

then ``training_set(entity_df, service="eta_model").to_df()`` (point-in-time, every row
kept), ``materialize("driver_stats")`` and ``online("eta_model", {"driver_id": [1, 2]})``;
``export_feast("feast_repo")`` writes them all as a Feast repository.
Inside ``%%track`` a training set is recorded on the run.
"""

from __future__ import annotations

import builtins
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..datasets.api import store as dataset_store
from ..errors import Invalid
from ..identity import asserted
from ..progress import Progress
from ..state import current_store
from ..tracking.store import use_workspace
from ..tracking.tracker import active
from . import definitions, training
from .feast_export import OnlineStore as FeastOnlineStore
from .lookup import OnlineValues, lookup, resolve_target
from .materialize import materialize_view
from .models import (
    Entity,
    EntitySpec,
    FeatureService,
    FeatureServiceSpec,
    FeatureView,
    FeatureViewSpec,
    FieldSpec,
    Materialization,
)
from .online_store import OnlineStore, online_store_of
from .resolution import selected
from .skew import SkewReport, skew_for
from .store import KINDS, FeatureStore


def store() -> FeatureStore:
    """The feature store (definitions, materializations) of the current workspace."""
    return current_store(FeatureStore)


def _fields(columns: dict[str, str] | builtins.list[FieldSpec]) -> builtins.list[FieldSpec]:
    if isinstance(columns, dict):
        return [FieldSpec(name=name, dtype=dtype) for name, dtype in columns.items()]  # type: ignore[arg-type]
    return builtins.list(columns)


def _seconds(ttl: timedelta | float | None) -> int | None:
    if ttl is None:
        return None
    seconds = ttl.total_seconds() if isinstance(ttl, timedelta) else float(ttl)
    return int(seconds)


def entity(
    name: str,
    join_keys: dict[str, str] | builtins.list[FieldSpec],
    *,
    description: str = "",
    owner: str = "",
    tags: dict[str, str] | None = None,
    by: str | None = None,
) -> Entity:
    """Define an entity: ``join_keys`` maps each key column to its Feast type."""
    spec = EntitySpec(
        name=name,
        join_keys=_fields(join_keys),
        description=description,
        owner=owner,
        tags=tags or {},
    )
    return definitions.define_entity(store(), spec, asserted(by))


def view(
    name: str,
    *,
    entities: builtins.list[str],
    source: str,
    features: dict[str, str] | builtins.list[FieldSpec],
    timestamp_field: str = "event_timestamp",
    created_timestamp_column: str | None = None,
    ttl: timedelta | float | None = None,
    timezone: str | None = None,
    online: bool = True,
    description: str = "",
    owner: str = "",
    tags: dict[str, str] | None = None,
    by: str | None = None,
) -> FeatureView:
    """Define a feature view over a dataset (``NAME`` follows its latest version,
    ``NAME@vN`` pins one); checked against the dataset's columns."""
    spec = FeatureViewSpec(
        name=name,
        entities=entities,
        source=source,
        features=_fields(features),
        timestamp_field=timestamp_field,
        created_timestamp_column=created_timestamp_column,
        ttl_seconds=_seconds(ttl),
        timezone=timezone,
        online=online,
        description=description,
        owner=owner,
        tags=tags or {},
    )
    return definitions.define_view(store(), dataset_store(), spec, asserted(by))


def service(
    name: str,
    features: builtins.list[str],
    *,
    description: str = "",
    owner: str = "",
    tags: dict[str, str] | None = None,
    by: str | None = None,
) -> FeatureService:
    """Define a feature service: ``view:feature`` references (``view`` for all)."""
    spec = FeatureServiceSpec(
        name=name, features=features, description=description, owner=owner, tags=tags or {}
    )
    return definitions.define_service(store(), spec, asserted(by))


def get_entity(name: str, version: int | None = None) -> Entity:
    """An entity's definition (latest, or ``version``)."""
    return store().get("entity", name, version)  # type: ignore[no-any-return]


def get_view(name: str, version: int | None = None) -> FeatureView:
    """A view's definition (latest, or ``version``)."""
    return store().get("view", name, version)  # type: ignore[no-any-return]


def get_service(name: str, version: int | None = None) -> FeatureService:
    """A service's definition (latest, or ``version``)."""
    return store().get("service", name, version)  # type: ignore[no-any-return]


def list(search: str = "") -> dict[str, builtins.list[str]]:  # the verb users type
    """Names of the entities, views and services (``search``: part of a name)."""
    features = store()
    return {kind: [d.name for d in features.latest(kind, search)] for kind in KINDS}


def training_set(
    entity_df: Any = None,
    *,
    service: str | None = None,
    features: builtins.list[str] | None = None,
    timestamp_column: str = training.DEFAULT_TIMESTAMP,
    timezone: str | None = None,
    full_names: bool = False,
    start: datetime | None = None,
    end: datetime | None = None,
    progress: Progress | None = None,
) -> training.TrainingSet:
    """A point-in-time correct training set: each row of ``entity_df`` (keys and
    ``timestamp_column``, time-zone aware unless ``timezone`` says how to read it) gets
    each feature's newest value at or before its time, within the view's ttl. Every row
    is kept, in order; ``.status`` says why a row has no value. Without ``entity_df``,
    give ``start`` and ``end``: every event of the views in that range. ``progress(done,
    total, label)`` hears each view's read and join."""
    features_store, datasets = store(), dataset_store()
    if entity_df is None:
        if start is None or end is None:
            raise Invalid("give entity_df, or start= and end= to take every event in a range")
        _, chosen = selected(features_store, service, features)
        names = [v.name for v, _ in chosen]
        entity_df = training.events_between(features_store, datasets, names, start, end, timezone)
        timestamp_column = training.DEFAULT_TIMESTAMP
    result = training.build(
        features_store,
        datasets,
        entity_df,
        service=service,
        refs=features,
        timestamp_column=timestamp_column,
        timezone=timezone,
        full_names=full_names,
        progress=progress,
    )
    run = active()
    if run is not None:
        from .lineage import log_training_set

        log_training_set(use_workspace(features_store.ws), run.run_id, result)
    return result


def online_store() -> OnlineStore:
    """The online store of the current workspace (``online_store_url``)."""
    return online_store_of(store().ws.online_store_url)


def materialize(
    view: str | None = None,
    *,
    service: str | None = None,
    incremental: bool = False,
    by: str | None = None,
    progress: Progress | None = None,
) -> builtins.list[Materialization]:
    """Write the latest values (within the ttl) of ``view``, or of every view of
    ``service``, to the online store; ``incremental`` reads only events after the last
    watermark. Returns one record per view. ``progress(done, total, label)`` hears each
    view's read and write, counted over all the views."""
    features = store()
    if (view is None) == (service is None):
        raise Invalid("give a view name, or service=")
    _, chosen = selected(features, service, None if view is None else [view])
    actor = asserted(by)
    return [
        materialize_view(
            features,
            dataset_store(),
            online_store(),
            v,
            actor,
            incremental,
            progress=_of_view(progress, index, len(chosen)),
        )
        for index, (v, _) in enumerate(chosen)
    ]


def _of_view(progress: Progress | None, index: int, count: int) -> Progress | None:
    """``progress`` of the ``index``-th of ``count`` views, counted over all of them."""
    if progress is None:
        return None
    report = progress
    return lambda done, total, label: report(index * total + done, count * total, label)


def online(
    service: str | None = None,
    entities: dict[str, builtins.list[Any]] | None = None,
    *,
    view: str | None = None,
    full_names: bool = False,
) -> OnlineValues:
    """The online values of ``service`` (or ``view``) for ``entities``: each join key's
    values, e.g. ``{"driver_id": [1, 2]}``. Each row says, per view, whether its values are
    ``present``, ``missing`` or ``expired`` (older than the ttl now), and their age."""
    if not entities:
        raise Invalid('give the entities\' keys, e.g. {"driver_id": [1, 2]}')
    features = store()
    target = resolve_target(features, service, view, full_names)
    return lookup(online_store_of(features.ws.online_store_url), target, entities)


def export_feast(
    directory: Path | str,
    *,
    online: FeastOnlineStore = "sqlite",
    redis_url: str | None = None,
    project: str = "mlops",
) -> builtins.list[Path]:
    """Write every latest entity, view and service as a Feast repository into
    ``directory`` (``feature_store.yaml`` and ``features_repo.py``, returned): each view
    reads the Parquet file of its dataset's version, Feast's online store is SQLite or
    Redis (``online="redis"``, ``redis_url="redis://HOST:PORT/DB"``). Apply it with
    ``feast -c DIRECTORY apply``."""
    from .export import export_workspace

    return export_workspace(
        store(), dataset_store(), directory, online=online, redis_url=redis_url, project=project
    )


def skew(service: str, sample: int = 100) -> SkewReport:
    """Compare a sample of ``service``'s online values with the offline point-in-time
    values as of their materialization, and check it is fresh: ``report.passed``."""
    return skew_for(store().ws, service, sample)
