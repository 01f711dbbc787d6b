"""Features: versioned definitions (entities, views, services) and materializations.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mlops_feature_definitions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.String(63), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("spec", sa.Text(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("author_source", sa.String(20), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("kind", "name", "version"),
    )
    op.create_table(
        "mlops_feature_materializations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("view", sa.String(63), nullable=False, index=True),
        sa.Column("view_version", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(200), nullable=False),
        sa.Column("dataset_version", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(12), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("watermark_ns", sa.BigInteger(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("author_source", sa.String(20), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("mlops_feature_materializations")
    op.drop_table("mlops_feature_definitions")
