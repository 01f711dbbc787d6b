"""The content-addressed object store: atomic, deduplicated, verified on every read."""

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jupyter_mlops import objects
from jupyter_mlops.errors import Conflict, Corrupt, Invalid, NotFound
from jupyter_mlops.objects import ObjectStore, hash_file


@pytest.fixture
def store(tmp_path: Path) -> ObjectStore:
    return ObjectStore(str(tmp_path / "objects"))


def test_round_trip_dedupe_and_read_only(store: ObjectStore, tmp_path: Path) -> None:
    digest, size = store.put_chunks([b"abc", b"def"])
    assert size == 6
    assert store.read_bytes(digest) == b"abcdef"
    assert store.put_bytes(b"abcdef") == digest
    assert [p for p in store.root.rglob("*") if p.is_file()] == [store.path(digest)]
    assert not store.path(digest).stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    src = tmp_path / "data.bin"
    src.write_bytes(os.urandom(3 * 1024 * 1024 + 7))
    file_digest, _ = store.put_file(src)
    assert file_digest == hash_file(src)
    assert store.copy_to(file_digest, tmp_path / "back.bin").read_bytes() == src.read_bytes()


def test_corrupted_bytes_are_never_handed_out(store: ObjectStore, tmp_path: Path) -> None:
    digest = store.put_bytes(b"the real data")
    path = store.path(digest)
    path.chmod(0o644)
    path.write_bytes(b"the fake data")
    with pytest.raises(Corrupt, match=f"object {digest} is corrupted"):
        store.read_bytes(digest)
    with pytest.raises(Corrupt):
        store.copy_to(digest, tmp_path / "out.bin")
    assert not (tmp_path / "out.bin").exists()
    assert store.verify_all() == [digest]


@pytest.mark.parametrize(
    "digest", ["../../etc/passwd", "a" * 63, "A" * 64, "g" * 64, "", "a" * 64 + "/..", "\x00" * 64]
)
def test_bad_object_ids_are_refused(store: ObjectStore, digest: str) -> None:
    with pytest.raises(Invalid, match="is not an object id"):
        store.read_bytes(digest)


def test_missing_object_is_not_found(store: ObjectStore) -> None:
    with pytest.raises(NotFound, match="missing from the store"):
        store.read_bytes("0" * 64)


WRITER = """
import sys, time
from pathlib import Path
from jupyter_mlops.objects import ObjectStore

def chunks():
    for i in range(10_000):
        if i == 5:
            Path(sys.argv[2]).write_text("writing")
        yield bytes([i % 256]) * 65536
        time.sleep(0.01)

ObjectStore(sys.argv[1]).put_chunks(chunks())
"""


def test_sigkill_mid_write_leaves_no_object_and_the_rest_intact(
    store: ObjectStore, tmp_path: Path
) -> None:
    before = store.put_bytes(b"an earlier object")
    marker = tmp_path / "started"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(store.root), str(marker)])
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    objects = [p for p in store.root.glob("??/*") if not p.name.startswith(".")]
    assert objects == [store.path(before)]
    assert store.read_bytes(before) == b"an earlier object"
    assert store.verify_all() == []
    # What the killed writer left is a temporary file, swept once it is old enough.
    assert store.sweep_incoming(older_than=3600) == 0
    assert store.sweep_incoming(older_than=0) == 1
    assert [p.name for p in store.root.iterdir() if p.name.startswith(".")] == []


def test_any_fsspec_url(tmp_path: Path) -> None:
    remote = ObjectStore("memory://mlops-test/objects")
    digest = remote.put_bytes(b"to the cloud")
    assert remote.exists(digest)
    assert remote.read_bytes(digest) == b"to the cloud"
    assert remote.put_bytes(b"to the cloud") == digest


# -- storing local files fast: the state cache, no copy of known content, kernel copies --


@pytest.fixture
def short_racy_window(monkeypatch: pytest.MonkeyPatch) -> float:
    """Trust timestamps 50 ms old instead of 2 s (still far above the kernel's tick), so the
    tests need not sleep for seconds; returns how long to wait after writing a file."""
    monkeypatch.setattr(objects, "RACY_NS", 50_000_000)
    return 0.1


