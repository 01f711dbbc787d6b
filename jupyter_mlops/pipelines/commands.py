"""What the Jobs panel, the REST API and ``jupyter mlops job`` ask to change: promote a
notebook to a job, snapshot a new version, configure a stage, start and cancel runs,
move a version through the gates, roll back. Each returns the contract's model;
reads are in ``queries.py``."""

from __future__ import annotations

from ..errors import Conflict
from .definitions import (
    check_job_name,
    create_job,
    promote_notebook,
    update_job,
)
from .models import Job, JobRun, JobVersion, StageState
from .overrides import check_overrides, stage_spec
from .promotion_models import PromotionResult
from .queries import parse_run_id
from .schedule import parse_schedule
from .store import JobStore, check_stage
from .views import (
    PromoteRequest,
    RunRequest,
    StageUpdate,
)


def promote(store: JobStore, body: PromoteRequest, by: str) -> Job:
    """Create a job from a notebook or a pipeline of notebooks (nothing stored if invalid)."""
    cron = body.cron or None
    if body.steps is not None:
        assert body.name is not None  # the request model requires it with steps
        return create_job(
            store,
            body.name,
            body.steps,
            by,
            options=body.options,
            cron=cron,
            timezone=body.timezone,
        )
    assert body.notebook is not None
    return promote_notebook(
        store,
        body.notebook,
        by,
        name=body.name,
        parameters=body.parameters,
        cron=cron,
        timezone=body.timezone,
        options=body.options,
    )


def new_version(store: JobStore, name: str, by: str) -> JobVersion:
    """Snapshot the job's changed notebooks as a new version, which dev runs from now on
    (staging and prod get it by promotion)."""
    check_job_name(name)
    version = update_job(store, name, by)
    store.configure_stage(name, "dev", by, version=version.number)
    return version


def update_stage(store: JobStore, name: str, stage: str, body: StageUpdate, by: str) -> StageState:
    """Change the fields of ``body`` that were given; everything checked first."""
    check_job_name(name)
    check_stage(stage)
    job = store.get_job(name)
    state = next(s for s in job.stages if s.stage == stage)
    given = body.model_fields_set
    cron = (body.cron or None) if "cron" in given else state.cron
    timezone = body.timezone if body.timezone is not None else state.timezone
    parse_schedule(cron or "0 0 * * *", timezone)  # checks the cron and the timezone
    parameters = None
    if body.parameters is not None:
        spec = stage_spec(store, name, stage, latest=True)
        parameters = check_overrides(store, spec, body.parameters)
    return store.configure_stage(
        name,
        stage,
        by,
        cron=(body.cron or None) if "cron" in given else ...,
        timezone=body.timezone,
        parameters=parameters,
        paused=body.paused,
    )


def launch_run(store: JobStore, run: JobRun) -> JobRun:
    """Start a queued run's worker now; a run someone else launched is returned as it is."""
    from . import launch

    if run.status != "queued":
        return run
    try:
        return launch.launch(store, run.id)
    except Conflict:  # launched by a racing request (same token) or the scheduler
        return store.get_run(run.id)


def start_run(store: JobStore, name: str, body: RunRequest, by: str) -> JobRun:
    """Run now: queue a run of the stage's version with the given parameter overrides
    (checked against its notebooks) and launch it. The same ``token`` gives the same run."""
    check_job_name(name)
    spec = stage_spec(store, name, body.stage)
    values = check_overrides(store, spec, body.parameters)
    run = store.create_run(name, body.stage, "manual", by, parameters=values, token=body.token)
    if (run.job, run.stage) != (name, body.stage):
        raise Conflict(
            f"token {body.token!r} already started run {run.id} of job {run.job!r} in "
            f"{run.stage}; use a new token for each run"
        )
    return launch_run(store, run)


def cancel(store: JobStore, run_id: str | int, by: str) -> JobRun:
    """Cancel a run (its worker and kernel are stopped); Conflict if it already ended."""
    from . import launch

    return launch.cancel(store, parse_run_id(str(run_id)), by)


def promote_stage(
    store: JobStore, name: str, to: str, by: str, expected_version: int | None = None
) -> PromotionResult:
    """Promote the lower stage's version into ``to``; Conflict when a gate fails or a
    racing promotion won."""
    from . import promotion

    check_job_name(name)
    return promotion.promote(store, name, check_stage(to), by, expected_version=expected_version)


def rollback(store: JobStore, name: str, stage: str, by: str) -> StageState:
    """Put ``stage`` back on the version it ran before its last promotion."""
    from . import promotion

    check_job_name(name)
    return promotion.rollback(store, name, check_stage(stage), by)
