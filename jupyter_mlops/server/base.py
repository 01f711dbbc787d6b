"""The base of every REST handler: auth resource, the core service accessor, one error mapper.

Handlers stay thin: parse the request into a pydantic model, call one core function (in a
worker thread, so a slow store never blocks the server), write the model as JSON.
Core errors map to 4xx here and only here; anything unexpected is a 500 with a generic
message, its traceback kept in the server log, never sent to the browser.

Who acts is decided here too, once for every area (:attr:`MlopsHandler.acting_identity`):

- on a single-user server (jupyter-server's own identity providers: token or password
  login), whoever passed the login is the server's owner, and acts under the owner's name:
  the Hub user, else the OS user, the name the server's kernels record;
- on a server with a real identity provider (JupyterHub's, or one configured), the user
  it names; an anonymous user may read, and is refused every write with 403.

Either way the actor is ``authenticated``: the server vouched for it.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from jupyter_server.auth.decorator import authorized
from jupyter_server.auth.identity import (
    IdentityProvider,
    LegacyIdentityProvider,
    PasswordIdentityProvider,
)
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from pydantic import BaseModel, ValidationError
from tornado import web

from ..contract import validation_message
from ..errors import Conflict, Forbidden, Invalid, MlopsError, NotFound
from ..identity import AUTHENTICATED, Actor, current_author
from ..read_cache import ReadCache
from ..reviews.models import Identity
from ..workspace import Workspace

if TYPE_CHECKING:
    from ..datasets.store import DatasetStore
    from ..features.store import FeatureStore
    from ..monitoring.store import MonitorStore
    from ..pipelines.store import JobStore
    from ..reviews.store import ReviewStore
from . import wire

AUTH_RESOURCE = "mlops"
REASONS: tuple[type[MlopsError], ...] = (NotFound, Invalid, Conflict, Forbidden)
ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")
# jupyter-server's own providers: one person holds the token or password of the server
SINGLE_USER_PROVIDERS = (IdentityProvider, PasswordIdentityProvider, LegacyIdentityProvider)
# jupyter-server's token-only users: a random hex username, named "Anonymous <moon>"
_ANONYMOUS = re.compile(r"^[0-9a-f]{32}$")


@functools.cache
def server_owner() -> Identity:
    """The owner of a single-user server: the name its kernels record as theirs."""
    name = current_author()
    return Identity(username=name, display_name=name, source=AUTHENTICATED)


def identity_of(user: object) -> Identity:
    """A user of a real identity provider as an authenticated Identity."""
    username = str(getattr(user, "username", ""))
    name = str(getattr(user, "display_name", "") or getattr(user, "name", "") or "")
    anonymous = bool(_ANONYMOUS.match(username)) and name.startswith("Anonymous")
    return Identity(
        username=username, display_name=name[:200], anonymous=anonymous, source=AUTHENTICATED
    )


VerbT = TypeVar("VerbT", bound=Callable[..., Awaitable[None] | None])


def api_verb(method: VerbT) -> VerbT:
    """The auth of every verb of every route: tornado's authentication (403 without a
    token or cookie), then jupyter-server's authorization of the handler's
    ``auth_resource`` (read for GET/HEAD, write for the rest; 403 when refused)."""
    return web.authenticated(authorized(method))  # type: ignore[return-value]


@dataclass(frozen=True)
class AreaStores:
    """The stores the server app built for its workspace, one per area."""

    datasets: DatasetStore
    monitoring: MonitorStore
    jobs: JobStore
    reviews: ReviewStore
    features: FeatureStore


class MlopsHandler(ExtensionHandlerMixin, APIHandler):
    """Base REST handler of the mlops extension."""

    auth_resource = AUTH_RESOURCE

    @property
    def workspace(self) -> Workspace:
        return self.settings["mlops_workspace"]  # type: ignore[no-any-return]

    @property
    def stores(self) -> AreaStores:
        """Each area's store, as the server app built them (``MlopsApp.*_store_class``)."""
        return self.settings["mlops_stores"]  # type: ignore[no-any-return]

    @property
    def acting_identity(self) -> Identity:
        """Who this request acts as (see the module): the owner of a single-user server,
        else the identity provider's user."""
        if type(self.identity_provider) in SINGLE_USER_PROVIDERS:
            return server_owner()
        return identity_of(self.current_user)

    def actor(self, doing: str) -> Actor:
        """The authenticated username a write is recorded under; 403 for an anonymous
        user (``doing`` says what was refused)."""
        who = self.acting_identity
        if who.anonymous:
            raise Forbidden(f"an anonymous user cannot {doing}: sign in as a named user")
        return Actor(who.username, AUTHENTICATED)

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
            names = ", ".join(sorted(unknown))
            raise wire.http_error(400, f"unknown query parameter(s): {names}")
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise wire.http_error(400, validation_message(exc)) from None

    def body_model(self, model: type[ModelT]) -> ModelT:
        """Parse the JSON body into ``model``: 415 unless sent as JSON (``wire.py``), else a
        clear 400 naming what is wrong (a duplicated key included)."""
        wire.require_json(self.request.headers.get("Content-Type"))
        body = self.request.body or b""
        wire.refuse_duplicate_keys(body)
        try:
            return model.model_validate_json(body)
        except ValidationError as exc:
            raise wire.http_error(400, validation_message(exc)) from None

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking core function off the event loop."""
        return await asyncio.to_thread(fn, *args)

    def write_model(self, model: BaseModel) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(model.model_dump_json())

    async def write_read(
        self,
        key: Hashable,
        databases: Sequence[str],
        fn: Callable[..., BaseModel],
        *args: Any,
    ) -> None:
        """Write ``fn(*args)`` as JSON, a read that depends on nothing but ``databases`` (URLs)
        and ``key`` (the route's parameters): the server's :class:`ReadCache` answers again
        while those databases are unchanged, so a panel's polls cost a lookup. Computed and
        serialized in a worker thread."""
        cache: ReadCache = self.settings["mlops_read_cache"]
        scoped = (type(self).__name__, key, self.acting_identity.username)
        body = await self.call(
            cache.answer, scoped, databases, lambda: fn(*args).model_dump_json().encode()
        )
        self.set_header("Content-Type", "application/json")
        self.finish(body)

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
        if self.get_status() == 405:
            self.set_header("Allow", ", ".join(wire.allowed_methods(type(self))))
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Expected core errors are not server faults: log them in one line."""
        if isinstance(value, MlopsError):
            self.log.info("%s %s: %s", self.request.method, self.request.uri, value)
        else:
            super().log_exception(typ, value, tb)
