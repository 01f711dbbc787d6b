"""Team mode in a user's own Jupyter server: the panels' API calls relayed to the service.

With ``JUPYTER_MLOPS_SERVICE_URL`` set, the extension serves no workspace of its own: every
call under ``/mlops/api/`` is passed to the team service with this server's Hub token
(``JUPYTERHUB_API_TOKEN``, which acts as the server's owner), and the service's answer,
refusals included, is passed back unchanged. So the Lab panels work as in single-user
mode, and the service decides who acts, from the token.

Only the server's owner is relayed: a user a server is shared with (JupyterHub's sharing)
would otherwise act as its owner, so they get a 403 and use their own server.
"""

from __future__ import annotations

import os
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPRequest

from ..errors import Forbidden, MlopsError
from ..identity import same_user
from ..remote.client import API_PREFIX, TIMEOUT_S
from ..remote.config import service_token, service_url
from .base import MlopsHandler, api_verb

OWNER_ENV = "JUPYTERHUB_USER"
BODY_METHODS = ("POST", "PUT", "PATCH")
_FORWARDED_HEADERS = ("Content-Type", "Accept")


class ServiceUnavailable(MlopsError):
    """The team service did not answer."""

    status = 503


class ServiceRelayHandler(MlopsHandler):
    """Any method of any API path, answered by the team service."""

    async def _relay(self, path: str) -> None:
        owner = os.environ.get(OWNER_ENV, "")
        who = self.current_user.username
        if not owner or not same_user(who, owner):
            raise Forbidden(
                f"this server is {owner or 'no user'}'s: its mlops calls act as its owner, "
                "so they are refused to anyone else; use your own server"
            )
        base = service_url()
        assert base is not None  # the app registers this handler in team mode only
        query = [
            (k, v)
            for k, vs in self.request.query_arguments.items()
            if k != "token"
            for v in (x.decode() for x in vs)
        ]
        url = f"{base}{API_PREFIX}/{path}" + (f"?{urlencode(query)}" if query else "")
        headers = {"Authorization": f"token {service_token()}"}
        headers.update(
            {h: self.request.headers[h] for h in _FORWARDED_HEADERS if h in self.request.headers}
        )
        method = self.request.method or "GET"
        request = HTTPRequest(
            url,
            method=method,
            headers=headers,
            body=self.request.body if method in BODY_METHODS else None,
            allow_nonstandard_methods=True,
            request_timeout=TIMEOUT_S,
            follow_redirects=False,
        )
        answer = await AsyncHTTPClient().fetch(request, raise_error=False)
        if answer.code == 599:  # tornado's "no answer"
            raise ServiceUnavailable(
                f"the jupyter-mlops service at {base} did not answer; ask your Hub's "
                "administrator whether it runs"
            )
        self.set_status(answer.code)
        for name in ("Content-Type", "Allow"):
            if name in answer.headers:
                self.set_header(name, answer.headers[name])
        self.finish(answer.body)

    @api_verb
    async def get(self, path: str) -> None:
        await self._relay(path)

    @api_verb
    async def post(self, path: str) -> None:
        await self._relay(path)

    @api_verb
    async def put(self, path: str) -> None:
        await self._relay(path)

    @api_verb
    async def patch(self, path: str) -> None:
        await self._relay(path)

    @api_verb
    async def delete(self, path: str) -> None:
        await self._relay(path)
