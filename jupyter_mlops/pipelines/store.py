"""Jobs in the state DB: definitions, versions, stages, runs, step runs and the audit trail.

Every state change of a run is a compare-and-set on its current status (``UPDATE … WHERE
status = before``), so a worker, a scheduler and a user pressing Cancel can race without
one undoing another: the loser gets a Conflict. Creating a scheduled run relies on the
UNIQUE (job, stage, scheduled_for) constraint, and a retried "run now" on its UNIQUE token.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from types import EllipsisType
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import db
from ..errors import Conflict, Invalid, NotFound
from ..identity import check_username, source_of
from ..state import StateStore, children, now
from .models import (
    STAGES,
    Job,
    JobEvent,
    JobRun,
    JobSpec,
    JobVersion,
    MissedPolicy,
    RunStatus,
    Stage,
    StageState,
    StepRun,
    Trigger,
)
from .orm import JobEventRow, JobRow, JobRunRow, JobStageRow, JobStepRunRow, JobVersionRow
from .schedule import next_fires, parse_schedule

DEFAULT_TIMEZONE = "UTC"


def to_utc_naive(moment: datetime) -> datetime:
    """``moment`` as the DB stores it (an aware time is converted, a naive one is UTC)."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def next_fire(cron: str | None, timezone: str, after: datetime) -> datetime | None:
    """The first fire of ``cron`` in ``timezone`` strictly after ``after`` (UTC, naive)."""
    if not cron:
        return None
    fire = next_fires(parse_schedule(cron, timezone), after.replace(tzinfo=UTC), 1)[0]
    return to_utc_naive(fire)


def check_stage(stage: str) -> Stage:
    if stage not in STAGES:
        raise Invalid(f"stage must be one of {', '.join(STAGES)}, not {stage!r}")
    return stage


