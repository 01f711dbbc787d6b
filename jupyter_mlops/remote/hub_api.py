"""The JupyterHub REST API as the team service calls it, with its own Hub token.

A Hub-managed service is given ``JUPYTERHUB_API_URL``, ``JUPYTERHUB_API_TOKEN`` and
``JUPYTERHUB_SERVICE_NAME``; an external one is configured with the same variables. What
the service may ask is what its role's scopes allow (docs/team.md): ``tokens`` for a job's
kernel (:mod:`.hub_tokens`), ``read:groups`` for reviewers named by group
(:mod:`.hub_groups`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import Invalid

HUB_API_ENV = "JUPYTERHUB_API_URL"
HUB_TOKEN_ENV = "JUPYTERHUB_API_TOKEN"
SERVICE_NAME_ENV = "JUPYTERHUB_SERVICE_NAME"
TIMEOUT_S = 30.0
# how long the service keeps the Hub's answers (whose token, who is in a group): a revoked
# token or a change of membership counts within this time
HUB_ANSWER_CACHE_S = 5


@dataclass(frozen=True)
class HubApi:
    """Where the Hub's API is, and this service's name and credentials for it."""

    url: str
    service: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}


def hub_api() -> HubApi:
    """The Hub's API from this process's environment; Invalid, naming what is unset, when
    this process is not a JupyterHub service."""
    names = (HUB_API_ENV, HUB_TOKEN_ENV, SERVICE_NAME_ENV)
    values = {name: os.environ.get(name, "") for name in names}
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise Invalid(f"not a JupyterHub service: {', '.join(missing)} unset")
    return HubApi(
        url=values[HUB_API_ENV].rstrip("/"),
        service=values[SERVICE_NAME_ENV],
        token=values[HUB_TOKEN_ENV],
    )
