"""Turning notebooks into job versions: "promote this notebook" and pipelines of notebooks.

Everything a user gives is checked before anything is stored: the job name, each notebook
path (inside the workspace, an existing ``.ipynb``), the schedule, the parameters against
each notebook's ``parameters`` cell, and a pipeline's DAG (known steps, no cycles, inputs
naming an upstream step's output). Then each notebook is snapshotted into the
content-addressed object store, and the version records the snapshot's hash: a run executes
exactly what was promoted, whatever happens to the file afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import nbformat
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import Invalid
from ..objects import ObjectStore, hash_by_reading
from ..workspace import Workspace
from .models import GateSpec, Job, JobSpec, JobVersion, MissedPolicy, StepSpec
from .parameters import read_parameters, validate_parameters
from .schedule import parse_schedule
from .store import DEFAULT_TIMEZONE, JobStore


class StepInput(BaseModel):
    """A pipeline step as a user describes it (``notebook`` relative to the workspace)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    notebook: str
    parameters: dict[str, Any] = Field(default_factory=dict)
    inputs: dict[str, str] = Field(default_factory=dict)
    depends_on: list[str] = Field(default_factory=list)
    kernel: str | None = None


class JobOptions(BaseModel):
    """How a job runs: kernel, timeout, retries, notification, gates, missed fires."""

    model_config = ConfigDict(extra="forbid")

    kernel: str | None = None
    timeout_s: float | None = Field(default=None, gt=0)
    retries: int = Field(default=0, ge=0, le=20)
    retry_backoff_s: float = Field(default=30.0, ge=0)
    notify_on_failure: bool = True
    missed_policy: MissedPolicy = "skip"
    gates: GateSpec = Field(default_factory=GateSpec)


def check_monitor_name(name: object, what: str) -> str:
    """Monitor names' rule, imported when used: the monitoring package loads its drift
    engine (pandas, SciPy), which a job's worker process does not need."""
    from ..monitoring.rules import check_monitor_name as check

    return check(name, what)


def check_job_name(name: object) -> str:
    """Job names follow monitor names: letters, digits, ``.``, ``_``, ``-``."""
    return check_monitor_name(name, "job")


def notebook_file(ws: Workspace, path: str) -> tuple[Path, str]:
    """The absolute path of a notebook given relative to the workspace, and its clean
    relative form; refuses paths outside the workspace, non-notebooks and missing files."""
    if not isinstance(path, str) or not path or any(ord(c) < 32 for c in path):
        raise Invalid(f"notebook path {path!r} is empty or has control characters")
    resolved = (ws.root / path).resolve()
    if not resolved.is_relative_to(ws.root):
        raise Invalid(f"notebook {path!r} is outside the workspace")
    if resolved.suffix != ".ipynb":
        raise Invalid(f"{path!r} is not a notebook (.ipynb)")
    if not resolved.is_file():
        raise Invalid(f"notebook {path!r} does not exist")
    return resolved, resolved.relative_to(ws.root).as_posix()


def _read_notebook(path: Path, shown: str) -> nbformat.NotebookNode:
    try:
        node = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    except Exception as exc:  # nbformat raises many kinds for a broken file
        raise Invalid(f"notebook {shown!r} cannot be read: {exc}") from exc
    return cast(nbformat.NotebookNode, node)


def _check_dag(steps: Sequence[StepInput]) -> None:
    names = [s.name for s in steps]
    for name in names:
        check_monitor_name(name, "step")
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise Invalid(f"step names must be unique: {', '.join(duplicated)}")
    known = set(names)
    upstream: dict[str, set[str]] = {}
    for step in steps:
        deps = set(step.depends_on)
        for param, source in step.inputs.items():
            producer, dot, output = source.partition(".")
            if not dot or not output:
                raise Invalid(
                    f"step {step.name!r}: input {param!r} must name STEP.OUTPUT, not {source!r}"
                )
            deps.add(producer)
        unknown = sorted(deps - known)
        if unknown:
            raise Invalid(f"step {step.name!r} depends on unknown step(s) {', '.join(unknown)}")
        if step.name in deps:
            raise Invalid(f"step {step.name!r} depends on itself")
        upstream[step.name] = deps
    order_steps(upstream)


def upstream_of(spec: JobSpec) -> dict[str, set[str]]:
    """Each step's upstream steps: ``depends_on`` and the producers of its ``inputs``."""
    return {
        step.name: set(step.depends_on) | {src.partition(".")[0] for src in step.inputs.values()}
        for step in spec.steps
    }


def order_steps(upstream: Mapping[str, set[str]]) -> list[str]:
    """Steps in an order where each comes after all it depends on; Invalid on a cycle."""
    done: list[str] = []
    remaining = dict(upstream)
    while remaining:
        ready = sorted(n for n, deps in remaining.items() if deps <= set(done))
        if not ready:
            raise Invalid(f"the steps form a cycle: {', '.join(sorted(remaining))}")
        done.extend(ready)
        for name in ready:
            del remaining[name]
    return done


