"""Persistence of data checks: a dataset's expectations and each version's check report.

Functions take an open session so that a save records its version and its report in one
transaction: a version is never visible without the report it was saved with.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..state import now
from .checks import Check, CheckReport, CheckResult, evaluate
from .models import DatasetVersion
from .orm import DatasetCheckReportRow, DatasetChecksRow


def get_checks(session: Session, dataset_id: int) -> list[Check]:
    """The checks attached to a dataset (none by default)."""
    row = session.get(DatasetChecksRow, dataset_id)
    if row is None:
        return []
    return [Check.model_validate(c) for c in json.loads(row.checks)]


def set_checks(session: Session, dataset_id: int, checks: list[Check]) -> None:
    """Replace the checks of a dataset."""
    payload = json.dumps([c.model_dump(exclude_none=True) for c in checks])
    session.merge(DatasetChecksRow(dataset_id=dataset_id, checks=payload, updated_at=now()))


def run_checks(
    checks: list[Check], version: DatasetVersion, frame: Any, parent: DatasetVersion | None
) -> CheckReport:
    """Evaluate ``checks`` on the frame of ``version``."""
    results: list[CheckResult] = evaluate(
        checks,
        frame,
        version.manifest.columns,
        parent.manifest.columns if parent is not None else None,
    )
    return CheckReport(
        dataset=version.name,
        version=version.version,
        passed=all(r.passed for r in results),
        checked_at=now(),
        results=results,
    )


def save_report(session: Session, dataset_id: int, report: CheckReport) -> None:
    """Record (or replace) the report of one version."""
    session.merge(
        DatasetCheckReportRow(
            dataset_id=dataset_id,
            version=report.version,
            passed=report.passed,
            report=report.model_dump_json(),
            checked_at=report.checked_at,
        )
    )


def get_report(session: Session, dataset_id: int, version: int) -> CheckReport | None:
    """The recorded report of a version, if it was ever checked."""
    row = session.get(DatasetCheckReportRow, (dataset_id, version))
    return CheckReport.model_validate_json(row.report) if row is not None else None


def passed_by_version(session: Session, dataset_id: int) -> dict[int, bool]:
    """Whether each checked version passed (versions never checked are absent)."""
    rows = session.execute(
        select(DatasetCheckReportRow.version, DatasetCheckReportRow.passed).where(
            DatasetCheckReportRow.dataset_id == dataset_id
        )
    )
    return {version: passed for version, passed in rows}
