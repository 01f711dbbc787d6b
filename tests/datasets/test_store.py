"""Dataset versions through the real state DB and object store."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jupyter_mlops.datasets.store import DatasetStore
from jupyter_mlops.errors import Corrupt, Invalid, NotFound
from jupyter_mlops.workspace import Workspace


@pytest.fixture
def datasets(mlops_workspace: Workspace) -> DatasetStore:
    return DatasetStore(mlops_workspace)


def frame(n: int = 100, shift: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "x": rng.normal(shift, 1, n),
            "city": rng.choice(["Oslo", "Lima", "Pune"], n),
            "label": rng.integers(0, 2, n),
        }
    )


def test_versions_dedupe_parents_and_manifest(datasets: DatasetStore) -> None:
    first = datasets.save("sales", frame(), message="raw", author="alice", notebook="a.ipynb")
    again = datasets.save("sales", frame())
    second = datasets.save("sales", frame(shift=1.0))
    assert (first.created, again.created, second.created) == (True, False, True)
    assert again.version.version == 1
    assert second.version.version == 2
    assert second.version.manifest.parent_version == 1
    m = first.version.manifest
    assert (m.kind, m.rows, m.author, m.message, m.source_notebook) == (
        "dataframe", 100, "alice", "raw", "a.ipynb",
    )  # fmt: skip
    x, city, _ = m.columns
    assert x.nulls == 0 and x.quantiles is not None and x.min is not None
    assert city.top_values is not None and {v for v, _ in city.top_values} <= {
        "Oslo",
        "Lima",
        "Pune",
    }
    assert [v.version for v in datasets.log("sales")] == [2, 1]
    pd.testing.assert_frame_equal(datasets.load("sales@v1"), frame())
    pd.testing.assert_frame_equal(datasets.load("sales"), frame(shift=1.0))
    prefix = m.object_id[:8]
    assert datasets.resolve(f"sales@{prefix}").version == 1


def test_a_corrupted_object_names_dataset_version_and_object(datasets: DatasetStore) -> None:
    saved = datasets.save("sales", frame()).version
    path = datasets.objects.path(saved.manifest.object_id)
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(Corrupt, match=rf"dataset sales v1 \(object {saved.manifest.object_id}\)"):
        datasets.load("sales@v1")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: d.save("../etc", frame()), "is not a dataset name"),
        (lambda d: d.save("bad name", frame()), "is not a dataset name"),
        (lambda d: d.save("ok", {"not": "a frame"}), "cannot save a dict"),
        (lambda d: d.save("ok", "/etc/passwd"), "is outside the workspace"),
        (lambda d: d.save("ok", "missing.csv"), "is neither a file nor a folder"),
        (lambda d: d.load("ok@v0"), "after '@' give a version"),
        (lambda d: d.load("ok@latest!"), "after '@' give a version"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(
    datasets: DatasetStore, call: object, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        call(datasets)  # type: ignore[operator]
    assert datasets.names() == []
    assert not datasets.objects.root.exists() or not any(datasets.objects.root.glob("??/*"))


def test_unknown_names_and_versions_are_not_found(datasets: DatasetStore) -> None:
    with pytest.raises(NotFound, match="no dataset named 'nope'"):
        datasets.load("nope")
    datasets.save("sales", frame())
    with pytest.raises(NotFound, match="has no version v7"):
        datasets.load("sales@v7")


def test_a_file_inside_the_workspace_is_stored_as_is(
    datasets: DatasetStore, mlops_root: Path
) -> None:
    (mlops_root / "raw.csv").write_text("a,b\n1,2\n")
    saved = datasets.save("raw", "raw.csv").version
    assert saved.manifest.kind == "file"
    assert Path(datasets.load("raw")).read_text() == "a,b\n1,2\n"


SAVER = """
import sys
import pandas as pd
from jupyter_mlops.datasets.store import DatasetStore
from jupyter_mlops.workspace import resolve_workspace
store = DatasetStore(resolve_workspace(sys.argv[1]))
for i in range(8):
    store.save("shared", pd.DataFrame({"writer": [sys.argv[2]], "i": [i]}))
"""


def test_concurrent_savers_get_distinct_versions_and_lose_none(
    datasets: DatasetStore, mlops_root: Path
) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", SAVER, str(mlops_root), w]) for w in "ab"]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    versions = datasets.log("shared")
    assert sorted(v.version for v in versions) == list(range(1, 17))
    contents = {tuple(datasets.load(f"shared@v{v.version}").iloc[0]) for v in versions}
    assert contents == {(w, i) for w in "ab" for i in range(8)}


KILLED = """
import sys
from pathlib import Path
import numpy as np, pandas as pd
from jupyter_mlops.datasets.store import DatasetStore
from jupyter_mlops.workspace import resolve_workspace
store = DatasetStore(resolve_workspace(sys.argv[1]))
big = pd.DataFrame(np.random.default_rng(0).normal(size=(4_000_000, 8)), columns=list("abcdefgh"))
Path(sys.argv[2]).write_text("saving")
while True:
    big["a"] += 1
    store.save("sales", big)
"""


def test_sigkill_during_a_save_leaves_earlier_versions_intact(
    datasets: DatasetStore, mlops_root: Path, tmp_path: Path
) -> None:
    datasets.save("sales", frame())
    marker = tmp_path / "started"
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(mlops_root), str(marker)])
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    time.sleep(1.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for version in datasets.log("sales"):
        loaded = datasets.load(f"sales@v{version.version}")
        assert len(loaded) == version.manifest.rows
    pd.testing.assert_frame_equal(datasets.load("sales@v1"), frame())
    assert datasets.objects.verify_all() == []


def test_tags_name_versions_and_move(datasets: DatasetStore) -> None:
    datasets.save("sales", frame())
    datasets.save("sales", frame(shift=2.0))
    assert datasets.tag("sales@v1", "golden").tags == ["golden"]
    assert datasets.resolve("sales@golden").version == 1
    datasets.tag("sales", "golden")  # latest: the tag moves to v2
    assert datasets.resolve("sales@golden").version == 2
    assert [v.tags for v in datasets.log("sales")] == [["golden"], []]
    with pytest.raises(NotFound, match="has no tag 'prod'"):
        datasets.resolve("sales@prod")
    for bad in ("v3", "cafe01", "1st", "has space"):
        with pytest.raises(Invalid, match="is not a tag"):
            datasets.tag("sales@v1", bad)


def test_declared_key_carries_forward_and_is_the_default_diff_key(
    datasets: DatasetStore,
) -> None:
    a = pd.DataFrame({"id": [1, 2, 3], "x": [1.0, 2.0, 3.0]})
    b = pd.DataFrame({"id": [2, 3, 4], "x": [2.0, 9.0, 4.0]})
    datasets.save("t", a, key=["id"])
    assert datasets.save("t", b).version.manifest.key == ["id"]  # inherited
    diff = datasets.diff("t@v1", "t@v2")
    assert diff.key == ["id"]
    assert (diff.rows_added, diff.rows_removed, diff.rows_changed) == (1, 1, 1)
    # a version without the key column does not inherit it, and diffs fall back to schema
    datasets.save("t", pd.DataFrame({"x": [1.0]}))
    assert datasets.resolve("t@v3").manifest.key is None
    assert datasets.diff("t@v2", "t@v3").key is None
