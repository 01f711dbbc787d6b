"""The base of every REST handler: auth resource, the core service accessor, one error mapper.

Handlers stay thin: parse the request into a pydantic model, call one core function (in a
worker thread, so a slow store never blocks the server), write the model as JSON.
Core errors map to 4xx here and only here; anything unexpected is a 500 with a generic
message, its traceback kept in the server log, never sent to the browser.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, TypeVar

from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from pydantic import BaseModel, ValidationError
from tornado import web

from ..errors import Conflict, Forbidden, Invalid, MlopsError, NotFound
from ..workspace import Workspace

AUTH_RESOURCE = "mlops"
REASONS: tuple[type[MlopsError], ...] = (NotFound, Invalid, Conflict, Forbidden)
ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "request"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


class MlopsHandler(ExtensionHandlerMixin, APIHandler):
    """Base REST handler of the mlops extension."""

    auth_resource = AUTH_RESOURCE

    @property
    def workspace(self) -> Workspace:
        return self.settings["mlops_workspace"]  # type: ignore[no-any-return]

    def query_model(self, model: type[ModelT], lists: tuple[str, ...] = ()) -> ModelT:
        """Parse the query string into ``model``; ``lists`` names repeatable arguments."""
        data: dict[str, Any] = {}
        for name in model.model_fields:
            values = self.get_query_arguments(name)
            if name in lists:
                data[name] = [v for v in values if v != ""]
            elif values:
                data[name] = values[-1]
        # JupyterLab's ServerConnection appends a bare timestamp to GETs to defeat caches.
        given = {k for k in self.request.query_arguments if not k.isdigit()}
        unknown = given - set(model.model_fields) - {"token"}
        if unknown:
            raise web.HTTPError(400, f"unknown query parameter(s): {', '.join(sorted(unknown))}")
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise web.HTTPError(400, _validation_message(exc)) from None

    def body_model(self, model: type[ModelT]) -> ModelT:
        """Parse the JSON body into ``model``; a clear 400 naming what is wrong otherwise."""
        try:
            return model.model_validate_json(self.request.body or b"")
        except ValidationError as exc:
            raise web.HTTPError(400, _validation_message(exc)) from None

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking core function off the event loop."""
        return await asyncio.to_thread(fn, *args)

    def write_model(self, model: BaseModel) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(model.model_dump_json())

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """One mapping for every route: core errors → 4xx JSON; the rest → generic JSON."""
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, MlopsError):
            self.set_status(exc.status)
            # the documented kind, also for subclasses (InvalidParameters, Corrupt)
            kind = next((k for k in REASONS if isinstance(exc, k)), None)
            body = {"message": str(exc), "reason": kind.__name__ if kind else "Error"}
        elif isinstance(exc, web.HTTPError):
            reason = {400: "Invalid", 403: "Forbidden", 404: "NotFound", 409: "Conflict"}
            body = {
                "message": exc.log_message % exc.args if exc.log_message else self._reason,
                "reason": reason.get(status_code, "Error"),
            }
        else:
            body = {"message": "internal error; see the server log", "reason": "Error"}
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Expected core errors are not server faults: log them in one line."""
        if isinstance(value, MlopsError):
            self.log.info("%s %s: %s", self.request.method, self.request.uri, value)
        else:
            super().log_exception(typ, value, tb)
