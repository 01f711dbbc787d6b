"""Export a job as an Apache Airflow DAG file, so a stage's schedule runs on Airflow workers.

``export_airflow(store, "train", "prod", out_dir)`` writes, for the version the stage runs:

- ``<out_dir>/<job>/<step>.ipynb``: each step's notebook snapshot, byte for byte from the
  object store (Airflow runs exactly the promoted version, not the file as it is now);
- ``<out_dir>/<job>.py``: the DAG, one ``PapermillOperator`` task per step (Airflow's
  papermill provider), dependencies from the job's DAG (``depends_on`` and ``inputs``), the
  stage's cron as the schedule in its timezone (a pendulum timezone on ``start_date``; no
  cron: ``schedule=None``, triggered by hand), the stage paused: paused on creation, the
  job's retries (Airflow's exponential backoff from ``retry_backoff_s``) and timeout (of
  the whole DAG run). Missed fires follow Airflow's ``catchup=False``: the latest missed
  interval runs once, whatever the job's ``missed_policy``. Each task's parameters are
  the step's, overlaid by the stage's overrides for the names its notebook declares (as a
  run of the job gets them). Executed notebooks go to
  ``<OUTPUT_DIR>/<run id>/<step>.ipynb`` (``{{ run_id }}`` is templated by Airflow;
  ``OUTPUT_DIR`` is the environment variable ``JUPYTER_MLOPS_AIRFLOW_OUTPUT``, else a
  ``runs`` folder beside the snapshots).

Not carried over: a step input fed by an upstream step's ``mlops.output`` cannot flow
through papermill on Airflow; such a parameter keeps the value written in the DAG (the
notebook's default, or the step's or stage's value). Passing outputs between tasks (e.g.
through XCom) is out of scope of this export; the generated file says so where it applies.

The DAG file is generated as text, never by pasting a user's value: every name, path,
cron, timezone, kernel and parameter goes through :func:`py_literal` (``repr`` of JSON
values), and parameters are wrapped in Airflow's ``literal()`` so that a string such as
``"{{ x }}"`` reaches the notebook unchanged instead of being rendered by Jinja. Exporting
another stage of the same job into the same folder replaces the DAG (one DAG per job).
The file imports what it needs from Airflow 2.8+ or 3 (the tests load and run it with
Airflow 2.10 from ``make airflow-env``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import nbformat

from ..errors import Invalid
from ..objects import ObjectStore
from .definitions import check_job_name, order_steps, upstream_of
from .models import Job, JobSpec, StageState, StepSpec
from .parameters import read_parameters
from .store import JobStore, check_stage

OUTPUT_ENV = "JUPYTER_MLOPS_AIRFLOW_OUTPUT"
_INDENT = "    "


def py_literal(value: Any) -> str:
    """Python source of a JSON value (str, number, bool, None, list, dict) that evaluates
    back to it; non-finite floats as ``float('nan')`` / ``float('inf')``."""
    if value is None or isinstance(value, bool | int | str):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"float({str(value)!r})"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, Mapping):
        items = ", ".join(f"{py_literal(str(k))}: {py_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    raise Invalid(f"{value!r} is not a JSON value and cannot be exported")


def task_parameters(
    step: StepSpec, notebook: bytes, overrides: Mapping[str, Any]
) -> dict[str, Any]:
    """The step's parameters overlaid by the stage's overrides its notebook declares."""
    node = nbformat.reads(notebook.decode("utf-8"), as_version=4)  # type: ignore[no-untyped-call]
    declared = {p.name for p in read_parameters(cast(nbformat.NotebookNode, node))}
    return {**step.parameters, **{k: v for k, v in overrides.items() if k in declared}}


def _stage(job: Job, stage: str) -> StageState:
    state = next(s for s in job.stages if s.stage == stage)
    if state.version is None:
        raise Invalid(f"job {job.name!r} has no version in {stage}; promote one first")
    return state


def export_airflow(
    store: JobStore, name: str, stage: str = "prod", out_dir: str | os.PathLike[str] = "."
) -> Path:
    """Write the Airflow DAG of job ``name`` as ``stage`` runs it into ``out_dir`` (with the
    notebook snapshots beside it) and return the DAG file's path."""
    check_stage(stage)
    check_job_name(name)  # also makes it safe as a file and folder name
    job = store.get_job(name)
    state = _stage(job, stage)
    assert state.version is not None
    version = store.version(name, state.version)
    out = Path(out_dir)
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    objects = ObjectStore(store.ws.object_store_url)
    parameters: dict[str, dict[str, Any]] = {}
    for step in version.spec.steps:
        data = objects.read_bytes(step.notebook_object)
        _write(folder / f"{step.name}.ipynb", data)
        parameters[step.name] = task_parameters(step, data, state.parameters)
    source = dag_source(job, state, version.number, version.created_by, version.spec, parameters)
    dag_file = out / f"{name}.py"
    _write(dag_file, source.encode("utf-8"))  # last: the DAG never names a missing notebook
    return dag_file


