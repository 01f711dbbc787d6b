"""A save onto a full disk names the dataset and version, and stores nothing.

The object store sits on a real 1 MiB tmpfs (mounted for the test; CI runs as root), so
the write fails with the kernel's own ENOSPC, not a simulated one.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jupyter_mlops.datasets.store import DatasetStore
from jupyter_mlops.errors import StorageError
from jupyter_mlops.workspace import resolve_workspace


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:  # only where the machine refuses a mount (not root)
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_names_what_was_not_saved_and_stores_nothing(
    small_disk: Path, mlops_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_MLOPS_OBJECT_STORE_URL", str(small_disk / "objects"))
    store = DatasetStore(resolve_workspace(mlops_root).ensure())
    store.save("wine", pd.DataFrame({"x": [1.0, 2.0]}))  # v1 fits
    big = pd.DataFrame(np.random.default_rng(0).random((400_000, 2)), columns=["a", "b"])
    with pytest.raises(StorageError) as raised:
        store.save("wine", big)
    message = str(raised.value)
    assert message.startswith("dataset 'wine' v2 could not be saved: ")
    assert "No space left on device" in message
    assert message.endswith("nothing was stored")
    assert [v.version for v in store.log("wine")] == [1]
    assert store.load("wine").equals(pd.DataFrame({"x": [1.0, 2.0]}))
    # no partial object: every stored object still hashes to its id
    stored = [p for p in (small_disk / "objects").rglob("*") if p.is_file()]
    assert not [p for p in stored if p.name.startswith(".incoming-")], stored
    assert len(stored) == 1
