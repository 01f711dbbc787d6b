"""The workspace's feature definitions as a Feast repository (``jupyter mlops export feast``).

Every latest entity, view and service is exported; each view names the verified Parquet
file of the dataset version it reads now (its source resolved and checked as a training
set would), so Feast reads the exact bytes our joins read. A definition that does not fit
(a source that is no longer a DataFrame, a service naming a dropped feature, naive times
Feast would read differently) is refused by name and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from ..datasets.store import DatasetStore
from ..errors import Invalid
from .feast_export import FeastExport, OnlineStore, export_feast
from .resolution import join_keys
from .sources import resolve
from .store import FeatureStore


def workspace_definitions(features: FeatureStore, datasets: DatasetStore) -> FeastExport:
    """The latest entities, views (each with its source's verified Parquet file) and
    services of the workspace."""
    views = [
        (view, resolve(datasets, view, join_keys(features, view)).path)
        for view in features.latest("view")
    ]
    return FeastExport(
        entities=features.latest("entity"), views=views, services=features.latest("service")
    )


def export_workspace(
    features: FeatureStore,
    datasets: DatasetStore,
    directory: Path | str,
    *,
    online: OnlineStore = "sqlite",
    redis_url: str | None = None,
    project: str = "mlops",
) -> list[Path]:
    """Write the workspace's definitions as a Feast repository into ``directory``; the
    files written (``feature_store.yaml``, ``features_repo.py``)."""
    definitions = workspace_definitions(features, datasets)
    if not (definitions.entities or definitions.views or definitions.services):
        raise Invalid("the workspace has no feature definitions to export: define them first")
    return export_feast(definitions, directory, online=online, redis_url=redis_url, project=project)
