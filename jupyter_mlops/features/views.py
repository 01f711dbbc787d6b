"""The REST contract of the Features panel: requests and responses (``/mlops/api/features``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ..contract import Count, Id, StrictModel, UtcDateTime
from ..datasets.models import ColumnStats
from ..errors import Invalid
from .models import Entity, FeatureService, FeatureView, Materialization

KeyValue = str | int | float | bool | None


class CatalogQuery(StrictModel):
    """Query of ``GET /features``: part of a name (entities, views and services)."""

    search: str = Field(default="", max_length=128, description="Part of a name")


class ViewSummary(StrictModel):
    view: FeatureView
    last_materialization: Materialization | None = None


class Catalog(StrictModel):
    entities: list[Entity]
    views: list[ViewSummary]
    services: list[FeatureService]


class Freshness(StrictModel):
    """How old a view's newest event is, against its ttl."""

    newest_event: UtcDateTime | None = None
    age_seconds: float | None = None
    ttl_seconds: int | None = None
    fresh: bool | None = None  # None without a ttl or without events


class FeatureStats(StrictModel):
    """One feature: its type, the manifest's statistics, and a histogram for a sparkline."""

    name: str
    dtype: str
    description: str = ""
    stats: ColumnStats | None = None
    null_share: float | None = None
    histogram: list[Count] = []


class UsageRun(StrictModel):
    """An MLflow run trained on a view or a service, and the model versions it produced."""

    run_id: str
    run_name: str | None = None
    experiment_id: str
    start_time: int | None = None
    service: str | None = None
    models: list[str] = []  # "name v3"


class ViewDetail(StrictModel):
    view: FeatureView
    versions: list[FeatureView]
    dataset: str
    dataset_version: Id
    rows: Count | None = None
    features: list[FeatureStats]
    freshness: Freshness
    materializations: list[Materialization]
    used_by: list[UsageRun]


class ServiceDetail(StrictModel):
    service: FeatureService
    versions: list[FeatureService]
    used_by: list[UsageRun]


class SampleRowsQuery(StrictModel):
    limit: int = Field(default=20, ge=1, le=500)


class SampleRows(StrictModel):
    """The newest rows of a view's source (its keys, event time and features)."""

    columns: list[str]
    rows: list[list[KeyValue]]


class OnlineRequest(StrictModel):
    """``POST /features/online``: a service or a view, and the entities' keys, one list per
    join key (all of the same length)."""

    service: str | None = None
    view: str | None = None
    entities: dict[str, list[KeyValue]] = Field(min_length=1, max_length=8)
    full_names: bool = False

    @model_validator(mode="after")
    def _one_target(self) -> OnlineRequest:
        if (self.service is None) == (self.view is None):
            raise Invalid("give exactly one of service or view")
        lengths = {len(values) for values in self.entities.values()}
        if len(lengths) != 1:
            raise Invalid("entities: every join key needs the same number of values")
        if lengths.pop() > 1000:
            raise Invalid("entities: at most 1000 entities per lookup")
        return self


class MaterializeRequest(StrictModel):
    """``POST /features/materialize``: a view or a service (all its views)."""

    view: str | None = None
    service: str | None = None
    mode: Literal["full", "incremental"] = "full"

    @model_validator(mode="after")
    def _one_target(self) -> MaterializeRequest:
        if (self.service is None) == (self.view is None):
            raise Invalid("give exactly one of service or view")
        return self


class MaterializeResponse(StrictModel):
    materializations: list[Materialization]
