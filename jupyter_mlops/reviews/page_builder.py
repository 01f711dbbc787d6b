"""``build_review_page``: everything known about a registered model version, compared with
the current champion (the version holding the champion alias, when that is another one).

Read from MLflow's registry and runs, the dataset catalog, the monitors and the runs'
notebooks; nothing is written. A missing piece (no champion, a run without a notebook, no
training datasets) leaves its section empty with the reason; only an unknown model or
version is an error (``NotFound``).
"""

from __future__ import annotations

from typing import Any

from mlflow.entities import Run
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from ..datasets.api import store_for as datasets_for
from ..errors import Invalid, NotFound
from ..monitoring.api import store_for as monitors_for
from ..tracking.store import use_workspace
from ..workspace import Workspace
from .notebook_diff import count_statuses, diff_notebook_cells
from .notebook_source import RunNotebook, find_notebook, notebook_cells
from .page_models import (
    NotebookDiffSection,
    NotebookSection,
    ReviewPage,
    VersionInfo,
)
from .page_sections import datasets_section, drift_section, metrics_section, params_section

DEFAULT_CHAMPION_ALIAS = "champion"


def _missing(exc: MlflowException) -> bool:
    return exc.error_code in ("RESOURCE_DOES_NOT_EXIST", "NOT_FOUND", "INVALID_PARAMETER_VALUE")


def check_version(version: int | str) -> int:
    """A model version number (a positive whole number, also given as text)."""
    text = str(version).strip()
    if isinstance(version, bool) or not text.isdigit() or int(text) < 1:
        raise Invalid(f"{version!r} is not a model version (expected a number from 1)")
    return int(text)


def _version_info(mv: Any, run: Run | None) -> VersionInfo:
    return VersionInfo(
        name=mv.name,
        version=int(mv.version),
        run_id=mv.run_id or None,
        source=mv.source,
        status=mv.status,
        aliases=list(mv.aliases or []),
        tags=dict(mv.tags or {}),
        description=mv.description or None,
        created_at=mv.creation_timestamp,
        run_name=run.info.run_name if run is not None else None,
    )


def _model_version(client: MlflowClient, name: str, version: int) -> Any:
    try:
        client.get_registered_model(name)
    except MlflowException as exc:
        if _missing(exc):
            raise NotFound(f"no registered model named {name!r}") from exc
        raise
    try:
        return client.get_model_version(name, str(version))
    except MlflowException as exc:
        if _missing(exc):
            raise NotFound(f"registered model {name!r} has no version {version}") from exc
        raise


def _champion(client: MlflowClient, name: str, alias: str, version: int) -> tuple[Any, str | None]:
    """The version holding ``alias``, or None with the reason there is none to compare."""
    try:
        mv = client.get_model_version_by_alias(name, alias)
    except MlflowException as exc:
        if _missing(exc):
            return None, f"no version of {name!r} holds the alias {alias!r} yet"
        raise
    if int(mv.version) == version:
        return None, f"version {version} is the {alias} itself: nothing to compare with"
    return mv, None


def _run(client: MlflowClient, run_id: str | None) -> tuple[Run | None, str | None]:
    if not run_id:
        return None, "registered without a source run"
    try:
        return client.get_run(run_id), None
    except MlflowException as exc:
        if _missing(exc):
            return None, f"its source run {run_id} no longer exists"
        raise


def _notebook(
    client: MlflowClient, ws: Workspace, run: Run | None, why: str | None
) -> tuple[NotebookSection, RunNotebook | None]:
    if run is None:
        return NotebookSection(reason=f"the version has no run to read a notebook of: {why}"), None
    found, reason = find_notebook(client, ws, run)
    if found is None:
        return NotebookSection(reason=reason), None
    return NotebookSection(notebook=found.ref, cells=notebook_cells(found.node)), found


def _notebook_diff(
    candidate: RunNotebook | None,
    champion: RunNotebook | None,
    champion_reason: str | None,
) -> NotebookDiffSection:
    if candidate is None:
        return NotebookDiffSection(reason="the candidate's run has no notebook to compare")
    if champion is None:
        return NotebookDiffSection(candidate=candidate.ref, reason=champion_reason)
    try:
        cells = diff_notebook_cells(champion.node, candidate.node)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:  # a malformed cell
        return NotebookDiffSection(
            candidate=candidate.ref,
            champion=champion.ref,
            reason=f"the two notebooks could not be compared: {exc}",
        )
    section = NotebookDiffSection(
        candidate=candidate.ref, champion=champion.ref, counts=count_statuses(cells), cells=cells
    )
    if candidate.ref == champion.ref and candidate.ref.origin == "workspace":
        section.reason = (
            f"both runs name the notebook {candidate.ref.path}, read as it is now: the "
            "diff cannot show what changed between the two runs"
        )
    return section


def build_review_page(
    ws: Workspace, model_name: str, version: int | str, champion_alias: str = DEFAULT_CHAMPION_ALIAS
) -> ReviewPage:
    """The review page of ``model_name`` version ``version`` against the version holding
    ``champion_alias`` (none when no version holds it, or this one does)."""
    number = check_version(version)
    if not model_name.strip():
        raise Invalid("name the registered model to review")
    if not champion_alias.strip():
        raise Invalid("name the alias of the version to compare with (e.g. 'champion')")
    client = use_workspace(ws)
    mv = _model_version(client, model_name, number)
    run, run_reason = _run(client, mv.run_id)
    champion_mv, champion_reason = _champion(client, model_name, champion_alias, number)
    champion_run = None
    if champion_mv is not None:
        champion_run, why = _run(client, champion_mv.run_id)
        if champion_run is None:
            champion_reason = f"the {champion_alias} (version {champion_mv.version}) {why}"
    labels = (f"v{number}", f"{champion_alias} v{champion_mv.version}" if champion_mv else "")
    datasets = datasets_section(datasets_for(ws), run, champion_run)
    notebook, candidate_nb = _notebook(client, ws, run, run_reason)
    champion_nb, diff_reason = None, champion_reason
    if champion_run is not None:
        champion_section, champion_nb = _notebook(client, ws, champion_run, None)
        diff_reason = f"the {champion_alias}'s run: {champion_section.reason}"
    return ReviewPage(
        model=model_name,
        version=number,
        champion_alias=champion_alias,
        candidate=_version_info(mv, run),
        champion=_version_info(champion_mv, champion_run) if champion_mv else None,
        champion_reason=champion_reason,
        metrics=metrics_section(run, champion_run, labels),
        params=params_section(run, champion_run),
        datasets=datasets,
        drift=drift_section(monitors_for(ws), datasets.candidate),
        notebook=notebook,
        notebook_diff=_notebook_diff(candidate_nb, champion_nb, diff_reason),
    )
