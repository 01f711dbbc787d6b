"""The Python API of datasets (``mlops.datasets.save/load/log/list``), twin of ``%dataset``.

Inside a ``track()`` block (``%%track``) a save or load is also recorded as lineage of the
run in MLflow.
"""

from __future__ import annotations

import builtins
import functools
from typing import Any

from ..tracking import context
from ..tracking.store import use_workspace
from ..tracking.tracker import active
from ..workspace import resolve_workspace
from .diff import DatasetDiff
from .lineage import CONSUMED, PRODUCED, log_lineage
from .models import DatasetVersion, SaveResult
from .store import DatasetStore


@functools.lru_cache(maxsize=4)
def _store(root: str) -> DatasetStore:
    return DatasetStore(resolve_workspace(root))


def store() -> DatasetStore:
    """The dataset store of the current workspace."""
    return _store(str(resolve_workspace().root))


def _record(version: DatasetVersion, direction: str) -> None:
    run = active()
    if run is not None:
        log_lineage(use_workspace(store().ws), run.run_id, version, direction)


def save(name: str, value: Any, message: str = "", author: str | None = None) -> SaveResult:
    """Save a DataFrame (or a workspace file) as the next version of ``name``."""
    result = store().save(
        name, value, message=message, author=author, notebook=context.notebook_path()
    )
    _record(result.version, PRODUCED)
    return result


def load(ref: str) -> Any:
    """Load ``NAME``, ``NAME@vN`` or ``NAME@HASHPREFIX`` (content verified)."""
    datasets = store()
    version = datasets.resolve(ref)
    data = datasets.load(f"{version.name}@v{version.version}")
    _record(version, CONSUMED)
    return data


def tag(ref: str, tag: str) -> DatasetVersion:
    """Tag the version ``ref`` points at (``NAME@v3``, ``prod``): ``load("NAME@prod")``."""
    return store().tag(ref, tag)


def diff(ref_a: str, ref_b: str, key: builtins.list[str] | None = None) -> DatasetDiff:
    """Schema, row and statistic changes from ``ref_a`` to ``ref_b`` (rows matched on key)."""
    return store().diff(ref_a, ref_b, key)


def log(name: str) -> builtins.list[DatasetVersion]:
    """Every version of ``name``, newest first."""
    return store().log(name)


def list() -> builtins.list[str]:  # the verb users type: mlops.datasets.list()
    """All dataset names."""
    return store().names()
