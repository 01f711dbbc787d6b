"""Answers of read-only queries, kept while nothing they read has changed.

A panel polls the same page again and again (the runs table, a dataset's versions), and
most polls find nothing new. SQLite counts the commits made to a database file by every
other connection, in any process: ``PRAGMA data_version`` on a connection of our own, which
never writes, changes whenever a kernel, a job or this server commits. An answer is kept
under those counts for the databases it read (with the file's identity, so a database
replaced by a new file is seen), and served again only while they are all unchanged. A
write that lands while an answer is computed changes the count the next request reads, so
no answer outlives the data it showed by more than that one request.

A database whose changes cannot be seen this cheaply (PostgreSQL, a file-based MLflow
store) is never cached: its answers are computed every time. Only answers that depend on
nothing but the databases belong here (and on content-addressed objects, which never
change: what was read from them, verified, is still their content): no wall-clock ages, no
files that can change. Routes that serve an object's bytes verify them on every read and
are not cached.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

from sqlalchemy.engine import make_url

# At most this much answer text is kept per process; an answer larger than an eighth of it
# is computed every time (a 100-run page is about 40 kB).
DEFAULT_MAX_BYTES = 32 * 1024 * 1024

Stamp = tuple[int, int, int]  # (device, inode, data_version) of one database file


class _ChangeCounter:
    """A read-only connection to one SQLite file, kept to read its ``data_version``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None

    def stamp(self) -> Stamp | None:
        """The file's identity and commit count now; None when it does not exist."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return None
        identity = (stat.st_dev, stat.st_ino)
        with self._lock:
            try:
                if self._connection is None or identity != self._identity:
                    self._reopen(identity)
                assert self._connection is not None
                (version,) = self._connection.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:  # unreadable here: answers are computed, never kept
                self._connection = None
                return None
        return (*identity, int(version))

    def _reopen(self, identity: tuple[int, int]) -> None:
        if self._connection is not None:
            self._connection.close()
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        self._connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._identity = identity


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite database URL; None for any other database or an in-memory one."""
    try:
        parsed = make_url(url)
    except Exception:  # not a SQLAlchemy URL (a file-based MLflow store's directory)
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


class ReadCache:
    """Answers (bytes) by key, each valid while the databases it read are unchanged;
    ``max_bytes=0`` keeps none (every answer is computed)."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._answers: OrderedDict[Hashable, tuple[tuple[Stamp, ...], bytes]] = OrderedDict()
        self._size = 0
        self._counters: dict[str, _ChangeCounter | None] = {}

    def answer(
        self, key: Hashable, databases: Sequence[str], compute: Callable[[], bytes]
    ) -> bytes:
        """The answer kept for ``key`` if every database in ``databases`` (URLs) is as it was
        when it was computed; else ``compute()``, kept for next time. An exception from
        ``compute`` is raised and nothing is kept."""
        stamps = self._stamps(databases) if self.max_bytes else None
        if stamps is None:
            return compute()
        with self._lock:
            kept = self._answers.get(key)
            if kept is not None and kept[0] == stamps:
                self._answers.move_to_end(key)
                return kept[1]
        body = compute()
        self._keep(key, stamps, body)
        return body

    def _stamps(self, databases: Sequence[str]) -> tuple[Stamp, ...] | None:
        stamps = []
        for url in databases:
            counter = self._counter(url)
            stamp = counter.stamp() if counter is not None else None
            if stamp is None:
                return None
            stamps.append(stamp)
        return tuple(stamps)

    def _counter(self, url: str) -> _ChangeCounter | None:
        with self._lock:
            if url not in self._counters:
                path = sqlite_path(url)
                self._counters[url] = _ChangeCounter(path) if path is not None else None
            return self._counters[url]

    def _keep(self, key: Hashable, stamps: tuple[Stamp, ...], body: bytes) -> None:
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
            old = self._answers.pop(key, None)
            if old is not None:
                self._size -= len(old[1])
            self._answers[key] = (stamps, body)
            self._size += len(body)
            while self._size > self.max_bytes:
                _, (_, evicted) = self._answers.popitem(last=False)
                self._size -= len(evicted)
