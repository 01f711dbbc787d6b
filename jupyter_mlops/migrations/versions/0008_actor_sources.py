"""How each recorded actor was established: authenticated by the Jupyter server, or
asserted by a kernel or the CLI (``jupyter_mlops.identity``).

One nullable column beside every name a decision, an acknowledgement or an audited action
records. Rows written before this migration keep NULL: their origin is unknown, and they
count as not authenticated where ``require_authenticated_decisions`` asks.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = (
    ("mlops_review_decisions", "reviewer_source"),
    ("mlops_review_events", "by_source"),
    ("mlops_monitor_alerts", "acknowledged_by_source"),
    ("mlops_job_events", "by_source"),
)


def upgrade() -> None:
    for table, column in COLUMNS:
        op.add_column(table, sa.Column(column, sa.String(20), nullable=True))


def downgrade() -> None:
    for table, column in reversed(COLUMNS):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
