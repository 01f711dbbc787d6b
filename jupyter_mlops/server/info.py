"""REST handlers of the workspace itself: what was resolved (the credentials in its URLs
hidden), and the OpenAPI document."""

from __future__ import annotations

from .._version import __version__
from ..tracking.models import WorkspaceInfo
from .base import MlopsHandler, api_verb
from .openapi import build_openapi


class InfoHandler(MlopsHandler):
    @api_verb
    async def get(self) -> None:
        described = self.workspace.describe()  # URLs masked
        info = {**described, "version": __version__, "user": self.acting_identity}
        self.write_model(WorkspaceInfo.model_validate(info))


class OpenApiHandler(MlopsHandler):
    @api_verb
    async def get(self) -> None:
        self.finish(build_openapi())
