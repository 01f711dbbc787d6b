"""A fresh workspace with a real MLflow SQLite store for one benchmark."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mlflow.tracking import MlflowClient

from jupyter_mlops.tracking.store import use_workspace
from jupyter_mlops.workspace import ROOT_ENV, Workspace, resolve_workspace


def fresh_workspace(name: str) -> tuple[Workspace, MlflowClient]:
    """A new project root under a temp dir; MLflow's fluent API points at its store."""
    root = Path(tempfile.mkdtemp(prefix=f"mlops-bench-{name}-"))
    os.environ[ROOT_ENV] = str(root)
    ws = resolve_workspace(root)
    return ws, use_workspace(ws)
