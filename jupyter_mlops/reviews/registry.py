"""MLflow's model registry for a workspace: register a run's model, versions, aliases.

Everything goes through ``MlflowClient`` on the workspace's tracking URI, so versions and
aliases are MLflow's own and show unchanged in MLflow's UI. A run's model is found as
MLflow 3 records it (a logged model whose source run is the run), else as an MLflow 2
``MLmodel`` folder among the run's artifacts. Registering also freezes the run's source
notebook as a run artifact, for the review page.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .. import tags as mlops_tags
from ..errors import Conflict, Invalid, MlopsError, NotFound
from ..identity import check_username, source_of
from ..workspace import Workspace
from .models import ModelVersionInfo

if TYPE_CHECKING:
    from mlflow.tracking import MlflowClient

DEFAULT_ALIAS = "champion"
REGISTERED_BY_TAG = mlops_tags.REGISTERED_BY
REGISTERED_BY_SOURCE_TAG = mlops_tags.REGISTERED_BY_SOURCE
_ALIAS = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,254}$")
_VERSION_ALIAS = re.compile(r"^v\d+$", re.IGNORECASE)  # MLflow reserves these


def client(ws: Workspace) -> MlflowClient:
    """The MLflow client of the workspace's tracking store (MLflow pointed there too: its
    registry resolves a ``models:/m-…`` source through the process's tracking URI)."""
    from ..tracking.store import use_workspace

    return use_workspace(ws)


def mlflow_error(exc: Exception, what: str) -> MlopsError:
    """MLflow's error as ours: a missing thing is NotFound, a bad value Invalid."""
    code = getattr(exc, "error_code", "")
    message = f"{what}: {getattr(exc, 'message', exc)}"
    if code == "RESOURCE_DOES_NOT_EXIST":
        return NotFound(message)
    if code == "RESOURCE_ALREADY_EXISTS":
        return Conflict(message)
    if code == "INVALID_PARAMETER_VALUE":
        return Invalid(message)
    return MlopsError(message)


def check_name(name: str) -> str:
    """A registered model name: not blank, no quotes (they break MLflow's filters)."""
    if not isinstance(name, str) or not name.strip():
        raise Invalid("a model name must not be empty")
    if any(c in name for c in "'\"\\\n\r\t\0") or len(name) > 255:
        raise Invalid(f"model name {name!r} has quotes, backslashes or control characters")
    return name


def check_alias(alias: str) -> str:
    if not isinstance(alias, str) or not _ALIAS.match(alias) or _VERSION_ALIAS.match(alias):
        raise Invalid(
            f"alias {alias!r} must be a letter or _ then letters, digits, _ or -, "
            "and not v<number> (MLflow reserves those)"
        )
    return alias


