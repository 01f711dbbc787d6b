"""REST handlers of the features area: catalog, definitions, a view's detail and sample
rows, a service's detail, materializations and online lookups."""

from __future__ import annotations

from ..features import commands, queries
from ..features.models import EntitySpec, FeatureServiceSpec, FeatureViewSpec
from ..features.store import FeatureStore
from ..features.views import CatalogQuery, MaterializeRequest, OnlineRequest, SampleRowsQuery
from ..tracking.store import use_workspace
from .base import MlopsHandler, api_verb


class FeaturesBase(MlopsHandler):
    """Shared accessor for the workspace's feature store."""

    @property
    def store(self) -> FeatureStore:
        return self.stores.features


class CatalogHandler(FeaturesBase):
    @api_verb
    async def get(self) -> None:
        query = self.query_model(CatalogQuery)
        self.write_model(await self.call(queries.catalog, self.store, query))


class EntitiesHandler(FeaturesBase):
    @api_verb
    async def post(self) -> None:
        spec, by = self.body_model(EntitySpec), self.actor("define an entity")
        self.write_model(await self.call(commands.define_entity, self.store, spec, by))


class ViewsHandler(FeaturesBase):
    @api_verb
    async def post(self) -> None:
        spec, by = self.body_model(FeatureViewSpec), self.actor("define a feature view")
        datasets = self.stores.datasets
        self.write_model(await self.call(commands.define_view, self.store, datasets, spec, by))


class ServicesHandler(FeaturesBase):
    @api_verb
    async def post(self) -> None:
        spec, by = self.body_model(FeatureServiceSpec), self.actor("define a feature service")
        self.write_model(await self.call(commands.define_service, self.store, spec, by))


class ViewHandler(FeaturesBase):
    @api_verb
    async def get(self, view: str) -> None:
        client = use_workspace(self.workspace)
        detail = queries.view_detail
        datasets = self.stores.datasets
        self.write_model(await self.call(detail, self.store, datasets, client, view))


class ViewRowsHandler(FeaturesBase):
    @api_verb
    async def get(self, view: str) -> None:
        query, datasets = self.query_model(SampleRowsQuery), self.stores.datasets
        self.write_model(await self.call(queries.sample_rows, self.store, datasets, view, query))


class ServiceHandler(FeaturesBase):
    @api_verb
    async def get(self, service: str) -> None:
        client = use_workspace(self.workspace)
        self.write_model(await self.call(queries.service_detail, self.store, client, service))


class MaterializeHandler(FeaturesBase):
    @api_verb
    async def post(self) -> None:
        body, by = self.body_model(MaterializeRequest), self.actor("materialize features")
        datasets = self.stores.datasets
        self.write_model(await self.call(commands.materialize, self.store, datasets, body, by))


class OnlineHandler(FeaturesBase):
    @api_verb
    async def post(self) -> None:
        body = self.body_model(OnlineRequest)
        self.write_model(await self.call(commands.online_lookup, self.store, body))
