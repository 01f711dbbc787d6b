"""Team mode's service side: who a request to the jupyter-mlops service comes from.

The service (``jupyter mlops service``) is a JupyterHub service: a Jupyter server running
only this extension, which alone holds the state DB's and the registry's credentials.

- :class:`HubIdentityProvider` asks the Hub who a request's token belongs to (JupyterHub's
  ``HubAuth``: ``Authorization: token …``, a user's or a single-user server's token) and
  accepts it only when the token holds the service's access scope
  (``access:services!service=NAME``). The acting user is the Hub's answer, never a name
  the request carries. Answers are cached for ``HubAuth.cache_max_age`` seconds (5 by
  default), so a revoked token stops working within that time.
- :class:`ServiceAuthorizer` allows the mlops REST API and nothing else of the Jupyter
  server: no kernels, contents, sessions or terminals, which would run code or read files
  inside the process that holds the credentials.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.authorizer import Authorizer
from jupyter_server.auth.identity import IdentityProvider, User
from jupyterhub.services.auth import HubAuth
from tornado import web
from traitlets import Instance, default

from ..remote.hub_api import HUB_ANSWER_CACHE_S
from .base import AUTH_RESOURCE

AUTH_CACHE_S = HUB_ANSWER_CACHE_S


class HubIdentityProvider(IdentityProvider):
    """The Hub user a request's token belongs to, if the token may use this service."""

    hub_auth = Instance(HubAuth)

    @default("hub_auth")
    def _default_hub_auth(self) -> HubAuth:
        auth = HubAuth(parent=self)
        if "cache_max_age" not in self.config.get("HubAuth", {}):
            auth.cache_max_age = AUTH_CACHE_S
        return auth

    @default("token")
    def _no_server_token(self) -> str:
        return ""  # only Hub tokens are accepted

    @property
    def auth_enabled(self) -> bool:
        return True

    @property
    def login_available(self) -> bool:
        return False  # the Hub signs users in; the service has no login page

    async def get_user(self, handler: web.RequestHandler) -> User | None:
        model: dict[str, Any] | None = await self.hub_auth.get_user(handler, sync=False)
        if not model or model.get("kind", "user") != "user":
            return None
        if not self.hub_auth.check_scopes(self.hub_auth.access_scopes, model):
            self.log.info("jupyter-mlops service: %s's token lacks its access scope", model["name"])
            return None
        name = str(model["name"])
        return User(username=name, name=name, display_name=name)

    def is_token_authenticated(self, handler: web.RequestHandler) -> bool:
        """Every accepted request carried a token (the service sets no cookie), so no
        XSRF cookie is asked of it."""
        handler.current_user  # noqa: B018  (resolves the user, marking the handler)
        return bool(getattr(handler, "_token_authenticated", False))


class ServiceAuthorizer(Authorizer):
    """Only the mlops REST API: every other resource of the Jupyter server is refused."""

    def is_authorized(self, handler: Any, user: User, action: str, resource: str) -> bool:
        return resource == AUTH_RESOURCE
