"""The MLflow runs a job run created: those tagged ``mlops.job.run`` with its id; and the
MLflow runs of a job version's newest runs, which promotion gates of other areas read
(a model review, the features a model was trained on).

Importing MLflow and searching costs a worker a second or more of CPU, which a run that
tracked nothing should not pay: ``StoreWatch`` tells from the file stamps of a local SQLite
store (and its write-ahead log) whether anything was written since the run started; a
store elsewhere (a tracking server, PostgreSQL) always counts as written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .. import tags as mlops_tags
from ..workspace import Workspace

if TYPE_CHECKING:
    from .store import JobStore

RUN_TAG = mlops_tags.JOB_RUN
RUNS_LOOKED_AT = 200  # the newest job runs of a version whose MLflow runs are read
SEARCH_CHUNK = 100  # experiments per search


def _sqlite_files(ws: Workspace) -> list[Path] | None:
    uri = ws.tracking_uri
    if not uri.startswith("sqlite:///"):
        return None
    db = Path(uri.removeprefix("sqlite:///"))
    return [db, db.with_name(db.name + "-wal")]


class StoreWatch:
    """Whether the workspace's MLflow store may have been written since this was made."""

    def __init__(self, ws: Workspace) -> None:
        self.files = _sqlite_files(ws)
        self.before = self._stamps()

    def _stamps(self) -> list[tuple[int, int] | None]:
        stamps: list[tuple[int, int] | None] = []
        for path in self.files or []:
            try:
                st = os.stat(path)
            except OSError:  # gone, or unreadable for now: counts as no file
                stamps.append(None)
            else:
                stamps.append((st.st_mtime_ns, st.st_size))
        return stamps

    def changed(self) -> bool:
        return self.files is None or self._stamps() != self.before


def import_mlflow() -> None:
    """Import MLflow's client now (seconds), e.g. in a thread while kernels run."""
    import mlflow.tracking  # noqa: F401


def tagged_runs(ws: Workspace, run_id: int) -> list[str]:
    """Ids of the MLflow runs tagged with job run ``run_id``, oldest first."""
    files = _sqlite_files(ws)
    if files is not None and not files[0].is_file():
        return []  # no MLflow store yet: nothing was tracked
    from mlflow.entities import Run, ViewType
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=ws.tracking_uri)
    experiments: list[str] = []
    token = None
    while True:  # every experiment, page by page
        page = client.search_experiments(view_type=ViewType.ALL, page_token=token)
        experiments.extend(e.experiment_id for e in page)
        token = page.token
        if not token:
            break
    found: list[Run] = []
    for start in range(0, len(experiments), SEARCH_CHUNK):
        found.extend(
            client.search_runs(
                experiments[start : start + SEARCH_CHUNK],
                filter_string=f"tags.`{RUN_TAG}` = '{int(run_id)}'",
                run_view_type=ViewType.ALL,
                max_results=1000,
            )
        )
    return [r.info.run_id for r in sorted(found, key=lambda r: r.info.start_time or 0)]


def mlflow_runs_of(store: JobStore, job: str, version: int) -> list[str]:
    """The MLflow run ids the newest runs of ``job`` version ``version`` tracked."""
    from sqlalchemy import select

    from .orm import JobRunRow, JobVersionRow
    from .store import job_row

    with store.session() as session:
        row = job_row(session, job)
        texts = session.scalars(
            select(JobRunRow.mlflow_run_ids)
            .join(JobVersionRow, JobVersionRow.id == JobRunRow.version_id)
            .where(JobRunRow.job_id == row.id, JobVersionRow.number == version)
            .order_by(JobRunRow.id.desc())
            .limit(RUNS_LOOKED_AT)
        ).all()
    ids: dict[str, None] = {}
    for text in texts:
        ids.update(dict.fromkeys(json.loads(text)))
    return list(ids)
