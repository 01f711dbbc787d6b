"""Short-lived Hub tokens the team service gets for a job step's kernel.

A job's notebook runs as whoever wrote the job version: its kernel calls the service (a
dataset save, a review request) with a token of that user, which the service asks the Hub
for (``POST /hub/api/users/NAME/tokens``), limited to this service
(``access:services!service=NAME``), expiring with the step, and revoked when it ends. The
Hub grants it only when the service's role holds the ``tokens`` scope for that user
(e.g. ``tokens!group=data-science``: docs/team.md). Without it the kernel gets no token,
and what it asks the service for is refused with a message naming that scope.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from ..errors import Invalid

HUB_API_ENV = "JUPYTERHUB_API_URL"
HUB_TOKEN_ENV = "JUPYTERHUB_API_TOKEN"
SERVICE_NAME_ENV = "JUPYTERHUB_SERVICE_NAME"
TIMEOUT_S = 30.0


@dataclass(frozen=True)
class HubToken:
    """A token of ``user`` the Hub issued to this service (``id`` revokes it)."""

    user: str
    token: str
    id: str


def _hub() -> tuple[str, dict[str, str], str]:
    api = os.environ.get(HUB_API_ENV, "").rstrip("/")
    token = os.environ.get(HUB_TOKEN_ENV, "")
    name = os.environ.get(SERVICE_NAME_ENV, "")
    if not (api and token and name):
        missing = [n for n, v in ((HUB_API_ENV, api), (HUB_TOKEN_ENV, token)) if not v]
        missing += [SERVICE_NAME_ENV] if not name else []
        raise Invalid(f"not a JupyterHub service: {', '.join(missing)} unset")
    return api, {"Authorization": f"token {token}"}, name


def issue(user: str, *, expires_in_s: int, note: str) -> HubToken:
    """A new token of ``user`` that may use this service only, for ``expires_in_s``.

    Invalid, naming the Hub's answer, when the Hub refuses (the service's role lacks the
    ``tokens`` scope for ``user``) or cannot be reached.
    """
    api, headers, service = _hub()
    body = {
        "scopes": [f"access:services!service={service}"],
        "expires_in": max(60, int(expires_in_s)),
        "note": note,
    }
    try:
        answer = httpx.post(
            f"{api}/users/{quote(user, safe='')}/tokens",
            json=body,
            headers=headers,
            timeout=TIMEOUT_S,
        )
    except httpx.HTTPError as exc:
        raise Invalid(f"the Hub could not be asked for a token of {user!r}: {exc}") from exc
    if answer.status_code != 201:
        raise Invalid(
            f"the Hub refused a token of {user!r} to this service ({answer.status_code}: "
            f"{answer.text[:200]}); give the service's role the 'tokens' scope for its users"
        )
    made = answer.json()
    return HubToken(user=user, token=str(made["token"]), id=str(made["id"]))


def revoke(token: HubToken) -> None:
    """Revoke ``token`` (already gone or expired: nothing to do)."""
    api, headers, _ = _hub()
    url = f"{api}/users/{quote(token.user, safe='')}/tokens/{quote(token.id, safe='')}"
    answer = httpx.delete(url, headers=headers, timeout=TIMEOUT_S)
    if answer.status_code not in (204, 404):
        raise Invalid(f"the Hub did not revoke a token of {token.user!r}: {answer.status_code}")
