"""Folders as dataset versions: every file a content-addressed object, plus one tree object.

The tree is a JSON list of ``{"path", "object", "size"}`` sorted by path, stored as an
object itself, so a folder version's id is the hash of its tree: identical folders share
one id (saving again is a no-op) and any changed, added or removed file changes it.
Loading writes every file to a fresh folder, each verified against its id.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..errors import Corrupt, Invalid
from ..objects import DIGEST, ObjectStore
from ..progress import Progress


def put_folder(
    objects: ObjectStore, folder: Path, progress: Progress | None = None
) -> tuple[str, int, int]:
    """Store every regular file under ``folder``; returns (tree id, total size, file count).
    ``progress`` hears each file's bytes, its label naming the file's place in the folder."""
    entries = []
    total = 0
    folder = folder.resolve()
    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    for index, path in enumerate(paths, 1):
        if not path.resolve().is_relative_to(folder):
            raise Invalid(f"{path} links outside the folder {folder}")
        digest, size = objects.put_file(path, progress=_of_file(progress, index, len(paths)))
        entries.append(
            {"path": path.relative_to(folder).as_posix(), "object": digest, "size": size}
        )
        total += size
    if not entries:
        raise Invalid(f"{folder} holds no files")
    tree = json.dumps(entries, separators=(",", ":"), sort_keys=True).encode()
    return objects.put_bytes(tree), total, len(entries)


def _of_file(progress: Progress | None, index: int, count: int) -> Progress | None:
    """``progress`` with ``(file i of n)`` after each label."""
    if progress is None:
        return None
    report = progress
    return lambda done, total, label: report(done, total, f"{label} (file {index} of {count})")


def _entries(objects: ObjectStore, tree_id: str) -> list[dict[str, Any]]:
    entries = json.loads(objects.read_bytes(tree_id))
    for entry in entries:
        relative = Path(entry["path"])
        if (
            relative.is_absolute()
            or ".." in relative.parts
            or not DIGEST.fullmatch(entry["object"])
        ):
            raise Corrupt(f"folder tree {tree_id} has an unsafe entry {entry['path']!r}")
    return entries  # type: ignore[no-any-return]


def list_folder(objects: ObjectStore, tree_id: str) -> list[dict[str, Any]]:
    """The files of a folder version: path, object id and size of each."""
    return _entries(objects, tree_id)


def materialize(objects: ObjectStore, tree_id: str, dest: Path) -> Path:
    """Write a verified copy of the folder version ``tree_id`` into the new folder ``dest``."""
    for entry in _entries(objects, tree_id):
        target = dest / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        objects.copy_to(entry["object"], target)
        os.chmod(target, 0o644)
    return dest
