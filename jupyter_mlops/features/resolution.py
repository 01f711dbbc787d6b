"""From what a caller names (a service, ``view:feature`` references) to the views and
features to read, at their current versions, with their entities' join keys.

Feature names must be unique across the selected views unless ``full_names`` asks for
``view__feature`` columns (as Feast does): a clash is refused by name, never resolved by
silently keeping one.
"""

from __future__ import annotations

from collections import defaultdict

from ..errors import Invalid, NotFound
from .models import Entity, FeatureService, FeatureView, parse_ref
from .store import FeatureStore


def selected(
    store: FeatureStore, service: str | None, features: list[str] | None
) -> tuple[FeatureService | None, list[tuple[FeatureView, list[str]]]]:
    """(the service, if named; each view with the features chosen from it, in order)."""
    if (service is None) == (features is None):
        raise Invalid("give either service= or features= (a list of 'view:feature')")
    found: FeatureService | None = None
    if service is not None:
        found = store.get("service", service)
        refs = found.features
    else:
        refs = list(features or [])
        if not refs:
            raise Invalid("features= is empty: name at least one 'view:feature'")
    chosen: dict[str, list[str]] = defaultdict(list)
    views: dict[str, FeatureView] = {}
    for ref in refs:
        view_name, feature = parse_ref(ref)
        if view_name not in views:
            views[view_name] = store.get("view", view_name)
        names = [f.name for f in views[view_name].features]
        if feature is not None and feature not in names:
            raise NotFound(f"feature {ref!r}: view {view_name!r} has no feature {feature!r}")
        for name in names if feature is None else [feature]:
            if name not in chosen[view_name]:
                chosen[view_name].append(name)
    return found, [(views[name], chosen[name]) for name in chosen]


def join_keys(store: FeatureStore, view: FeatureView) -> dict[str, str]:
    """The join keys of a view's entities: name → Feast type."""
    keys: dict[str, str] = {}
    for name in view.entities:
        entity: Entity = store.get("entity", name)
        for key in entity.join_keys:
            keys[key.name] = key.dtype
    return keys


def output_columns(
    views: list[tuple[FeatureView, list[str]]], taken: list[str], full_names: bool
) -> list[list[str]]:
    """Each view's output column names; Invalid on a clash with another view's feature or
    with a column the entity frame already has."""
    columns = [
        [f"{view.name}__{name}" if full_names else name for name in names] for view, names in views
    ]
    owners: dict[str, list[str]] = defaultdict(list)
    for (view, _), names in zip(views, columns, strict=True):
        for name in names:
            owners[name].append(view.name)
    clashes = {name: views_ for name, views_ in owners.items() if len(views_) > 1}
    if clashes:
        name, where = next(iter(clashes.items()))
        raise Invalid(
            f"feature {name!r} is in views {where}: pass full_names=True to get "
            "'view__feature' columns, or choose one of them"
        )
    existing = sorted(set(owners) & set(taken))
    if existing:
        raise Invalid(f"entity_df already has column(s) {existing}: rename them or use full_names")
    return columns
