"""Save and load dataset versions.

A DataFrame is written as Parquet in row-group batches (never a second full copy of the
frame in memory), its bytes stored in the content-addressed object store; a file is stored
as is. The next version number is taken inside one write transaction (IMMEDIATE on
SQLite, and a UNIQUE (dataset, version) constraint everywhere), so two kernels saving the
same name at once get distinct versions. Saving content identical to the latest version
answers with that version and writes nothing. Every load verifies the content hash.
"""

from __future__ import annotations

import io
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import db
from ..errors import Corrupt, Invalid, NotFound, StorageError
from ..identity import check_username, current_author
from ..objects import ObjectStore, check_digest
from ..progress import Progress
from ..state import StateStore, children
from ..state import now as utc_now
from ..workspace import Workspace
from . import expectations
from .checks import Check, CheckReport
from .diff import DatasetDiff, keyed_row_changes, schema_and_stats
from .folders import materialize, put_folder
from .frame_writer import FrameWriter
from .models import (
    HASH_PREFIX,
    VERSION_REF,
    ColumnStats,
    DatasetVersion,
    Manifest,
    SaveResult,
    check_name,
    check_tag,
    parse_ref,
)
from .orm import DatasetRow, DatasetTagRow, DatasetVersionRow
from .reading import naming_version
from .stats import column_stats

_RETRIES = 5
SMALL_TABLE_BYTES = 1 << 20  # a recorded upload up to this size is read in one thread


def _provenance(
    key: list[str] | None, author: str | None, message: str, notebook: str | None, cell: str | None
) -> dict[str, Any]:
    """The manifest fields saying who saved a version, from where, why, and its row key."""
    return {
        "key": key or None,
        "author": check_username(author, "author") if author else current_author(),
        "message": message,
        "source_notebook": notebook,
        "source_cell": cell,
    }


