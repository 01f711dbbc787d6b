"""Registering a model version freezes its run's notebook.

A run tracked from a notebook names the notebook file as its MLflow source; the file keeps
changing after the run. When a version of the run's model is registered, the file as it
is saved at that moment is logged as the run artifact ``mlops/notebook.ipynb``, so the
review page reads that copy (and the diff against the champion compares two frozen
notebooks) instead of the file as it is when the page is opened.

The file is frozen only when it is known to hold the run: saved at or after the run
started, or holding the cell the run tracked (``mlops/cell.py``, logged by ``%%track``;
compared with whitespace normalised, so a notebook papermill runs, which is never saved
while it runs, qualifies). A file last saved before the run (JupyterLab autosaves every
two minutes, and ``%mlops register`` runs in the unsaved notebook) is not frozen: a
warning says to save the notebook and register again, and a later registration of the
run freezes it then.

Nothing is frozen when the run already has ``mlops/notebook.ipynb`` (it logged its own, or
an earlier registration froze it) or was tracked inside a job step (the step's executed
notebook is more faithful), nor for a file outside the workspace root, unreadable, not a
notebook or larger than ``MAX_SNAPSHOT_BYTES``. A snapshot never fails the registration:
what goes wrong is logged as a warning and the page falls back to the file as it is now.
"""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from mlflow.entities import Run
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient
from mlflow.utils.mlflow_tags import MLFLOW_SOURCE_NAME

from ..tracking.tracker import CELL_ARTIFACT
from ..workspace import Workspace
from .notebook_source import (
    NOTEBOOK_ARTIFACT,
    SNAPSHOT_TAG,
    from_job,
    parse_notebook,
    read_artifact,
    source_notebook,
)

MAX_SNAPSHOT_BYTES = 50 * 1024 * 1024
log = logging.getLogger(__name__)


class _NotFrozen(Exception):
    """The notebook is not frozen, for a reason worth a warning."""