class JobStore(StateStore):
    """The jobs of one workspace."""

    # -- definitions -----------------------------------------------------------------
    def create_job(
        self,
        name: str,
        spec: JobSpec,
        by: str,
        *,
        cron: str | None = None,
        timezone: str = DEFAULT_TIMEZONE,
        parameters: dict[str, Any] | None = None,
        missed_policy: MissedPolicy = "skip",
    ) -> Job:
        """Create job ``name`` with version 1 in dev (Conflict if the name is taken)."""
        at = now()
        fire = next_fire(cron, timezone, at)  # validates cron and timezone before writing
        try:
            with db.session_scope(self.url) as session:
                job = JobRow(name=name, missed_policy=missed_policy, created_by=by, created_at=at)
                session.add(job)
                session.flush()
                version = _version_row(job.id, 1, spec, by, at)
                session.add(version)
                session.flush()
                for stage in STAGES:
                    dev = stage == "dev"
                    session.add(
                        JobStageRow(
                            job_id=job.id,
                            stage=stage,
                            version_id=version.id if dev else None,
                            cron=cron if dev else None,
                            timezone=timezone,
                            parameters=json.dumps(parameters or {} if dev else {}),
                            paused=False,
                            next_fire_at=fire if dev else None,
                            updated_at=at,
                        )
                    )
                add_event(session, job.id, by, "create", "dev", None, 1, {})
                session.flush()
                return self._to_job(session, job)
        except IntegrityError as exc:
            raise Conflict(f"a job named {name!r} already exists") from exc

    def add_version(self, name: str, spec: JobSpec, by: str) -> JobVersion:
        """Record a new immutable version of ``name``; stages keep theirs until changed."""
        for _ in range(5):
            try:
                with db.session_scope(self.url) as session:
                    job = job_row(session, name)
                    number = 1 + (
                        session.scalar(
                            select(func.max(JobVersionRow.number)).where(
                                JobVersionRow.job_id == job.id
                            )
                        )
                        or 0
                    )
                    row = _version_row(job.id, number, spec, by, now())
                    session.add(row)
                    add_event(session, job.id, by, "version", None, number - 1, number, {})
                    session.flush()
                    return to_version(name, row)
            except IntegrityError:  # a concurrent writer took the number: try the next
                continue
        raise Conflict(f"too many concurrent new versions of job {name!r}; retry")

    def get_job(self, name: str) -> Job:
        with db.session_scope(self.url) as session:
            return self._to_job(session, job_row(session, name))

    def list_jobs(self) -> list[Job]:
        with db.session_scope(self.url) as session:
            rows = session.scalars(select(JobRow).order_by(JobRow.name)).all()
            return [self._to_job(session, row) for row in rows]

    def version(self, name: str, number: int | None = None) -> JobVersion:
        """Version ``number`` of job ``name`` (default: the latest)."""
        with db.session_scope(self.url) as session:
            return to_version(name, version_row(session, job_row(session, name), number))

    def versions(self, name: str) -> list[JobVersion]:
        with db.session_scope(self.url) as session:
            job = job_row(session, name)
            rows = children(session, JobVersionRow.job_id, job.id, JobVersionRow.number.desc())
            return [to_version(name, row) for row in rows]

    def configure_stage(
        self,
        name: str,
        stage: str,
        by: str,
        *,
        cron: str | EllipsisType | None = ...,
        timezone: str | None = None,
        parameters: dict[str, Any] | None = None,
        paused: bool | None = None,
        version: int | None = None,
    ) -> StageState:
        """Change a stage's schedule (``cron=None``: manual only; ``...``: unchanged),
        parameter overrides, pause state or version. The next fire is recomputed when the
        schedule, pause state or version changed (a fire already due is kept otherwise, so
        editing parameters cannot drop it). Audited."""
        check_stage(stage)
        with db.session_scope(self.url) as session:
            job = job_row(session, name)
            row = stage_row(session, job.id, stage)
            before = {"cron": row.cron, "timezone": row.timezone, "paused": row.paused}
            version_before = row.version_id
            if cron is not ...:
                row.cron = cron
            if timezone is not None:
                row.timezone = timezone
            if parameters is not None:
                row.parameters = json.dumps(parameters)
            if paused is not None:
                row.paused = paused
            version_from = _stage_version(session, row)
            if version is not None:
                row.version_id = version_row(session, job, version).id
            at = now()
            after = {"cron": row.cron, "timezone": row.timezone, "paused": row.paused}
            if after != before or row.version_id != version_before:
                row.next_fire_at = stage_next_fire(row, at)
            row.updated_at = at
            action = "schedule"
            if paused is not None and paused != before["paused"]:
                action = "pause" if paused else "resume"
            detail = {"before": before, "cron": row.cron, "timezone": row.timezone}
            add_event(
                session,
                job.id,
                by,
                action,
                stage,
                version_from,
                _stage_version(session, row),
                detail,
            )
            session.flush()
            return to_stage(session, row)

    def events(self, name: str, limit: int = 200) -> list[JobEvent]:
        """The audit trail of ``name``, newest first."""
        with db.session_scope(self.url) as session:
            job = job_row(session, name)
            rows = children(session, JobEventRow.job_id, job.id, JobEventRow.id.desc(), limit=limit)
            return [to_event(name, row) for row in rows]

    # -- runs ------------------------------------------------------------------------
    def create_run(
        self,
        name: str,
        stage: str,
        trigger: Trigger,
        by: str,
        *,
        parameters: dict[str, Any] | None = None,
        scheduled_for: datetime | None = None,
        token: str | None = None,
        version: int | None = None,
    ) -> JobRun:
        """Queue a run of the version in ``stage`` (or ``version``) with the stage's
        parameters overlaid by ``parameters``.

        A second run with the same ``token`` returns the first; a second run of the same
        scheduled fire raises Conflict (the fire already ran or is running).
        """
        check_stage(stage)
        try:
            with db.session_scope(self.url) as session:
                job = job_row(session, name)
                srow = stage_row(session, job.id, stage)
                vrow = _run_version(session, job, srow, version)
                spec = JobSpec.model_validate_json(vrow.spec)
                merged = {**json.loads(srow.parameters), **(parameters or {})}
                at = now()
                run = JobRunRow(
                    job_id=job.id,
                    version_id=vrow.id,
                    stage=stage,
                    trigger=trigger,
                    status="queued",
                    attempt=1,
                    scheduled_for=to_utc_naive(scheduled_for) if scheduled_for else None,
                    token=token,
                    parameters=json.dumps(merged),
                    created_at=at,
                    created_by=check_username(by),
                    not_before=at,
                    cancel_requested=False,
                    mlflow_run_ids="[]",
                )
                session.add(run)
                session.flush()
                session.add_all(
                    JobStepRunRow(
                        run_id=run.id, step=step.name, status="pending", attempt=0, outputs="{}"
                    )
                    for step in spec.steps
                )
                session.flush()
                return to_run(session, run)
        except IntegrityError as exc:
            existing = self._run_of_token(token)
            if existing is not None:
                return existing
            raise Conflict(
                f"job {name!r} already has a run for {stage} at {scheduled_for}"
            ) from exc

    def _run_of_token(self, token: str | None) -> JobRun | None:
        """The run an idempotency ``token`` already created, if any."""
        if token is None:
            return None
        with db.session_scope(self.url) as session:
            existing = session.scalar(select(JobRunRow).where(JobRunRow.token == token))
            return to_run(session, existing) if existing is not None else None

    def get_run(self, run_id: int) -> JobRun:
        with db.session_scope(self.url) as session:
            return to_run(session, run_row(session, run_id))

    def runs(
        self,
        name: str | None = None,
        *,
        stage: str | None = None,
        status: Sequence[str] | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[JobRun], int]:
        """Runs newest first (of one job, stage or statuses), and how many match in all."""
        with db.session_scope(self.url) as session:
            query = select(JobRunRow)
            if name is not None:
                query = query.where(JobRunRow.job_id == job_row(session, name).id)
            if stage is not None:
                query = query.where(JobRunRow.stage == check_stage(stage))
            if status:
                query = query.where(JobRunRow.status.in_(list(status)))
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            rows = session.scalars(
                query.order_by(JobRunRow.id.desc()).limit(limit).offset(offset)
            ).all()
            return [to_run(session, row) for row in rows], total

    def move_run(self, run_id: int, before: Sequence[RunStatus], **values: Any) -> JobRun:
        """Compare-and-set: update run ``run_id`` only while its status is in ``before``."""
        with db.session_scope(self.url) as session:
            changed = session.execute(
                update(JobRunRow)
                .where(JobRunRow.id == run_id, JobRunRow.status.in_(list(before)))
                .values(**values)
            ).rowcount  # type: ignore[attr-defined]
            row = run_row(session, run_id)
            if not changed:
                raise Conflict(f"job run {run_id} is {row.status}, not {' or '.join(before)}")
            session.refresh(row)
            return to_run(session, row)

    def requeue_run(self, run_id: int, spec: JobSpec, **values: Any) -> JobRun:
        """Queue a running run again for its next attempt, after the job's backoff
        (doubling each attempt). A cancel asked for meanwhile wins: the run ends cancelled
        instead. Conflict if the run is no longer running."""
        with db.session_scope(self.url) as session:
            row = run_row(session, run_id)
            backoff = timedelta(seconds=spec.retry_backoff_s * 2 ** (row.attempt - 1))
            changed = session.execute(
                update(JobRunRow)
                .where(
                    JobRunRow.id == run_id,
                    JobRunRow.status == "running",
                    JobRunRow.cancel_requested.is_(False),
                    JobRunRow.attempt == row.attempt,
                )
                .values(
                    status="queued",
                    attempt=row.attempt + 1,
                    not_before=now() + backoff,
                    worker_pid=None,
                    heartbeat_at=None,
                    **values,
                )
            ).rowcount  # type: ignore[attr-defined]
            if not changed:
                session.refresh(row)
                if row.status != "running":
                    raise Conflict(f"job run {run_id} is {row.status}, not running")
                values["error"] = f"cancelled during attempt {row.attempt}"
                session.execute(
                    update(JobRunRow)
                    .where(JobRunRow.id == run_id, JobRunRow.status == "running")
                    .values(status="cancelled", finished_at=now(), **values)
                )
            session.refresh(row)
            return to_run(session, row)

    def update_step(self, run_id: int, step: str, **values: Any) -> None:
        """Set fields of one step run (``outputs`` given as a dict)."""
        if "outputs" in values:
            values["outputs"] = json.dumps(values["outputs"])
        with db.session_scope(self.url) as session:
            session.execute(
                update(JobStepRunRow)
                .where(JobStepRunRow.run_id == run_id, JobStepRunRow.step == step)
                .values(**values)
            )

    def request_cancel(self, run_id: int, by: str) -> JobRun:
        """Cancel a run: a queued run ends now; a running one is flagged for its worker
        (which stops its kernel). Conflict if it already finished."""
        with db.session_scope(self.url) as session:
            ended = session.execute(
                update(JobRunRow)
                .where(JobRunRow.id == run_id, JobRunRow.status == "queued")
                .values(
                    status="cancelled",
                    finished_at=now(),
                    cancel_requested=True,
                    error=f"cancelled by {by} before it started",
                )
            ).rowcount  # type: ignore[attr-defined]
            if not ended:
                flagged = session.execute(
                    update(JobRunRow)
                    .where(JobRunRow.id == run_id, JobRunRow.status == "running")
                    .values(cancel_requested=True)
                ).rowcount  # type: ignore[attr-defined]
                if not flagged:
                    row = run_row(session, run_id)
                    raise Conflict(f"job run {run_id} already ended ({row.status})")
            row = run_row(session, run_id)
            session.refresh(row)
            return to_run(session, row)

    # -- conversions -----------------------------------------------------------------
    def _to_job(self, session: Session, row: JobRow) -> Job:
        latest = session.scalar(
            select(func.max(JobVersionRow.number)).where(JobVersionRow.job_id == row.id)
        )
        stages = session.scalars(
            select(JobStageRow).where(JobStageRow.job_id == row.id).order_by(JobStageRow.id)
        ).all()
        return Job(
            name=row.name,
            missed_policy=row.missed_policy,  # type: ignore[arg-type]
            created_by=row.created_by,
            created_at=row.created_at,
            latest_version=latest or 0,
            stages=[to_stage(session, s) for s in stages],
        )


