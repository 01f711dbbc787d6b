"""Monitoring: where each column's stored reference profile of a dataset version is.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mlops_reference_profiles",
        sa.Column("source_object_id", sa.String(64), primary_key=True),
        sa.Column("column_name", sa.String(1024), primary_key=True),
        sa.Column("format", sa.Integer(), primary_key=True),
        sa.Column("profile_object_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("mlops_reference_profiles")
