"""The Python API of jobs, ``mlops.jobs.*`` (this module), twin of ``%mlops promote|run|…``.

``promote`` turns a notebook into a job (version 1 in dev), ``pipeline`` a DAG of notebooks;
``run`` runs a stage's version now (and with ``wait`` returns once it finished);
``promote_stage`` moves a version up through its gates, ``rollback`` puts a stage back.
Who acts is the Jupyter (Hub) user, else the OS user. Everything given is checked before
anything is stored.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from types import EllipsisType
from typing import Any

from ..identity import asserted
from ..progress import Progress
from ..remote import active as team_mode
from ..remote import refuse_by
from ..state import current_store, store_of
from ..workspace import Workspace
from . import commands, queries
from . import remote as service
from .definitions import JobOptions, StepInput
from .models import Job, JobEvent, JobRun, JobVersion, StageState
from .parameters import NotebookParameter
from .promotion_models import GateReport, PromotionResult
from .store import DEFAULT_TIMEZONE, JobStore
from .views import NotebookParametersQuery, PromoteRequest, RunRequest, StageUpdate, build

__all__ = [
    "cancel",
    "gates",
    "get_run",
    "job",
    "jobs",
    "parameters",
    "pipeline",
    "promote",
    "promote_stage",
    "rollback",
    "run",
    "runs",
    "schedule",
    "update",
]


def store_for(ws: Workspace) -> JobStore:
    """The job store of ``ws`` (one per workspace and process: ``state.store_of``)."""
    return store_of(JobStore, ws)


def store() -> JobStore:
    """The job store of the current workspace."""
    return current_store(JobStore)


def _team(by: str | None) -> bool:
    """Whether this process is in team mode, where the service acts as the token's user
    (``by=`` is refused there)."""
    refuse_by(by)
    return team_mode()


def _author(by: str | None) -> str:
    """Who acts from a kernel or the CLI: ``by``, else the kernel's user (asserted)."""
    return asserted(by)


def _options(options: Mapping[str, Any]) -> JobOptions:
    return build(JobOptions, "job options", **options)


def parameters(notebook: str) -> builtins.list[NotebookParameter]:
    """The parameters ``notebook`` (relative to the workspace root) declares in its
    ``parameters`` cell: name, type, default and help, as a job may set them."""
    query = build(NotebookParametersQuery, "parameters", path=notebook)
    return builtins.list(queries.notebook_parameters(store().ws, query).parameters)


def promote(
    notebook: str,
    name: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    cron: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    *,
    by: str | None = None,
    **options: Any,
) -> Job:
    """Promote ``notebook`` (relative to the workspace root) to job ``name`` (default: the
    notebook's name) with parameter values for its ``parameters`` cell and an optional cron
    schedule in ``timezone``. ``options``: kernel, timeout_s, retries, retry_backoff_s,
    notify_on_failure, missed_policy, gates."""
    request = build(
        PromoteRequest,
        "promote",
        notebook=notebook,
        name=name,
        parameters=dict(parameters or {}),
        cron=cron,
        timezone=timezone,
        options=_options(options),
    )
    return commands.promote(store(), request, _author(by))


def pipeline(
    name: str,
    steps: Sequence[StepInput | Mapping[str, Any]],
    cron: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    *,
    by: str | None = None,
    **options: Any,
) -> Job:
    """Create job ``name`` from a DAG of notebook steps: each a ``StepInput`` or a dict with
    name, notebook, parameters, inputs ({param: "STEP.OUTPUT"}), depends_on, kernel."""
    checked = [s if isinstance(s, StepInput) else build(StepInput, "step", **s) for s in steps]
    request = build(
        PromoteRequest,
        "pipeline",
        steps=checked,
        name=name,
        cron=cron,
        timezone=timezone,
        options=_options(options),
    )
    return commands.promote(store(), request, _author(by))


def update(name: str, *, by: str | None = None) -> JobVersion:
    """Snapshot the job's changed notebooks as a new version, which dev runs from now on."""
    if _team(by):
        return service.update(name)
    return commands.new_version(store(), name, _author(by))


def job(name: str) -> Job:
    if team_mode():
        return service.job(name)
    return store().get_job(name)


