"""Defining entities, views and services: each checked against what it refers to before
a new version is written.

A view's entities must exist and its source must be a DataFrame dataset holding its join
keys, time columns and features with fitting types; a service's references must name
existing views and features. A definition that fails a check writes nothing.
"""

from __future__ import annotations

from typing import cast

from ..datasets.store import DatasetStore
from ..errors import Invalid
from .models import (
    Entity,
    EntitySpec,
    FeatureService,
    FeatureServiceSpec,
    FeatureView,
    FeatureViewSpec,
)
from .resolution import selected
from .sources import resolve
from .store import FeatureStore


def define_entity(store: FeatureStore, spec: EntitySpec, by: str) -> Entity:
    """Save an entity (a new version when it changed)."""
    return cast(Entity, store.define(spec, by))


def define_view(
    store: FeatureStore, datasets: DatasetStore, spec: FeatureViewSpec, by: str
) -> FeatureView:
    """Save a view after checking its entities and its source dataset."""
    from .resolution import join_keys

    probe = FeatureView.model_validate(
        {**spec.model_dump(), "version": 1, "created_at": "2000-01-01T00:00:00", "author": "x"}
    )
    keys = join_keys(store, probe)
    _distinct_columns(probe, list(keys))
    resolve(datasets, probe, keys)  # Invalid naming what does not fit
    return cast(FeatureView, store.define(spec, by))


def define_service(store: FeatureStore, spec: FeatureServiceSpec, by: str) -> FeatureService:
    """Save a service after checking that every reference names a view and a feature."""
    selected(store, None, spec.features)
    return cast(FeatureService, store.define(spec, by))


def _distinct_columns(view: FeatureView, keys: list[str]) -> None:
    """A column plays one part in a view: a join key, a time column or one feature."""
    times = [c for c in (view.timestamp_field, view.created_timestamp_column) if c]
    names = [*keys, *times, *(f.name for f in view.features)]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise Invalid(
            f"view {view.name!r}: column(s) {twice} appear twice among its join keys, time "
            "columns and features; each column plays one part"
        )