def _millis(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromtimestamp(int(value) / 1000, UTC).replace(tzinfo=None)


def _model_id(source: str) -> str | None:
    """The logged model id of a ``models:/m-…`` source (MLflow 3), else None."""
    found = re.fullmatch(r"models:/(m-[0-9a-f]+)", source)
    return found.group(1) if found else None


def to_info(mv: Any) -> ModelVersionInfo:
    """An MLflow ``ModelVersion`` as our model."""
    tags = getattr(mv, "tags", None) or {}
    source = tags.get(REGISTERED_BY_SOURCE_TAG)
    return ModelVersionInfo(
        name=mv.name,
        version=int(mv.version),
        run_id=mv.run_id or None,
        model_id=getattr(mv, "model_id", None) or _model_id(mv.source or ""),
        source=mv.source or "",
        aliases=sorted(getattr(mv, "aliases", None) or []),
        created_at=_millis(mv.creation_timestamp),
        description=mv.description or "",
        registered_by=tags.get(REGISTERED_BY_TAG),
        registered_by_source=source if source in ("authenticated", "asserted") else None,
    )


def _legacy_models(mlflow_client: MlflowClient, run_id: str) -> list[str]:
    """Top-level artifact folders of the run holding an ``MLmodel`` file (MLflow 2)."""
    folders = [f.path for f in mlflow_client.list_artifacts(run_id) if f.is_dir]
    return [
        path
        for path in folders
        if any(a.path.endswith("/MLmodel") for a in mlflow_client.list_artifacts(run_id, path))
    ]


def model_source(
    ws: Workspace, run_id: str, artifact_path: str | None = None
) -> tuple[str, str | None]:
    """Where the model of run ``run_id`` is: (source URI, logged model id or None).

    With ``artifact_path`` the model of that name (or artifact folder); without it the
    run's only model. Invalid names the run when it has no model, or several.
    """
    from mlflow.exceptions import MlflowException

    mlflow_client = client(ws)
    try:
        run = mlflow_client.get_run(run_id)
    except MlflowException as exc:
        raise mlflow_error(exc, f"MLflow run {run_id!r}") from exc
    logged = mlflow_client.search_logged_models(
        experiment_ids=[run.info.experiment_id],
        filter_string=f"source_run_id = '{run.info.run_id}'",
    )
    found = {m.name: m.model_id for m in logged}
    if artifact_path is not None and artifact_path in found:
        return f"models:/{found[artifact_path]}", found[artifact_path]
    legacy = _legacy_models(mlflow_client, run_id)
    if artifact_path is not None:
        if artifact_path in legacy:
            return f"runs:/{run_id}/{artifact_path}", None
        names = sorted({*found, *legacy})
        raise Invalid(
            f"MLflow run {run_id} logged no model {artifact_path!r}"
            + (f" (it logged: {', '.join(names)})" if names else "")
        )
    if len(found) + len(legacy) > 1:
        names = sorted({*found, *legacy})
        raise Invalid(
            f"MLflow run {run_id} logged several models ({', '.join(names)}): "
            "name one with artifact_path"
        )
    if found:
        ((_, model_id),) = found.items()
        return f"models:/{model_id}", model_id
    if legacy:
        return f"runs:/{run_id}/{legacy[0]}", None
    raise Invalid(
        f"MLflow run {run_id} logged no model to register: log one with "
        "mlflow.<flavor>.log_model(...) in the run first"
    )


def register(
    ws: Workspace, run_id: str, name: str, artifact_path: str | None = None, by: str = ""
) -> ModelVersionInfo:
    """Register the model of MLflow run ``run_id`` as a new version of model ``name``
    (created if missing); returns the new version, tagged with who registered it (``by``,
    an :class:`~jupyter_mlops.identity.Actor` or a name taken as asserted).

    The run's source notebook, as saved now, is then logged with the run (unless it has a
    frozen copy already, or the file was saved before the run and lacks its tracked cell):
    its review page shows the notebook the version was registered with. That copy never
    fails the registration (``notebook_snapshot.py``); the version's ``notebook_note``
    says whether it was made, or why not."""
    from mlflow.exceptions import MlflowException

    from .notebook_snapshot import freeze_notebook

    check_name(name)
    source, model_id = model_source(ws, run_id, artifact_path)
    mlflow_client = client(ws)
    try:
        try:
            mlflow_client.create_registered_model(name)
        except MlflowException as exc:
            if exc.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
        mv = mlflow_client.create_model_version(
            name, source=source, run_id=run_id, model_id=model_id, tags=_registered_by(by)
        )
    except MlflowException as exc:
        raise mlflow_error(exc, f"registering run {run_id} as model {name!r}") from exc
    info = to_info(mv)
    note = freeze_notebook(mlflow_client, ws, run_id, name, info.version)
    return info.model_copy(update={"notebook_note": note})


def _registered_by(by: str) -> dict[str, str]:
    if not by:
        return {}
    return {REGISTERED_BY_TAG: check_username(by), REGISTERED_BY_SOURCE_TAG: source_of(by)}


def get_version(ws: Workspace, name: str, version: int) -> ModelVersionInfo:
    """Version ``version`` of model ``name`` (NotFound if either is missing)."""
    from mlflow.exceptions import MlflowException

    check_name(name)
    try:
        return to_info(client(ws).get_model_version(name, str(int(version))))
    except MlflowException as exc:
        raise mlflow_error(exc, f"model {name!r} version {version}") from exc


def versions(ws: Workspace, name: str) -> list[ModelVersionInfo]:
    """Every version of model ``name``, newest first (NotFound if the model is missing)."""
    from mlflow.exceptions import MlflowException

    check_name(name)
    mlflow_client = client(ws)
    try:
        mlflow_client.get_registered_model(name)
        found = mlflow_client.search_model_versions(f"name = '{name}'")
    except MlflowException as exc:
        raise mlflow_error(exc, f"model {name!r}") from exc
    return sorted((to_info(mv) for mv in found), key=lambda v: -v.version)


def versions_of_runs(ws: Workspace, run_ids: list[str]) -> list[ModelVersionInfo]:
    """The registered model versions made from any of the MLflow runs ``run_ids``."""
    ids = sorted({r for r in run_ids if re.fullmatch(r"[0-9a-fA-F-]{1,64}", r)})
    if not ids:
        return []
    listed = ", ".join(f"'{r}'" for r in ids)
    found = client(ws).search_model_versions(f"run_id IN ({listed})")
    return sorted((to_info(mv) for mv in found), key=lambda v: (v.name, -v.version))


def set_alias(ws: Workspace, name: str, alias: str, version: int) -> ModelVersionInfo:
    """Point ``alias`` of model ``name`` at ``version`` (moved if it pointed elsewhere)."""
    from mlflow.exceptions import MlflowException

    check_name(name)
    check_alias(alias)
    try:
        client(ws).set_registered_model_alias(name, alias, str(int(version)))
    except MlflowException as exc:
        raise mlflow_error(exc, f"alias {alias!r} of model {name!r} to version {version}") from exc
    return get_version(ws, name, version)


def get_alias(ws: Workspace, name: str, alias: str) -> ModelVersionInfo | None:
    """The version ``alias`` of model ``name`` points at (None if it points nowhere)."""
    from mlflow.exceptions import MlflowException

    check_name(name)
    check_alias(alias)
    mlflow_client = client(ws)
    try:
        aliases = mlflow_client.get_registered_model(name).aliases or {}
    except MlflowException as exc:
        raise mlflow_error(exc, f"model {name!r}") from exc
    if alias not in aliases:
        return None
    try:
        return to_info(mlflow_client.get_model_version_by_alias(name, alias))
    except MlflowException as exc:
        raise mlflow_error(exc, f"alias {alias!r} of model {name!r}") from exc


def champion(ws: Workspace, name: str, alias: str = DEFAULT_ALIAS) -> ModelVersionInfo | None:
    """The current champion of model ``name``: the version its ``alias`` points at."""
    return get_alias(ws, name, alias)
