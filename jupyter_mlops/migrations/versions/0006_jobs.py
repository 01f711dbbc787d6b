"""Jobs: definitions, immutable versions, stages, runs and step runs, audit, scheduler lease.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)


def _job_id() -> sa.Column[int]:
    return sa.Column("job_id", sa.Integer(), sa.ForeignKey("mlops_jobs.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "mlops_jobs",
        _id(),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("missed_policy", sa.String(20), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "mlops_job_versions",
        _id(),
        _job_id(),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("spec", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("job_id", "number", name="uq_mlops_job_versions_number"),
    )
    op.create_table(
        "mlops_job_stages",
        _id(),
        _job_id(),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column(
            "version_id", sa.Integer(), sa.ForeignKey("mlops_job_versions.id"), nullable=True
        ),
        sa.Column("cron", sa.String(200), nullable=True),
        sa.Column("timezone", sa.String(100), nullable=False),
        sa.Column("parameters", sa.Text(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("next_fire_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("job_id", "stage", name="uq_mlops_job_stages_stage"),
    )
    op.create_index("ix_mlops_job_stages_next_fire_at", "mlops_job_stages", ["next_fire_at"])
    op.create_table(
        "mlops_job_runs",
        _id(),
        _job_id(),
        sa.Column(
            "version_id", sa.Integer(), sa.ForeignKey("mlops_job_versions.id"), nullable=False
        ),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("trigger", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(), nullable=True),
        sa.Column("token", sa.String(200), nullable=True, unique=True),
        sa.Column("parameters", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("worker_pid", sa.Integer(), nullable=True),
        sa.Column("worker_host", sa.String(255), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("mlflow_run_ids", sa.Text(), nullable=False),
        sa.UniqueConstraint("job_id", "stage", "scheduled_for", name="uq_mlops_job_runs_fire"),
    )
    op.create_index("ix_mlops_job_runs_status", "mlops_job_runs", ["status"])
    op.create_index("ix_mlops_job_runs_job_created", "mlops_job_runs", ["job_id", "created_at"])
    op.create_table(
        "mlops_job_step_runs",
        _id(),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("mlops_job_runs.id"), nullable=False),
        sa.Column("step", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("kernel_started_at", sa.DateTime(), nullable=True),
        sa.Column("kernel_pid", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("failed_cell", sa.Integer(), nullable=True),
        sa.Column("notebook_object", sa.String(128), nullable=True),
        sa.Column("html_object", sa.String(128), nullable=True),
        sa.Column("log_object", sa.String(128), nullable=True),
        sa.Column("outputs", sa.Text(), nullable=False),
        sa.UniqueConstraint("run_id", "step", name="uq_mlops_job_step_runs_step"),
    )
    op.create_table(
        "mlops_job_events",
        _id(),
        _job_id(),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("stage", sa.String(20), nullable=True),
        sa.Column("version_from", sa.Integer(), nullable=True),
        sa.Column("version_to", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_table(
        "mlops_scheduler_lease",
        sa.Column("name", sa.String(50), primary_key=True),
        sa.Column("holder", sa.String(255), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("mlops_scheduler_lease")
    op.drop_table("mlops_job_events")
    op.drop_table("mlops_job_step_runs")
    op.drop_index("ix_mlops_job_runs_job_created", "mlops_job_runs")
    op.drop_index("ix_mlops_job_runs_status", "mlops_job_runs")
    op.drop_table("mlops_job_runs")
    op.drop_index("ix_mlops_job_stages_next_fire_at", "mlops_job_stages")
    op.drop_table("mlops_job_stages")
    op.drop_table("mlops_job_versions")
    op.drop_table("mlops_jobs")
