"""The workspace's content-addressed object store: BLAKE3 digest → bytes.

Writes are atomic and durable on a local folder: bytes go to a temporary file in the
store's root, are fsynced, renamed onto their final name, and the directory is fsynced;
the object is then read-only. A crash mid-write leaves at most a temporary file, never an
object under its final id. The id is always the hash of the staged bytes themselves, taken
after they are written, so an object's bytes match its id. Reads verify the digest as they
stream, so corrupted bytes raise ``Corrupt`` instead of reaching the caller; a reader that
opens the file itself (``read_verified``) gets it only while its stat stamp is one whose
bytes were verified, so an unchanged object is hashed once, not on every read.

Storing a local file reads it once: the kernel copies it into the staging file
(``copy_file_range``: a reflink on filesystems that have them), and the copy is hashed
(BLAKE3 on every core, over a memory map) while it is fsynced, so the id is the hash of the
staged bytes themselves. A file that changed while it was copied is refused: its stat
stamp moved, or, for a file changed too recently for its timestamps to tell (``RACY_NS``),
its bytes read again no longer hash to the copy's. Content the store already has is not
published twice (its staging copy is dropped); a file stored before and changed since, often
rewritten with the same bytes, is hashed first and copied only if new. A small state cache
(``FileHashes``)
remembers the digest of files already stored by (path, inode, size, mtime, ctime), as DVC
does, so saving an unchanged file again reads none of its bytes.

Any fsspec URL (``s3://bucket/prefix``) works too: the digest is computed locally while
the bytes stream, then the object is uploaded under its final key in one PUT (object
stores have no rename, but a PUT is atomic).
"""

from __future__ import annotations

import errno
import io
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any, TypeVar

import blake3

from .errors import Conflict, Corrupt, Invalid, NotFound
from .progress import Progress

T = TypeVar("T")
DIGEST = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1 << 20  # 1 MiB
COPY_CHUNK = 1 << 24  # 16 MiB per copy_file_range call (a progress report each)
READ_BLOCK = 1 << 24  # 16 MiB: large enough for BLAKE3 to hash on every core
HASHES_FILE = ".file-hashes.sqlite"
# A file changed less than this before it was looked at may change again without its
# timestamps moving (they tick coarsely: a few ms on Linux, 1–2 s on some filesystems), so
# its digest is not remembered; git calls such entries "racily clean".
RACY_NS = 2_000_000_000
# copy_file_range cannot copy between these two files: copy through a buffer instead
_NO_KERNEL_COPY = (errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL)

log = logging.getLogger(__name__)


def check_digest(digest: str) -> str:
    """Refuse anything that is not a full lowercase hex BLAKE3 digest."""
    if not isinstance(digest, str) or not DIGEST.fullmatch(digest):
        raise Invalid(f"{digest!r} is not an object id (expected 64 hexadecimal digits)")
    return digest


def hash_file(path: str | os.PathLike[str]) -> str:
    """BLAKE3 of a file, multithreaded over a memory map: for the store's own files only
    (a file truncated by someone else while it is mapped kills the process with SIGBUS)."""
    hasher = blake3.blake3(max_threads=blake3.blake3.AUTO)
    hasher.update_mmap(str(path))
    return hasher.hexdigest()


def hash_by_reading(
    path: str | os.PathLike[str], *, progress: Progress | None = None, size: int = 0
) -> str:
    """BLAKE3 of a file read in large blocks, each hashed multithreaded: for files that are
    not the store's, which may change while they are read (about half the speed of
    ``hash_file``, still faster than a disk). ``progress`` hears the bytes read of
    ``size``."""
    hasher = blake3.blake3(max_threads=blake3.blake3.AUTO)
    buffer = bytearray(READ_BLOCK)
    view = memoryview(buffer)
    done, label = 0, f"hashing {Path(path).name}"
    with open(path, "rb", buffering=0) as fh:
        while n := fh.readinto(buffer):
            hasher.update(view[:n])
            done += n
            if progress is not None:
                progress(done, max(size, done), label)
    return hasher.hexdigest()


