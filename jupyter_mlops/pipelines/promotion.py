"""Promotion and rollback of job versions between stages, audited.

``promote`` evaluates the gates (``gates.py``) and, when all pass, moves the candidate into
the target stage by a compare-and-set on the stage row's version (``UPDATE … WHERE
version_id IS <the version read>``): of two racing promotions one wins and the other gets
a Conflict, on SQLite and on a server database alike. The target stage keeps its own
schedule and parameter overrides (a stage without cron stays manual); only its next fire
is recomputed. Every attempt is audited in ``mlops_job_events`` with the gate results:
``promote`` when it happened, ``promote-refused`` when a gate said no.

``rollback`` returns a stage to the version it ran before the promotion that brought its
current version, found in the audit trail, by the same compare-and-set. Rolling back
again goes one promotion further back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import db
from ..errors import Conflict, Invalid
from ..state import now
from .gates import Candidate, candidate, evaluate_candidate
from .models import StageState
from .orm import JobEventRow, JobStageRow, JobVersionRow
from .promotion_models import GateReport, PromotionResult
from .store import (
    JobStore,
    add_event,
    check_stage,
    job_row,
    stage_next_fire,
    stage_row,
    to_stage,
    version_row,
)


def _gate_detail(report: GateReport) -> dict[str, Any]:
    return {
        "from_stage": report.from_stage,
        "allowed": report.allowed,
        "gates": [gate.model_dump() for gate in report.gates],
    }


def _check_expected(cand: Candidate, expected_version: int | None) -> None:
    """Conflict when the caller expects the target stage to run another version."""
    if expected_version is not None and expected_version != cand.target_version:
        shown = f"v{cand.target_version}" if cand.target_version else "no version"
        raise Conflict(
            f"{cand.to_stage} of job {cand.job!r} runs {shown}, not v{expected_version} "
            "as expected: reload and try again"
        )


def promote(
    store: JobStore, name: str, to_stage: str, by: str, expected_version: int | None = None
) -> PromotionResult:
    """Promote job ``name`` into ``to_stage`` (from the stage below) as user ``by``.

    Raises Conflict naming the failing gates (the refusal is audited), or when the target
    stage changed since it was read (another promotion won, or it does not run
    ``expected_version``).
    """
    cand = candidate(store, name, to_stage)  # what the target runs now: the value to compare
    _check_expected(cand, expected_version)
    report = evaluate_candidate(store, cand)
    detail = _gate_detail(report)
    if not report.allowed:
        failing = "; ".join(f"{g.name}: {g.reason}" for g in report.gates if not g.passed)
        with db.session_scope(store.url) as session:
            add_event(
                session,
                cand.job_id,
                by,
                "promote-refused",
                cand.to_stage,
                cand.target_version,
                cand.version,
                detail,
            )
        raise Conflict(
            f"v{cand.version} of job {name!r} cannot be promoted to {cand.to_stage}: {failing}"
        )
    with db.session_scope(store.url) as session:
        row = _compare_and_set(
            session, cand.job_id, cand.to_stage, cand.target_version_id, cand.version_id
        )
        if row is None:
            raise Conflict(
                f"{cand.to_stage} of job {name!r} changed while v{cand.version} was being "
                "promoted (another promotion won): reload and try again"
            )
        add_event(
            session,
            cand.job_id,
            by,
            "promote",
            cand.to_stage,
            cand.target_version,
            cand.version,
            detail,
        )
    return PromotionResult(
        job=name,
        stage=cand.to_stage,
        version_from=cand.target_version,
        version_to=cand.version,
        gates=report.gates,
    )


def _compare_and_set(
    session: Session, job_id: int, stage: str, before_id: int | None, after_id: int
) -> JobStageRow | None:
    """Set the stage's version to ``after_id`` only while it is ``before_id``; recompute
    its next fire. None when another writer changed it first."""
    at = now()
    current = (
        JobStageRow.version_id.is_(None)
        if before_id is None
        else JobStageRow.version_id == before_id
    )
    changed = session.execute(
        update(JobStageRow)
        .where(JobStageRow.job_id == job_id, JobStageRow.stage == stage, current)
        .values(version_id=after_id, updated_at=at)
    ).rowcount  # type: ignore[attr-defined]
    if not changed:
        return None
    row = stage_row(session, job_id, stage)
    session.refresh(row)
    row.next_fire_at = stage_next_fire(row, at)
    session.flush()
    return row


def rollback(store: JobStore, name: str, stage: str, by: str) -> StageState:
    """Return ``stage`` of job ``name`` to the version it ran before the promotion that
    brought its current one (Invalid when there is none); audited as ``rollback``."""
    check_stage(stage)
    with db.session_scope(store.url) as session:
        job = job_row(session, name)
        row = stage_row(session, job.id, stage)
        current_id = row.version_id
        current = session.get(JobVersionRow, current_id) if current_id is not None else None
        if current is None:
            raise Invalid(f"job {name!r} has no version in {stage} to roll back")
        promotion = session.scalar(
            select(JobEventRow)
            .where(
                JobEventRow.job_id == job.id,
                JobEventRow.stage == stage,
                JobEventRow.action == "promote",
                JobEventRow.version_to == current.number,
            )
            .order_by(JobEventRow.id.desc())
            .limit(1)
        )
        if promotion is None:
            raise Invalid(
                f"v{current.number} was not promoted to {stage} of job {name!r}: "
                "there is no earlier version to roll back to"
            )
        if promotion.version_from is None:
            raise Invalid(
                f"v{current.number} was the first version promoted to {stage} of job "
                f"{name!r}: there is no earlier version to roll back to"
            )
        previous = version_row(session, job, promotion.version_from)
        changed = _compare_and_set(session, job.id, stage, current_id, previous.id)
        if changed is None:
            raise Conflict(
                f"{stage} of job {name!r} changed during the rollback: reload and try again"
            )
        add_event(
            session,
            job.id,
            by,
            "rollback",
            stage,
            current.number,
            previous.number,
            {"promotion_event": promotion.id},
        )
        session.flush()
        return to_stage(session, changed)
