"""``jupyter mlops service``: the team service, a JupyterHub service serving the mlops API.

A Jupyter server with this extension alone, authenticated by the Hub
(:mod:`.hub`): the REST API, the job scheduler and the endpoint supervisor of one
workspace, whose state DB and registry credentials only this process holds. The Hub
starts it as a managed service (its ``JUPYTERHUB_SERVICE_URL`` and
``JUPYTERHUB_SERVICE_PREFIX`` say where to listen), or it runs beside the Hub as an
external one with the same variables set. Users' servers and kernels reach it through
the Hub's proxy at ``/services/NAME/mlops/api/…`` with their Hub token (docs/team.md).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from urllib.parse import urlsplit

from ..errors import Invalid
from ..remote import hub_groups
from ..remote.children import TEAM_SERVICE_ENV
from ..remote.config import SERVICE_URL_ENV as CLIENT_URL_ENV
from ..remote.config import active as team_mode
from ..reviews import policy
from .app import MlopsApp

SERVICE_URL_ENV = "JUPYTERHUB_SERVICE_URL"
SERVICE_PREFIX_ENV = "JUPYTERHUB_SERVICE_PREFIX"


class MlopsServiceApp(MlopsApp):
    """The extension, launched on a Jupyter server of its own with no other extension."""

    load_other_extensions = False


def server_arguments(root: str) -> list[str]:
    """The Jupyter server's settings of the service, from the Hub's environment."""
    url = os.environ.get(SERVICE_URL_ENV, "")
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # a port that is not a number
        port = None
    if not parts.hostname or not port:
        raise Invalid(
            f"{SERVICE_URL_ENV} must give the service's address with a port "
            f"(e.g. http://127.0.0.1:10101), not {url!r}: run it as a JupyterHub service"
        )
    prefix = os.environ.get(SERVICE_PREFIX_ENV) or "/"
    return [
        f"--ServerApp.ip={parts.hostname}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.base_url={prefix}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.open_browser=False",
        "--ServerApp.terminals_enabled=False",
        "--ServerApp.identity_provider_class=jupyter_mlops.server.hub.HubIdentityProvider",
        "--ServerApp.authorizer_class=jupyter_mlops.server.hub.ServiceAuthorizer",
        f"--MlopsApp.workspace_root={root}",
    ]


def run(root: str, extra: Sequence[str] = ()) -> None:
    """Serve the workspace at ``root`` as the team service until stopped."""
    if team_mode():  # it would relay every call to a service: itself, or another
        raise Invalid(
            f"{CLIENT_URL_ENV} is set in the service's environment: that variable is for "
            "users' servers and kernels; the service opens the workspace itself"
        )
    arguments = server_arguments(root)
    # the processes it starts to run users' code reach it here, and get none of its secrets
    where = os.environ[SERVICE_URL_ENV].rstrip("/")
    prefix = (os.environ.get(SERVICE_PREFIX_ENV) or "/").rstrip("/")
    os.environ[TEAM_SERVICE_ENV] = where + prefix
    policy.use(hub_groups.members)  # review rules may name reviewers by Hub group
    MlopsServiceApp.launch_instance(argv=[*arguments, *extra])  # type: ignore[no-untyped-call]
