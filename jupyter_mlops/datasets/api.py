"""The Python API of datasets (``mlops.datasets.save/load/log/list``), twin of ``%dataset``.

Inside a ``track()`` block (``%%track``) a save or load is also recorded as lineage of the
run in MLflow.
"""

from __future__ import annotations

import builtins
from typing import Any

from ..progress import Progress
from ..remote import active as team_mode
from ..remote import refuse_by
from ..state import current_store, store_of
from ..tracking import context
from ..tracking.store import use_workspace
from ..tracking.tracker import active
from ..workspace import Workspace, resolve_workspace
from . import remote as service
from .checks import Check, CheckReport, parse_checks
from .diff import DatasetDiff
from .lineage import CONSUMED, PRODUCED, log_lineage
from .models import DatasetVersion, SaveResult, check_tag
from .store import DatasetStore


def store_for(ws: Workspace) -> DatasetStore:
    """The dataset store of ``ws`` (one per workspace and process: ``state.store_of``)."""
    return store_of(DatasetStore, ws)


def store() -> DatasetStore:
    """The dataset store of the current workspace."""
    return current_store(DatasetStore)


def _record(version: DatasetVersion, direction: str) -> None:
    run = active()
    if run is not None:
        log_lineage(use_workspace(resolve_workspace()), run.run_id, version, direction)


def save(
    name: str,
    value: Any,
    message: str = "",
    *,
    tag: str | None = None,
    key: builtins.list[str] | None = None,
    author: str | None = None,
    cell: str | None = None,
    progress: Progress | None = None,
) -> SaveResult:
    """Save a DataFrame (or a workspace file or folder) as the next version of ``name``.

    ``tag`` names the saved version; ``key`` declares the columns that identify a row (the
    default key of diffs). The dataset's checks run on the new version: see ``result.checks``.
    ``progress(done, total, label)`` hears the rows written of a DataFrame, the bytes of a
    file or folder.
    """
    if tag is not None:
        check_tag(tag)  # refuse a bad tag before anything is written
    refuse_by(author, "author")
    if team_mode():
        result = service.save(name, value, message, tag, key, context.notebook_path(), cell)
        _record(result.version, PRODUCED)
        return result
    datasets = store()
    result = datasets.save(
        name,
        value,
        message=message,
        author=author,
        notebook=context.notebook_path(),
        cell=cell,
        key=key,
        progress=progress,
    )
    if tag is not None:
        version = datasets.tag(f"{name}@v{result.version.version}", tag)
        result = result.model_copy(update={"version": version})
    _record(result.version, PRODUCED)
    return result


def load(ref: str) -> Any:
    """Load ``NAME``, ``NAME@vN`` or ``NAME@HASHPREFIX`` (content verified)."""
    if team_mode():
        version, data = service.load(ref)
        _record(version, CONSUMED)
        return data
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
    if team_mode():
        return service.diff(ref_a, ref_b, key)
    return store().diff(ref_a, ref_b, key)


def expect(name: str, *checks: Check) -> builtins.list[Check]:
    """Attach checks to ``name`` (replacing earlier ones); they run on every save.

    Checks come from ``mlops.datasets.checks``: ``not_null``, ``unique``, ``in_range``,
    ``allowed_values``, ``row_count``, ``schema_unchanged``. Returns the attached checks.
    """
    parsed = parse_checks(builtins.list(checks))
    if team_mode():
        return service.expect(name, parsed)
    return store().expect(name, parsed)


def check(ref: str) -> CheckReport:
    """Run the checks of a dataset on one version (``NAME@v3``) and record the report.

    ``report.passed`` is what jobs and promotion gates read.
    """
    if team_mode():
        return service.check(ref)
    return store().check(ref)


def log(name: str) -> builtins.list[DatasetVersion]:
    """Every version of ``name``, newest first."""
    if team_mode():
        return service.log(name)
    return store().log(name)


def list() -> builtins.list[str]:  # the verb users type: mlops.datasets.list()
    """All dataset names."""
    if team_mode():
        return service.names()
    return store().names()
