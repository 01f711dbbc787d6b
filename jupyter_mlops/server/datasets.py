"""REST handlers of the datasets area: list, versions, one version, rows, diff, checks."""

from __future__ import annotations

from ..datasets import commands, queries
from ..datasets.checks import DatasetChecks
from ..datasets.models import DiffQuery, ListDatasetsQuery, RecordVersionBody, RowsQuery
from ..datasets.store import DatasetStore
from ..tracking.store import use_workspace
from .base import MlopsHandler, api_verb


class DatasetsBase(MlopsHandler):
    """Shared accessor for the workspace's dataset store."""

    @property
    def store(self) -> DatasetStore:
        return self.stores.datasets

    @property
    def state_db(self) -> tuple[str]:
        """The database the dataset store reads (for :meth:`write_read`)."""
        return (self.workspace.state_db_url,)


class DatasetsHandler(DatasetsBase):
    @api_verb
    async def get(self) -> None:
        query = self.query_model(ListDatasetsQuery)
        key = query.model_dump_json()
        await self.write_read(key, self.state_db, queries.list_datasets, self.store, query)


class DatasetHandler(DatasetsBase):
    @api_verb
    async def get(self, name: str) -> None:
        await self.write_read(name, self.state_db, queries.dataset_detail, self.store, name)


class ChecksHandler(DatasetsBase):
    @api_verb
    async def put(self, name: str) -> None:
        body = self.body_model(DatasetChecks)
        self.write_model(await self.call(commands.replace_checks, self.store, name, body))


class DiffHandler(DatasetsBase):
    @api_verb
    async def get(self, name: str) -> None:
        query = self.query_model(DiffQuery, lists=("key",))
        self.write_model(await self.call(queries.diff_versions, self.store, name, query))


class VersionHandler(DatasetsBase):
    @api_verb
    async def get(self, name: str, version: str) -> None:
        client = use_workspace(self.workspace)
        databases = (*self.state_db, self.workspace.tracking_uri)  # the version, its runs
        await self.write_read(
            (name, version), databases, queries.version_detail, self.store, client, name, version
        )


class RowsHandler(DatasetsBase):
    @api_verb
    async def get(self, name: str, version: str) -> None:
        query = self.query_model(RowsQuery)
        self.write_model(await self.call(queries.rows_page, self.store, name, version, query))


class CheckHandler(DatasetsBase):
    @api_verb
    async def post(self, name: str, version: str) -> None:
        self.write_model(await self.call(commands.run_checks, self.store, name, version))


class DatasetVersionsHandler(DatasetsBase):
    @api_verb
    async def post(self, name: str) -> None:
        body = self.body_model(RecordVersionBody)
        by = self.actor("save a dataset version")
        self.write_model(await self.call(commands.record_version, self.store, name, body, by))
