"""Jobs in team mode: a kernel runs, watches, schedules and promotes the team's jobs
through the service, as its Hub token's user.

Each function is the twin of one in ``api.py`` with the service's routes. Promoting a
notebook to a new job is not among them: the service runs notebooks from its own
workspace, so a job is created where the notebook is (the service's workspace, by the
Jobs panel or an operator), not from a kernel's files.
"""

from __future__ import annotations

import builtins
import time
from collections.abc import Mapping
from typing import Any

from ..remote import Call, client, every_page
from .models import FINISHED, Job, JobEvent, JobRun, JobVersion, StageState
from .promotion_models import GateReport, PromotionResult
from .views import (
    JobDetail,
    ListJobRunsQuery,
    ListJobRunsResponse,
    ListJobsQuery,
    ListJobsResponse,
    PromoteStageRequest,
    PromotionQuery,
    RollbackRequest,
    RunRequest,
    StageUpdate,
)

LIST = Call("get", "/jobs", ListJobsResponse, query=ListJobsQuery)
DETAIL = Call("get", "/jobs/{name}", JobDetail)
NEW_VERSION = Call("post", "/jobs/{name}/versions", JobVersion)
STAGE = Call("put", "/jobs/{name}/stages/{stage}", StageState, body=StageUpdate)
RUNS = Call("get", "/jobs/{name}/runs", ListJobRunsResponse, query=ListJobRunsQuery)
RUN = Call("post", "/jobs/{name}/runs", JobRun, body=RunRequest)
GATES = Call("get", "/jobs/{name}/promotion", GateReport, query=PromotionQuery)
PROMOTE = Call("post", "/jobs/{name}/promote", PromotionResult, body=PromoteStageRequest)
ROLLBACK = Call("post", "/jobs/{name}/rollback", StageState, body=RollbackRequest)
GET_RUN = Call("get", "/job-runs/{job_run_id}", JobRun)
CANCEL = Call("post", "/job-runs/{job_run_id}/cancel", JobRun)
CALLS = (LIST, DETAIL, NEW_VERSION, STAGE, RUNS, RUN, GATES, PROMOTE, ROLLBACK, GET_RUN, CANCEL)
PAGE = 200
POLL_S = 0.5  # a waiter asks the service this often


def _job(name: str) -> dict[str, object]:
    return {"name": name}


def detail(name: str) -> JobDetail:
    return client().send(DETAIL, _job(name))


def job(name: str) -> Job:
    return detail(name).job


def jobs() -> builtins.list[Job]:
    def fetch(done: int) -> tuple[builtins.list[str], int]:
        page = client().send(LIST, offset=done, limit=PAGE)
        return [summary.name for summary in page.jobs], page.total

    # (a summary has no creator: each job is read whole)
    return [job(name) for name in every_page(fetch)]


def versions(name: str) -> builtins.list[JobVersion]:
    return detail(name).versions


def events(name: str) -> builtins.list[JobEvent]:
    return detail(name).events


def update(name: str) -> JobVersion:
    return client().send(NEW_VERSION, _job(name))


def schedule(name: str, stage: str, fields: Mapping[str, Any]) -> StageState:
    return client().send(STAGE, {"name": name, "stage": stage}, **fields)


def run(name: str, fields: Mapping[str, Any]) -> JobRun:
    return client().send(RUN, _job(name), **fields)


def get_run(run_id: int) -> JobRun:
    return client().send(GET_RUN, {"job_run_id": int(run_id)})


def wait_for(run_id: int, timeout: float | None) -> JobRun:
    """Ask for run ``run_id`` until it finished (or ``timeout`` seconds passed): the
    service's scheduler launches it and its retries."""
    deadline = None if timeout is None else time.monotonic() + timeout
    current = get_run(run_id)
    while current.status not in FINISHED:
        if deadline is not None and time.monotonic() >= deadline:
            break
        time.sleep(POLL_S)
        current = get_run(run_id)
    return current


def runs(name: str, stage: str | None, limit: int) -> builtins.list[JobRun]:
    found: builtins.list[JobRun] = []
    while len(found) < limit:
        size = min(PAGE, limit - len(found))
        page = client().send(RUNS, _job(name), stage=stage, offset=len(found), limit=size)
        found += page.runs
        if len(found) >= page.total or not page.runs:
            break
    return found


def cancel(run_id: int) -> JobRun:
    return client().send(CANCEL, {"job_run_id": int(run_id)})


def gates(name: str, to: str) -> GateReport:
    return client().send(GATES, _job(name), to=to)


def promote_stage(name: str, to: str, expected_version: int | None) -> PromotionResult:
    return client().send(PROMOTE, _job(name), to=to, expected_version=expected_version)


def rollback(name: str, stage: str) -> StageState:
    return client().send(ROLLBACK, _job(name), stage=stage)
