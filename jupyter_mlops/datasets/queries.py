"""Read and edit views of the dataset catalog for the REST API (the Datasets panel).

Each function takes the store (and MLflow's client where lineage is needed) and a parsed
request model, and returns a response model of ``models.py``.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from mlflow.tracking import MlflowClient
from sqlalchemy import func, select

from ..errors import Invalid
from .checks import Check, CheckReport
from .diff import DatasetDiff
from .expectations import get_checks
from .folders import list_folder
from .lineage import lineage_runs
from .models import (
    DatasetDetail,
    DatasetSummary,
    DatasetVersion,
    DiffQuery,
    FolderFile,
    ListDatasetsQuery,
    ListDatasetsResponse,
    RowsPage,
    RowsQuery,
    VersionDetail,
    check_name,
)
from .orm import (
    DatasetCheckReportRow,
    DatasetChecksRow,
    DatasetRow,
    DatasetTagRow,
    DatasetVersionRow,
)
from .reading import naming_version
from .store import DatasetStore
from .store import _to_model as version_of


def list_datasets(store: DatasetStore, query: ListDatasetsQuery) -> ListDatasetsResponse:
    """Datasets whose name contains ``query.search``, by name, one page of them: each with
    its version count, latest version and number of checks, read in one snapshot by a
    handful of queries for the whole page."""
    with store.reading() as session:
        total, names = store.name_page(
            session, DatasetRow.name, query.search, query.page * query.page_size, query.page_size
        )
        ids = dict(
            session.execute(
                select(DatasetRow.name, DatasetRow.id).where(DatasetRow.name.in_(names))
            ).all()
        )
        counts = dict(
            (name, count)
            for name, count in session.execute(
                select(DatasetRow.name, func.count(DatasetVersionRow.id))
                .join(DatasetVersionRow, DatasetVersionRow.dataset_id == DatasetRow.id)
                .where(DatasetRow.name.in_(names))
                .group_by(DatasetRow.name)
            )
        )
        checks = {
            name: len([Check.model_validate(c) for c in json.loads(text)])  # as store.checks
            for name, text in session.execute(
                select(DatasetRow.name, DatasetChecksRow.checks)
                .join(DatasetChecksRow, DatasetChecksRow.dataset_id == DatasetRow.id)
                .where(DatasetRow.name.in_(names))
            )
        }
        latest = _latest_versions(session, {ids[n]: n for n in names if counts.get(n)})
    summaries = [
        DatasetSummary(
            name=name,
            versions=counts.get(name, 0),
            latest=latest.get(name),
            checks=checks.get(name, 0),
        )
        for name in names
    ]
    return ListDatasetsResponse(datasets=summaries, total=total)


def _latest_versions(session: Any, names: dict[int, str]) -> dict[str, DatasetVersion]:
    """The newest version of each dataset (by id) with its tags and check verdict, as
    ``DatasetStore.resolve(name)`` gives it, for many datasets in three queries."""
    if not names:
        return {}
    newest = (
        select(DatasetVersionRow.dataset_id, func.max(DatasetVersionRow.version).label("version"))
        .where(DatasetVersionRow.dataset_id.in_(names))
        .group_by(DatasetVersionRow.dataset_id)
        .subquery()
    )
    rows = session.scalars(
        select(DatasetVersionRow).join(
            newest,
            (DatasetVersionRow.dataset_id == newest.c.dataset_id)
            & (DatasetVersionRow.version == newest.c.version),
        )
    ).all()
    tags: dict[int, dict[int, list[str]]] = {}
    for dataset_id, tag, version in session.execute(
        select(DatasetTagRow.dataset_id, DatasetTagRow.tag, DatasetTagRow.version)
        .where(DatasetTagRow.dataset_id.in_(names))
        .order_by(DatasetTagRow.tag)
    ):
        tags.setdefault(dataset_id, {}).setdefault(version, []).append(tag)
    passed: dict[int, dict[int, bool]] = {}
    for dataset_id, version, ok in session.execute(
        select(
            DatasetCheckReportRow.dataset_id,
            DatasetCheckReportRow.version,
            DatasetCheckReportRow.passed,
        ).where(DatasetCheckReportRow.dataset_id.in_(names))
    ):
        passed.setdefault(dataset_id, {})[version] = ok
    return {
        names[row.dataset_id]: version_of(
            names[row.dataset_id], row, tags.get(row.dataset_id), passed.get(row.dataset_id)
        )
        for row in rows
    }


def dataset_detail(store: DatasetStore, name: str) -> DatasetDetail:
    """Every version of a dataset, newest first, and its checks."""
    check_name(name)
    with store.reading() as session:
        dataset = session.scalar(select(DatasetRow).where(DatasetRow.name == name))
        checks = get_checks(session, dataset.id) if dataset is not None else []
    versions = store.log(name)  # raises NotFound for an unknown name
    return DatasetDetail(name=name, versions=versions, checks=checks)


def version_detail(
    store: DatasetStore, client: MlflowClient, name: str, selector: str
) -> VersionDetail:
    """One version with the runs that used or produced it and its check report."""
    version = store.resolve(f"{check_name(name)}@{selector}")
    files = None
    if version.manifest.kind == "folder":
        with naming_version(version):
            listed = list_folder(store.objects, version.manifest.object_id)
        files = [FolderFile(**e) for e in listed]
    with store.reading() as session:  # its recorded report, in one query
        recorded = session.scalar(
            select(DatasetCheckReportRow.report)
            .join(DatasetRow, DatasetRow.id == DatasetCheckReportRow.dataset_id)
            .where(DatasetRow.name == name, DatasetCheckReportRow.version == version.version)
        )
    report = CheckReport.model_validate_json(recorded) if recorded is not None else None
    return VersionDetail(
        version=version,
        lineage=lineage_runs(client, version),
        report=report,
        files=files,
    )


def rows_page(store: DatasetStore, name: str, selector: str, query: RowsQuery) -> RowsPage:
    """One page of a table version's rows, read from the verified Parquet object (hashed on
    its first read; later pages read only their row groups while its stamp is unchanged)."""
    version = store.resolve(f"{check_name(name)}@{selector}")
    if version.manifest.kind != "dataframe":
        raise Invalid(f"{name} v{version.version} is a {version.manifest.kind}: no rows to show")
    with naming_version(version):
        page, total = store.objects.read_verified(
            version.manifest.object_id, partial(_read_page, query=query)
        )
    return RowsPage(
        columns=[str(c) for c in page.columns],
        dtypes=[str(t) for t in page.dtypes],
        rows=json.loads(page.to_json(orient="values", date_format="iso", default_handler=str)),
        page=query.page,
        page_size=query.page_size,
        total=total,
    )


def _read_page(source: Any, query: RowsQuery) -> tuple[Any, int]:
    """The page ``query`` asks for of the Parquet file ``source`` (a path or a buffer), as a
    DataFrame, and the file's row count."""
    import pandas as pd
    import pyarrow.parquet as pq

    with pq.ParquetFile(source) as parquet:
        total = parquet.metadata.num_rows
        start = min(query.page * query.page_size, total)
        stop = min(start + query.page_size, total)
        groups: list[int] = []
        first_row = row = 0
        for index in range(parquet.num_row_groups):  # read only the row groups the page spans
            size = parquet.metadata.row_group(index).num_rows
            if row + size > start and row < stop:
                first_row = row if not groups else first_row
                groups.append(index)
            row += size
        table = parquet.read_row_groups(groups) if groups else parquet.schema_arrow.empty_table()
    page = table.slice(start - first_row, stop - start).to_pandas()
    if not isinstance(page.index, pd.RangeIndex):  # a meaningful index is shown as columns
        page = page.reset_index()
    return page, total


def diff_versions(store: DatasetStore, name: str, query: DiffQuery) -> DatasetDiff:
    """The diff of two versions of one dataset (rows matched on ``key`` when given)."""
    check_name(name)
    return store.diff(f"{name}@{query.a}", f"{name}@{query.b}", query.key or None)
