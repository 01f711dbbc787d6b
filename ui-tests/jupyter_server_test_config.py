"""JupyterLab server for the Galata UI tests: Galata's settings, a throw-away workspace, and
named test users so that a spec can act as two people (model reviews).

Every request is user ``alice`` unless its ``mlops-test-user`` cookie names one of
``USERS``: a spec opens a second browser context with that cookie to act as ``bob``.
Review rules: only ``bob`` reviews, one approval moves ``champion``.
"""

import tempfile
from pathlib import Path

from jupyter_server.auth.identity import IdentityProvider, User
from jupyterlab.galata import configure_jupyter_server

USERS = {
    "alice": User(username="alice", name="Alice Adams", display_name="Alice Adams"),
    "bob": User(username="bob", name="Bob Brown", display_name="Bob Brown"),
    "carol": User(username="carol", name="Carol Clark", display_name="Carol Clark"),
}
USER_COOKIE = "mlops-test-user"


class TestUsers(IdentityProvider):
    """The user named by the request's test cookie (``alice`` without one)."""

    def get_user(self, handler):  # type: ignore[no-untyped-def]
        return USERS.get(handler.get_cookie(USER_COOKIE, "alice"), USERS["alice"])


c = get_config()  # type: ignore[name-defined] # noqa: F821
configure_jupyter_server(c)
c.ServerApp.allow_root = True  # CI runs as root
c.ServerApp.identity_provider_class = TestUsers

# Galata serves a fresh temporary root; the mlops workspace (.mlops/) lives inside it.
root = Path(tempfile.mkdtemp(prefix="mlops-ui-"))
c.ServerApp.root_dir = str(root)
c.MlopsApp.workspace_root = str(root)
c.MlopsApp.review_reviewers = ["bob"]
c.MlopsApp.review_approvals_required = 1
