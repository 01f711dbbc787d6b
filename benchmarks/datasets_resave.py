"""Saving an unchanged 1 GiB file again vs its first save, both through ``DatasetStore.save``.

The object store keeps a state cache, as DVC does: (path, inode, size, mtime, ctime) →
digest of each file it stored. Saving the same unchanged file again reads none of its
bytes: a ``stat``, one lookup, a check that the object is still there, and the state
database's answer that this content is already the latest version. The cache never holds a
file changed within the last 2 s before it was looked at (its timestamps could still move
within one tick): here each file is older than that at its first save, as files usually
are; a file saved right after it was written is read once more on its next save, then
cached. A file the cache knows whose stamp moved (touched, or rewritten with the same bytes)
is hashed and not copied; that case, and DVC's own re-add of an unchanged file, are reported
alongside.
Each repeat stores new bytes (a copy of one random file with its first bytes changed) under
a new name, ``os.sync()`` before the first save; re-saves are repeated on each file; one
warm-up repeat comes first.
"""

from __future__ import annotations

import os
import shutil
import statistics
from functools import partial
from pathlib import Path

from jupyter_mlops.datasets.store import DatasetStore

from .datasets_files import (
    DVC,
    distinct_copy,
    dvc_add,
    dvc_repo,
    random_file,
    remove_object,
    scratch,
    wait_until_settled,
)
from .timing import Result, ms, timed
from .workspace import fresh_workspace

REPEAT = 3
RESAVES = 5
TARGET = 20


def _dvc_readd(work: Path, source: Path) -> tuple[float, float] | None:
    """DVC's first add and its median re-add of the same unchanged file, if DVC is set up."""
    if not DVC.exists():
        return None
    repo = dvc_repo(work / "repo-readd")
    distinct_copy(source, repo / "data.bin", 999)
    os.sync()
    first, _ = timed(lambda: dvc_add(repo, "data.bin"))
    again = statistics.median(timed(lambda: dvc_add(repo, "data.bin"))[0] for _ in range(3))
    shutil.rmtree(repo)
    return first, again


def run() -> list[Result]:
    """Measure; returns the one result."""
    ws, _ = fresh_workspace("resave")
    store = DatasetStore(ws)
    work = scratch("resave")
    source = random_file(work / "source.bin")
    firsts: list[float] = []
    resaves: list[float] = []
    touched: list[float] = []
    for i in range(-1, REPEAT):  # i = -1: a warm-up repeat, not counted
        mine = distinct_copy(source, ws.root / f"data-{i}.bin", i)
        wait_until_settled(mine)
        os.sync()
        save = partial(store.save, f"big-{i}", mine)
        seconds, first = timed(save)
        counted = [seconds]
        for _ in range(RESAVES):
            seconds, again = timed(save)
            counted.append(seconds)
            assert not again.created and again.version.version == first.version.version
        # The same re-save once the file was touched (its stamp moved, its bytes did not):
        # the cache knows the path, so the file is hashed, not copied.
        os.utime(mine)
        counted.append(timed(save)[0])
        if i >= 0:
            firsts.append(counted[0])
            resaves.extend(counted[1:-1])
            touched.append(counted[-1])
        object_id = first.version.manifest.object_id
        assert store.objects.verify_all() == [], "a stored object does not match its id"
        remove_object(store.objects.path(object_id))
        os.unlink(mine)
    dvc = _dvc_readd(work, source)
    first_s, resave_s = statistics.median(firsts), statistics.median(resaves)
    touched_s = statistics.median(touched)
    details = {
        "each first save": ", ".join(f"{s:.2f} s" for s in firsts),
        "re-save, file in the state cache (median)": ms(resave_s),
        "re-save of the file touched (stamp moved, same bytes: hashed, not copied)": (
            f"{touched_s:.2f} s, {first_s / touched_s:.1f}× faster than the first save"
        ),
    }
    if dvc:
        details["dvc add, first / again unchanged (for comparison)"] = (
            f"{dvc[0]:.2f} s / {dvc[1]:.2f} s"
        )
    return [
        Result(
            name="datasets_resave",
            ours="DatasetStore.save of the same unchanged 1 GiB file again",
            ours_seconds=resave_s,
            baseline="its first save (DatasetStore.save, new content)",
            baseline_seconds=first_s,
            target=f"≥ {TARGET}× faster",
            kind="speed-up",
            limit=TARGET,
            notes=(
                f"{REPEAT} files, {RESAVES} re-saves of each: the same version answered, nothing "
                "written; every object re-hashed to its id (checked)"
            ),
            details=details,
        )
    ]
