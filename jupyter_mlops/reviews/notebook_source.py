"""A run's notebook: where it is found, read, and turned into cells a panel renders.

Looked for in this order, the most faithful first:

1. a notebook logged as an artifact of the run (``mlops/notebook.ipynb`` first, then any
   ``.ipynb`` at the top of the artifacts or one folder down): the notebook as it ran, or
   as it was saved when a version of the run's model was registered (registering freezes
   the source notebook, ``notebook_snapshot.py``);
2. for a run tracked inside a job step (``mlops.job.*`` tags), the step's executed notebook
   published in the object store (or, before it was, the snapshot the step ran);
3. the notebook file the run names as its MLflow source, read from the workspace now:
   it may have changed since the run, and the section says so.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import nbformat
from mlflow.entities import Run
from mlflow.tracking import MlflowClient
from mlflow.utils.file_utils import local_file_uri_to_path
from mlflow.utils.mlflow_tags import MLFLOW_SOURCE_NAME

from .. import tags as mlops_tags
from ..errors import MlopsError
from ..workspace import Workspace
from .page_models import CellOutput, NotebookCell, NotebookRef

NOTEBOOK_ARTIFACT = "mlops/notebook.ipynb"
# set with the notebook frozen at registration: {"path", "model", "version"} as JSON
SNAPSHOT_TAG = mlops_tags.NOTEBOOK_SNAPSHOT
MAX_OUTPUT_CHARS = 2000
MAX_OUTPUTS_PER_CELL = 20
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TEXT_MIME = ("text/plain", "text/markdown")


@dataclass(frozen=True)
class RunNotebook:
    """A notebook read for a run, with where it came from."""

    ref: NotebookRef
    node: Any  # nbformat NotebookNode (version 4)


def parse_notebook(data: bytes | str) -> Any:
    """A notebook as nbformat 4, read as stored: not validated, so a cell without an id is
    not given a random one on each read (comments anchor on ids; they fall back to the
    index when there is none)."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        node = nbformat.convert(nbformat.reader.reads(text), 4)  # type: ignore[no-untyped-call]
        cells = node.get("cells")
        if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
            raise ValueError("it has no list of cells")
    except Exception as exc:  # a malformed file fails in many ways inside nbformat
        raise ValueError(f"not a readable notebook: {exc}") from exc
    return node


def artifact_notebook(client: MlflowClient, run_id: str) -> str | None:
    """The artifact path of a notebook logged with the run, if any."""
    top = client.list_artifacts(run_id)
    paths = [a.path for a in top if not a.is_dir]
    for folder in (a.path for a in top if a.is_dir):
        paths += [a.path for a in client.list_artifacts(run_id, folder) if not a.is_dir]
    notebooks = sorted(p for p in paths if p.endswith(".ipynb"))
    if NOTEBOOK_ARTIFACT in notebooks:
        return NOTEBOOK_ARTIFACT
    return notebooks[0] if notebooks else None


def _from_artifact(client: MlflowClient, run: Run) -> RunNotebook | None:
    path = artifact_notebook(client, run.info.run_id)
    if path is None:
        return None
    data = read_artifact(client, run, path)
    ref = NotebookRef(origin="artifact", path=path, note=_snapshot_note(run, path))
    return RunNotebook(ref, parse_notebook(data))


def _snapshot_note(run: Run, path: str) -> str | None:
    """What the notebook artifact is, when registering a version of the run froze it."""
    if path != NOTEBOOK_ARTIFACT or SNAPSHOT_TAG not in run.data.tags:
        return None
    try:
        frozen = json.loads(run.data.tags[SNAPSHOT_TAG])
        source, model, version = frozen["path"], frozen["model"], frozen["version"]
    except (ValueError, TypeError, KeyError):
        return None
    return f"the notebook {source} as saved when {model!r} version {version} was registered"


def read_artifact(client: MlflowClient, run: Run, path: str) -> bytes:
    """An artifact's bytes: read in place from a local artifact store, else downloaded."""
    uri = run.info.artifact_uri
    if uri.startswith("file:") or "://" not in uri:
        folder = local_file_uri_to_path(uri)  # type: ignore[no-untyped-call]
        return (Path(folder) / path).read_bytes()
    with tempfile.TemporaryDirectory(prefix="mlops-review-") as tmp:
        return Path(client.download_artifacts(run.info.run_id, path, tmp)).read_bytes()


def _relative(ws: Workspace, source: str) -> str | None:
    """The run's source notebook as a path inside the workspace, else None."""
    if not source.endswith(".ipynb"):
        return None
    path = Path(source)
    if not path.is_absolute():
        path = ws.root / path
    try:
        return path.resolve().relative_to(ws.root).as_posix()
    except ValueError:  # outside the workspace: not ours to read
        return None