def _read_bounded(path: Path, notebook: str) -> tuple[bytes, Any]:
    """The notebook's bytes and its parsed nbformat node."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_SNAPSHOT_BYTES + 1)
    except FileNotFoundError as exc:
        raise _NotFrozen(f"the notebook {notebook} is no longer in the workspace") from exc
    if len(data) > MAX_SNAPSHOT_BYTES:
        limit = f"{MAX_SNAPSHOT_BYTES / 2**20:g} MB"
        raise _NotFrozen(f"the notebook {notebook} is larger than {limit}: not copied")
    try:
        return data, parse_notebook(data)
    except ValueError as exc:
        raise _NotFrozen(f"{notebook}: {exc}") from exc


def _saved_ms(path: Path, notebook: str) -> int:
    """When the file was last saved, in epoch milliseconds (MLflow's run times)."""
    try:
        return path.stat().st_mtime_ns // 1_000_000
    except FileNotFoundError as exc:
        raise _NotFrozen(f"the notebook {notebook} is no longer in the workspace") from exc


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _without_magic(source: str) -> str:
    """A ``%%track`` cell's code: its first line (options, variables expanded by IPython
    when the cell ran) dropped."""
    first, _, rest = source.partition("\n")
    return rest if first.lstrip().startswith("%%track") else source


def holds_cell(node: Any, tracked: str) -> bool:
    """Whether a code cell of notebook ``node`` holds the tracked cell source ``tracked``
    (as ``mlops/cell.py`` stores it: ``%%track …`` line, then the code), compared with
    whitespace runs normalised and on whitespace boundaries. The ``%%track`` line is left
    out (IPython expanded its variables); a cell with no code after it holds no evidence."""
    wanted = _normalised(_without_magic(tracked))
    if not wanted:
        return False
    for cell in node.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        if f" {wanted} " in f" {_normalised(text)} ":
            return True
    return False


def _tracked_cell(client: MlflowClient, run: Run, logged: set[str]) -> str | None:
    """The cell ``%%track`` logged with the run, if it did."""
    if CELL_ARTIFACT not in logged:
        return None
    try:
        return read_artifact(client, run, CELL_ARTIFACT).decode("utf-8", errors="replace")
    except (OSError, MlflowException):
        return None


def _check_holds_run(
    client: MlflowClient, run: Run, node: Any, saved_ms: int, notebook: str, logged: set[str]
) -> None:
    """Raise _NotFrozen unless the file was saved at or after the run started, or holds
    the cell the run tracked."""
    started = run.info.start_time or 0
    if saved_ms >= started:
        return
    tracked = _tracked_cell(client, run, logged)
    if tracked is not None and holds_cell(node, tracked):
        return
    why = "" if tracked is None else " and none of its cells holds the cell the run tracked"
    raise _NotFrozen(
        f"the notebook {notebook} was last saved before run {run.info.run_id} started{why}: "
        "save the notebook, then register the run again"
    )


def _mlops_artifacts(client: MlflowClient, run_id: str) -> set[str]:
    """The paths of the run's artifacts in its ``mlops/`` folder."""
    folder = PurePosixPath(NOTEBOOK_ARTIFACT).parent.as_posix()
    return {a.path for a in client.list_artifacts(run_id, folder) if not a.is_dir}


def _freeze(client: MlflowClient, ws: Workspace, run_id: str, model: str, version: int) -> str:
    """Log the notebook; returns what was done, or why nothing was (no warning needed).
    Raises _NotFrozen (or the store's error) when the notebook should have been frozen."""
    logged = _mlops_artifacts(client, run_id)
    if NOTEBOOK_ARTIFACT in logged:  # only ours: a run's own reports/x.ipynb is no copy
        return f"the run already has {NOTEBOOK_ARTIFACT}: kept"
    run = client.get_run(run_id)
    notebook, reason = source_notebook(ws, run)
    if notebook is None:
        if run.data.tags.get(MLFLOW_SOURCE_NAME, "").endswith(".ipynb"):
            raise _NotFrozen(reason)  # a notebook outside the workspace root
        return reason
    if from_job(ws, dict(run.data.tags), notebook) is not None:
        return "the run was tracked in a job step, whose executed notebook is kept"
    path = ws.root / notebook
    saved_ms = _saved_ms(path, notebook)  # before reading: a save in between is newer
    data, node = _read_bounded(path, notebook)
    _check_holds_run(client, run, node, saved_ms, notebook, logged)
    folder, name = PurePosixPath(NOTEBOOK_ARTIFACT).parent, PurePosixPath(NOTEBOOK_ARTIFACT).name
    with tempfile.TemporaryDirectory(prefix="mlops-notebook-") as tmp:
        local = Path(tmp) / name
        local.write_bytes(data)
        client.log_artifact(run_id, str(local), str(folder))
    frozen = {"path": notebook, "model": model, "version": version}
    client.set_tag(run_id, SNAPSHOT_TAG, json.dumps(frozen))
    return f"froze {notebook} as {NOTEBOOK_ARTIFACT} of run {run_id}"


def freeze_notebook(
    client: MlflowClient, ws: Workspace, run_id: str, model: str, version: int
) -> str:
    """Log the source notebook of run ``run_id`` as its ``mlops/notebook.ipynb`` when
    ``model`` version ``version`` is registered from it. Never raises: returns what was
    done or why nothing was, and logs a warning when the notebook could not be frozen."""
    try:
        return _freeze(client, ws, run_id, model, version)
    except _NotFrozen as exc:
        message = str(exc)
    except Exception as exc:  # the artifact store, the tracking store, the file system
        message = f"{type(exc).__name__}: {exc}"
    log.warning(
        "%s version %s is registered, but its run's notebook was not frozen (%s): its review "
        "page reads the notebook file as it is now",
        model,
        version,
        message,
    )
    return f"not frozen ({message}): the review page reads the notebook file as it is now"
