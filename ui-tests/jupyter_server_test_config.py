"""JupyterLab server for the Galata UI tests: Galata's settings, a throw-away workspace."""

import tempfile
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

c = get_config()  # type: ignore[name-defined] # noqa: F821
configure_jupyter_server(c)
c.ServerApp.allow_root = True  # CI runs as root

# Galata serves a fresh temporary root; the mlops workspace (.mlops/) lives inside it.
root = Path(tempfile.mkdtemp(prefix="mlops-ui-"))
c.ServerApp.root_dir = str(root)
c.MlopsApp.workspace_root = str(root)
