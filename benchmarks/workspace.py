"""A fresh workspace with a real MLflow SQLite store for one benchmark."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mlflow.tracking import MlflowClient
from sqlalchemy import event

from jupyter_mlops.tracking.store import use_workspace
from jupyter_mlops.workspace import ROOT_ENV, Workspace, resolve_workspace


def fresh_workspace(name: str) -> tuple[Workspace, MlflowClient]:
    """A new project root under a temp dir (removed when the process exits); MLflow's fluent
    API points at its store, and ``%%track`` (which resolves the workspace from the
    environment) finds it too."""
    root = Path(tempfile.mkdtemp(prefix=f"mlops-bench-{name}-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    os.environ[ROOT_ENV] = str(root)
    ws = resolve_workspace(root)
    return ws, use_workspace(ws)


def store_engine(client: MlflowClient) -> Any:
    """The SQLAlchemy engine under a client's SQL tracking store."""
    return client._tracking_client.store.engine


@contextmanager
def unsynced_writes(client: MlflowClient) -> Iterator[None]:
    """Seed faster: SQLite does not wait for the disk on commit inside the block.

    The data written is the same (the writes still go through MLflow's API); only the
    durability wait is skipped. Afterwards the pool is emptied, so what is measured runs on
    fresh connections with SQLite's default settings.
    """
    engine = store_engine(client)

    def no_sync(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        dbapi_connection.execute("PRAGMA synchronous = OFF")

    event.listen(engine, "checkout", no_sync)
    try:
        yield
    finally:
        event.remove(engine, "checkout", no_sync)
        engine.dispose()