def _snapshot_step(ws: Workspace, objects: ObjectStore, step: StepInput) -> StepSpec:
    path, relative = notebook_file(ws, step.notebook)
    nb = _read_notebook(path, relative)
    declared = read_parameters(nb)
    values = validate_parameters(declared, step.parameters)
    fed = [p for p in step.inputs if p not in {d.name for d in declared}]
    if fed:
        raise Invalid(
            f"step {step.name!r}: input(s) {', '.join(sorted(fed))} are not parameters of "
            f"{relative!r}"
        )
    object_id, _ = objects.put_file(path)
    return StepSpec(
        name=step.name,
        notebook=relative,
        notebook_object=object_id,
        parameters=values,
        inputs=dict(step.inputs),
        depends_on=sorted(set(step.depends_on)),
        kernel=step.kernel,
    )


def build_spec(ws: Workspace, steps: Sequence[StepInput], options: JobOptions) -> JobSpec:
    """Validate steps and snapshot their notebooks into an immutable job version."""
    if not steps:
        raise Invalid("a job needs at least one notebook step")
    _check_dag(steps)
    for step in steps:  # check every path and parameter before writing any object
        path, relative = notebook_file(ws, step.notebook)
        validate_parameters(read_parameters(_read_notebook(path, relative)), step.parameters)
    objects = ObjectStore(ws.object_store_url)
    specs = [_snapshot_step(ws, objects, step) for step in steps]
    try:
        return JobSpec(
            steps=specs,
            kernel=options.kernel,
            timeout_s=options.timeout_s,
            retries=options.retries,
            retry_backoff_s=options.retry_backoff_s,
            notify_on_failure=options.notify_on_failure,
            gates=options.gates,
        )
    except ValidationError as exc:
        raise Invalid(f"job options: {exc.errors()[0]['msg']}") from exc


def step_name_for(notebook: str) -> str:
    """The step name of a one-notebook job: the notebook's stem, made a valid name."""
    stem = "".join(c if c.isalnum() or c in "._-" else "-" for c in Path(notebook).stem)
    return stem.strip("-._")[:128] or "notebook"


def create_job(
    store: JobStore,
    name: str,
    steps: Sequence[StepInput],
    by: str,
    *,
    options: JobOptions | None = None,
    cron: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> Job:
    """Create job ``name`` (version 1, in dev) from notebook steps; nothing is stored when
    any part is invalid."""
    check_job_name(name)
    if cron:
        parse_schedule(cron, timezone)
    else:
        parse_schedule("0 0 * * *", timezone)  # the timezone is checked even when manual
    opts = options or JobOptions()
    spec = build_spec(store.ws, steps, opts)
    return store.create_job(
        name, spec, by, cron=cron or None, timezone=timezone, missed_policy=opts.missed_policy
    )


def promote_notebook(
    store: JobStore,
    notebook: str,
    by: str,
    *,
    name: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    cron: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    options: JobOptions | None = None,
) -> Job:
    """Promote one notebook to a job of one step (named after the notebook by default)."""
    step = StepInput(
        name=step_name_for(notebook), notebook=notebook, parameters=dict(parameters or {})
    )
    job_name = name if name is not None else step.name
    return create_job(store, job_name, [step], by, options=options, cron=cron, timezone=timezone)


_hashes: dict[Path, tuple[tuple[int, int, int], str]] = {}  # path -> (stat stamp, hash)


def _current_hash(path: Path) -> str | None:
    """The content hash of a notebook file now (None: gone), re-read only when its inode,
    size or mtime changed: the Jobs panel asks for every job every few seconds."""
    try:
        st = path.stat()
    except OSError:
        return None
    stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
    known = _hashes.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    # read, not memory-mapped: the user's file may be truncated while it is hashed
    digest = hash_by_reading(path)
    _hashes[path] = (stamp, digest)
    return digest


def changed_steps(store: JobStore, name: str, version: int | None = None) -> list[str]:
    """Steps whose notebook file changed (or vanished) since ``version`` snapshotted it."""
    spec = store.version(name, version).spec
    return [
        step.name
        for step in spec.steps
        if _current_hash((store.ws.root / step.notebook).resolve()) != step.notebook_object
    ]


def update_job(store: JobStore, name: str, by: str) -> JobVersion:
    """Snapshot the job's notebooks again as a new version (same steps and options);
    Invalid when no notebook changed."""
    latest = store.version(name)
    if not changed_steps(store, name, latest.number):
        raise Invalid(f"no notebook of job {name!r} changed since version {latest.number}")
    spec = latest.spec
    steps = [
        StepInput(
            name=s.name,
            notebook=s.notebook,
            parameters=s.parameters,
            inputs=s.inputs,
            depends_on=s.depends_on,
            kernel=s.kernel,
        )
        for s in spec.steps
    ]
    options = JobOptions(
        kernel=spec.kernel,
        timeout_s=spec.timeout_s,
        retries=spec.retries,
        retry_backoff_s=spec.retry_backoff_s,
        notify_on_failure=spec.notify_on_failure,
        gates=spec.gates,
    )
    return store.add_version(name, build_spec(store.ws, steps, options), by)