def fsync_dir(directory: Path) -> None:
    """Make ``directory``'s entries durable (a file renamed into it, say)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_fd(fd: int) -> None:
    """fsync an open file descriptor, then close it."""
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_unchanged(source: Path, before: os.stat_result) -> None:
    """Raise ``Conflict`` if ``source``'s stat stamp moved since ``before``."""
    if _stamp(os.stat(source)) != _stamp(before):
        raise Conflict(f"{source} changed while it was being stored: store it again")


def fsync_file(path: Path) -> None:
    """Make ``path``'s bytes durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_file(source: Path, dest: Path, progress: Progress | None = None, size: int = 0) -> None:
    """Copy ``source`` over ``dest`` in the kernel (no bytes through Python); ``progress``
    hears the bytes copied of ``size``."""
    label = f"copying {source.name}"
    with open(source, "rb") as src, open(dest, "wb") as out:
        copied = 0
        try:
            while n := os.copy_file_range(src.fileno(), out.fileno(), COPY_CHUNK):
                copied += n
                if progress is not None:
                    progress(copied, max(size, copied), label)
        except OSError as exc:
            if copied or exc.errno not in _NO_KERNEL_COPY:
                raise
            shutil.copyfileobj(src, out, 8 * CHUNK)
            if progress is not None:
                progress(size, size, label)


def _counted(chunks: Iterator[bytes], progress: Progress, size: int, label: str) -> Iterator[bytes]:
    """``chunks``, telling ``progress`` the bytes passed on so far (of ``size``)."""
    done = 0
    for chunk in chunks:
        done += len(chunk)
        progress(done, max(size, done), label)
        yield chunk


def _stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    """What identifies one state of a file's bytes: (inode, size, mtime, ctime)."""
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _settled(st: os.stat_result, seen_ns: int) -> bool:
    """Whether ``st``, looked at at ``seen_ns``, was last changed more than ``RACY_NS``
    before: only then does any later write to the file move its stamp."""
    return max(st.st_mtime_ns, st.st_ctime_ns) <= seen_ns - RACY_NS


