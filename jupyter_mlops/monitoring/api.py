"""The Python API of monitoring, ``mlops.monitor.*`` (this module), twin of ``%monitor``.

``drift`` checks a current DataFrame against a reference (a DataFrame or a dataset version
of the catalog, whose version is recorded), optionally scores a model's predictions, and
with a ``name`` records the check as a point of that monitor; thresholds breached raise
alerts. Everything given is checked before anything is stored.
"""

from __future__ import annotations

import builtins
import tempfile
from collections.abc import Hashable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..datasets.models import DatasetVersion
from ..errors import Invalid
from ..remote import active as team_mode
from ..remote import refuse_by
from ..state import current_store, store_of
from ..workspace import Workspace
from . import actions as alert_actions
from . import remote as service
from . import rules
from .drift import check_drift, compare
from .models import (
    Action,
    ActionKind,
    Alert,
    AlertAction,
    DriftCheck,
    DriftReport,
    Engine,
    EvidentlyArtifact,
    Monitor,
    MonitorPoint,
    Rule,
)
from .profile_store import ReferenceProfiles
from .quality import Task, model_quality
from .references import DatasetReference, FrameReference, Reference
from .reports import copy_report
from .store import MonitorStore

EVIDENTLY_ARTIFACTS = "mlops/monitoring"

__all__ = [
    "DriftCheck",
    "DriftReport",
    "acknowledge",
    "alerts",
    "check_drift",
    "configure",
    "drift",
    "history",
    "monitors",
    "pending_actions",
    "promotion_blockers",
    "record",
    "report_file",
]


def store_for(ws: Workspace) -> MonitorStore:
    """The monitor store of ``ws`` (one per workspace and process: ``state.store_of``)."""
    return store_of(MonitorStore, ws)


def store() -> MonitorStore:
    """The monitor store of the current workspace."""
    return current_store(MonitorStore)


def drift(
    reference: pd.DataFrame | str,
    current: pd.DataFrame | str,
    name: str | None = None,
    columns: Sequence[Hashable] | None = None,
    engine: Engine = "fast",
    *,
    target: str | None = None,
    prediction: str | Sequence[str] | None = None,
    task: Task | None = None,
    drift_share: float = 0.5,
    thresholds: Sequence[str | Rule] | None = None,
    actions: Sequence[str | Action] | None = None,
) -> DriftCheck:
    """Check ``current`` for drift against ``reference``; a DataFrame or ``"NAME@vN"`` each.

    ``engine="fast"`` (default) computes Evidently's default tests with our own code;
    ``"evidently"`` runs Evidently's Report and stores its HTML (an artifact of the tracked
    run, else an object of the workspace store). With ``target`` and ``prediction``, model
    quality on both sides. With ``name``, the check is recorded as a point of that monitor
    (created on first use); ``thresholds`` (``"drifted_share >= 0.3"``, ``"accuracy < 0.8"``,
    ``"dataset_drift"``) and ``actions`` (``"run_job:JOB"``, ``"block_promotion:JOB"``)
    replace the monitor's when given.
    """
    if engine not in ("fast", "evidently"):
        raise Invalid(f"engine must be 'fast' or 'evidently', not {engine!r}")
    if name is not None:
        rules.check_monitor_name(name)
    wanted = rules.parse_rules(thresholds), rules.parse_actions(actions)
    if (target is None) != (prediction is None):
        raise Invalid("model quality needs both target and prediction columns")
    ref, ref_text, ref_dataset = _reference(reference)
    cur, cur_text, cur_dataset = _frame("current", current)
    quality = None
    if target is not None and prediction is not None:
        ref_frame = ref.frame(_present(ref, [target, *_names(prediction)]))
        quality = model_quality(ref_frame, cur, target, prediction, task)
    if engine == "fast":
        compared = compare(ref, cur, columns=columns, drift_share=drift_share, distributions=True)
        report, html, binned = compared.report, None, compared.distributions
    else:
        report, html = _evidently(ref.frame(), cur, name, columns, drift_share)
        binned = []
    check = DriftCheck(
        **report.model_dump(),
        engine=engine,
        reference=ref_text,
        current=cur_text,
        reference_dataset=ref_dataset,
        current_dataset=cur_dataset,
        quality=quality,
        distributions=binned,
    )
    if html is not None:
        check.evidently = _keep_html(html)
    if name is not None:
        check.point = store().record(
            name, check, thresholds=wanted[0], actions=wanted[1], mlflow_run_id=_run_id()
        )
    return check


