"""First save of a 1 GiB file: ``DatasetStore.save`` vs ``dvc add`` of the same bytes.

Ours is the whole Python call a notebook makes (``mlops.datasets.save`` / ``%dataset save``):
copy the file into the object store (its one read), hash the copy while it is fsynced,
check the file's stat stamp did not move, rename the copy into place, fsync the folder,
record the version in the state database. The baseline is
the ``dvc`` command a user types, from its own virtualenv (``make bench-setup``), in a fresh
``git init`` + ``dvc init`` repository: it hashes the file (MD5), copies it into DVC's
cache (ext4 here: no reflinks, so a real copy, as ours) and writes ``data.bin.dvc``; it
does not fsync. Each repeat saves new bytes on both sides (a copy of the same random file
with its first bytes changed), in a fresh repository and under a new dataset name; the file
is in the page cache for both, and ``os.sync()`` runs before each timed call so that
neither pays for the other's write-back. The two sides alternate which goes first, after
one warm-up repeat of each. Both read the file from memory and write 1 GiB, so a busy
machine narrows the ratio: their CPU times are reported alongside. Each file was last
written more than 2 s before its save, as files usually are; a file changed within 2 s of
its save (timestamps too recent to reveal a change during the copy) is read once more, and
that case is timed alongside.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from jupyter_mlops.datasets.store import DatasetStore
from jupyter_mlops.objects import _copy_file, fsync_file, hash_file

from .datasets_files import (
    GIB,
    distinct_copy,
    dvc_add,
    dvc_repo,
    dvc_version,
    random_file,
    remove_object,
    scratch,
    wait_until_settled,
)
from .timing import Result, timed
from .workspace import fresh_workspace

REPEAT = 6  # even: each side goes first equally often
WARMUP = 1
TARGET = 4


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _parts(source: Path, folder: Path) -> dict[str, float]:
    """Ours' steps alone on the same file: where the time goes."""
    copy = folder / "parts.bin"
    os.sync()
    parts = {"kernel copy into the store's folder": timed(lambda: _copy_file(source, copy))[0]}
    parts["fsync of the copy"] = timed(lambda: fsync_file(copy))[0]
    parts["hash of the copy (memory map)"] = timed(lambda: hash_file(copy))[0]
    copy.unlink()
    return parts


def _racy_save(store: DatasetStore, source: Path, path: Path) -> float:
    """One save of new bytes touched just before it (within the racy window)."""
    distinct_copy(source, path, 1_000_000)
    os.sync()
    os.utime(path)
    seconds, saved = timed(lambda: store.save("racy", path))
    remove_object(store.objects.path(saved.version.manifest.object_id))
    path.unlink()
    return seconds


def run() -> list[Result]:
    """Measure; returns the one result."""
    ws, _ = fresh_workspace("first-save")
    store = DatasetStore(ws)
    work = scratch("dvc")
    source = random_file(work / "source.bin")
    samples: dict[str, list[float]] = {"ours": [], "dvc": []}
    cpu_samples: dict[str, list[float]] = {"ours": [], "dvc": []}
    for i in range(-WARMUP, REPEAT):  # negative i: a warm-up repeat, not counted
        mine = distinct_copy(source, ws.root / f"data-{i}.bin", i)
        repo = dvc_repo(work / f"repo-{i}")
        distinct_copy(source, repo / "data.bin", i)
        saves: dict[str, Callable[[], Any]] = {
            "ours": partial(store.save, f"big-{i}", mine),
            "dvc": partial(dvc_add, repo, "data.bin"),
        }
        wait_until_settled(mine)
        saved: dict[str, Any] = {}
        for side in ("ours", "dvc") if i % 2 == 0 else ("dvc", "ours"):
            os.sync()
            who = resource.RUSAGE_SELF if side == "ours" else resource.RUSAGE_CHILDREN
            cpu = _cpu_seconds(who)
            seconds, saved[side] = timed(saves[side])
            if i >= 0:
                samples[side].append(seconds)
                cpu_samples[side].append(_cpu_seconds(who) - cpu)
        object_id = saved["ours"].version.manifest.object_id
        assert saved["ours"].created and object_id == hash_file(mine), "ours stored wrong bytes"
        assert "md5:" in (repo / "data.bin.dvc").read_text(), "dvc add wrote no .dvc file"
        remove_object(store.objects.path(object_id))
        os.unlink(mine)
        shutil.rmtree(repo)
    parts = _parts(source, ws.root)
    racy_s = _racy_save(store, source, ws.root / "racy.bin")
    start = time.perf_counter()
    version = dvc_version()
    dvc_start = time.perf_counter() - start
    ours_s, dvc_s = statistics.median(samples["ours"]), statistics.median(samples["dvc"])
    return [
        Result(
            name="datasets_first_save",
            ours="DatasetStore.save of a new 1 GiB file (fsynced, hash checked)",
            ours_seconds=ours_s,
            baseline=f"dvc add of the same file ({version}, no fsync)",
            baseline_seconds=dvc_s,
            target=f"≥ {TARGET}× faster",
            kind="speed-up",
            limit=TARGET,
            notes=(
                f"{REPEAT} repeats, new bytes each time; ours' object re-hashed to its id, "
                "DVC's .dvc file written (checked)"
            ),
            details={
                "throughput, ours / dvc add": (
                    f"{GIB / ours_s / 2**20:.0f} MiB/s / {GIB / dvc_s / 2**20:.0f} MiB/s"
                ),
                "each repeat, ours (ours first in the 1st, 3rd, ...)": ", ".join(
                    f"{s:.2f} s" for s in samples["ours"]
                ),
                "each repeat, dvc add": ", ".join(f"{s:.2f} s" for s in samples["dvc"]),
                "CPU time (user + system, all threads), median, ours / dvc add": (
                    f"{statistics.median(cpu_samples['ours']):.2f} s / "
                    f"{statistics.median(cpu_samples['dvc']):.2f} s"
                ),
                "dvc --version (its process start, within dvc add)": f"{dvc_start:.2f} s",
                "ours, a file changed just before its save (read once more, while the copy "
                "is fsynced)": f"{racy_s:.2f} s",
                "ours' steps alone on the same file": ", ".join(
                    f"{label} {seconds:.2f} s" for label, seconds in parts.items()
                )
                + " (the copy's hash runs while it is fsynced)",
            },
        )
    ]
