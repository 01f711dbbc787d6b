"""The last route under the API prefix: a path no route matches (an id of the wrong form,
a typo) is a JSON 404 like every other error of the API, not Jupyter's HTML page.

Authenticated and authorized like every route: without a token it is a 403, so it tells an
unknown caller nothing about which paths exist.
"""

from __future__ import annotations

from .base import MlopsHandler, api_verb
from .wire import http_error


class NoRouteHandler(MlopsHandler):
    """Answers 404 with ``{"message", "reason": "NotFound"}`` for any method."""

    def _no_route(self) -> None:
        path = self.request.path
        shown = path if len(path) <= 200 else path[:200] + "…"
        raise http_error(404, f"no such resource: {self.request.method} {shown}")

    @api_verb
    def get(self, *args: str) -> None:
        self._no_route()

    @api_verb
    def post(self, *args: str) -> None:
        self._no_route()

    @api_verb
    def put(self, *args: str) -> None:
        self._no_route()

    @api_verb
    def patch(self, *args: str) -> None:
        self._no_route()

    @api_verb
    def delete(self, *args: str) -> None:
        self._no_route()
