"""What the Datasets panel changes: a dataset's checks (replaced, or run again on a
version). Reads are in ``queries.py``."""

from __future__ import annotations

from .checks import CheckReport, DatasetChecks
from .models import (
    check_name,
)
from .store import DatasetStore


def replace_checks(store: DatasetStore, name: str, body: DatasetChecks) -> DatasetChecks:
    """Attach the checks of ``body`` to ``name``; they run on every save from now on."""
    return DatasetChecks(checks=store.expect(name, body.checks))


def run_checks(store: DatasetStore, name: str, selector: str) -> CheckReport:
    """Evaluate the dataset's checks on one version now, and record the report."""
    return store.check(f"{check_name(name)}@{selector}")
