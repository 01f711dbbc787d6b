"""Save and load dataset versions.

A DataFrame is written as Parquet in row-group batches (never a second full copy of the
frame in memory), its bytes stored in the content-addressed object store; a file is stored
as is. The next version number is taken inside one write transaction (IMMEDIATE on
SQLite, and a UNIQUE (dataset, version) constraint everywhere), so two kernels saving the
same name at once get distinct versions. Saving content identical to the latest version
answers with that version and writes nothing. Every load verifies the content hash.
"""

from __future__ import annotations

import getpass
import io
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import db
from ..errors import Corrupt, Invalid, NotFound
from ..objects import ObjectStore
from ..workspace import Workspace
from .diff import DatasetDiff, keyed_row_changes, schema_and_stats
from .models import (
    HASH_PREFIX,
    VERSION_REF,
    DatasetVersion,
    Manifest,
    SaveResult,
    check_name,
    check_tag,
    parse_ref,
)
from .orm import DatasetRow, DatasetTagRow, DatasetVersionRow
from .stats import column_stats

ROW_GROUP = 65_536
_RETRIES = 5


class DatasetStore:
    """The dataset catalog of one workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.url = ws.state_db_url
        self.objects = ObjectStore(ws.object_store_url)
        db.migrate(self.url)

    # -- saving --------------------------------------------------------------------
    def save(
        self,
        name: str,
        value: Any,
        message: str = "",
        author: str | None = None,
        notebook: str | None = None,
        cell: str | None = None,
    ) -> SaveResult:
        """Store ``value`` (a DataFrame, or a path to a file inside the workspace)."""
        check_name(name)
        import pandas as pd

        if isinstance(value, pd.DataFrame):
            object_id, size = self._put_frame(value)
            base = {"kind": "dataframe", "rows": len(value), "columns": column_stats(value)}
        elif isinstance(value, str | Path):
            path = self._workspace_file(Path(value))
            object_id, size = self.objects.put_file(path)
            base = {"kind": "file", "file_name": path.name}
        else:
            raise Invalid(
                f"cannot save a {type(value).__name__} as dataset {name!r}: "
                "give a pandas DataFrame or a path to a file"
            )
        draft = {
            **base,
            "object_id": object_id,
            "size": size,
            "author": author or getpass.getuser(),
            "message": message,
            "source_notebook": notebook,
            "source_cell": cell,
        }
        for _ in range(_RETRIES):
            try:
                return self._record(name, draft)
            except IntegrityError:  # a concurrent save took the number: take the next
                continue
        raise Invalid(f"dataset {name!r} is being saved by too many writers at once; retry")

    def _put_frame(self, frame: Any) -> tuple[str, int]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        # The schema (and the index metadata) of the whole frame; data goes in batches.
        schema = pa.Schema.from_pandas(frame, preserve_index=None)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "data.parquet"
            with pq.ParquetWriter(path, schema) as writer:
                for start in range(0, max(len(frame), 1), ROW_GROUP):
                    chunk = frame.iloc[start : start + ROW_GROUP]
                    writer.write_table(
                        pa.Table.from_pandas(chunk, schema=schema, preserve_index=None),
                        row_group_size=ROW_GROUP,
                    )
            return self.objects.put_file(path)

    def _workspace_file(self, path: Path) -> Path:
        resolved = (self.ws.root / path).resolve() if not path.is_absolute() else path.resolve()
        if not resolved.is_relative_to(self.ws.root):
            raise Invalid(f"{path} is outside the workspace {self.ws.root}")
        if not resolved.is_file():
            raise Invalid(f"{path} is not a file")
        return resolved

    def _record(self, name: str, draft: dict[str, Any]) -> SaveResult:
        now = datetime.now(UTC).replace(tzinfo=None)
        with db.session_scope(self.url) as session:
            dataset = session.scalar(select(DatasetRow).where(DatasetRow.name == name))
            if dataset is None:
                dataset = DatasetRow(name=name, created_at=now)
                session.add(dataset)
                session.flush()
            latest = session.scalar(
                select(DatasetVersionRow)
                .where(DatasetVersionRow.dataset_id == dataset.id)
                .order_by(DatasetVersionRow.version.desc())
                .limit(1)
            )
            if latest is not None and latest.object_id == draft["object_id"]:
                return SaveResult(version=_to_model(name, latest), created=False)
            number = (
                session.scalar(
                    select(func.max(DatasetVersionRow.version)).where(
                        DatasetVersionRow.dataset_id == dataset.id
                    )
                )
                or 0
            ) + 1
            manifest = Manifest(**draft, parent_version=latest.version if latest else None)
            row = DatasetVersionRow(
                dataset_id=dataset.id,
                version=number,
                kind=manifest.kind,
                object_id=manifest.object_id,
                size=manifest.size,
                manifest=manifest.model_dump_json(),
                created_at=now,
            )
            session.add(row)
            session.flush()
            return SaveResult(version=_to_model(name, row), created=True)

    # -- reading -------------------------------------------------------------------
    def resolve(self, ref: str) -> DatasetVersion:
        """The version a reference names: latest, ``@vN``, ``@TAG`` or ``@HASHPREFIX``."""
        name, selector = parse_ref(ref)
        with db.session_scope(self.url) as session:
            dataset = session.scalar(select(DatasetRow).where(DatasetRow.name == name))
            if dataset is None:
                raise NotFound(f"no dataset named {name!r}")
            query = select(DatasetVersionRow).where(DatasetVersionRow.dataset_id == dataset.id)
            if selector is None:
                query = query.order_by(DatasetVersionRow.version.desc()).limit(1)
            elif VERSION_REF.fullmatch(selector):
                query = query.where(DatasetVersionRow.version == int(selector[1:]))
            elif HASH_PREFIX.fullmatch(selector):
                query = query.where(DatasetVersionRow.object_id.startswith(selector))
            else:
                tagged = session.scalar(
                    select(DatasetTagRow.version).where(
                        DatasetTagRow.dataset_id == dataset.id, DatasetTagRow.tag == selector
                    )
                )
                if tagged is None:
                    raise NotFound(f"dataset {name!r} has no tag {selector!r}")
                query = query.where(DatasetVersionRow.version == tagged)
            rows = session.scalars(query).all()
            if not rows:
                raise NotFound(f"dataset {name!r} has no version {selector or '(none saved)'}")
            if len(rows) > 1:
                raise Invalid(f"{ref!r} matches {len(rows)} versions: give more hash digits")
            return _to_model(name, rows[0], _tags(session, dataset.id))

    def load(self, ref: str) -> Any:
        """A DataFrame (or, for a file version, a verified local copy's path)."""
        version = self.resolve(ref)
        manifest = version.manifest
        try:
            if manifest.kind == "dataframe":
                import pandas as pd

                data = self.objects.read_bytes(manifest.object_id)
                return pd.read_parquet(io.BytesIO(data))
            target = Path(tempfile.mkdtemp(prefix="mlops-dataset-")) / (
                manifest.file_name or "data"
            )
            return self.objects.copy_to(manifest.object_id, target)
        except (Corrupt, NotFound) as exc:
            raise type(exc)(
                f"dataset {version.name} v{version.version} (object {manifest.object_id}): {exc}"
            ) from exc

    def diff(self, ref_a: str, ref_b: str, key: list[str] | None = None) -> DatasetDiff:
        """What changed from ``ref_a`` to ``ref_b``; with ``key``, row by row."""
        a, b = self.resolve(ref_a), self.resolve(ref_b)
        for v in (a, b):
            if v.manifest.kind != "dataframe":
                raise Invalid(f"{v.name} v{v.version} is a file, not a table: nothing to diff")
        result = DatasetDiff(
            a=f"{a.name}@v{a.version}",
            b=f"{b.name}@v{b.version}",
            rows_a=a.manifest.rows,
            rows_b=b.manifest.rows,
            key=key,
            **schema_and_stats(a, b),
        )
        if key:
            changes = keyed_row_changes(self.load(result.a), self.load(result.b), key)
            result = result.model_copy(update=changes)
        return result

    def log(self, name: str) -> list[DatasetVersion]:
        """Every version of a dataset, newest first."""
        check_name(name)
        with db.session_scope(self.url) as session:
            dataset = session.scalar(select(DatasetRow).where(DatasetRow.name == name))
            if dataset is None:
                raise NotFound(f"no dataset named {name!r}")
            rows = session.scalars(
                select(DatasetVersionRow)
                .where(DatasetVersionRow.dataset_id == dataset.id)
                .order_by(DatasetVersionRow.version.desc())
            ).all()
            tags = _tags(session, dataset.id)
            return [_to_model(name, r, tags) for r in rows]

    def tag(self, ref: str, tag: str) -> DatasetVersion:
        """Name the version ``ref`` points at; an existing tag of that name moves to it."""
        check_tag(tag)
        version = self.resolve(ref)
        now = datetime.now(UTC).replace(tzinfo=None)
        with db.session_scope(self.url) as session:
            dataset_id = session.scalar(
                select(DatasetRow.id).where(DatasetRow.name == version.name)
            )
            assert dataset_id is not None
            session.merge(
                DatasetTagRow(
                    dataset_id=dataset_id, tag=tag, version=version.version, created_at=now
                )
            )
        return self.resolve(f"{version.name}@v{version.version}")

    def names(self) -> list[str]:
        """All dataset names, sorted."""
        with db.session_scope(self.url) as session:
            return list(session.scalars(select(DatasetRow.name).order_by(DatasetRow.name)))


def _tags(session: Any, dataset_id: int) -> dict[int, list[str]]:
    by_version: dict[int, list[str]] = {}
    for tag, version in session.execute(
        select(DatasetTagRow.tag, DatasetTagRow.version)
        .where(DatasetTagRow.dataset_id == dataset_id)
        .order_by(DatasetTagRow.tag)
    ):
        by_version.setdefault(version, []).append(tag)
    return by_version


def _to_model(
    name: str, row: DatasetVersionRow, tags: dict[int, list[str]] | None = None
) -> DatasetVersion:
    return DatasetVersion(
        name=name,
        version=row.version,
        created_at=row.created_at,
        manifest=Manifest.model_validate_json(row.manifest),
        tags=(tags or {}).get(row.version, []),
    )
