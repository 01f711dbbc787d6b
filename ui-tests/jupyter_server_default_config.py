"""JupyterLab server for the default-setup UI test: jupyter-server's own identity provider,
as `make lab` runs it, with no named test users.

jupyter-server names each browser of such a server a random "Anonymous …" user; the
mlops server acts as the server's owner instead (see jupyter_mlops/server/base.py), so
a review can be requested from the default set-up. Port 8889, so that it never collides
with the named-users server of the other specs.
"""

import tempfile
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

c = get_config()  # type: ignore[name-defined] # noqa: F821
configure_jupyter_server(c)
c.ServerApp.allow_root = True  # CI runs as root
c.ServerApp.port = 8889

root = Path(tempfile.mkdtemp(prefix="mlops-ui-default-"))
c.ServerApp.root_dir = str(root)
c.MlopsApp.workspace_root = str(root)
