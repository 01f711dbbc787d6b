"""Short-lived Hub tokens the team service gets for a job step's kernel.

A job's notebook acts as whoever set its run in motion (``pipelines/execute.py``
``acting_user``): its kernel calls the service (a dataset save, a review request) with a
token of that user, which the service asks the Hub for
(``POST /hub/api/users/NAME/tokens``), limited to this service
(``access:services!service=NAME``), expiring with the step, and revoked when it ends. The
Hub grants it only when the service's role holds the ``tokens`` scope for that user
(e.g. ``tokens!group=data-science``: docs/team.md). Without it the kernel gets no token,
and what it asks the service for is refused with a message naming that scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import httpx

from ..errors import Invalid
from .hub_api import TIMEOUT_S, hub_api


@dataclass(frozen=True)
class HubToken:
    """A token of ``user`` the Hub issued to this service (``id`` revokes it)."""

    user: str
    token: str
    id: str


def issue(user: str, *, expires_in_s: int, note: str) -> HubToken:
    """A new token of ``user`` that may use this service only, for ``expires_in_s``.

    Invalid, naming the Hub's answer, when the Hub refuses (the service's role lacks the
    ``tokens`` scope for ``user``) or cannot be reached.
    """
    hub = hub_api()
    body = {
        "scopes": [f"access:services!service={hub.service}"],
        "expires_in": max(60, int(expires_in_s)),
        "note": note,
    }
    try:
        answer = httpx.post(
            f"{hub.url}/users/{quote(user, safe='')}/tokens",
            json=body,
            headers=hub.headers,
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
    hub = hub_api()
    url = f"{hub.url}/users/{quote(token.user, safe='')}/tokens/{quote(token.id, safe='')}"
    answer = httpx.delete(url, headers=hub.headers, timeout=TIMEOUT_S)
    if answer.status_code not in (204, 404):
        raise Invalid(f"the Hub did not revoke a token of {token.user!r}: {answer.status_code}")
