"""Team mode's client side: kernels and scripts using the team service over REST.

When ``JUPYTER_MLOPS_SERVICE_URL`` is set (a user's server on JupyterHub sets it for its
kernels), the Python API and the magics keep their signatures but send what they do to
the service, with the Hub token the kernel already holds; the service takes who acts from
that token. In this mode:

- ``by=`` is refused: a kernel cannot name who acts;
- no state DB is opened here: an area the service does not serve to kernels yet says so,
  instead of quietly writing a private local database.

Single-user mode (the variable unset) is unchanged: the kernel opens the workspace itself.
"""

from __future__ import annotations

from .client import Call, ServiceClient, client, every_page
from .config import SERVICE_TOKEN_ENV, SERVICE_URL_ENV, active, refuse_by, refuse_local_state

__all__ = [
    "SERVICE_TOKEN_ENV",
    "SERVICE_URL_ENV",
    "Call",
    "ServiceClient",
    "active",
    "client",
    "every_page",
    "refuse_by",
    "refuse_local_state",
]