def _evidently(
    ref: pd.DataFrame,
    cur: pd.DataFrame,
    name: str | None,
    columns: Sequence[Hashable] | None,
    drift_share: float,
) -> tuple[DriftReport, Path]:
    """Evidently's drift report, and its HTML report file."""
    # the same refusals as the fast engine (unknown column, bad share) before Evidently runs
    check_drift(ref.iloc[:0], cur.iloc[:0], columns=columns, drift_share=drift_share)
    html = Path(tempfile.mkdtemp(prefix="mlops-evidently-")) / _html_name(name)
    from .evidently_engine import evidently_report

    return evidently_report(ref, cur, html, columns=columns, drift_share=drift_share), html


def _frame(side: str, value: Any) -> tuple[pd.DataFrame, str, str | None]:
    """The frame to check, a description, and the dataset version it came from (if any)."""
    if isinstance(value, pd.DataFrame):
        return value, f"DataFrame ({value.shape[1]} columns)", None
    if isinstance(value, str):
        from .. import datasets

        version = _table_version(side, value)
        ref = f"{version.name}@v{version.version}"
        return datasets.load(ref), f"dataset {ref}", ref
    raise _not_a_frame(side, value)


def _reference(value: Any) -> tuple[Reference, str, str | None]:
    """The reference to check against, a description, and its dataset version (if any).

    A dataset version is not loaded: each column's stored profile is read instead, and only
    columns without one are read from the version's data (``references.py``)."""
    if isinstance(value, pd.DataFrame):
        return FrameReference(value), f"DataFrame ({value.shape[1]} columns)", None
    if isinstance(value, str):
        from .. import datasets

        version = _table_version("reference", value)
        profiles = ReferenceProfiles(store(), datasets.store().objects)
        _consumed(version)
        ref = f"{version.name}@v{version.version}"
        return DatasetReference(version, profiles), f"dataset {ref}", ref
    raise _not_a_frame("reference", value)


def _table_version(side: str, value: str) -> DatasetVersion:
    from .. import datasets

    version = datasets.store().resolve(value)
    if version.manifest.kind != "dataframe":
        ref = f"{version.name}@v{version.version}"
        raise Invalid(f"{side} {ref} is a {version.manifest.kind}, not a table")
    return version


def _consumed(version: DatasetVersion) -> None:
    """Record the version as consumed by the tracked run the check runs in (as a load does)."""
    from ..datasets.lineage import CONSUMED, log_lineage
    from ..tracking.store import use_workspace
    from ..tracking.tracker import active

    run = active()
    if run is not None:
        log_lineage(use_workspace(store().ws), run.run_id, version, CONSUMED)


def _not_a_frame(side: str, value: Any) -> Invalid:
    return Invalid(
        f"{side} must be a pandas DataFrame or a dataset reference such as 'sales@v3', "
        f"not a {type(value).__name__}"
    )


def _names(prediction: str | Sequence[str]) -> list[Any]:
    return [prediction] if isinstance(prediction, str) else list(prediction)


def _present(reference: Reference, names: list[Any]) -> list[Hashable]:
    """Those of ``names`` that are columns of the reference (the others are refused later)."""
    known = set(reference.columns)
    return [n for n in dict.fromkeys(names) if isinstance(n, Hashable) and n in known]


def _html_name(name: str | None) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"evidently-drift-{name or 'check'}-{stamp}.html"


def _run_id() -> str | None:
    """The tracked run the check runs in (``%%track`` / ``track()``), else MLflow's active."""
    from ..tracking.tracker import active

    run = active()
    if run is not None:
        return run.run_id
    import mlflow

    fluent = mlflow.active_run()
    return fluent.info.run_id if fluent is not None else None


