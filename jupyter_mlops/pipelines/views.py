"""The REST contract of the Jobs panel: the query, request and response model of each view.

The views themselves are in ``queries.py``; the route table (``server/routes.py``) names these
models, so the OpenAPI document and the frontend's types follow them. Jobs, versions, stages
and runs are the core models of ``models.py``; promoting reuses ``definitions.JobOptions``
and ``definitions.StepInput``.
"""

from __future__ import annotations

from typing import Any, Self, TypeVar

from pydantic import BaseModel, Field, ValidationError, model_validator

from ..contract import Count, Id, StrictModel
from ..errors import Invalid
from .definitions import JobOptions, StepInput
from .models import Job, JobEvent, JobRun, JobVersion, MissedPolicy, Stage, StageState
from .parameters import NotebookParameter

MAX_PAGE_SIZE = 500
MAX_LOG_BYTES = 4 * 1024 * 1024
ModelT = TypeVar("ModelT", bound=BaseModel)


def build(model: type[ModelT], what: str, **fields: Any) -> ModelT:
    """A request model from Python or command-line values; Invalid naming each bad field
    (the REST handlers get the same message from the JSON body)."""
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'value'}: {err['msg']}"
            for err in exc.errors()
        )
        raise Invalid(f"{what}: {problems}") from None


class ListJobsQuery(StrictModel):
    """Query of ``GET /mlops/api/jobs``: a name search and a page."""

    search: str = Field(default="", max_length=128, description="Part of the job name")
    offset: Count = 0
    limit: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)


class JobSummary(StrictModel):
    """A job in the list: its stages (version, schedule, next fire), its newest run, and
    whether a notebook changed since the latest version snapshotted it."""

    name: str
    latest_version: int
    missed_policy: MissedPolicy
    stages: list[StageState]
    last_run: JobRun | None
    notebook_changed: bool


class ListJobsResponse(StrictModel):
    jobs: list[JobSummary]  # by name
    total: int  # jobs matching the search


class JobDetail(StrictModel):
    """``GET /mlops/api/jobs/{name}``: the job, its versions (newest first), its audit
    trail (newest first) and the steps whose notebook changed since the latest version."""

    job: Job
    versions: list[JobVersion]
    events: list[JobEvent]
    changed_steps: list[str]


class PromoteRequest(StrictModel):
    """Body of ``POST /mlops/api/jobs``: promote one notebook (``notebook``, with its
    ``parameters``), or a pipeline of notebooks (``steps``, with a ``name``)."""

    notebook: str | None = Field(
        default=None, max_length=4096, description="Path relative to the workspace"
    )
    steps: list[StepInput] | None = None
    name: str | None = Field(default=None, description="Default: the notebook's name")
    parameters: dict[str, Any] = Field(default_factory=dict)
    cron: str | None = Field(
        default=None, max_length=200, description="None or empty: run manually only"
    )
    timezone: str = Field(default="UTC", max_length=100, description="An IANA name")
    options: JobOptions = Field(default_factory=JobOptions)

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.notebook is None) == (self.steps is None):
            raise ValueError("give either notebook or steps")
        if self.steps is not None and self.name is None:
            raise ValueError("a pipeline (steps) needs a name")
        if self.steps is not None and self.parameters:
            raise ValueError("a pipeline takes parameters per step (steps[].parameters)")
        return self


class StageUpdate(StrictModel):
    """Body of ``PUT /mlops/api/jobs/{name}/stages/{stage}``: only the fields given change
    (``cron: null`` makes the stage manual-only)."""

    cron: str | None = Field(default=None, max_length=200)
    timezone: str | None = Field(default=None, max_length=100)
    parameters: dict[str, Any] | None = None
    paused: bool | None = None


class ListJobRunsQuery(StrictModel):
    """Query of ``GET /mlops/api/jobs/{name}/runs``: one stage's runs or all, a page."""

    stage: Stage | None = None
    offset: Count = 0
    limit: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)


class ListJobRunsResponse(StrictModel):
    runs: list[JobRun]  # newest first
    total: int


class RunRequest(StrictModel):
    """Body of ``POST /mlops/api/jobs/{name}/runs``: run now. A repeated request with the
    same ``token`` returns the run the first one created."""

    stage: Stage = "dev"
    parameters: dict[str, Any] = Field(default_factory=dict)
    token: str | None = Field(default=None, min_length=1, max_length=128)


class LogQuery(StrictModel):
    """Query of ``GET /mlops/api/job-runs/{job_run_id}/log``: one step's log or the worker's,
    its last ``max_bytes``."""

    step: str | None = Field(default=None, max_length=128)
    max_bytes: int = Field(default=64 * 1024, ge=1, le=MAX_LOG_BYTES)


class PromotionQuery(StrictModel):
    """Query of ``GET /mlops/api/jobs/{name}/promotion``: the stage to promote to."""

    to: Stage = "staging"


class PromoteStageRequest(StrictModel):
    """Body of ``POST /mlops/api/jobs/{name}/promote``. With ``expected_version`` the
    promotion happens only if the target stage still runs that version (what the caller
    saw), else 409."""

    to: Stage
    expected_version: Id | None = None


class RollbackRequest(StrictModel):
    """Body of ``POST /mlops/api/jobs/{name}/rollback``: the stage to put back on its
    previous version."""

    stage: Stage


class NotebookParametersQuery(StrictModel):
    """Query of ``GET /mlops/api/notebook-parameters``."""

    path: str = Field(min_length=1, max_length=4096, description="Relative to the workspace")


class NotebookParametersView(StrictModel):
    """The papermill parameters a notebook declares, for the promote dialog."""

    path: str
    has_parameters_cell: bool
    parameters: list[NotebookParameter]
