"""The state database: SQLAlchemy 2 engine, session scope and alembic migrations.

Only what MLflow has no place for lives here (datasets catalog, jobs, monitors, reviews),
keyed by MLflow ids. SQLite runs in WAL mode with a busy timeout and foreign keys on, and
write transactions begin IMMEDIATE so a read that later writes cannot fail with BUSY.
Any other SQLAlchemy URL (PostgreSQL for teams) is used as is.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DataError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from .errors import Invalid

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = "mlops_alembic_version"
SQLITE_BUSY_TIMEOUT_MS = 10_000
_USERINFO_PASSWORD = re.compile(r"(://[^/@:]*:)[^/@]*@")
# query parameters whose value is a credential: password, passwd, pwd, secret, token, ...
_SECRET_KEY = re.compile(r"pass|pwd|secret|token|api_?key|credential|signature", re.IGNORECASE)
_QUERY_PARAM = re.compile(r"([?&;])([^=&;#]+)=([^&;#]*)")

_engines: dict[str, Engine] = {}
# one session factory per engine and kind (building a sessionmaker costs more than a query)
_factories: dict[tuple[str, bool], sessionmaker[Session]] = {}
_lock = threading.Lock()
# the execution option that marks a read-only transaction's connection (``read_scope``)
_READ_ONLY = "mlops_read_only"
# alembic keeps the running migration's context in module globals: one upgrade at a time
_migrate_lock = threading.Lock()


class Base(DeclarativeBase):
    """Declarative base for every ORM table of every area."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin" below).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # a reader takes a snapshot and no lock: in WAL it never waits for a writer
        read_only = conn.get_execution_options().get(_READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "glusterfs", "ceph", "lustre"}
)


def filesystem_type(path: Path, mounts: str) -> str:
    """The filesystem type of ``path`` from a ``/proc/mounts`` text (longest mount prefix)."""
    best, kind = "", ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = fields[1].replace("\\040", " ")
        if path.is_relative_to(mount_point) and len(mount_point) > len(best):
            best, kind = mount_point, fields[2]
    return kind


def _refuse_network_filesystem(db_path: Path) -> None:
    """SQLite's WAL needs one host: refuse a state DB on a network filesystem."""
    try:
        mounts = Path("/proc/mounts").read_text()
    except OSError:  # not Linux: nothing to check against
        return
    kind = filesystem_type(db_path.resolve(), mounts)
    if kind in NETWORK_FILESYSTEMS:
        raise Invalid(
            f"the state database {db_path} is on a network filesystem ({kind}); SQLite cannot "
            "lock it safely there: set JUPYTER_MLOPS_STATE_DB_URL to a PostgreSQL URL"
        )


def masked_url(url: str) -> str:
    """``url`` fit to show: its password, and the value of any query parameter named like
    a credential (``password``, ``passwd``, ``secret``, ``token``, ...), as ``***``. A URL
    with nothing to hide is returned as it is."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # not a SQLAlchemy URL (or a bad port): by pattern
        return _QUERY_PARAM.sub(_masked_param, _USERINFO_PASSWORD.sub(r"\1***@", url))
    hidden = {k: "***" for k in parsed.query if _SECRET_KEY.search(k)}
    if parsed.password is None and not hidden:
        return url
    shown = parsed.update_query_dict(hidden).render_as_string(hide_password=True)
    return shown.replace("=%2A%2A%2A", "=***")  # the query's value, URL-encoded


def _masked_param(found: re.Match[str]) -> str:
    sep, key, value = found.groups()
    return f"{sep}{key}={'***' if _SECRET_KEY.search(key) else value}"


def get_engine(url: str) -> Engine:
    """One engine per URL per process, created on first use."""
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            if url.startswith("sqlite:///"):
                db_path = Path(url.removeprefix("sqlite:///"))
                db_path.parent.mkdir(parents=True, exist_ok=True)
                _refuse_network_filesystem(db_path)
                engine = create_engine(url, connect_args={"check_same_thread": False})
                _configure_sqlite(engine)
            else:
                engine = create_engine(url, pool_pre_ping=True)
            _engines[url] = engine
        return engine


def migrate(url: str) -> None:
    """Bring the state DB at ``url`` to the newest schema (idempotent; threads of one
    process take turns, since alembic's migration context is process-global). alembic is
    imported here, not with this module: a process that only reads and writes rows (a job
    step's kernel publishing an output) never pays for it."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = get_engine(url)
    with _migrate_lock:
        command.upgrade(config, "head")


def _factory(url: str, read_only: bool) -> sessionmaker[Session]:
    factory = _factories.get((url, read_only))
    if factory is None:
        engine = get_engine(url)
        bind = engine.execution_options(**{_READ_ONLY: True}) if read_only else engine
        factory = _factories.setdefault(
            (url, read_only), sessionmaker(bind=bind, expire_on_commit=False)
        )
    return factory


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A transaction: committed when the block ends, rolled back if it raises. On SQLite it
    begins IMMEDIATE: it holds the write lock from its first statement."""
    with _in_range(), _factory(url, read_only=False).begin() as session:
        yield session


@contextmanager
def read_scope(url: str) -> Iterator[Session]:
    """A read-only transaction: one consistent snapshot for all its queries, ended when the
    block ends. On SQLite it begins DEFERRED and takes no write lock, so readers run beside
    each other and beside a writer (WAL); nothing it writes is kept."""
    with _in_range(), _factory(url, read_only=True)() as session:  # closing it rolls back
        yield session


# PostgreSQL's code for a number its column type cannot hold (an INTEGER id past 2**31 - 1)
_OUT_OF_RANGE = "22003"


@contextmanager
def _in_range() -> Iterator[None]:
    """A number the state DB's column cannot hold is the request's fault, not the server's:
    an Invalid naming it. The API bounds integers at 64 bits (``contract.py``); SQLite
    holds them all, PostgreSQL's INTEGER columns (most ids) only up to 2**31 - 1, so an
    id past that names nothing and is refused before anything is written."""
    try:
        yield
    except DataError as exc:
        if getattr(exc.orig, "sqlstate", None) != _OUT_OF_RANGE:
            raise
        raise Invalid(
            "a number in this request is beyond what the state DB can hold "
            "(an id is at most 2147483647 on PostgreSQL): no such row exists"
        ) from None
