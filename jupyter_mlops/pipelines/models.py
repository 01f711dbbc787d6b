"""The contract of the jobs area: job definitions, their versions and stages, runs and steps.

Every job is a DAG of notebook steps; a job promoted from one notebook is a DAG of one step
named after the notebook. A job version is immutable: its steps point at content-addressed
snapshots of their notebooks, so a run executes exactly what was promoted.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..contract import StrictModel, UtcDateTime
from ..identity import ActorSource

Stage = Literal["dev", "staging", "prod"]
STAGES: tuple[Stage, ...] = ("dev", "staging", "prod")
RunStatus = Literal["queued", "running", "succeeded", "failed", "cancelled", "timed_out"]
FINISHED: frozenset[str] = frozenset({"succeeded", "failed", "cancelled", "timed_out"})
StepStatus = Literal[
    "pending", "running", "succeeded", "failed", "cancelled", "timed_out", "skipped"
]
Trigger = Literal["manual", "schedule", "alert"]
MissedPolicy = Literal["skip", "run_once"]
GateSource = Literal["output", "mlflow"]
GateOp = Literal[">=", ">", "<=", "<", "=="]


class StepSpec(StrictModel):
    """One notebook step of a job version.

    ``inputs`` maps a parameter of this step to ``"STEP.OUTPUT"``: the value the upstream
    step published with ``mlops.output(OUTPUT, value)``; naming an upstream step makes it a
    dependency, as ``depends_on`` does.
    """

    name: str
    notebook: str  # path relative to the workspace root, as promoted
    notebook_object: str  # content hash of the snapshot in the object store
    parameters: dict[str, Any] = Field(default_factory=dict)
    inputs: dict[str, str] = Field(default_factory=dict)
    depends_on: list[str] = Field(default_factory=list)
    kernel: str | None = None


class MetricGate(StrictModel):
    """A threshold on a value of the lower stage's latest successful run."""

    source: GateSource  # output: published with mlops.output; mlflow: a metric of its runs
    name: str
    op: GateOp
    value: float


class GateSpec(StrictModel):
    """What a version must show before it moves to the next stage."""

    min_successful_runs: int = Field(default=1, ge=0, le=100)
    thresholds: list[MetricGate] = Field(default_factory=list)
    dataset_checks: list[str] = Field(default_factory=list)  # NAME or NAME@REF


class JobSpec(StrictModel):
    """The content of one job version."""

    steps: list[StepSpec]
    kernel: str | None = None  # default for steps without their own
    timeout_s: float | None = Field(default=None, gt=0)
    retries: int = Field(default=0, ge=0, le=20)
    retry_backoff_s: float = Field(default=30.0, ge=0)
    notify_on_failure: bool = True
    gates: GateSpec = Field(default_factory=GateSpec)


class StageState(StrictModel):
    """A job's configuration in one stage: which version runs there, when, and with what."""

    stage: Stage
    version: int | None
    cron: str | None
    timezone: str
    parameters: dict[str, Any]
    paused: bool
    next_fire_at: UtcDateTime | None  # UTC
    updated_at: UtcDateTime


class JobVersion(StrictModel):
    job: str
    number: int
    spec: JobSpec
    created_by: str
    created_at: UtcDateTime


class StepRun(StrictModel):
    name: str
    status: StepStatus
    attempt: int
    started_at: UtcDateTime | None
    finished_at: UtcDateTime | None
    kernel_started_at: UtcDateTime | None
    error: str | None
    failed_cell: int | None  # index of the cell that raised, in the executed notebook
    notebook_object: str | None  # executed notebook (also on failure)
    html_object: str | None
    log_object: str | None
    outputs: dict[str, Any]


class JobRun(StrictModel):
    id: int
    job: str
    version: int
    stage: Stage
    trigger: Trigger
    status: RunStatus
    attempt: int
    max_attempts: int
    notify_on_failure: bool  # the version's wish for an in-Lab notification if it fails
    parameters: dict[str, Any]
    scheduled_for: UtcDateTime | None
    created_at: UtcDateTime
    created_by: str
    not_before: UtcDateTime
    started_at: UtcDateTime | None
    finished_at: UtcDateTime | None
    error: str | None
    cancel_requested: bool
    mlflow_run_ids: list[str]
    steps: list[StepRun]


class Job(StrictModel):
    name: str
    missed_policy: MissedPolicy
    created_by: str
    created_at: UtcDateTime
    latest_version: int
    stages: list[StageState]


class JobEvent(StrictModel):
    """One audited change of a job: who did what, when, and the gates' verdicts."""

    id: int
    job: str
    at: UtcDateTime
    by: str
    by_source: ActorSource | None = None  # authenticated | asserted; None: not recorded
    action: str  # create | version | promote | rollback | schedule | pause | resume
    stage: Stage | None
    version_from: int | None
    version_to: int | None
    detail: dict[str, Any]
