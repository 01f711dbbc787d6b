"""Team mode in a user's own Jupyter server: the panels' API calls relayed to the service.

With ``JUPYTER_MLOPS_SERVICE_URL`` set, the extension serves no workspace of its own: every
call under ``/mlops/api/`` is passed to the team service with this server's Hub token
(``JUPYTERHUB_API_TOKEN``, which acts as the server's owner), and the service's answer,
refusals included, is passed back unchanged. So the Lab panels work as in single-user
mode, and the service decides who acts, from the token.

Only the server's owner is relayed: a user a server is shared with (JupyterHub's sharing)
would otherwise act as its owner, so they get a 403 and use their own server.

The path and query go on as they came (still percent-encoded, so ``%2F`` or ``%3F`` in a
name stays part of it), less the ``token`` parameter; a path with a ``.`` or ``..``
segment is refused, so nothing outside the API is reached through the relay.
"""

from __future__ import annotations

import os
from urllib.parse import quote, unquote

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from ..errors import Forbidden, Invalid, MlopsError
from ..identity import same_user
from ..remote.client import API_PREFIX, TIMEOUT_S
from ..remote.config import service_token, service_url
from .base import MlopsHandler, api_verb

OWNER_ENV = "JUPYTERHUB_USER"
BODY_METHODS = ("POST", "PUT", "PATCH")
_FORWARDED_HEADERS = ("Content-Type", "Accept")
# the service's answer headers a panel reads (a report's CSP and file name included)
_ANSWER_HEADERS = (
    "Content-Type",
    "Allow",
    "Content-Disposition",
    "Content-Security-Policy",
    "Cache-Control",
    "Location",
)


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
        url = f"{base}{API_PREFIX}/{_raw_path(self.request.path, self.base_url, path)}"
        query = "&".join(
            part for part in self.request.query.split("&") if part and not _is_token(part)
        )
        url += f"?{query}" if query else ""
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
        try:
            answer = await AsyncHTTPClient().fetch(request, raise_error=False)
        except (OSError, HTTPClientError) as exc:  # refused, reset, or no answer in time
            raise ServiceUnavailable(_unavailable(base, exc)) from exc
        if answer.code == 599:  # tornado's "no answer"
            raise ServiceUnavailable(_unavailable(base, answer.error))
        self.set_status(answer.code)
        for name in _ANSWER_HEADERS:
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


def _raw_path(raw: str, base_url: str, decoded: str) -> str:
    """The API path after this server's ``…/mlops/api/``, as the request gave it
    (percent-encoded), else ``decoded`` encoded again; Invalid when a segment is ``.`` or
    ``..`` (encoded or not)."""
    prefix = base_url.rstrip("/") + API_PREFIX + "/"
    rest = raw[len(prefix) :] if raw.startswith(prefix) else quote(decoded, safe="/")
    if any(unquote(segment) in (".", "..") for segment in rest.split("/")):
        raise Invalid(f"the API path {rest!r} has a '.' or '..' segment")
    return rest


def _is_token(part: str) -> bool:
    return unquote(part.partition("=")[0]) == "token"


def _unavailable(base: str, exc: object) -> str:
    return (
        f"the jupyter-mlops service at {base} did not answer ({exc}); ask your Hub's "
        "administrator whether it runs"
    )
