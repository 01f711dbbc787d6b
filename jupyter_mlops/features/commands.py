"""What the Features panel asks to change (definitions, materializations) and the online
lookup a model server calls; each one core call for a REST handler."""

from __future__ import annotations

from ..datasets.store import DatasetStore
from . import definitions
from .lookup import lookup, resolve_target
from .materialize import materialize_view
from .models import (
    Entity,
    EntitySpec,
    FeatureService,
    FeatureServiceSpec,
    FeatureView,
    FeatureViewSpec,
    OnlineResult,
)
from .online_store import online_store_of
from .resolution import selected
from .store import FeatureStore
from .views import MaterializeRequest, MaterializeResponse, OnlineRequest


def define_entity(store: FeatureStore, spec: EntitySpec, by: str) -> Entity:
    """Save an entity as ``by``."""
    return definitions.define_entity(store, spec, by)


def define_view(
    store: FeatureStore, datasets: DatasetStore, spec: FeatureViewSpec, by: str
) -> FeatureView:
    """Save a feature view as ``by``, checked against its source dataset."""
    return definitions.define_view(store, datasets, spec, by)


def define_service(store: FeatureStore, spec: FeatureServiceSpec, by: str) -> FeatureService:
    """Save a feature service as ``by``, its references checked."""
    return definitions.define_service(store, spec, by)


def materialize(
    store: FeatureStore, datasets: DatasetStore, request: MaterializeRequest, by: str
) -> MaterializeResponse:
    """Materialize a view, or every view of a service, as ``by``."""
    names = None if request.view is None else [request.view]
    _, chosen = selected(store, request.service, names)
    online = online_store_of(store.ws.online_store_url)
    incremental = request.mode == "incremental"
    done = [materialize_view(store, datasets, online, v, by, incremental) for v, _ in chosen]
    return MaterializeResponse(materializations=done)


def online_lookup(store: FeatureStore, request: OnlineRequest) -> OnlineResult:
    """The online values of a service or a view for a batch of entities."""
    target = resolve_target(store, request.service, request.view, request.full_names)
    found = lookup(online_store_of(store.ws.online_store_url), target, request.entities)
    return found.model()