def count_calls(monkeypatch: pytest.MonkeyPatch, name: str) -> list[object]:
    calls: list[object] = []
    real = getattr(objects, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(objects, name, counted)
    return calls


def test_an_unchanged_file_is_not_read_again(
    store: ObjectStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, short_racy_window: float
) -> None:
    src = tmp_path / "data.bin"
    src.write_bytes(os.urandom(1 << 20))
    time.sleep(short_racy_window)
    read = count_calls(monkeypatch, "_copy_file")
    hashed = count_calls(monkeypatch, "hash_by_reading")
    first = store.put_file(src)
    assert first == (hash_file(src), 1 << 20) and len(read) == 1
    assert hashed == []  # a settled file is read once: copied, and the copy hashed
    assert store.put_file(src) == first
    assert ObjectStore(str(store.root)).put_file(src) == first  # another process's view
    assert len(read) == 1


def test_a_rewritten_file_of_the_same_size_gets_its_new_digest(
    store: ObjectStore, tmp_path: Path, short_racy_window: float
) -> None:
    src = tmp_path / "data.bin"
    src.write_bytes(b"a" * 4096)
    time.sleep(short_racy_window)
    remembered = src.stat()
    old, _ = store.put_file(src)  # remembered: the file is older than the racy window
    src.write_bytes(b"b" * 4096)  # same size, same inode, rewritten at once
    new, _ = store.put_file(src)
    assert new == hash_file(src) != old
    # Rewritten again with its mtime forged back to the remembered one: inode, size and
    # mtime match the cache entry, the ctime (which no program can set) gives it away.
    src.write_bytes(b"c" * 4096)
    os.utime(src, ns=(remembered.st_atime_ns, remembered.st_mtime_ns))
    assert (src.stat().st_ino, src.stat().st_mtime_ns) == (
        remembered.st_ino,
        remembered.st_mtime_ns,
    )
    assert store.put_file(src)[0] == hash_file(src) != new
    # Replaced by another file (a new inode) of the same size and forged mtime.
    other = tmp_path / "other.bin"
    other.write_bytes(b"d" * 4096)
    os.utime(other, ns=(remembered.st_atime_ns, remembered.st_mtime_ns))
    other.replace(src)
    assert store.put_file(src)[0] == hash_file(src)


def test_a_just_written_file_is_not_remembered(
    store: ObjectStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written less than RACY_NS ago, a file could change again within the same timestamp
    tick: its digest is not cached, so the next save hashes it again."""
    monkeypatch.setattr(objects, "RACY_NS", 60_000_000_000)  # no stall of the test counts
    src = tmp_path / "fresh.bin"
    src.write_bytes(b"x" * 100)
    read = count_calls(monkeypatch, "_copy_file")
    store.put_file(src)
    store.put_file(src)
    assert len(read) == 2


def test_a_file_rewritten_within_the_timestamps_resolution_is_hashed_again(
    store: ObjectStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Timestamps tick coarsely (a few ms on Linux, 2 s on FAT): a file rewritten in place
    within one tick keeps its whole stamp. Simulated here at its worst, timestamps that
    never move: only the racy rule (a file changed less than RACY_NS before it was looked
    at is never remembered) keeps each save from answering an older digest."""
    monkeypatch.setattr(objects, "_stamp", lambda st: (st.st_ino, st.st_size, 0, 0))
    src = tmp_path / "data.bin"
    digests = []
    for letter in b"abc":
        src.write_bytes(bytes([letter]) * 4096)  # same size, same inode
        digests.append(store.put_file(src)[0])
        assert digests[-1] == hash_file(src)
    assert len(set(digests)) == 3
    assert store.read_bytes(digests[-1]) == b"c" * 4096


def test_a_stored_file_rewritten_with_the_same_bytes_is_hashed_not_copied(
    store: ObjectStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, short_racy_window: float
) -> None:
    """A path the cache knows whose stamp moved (a regenerated export, a touch) is hashed
    first: the same bytes are not copied again; new bytes are."""
    src = tmp_path / "export.csv"
    src.write_bytes(b"a,b\n1,2\n" * 1000)
    time.sleep(short_racy_window)
    first, _ = store.put_file(src)  # remembered
    src.write_bytes(b"a,b\n1,2\n" * 1000)  # regenerated: same bytes, new stamp
    copies = count_calls(monkeypatch, "_copy_file")
    assert store.put_file(src)[0] == first and copies == []
    src.write_bytes(b"a,b\n3,4\n" * 1000)
    assert store.put_file(src)[0] == hash_file(src) != first and len(copies) == 1


def test_known_content_is_stored_once(
    store: ObjectStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = store.put_bytes(b"known content")
    stored = store.path(digest).stat()
    published = count_calls(monkeypatch, "fsync_dir")
    src = tmp_path / "same.bin"
    src.write_bytes(b"known content")
    assert store.put_file(src) == (digest, 13)
    assert published == []  # the staging copy was dropped, not renamed onto the object
    assert store.path(digest).stat().st_ino == stored.st_ino
    assert [p.name for p in store.root.iterdir() if p.name.startswith(".incoming-")] == []


def test_a_file_changing_while_it_is_copied_is_refused(
    store: ObjectStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "moving.bin"
    src.write_bytes(b"before" * 1000)
    real = objects._copy_file

    def copy_after_a_change(source: Path, dest: Path, *progress: object) -> None:
        source.write_bytes(b"after!" * 1000)
        real(source, dest, *progress)

    monkeypatch.setattr(objects, "_copy_file", copy_after_a_change)
    with pytest.raises(Conflict, match="changed while it was being stored"):
        store.put_file(src)
    assert [p for p in store.root.rglob("*") if p.is_file() and "hashes" not in p.name] == []


@pytest.mark.parametrize("timestamps", ["fine", "frozen"])
def test_a_change_during_the_copy_is_caught_by_stamp_or_by_content(
    store: ObjectStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    short_racy_window: float,
    timestamps: str,
) -> None:
    """The file is read once. A settled file changed while it is copied moves its stamp
    (its ctime, even with the mtime forged back); a file changed within the racy window
    may not (simulated: frozen timestamps), so its bytes are hashed again and compared."""
    src = tmp_path / "moving.bin"
    src.write_bytes(b"before" * 1000)
    if timestamps == "frozen":
        monkeypatch.setattr(objects, "_stamp", lambda st: (st.st_ino, st.st_size, 0, 0))
    else:
        time.sleep(short_racy_window)  # settled: no second read
    original = src.stat()
    real = objects._copy_file

    def copy_then_change(source: Path, dest: Path, *progress: object) -> None:
        real(source, dest, *progress)
        source.write_bytes(b"after!" * 1000)
        os.utime(source, ns=(original.st_atime_ns, original.st_mtime_ns))

    monkeypatch.setattr(objects, "_copy_file", copy_then_change)
    rehashed = count_calls(monkeypatch, "hash_by_reading")
    with pytest.raises(Conflict, match="changed while it was being stored"):
        store.put_file(src)
    assert len(rehashed) == (1 if timestamps == "frozen" else 0)
    assert [p for p in store.root.rglob("*") if p.is_file() and "hashes" not in p.name] == []


def test_copy_falls_back_when_the_kernel_cannot_copy(
    store: ObjectStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> int:
        raise OSError(errno.EXDEV, "cross-device")

    monkeypatch.setattr(os, "copy_file_range", refuse)
    src = tmp_path / "data.bin"
    src.write_bytes(os.urandom(3 * (1 << 20) + 5))
    digest, _ = store.put_file(src)
    assert store.read_bytes(digest) == src.read_bytes()


def test_a_broken_hash_cache_only_means_hashing_again(
    store: ObjectStore, tmp_path: Path, short_racy_window: float
) -> None:
    src = tmp_path / "data.bin"
    src.write_bytes(b"payload")
    assert store.file_hashes is not None
    store.root.mkdir(parents=True)
    store.file_hashes.path.write_bytes(b"not a database at all" * 100)
    assert store.put_file(src)[0] == hash_file(src)


def test_staged_writes_land_in_place_and_dedupe(store: ObjectStore) -> None:
    seen: list[Path] = []

    def write(path: Path) -> None:
        seen.append(path)
        path.write_bytes(b"parquet bytes")

    digest, size = store.put_staged(write)
    assert (digest, size) == (hash_file(store.path(digest)), 13)
    assert seen[0].parent == store.root  # written inside the store: publishing is a rename
    assert store.put_staged(write) == (digest, 13)
    assert sorted(p.name for p in store.root.iterdir()) == [digest[:2]]
    assert not store.path(digest).stat().st_mode & stat.S_IWUSR


def test_verified_path_refuses_corrupted_objects(store: ObjectStore) -> None:
    digest = store.put_bytes(b"table")
    assert store.verified_path(digest) == store.path(digest)
    store.path(digest).chmod(0o644)
    store.path(digest).write_bytes(b"tampered")
    with pytest.raises(Corrupt):
        store.verified_path(digest)
    with pytest.raises(NotFound):
        store.verified_path("1" * 64)


def corrupt_in_place(path: Path) -> None:
    """Change one byte of a stored object, keeping its inode, size and mtime (forged back
    with os.utime): only its ctime, which no program can set, tells."""
    before = path.stat()
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    with open(path, "r+b") as fh:
        fh.write(data)
    path.chmod(0o444)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )


def test_read_verified_hashes_a_settled_object_once(
    store: ObjectStore, monkeypatch: pytest.MonkeyPatch, short_racy_window: float
) -> None:
    digest = store.put_bytes(b"a table" * 1000)
    time.sleep(short_racy_window)
    hashed = count_calls(monkeypatch, "hash_file")
    sources: list[object] = []

    def read(source: object) -> bytes:
        sources.append(source)
        return Path(str(source)).read_bytes()

    assert store.read_verified(digest, read) == b"a table" * 1000
    assert store.read_verified(digest, read) == b"a table" * 1000
    assert len(hashed) == 1 and sources == [store.path(digest)] * 2
    assert ObjectStore(str(store.root)).read_verified(digest, read)  # another process's view
    assert len(hashed) == 1
    corrupt_in_place(store.path(digest))
    with pytest.raises(Corrupt, match=f"object {digest} is corrupted"):
        store.read_verified(digest, read)


def test_read_verified_of_a_recent_object_reads_the_hashed_bytes(
    store: ObjectStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An object changed less than RACY_NS ago could change again without its stamp moving
    (simulated: ctimes that do not tick), so the reader gets the very bytes that were
    hashed, never the file, and nothing is remembered."""
    monkeypatch.setattr(objects, "_stamp", lambda st: (st.st_ino, st.st_size, st.st_mtime_ns, 0))
    digest = store.put_bytes(b"fresh rows" * 100)

    def read(source: object) -> bytes:
        assert not isinstance(source, (str, Path))
        return source.read()  # type: ignore[attr-defined, no-any-return]

    assert store.read_verified(digest, read) == b"fresh rows" * 100
    corrupt_in_place(store.path(digest))
    with pytest.raises(Corrupt):
        store.read_verified(digest, read)


def test_read_verified_refuses_bytes_changed_during_the_read(
    store: ObjectStore, short_racy_window: float
) -> None:
    digest = store.put_bytes(b"row groups" * 1000)
    time.sleep(short_racy_window)
    assert store.read_verified(digest, lambda source: None) is None  # verified, remembered

    def read_while_corrupted(source: object) -> bytes:
        corrupt_in_place(store.path(digest))
        return Path(str(source)).read_bytes()

    with pytest.raises(Corrupt):
        store.read_verified(digest, read_while_corrupted)
    with pytest.raises(NotFound):
        store.read_verified("1" * 64, lambda source: None)


def test_read_verified_from_a_remote_store() -> None:
    remote = ObjectStore("memory://mlops-test/read-verified")
    digest = remote.put_bytes(b"in the bucket")
    assert remote.read_verified(digest, lambda source: source.read()) == b"in the bucket"


SAVER = """
import os, sys, time
from pathlib import Path
from jupyter_mlops import objects
from jupyter_mlops.objects import ObjectStore

objects.RACY_NS = 50_000_000
store = ObjectStore(sys.argv[1])
files = sorted(Path(sys.argv[2]).iterdir())
while not Path(sys.argv[3]).exists():
    time.sleep(0.005)
for _ in range(3):
    for path in files:
        print(path.name, store.put_file(path)[0])
"""


def test_concurrent_savers_share_the_cache_safely(store: ObjectStore, tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    for i in range(8):
        (folder / f"f{i}.bin").write_bytes(os.urandom(64 * 1024 + i))
    time.sleep(0.1)
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SAVER, str(store.root), str(folder), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    go.touch()
    expected = {p.name: hash_file(p) for p in folder.iterdir()}
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "cache" not in err  # no lock timeouts or unreadable cache
        lines = [line.split() for line in out.splitlines()]
        assert len(lines) == 24 and all(expected[name] == digest for name, digest in lines)
    assert store.verify_all() == []
