"""REST handlers of the tracking area (experiments, runs, run detail, compare)."""

from __future__ import annotations

from mlflow.tracking import MlflowClient

from ..tracking import queries, search
from ..tracking.models import CompareQuery, ListRunsQuery
from ..tracking.store import use_workspace
from .base import MlopsHandler, api_verb


class TrackingHandler(MlopsHandler):
    """Shared accessor for the workspace's MLflow client."""

    @property
    def client(self) -> MlflowClient:
        return use_workspace(self.workspace)


class ExperimentsHandler(TrackingHandler):
    @api_verb
    async def get(self) -> None:
        tracking = (self.workspace.tracking_uri,)
        await self.write_read((), tracking, queries.list_experiments, self.client)


class RunsHandler(TrackingHandler):
    @api_verb
    async def get(self) -> None:
        query = self.query_model(ListRunsQuery, lists=("experiment_ids",))
        tracking = (self.workspace.tracking_uri,)
        key = query.model_dump_json()
        await self.write_read(key, tracking, search.search_runs, self.client, query)


class RunHandler(TrackingHandler):
    @api_verb
    async def get(self, mlflow_run_id: str) -> None:
        self.write_model(await self.call(queries.run_detail, self.client, mlflow_run_id))


class CompareHandler(TrackingHandler):
    @api_verb
    async def get(self) -> None:
        query = self.query_model(CompareQuery, lists=("run_ids",))
        self.write_model(await self.call(queries.compare_runs, self.client, query.run_ids))
