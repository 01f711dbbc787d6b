"""The reference side of a drift check: its columns, and each column's profile on demand.

``FrameReference`` profiles the columns of a DataFrame. ``DatasetReference`` is a dataset
version of the catalog: a column with a stored profile (``profile_store.py``) is read from
it; the others are read from the version's verified Parquet object (only those columns) and
profiled, and their profiles are stored for the next check (``keep``, then ``remember``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Hashable, Sequence
from typing import Any, Protocol

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from ..datasets.models import DatasetVersion
from ..datasets.reading import naming_version
from .profile_store import ReferenceProfiles, storable
from .profiles import ColumnProfile, profile_of

log = logging.getLogger(__name__)


class Reference(Protocol):
    rows: int
    columns: list[Hashable]  # in order, a name repeated as often as the data repeats it

    def profile(self, name: Hashable) -> ColumnProfile:
        """The profile of the (single) column ``name``."""

    def frame(self, columns: Sequence[Hashable] | None = None) -> pd.DataFrame:
        """The data, holding at least ``columns`` (every column when None)."""

    def keep(self, name: Hashable, profile: ColumnProfile) -> None:
        """Called once a column's check is done, from the thread that checked it."""

    def remember(self) -> None:
        """Called once the check is done."""


class FrameReference:
    """The columns of a DataFrame, profiled when a check asks."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.data = frame
        self.rows = len(frame)
        self.columns: list[Hashable] = list(frame.columns)

    def profile(self, name: Hashable) -> ColumnProfile:
        return profile_of(self.data[name])

    def frame(self, columns: Sequence[Hashable] | None = None) -> pd.DataFrame:
        return self.data

    def keep(self, name: Hashable, profile: ColumnProfile) -> None:
        pass

    def remember(self) -> None:
        pass


class DatasetReference:
    """A dataset version (a table): stored profiles first, its data for the others."""

    def __init__(self, version: DatasetVersion, profiles: ReferenceProfiles) -> None:
        manifest = version.manifest
        self.version = version
        self.profiles = profiles
        self.rows = manifest.rows or 0
        self.columns: list[Hashable] = [c.name for c in manifest.columns]
        self.stored = profiles.stored(manifest.object_id, [c.name for c in manifest.columns])
        self._unread: dict[Hashable, pd.Series] = {}
        self._done: set[Hashable] = set()
        self._lock = threading.Lock()
        self._built: set[Hashable] = set()
        self._kept: dict[Hashable, str] = {}

    def profile(self, name: Hashable) -> ColumnProfile:
        digest = self.stored.get(str(name))
        if digest is not None:
            found = self.profiles.read(digest, self.rows)
            if found is not None:
                return found
        return profile_of(self._column(name))

    def _column(self, name: Hashable) -> pd.Series:
        """One column's values, read with every column not read yet that has no stored
        profile (one read of the Parquet file for all of them); handed out once."""
        with self._lock:
            self._built.add(name)
            if name not in self._unread:
                others = (c for c in self.columns if c not in self.stored and c not in self._done)
                frame = self.frame(list(dict.fromkeys([name, *others])))
                self._unread.update({c: frame[c] for c in frame.columns})
                self._done.update(frame.columns)
            return self._unread.pop(name)

    def frame(self, columns: Sequence[Hashable] | None = None) -> pd.DataFrame:
        """The version's data (verified): every column, or ``columns`` of it."""
        return self._read(None if columns is None else list(columns))

    def _read(self, columns: list[Any] | None) -> pd.DataFrame:
        objects = self.profiles.objects
        object_id = self.version.manifest.object_id
        with naming_version(self.version):
            return objects.read_verified(
                object_id, lambda source: pd.read_parquet(source, columns=columns)
            )

    def keep(self, name: Hashable, profile: ColumnProfile) -> None:
        """Store a profile this check computed from the data (when it can be stored)."""
        with self._lock:
            built = name in self._built
        if not built or not storable(profile):
            return
        try:
            digest = self.profiles.put(profile)
        except (OSError, ValueError) as error:
            log.warning("profile of column %r not stored (%s)", name, error)
            return
        with self._lock:
            self._kept[name] = digest

    def remember(self) -> None:
        try:
            self.profiles.remember(self.version.manifest.object_id, self._kept)
        except SQLAlchemyError as error:
            log.warning("reference profiles not recorded (%s)", error)