def _run_version(
    session: Session, job: JobRow, srow: JobStageRow, version: int | None
) -> JobVersionRow:
    """The version a new run of stage ``srow`` runs: ``version`` if given, else the
    stage's (Invalid when the stage has none)."""
    if version is not None:
        return version_row(session, job, version)
    if srow.version_id is None:
        raise Invalid(f"job {job.name!r} has no version in {srow.stage}; promote one first")
    found = session.get(JobVersionRow, srow.version_id)
    assert found is not None
    return found


def stage_next_fire(row: JobStageRow, after: datetime) -> datetime | None:
    """When a stage fires next: never while paused, manual or without a version."""
    if row.paused or row.version_id is None:
        return None
    return next_fire(row.cron, row.timezone, after)


def add_event(
    session: Session,
    job_id: int,
    by: str,
    action: str,
    stage: str | None,
    version_from: int | None,
    version_to: int | None,
    detail: dict[str, Any],
) -> None:
    """Append one audit event inside the caller's transaction."""
    session.add(
        JobEventRow(
            job_id=job_id,
            at=now(),
            by=check_username(by),
            by_source=source_of(by),
            action=action,
            stage=stage,
            version_from=version_from,
            version_to=version_to,
            detail=json.dumps(detail, default=str),
        )
    )


