"""What the Datasets panel and team mode's kernels change: a dataset's checks (replaced,
or run again on a version), and a version recorded from bytes already in the object
store. Reads are in ``queries.py``."""

from __future__ import annotations

from .checks import CheckReport, DatasetChecks
from .models import RecordVersionBody, SaveResult, check_name, check_tag
from .store import DatasetStore


def replace_checks(store: DatasetStore, name: str, body: DatasetChecks) -> DatasetChecks:
    """Attach the checks of ``body`` to ``name``; they run on every save from now on."""
    return DatasetChecks(checks=store.expect(name, body.checks))


def run_checks(store: DatasetStore, name: str, selector: str) -> CheckReport:
    """Evaluate the dataset's checks on one version now, and record the report."""
    return store.check(f"{check_name(name)}@{selector}")


def record_version(store: DatasetStore, name: str, body: RecordVersionBody, by: str) -> SaveResult:
    """Record the uploaded frame of ``body`` as the next version of ``name``, saved by
    ``by``; tagged when ``body`` names a tag."""
    if body.tag is not None:
        check_tag(body.tag)  # refused before anything is recorded
    result = store.record_uploaded(
        name, body.object_id, body.message, by, body.notebook, body.cell, body.key
    )
    if body.tag is not None:
        version = store.tag(f"{name}@v{result.version.version}", body.tag)
        result = result.model_copy(update={"version": version})
    return result