class FileHashes:
    """Digests of local files already stored, keyed by (path, inode, size, mtime, ctime).

    An entry is used only while all five still match, and is written only for a file whose
    timestamps are older than ``RACY_NS`` when it was looked at: any later write to the file
    moves its ctime (which no program can set back) past the remembered one, so a changed
    file is always hashed again. The cache is a SQLite file: concurrent writers are
    serialized by SQLite's locks, and any failure to use it only means hashing again.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        if not self._ready:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS file_hashes (path TEXT PRIMARY KEY, inode INTEGER,"
                " size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, digest TEXT)"
            )
            self._ready = True
        return conn

    def get(self, path: Path, st: os.stat_result) -> str | None:
        """The remembered digest of ``path`` if it is unchanged since, else None."""
        return self.lookup(path, st)[0]

    def lookup(self, path: Path, st: os.stat_result) -> tuple[str | None, bool]:
        """``get``, and whether ``path`` has an entry at all (stored before, maybe changed
        since)."""
        try:
            conn = self._connect()
            try:
                row = conn.execute(
                    "SELECT inode, size, mtime_ns, ctime_ns, digest FROM file_hashes"
                    " WHERE path = ?",
                    (str(path),),
                ).fetchone()
            finally:
                conn.close()
        except (sqlite3.Error, OSError) as exc:
            log.warning("file hash cache %s unreadable (%s): hashing instead", self.path, exc)
            return None, False
        if row is None:
            return None, False
        if tuple(row[:4]) != _stamp(st) or not DIGEST.fullmatch(row[4]):
            return None, True
        return str(row[4]), True

    def put(self, path: Path, st: os.stat_result, digest: str, seen_ns: int) -> None:
        """Remember ``digest`` for ``path`` as ``st`` saw it at ``seen_ns`` (unless racy)."""
        if not _settled(st, seen_ns):
            return
        try:
            conn = self._connect()
            try:
                conn.execute(
                    "INSERT OR REPLACE INTO file_hashes VALUES (?, ?, ?, ?, ?, ?)",
                    (str(path), *_stamp(st), digest),
                )
            finally:
                conn.close()
        except (sqlite3.Error, OSError) as exc:
            log.warning("file hash cache %s not updated (%s)", self.path, exc)


class ObjectStore:
    """Content-addressed blobs under ``url`` (a local folder or an fsspec URL).

    ``file_hashes`` is where the state cache of stored files lives: by default inside a
    local store's root; a remote store has none unless one is given.
    """

    def __init__(self, url: str, file_hashes: str | os.PathLike[str] | None = None) -> None:
        self.url = url.rstrip("/")
        self._local = "://" not in url or url.startswith("file://")
        self.root = Path(url.removeprefix("file://")).resolve() if self._local else None
        self._fs: Any = None
        if file_hashes is not None:
            self.file_hashes: FileHashes | None = FileHashes(Path(file_hashes))
        else:
            self.file_hashes = FileHashes(self.root / HASHES_FILE) if self.root else None

    # -- locations -----------------------------------------------------------------
    def path(self, digest: str) -> Path:
        """Local path of an object (two-character fan-out), checked to stay in the store."""
        check_digest(digest)
        assert self.root is not None
        path = (self.root / digest[:2] / digest[2:]).resolve()
        if not path.is_relative_to(self.root):
            raise Invalid(f"object {digest} resolves outside the store")
        return path

    def _key(self, digest: str) -> str:
        check_digest(digest)
        return f"{self.url}/{digest[:2]}/{digest[2:]}"

    @property
    def fs(self) -> Any:
        if self._fs is None:
            import fsspec

            self._fs, _ = fsspec.core.url_to_fs(self.url)
        return self._fs

    # -- writing ---------------------------------------------------------------------
    def _staging_file(self) -> Path:
        """A new empty temporary file: in a local store's root (same filesystem as the
        objects, so publishing is a rename), in the system's temp folder otherwise."""
        if self.root is not None:
            self.root.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        os.close(fd)
        return Path(name)

    def put_chunks(self, chunks: Iterable[bytes]) -> tuple[str, int]:
        """Store streamed bytes; returns (digest, size). Storing known bytes again is a no-op."""
        hasher = blake3.blake3()
        size = 0
        tmp = self._staging_file()
        try:
            with open(tmp, "wb") as out:
                for chunk in chunks:
                    hasher.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
            digest = hasher.hexdigest()
            if not self.exists(digest):
                self._publish(tmp, digest)
        finally:
            tmp.unlink(missing_ok=True)
        return digest, size

    def put_staged(
        self, write: Callable[[Path], None], meanwhile: Callable[[], None] | None = None
    ) -> tuple[str, int]:
        """Store what ``write(path)`` writes into a fresh staging file; returns (digest,
        size). In a local store the file is written in place, so no copy is ever made; it
        is then hashed (from the page cache) while it is fsynced, and ``meanwhile()`` (work
        that needs the file no more) runs alongside both."""
        tmp = self._staging_file()
        pool = ThreadPoolExecutor(2)
        try:
            write(tmp)
            size = tmp.stat().st_size
            synced = pool.submit(_fsync_fd, os.open(tmp, os.O_RDONLY)) if self._local else None
            hashed = pool.submit(hash_file, tmp)
            if meanwhile is not None:
                meanwhile()
            digest = hashed.result()
            if not self.exists(digest):
                if synced is not None:
                    synced.result()
                self._publish(tmp, digest, synced=synced is not None)
        finally:
            pool.shutdown(wait=False)
            tmp.unlink(missing_ok=True)
        return digest, size

    def put_file(
        self, path: str | os.PathLike[str], *, progress: Progress | None = None
    ) -> tuple[str, int]:
        """Store a file's bytes (never read whole into memory); returns (digest, size).

        An unchanged file stored before is not read again (``FileHashes``); a new file is
        read once, copied and hashed (``_copy_in``). A file stored before and changed since
        (often rewritten with the same bytes, such as a regenerated export) is hashed first,
        and copied only if its content is new. Raises ``Conflict`` if the file changes
        while it is copied. ``progress`` hears the bytes hashed or copied (or read for an
        upload).
        """
        source = Path(path).resolve()
        seen_ns = time.time_ns()
        before = os.stat(source)
        cache = self.file_hashes
        digest, known = cache.lookup(source, before) if cache else (None, False)
        if digest is not None and self.exists(digest):
            if progress is not None:
                progress(before.st_size, before.st_size, f"{source.name} already stored")
            return digest, before.st_size
        if not self._local:
            with open(source, "rb") as fh:
                chunks = iter(lambda: fh.read(CHUNK), b"")
                if progress is not None:
                    chunks = _counted(chunks, progress, before.st_size, f"reading {source.name}")
                digest, size = self.put_chunks(chunks)
        else:
            digest = None
            if known:
                digest = hash_by_reading(source, progress=progress, size=before.st_size)
                digest = digest if self.exists(digest) else None
            if digest is None:
                digest = self._copy_in(source, before, seen_ns, progress)
            size = before.st_size
        if cache and _stamp(os.stat(source)) == _stamp(before):
            cache.put(source, before, digest, seen_ns)
        return digest, size

    def _copy_in(
        self,
        source: Path,
        before: os.stat_result,
        seen_ns: int,
        progress: Progress | None = None,
    ) -> str:
        """Copy a local file into the store in one read; returns its digest.

        The kernel copies the file into a staging file, which is then hashed while it is
        fsynced (the fsync is the floor; hashing from the page cache hides under it). The
        source's stat stamp must not have moved; a source changed within ``RACY_NS`` of
        ``seen_ns`` could change again without moving it, so its bytes are hashed once more
        (also while the copy is fsynced) and must match. Known content is not published
        again, and its fsync is not waited for."""
        tmp = self._staging_file()
        pool = ThreadPoolExecutor(1)
        try:
            _copy_file(source, tmp, progress, before.st_size)
            fd = os.open(tmp, os.O_RDONLY)
            synced = pool.submit(_fsync_fd, fd)
            digest = hash_file(tmp)
            _check_unchanged(source, before)
            if not _settled(before, seen_ns) and hash_by_reading(source) != digest:
                raise Conflict(f"{source} changed while it was being stored: store it again")
            if not self.exists(digest):
                synced.result()
                self._publish(tmp, digest, synced=True)
            return digest
        finally:
            pool.shutdown(wait=False)
            tmp.unlink(missing_ok=True)

    def put_bytes(self, data: bytes) -> str:
        """Store small bytes; returns the digest."""
        return self.put_chunks([data])[0]

    def _publish(self, tmp: Path, digest: str, synced: bool = False) -> None:
        """Move a staged file onto its final id (a no-op if the id exists): fsynced first
        (unless ``synced``), then renamed, then its folder fsynced; a remote store uploads
        it in one PUT instead."""
        if not self._local:
            if not self.fs.exists(self._key(digest)):
                self.fs.put_file(str(tmp), self._key(digest))
            return
        final = self.path(digest)
        if final.exists():
            return  # same content already stored: content addressing makes this a no-op
        if not synced:
            fsync_file(tmp)
        if not final.parent.is_dir():
            final.parent.mkdir(parents=True, exist_ok=True)
            fsync_dir(final.parent.parent)  # the new fan-out folder's entry is durable
        os.chmod(tmp, 0o444)
        os.replace(tmp, final)  # atomic: the temp file sits in the same store root
        fsync_dir(final.parent)

    # -- reading -------------------------------------------------------------------
    def exists(self, digest: str) -> bool:
        if self._local:
            return self.path(digest).is_file()
        return bool(self.fs.exists(self._key(digest)))

    def _open(self, digest: str) -> IO[bytes]:
        try:
            if self._local:
                return open(self.path(digest), "rb")
            return self.fs.open(self._key(digest), "rb")  # type: ignore[no-any-return]
        except FileNotFoundError as exc:
            raise NotFound(f"object {digest} is missing from the store") from exc

    def iter_verified(self, digest: str) -> Iterator[bytes]:
        """Stream an object's bytes; raises ``Corrupt`` at the end if they do not match."""
        hasher = blake3.blake3()
        with self._open(digest) as fh:
            while chunk := fh.read(CHUNK):
                hasher.update(chunk)
                yield chunk
        if hasher.hexdigest() != digest:
            raise Corrupt(f"object {digest} is corrupted: its bytes hash to {hasher.hexdigest()}")

    def size(self, digest: str) -> int:
        """An object's size in bytes."""
        try:
            return int(self.fs.size(self._key(digest)))
        except FileNotFoundError as exc:
            raise NotFound(f"object {digest} is missing from the store") from exc

    def read_bytes(self, digest: str) -> bytes:
        """An object's bytes, verified before they are returned."""
        return b"".join(self.iter_verified(digest))

    def verified_path(self, digest: str) -> Path:
        """The local file of an object, after checking that its bytes hash to its id (for
        readers such as DuckDB that open the file themselves; objects are read-only).

        A verification is remembered in the state cache (``FileHashes``) by the file's
        inode, size, mtime and ctime: reading an unchanged object again hashes nothing,
        and any write to it (which moves its ctime) makes the next read hash it again."""
        if not self._local:
            raise Invalid(f"object {digest} is not in a local store")
        path = self.path(digest)
        try:
            st = path.stat()
        except FileNotFoundError as exc:
            raise NotFound(f"object {digest} is missing from the store") from exc
        cache = self.file_hashes
        if cache is not None and cache.get(path, st) == digest:
            return path  # verified before, and no byte can have changed since (ctime)
        seen = time.time_ns()
        actual = hash_file(path)
        if actual != digest:
            raise Corrupt(f"object {digest} is corrupted: its bytes hash to {actual}")
        if cache is not None:
            cache.put(path, st, digest, seen)
        return path

    def read_verified(self, digest: str, read: Callable[[Any], T]) -> T:
        """``read(source)`` over an object's bytes, never over bytes that fail verification.

        In a local store ``source`` is the object's file when its stat stamp (inode, size,
        mtime, ctime) is settled (``RACY_NS``) and the same before and after the read, and
        the bytes under that stamp were verified (hashed now, or remembered in the state
        cache): no byte can have changed meanwhile without moving the ctime. So only the
        first read of an object hashes it, and a reader such as Parquet reads only what it
        needs. Otherwise (a stamp too recent to tell, an object changing, a remote store)
        ``source`` is a buffer of the bytes themselves, hashed as they were read."""
        if self._local:
            path = self.path(digest)
            for _ in range(2):  # a second try when the stamp moved during the read
                seen = time.time_ns()
                try:
                    st = path.stat()
                except FileNotFoundError as exc:
                    raise NotFound(f"object {digest} is missing from the store") from exc
                if not _settled(st, seen):
                    break
                cache = self.file_hashes
                if cache is None or cache.get(path, st) != digest:
                    actual = hash_file(path)
                    if actual != digest:
                        raise Corrupt(f"object {digest} is corrupted: its bytes hash to {actual}")
                    if cache is not None:
                        cache.put(path, st, digest, seen)
                try:
                    result = read(path)
                except Exception:
                    if _stamp(path.stat()) == _stamp(st):
                        raise  # the reader's own error, over verified bytes
                    continue  # bytes changed under the reader: verify them again
                if _stamp(path.stat()) == _stamp(st):
                    return result
        return read(io.BytesIO(self.read_bytes(digest)))

    def copy_to(self, digest: str, dest: str | os.PathLike[str]) -> Path:
        """Write a verified copy of an object to ``dest`` (removed again if corrupt)."""
        dest = Path(dest)
        try:
            with open(dest, "wb") as out:
                for chunk in self.iter_verified(digest):
                    out.write(chunk)
        except BaseException:
            dest.unlink(missing_ok=True)
            raise
        return dest

    def sweep_incoming(self, older_than: float = 3600.0) -> int:
        """Remove temporary files a crashed writer left behind; returns how many."""
        if self.root is None or not self.root.is_dir():
            return 0
        cutoff = time.time() - older_than
        removed = 0
        for tmp in self.root.glob(".incoming-*"):
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink(missing_ok=True)
                removed += 1
        return removed

    def verify_all(self) -> list[str]:
        """Re-hash every local object; returns the ids whose bytes do not match."""
        assert self.root is not None, "verify_all walks a local store"
        bad = []
        for path in self.root.glob("??/*"):
            if path.name.startswith("."):
                continue
            digest = path.parent.name + path.name
            if DIGEST.fullmatch(digest) and hash_file(path) != digest:
                bad.append(digest)
        return bad
