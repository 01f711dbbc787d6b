"""Datasets on an s3:// object store, against a real S3-compatible server on loopback.

moto's standalone server runs as its own process on a free port; boto3 creates the
bucket and inspects it behind our back. The endpoint reaches s3fs through the standard
``AWS_ENDPOINT_URL`` variable that botocore honours, and the workspace's object store is
set to ``s3://…`` in ``mlops.toml``: no product code knows it is talking to a test server.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import blake3
import boto3
import numpy as np
import pandas as pd
import pytest

from jupyter_mlops.datasets.folders import list_folder
from jupyter_mlops.datasets.store import DatasetStore
from jupyter_mlops.errors import Corrupt
from jupyter_mlops.pytest_plugin import make_workspace

BUCKET = "mlops-datasets"
PREFIX = "team/objects"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A moto S3 server process on a free loopback port, stopped after the module."""
    port = _free_port()
    log = (tmp_path_factory.mktemp("moto") / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, f"moto server exited with {proc.returncode}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "moto server did not start in 60 s"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An empty bucket on the server; botocore (so s3fs) pointed at it by the environment."""
    import s3fs

    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_endpoint)
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    # fsspec caches filesystems by their arguments, which do not include the environment
    s3fs.S3FileSystem.clear_instance_cache()
    client = boto3.client("s3")
    client.create_bucket(Bucket=BUCKET)
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)
    s3fs.S3FileSystem.clear_instance_cache()


@pytest.fixture
def datasets(s3: Any, mlops_root: Path, mlops_empty_mlflow_db: Path) -> DatasetStore:
    """The real DatasetStore of a workspace whose mlops.toml puts objects in the bucket."""
    (mlops_root / "mlops.toml").write_text(
        f'[mlops]\nobject_store_url = "s3://{BUCKET}/{PREFIX}"\n'
    )
    ws = make_workspace(mlops_root, mlops_empty_mlflow_db)
    assert ws.object_store_url == f"s3://{BUCKET}/{PREFIX}"
    return DatasetStore(ws)


