"""Reviews: review requests of model versions, threaded comments, decisions, audit.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)


def _review_id() -> sa.Column[int]:
    return sa.Column("review_id", sa.Integer(), sa.ForeignKey("mlops_reviews.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "mlops_reviews",
        _id(),
        sa.Column("model_name", sa.String(255), nullable=False),
        sa.Column("model_version", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("requested_by_name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("open_for", sa.String(300), nullable=True, unique=True),
        sa.Column("alias_state", sa.String(20), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_mlops_reviews_model", "mlops_reviews", ["model_name", "model_version"])
    op.create_index("ix_mlops_reviews_run_id", "mlops_reviews", ["run_id"])
    op.create_index("ix_mlops_reviews_status", "mlops_reviews", ["status"])
    op.create_table(
        "mlops_review_comments",
        _id(),
        _review_id(),
        sa.Column(
            "parent_id", sa.Integer(), sa.ForeignKey("mlops_review_comments.id"), nullable=True
        ),
        sa.Column("cell_id", sa.String(64), nullable=True),
        sa.Column("cell_index", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=True),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("resolved_by", sa.String(200), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_mlops_review_comments_review", "mlops_review_comments", ["review_id"])
    op.create_table(
        "mlops_review_decisions",
        _id(),
        _review_id(),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("reviewer_name", sa.String(200), nullable=False),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_mlops_review_decisions_review", "mlops_review_decisions", ["review_id"])
    op.create_table(
        "mlops_review_events",
        _id(),
        _review_id(),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_mlops_review_events_review", "mlops_review_events", ["review_id"])


def downgrade() -> None:
    op.drop_index("ix_mlops_review_events_review", "mlops_review_events")
    op.drop_table("mlops_review_events")
    op.drop_index("ix_mlops_review_decisions_review", "mlops_review_decisions")
    op.drop_table("mlops_review_decisions")
    op.drop_index("ix_mlops_review_comments_review", "mlops_review_comments")
    op.drop_table("mlops_review_comments")
    op.drop_index("ix_mlops_reviews_status", "mlops_reviews")
    op.drop_index("ix_mlops_reviews_run_id", "mlops_reviews")
    op.drop_index("ix_mlops_reviews_model", "mlops_reviews")
    op.drop_table("mlops_reviews")
