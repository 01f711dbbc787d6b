"""The workspace's content-addressed object store: BLAKE3 digest → bytes.

Writes are atomic and durable on a local folder: bytes go to a temporary file in the
object's own directory, are fsynced, renamed onto their final name, and the directory is
fsynced; the object is then made read-only. A crash mid-write leaves at most a temporary
file, never an object under its final id. Reads verify the digest as they stream, so
corrupted bytes raise ``Corrupt`` instead of reaching the caller.

Any fsspec URL (``s3://bucket/prefix``) works too: the digest is computed locally while
the bytes stream, then the object is uploaded under its final key in one PUT (object
stores have no rename, but a PUT is atomic).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import blake3

from .errors import Corrupt, Invalid, NotFound

DIGEST = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1 << 20  # 1 MiB


def check_digest(digest: str) -> str:
    """Refuse anything that is not a full lowercase hex BLAKE3 digest."""
    if not isinstance(digest, str) or not DIGEST.fullmatch(digest):
        raise Invalid(f"{digest!r} is not an object id (expected 64 hexadecimal digits)")
    return digest


def hash_file(path: str | os.PathLike[str]) -> str:
    """BLAKE3 of a file, multithreaded for large files."""
    hasher = blake3.blake3(max_threads=blake3.blake3.AUTO)
    hasher.update_mmap(str(path))
    return hasher.hexdigest()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ObjectStore:
    """Content-addressed blobs under ``url`` (a local folder or an fsspec URL)."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._local = "://" not in url or url.startswith("file://")
        self.root = Path(url.removeprefix("file://")).resolve() if self._local else None
        self._fs: Any = None

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
    def put_chunks(self, chunks: Iterable[bytes]) -> tuple[str, int]:
        """Store streamed bytes; returns (digest, size). Storing known bytes again is a no-op."""
        staging_dir = self.root if self._local else None
        if staging_dir is not None:
            staging_dir.mkdir(parents=True, exist_ok=True)
        hasher = blake3.blake3()
        size = 0
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=staging_dir)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    hasher.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            digest = hasher.hexdigest()
            self._publish(tmp, digest)
        finally:
            tmp.unlink(missing_ok=True)
        return digest, size

    def put_file(self, path: str | os.PathLike[str]) -> tuple[str, int]:
        """Store a file's bytes (streamed; never read whole into memory)."""
        with open(path, "rb") as fh:
            return self.put_chunks(iter(lambda: fh.read(CHUNK), b""))

    def put_bytes(self, data: bytes) -> str:
        """Store small bytes; returns the digest."""
        return self.put_chunks([data])[0]

    def _publish(self, tmp: Path, digest: str) -> None:
        if not self._local:
            if not self.fs.exists(self._key(digest)):
                self.fs.put_file(str(tmp), self._key(digest))
            return
        final = self.path(digest)
        if final.exists():
            return  # same content already stored: content addressing makes this a no-op
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, 0o444)
        os.replace(tmp, final)  # atomic: the temp file sits in the same store root
        _fsync_dir(final.parent)

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

    def read_bytes(self, digest: str) -> bytes:
        """An object's bytes, verified before they are returned."""
        return b"".join(self.iter_verified(digest))

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
