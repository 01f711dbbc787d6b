"""The read cache: an answer is served again only while every database it read is unchanged,
whoever changed it (this process, another process, a new file in its place)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from jupyter_mlops import db
from jupyter_mlops.read_cache import ReadCache, sqlite_path


def counter_db(path: Path, journal: str = "WAL") -> str:
    """A SQLite file with one counter row, in WAL like the state DB; its URL."""
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA journal_mode={journal}")
        conn.execute("CREATE TABLE counter (n INTEGER)")
        conn.execute("INSERT INTO counter VALUES (0)")
    return f"sqlite:///{path}"


def reader(path: Path) -> tuple[Callable[[], bytes], list[int]]:
    """A compute function reading the counter, and the list of values it computed."""
    computed: list[int] = []

    def compute() -> bytes:
        with sqlite3.connect(path) as conn:
            (n,) = conn.execute("SELECT n FROM counter").fetchone()
        computed.append(n)
        return str(n).encode()

    return compute, computed


def bump(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE counter SET n = n + 1")


def test_unchanged_database_is_answered_from_the_cache(tmp_path: Path) -> None:
    url = counter_db(tmp_path / "a.db")
    compute, computed = reader(tmp_path / "a.db")
    cache = ReadCache()
    assert [cache.answer("k", [url], compute) for _ in range(5)] == [b"0"] * 5
    assert computed == [0]
    assert cache.answer("other key", [url], compute) == b"0"
    assert computed == [0, 0]


def test_a_commit_from_this_process_is_seen(tmp_path: Path) -> None:
    url = counter_db(tmp_path / "a.db")
    compute, computed = reader(tmp_path / "a.db")
    cache = ReadCache()
    assert cache.answer("k", [url], compute) == b"0"
    with db.get_engine(url).begin() as conn:  # the server's own pool
        conn.execute(text("UPDATE counter SET n = 41"))
    assert cache.answer("k", [url], compute) == b"41"
    assert cache.answer("k", [url], compute) == b"41"
    assert computed == [0, 41]


def test_a_commit_from_another_process_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    url = counter_db(path)
    compute, _ = reader(path)
    cache = ReadCache()
    assert cache.answer("k", [url], compute) == b"0"
    script = f"import sqlite3\nwith sqlite3.connect({str(path)!r}) as c:\n"
    script += "    c.execute('UPDATE counter SET n = 7')\n"
    subprocess.run([sys.executable, "-c", script], check=True)
    assert cache.answer("k", [url], compute) == b"7"


def test_any_of_several_databases_changing_is_seen(tmp_path: Path) -> None:
    a, b = counter_db(tmp_path / "a.db"), counter_db(tmp_path / "b.db")
    compute, computed = reader(tmp_path / "a.db")
    cache = ReadCache()
    cache.answer("k", [a, b], compute)
    bump(tmp_path / "b.db")
    cache.answer("k", [a, b], compute)
    cache.answer("k", [a, b], compute)
    assert computed == [0, 0]


def test_a_database_replaced_by_a_new_file_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    url = counter_db(path, journal="DELETE")  # a WAL file cannot be swapped under its -wal
    compute, computed = reader(path)
    cache = ReadCache()
    assert cache.answer("k", [url], compute) == b"0"
    replacement = tmp_path / "new.db"
    counter_db(replacement, journal="DELETE")
    with sqlite3.connect(replacement) as conn:
        conn.execute("UPDATE counter SET n = 5")
    os.replace(replacement, path)
    assert cache.answer("k", [url], compute) == b"5"
    assert computed == [0, 5]


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://mlops@localhost/mlops",  # its changes are not seen cheaply
        "sqlite:///:memory:",
        "file:///tmp/mlruns",  # a file-based MLflow store
        "sqlite:///{tmp}/missing.db",
    ],
)
def test_databases_whose_changes_cannot_be_seen_are_never_cached(tmp_path: Path, url: str) -> None:
    cache = ReadCache()
    computed: list[int] = []

    def compute() -> bytes:
        computed.append(1)
        return b"x"

    answers = [cache.answer("k", [url.format(tmp=tmp_path)], compute) for _ in range(3)]
    assert answers == [b"x"] * 3
    assert len(computed) == 3


def test_a_cache_of_no_bytes_computes_every_answer(tmp_path: Path) -> None:
    """``MlopsApp.cache_reads = False``: the server's cache keeps nothing."""
    url = counter_db(tmp_path / "a.db")
    compute, computed = reader(tmp_path / "a.db")
    cache = ReadCache(max_bytes=0)
    assert [cache.answer("k", [url], compute) for _ in range(3)] == [b"0"] * 3
    assert computed == [0, 0, 0]


def test_sqlite_path() -> None:
    assert sqlite_path("sqlite:////srv/x/state.db") == Path("/srv/x/state.db")
    assert sqlite_path("sqlite:///rel/state.db") == Path("rel/state.db")
    assert sqlite_path("postgresql://u@h/db") is None
    assert sqlite_path("/a/directory") is None


def test_a_failed_answer_is_not_kept(tmp_path: Path) -> None:
    url = counter_db(tmp_path / "a.db")
    cache = ReadCache()

    def fail() -> bytes:
        raise LookupError("no such run")

    with pytest.raises(LookupError):
        cache.answer("k", [url], fail)
    assert cache.answer("k", [url], lambda: b"found") == b"found"


def test_answers_are_bounded_by_size(tmp_path: Path) -> None:
    url = counter_db(tmp_path / "a.db")
    cache = ReadCache(max_bytes=800)  # answers of at most 100 bytes are kept
    computed: list[str] = []

    def answer(key: str, size: int) -> bytes:
        def compute() -> bytes:
            computed.append(key)
            return b"x" * size

        return cache.answer(key, [url], compute)

    answer("big", 101)
    answer("big", 101)
    assert computed == ["big", "big"]  # too large to keep
    for i in range(8):
        answer(f"k{i}", 100)
    answer("k0", 100)  # the oldest, still kept: 800 bytes in all
    answer("k8", 100)  # evicts the least recently used: k1
    answer("k1", 100)
    assert computed[2:] == [f"k{i}" for i in range(9)] + ["k1"]


def test_never_an_answer_older_than_a_finished_commit(tmp_path: Path) -> None:
    """Readers in threads while a writer commits: every answer read after a commit has
    finished shows that commit or a later one."""
    path = tmp_path / "a.db"
    url = counter_db(path)
    compute, _ = reader(path)
    cache = ReadCache()
    committed = 0
    stop = threading.Event()
    stale: list[tuple[int, int]] = []

    def poll() -> None:
        while not stop.is_set():
            floor = committed
            seen = int(cache.answer("k", [url], compute))
            if seen < floor:
                stale.append((seen, floor))

    threads = [threading.Thread(target=poll) for _ in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(200):
        bump(path)
        committed += 1
    stop.set()
    for thread in threads:
        thread.join()
    assert stale == []
    assert cache.answer("k", [url], compute) == b"200"
