"""Recording an uploaded frame (team mode: a kernel put the Parquet bytes in the object
store, the service records them): what is recorded is what hashes to the id, with the
statistics a local save computes; anything else is a clear 4xx-kind error, and nothing is
recorded."""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd
import pytest

from jupyter_mlops.datasets.frame_writer import FrameWriter
from jupyter_mlops.datasets.stats import column_stats
from jupyter_mlops.datasets.store import DatasetStore
from jupyter_mlops.errors import Invalid, NotFound
from jupyter_mlops.workspace import Workspace


@pytest.fixture
def store(mlops_workspace: Workspace) -> DatasetStore:
    return DatasetStore(mlops_workspace)


def uploaded(store: DatasetStore, frame: pd.DataFrame) -> str:
    """Put ``frame``'s Parquet bytes in the store, as a team-mode kernel does."""
    with FrameWriter(frame) as writer:
        object_id, _ = store.objects.put_staged(writer.write, meanwhile=writer.finish)
    return object_id


def test_an_upload_is_recorded_with_the_statistics_of_a_local_save(store: DatasetStore) -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {"x": rng.random(50), "k": rng.integers(0, 5, 50), "s": list("abcde") * 10}
    )
    frame.loc[3, "x"] = np.nan
    result = store.record_uploaded("sales", uploaded(store, frame), "first", "alice", key=["k"])
    manifest = result.version.manifest
    assert (result.version.version, manifest.rows, manifest.author) == (1, 50, "alice")
    assert manifest.columns == column_stats(frame)  # pandas' own, value for value
    pd.testing.assert_frame_equal(store.load("sales@v1"), frame)


def test_what_is_not_a_parquet_table_of_this_id_is_refused(store: DatasetStore) -> None:
    frame = pd.DataFrame({"a": [1, 2]})
    with pytest.raises(Invalid, match="not in the workspace's object store"):
        store.record_uploaded("sales", "0" * 64)
    text = store.objects.put_bytes(b"not parquet at all")
    with pytest.raises(Invalid, match="is not a Parquet table"):
        store.record_uploaded("sales", text)
    with pytest.raises(Invalid, match=r"key column\(s\) \['b'\]"):
        store.record_uploaded("sales", uploaded(store, frame), key=["b"])
    # bytes changed after they were put: refused, without saying what they hash to now
    changed = uploaded(store, pd.DataFrame({"a": [3, 4]}))
    path = store.objects.path(changed)
    os.chmod(path, 0o644)
    path.write_bytes(path.read_bytes()[:-1] + b"!")
    with pytest.raises(Invalid, match="do not hash to it") as refused:
        store.record_uploaded("sales", changed)
    assert re.findall(r"[0-9a-f]{64}", str(refused.value)) == [changed]
    with pytest.raises(NotFound):
        store.resolve("sales")
