"""Read and act views of jobs for the REST API (the Jobs panel) and the other surfaces.

Each function takes the job store and a parsed request (path parts as text, checked here)
and returns a model of ``views.py`` or ``models.py``. Runs are launched through
``launch.py``, gates and promotion go through ``promotion.py``, and a run's files are read
through ``runtime.py``; those modules are imported when first used.
"""

from __future__ import annotations

import contextlib
import time
from datetime import timedelta
from typing import Any

import nbformat

from ..contract import parse_id
from ..errors import Conflict, Invalid, NotFound
from ..monitoring.rules import check_monitor_name
from ..progress import Progress
from ..state import now
from ..workspace import Workspace
from .definitions import (
    changed_steps,
    check_job_name,
    notebook_file,
)
from .models import FINISHED, JobRun
from .orm import JobRow
from .parameters import read_parameters
from .promotion_models import GateReport
from .store import JobStore, check_stage
from .views import (
    JobDetail,
    JobSummary,
    ListJobRunsQuery,
    ListJobRunsResponse,
    ListJobsQuery,
    ListJobsResponse,
    LogQuery,
    NotebookParametersQuery,
    NotebookParametersView,
)

POLL_S = 0.1  # a waiter sees its run end this soon (one small read per poll)
PROGRESS_S = 0.5  # how often it reports the running step's executed cells


def parse_run_id(text: str) -> int:
    """A run id from a path segment: a whole number a database can hold, nothing else."""
    return parse_id(text, "job run")


# -- jobs ------------------------------------------------------------------------------------
def summary(store: JobStore, name: str) -> JobSummary:
    """A job with its newest run and whether a notebook changed since its latest version."""
    job = store.get_job(name)
    runs, _ = store.runs(name, limit=1)
    return JobSummary(
        name=job.name,
        latest_version=job.latest_version,
        missed_policy=job.missed_policy,
        stages=job.stages,
        last_run=runs[0] if runs else None,
        notebook_changed=bool(changed_steps(store, name)),
    )


def list_jobs(store: JobStore, query: ListJobsQuery) -> ListJobsResponse:
    """Jobs whose name contains ``query.search``, by name, one page."""
    with store.session() as session:
        total, names = store.name_page(
            session, JobRow.name, query.search, query.offset, query.limit
        )
    jobs = []
    for name in names:
        try:
            jobs.append(summary(store, name))
        except NotFound:  # deleted between the two reads
            total -= 1
    return ListJobsResponse(jobs=jobs, total=total)


def job_detail(store: JobStore, name: str) -> JobDetail:
    check_job_name(name)
    return JobDetail(
        job=store.get_job(name),
        versions=store.versions(name),
        events=store.events(name),
        changed_steps=changed_steps(store, name),
    )


# -- runs ------------------------------------------------------------------------------------
def job_runs(store: JobStore, name: str, query: ListJobRunsQuery) -> ListJobRunsResponse:
    check_job_name(name)
    runs, total = store.runs(name, stage=query.stage, limit=query.limit, offset=query.offset)
    return ListJobRunsResponse(runs=runs, total=total)


def get_run(store: JobStore, run_id: str | int) -> JobRun:
    return store.get_run(parse_run_id(str(run_id)))


ORPHAN_GRACE = timedelta(seconds=3)  # a scheduler launches a due run within a second


def wait_for_run(
    store: JobStore,
    run_id: int,
    timeout: float | None = None,
    *,
    progress: Progress | None = None,
) -> JobRun:
    """Poll run ``run_id`` until it finished (or ``timeout`` seconds passed); every
    ``PROGRESS_S`` ``progress`` hears the running step's executed cells
    (``runtime.report_progress``).

    A retry is queued for a scheduler to launch; when none serves the workspace (a shell
    without Lab or ``jupyter mlops scheduler``) the waiter launches it once it is due, so
    waiting never hangs on a retry no one takes."""
    from .launch import launch
    from .runtime import report_progress

    deadline = None if timeout is None else time.monotonic() + timeout
    current = store.get_run(run_id)
    next_report = 0.0
    while current.status not in FINISHED:
        if progress is not None and time.monotonic() >= next_report:
            next_report = time.monotonic() + PROGRESS_S
            report_progress(store, current, progress)
        if deadline is not None and time.monotonic() >= deadline:
            break
        if current.status == "queued" and current.not_before + ORPHAN_GRACE <= now():
            with contextlib.suppress(Conflict):  # a scheduler took it after all
                launch(store, run_id)
        time.sleep(POLL_S)
        current = store.get_run(run_id)
    if progress is not None:
        report_progress(store, current, progress)
    return current


def _run_step(store: JobStore, run_id: str | int, step: str | None) -> tuple[int, str | None]:
    """The run's id and the step (checked to be one of the run's) a file is asked of."""
    run = get_run(store, run_id)
    if step is not None:
        check_monitor_name(step, "step")
        if step not in {s.name for s in run.steps}:
            raise NotFound(f"job run {run.id} has no step {step!r}")
    return run.id, step


def log_tail(store: JobStore, run_id: str | int, query: LogQuery) -> str:
    from . import runtime

    number, step = _run_step(store, run_id, query.step)
    return runtime.log_tail(store, number, step, query.max_bytes)


def step_notebook(store: JobStore, run_id: str | int, step: str) -> bytes:
    from . import runtime

    number, name = _run_step(store, run_id, step)
    assert name is not None
    return runtime.executed_notebook(store, number, name)


def step_html(store: JobStore, run_id: str | int, step: str) -> str:
    from . import runtime

    number, name = _run_step(store, run_id, step)
    assert name is not None
    return runtime.notebook_html(store, number, name)


# -- promotion -------------------------------------------------------------------------------
def gate_report(store: JobStore, name: str, to: str) -> GateReport:
    """The gates between the stage below ``to`` and ``to``, each with its reason."""
    from . import gates

    check_job_name(name)
    return gates.evaluate(store, name, check_stage(to))


# -- notebooks -------------------------------------------------------------------------------
def notebook_parameters(ws: Workspace, query: NotebookParametersQuery) -> NotebookParametersView:
    """The parameters cell of a notebook of the workspace (for the promote dialog)."""
    path, relative = notebook_file(ws, query.path)
    try:
        node: Any = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    except Exception as exc:  # nbformat raises many kinds for a broken file
        raise Invalid(f"notebook {relative!r} cannot be read: {exc}") from exc
    tagged = any("parameters" in c.get("metadata", {}).get("tags", ()) for c in node.cells)
    return NotebookParametersView(
        path=relative, has_parameters_cell=tagged, parameters=read_parameters(node)
    )
