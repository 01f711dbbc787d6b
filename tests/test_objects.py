"""The content-addressed object store: atomic, deduplicated, verified on every read."""

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jupyter_mlops.errors import Corrupt, Invalid, NotFound
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
