"""Serving: the audit trail of endpoints (deploys, switches, rollouts and their decisions).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mlops_serving_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("endpoint", sa.String(63), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("by_source", sa.String(20)),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("model", sa.String(256), nullable=False),
        sa.Column("version_from", sa.String(20)),
        sa.Column("version_to", sa.String(20)),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_mlops_serving_events_endpoint", "mlops_serving_events", ["endpoint", "id"])


def downgrade() -> None:
    op.drop_table("mlops_serving_events")