def job_row(session: Session, name: str) -> JobRow:
    row = session.scalar(select(JobRow).where(JobRow.name == name))
    if row is None:
        raise NotFound(f"no job named {name!r}")
    return row


def stage_row(session: Session, job_id: int, stage: str) -> JobStageRow:
    row = session.scalar(
        select(JobStageRow).where(JobStageRow.job_id == job_id, JobStageRow.stage == stage)
    )
    assert row is not None, "every job has a row per stage"
    return row


def version_row(session: Session, job: JobRow, number: int | None) -> JobVersionRow:
    query = select(JobVersionRow).where(JobVersionRow.job_id == job.id)
    if number is None:
        query = query.order_by(JobVersionRow.number.desc()).limit(1)
    else:
        query = query.where(JobVersionRow.number == number)
    row = session.scalar(query)
    if row is None:
        raise NotFound(f"job {job.name!r} has no version {number}")
    return row


def run_row(session: Session, run_id: int) -> JobRunRow:
    row = session.get(JobRunRow, run_id)
    if row is None:
        raise NotFound(f"no job run {run_id}")
    return row


def _version_row(job_id: int, number: int, spec: JobSpec, by: str, at: datetime) -> JobVersionRow:
    return JobVersionRow(
        job_id=job_id, number=number, spec=spec.model_dump_json(), created_by=by, created_at=at
    )


