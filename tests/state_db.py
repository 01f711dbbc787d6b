"""The state DB kinds the multi-user tests run on: SQLite (the workspace's default) and
PostgreSQL through the same setting, ``JUPYTER_MLOPS_STATE_DB_URL``.

PostgreSQL is the database ``JUPYTER_MLOPS_TEST_POSTGRES_URL`` names; its tests are skipped
when that is unset. ``make test-py`` starts a throw-away cluster and sets it
(``scripts/test_postgres.sh``), so nothing is skipped there.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import delete

from jupyter_mlops import db
from jupyter_mlops.reviews.orm import (
    ReviewCommentRow,
    ReviewDecisionRow,
    ReviewEventRow,
    ReviewRow,
)

POSTGRES_ENV = "JUPYTER_MLOPS_TEST_POSTGRES_URL"
STATE_DB_ENV = "JUPYTER_MLOPS_STATE_DB_URL"
KINDS = ["sqlite", "postgresql"]


def use_state_db(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the state DB setting at ``kind`` for the test (SQLite: the workspace default).

    Call it after ``mlops_root`` (which clears the setting) and before the workspace is
    resolved or a server starts; subprocesses inherit the setting.
    """
    if kind == "postgresql":
        url = os.environ.get(POSTGRES_ENV)
        if not url:
            pytest.skip(f"{POSTGRES_ENV} is not set")
        monkeypatch.setenv(STATE_DB_ENV, url)


def empty_review_tables(url: str) -> None:
    """Migrate the state DB at ``url`` and empty its review tables: the PostgreSQL database
    is shared by every test of the session (other areas' tables are left alone)."""
    db.migrate(url)
    with db.session_scope(url) as session:
        for table in (ReviewEventRow, ReviewDecisionRow, ReviewCommentRow, ReviewRow):
            session.execute(delete(table))