def stored_objects(client: Any) -> dict[str, bytes]:
    """Every object under the prefix, as its bucket key → bytes (read with boto3)."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(
        Bucket=BUCKET, Prefix=f"{PREFIX}/"
    ):
        for item in page.get("Contents", []):
            body = client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
            found[item["Key"]] = body
    return found


def key_of(digest: str) -> str:
    return f"{PREFIX}/{digest[:2]}/{digest[2:]}"


def frame(n: int = 500, shift: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame(
        {
            "id": np.arange(n),
            "x": rng.normal(shift, 1, n),
            "grape": rng.choice(["merlot", "syrah", "riesling"], n),
        }
    )


def make_folder(root: Path) -> Path:
    folder = root / "images"
    (folder / "red").mkdir(parents=True)
    (folder / "red" / "a.bin").write_bytes(bytes(range(256)) * 40)
    (folder / "notes.txt").write_text("harvest 2024")
    return folder


def test_versions_files_and_folders_round_trip_through_s3(
    datasets: DatasetStore, s3: Any, mlops_root: Path
) -> None:
    v1 = datasets.save("wine", frame(), message="raw", key=["id"]).version
    v2 = datasets.save("wine", frame(shift=0.5), message="shifted").version
    (mlops_root / "labels.csv").write_text("id,label\n0,red\n1,white\n")
    file_v = datasets.save("labels", "labels.csv").version
    folder_v = datasets.save("images", make_folder(mlops_root)).version

    assert (v1.version, v2.version, v2.manifest.parent_version) == (1, 2, 1)
    pd.testing.assert_frame_equal(datasets.load("wine@v1"), frame())
    pd.testing.assert_frame_equal(datasets.load("wine"), frame(shift=0.5))
    pd.testing.assert_frame_equal(datasets.load(f"wine@{v1.manifest.object_id[:10]}"), frame())
    assert Path(datasets.load("labels")).read_text() == "id,label\n0,red\n1,white\n"
    copy = datasets.load("images@v1")
    assert (copy / "notes.txt").read_text() == "harvest 2024"
    assert (copy / "red" / "a.bin").read_bytes() == bytes(range(256)) * 40

    # a keyed diff reads both verified Parquet objects (downloaded: DuckDB reads local files)
    diff = datasets.diff("wine@v1", "wine@v2", key=["id"])
    assert (diff.rows_added, diff.rows_removed, diff.rows_changed) == (0, 0, 500)
    assert {v.manifest.kind for v in (v1, file_v, folder_v)} == {"dataframe", "file", "folder"}
    # every byte went to the bucket: no local object store was made on the side
    assert not (datasets.ws.mlops_dir / "objects").exists()


def test_objects_live_under_their_digest_keys(
    datasets: DatasetStore, s3: Any, mlops_root: Path
) -> None:
    table = datasets.save("wine", frame()).version
    (mlops_root / "labels.csv").write_text("id,label\n0,red\n")
    file_v = datasets.save("labels", "labels.csv").version
    folder_v = datasets.save("images", make_folder(mlops_root)).version
    members = [e["object"] for e in list_folder(datasets.objects, folder_v.manifest.object_id)]

    expected = {table.manifest.object_id, file_v.manifest.object_id, folder_v.manifest.object_id}
    stored = stored_objects(s3)
    assert set(stored) == {key_of(d) for d in expected | set(members)}
    for key, body in stored.items():
        assert re.fullmatch(rf"{PREFIX}/[0-9a-f]{{2}}/[0-9a-f]{{62}}", key)
        assert blake3.blake3(body).hexdigest() == key.removeprefix(f"{PREFIX}/").replace("/", "")
    # nothing is left behind in the bucket but objects (no temporary keys)
    everything = s3.list_objects_v2(Bucket=BUCKET)["KeyCount"]
    assert everything == len(stored)


def test_identical_content_is_stored_once(
    datasets: DatasetStore, s3: Any, mlops_root: Path
) -> None:
    first = datasets.save("wine", frame())
    before = stored_objects(s3)
    again = datasets.save("wine", frame())
    assert (first.created, again.created, again.version.version) == (True, False, 1)
    # the same bytes under another name: a new catalog entry, the same object
    other = datasets.save("wine-copy", frame()).version
    assert other.manifest.object_id == first.version.manifest.object_id
    # a folder holding a file the store already has adds only the new bytes and a tree
    (mlops_root / "labels.csv").write_text("id,label\n0,red\n")
    file_id = datasets.save("labels", "labels.csv").version.manifest.object_id
    folder = mlops_root / "bundle"
    folder.mkdir()
    (folder / "labels.csv").write_text("id,label\n0,red\n")
    (folder / "readme.txt").write_text("one new file")
    tree = datasets.save("bundle", folder).version.manifest.object_id
    after = stored_objects(s3)
    new = set(after) - set(before)
    assert key_of(file_id) in new
    assert len(new) == 3  # labels.csv once (shared by file and folder), readme, tree
    assert key_of(tree) in new
    assert before.items() <= after.items()


def test_a_corrupted_object_in_the_bucket_is_a_clear_error(
    datasets: DatasetStore, s3: Any, mlops_root: Path
) -> None:
    saved = datasets.save("wine", frame()).version
    digest = saved.manifest.object_id
    body = bytearray(s3.get_object(Bucket=BUCKET, Key=key_of(digest))["Body"].read())
    body[len(body) // 2] ^= 0xFF  # one flipped byte, same length: bit rot, not truncation
    s3.put_object(Bucket=BUCKET, Key=key_of(digest), Body=bytes(body))
    with pytest.raises(Corrupt, match=rf"dataset wine v1 \(object {digest}\): .*corrupted"):
        datasets.load("wine@v1")
    with pytest.raises(Corrupt, match=rf"dataset wine v1 \(object {digest}\)"):
        datasets.load(f"wine@{digest[:8]}")

    folder_v = datasets.save("images", make_folder(mlops_root)).version
    member = list_folder(datasets.objects, folder_v.manifest.object_id)[0]["object"]
    s3.put_object(Bucket=BUCKET, Key=key_of(member), Body=b"not the bytes")
    with pytest.raises(Corrupt, match=rf"dataset images v1 \(object .*{member}"):
        datasets.load("images@v1")