def jobs() -> builtins.list[Job]:
    """Every job, by name, with its stages."""
    if team_mode():
        return service.jobs()
    return store().list_jobs()


def versions(name: str) -> builtins.list[JobVersion]:
    if team_mode():
        return service.versions(name)
    return store().versions(name)


def events(name: str) -> builtins.list[JobEvent]:
    """The audit trail of ``name``: creation, versions, schedules, promotions, rollbacks."""
    if team_mode():
        return service.events(name)
    return store().events(name)


def schedule(
    name: str,
    stage: str = "dev",
    cron: str | EllipsisType | None = ...,
    timezone: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    paused: bool | None = None,
    *,
    by: str | None = None,
) -> StageState:
    """Change a stage's schedule (``cron=None``: manual only; left out: unchanged), its
    timezone, parameter overrides or pause state."""
    fields: dict[str, Any] = {"timezone": timezone, "paused": paused}
    if cron is not ...:
        fields["cron"] = cron
    if parameters is not None:
        fields["parameters"] = dict(parameters)
    body = build(StageUpdate, "schedule", **fields)
    if _team(by):
        return service.schedule(name, stage, body.model_dump(exclude_unset=True))
    return commands.update_stage(store(), name, stage, body, _author(by))


def run(
    name: str,
    stage: str = "dev",
    parameters: Mapping[str, Any] | None = None,
    token: str | None = None,
    wait: bool = False,
    *,
    timeout: float | None = None,
    by: str | None = None,
    progress: Progress | None = None,
) -> JobRun:
    """Run the version of ``stage`` now with parameter overrides; with ``wait``, return
    once the run finished (or after ``timeout`` seconds, as it is then), telling
    ``progress(done, total, label)`` the running step's executed cells."""
    fields: dict[str, Any] = {"stage": stage, "parameters": dict(parameters or {})}
    if token is not None:
        fields["token"] = token
    body = build(RunRequest, "run", **fields)
    if _team(by):
        started = service.run(name, body.model_dump(exclude_unset=True))
        return service.wait_for(started.id, timeout) if wait else started
    started = commands.start_run(store(), name, body, _author(by))
    return wait_for(started.id, timeout, progress=progress) if wait else started


def wait_for(
    run_id: int, timeout: float | None = None, *, progress: Progress | None = None
) -> JobRun:
    """Poll run ``run_id`` until it finished (or ``timeout`` seconds passed); ``progress``
    hears the running step's executed cells."""
    if team_mode():
        return service.wait_for(run_id, timeout)
    return queries.wait_for_run(store(), run_id, timeout, progress=progress)


def get_run(run_id: int) -> JobRun:
    if team_mode():
        return service.get_run(run_id)
    return queries.get_run(store(), run_id)


def runs(name: str, stage: str | None = None, limit: int = 20) -> builtins.list[JobRun]:
    """The newest runs of ``name`` (of one stage)."""
    if team_mode():
        return service.runs(name, stage, limit)
    found, _ = store().runs(name, stage=stage, limit=limit)
    return found


def cancel(run_id: int, *, by: str | None = None) -> JobRun:
    """Cancel a run: a queued one ends now, a running one has its kernel stopped."""
    if _team(by):
        return service.cancel(run_id)
    return commands.cancel(store(), run_id, _author(by))


def gates(name: str, to: str = "staging") -> GateReport:
    """The gates between the stage below ``to`` and ``to``, each with its reason."""
    if team_mode():
        return service.gates(name, to)
    return queries.gate_report(store(), name, to)


def promote_stage(
    name: str, to: str, expected_version: int | None = None, *, by: str | None = None
) -> PromotionResult:
    """Promote the version of the stage below ``to`` into ``to`` once every gate passes."""
    if _team(by):
        return service.promote_stage(name, to, expected_version)
    return commands.promote_stage(store(), name, to, _author(by), expected_version)


def rollback(name: str, stage: str, *, by: str | None = None) -> StageState:
    """Put ``stage`` back on the version it ran before its last promotion."""
    if _team(by):
        return service.rollback(name, stage)
    return commands.rollback(store(), name, stage, _author(by))
