"""Dataset tags: a name for a version, unique per dataset (moving it re-points it).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mlops_dataset_tags",
        sa.Column("dataset_id", sa.Integer(), sa.ForeignKey("mlops_datasets.id"), nullable=False),
        sa.Column("tag", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("dataset_id", "tag"),
    )


def downgrade() -> None:
    op.drop_table("mlops_dataset_tags")