def _write(path: Path, data: bytes) -> None:
    """Replace ``path`` whole (Airflow may be scanning the folder)."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def _header(job: Job, state: StageState, number: int, spec: JobSpec) -> list[str]:
    lines = [
        '"""Airflow DAG of a jupyter-mlops job, generated by `jupyter mlops export airflow`.',
        "",
        "Each task runs one step's notebook snapshot (in the folder named after the job,",
        "beside this file) with Airflow's PapermillOperator; executed notebooks are written",
        f"to OUTPUT_DIR/<run id>/<step>.ipynb (OUTPUT_DIR: ${OUTPUT_ENV}, else a runs",
        "folder beside the snapshots). Regenerate it rather than editing it.",
        '"""',
        f"# job {py_literal(job.name)}, version {number}, stage {py_literal(state.stage)}",
    ]
    if any(step.inputs for step in spec.steps):
        lines += [
            "# Step inputs from upstream outputs (mlops.output) do not flow on Airflow:",
            "# papermill passes no values between tasks, and passing them (e.g. through",
            "# XCom) is out of scope of this export. Those parameters keep the values below.",
        ]
    return lines


# The imports of a DAG file (papermill's operator, Airflow 2.8+ and 3), and the callback
# that creates a run's output folder, which papermill does not.
_PREAMBLE = (
    "import os",
    "from datetime import timedelta",
    "from pathlib import Path",
    "",
    "import pendulum",
    "from airflow import DAG",
    "from airflow.providers.papermill.operators.papermill import PapermillOperator",
    "",
    "try:  # Airflow 3",
    "    from airflow.sdk import literal",
    "except ImportError:  # Airflow 2.8+",
    "    from airflow.utils.template import literal",
    "",
)
_OUTPUT_FOLDER = (
    "",
    "",
    "def output_folder(context):",
    '    """Create the run\'s output folder: papermill does not create it."""',
    '    (OUTPUT_DIR / context["run_id"]).mkdir(parents=True, exist_ok=True)',
    "",
    "",
)


def dag_source(
    job: Job,
    state: StageState,
    number: int,
    owner: str,
    spec: JobSpec,
    parameters: Mapping[str, Mapping[str, Any]],
) -> str:
    """The Python source of the DAG file (see the module docstring)."""
    tz = ZoneInfo(state.timezone)
    start = state.updated_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz)
    lines = [
        *_header(job, state, number, spec),
        *_PREAMBLE,
        f"NOTEBOOKS = Path(__file__).resolve().parent / {py_literal(job.name)}",
        f'OUTPUT_DIR = Path(os.environ.get({py_literal(OUTPUT_ENV)}) or NOTEBOOKS / "runs")',
        *_OUTPUT_FOLDER,
        "with DAG(",
        f"    dag_id={py_literal(job.name)},",
        f"    description={py_literal(f'job {job.name} v{number} ({state.stage})')},",
        f"    schedule={py_literal(state.cron or None)},",
        f"    start_date=pendulum.datetime({start.year}, {start.month}, {start.day}, "
        f"tz={py_literal(state.timezone)}),",
        "    catchup=False,",
        f"    is_paused_upon_creation={py_literal(state.paused)},",
        f"    tags={py_literal(['jupyter-mlops', state.stage])},",
        "    default_args={",
        f"        'owner': {py_literal(owner)},",
        f"        'retries': {py_literal(spec.retries)},",
        f"        'retry_delay': timedelta(seconds={py_literal(spec.retry_backoff_s)}),",
        "        'retry_exponential_backoff': True,",
        "    },",
    ]
    if spec.timeout_s is not None:
        lines.append(f"    dagrun_timeout=timedelta(seconds={py_literal(spec.timeout_s)}),")
    lines += [") as dag:", f"{_INDENT}tasks = {{}}"]
    for step in spec.steps:
        lines += _task(step, spec, parameters[step.name])
    upstream = upstream_of(spec)
    for name in order_steps(upstream):
        for producer in sorted(upstream[name]):
            lines.append(f"{_INDENT}tasks[{py_literal(producer)}] >> tasks[{py_literal(name)}]")
    return "\n".join(lines) + "\n"


def _task(step: StepSpec, spec: JobSpec, parameters: Mapping[str, Any]) -> list[str]:
    key = py_literal(step.name)
    notebook = py_literal(f"{step.name}.ipynb")
    lines = [f"{_INDENT}# step {key}: {py_literal(step.notebook)}"]
    for param, source in sorted(step.inputs.items()):
        kept = "the value below" if param in parameters else "the notebook's default"
        lines.append(
            f"{_INDENT}# {py_literal(param)} would come from {py_literal(source)}: "
            f"on Airflow it keeps {kept}"
        )
    lines += [
        f"{_INDENT}tasks[{key}] = PapermillOperator(",
        f"{_INDENT * 2}task_id={key},",
        f"{_INDENT * 2}input_nb=str(NOTEBOOKS / {notebook}),",
        f'{_INDENT * 2}output_nb=str(OUTPUT_DIR / "{{{{ run_id }}}}" / {notebook}),',
        f"{_INDENT * 2}parameters=literal({py_literal(dict(parameters))}),",
        f"{_INDENT * 2}pre_execute=output_folder,",
    ]
    kernel = step.kernel or spec.kernel
    if kernel:
        lines.append(f"{_INDENT * 2}kernel_name=literal({py_literal(kernel)}),")
    lines.append(f"{_INDENT})")
    return lines
