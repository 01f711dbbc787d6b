"""The online store: each materialized view's latest values per entity, in one table.

SQLite in the workspace by default (``online_store_url``), PostgreSQL by URL for a team.
A meta table names each view's current table, its columns, ttl and watermark. Writes are
one transaction each: a full materialization creates a new table, fills it, points the meta
row at it and drops the old one; an incremental one upserts newer rows. A reader reads the
meta row and the values inside one read transaction, so it sees the previous
materialization or the new one, never a mix; a writer killed halfway leaves the previous
one in place (the transaction never committed).

Lookups are one indexed query per view for a whole batch of entities (``IN`` over the
primary key), on a connection kept per thread: no ORM on this path.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from ..errors import Invalid
from .join import quote

META = "mlops_online_views"
_READ_ATTEMPTS = 5
_SQL_TYPES = {
    "sqlite": {"Int32": "INTEGER", "Int64": "INTEGER", "Float32": "REAL", "Float64": "REAL",
               "String": "TEXT", "Bool": "INTEGER", "UnixTimestamp": "INTEGER"},
    "postgresql": {"Int32": "BIGINT", "Int64": "BIGINT", "Float32": "DOUBLE PRECISION",
                   "Float64": "DOUBLE PRECISION", "String": "TEXT", "Bool": "BOOLEAN",
                   "UnixTimestamp": "BIGINT"},
}  # fmt: skip


@dataclass(frozen=True)
class TableMeta:
    """What the online table of one view holds."""

    view: str
    view_version: int
    table: str
    keys: list[tuple[str, str]]  # (join key, Feast type)
    features: list[tuple[str, str]]
    ttl_ns: int | None
    watermark_ns: int | None
    materialized_ns: int

    def dumps(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @staticmethod
    def loads(text: str) -> TableMeta:
        data = json.loads(text)
        data["keys"] = [tuple(k) for k in data["keys"]]
        data["features"] = [tuple(f) for f in data["features"]]
        return TableMeta(**data)


def _dropped(exc: BaseException) -> bool:
    """Whether ``exc`` says a table read was dropped meanwhile (PostgreSQL's 42P01)."""
    return getattr(exc, "sqlstate", None) == "42P01"


def project(meta: TableMeta, key_names: list[str]) -> list[int] | None:
    """Where each of the view's join keys sits in tuples of ``key_names`` (None: one of
    them is not there)."""
    try:
        return [key_names.index(name) for name, _ in meta.keys]
    except ValueError:
        return None


def table_name(view: str, generation: int) -> str:
    """A table name within PostgreSQL's 63 characters, unique per view and generation."""
    digest = hashlib.blake2s(view.encode(), digest_size=4).hexdigest()
    return f"fv_{view[:36]}_{digest}_{generation}"


class OnlineStore:
    """One online store (SQLite file or PostgreSQL database)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
        if self.dialect == "sqlite" and not url.startswith("sqlite:///"):
            raise Invalid(f"online store URL must be sqlite:///PATH or postgresql://…, not {url!r}")
        self.mark = "%s" if self.dialect == "postgresql" else "?"
        self._local = threading.local()
        self._sql: dict[tuple[Any, ...], str] = {}
        self._metas: dict[str, TableMeta] = {}

    # -- connections -------------------------------------------------------------------
    def _connect(self) -> Any:
        if self.dialect == "sqlite":
            from pathlib import Path

            path = Path(self.url.removeprefix("sqlite:///"))
            path.parent.mkdir(parents=True, exist_ok=True)
            conn: Any = sqlite3.connect(
                path, timeout=30, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        else:
            import psycopg

            conn = psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://"))
            conn.autocommit = True
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {META} (view TEXT PRIMARY KEY, meta TEXT NOT NULL)"
        )
        return conn

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    @contextmanager
    def transaction(self, write: bool) -> Iterator[Any]:
        """A transaction: IMMEDIATE for a writer on SQLite, REPEATABLE READ for a reader on
        PostgreSQL (the meta row and the values from one snapshot)."""
        conn = self._conn()
        if self.dialect == "sqlite":
            begin = "BEGIN IMMEDIATE" if write else "BEGIN"
        else:
            begin = "BEGIN" if write else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        conn.execute(begin)
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- meta --------------------------------------------------------------------------
    def meta(self, conn: Any, view: str) -> TableMeta | None:
        row = conn.execute(f"SELECT meta FROM {META} WHERE view = {self.mark}", (view,)).fetchone()
        if row is None:
            return None
        parsed = self._metas.get(row[0])
        if parsed is None:  # the same text parses to the same meta: parse it once
            if len(self._metas) > 512:
                self._metas.clear()
            parsed = self._metas[row[0]] = TableMeta.loads(row[0])
        return parsed

    def _set_meta(self, conn: Any, meta: TableMeta) -> None:
        conn.execute(f"DELETE FROM {META} WHERE view = {self.mark}", (meta.view,))
        conn.execute(
            f"INSERT INTO {META} VALUES ({self.mark}, {self.mark})", (meta.view, meta.dumps())
        )

    # -- writing -----------------------------------------------------------------------
    def replace(self, meta: TableMeta, rows: Sequence[tuple[Any, ...]]) -> TableMeta:
        """A full materialization: a new table with ``rows`` (keys, ``__ets``, features)
        becomes the view's table, atomically; the old one is dropped."""
        with self.transaction(write=True) as conn:
            self._lock(conn, meta.view)
            old = self.meta(conn, meta.view)
            generation = int(old.table.rsplit("_", 1)[1]) + 1 if old else 1
            meta = TableMeta(**{**asdict(meta), "table": table_name(meta.view, generation)})
            self._create(conn, meta)
            self._insert(conn, meta, rows, upsert=False)
            self._set_meta(conn, meta)
            if old is not None:
                conn.execute(f"DROP TABLE IF EXISTS {quote(old.table)}")
        return meta

    def upsert(self, meta: TableMeta, rows: Sequence[tuple[Any, ...]]) -> TableMeta:
        """An incremental materialization: rows newer than the stored ones replace them."""
        with self.transaction(write=True) as conn:
            self._lock(conn, meta.view)
            old = self.meta(conn, meta.view)
            if old is None or old.keys != meta.keys or old.features != meta.features:
                raise Invalid(
                    f"view {meta.view!r} has no online table of this shape yet: "
                    "materialize it in full first"
                )
            meta = TableMeta(**{**asdict(meta), "table": old.table})
            self._insert(conn, meta, rows, upsert=True)
            self._set_meta(conn, meta)
        return meta

    def _lock(self, conn: Any, view: str) -> None:
        """Serialize writers of one view (SQLite's IMMEDIATE transaction already does):
        two materializations at once run one after the other, never both half."""
        if self.dialect == "postgresql":
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{META}:{view}",))

    def _create(self, conn: Any, meta: TableMeta) -> None:
        types = _SQL_TYPES[self.dialect]
        cols = [f"{quote(n)} {types[t]} NOT NULL" for n, t in meta.keys]
        cols.append(f"__ets {types['Int64']} NOT NULL")
        cols += [f"{quote(n)} {types[t]}" for n, t in meta.features]
        pk = ", ".join(quote(n) for n, _ in meta.keys)
        conn.execute(f"CREATE TABLE {quote(meta.table)} ({', '.join(cols)}, PRIMARY KEY ({pk}))")

    def _insert(
        self, conn: Any, meta: TableMeta, rows: Sequence[tuple[Any, ...]], upsert: bool
    ) -> None:
        names = [n for n, _ in meta.keys] + ["__ets"] + [n for n, _ in meta.features]
        marks = ", ".join([self.mark] * len(names))
        sql = f"INSERT INTO {quote(meta.table)} ({', '.join(map(quote, names))}) VALUES ({marks})"
        if upsert:
            keys = ", ".join(quote(n) for n, _ in meta.keys)
            sets = ", ".join(f"{quote(n)} = excluded.{quote(n)}" for n in names[len(meta.keys) :])
            table = quote(meta.table)
            sql += (
                f" ON CONFLICT ({keys}) DO UPDATE SET {sets} WHERE excluded.__ets >= {table}.__ets"
            )
        if self.dialect == "sqlite":
            conn.executemany(sql, rows)
        else:
            with conn.cursor() as cur:
                cur.executemany(sql, rows)

    # -- reading -----------------------------------------------------------------------
    def read(
        self, views: list[str], key_names: list[str], keys: list[tuple[Any, ...]]
    ) -> dict[str, tuple[TableMeta | None, dict[tuple[Any, ...], tuple[Any, ...]]]]:
        """Each view's meta and its rows for ``keys`` (tuples of the values of
        ``key_names``; each view reads its own join keys among them): the view's key tuple
        → (__ets, features…), all from one snapshot."""
        for attempt in range(_READ_ATTEMPTS):
            found: dict[str, tuple[TableMeta | None, dict[tuple[Any, ...], tuple[Any, ...]]]] = {}
            try:
                with self.transaction(write=False) as conn:
                    for view in views:
                        meta = self.meta(conn, view)
                        rows = {} if meta is None else self._rows(conn, meta, key_names, keys)
                        found[view] = (meta, rows)
                return found
            except Exception as exc:
                # PostgreSQL: a materialization committed between our meta row and its
                # table and dropped the table (catalog lookups are not snapshot-bound);
                # reading again sees the new meta row.
                if not _dropped(exc) or attempt == _READ_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def _rows(
        self, conn: Any, meta: TableMeta, key_names: list[str], keys: list[tuple[Any, ...]]
    ) -> dict[tuple[Any, ...], tuple[Any, ...]]:
        index = project(meta, key_names)
        if index is None:
            return {}
        unique = list(dict.fromkeys(tuple(k[i] for i in index) for k in keys))
        width = len(index)
        sql = self._select_sql(meta, len(unique))
        params = [v for k in unique for v in k]
        return {tuple(r[:width]): tuple(r[width:]) for r in conn.execute(sql, params).fetchall()}

    def _select_sql(self, meta: TableMeta, count: int) -> str:
        """The batch lookup of ``count`` entities, built once per table, columns and count."""
        cache_key = (meta.table, tuple(meta.keys), tuple(meta.features), count)
        found = self._sql.get(cache_key)
        if found is not None:
            return found
        key_cols = ", ".join(quote(n) for n, _ in meta.keys)
        values = ", ".join(["__ets", *(quote(n) for n, _ in meta.features)])
        if len(meta.keys) == 1:
            where = f"{key_cols} IN ({', '.join([self.mark] * count)})"
        else:
            one = "(" + ", ".join([self.mark] * len(meta.keys)) + ")"
            where = f"({key_cols}) IN (VALUES {', '.join([one] * count)})"
        found = f"SELECT {key_cols}, {values} FROM {quote(meta.table)} WHERE {where}"
        if len(self._sql) > 512:
            self._sql.clear()
        self._sql[cache_key] = found
        return found


_stores: dict[str, OnlineStore] = {}
_stores_lock = threading.Lock()


def online_store_of(url: str) -> OnlineStore:
    """The online store at ``url``: one per URL and process (its connections per thread)."""
    with _stores_lock:
        found = _stores.get(url)
        if found is None:
            found = _stores[url] = OnlineStore(url)
        return found
