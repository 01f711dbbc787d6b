"""Pages of a version's rows: read from the verified Parquet object, hashed once while its
stat stamp is unchanged, and never from bytes that fail verification."""

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jupyter_mlops import objects
from jupyter_mlops.datasets.frame_writer import ROW_GROUP
from jupyter_mlops.datasets.models import RowsQuery
from jupyter_mlops.datasets.queries import rows_page
from jupyter_mlops.datasets.store import DatasetStore
from jupyter_mlops.errors import Corrupt
from jupyter_mlops.workspace import Workspace
from tests.test_objects import corrupt_in_place

ROWS = 2 * ROW_GROUP + 1_000  # three row groups


@pytest.fixture
def datasets(mlops_workspace: Workspace) -> DatasetStore:
    return DatasetStore(mlops_workspace)


def table() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {"id": np.arange(ROWS), "x": rng.normal(size=ROWS), "city": rng.choice(["a", "b"], ROWS)}
    )


def page_of(datasets: DatasetStore, page: int, page_size: int = 100) -> list[list[object]]:
    query = RowsQuery(page=page, page_size=page_size)
    return rows_page(datasets, "t", "v1", query).rows


def test_later_pages_read_only_their_row_groups_without_hashing(
    datasets: DatasetStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(objects, "RACY_NS", 50_000_000)  # trust timestamps 50 ms old
    frame = table()
    datasets.save("t", frame)
    time.sleep(0.1)
    hashed: list[object] = []
    real = objects.hash_file

    def counted(path: Path) -> str:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(objects, "hash_file", counted)
    first = page_of(datasets, 0)
    assert len(hashed) == 1  # the first page verifies the whole object
    for page in (1, ROW_GROUP // 100, ROWS // 100):  # within, across, after row groups
        rows = page_of(datasets, page)
        expected = frame.iloc[page * 100 : page * 100 + 100]
        assert [row[0] for row in rows] == expected["id"].tolist()
        assert [row[1] for row in rows] == pytest.approx(expected["x"].tolist(), abs=1e-10)
        assert [row[2] for row in rows] == expected["city"].tolist()
    assert [row[0] for row in first] == list(range(100))
    assert len(hashed) == 1  # later pages hash nothing


def test_a_version_corrupted_in_place_is_refused_on_the_next_page(
    datasets: DatasetStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes changed in place with the mtime forged back: the ctime moved, so the next
    page hashes the object again and refuses it."""
    monkeypatch.setattr(objects, "RACY_NS", 50_000_000)
    version = datasets.save("t", table()).version
    time.sleep(0.1)
    page_of(datasets, 0)
    page_of(datasets, 1)  # from the remembered verification
    corrupt_in_place(datasets.objects.path(version.manifest.object_id))
    with pytest.raises(Corrupt, match=rf"dataset t v1 \(object {version.manifest.object_id}\)"):
        page_of(datasets, 2)


def test_a_just_saved_version_corrupted_within_the_timestamps_resolution_is_refused(
    datasets: DatasetStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Corrupted within the same timestamp tick as its last change, an object keeps its
    whole stamp (simulated: ctimes that do not tick). A version changed less than RACY_NS
    ago is therefore read from the very bytes that were hashed, each page, and its
    verification is not remembered: the corruption is caught all the same."""
    monkeypatch.setattr(objects, "_stamp", lambda st: (st.st_ino, st.st_size, st.st_mtime_ns, 0))
    version = datasets.save("t", table()).version
    assert page_of(datasets, 0)
    corrupt_in_place(datasets.objects.path(version.manifest.object_id))
    with pytest.raises(Corrupt, match="corrupted"):
        page_of(datasets, 1)
