"""REST handlers of the serving area: endpoints (list, deploy, page, stop) and their
rollouts (start a shadow or canary, promote, abort). Deploying or starting a challenger
waits until it answers (a scoring server takes seconds to load), off the event loop."""

from __future__ import annotations

from ..serving import commands, queries
from ..serving.models import DeployRequest, RolloutRequest
from ..serving.scoring import free_port
from .base import MlopsHandler, api_verb


class EndpointsHandler(MlopsHandler):
    @api_verb
    async def get(self) -> None:
        self.write_model(await self.call(queries.list_endpoints, self.workspace))

    @api_verb
    async def post(self) -> None:
        body, by = self.body_model(DeployRequest), self.actor("deploy a model")
        port = body.port or free_port()
        ws = self.workspace
        done = await self.call(commands.deploy, ws, body.model, body.name, port, by)
        self.write_model(await self.call(queries.summary, ws, done.name))


class EndpointHandler(MlopsHandler):
    @api_verb
    async def get(self, endpoint: str) -> None:
        self.write_model(await self.call(queries.endpoint_detail, self.workspace, endpoint))

    @api_verb
    async def delete(self, endpoint: str) -> None:
        by = self.actor("stop an endpoint")
        await self.call(commands.stop, self.workspace, endpoint, by)
        self.write_model(await self.call(queries.summary, self.workspace, endpoint))


class EndpointRolloutHandler(MlopsHandler):
    @api_verb
    async def post(self, endpoint: str) -> None:
        body, by = self.body_model(RolloutRequest), self.actor("start a rollout")
        start = commands.start_rollout
        ws, percent = self.workspace, body.percent
        args = (ws, endpoint, body.mode, body.challenger, percent, body.rules, by)
        self.write_model(await self.call(start, *args))


class EndpointPromoteHandler(MlopsHandler):
    @api_verb
    async def post(self, endpoint: str) -> None:
        by = self.actor("promote a challenger")
        self.write_model(await self.call(commands.promote, self.workspace, endpoint, by))


class EndpointAbortHandler(MlopsHandler):
    @api_verb
    async def post(self, endpoint: str) -> None:
        by = self.actor("abort a rollout")
        self.write_model(await self.call(commands.abort, self.workspace, endpoint, by))
