"""Monitoring: monitors, their history of checks (points), alerts and the actions of alerts.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mlops_monitors",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column("thresholds", sa.Text(), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "mlops_monitor_points",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("monitor_id", sa.Integer(), sa.ForeignKey("mlops_monitors.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("engine", sa.String(20), nullable=False),
        sa.Column("reference_rows", sa.Integer(), nullable=False),
        sa.Column("current_rows", sa.Integer(), nullable=False),
        sa.Column("drifted_share", sa.Float(), nullable=True),
        sa.Column("drifted_columns", sa.Integer(), nullable=False),
        sa.Column("tested_columns", sa.Integer(), nullable=False),
        sa.Column("dataset_drifted", sa.Boolean(), nullable=True),
        sa.Column("column_scores", sa.Text(), nullable=False),
        sa.Column("quality", sa.Text(), nullable=True),
        sa.Column("distributions", sa.Text(), nullable=True),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column("reference_dataset", sa.String(300), nullable=True),
        sa.Column("current_dataset", sa.String(300), nullable=True),
        sa.Column("mlflow_run_id", sa.String(64), nullable=True),
        sa.Column("evidently", sa.Text(), nullable=True),
    )
    op.create_index(
        "ix_mlops_monitor_points_monitor_created",
        "mlops_monitor_points",
        ["monitor_id", "created_at"],
    )
    op.create_table(
        "mlops_monitor_alerts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("monitor_id", sa.Integer(), sa.ForeignKey("mlops_monitors.id"), nullable=False),
        sa.Column(
            "point_id", sa.Integer(), sa.ForeignKey("mlops_monitor_points.id"), nullable=False
        ),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("acknowledged_by", sa.String(200), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "mlops_monitor_alert_actions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "alert_id", sa.Integer(), sa.ForeignKey("mlops_monitor_alerts.id"), nullable=False
        ),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("job", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("mlops_monitor_alert_actions")
    op.drop_table("mlops_monitor_alerts")
    op.drop_index("ix_mlops_monitor_points_monitor_created", "mlops_monitor_points")
    op.drop_table("mlops_monitor_points")
    op.drop_table("mlops_monitors")