def source_notebook(ws: Workspace, run: Run) -> tuple[str | None, str]:
    """The notebook file the run names as its MLflow source, as a path inside the workspace
    root (not checked to exist), or None with the reason there is none."""
    source = run.data.tags.get(MLFLOW_SOURCE_NAME, "")
    notebook = _relative(ws, source)
    if notebook is not None:
        return notebook, ""
    if source.endswith(".ipynb"):
        return None, f"the run's notebook {source} is outside the workspace"
    return None, f"run {run.info.run_id} was not tracked from a notebook"


def from_job(ws: Workspace, tags: dict[str, str], notebook: str) -> RunNotebook | None:
    """The executed notebook of the job step that tracked the run."""
    if mlops_tags.JOB_RUN not in tags or mlops_tags.JOB not in tags:
        return None
    from ..objects import ObjectStore
    from ..pipelines.api import store_for

    jobs = store_for(ws)
    try:
        job_run = jobs.get_run(int(tags[mlops_tags.JOB_RUN]))
        spec = jobs.version(tags[mlops_tags.JOB], job_run.version).spec
    except (MlopsError, ValueError):
        return None
    step = next((s for s in spec.steps if PurePosixPath(s.notebook).as_posix() == notebook), None)
    if step is None:
        return None
    executed = next((s.notebook_object for s in job_run.steps if s.name == step.name), None)
    objects = ObjectStore(ws.object_store_url)
    try:
        node = parse_notebook(objects.read_bytes(executed or step.notebook_object))
    except (MlopsError, ValueError):
        return None
    how = "executed" if executed else "snapshot run by"
    note = f"the {how} step {step.name!r} of job run {job_run.id} ({job_run.job})"
    return RunNotebook(NotebookRef(origin="job", path=notebook, note=note), node)


def _from_workspace(ws: Workspace, notebook: str) -> RunNotebook | None:
    path = ws.root / notebook
    if not path.is_file():
        return None
    note = "the notebook file as it is now: it may have changed since the run"
    return RunNotebook(
        NotebookRef(origin="workspace", path=notebook, note=note), parse_notebook(path.read_bytes())
    )


def find_notebook(client: MlflowClient, ws: Workspace, run: Run) -> tuple[RunNotebook | None, str]:
    """The run's notebook, or None with the reason it was not found."""
    try:
        found = _from_artifact(client, run)
        if found is not None:
            return found, ""
        notebook, reason = source_notebook(ws, run)
        if notebook is None:
            return None, reason
        found = from_job(ws, dict(run.data.tags), notebook) or _from_workspace(ws, notebook)
    except (OSError, ValueError) as exc:
        return None, f"the run's notebook could not be read: {exc}"
    if found is None:
        return None, f"the run's notebook {notebook} is no longer in the workspace"
    return found, ""


def _output_text(output: Any) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return str(output.get("text", ""))
    if kind == "error":
        trace = "\n".join(output.get("traceback") or [])
        return _ANSI.sub("", trace) or f"{output.get('ename')}: {output.get('evalue')}"
    data = output.get("data") or {}
    for mime in _TEXT_MIME:
        if mime in data:
            value = data[mime]
            return "".join(value) if isinstance(value, list) else str(value)
    return "[" + ", ".join(sorted(data)) + "]" if data else ""


def cell_outputs(cell: Any) -> list[CellOutput]:
    """A cell's outputs as text, each trimmed to ``MAX_OUTPUT_CHARS``."""
    found = []
    outputs = cell.get("outputs")
    outputs = [o for o in outputs if isinstance(o, dict)] if isinstance(outputs, list) else []
    for output in outputs[:MAX_OUTPUTS_PER_CELL]:
        text = _output_text(output)
        found.append(
            CellOutput(
                output_type=str(output.get("output_type", "")),
                text=text[:MAX_OUTPUT_CHARS],
                truncated=len(text) > MAX_OUTPUT_CHARS,
            )
        )
    return found


def cell_id(cell: Any) -> str | None:
    """A cell's id (nbformat 4.5), None in older notebooks: then its index anchors it."""
    value = cell.get("id")
    return str(value) if value is not None else None


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def notebook_cells(node: Any) -> list[NotebookCell]:
    """The cells of a notebook, in order, for a panel to render and anchor comments on."""
    return [
        NotebookCell(
            index=index,
            id=cell_id(cell),
            cell_type=str(cell.get("cell_type", "code")),
            source=str(cell.get("source", "")),
            execution_count=_int_or_none(cell.get("execution_count")),
            outputs=cell_outputs(cell),
        )
        for index, cell in enumerate(node.cells)
    ]