def _keep_html(path: Path) -> EvidentlyArtifact:
    """Store Evidently's HTML: an artifact of the running tracked run, else an object."""
    size = path.stat().st_size
    try:
        run_id = _run_id()
        if run_id is not None:
            from ..tracking.store import use_workspace

            client = use_workspace(store().ws)
            client.log_artifact(run_id, str(path), EVIDENTLY_ARTIFACTS)
            artifact_path = f"{EVIDENTLY_ARTIFACTS}/{path.name}"
            root = client.get_run(run_id).info.artifact_uri
            return EvidentlyArtifact(
                store="mlflow",
                size=size,
                run_id=run_id,
                artifact_path=artifact_path,
                uri=f"{root}/{artifact_path}",
            )
        from ..objects import ObjectStore

        object_id, _ = ObjectStore(store().ws.object_store_url).put_file(path)
        return EvidentlyArtifact(store="objects", size=size, object_id=object_id)
    finally:
        path.unlink(missing_ok=True)
        path.parent.rmdir()


def report_file(source: EvidentlyArtifact | DriftCheck | int) -> Path:
    """A local, verified copy of Evidently's HTML report of a check (or of a point id)."""
    if isinstance(source, int) and not isinstance(source, bool):
        source = store().point(source).evidently or _no_report(f"point {source}")
    if isinstance(source, DriftCheck):
        source = source.evidently or _no_report("this check")
    if not isinstance(source, EvidentlyArtifact):
        raise Invalid(f"give a check, its artifact or a point id, not {source!r}")
    folder = Path(tempfile.mkdtemp(prefix="mlops-evidently-"))
    return copy_report(store().ws, source, folder)


def _no_report(what: str) -> EvidentlyArtifact:
    raise Invalid(f"{what} has no Evidently report: it ran with the fast engine")


def record(
    name: str,
    report: DriftReport,
    *,
    thresholds: Sequence[str | Rule] | None = None,
    actions: Sequence[str | Action] | None = None,
) -> MonitorPoint:
    """Record a drift report (``drift()`` or ``check_drift()``) as a point of monitor ``name``:
    for jobs that check data each run. Thresholds breached raise alerts."""
    return store().record(
        name, report, thresholds=thresholds, actions=actions, mlflow_run_id=_run_id()
    )


def configure(
    name: str,
    thresholds: Sequence[str | Rule] | None = None,
    actions: Sequence[str | Action] | None = None,
) -> Monitor:
    """Create monitor ``name`` or replace its thresholds and/or actions (None keeps them)."""
    return store().configure(name, thresholds=thresholds, actions=actions)


def monitors() -> builtins.list[Monitor]:
    """Every monitor with its point count, open alerts and latest point."""
    return store().monitors()


def history(name: str, limit: int | None = None) -> builtins.list[MonitorPoint]:
    """The points of monitor ``name``, newest first."""
    return store().history(name, limit)


def alerts(name: str | None = None, include_acknowledged: bool = False) -> builtins.list[Alert]:
    """Open alerts (of one monitor), newest first; acknowledged ones too if asked."""
    if team_mode():
        return service.alerts(name, include_acknowledged)
    return store().alerts(name, include_acknowledged)


def acknowledge(alert_id: int, user: str | None = None) -> Alert:
    """Acknowledge an alert as ``user`` (default: the Jupyter (Hub) user, else the OS user),
    recorded as asserted by this kernel. In team mode, as the Hub token's user (``user=``
    is refused), authenticated by the service."""
    from ..identity import asserted

    refuse_by(user, "user")
    if team_mode():
        return service.acknowledge(alert_id)
    return store().acknowledge(alert_id, asserted(user))


def pending_actions(
    kind: ActionKind | None = None, job: str | None = None
) -> builtins.list[AlertAction]:
    """Actions of alerts no one has taken yet (the job scheduler takes run_job; see
    ``actions.py``)."""
    return alert_actions.pending(store(), kind, job)


def promotion_blockers(job: str) -> builtins.list[Alert]:
    """Open alerts that block ``job``'s promotion (the gate of the jobs area reads this)."""
    return alert_actions.promotion_blockers(store(), job)