class DatasetStore(StateStore):
    """The dataset catalog of one workspace."""

    def __init__(self, ws: Workspace) -> None:
        super().__init__(ws)
        self.objects = ObjectStore(ws.object_store_url)

    # -- saving --------------------------------------------------------------------
    def save(
        self,
        name: str,
        value: Any,
        message: str = "",
        author: str | None = None,
        notebook: str | None = None,
        cell: str | None = None,
        key: list[str] | None = None,
        *,
        progress: Progress | None = None,
    ) -> SaveResult:
        """Store ``value``: a DataFrame, or a path to a file or folder inside the workspace.

        The dataset's checks are evaluated on a new DataFrame version and recorded with it
        (a failing version is kept, flagged); identical content answers the latest version.
        ``progress`` hears the rows written of a DataFrame, the bytes of a file or folder.
        """
        check_name(name)
        import pandas as pd

        frame = value if isinstance(value, pd.DataFrame) else None
        if frame is not None and key:
            missing = [k for k in key if k not in frame.columns]
            if missing:
                raise Invalid(f"key column(s) {missing} are not columns of {name!r}")
        elif key:
            raise Invalid("--key applies to DataFrames only")
        draft = {
            **self._put_new_value(name, value, progress),
            **_provenance(key, author, message, notebook, cell),
        }
        return self._record_retrying(name, draft, frame)

    def _record_retrying(self, name: str, draft: dict[str, Any], frame: Any) -> SaveResult:
        """``_record``, again with the next number when a concurrent save took this one."""
        for _ in range(_RETRIES):
            try:
                return self._record(name, draft, frame)
            except IntegrityError:  # a concurrent save took the number: take the next
                continue
        raise Invalid(f"dataset {name!r} is being saved by too many writers at once; retry")

    def record_uploaded(
        self,
        name: str,
        object_id: str,
        message: str = "",
        author: str | None = None,
        notebook: str | None = None,
        cell: str | None = None,
        key: list[str] | None = None,
    ) -> SaveResult:
        """Record as the next version of ``name`` a DataFrame whose Parquet bytes were put
        in the object store already (team mode: a kernel writes the bytes, the service
        records them). The object is read through its content hash, so what is recorded is
        exactly what hashes to ``object_id``; its rows and statistics are computed here and
        its checks run, as for ``save``."""
        check_name(name)
        check_digest(object_id)
        import pyarrow as pa

        try:
            size = self.objects.size(object_id)
            threads = size > SMALL_TABLE_BYTES
            frame = self.objects.read_verified(object_id, partial(_read_table, threads=threads))
        except NotFound:
            raise Invalid(
                f"object {object_id} is not in the workspace's object store: put the "
                "frame's Parquet bytes there first"
            ) from None
        except Corrupt:  # (what they hash to is not said: the bytes may be anything)
            raise Invalid(f"the bytes stored as object {object_id} do not hash to it") from None
        except (OSError, ValueError, pa.ArrowException) as exc:
            raise Invalid(f"object {object_id} is not a Parquet table: {exc}") from None
        missing = [k for k in key or [] if k not in frame.columns]
        if missing:
            raise Invalid(f"key column(s) {missing} are not columns of {name!r}")
        draft = {
            "kind": "dataframe",
            "object_id": object_id,
            "size": size,
            "rows": len(frame),
            "columns": column_stats(frame, numpy_numbers=True),
            **_provenance(key, author, message, notebook, cell),
        }
        return self._record_retrying(name, draft, frame)

    def _put_new_value(self, name: str, value: Any, progress: Progress | None) -> dict[str, Any]:
        """``_put_value``, a failing write named: which dataset and version could not be
        saved, and that nothing was stored (the object store writes atomically, so a
        failed write leaves no object behind, and no version row is written)."""
        try:
            return self._put_value(name, value, progress)
        except OSError as exc:
            with db.session_scope(self.url) as session:
                number = _next_number(session, name)
            why = exc.strerror or str(exc)
            raise StorageError(
                f"dataset {name!r} v{number} could not be saved: {why} "
                f"({db.masked_url(self.ws.object_store_url)}); nothing was stored"
            ) from exc

    def _put_value(self, name: str, value: Any, progress: Progress | None) -> dict[str, Any]:
        """Store the bytes of ``value``; the manifest fields that describe them."""
        import pandas as pd

        if isinstance(value, pd.DataFrame):
            object_id, size, columns = self._put_frame(value, progress)
            return {
                "kind": "dataframe",
                "object_id": object_id,
                "size": size,
                "rows": len(value),
                "columns": columns,
            }
        if isinstance(value, str | Path):
            path = self._workspace_path(Path(value))
            if path.is_dir():
                object_id, size, files = put_folder(self.objects, path, progress)
                return {
                    "kind": "folder",
                    "object_id": object_id,
                    "size": size,
                    "files": files,
                    "file_name": path.name,
                }
            object_id, size = self.objects.put_file(path, progress=progress)
            return {"kind": "file", "object_id": object_id, "size": size, "file_name": path.name}
        raise Invalid(
            f"cannot save a {type(value).__name__} as dataset {name!r}: "
            "give a pandas DataFrame or a path to a file or folder"
        )

    def _put_frame(
        self, frame: Any, progress: Progress | None = None
    ) -> tuple[str, int, list[ColumnStats]]:
        """Write ``frame`` as Parquet straight into the object store's staging file, its
        column statistics computed alongside (``FrameWriter``); returns (object id, size,
        statistics)."""
        with FrameWriter(frame, progress) as writer:
            object_id, size = self.objects.put_staged(writer.write, meanwhile=writer.finish)
        return object_id, size, writer.columns

    def _workspace_path(self, path: Path) -> Path:
        resolved = (self.ws.root / path).resolve()  # an absolute path stays itself
        if not resolved.is_relative_to(self.ws.root):
            raise Invalid(f"{path} is outside the workspace {self.ws.root}")
        if not (resolved.is_file() or resolved.is_dir()):
            raise Invalid(f"{path} is neither a file nor a folder in the workspace")
        return resolved

    def _record(self, name: str, draft: dict[str, Any], frame: Any) -> SaveResult:
        now = utc_now()
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
                report = expectations.get_report(session, dataset.id, latest.version)
                return SaveResult(
                    version=_to_model(
                        name, latest, passed=expectations.passed_by_version(session, dataset.id)
                    ),
                    created=False,
                    checks=report,
                )
            number = _next_number(session, name)
            if draft["key"] is None and latest is not None:  # the key carries forward
                columns = draft.get("columns", [])
                draft = {**draft, "key": _usable_key(_to_model(name, latest), columns)}
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
            version = _to_model(name, row)
            checks = expectations.get_checks(session, dataset.id)
            report = None
            if checks and frame is not None:
                parent = _to_model(name, latest) if latest is not None else None
                report = expectations.run_checks(checks, version, frame, parent)
                expectations.save_report(session, dataset.id, report)
                version = version.model_copy(update={"checks_passed": report.passed})
            return SaveResult(version=version, created=True, checks=report)

    # -- reading -------------------------------------------------------------------
    def resolve(self, ref: str) -> DatasetVersion:
        """The version a reference names: latest, ``@vN``, ``@TAG`` or ``@HASHPREFIX``."""
        name, selector = parse_ref(ref)
        with db.read_scope(self.url) as session:
            dataset = _dataset(session, name)
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
            return _to_model(
                name,
                rows[0],
                _tags(session, dataset.id),
                expectations.passed_by_version(session, dataset.id),
            )

    def load(self, ref: str) -> Any:
        """A DataFrame; for a file or folder version, the path of a verified local copy."""
        return read_version(self.objects, self.resolve(ref))

    def diff(self, ref_a: str, ref_b: str, key: list[str] | None = None) -> DatasetDiff:
        """What changed from ``ref_a`` to ``ref_b``; row by row on ``key``, which defaults
        to the declared key of ``ref_b`` (else of ``ref_a``) when both versions have it."""
        a, b = self.resolve(ref_a), self.resolve(ref_b)
        for v in (a, b):
            if v.manifest.kind != "dataframe":
                raise Invalid(
                    f"{v.name} v{v.version} is a {v.manifest.kind}, not a table: nothing to diff"
                )
        if key is None:
            key = _usable_key(b, a.manifest.columns) or _usable_key(a, b.manifest.columns)
        result = DatasetDiff(
            a=f"{a.name}@v{a.version}",
            b=f"{b.name}@v{b.version}",
            rows_a=a.manifest.rows,
            rows_b=b.manifest.rows,
            key=key,
            **schema_and_stats(a, b),
        )
        if key:  # counted by DuckDB over the two verified Parquet objects
            changes = keyed_row_changes(self.objects, a, b, key)
            result = result.model_copy(update=changes)
        return result

    def log(self, name: str) -> list[DatasetVersion]:
        """Every version of a dataset, newest first."""
        check_name(name)
        with db.read_scope(self.url) as session:
            dataset = _dataset(session, name)
            rows = children(
                session, DatasetVersionRow.dataset_id, dataset.id, DatasetVersionRow.version.desc()
            )
            tags = _tags(session, dataset.id)
            passed = expectations.passed_by_version(session, dataset.id)
            return [_to_model(name, r, tags, passed) for r in rows]

    def tag(self, ref: str, tag: str) -> DatasetVersion:
        """Name the version ``ref`` points at; an existing tag of that name moves to it."""
        check_tag(tag)
        version = self.resolve(ref)
        now = utc_now()
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

    # -- checks --------------------------------------------------------------------
    def expect(self, name: str, checks: list[Check]) -> list[Check]:
        """Attach ``checks`` to dataset ``name`` (replacing its earlier ones)."""
        check_name(name)
        now = utc_now()
        with db.session_scope(self.url) as session:
            dataset = session.scalar(select(DatasetRow).where(DatasetRow.name == name))
            if dataset is None:  # checks may be declared before the first save
                dataset = DatasetRow(name=name, created_at=now)
                session.add(dataset)
                session.flush()
            expectations.set_checks(session, dataset.id, checks)
        return checks

    def checks(self, name: str) -> list[Check]:
        """The checks attached to dataset ``name``."""
        check_name(name)
        with db.read_scope(self.url) as session:
            return expectations.get_checks(session, _dataset(session, name).id)

    def check(self, ref: str) -> CheckReport:
        """Evaluate the dataset's checks on the version ``ref`` names and record the report."""
        version = self.resolve(ref)
        if version.manifest.kind != "dataframe":
            raise Invalid(
                f"{version.name} v{version.version} is a {version.manifest.kind}: "
                "checks apply to tables"
            )
        checks = self.checks(version.name)
        if not checks:
            raise Invalid(
                f"dataset {version.name!r} has no checks: declare them with "
                "mlops.datasets.expect() or in the Datasets panel"
            )
        parent_number = version.manifest.parent_version
        parent = self.resolve(f"{version.name}@v{parent_number}") if parent_number else None
        frame = self.load(f"{version.name}@v{version.version}")
        report = expectations.run_checks(checks, version, frame, parent)
        with db.session_scope(self.url) as session:
            expectations.save_report(session, _dataset(session, version.name).id, report)
        return report

    def report(self, ref: str) -> CheckReport | None:
        """The recorded check report of a version (None if it was never checked)."""
        version = self.resolve(ref)
        with db.read_scope(self.url) as session:
            dataset_id = _dataset(session, version.name).id
            return expectations.get_report(session, dataset_id, version.version)

    def names(self) -> list[str]:
        """All dataset names, sorted."""
        with db.read_scope(self.url) as session:
            return list(session.scalars(select(DatasetRow.name).order_by(DatasetRow.name)))


