"""Errors while reading a version's stored bytes name the dataset and version.

The object store knows only digests; a user knows ``wine v3``. Every read of a version's
objects (load, rows, diff, a folder's listing) goes through :func:`naming_version`, so a
corrupt or missing object is reported the same way by the Python API, the magics and REST.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import Corrupt, NotFound
from .models import DatasetVersion


@contextmanager
def naming_version(version: DatasetVersion) -> Iterator[None]:
    """Re-raise Corrupt or NotFound from inside the block with the dataset and version."""
    try:
        yield
    except (Corrupt, NotFound) as exc:
        where = f"dataset {version.name} v{version.version}"
        raise type(exc)(f"{where} (object {version.manifest.object_id}): {exc}") from exc
