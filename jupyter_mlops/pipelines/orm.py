"""State-DB tables of the jobs area.

Two constraints carry the scheduler's guarantees: UNIQUE (job, stage, scheduled_for) makes
each scheduled fire run at most once whichever process fires it, and UNIQUE token makes a
retried "run now" request create one run. Runs and step runs keep what a worker process
needs to be found again after a restart (pid, host, heartbeat, kernel pid).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class JobRow(Base):
    __tablename__ = "mlops_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    missed_policy: Mapped[str] = mapped_column(String(20), nullable=False)  # skip | run_once
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False)


class JobVersionRow(Base):
    __tablename__ = "mlops_job_versions"
    __table_args__ = (UniqueConstraint("job_id", "number", name="uq_mlops_job_versions_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("mlops_jobs.id"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    spec: Mapped[str] = mapped_column(Text, nullable=False)  # JSON of JobSpec
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False)


class JobStageRow(Base):
    __tablename__ = "mlops_job_stages"
    __table_args__ = (
        UniqueConstraint("job_id", "stage", name="uq_mlops_job_stages_stage"),
        Index("ix_mlops_job_stages_next_fire_at", "next_fire_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("mlops_jobs.id"), nullable=False)
    stage: Mapped[str] = mapped_column(String(20), nullable=False)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("mlops_job_versions.id"))
    cron: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(100), nullable=False)
    parameters: Mapped[str] = mapped_column(Text, nullable=False)  # JSON overrides
    paused: Mapped[bool] = mapped_column(nullable=False)
    # next scheduled fire (UTC); NULL when manual, paused or without a version
    next_fire_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(nullable=False)


class JobRunRow(Base):
    __tablename__ = "mlops_job_runs"
    __table_args__ = (
        UniqueConstraint("job_id", "stage", "scheduled_for", name="uq_mlops_job_runs_fire"),
        Index("ix_mlops_job_runs_status", "status"),
        Index("ix_mlops_job_runs_job_created", "job_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("mlops_jobs.id"), nullable=False)
    version_id: Mapped[int] = mapped_column(ForeignKey("mlops_job_versions.id"), nullable=False)
    stage: Mapped[str] = mapped_column(String(20), nullable=False)
    trigger: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    attempt: Mapped[int] = mapped_column(Integer, nullable=False)
    scheduled_for: Mapped[datetime | None] = mapped_column()
    token: Mapped[str | None] = mapped_column(String(200), unique=True)
    parameters: Mapped[str] = mapped_column(Text, nullable=False)  # JSON, resolved
    created_at: Mapped[datetime] = mapped_column(nullable=False)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    not_before: Mapped[datetime] = mapped_column(nullable=False)  # retry backoff
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    worker_pid: Mapped[int | None] = mapped_column(Integer)
    worker_host: Mapped[str | None] = mapped_column(String(255))
    heartbeat_at: Mapped[datetime | None] = mapped_column()
    cancel_requested: Mapped[bool] = mapped_column(nullable=False)
    error: Mapped[str | None] = mapped_column(Text)
    mlflow_run_ids: Mapped[str] = mapped_column(Text, nullable=False)  # JSON list


class JobStepRunRow(Base):
    __tablename__ = "mlops_job_step_runs"
    __table_args__ = (UniqueConstraint("run_id", "step", name="uq_mlops_job_step_runs_step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("mlops_job_runs.id"), nullable=False)
    step: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    attempt: Mapped[int] = mapped_column(Integer, nullable=False)
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    kernel_started_at: Mapped[datetime | None] = mapped_column()
    kernel_pid: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    failed_cell: Mapped[int | None] = mapped_column(Integer)
    notebook_object: Mapped[str | None] = mapped_column(String(128))
    html_object: Mapped[str | None] = mapped_column(String(128))
    log_object: Mapped[str | None] = mapped_column(String(128))
    outputs: Mapped[str] = mapped_column(Text, nullable=False)  # JSON object


class JobEventRow(Base):
    """The audit trail of a job (promotions, rollbacks, new versions, schedule changes)."""

    __tablename__ = "mlops_job_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("mlops_jobs.id"), nullable=False)
    at: Mapped[datetime] = mapped_column(nullable=False)
    by: Mapped[str] = mapped_column(String(200), nullable=False)
    by_source: Mapped[str | None] = mapped_column(String(20))  # authenticated | asserted
    action: Mapped[str] = mapped_column(String(30), nullable=False)
    stage: Mapped[str | None] = mapped_column(String(20))
    version_from: Mapped[int | None] = mapped_column(Integer)
    version_to: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, nullable=False)  # JSON


class SchedulerLeaseRow(Base):
    """Which scheduler process fires for this workspace, until when (renewed each tick)."""

    __tablename__ = "mlops_scheduler_lease"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(nullable=False)
