"""``track()``: run a block of code inside an MLflow run, the core behind ``%%track``.

What it adds over ``mlflow.start_run()``: the experiment defaults to the notebook's name;
the run records its notebook as MLflow source, git state, Python and package versions,
the cell's source and execution count; scikit-learn autologging is on; metrics and params
logged through ``mlops.log_metrics``/``log_params`` are batched; a block that raises ends
its run FAILED and the exception propagates unchanged; a run left active by an earlier
failure never blocks the next one.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import mlflow
from mlflow.entities import Experiment, RunStatus
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient
from mlflow.tracking.fluent import ActiveRun
from mlflow.utils.autologging_utils import disable_autologging

from .. import tags as mlops_tags
from ..errors import Invalid
from ..job_context import job_tags
from ..workspace import Workspace, resolve_workspace
from . import context
from .batch import BatchLogger
from .git_state import GitProbe, start_git_probe
from .models import RunSummary
from .store import (
    PRIMARY_METRIC_TAG,
    experiment_by_name,
    forget_experiment,
    save_text_artifact,
    set_primary_metric,
    use_workspace,
)
from .summary import summarize

CELL_ARTIFACT = "mlops/cell.py"
EXECUTION_COUNT_TAG = mlops_tags.EXECUTION_COUNT
TRACKED_TAG = mlops_tags.TRACKED
_autolog_state: dict[str, tuple[bool, bool]] = {}


@dataclass
class TrackedRun:
    """The run of one ``track()`` block; ``summary`` is filled in when the block ends."""

    run_id: str
    run_name: str
    experiment_id: str
    experiment_name: str
    client: MlflowClient
    batch: BatchLogger
    primary_metric: str | None
    summary: RunSummary | None = None
    tags: dict[str, str] = field(default_factory=dict)

    def log_metrics(self, metrics: Mapping[str, float], step: int | None = None) -> None:
        """Queue metrics for this run (written in batches)."""
        self.batch.log_metrics(metrics, step)

    def log_params(self, params: Mapping[str, object]) -> None:
        """Queue params for this run (written in batches)."""
        self.batch.log_params(params)


_stack: list[TrackedRun] = []


def active() -> TrackedRun | None:
    """The innermost ``track()`` block running now, if any."""
    return _stack[-1] if _stack else None


def _set_autolog(log_models: bool) -> None:
    """Turn scikit-learn autologging on, only when the wanted setting changes (patching and
    unpatching costs tens of milliseconds; a ``--no-autolog`` cell suspends it instead).

    Models are logged only when asked: MLflow infers a model's pip requirements in a
    subprocess, which adds seconds to every ``fit``.
    """
    wanted = (True, log_models)
    if _autolog_state.get("sklearn") == wanted:
        return
    try:
        import mlflow.sklearn
    except ImportError:  # scikit-learn not installed: nothing to autolog
        return
    mlflow.sklearn.autolog(silent=True, log_input_examples=False, log_models=log_models)
    # MLflow's autologged training metrics call scikit-learn with a renamed argument; the
    # warning names neither the user's code nor anything they can change.
    warnings.filterwarnings(
        "ignore", message=r"`y_pred` was renamed to `y_proba`", category=FutureWarning
    )
    _autolog_state["sklearn"] = wanted


def _parse_tags(tags: Mapping[str, object] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (tags or {}).items():
        if not str(key).strip():
            raise Invalid("tag names must not be empty")
        out[str(key)] = str(value)
    return out


def _end_orphaned_runs() -> None:
    """End runs a crashed block of ours left active (MLflow's "run already active")."""
    while (run := mlflow.active_run()) is not None and run.data.tags.get(TRACKED_TAG) == "true":
        if any(t.run_id == run.info.run_id for t in _stack):
            return
        mlflow.end_run(RunStatus.to_string(RunStatus.FAILED))


@contextmanager
def track(
    experiment: str | None = None,
    run_name: str | None = None,
    tags: Mapping[str, object] | None = None,
    autolog: bool = True,
    log_models: bool = False,
    metric: str | None = None,
    notebook: str | None = None,
    cell_source: str | None = None,
    execution_count: int | None = None,
    workspace: Workspace | None = None,
) -> Iterator[TrackedRun]:
    """Run the block inside an MLflow run of ``experiment`` (default: the notebook's name).

    ``log_models`` makes autologging save fitted models (slow: MLflow infers requirements).
    ``metric`` names the primary metric the summary compares against the best earlier run
    (remembered on the experiment). The summary is on the yielded object after the block.
    """
    ws = workspace or resolve_workspace()
    client = use_workspace(ws)
    nb = context.notebook_path(notebook)
    exp_name = experiment or context.default_experiment_name(nb)
    exp = experiment_by_name(client, ws, exp_name)
    if metric:
        exp = set_primary_metric(client, ws, exp, metric)
    primary = metric or exp.tags.get(PRIMARY_METRIC_TAG)
    git_probe = start_git_probe(Path(nb).parent if nb and os.path.isabs(nb) else ws.root)
    all_tags = _run_tags(nb, tags, execution_count)
    if git_probe.known is not None:  # remembered: the run starts with it (no later write)
        all_tags.update(git_probe.known)
    _end_orphaned_runs()
    if autolog:
        _set_autolog(log_models)
    run, exp = _start_run(client, ws, exp, exp_name, run_name, all_tags)
    tracked = TrackedRun(
        run_id=run.info.run_id,
        run_name=run.info.run_name or "",
        experiment_id=exp.experiment_id,
        experiment_name=exp.name,
        client=client,
        batch=BatchLogger(client, run.info.run_id),
        primary_metric=primary,
        tags=all_tags,
    )
    _stack.append(tracked)
    status = RunStatus.FINISHED
    try:
        with nullcontext() if autolog else disable_autologging():
            yield tracked
    except BaseException:
        status = RunStatus.FAILED
        raise
    finally:
        _stack.pop()
        _finish(tracked, run.info.artifact_uri, git_probe, cell_source, status)


def _run_tags(
    nb: str | None, tags: Mapping[str, object] | None, execution_count: int | None
) -> dict[str, str]:
    """The tags a tracked run starts with: ours, the source's, the environment's, the job
    run's (inside one) and the caller's."""
    all_tags = {
        TRACKED_TAG: "true",
        **context.source_tags(nb),
        **context.environment_tags(),
        **job_tags(),  # inside a job run: job, version, stage and run ids
        **_parse_tags(tags),
    }
    if execution_count is not None:
        all_tags[EXECUTION_COUNT_TAG] = str(execution_count)
    return all_tags


def _start_run(
    client: MlflowClient,
    ws: Workspace,
    exp: Experiment,
    exp_name: str,
    run_name: str | None,
    all_tags: dict[str, str],
) -> tuple[ActiveRun, Experiment]:
    """Start the MLflow run (nested inside an active one); (the run, its experiment)."""
    nested = mlflow.active_run() is not None
    try:
        run = mlflow.start_run(
            experiment_id=exp.experiment_id, run_name=run_name, tags=all_tags, nested=nested
        )
    except MlflowException:
        # The remembered experiment may have been deleted or renamed since: look again
        # (a deleted one then gives a clear Invalid) and try once more.
        forget_experiment(ws, exp_name)
        exp = experiment_by_name(client, ws, exp_name)
        run = mlflow.start_run(
            experiment_id=exp.experiment_id, run_name=run_name, tags=all_tags, nested=nested
        )
    return run, exp


def _finish(
    tracked: TrackedRun,
    artifact_uri: str,
    git_probe: GitProbe,
    cell_source: str | None,
    status: int,
) -> None:
    """Log what the block left (git state unless the run started with it, batched values,
    the cell), end the run with ``status`` and put its summary on ``tracked``."""
    try:
        git = git_probe() if git_probe.known is None else {}
        if git:
            tracked.tags.update(git)
            tracked.batch.log_tags(git)
        tracked.batch.flush()
        if cell_source is not None:
            save_text_artifact(artifact_uri, cell_source, CELL_ARTIFACT)
    finally:
        mlflow.end_run(RunStatus.to_string(status))
    tracked.summary = summarize(tracked, status=RunStatus.to_string(status))


def log_metrics(metrics: Mapping[str, float], step: int | None = None) -> None:
    """Log metrics to the active ``track()`` run, batched; outside one, to MLflow's active run."""
    run = active()
    if run is not None:
        run.log_metrics(metrics, step)
    elif mlflow.active_run() is not None:
        mlflow.log_metrics(dict(metrics), step=step)
    else:
        raise Invalid("no active run: call this inside %%track or `with mlops.track():`")


def log_params(params: Mapping[str, object]) -> None:
    """Log params to the active ``track()`` run, batched; outside one, to MLflow's active run."""
    run = active()
    if run is not None:
        run.log_params(params)
    elif mlflow.active_run() is not None:
        mlflow.log_params(dict(params))
    else:
        raise Invalid("no active run: call this inside %%track or `with mlops.track():`")