def _usable_key(version: DatasetVersion, columns: list[ColumnStats]) -> list[str] | None:
    """``version``'s declared key if every key column is among ``columns``, else None."""
    key = version.manifest.key
    names = {c.name for c in columns}
    return key if key and version.manifest.kind == "dataframe" and set(key) <= names else None


def _next_number(session: Any, name: str) -> int:
    """The number the next version of dataset ``name`` takes (1 for a new dataset)."""
    latest = session.scalar(
        select(func.max(DatasetVersionRow.version))
        .join(DatasetRow, DatasetRow.id == DatasetVersionRow.dataset_id)
        .where(DatasetRow.name == name)
    )
    return int(latest or 0) + 1


def _dataset(session: Any, name: str) -> DatasetRow:
    dataset = session.scalar(select(DatasetRow).where(DatasetRow.name == name))
    if dataset is None:
        raise NotFound(f"no dataset named {name!r}")
    return dataset  # type: ignore[no-any-return]


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
    name: str,
    row: DatasetVersionRow,
    tags: dict[int, list[str]] | None = None,
    passed: dict[int, bool] | None = None,
) -> DatasetVersion:
    return DatasetVersion(
        name=name,
        version=row.version,
        created_at=row.created_at,
        manifest=Manifest.model_validate_json(row.manifest),
        tags=(tags or {}).get(row.version, []),
        checks_passed=(passed or {}).get(row.version),
    )


def _read_table(source: Any, *, threads: bool) -> Any:
    """A Parquet table as a DataFrame (as ``pd.read_parquet``); ``threads=False`` reads it
    in this thread, which for a small table costs less than handing it to a pool."""
    import pyarrow.parquet as pq

    return pq.read_table(source, use_threads=threads).to_pandas(use_threads=threads)


def read_version(objects: ObjectStore, version: DatasetVersion) -> Any:
    """The data of ``version`` from ``objects`` (its bytes verified by their hash): a
    DataFrame; for a file or folder version, the path of a local copy."""
    manifest = version.manifest
    with naming_version(version):
        if manifest.kind == "dataframe":
            import pandas as pd

            data = objects.read_bytes(manifest.object_id)
            return pd.read_parquet(io.BytesIO(data))
        target = Path(tempfile.mkdtemp(prefix="mlops-dataset-")) / (manifest.file_name or "data")
        if manifest.kind == "folder":
            return materialize(objects, manifest.object_id, target)
        return objects.copy_to(manifest.object_id, target)