def _stage_version(session: Session, row: JobStageRow) -> int | None:
    if row.version_id is None:
        return None
    version = session.get(JobVersionRow, row.version_id)
    return version.number if version else None


def to_version(name: str, row: JobVersionRow) -> JobVersion:
    return JobVersion(
        job=name,
        number=row.number,
        spec=JobSpec.model_validate_json(row.spec),
        created_by=row.created_by,
        created_at=row.created_at,
    )


def to_stage(session: Session, row: JobStageRow) -> StageState:
    return StageState(
        stage=row.stage,  # type: ignore[arg-type]
        version=_stage_version(session, row),
        cron=row.cron,
        timezone=row.timezone,
        parameters=json.loads(row.parameters),
        paused=row.paused,
        next_fire_at=row.next_fire_at,
        updated_at=row.updated_at,
    )


def to_step(row: JobStepRunRow) -> StepRun:
    return StepRun(
        name=row.step,
        status=row.status,  # type: ignore[arg-type]
        attempt=row.attempt,
        started_at=row.started_at,
        finished_at=row.finished_at,
        kernel_started_at=row.kernel_started_at,
        error=row.error,
        failed_cell=row.failed_cell,
        notebook_object=row.notebook_object,
        html_object=row.html_object,
        log_object=row.log_object,
        outputs=json.loads(row.outputs),
    )


def to_run(session: Session, row: JobRunRow) -> JobRun:
    job = session.get(JobRow, row.job_id)
    version = session.get(JobVersionRow, row.version_id)
    assert job is not None and version is not None
    spec = JobSpec.model_validate_json(version.spec)
    steps = session.scalars(
        select(JobStepRunRow).where(JobStepRunRow.run_id == row.id).order_by(JobStepRunRow.id)
    ).all()
    return JobRun(
        id=row.id,
        job=job.name,
        version=version.number,
        stage=row.stage,  # type: ignore[arg-type]
        trigger=row.trigger,  # type: ignore[arg-type]
        status=row.status,  # type: ignore[arg-type]
        attempt=row.attempt,
        max_attempts=spec.retries + 1,
        notify_on_failure=spec.notify_on_failure,
        parameters=json.loads(row.parameters),
        scheduled_for=row.scheduled_for,
        created_at=row.created_at,
        created_by=row.created_by,
        not_before=row.not_before,
        started_at=row.started_at,
        finished_at=row.finished_at,
        error=row.error,
        cancel_requested=row.cancel_requested,
        mlflow_run_ids=json.loads(row.mlflow_run_ids),
        steps=[to_step(s) for s in steps],
    )


def to_event(name: str, row: JobEventRow) -> JobEvent:
    return JobEvent(
        id=row.id,
        job=name,
        at=row.at,
        by=row.by,
        by_source=row.by_source,  # type: ignore[arg-type]
        action=row.action,
        stage=row.stage,  # type: ignore[arg-type]
        version_from=row.version_from,
        version_to=row.version_to,
        detail=json.loads(row.detail),
    )
