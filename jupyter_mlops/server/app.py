"""The jupyter-server extension: resolves the workspace, prepares its stores, registers routes.

It exports ``JUPYTER_MLOPS_ROOT`` into the server's environment so that kernels the server
starts (and so the magics in them) resolve the same workspace.
"""

from __future__ import annotations

import importlib
import os

from jupyter_server.extension.application import ExtensionApp
from traitlets import Unicode

from .. import db
from ..objects import ObjectStore
from ..workspace import ROOT_ENV, resolve_workspace
from .info import OpenApiHandler
from .routes import API_PREFIX, ROUTES


class MlopsApp(ExtensionApp):
    """jupyter-mlops server extension."""

    name = "jupyter_mlops"
    load_other_extensions = True

    workspace_root = Unicode(
        "",
        config=True,
        help="Project root holding .mlops/ and mlops.toml (default: the server's root_dir).",
    )

    def initialize_settings(self) -> None:
        assert self.serverapp is not None
        root = self.workspace_root or os.environ.get(ROOT_ENV) or self.serverapp.root_dir
        workspace = resolve_workspace(root).ensure()
        os.environ[ROOT_ENV] = str(workspace.root)
        db.migrate(workspace.state_db_url)
        swept = ObjectStore(workspace.object_store_url).sweep_incoming()
        if swept:
            self.log.info("jupyter-mlops: removed %d unfinished object writes", swept)
        self.settings["mlops_workspace"] = workspace
        self.log.info("jupyter-mlops workspace: %s", workspace.root)

    def initialize_handlers(self) -> None:
        for pattern, target in dict((r.pattern, r.handler) for r in ROUTES).items():
            module, cls = target.split(":")
            handler = getattr(importlib.import_module(f"{__package__}.{module}"), cls)
            self.handlers.append((API_PREFIX + pattern, handler))
        self.handlers.append((API_PREFIX + "/openapi.json", OpenApiHandler))
