import pytest
from sqlalchemy import text, update

from jupyter_mlops import db
from jupyter_mlops.workspace import Workspace, resolve_workspace
from tests.state_db import KINDS, use_state_db


def test_migrate_is_idempotent_and_sqlite_is_configured(mlops_workspace: Workspace) -> None:
    url = mlops_workspace.state_db_url
    db.migrate(url)
    db.migrate(url)
    with db.get_engine(url).connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
    assert {"mlops_workspace_info", db.VERSION_TABLE} <= tables


def test_session_scope_rolls_back_on_error(mlops_workspace: Workspace) -> None:
    url = mlops_workspace.state_db_url
    db.migrate(url)
    try:
        with db.session_scope(url) as session:
            session.execute(text("INSERT INTO mlops_workspace_info VALUES ('k', 'v')"))
            raise RuntimeError("crash mid-transaction")
    except RuntimeError:
        pass
    with db.session_scope(url) as session:
        assert session.execute(text("SELECT count(*) FROM mlops_workspace_info")).scalar() == 0


MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
server:/export /mnt/team nfs4 rw,relatime 0 0
server:/export/fast /mnt/team/local xfs rw 0 0
"""


def test_filesystem_type_takes_the_longest_mount_prefix() -> None:
    from pathlib import Path

    assert db.filesystem_type(Path("/work/p/.mlops/state.db"), MOUNTS) == "ext4"
    assert db.filesystem_type(Path("/mnt/team/p/.mlops/state.db"), MOUNTS) == "nfs4"
    assert db.filesystem_type(Path("/mnt/team/local/state.db"), MOUNTS) == "xfs"
    assert db.filesystem_type(Path("/mnt/teammate/state.db"), MOUNTS) == "ext4"
    assert "nfs4" in db.NETWORK_FILESYSTEMS


def test_migrations_create_exactly_the_tables_the_orm_declares(mlops_workspace: Workspace) -> None:
    """Alembic's own comparison finds no difference between the migrated DB and the ORM."""
    import importlib

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    for area in ("datasets", "monitoring", "pipelines", "features", "reviews", "serving"):
        importlib.import_module(f"jupyter_mlops.{area}.orm")
    url = mlops_workspace.state_db_url
    db.migrate(url)
    with db.get_engine(url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": db.VERSION_TABLE})
        diff = compare_metadata(context, db.Base.metadata)
    # the workspace's key/value table is written with plain SQL and has no ORM class
    assert [d for d in diff if d[0] != "remove_table" or d[1].name != "mlops_workspace_info"] == []


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+psycopg://mlops:s3cr%40t@db.example:5432/state?sslmode=require",
            "postgresql+psycopg://mlops:***@db.example:5432/state?sslmode=require",
        ),
        ("postgresql://db.example/state?user=mlops&password=s3cret", None),
        ("postgresql://mlops@db.example/state", "postgresql://mlops@db.example/state"),
        ("sqlite:////srv/team/.mlops/state.db", "sqlite:////srv/team/.mlops/state.db"),
        ("not a url://mlops:s3cret@host", "not a url://mlops:***@host"),
        # a bad port: SQLAlchemy raises ValueError, the pattern still hides the password
        (
            "postgresql://mlops:s3cret@db.example:notaport/state?sslpassword=s3cr",
            "postgresql://mlops:***@db.example:notaport/state?sslpassword=***",
        ),
        ("http://db.example:x/y?api_token=s3cret&a=1", "http://db.example:x/y?api_token=***&a=1"),
        ("postgresql://db.example/state?passwd=s3cret", "postgresql://db.example/state?passwd=***"),
        ("https://mlflow.example/api?token=s3cret&x=1", "https://mlflow.example/api?token=***&x=1"),
        (
            "s3://bucket/objects?secret_key=s3cret&region=eu",
            "s3://bucket/objects?region=eu&secret_key=***",
        ),
        # nothing to hide: the URL as it was written (no query reordered)
        ("https://mlflow.example/path?z=1&a=2", "https://mlflow.example/path?z=1&a=2"),
        ("/srv/team/objects", "/srv/team/objects"),
    ],
)
def test_masked_url_hides_the_password(url: str, shown: str | None) -> None:
    masked = db.masked_url(url)
    assert "s3cr" not in masked
    if shown is not None:
        assert masked == shown
    else:
        assert "password=***" in masked and "user=mlops" in masked


def test_a_read_scope_holds_no_lock_and_sees_one_snapshot(mlops_workspace: Workspace) -> None:
    """A reader begins deferred: a writer commits while it reads (a reader holding the write
    lock would make it wait out the busy timeout, then fail), and the reader keeps the
    snapshot it started with until it ends."""
    url = mlops_workspace.state_db_url
    db.migrate(url)
    count = text("SELECT count(*) FROM mlops_workspace_info")
    with db.read_scope(url) as reader:
        assert reader.execute(count).scalar() == 0
        with db.session_scope(url) as writer:
            writer.execute(text("INSERT INTO mlops_workspace_info VALUES ('k', 'v')"))
        assert reader.execute(count).scalar() == 0  # its snapshot
    with db.read_scope(url) as reader:
        assert reader.execute(count).scalar() == 1
        reader.execute(text("INSERT INTO mlops_workspace_info VALUES ('k2', 'v')"))
    with db.read_scope(url) as reader:  # what a reader wrote was not kept
        assert reader.execute(count).scalar() == 1


def test_a_write_scope_holds_the_write_lock_from_its_first_statement(
    mlops_workspace: Workspace,
) -> None:
    import sqlite3

    url = mlops_workspace.state_db_url
    db.migrate(url)
    with db.session_scope(url) as writer:
        writer.execute(text("SELECT 1"))
        other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


@pytest.mark.parametrize("kind", KINDS)
def test_an_id_past_what_a_column_holds_is_a_clear_400_not_a_server_error(
    kind: str, mlops_root: object, monkeypatch: pytest.MonkeyPatch, mlops_workspace: Workspace
) -> None:
    """The API admits 64-bit ids; PostgreSQL's INTEGER ids stop at 2**31 - 1. Past that, a
    lookup or a write naming such an id is Invalid (nothing written), on both kinds of DB."""
    from jupyter_mlops.errors import Invalid
    from jupyter_mlops.reviews.orm import ReviewRow

    use_state_db(kind, monkeypatch)
    url = resolve_workspace(mlops_workspace.root).state_db_url
    db.migrate(url)
    big = 2**63 - 2
    if kind == "sqlite":  # SQLite holds it: the row simply does not exist
        with db.read_scope(url) as session:
            assert session.get(ReviewRow, big) is None
        return
    out_of_range = pytest.raises(Invalid, match="beyond what the state DB can hold")
    with out_of_range, db.read_scope(url) as session:
        session.get(ReviewRow, big)
    with out_of_range, db.session_scope(url) as session:
        session.execute(update(ReviewRow).where(ReviewRow.id == big).values(title="x"))
