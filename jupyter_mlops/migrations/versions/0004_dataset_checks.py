"""Dataset checks: expectations per dataset name and the check report of each version.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mlops_dataset_checks",
        sa.Column(
            "dataset_id",
            sa.Integer(),
            sa.ForeignKey("mlops_datasets.id"),
            primary_key=True,
            nullable=False,
        ),
        sa.Column("checks", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "mlops_dataset_check_reports",
        sa.Column("dataset_id", sa.Integer(), sa.ForeignKey("mlops_datasets.id"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("dataset_id", "version"),
    )


def downgrade() -> None:
    op.drop_table("mlops_dataset_check_reports")
    op.drop_table("mlops_dataset_checks")
