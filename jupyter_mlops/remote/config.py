"""Whether this process is in team mode, and with which service and token."""

from __future__ import annotations

import os

from ..errors import Invalid

SERVICE_URL_ENV = "JUPYTER_MLOPS_SERVICE_URL"
SERVICE_TOKEN_ENV = "JUPYTER_MLOPS_SERVICE_TOKEN"
HUB_TOKEN_ENV = "JUPYTERHUB_API_TOKEN"
OBJECT_STORE_ENV = "JUPYTER_MLOPS_OBJECT_STORE_URL"


def service_url() -> str | None:
    """The team service's address (``…/services/mlops``), or None in single-user mode."""
    url = os.environ.get(SERVICE_URL_ENV, "").strip()
    return url.rstrip("/") or None


def active() -> bool:
    """Whether this process uses a team service instead of opening the workspace."""
    return service_url() is not None


def service_token() -> str:
    """The token sent to the service: ``JUPYTER_MLOPS_SERVICE_TOKEN``, else the Hub token
    a single-user server and its kernels hold (``JUPYTERHUB_API_TOKEN``)."""
    token = os.environ.get(SERVICE_TOKEN_ENV) or os.environ.get(HUB_TOKEN_ENV) or ""
    if not token:
        raise Invalid(
            f"{SERVICE_URL_ENV} is set (team mode) but this process holds no Hub token "
            f"({HUB_TOKEN_ENV} or {SERVICE_TOKEN_ENV}): start it from your JupyterHub server"
        )
    return token


def object_store_url() -> str:
    """The team's object store, where a kernel puts a dataset's bytes for the service to
    record (``JUPYTER_MLOPS_OBJECT_STORE_URL``: a bucket or a shared folder)."""
    url = os.environ.get(OBJECT_STORE_ENV, "").strip()
    if not url:
        raise Invalid(
            f"saving a dataset in team mode needs {OBJECT_STORE_ENV}: the team's object "
            "store, which the service reads too (ask your Hub's administrator)"
        )
    return url


def refuse_by(by: object, argument: str = "by") -> None:
    """In team mode, refuse an argument naming who acts (``by=``, a dataset's
    ``author=``): the service takes who acts from the token."""
    if by is not None and active():
        raise Invalid(
            f"{argument}={by!r} is refused in team mode: the jupyter-mlops service records "
            "who acts from your Hub token, so a kernel cannot act as someone else"
        )


def refuse_local_state(what: str) -> None:
    """In team mode, refuse to open the state DB from this process (it holds no
    credentials for the team's, and a private local one would silently diverge)."""
    if active():
        raise Invalid(
            f"{what} is not available from a kernel in team mode yet: the team's state is "
            f"held by the jupyter-mlops service ({service_url()}); use its REST API or the "
            "Lab panels"
        )
