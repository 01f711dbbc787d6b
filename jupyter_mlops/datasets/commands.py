"""The commands of the datasets area's surfaces: what a REST handler or the CLI asks to
change (the reads are in ``queries.py``). Each validates its input, calls the store and
returns the contract's model."""

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
