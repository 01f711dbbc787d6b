"""The review page's comparisons of two runs: metrics (table and plotly bars), params,
training datasets with their diffs, and drift of recent data against that training data."""

from __future__ import annotations

import json
import math
from typing import Any

from mlflow.entities import Run
from mlflow.utils.mlflow_tags import MLFLOW_DATASET_CONTEXT

from .. import tags as mlops_tags
from ..datasets.lineage import CONSUMED
from ..datasets.store import DatasetStore
from ..errors import MlopsError
from ..monitoring.store import MonitorStore
from ..tracking.store import greater_is_better
from .page_models import (
    DatasetComparison,
    DatasetsSection,
    DatasetStatus,
    DriftSection,
    DriftSummary,
    MetricRow,
    MetricsSection,
    ParamChange,
    ParamsSection,
    TrainingDataset,
)

CANDIDATE_COLOR = "#1f77b4"
CHAMPION_COLOR = "#ff7f0e"


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


# -- metrics --------------------------------------------------------------------------------
def metric_rows(candidate: dict[str, float], champion: dict[str, float] | None) -> list[MetricRow]:
    """One row per metric of either run, by name."""
    rows = []
    for name in sorted({*candidate, *(champion or {})}):
        ours = _finite(candidate.get(name))
        theirs = _finite((champion or {}).get(name))
        delta = ours - theirs if ours is not None and theirs is not None else None
        higher = greater_is_better(name)
        rows.append(
            MetricRow(
                name=name,
                candidate=ours,
                champion=theirs,
                delta=delta,
                greater_is_better=higher,
                improved=None if not delta else (delta > 0) == higher,
            )
        )
    return rows


def metrics_figure(
    rows: list[MetricRow], candidate_label: str, champion_label: str | None
) -> dict[str, Any]:
    """A grouped bar chart of each metric, candidate beside champion (plotly JSON)."""
    import plotly.graph_objects as go

    names = [r.name for r in rows]
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            name=candidate_label,
            x=names,
            y=[r.candidate for r in rows],
            marker_color=CANDIDATE_COLOR,
        )
    )
    if champion_label is not None:
        figure.add_trace(
            go.Bar(
                name=champion_label,
                x=names,
                y=[r.champion for r in rows],
                marker_color=CHAMPION_COLOR,
            )
        )
    figure.update_layout(
        barmode="group",
        height=320,
        margin={"l": 50, "r": 10, "t": 40, "b": 60},
        # above the bars: below them it would cover the rotated metric names
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        xaxis={"automargin": True},
        template="none",  # no theme of a few kilobytes: the panel styles the chart
    )
    return dict(json.loads(figure.to_json()))


def metrics_section(
    candidate: Run | None, champion: Run | None, labels: tuple[str, str]
) -> MetricsSection:
    if candidate is None:
        return MetricsSection(reason="the version has no source run: no metrics")
    theirs = dict(champion.data.metrics) if champion is not None else None
    rows = metric_rows(dict(candidate.data.metrics), theirs)
    if not rows:
        return MetricsSection(reason="neither run logged a metric")
    figure = metrics_figure(rows, labels[0], labels[1] if champion is not None else None)
    reason = None if champion is not None else "no champion run to compare with"
    return MetricsSection(rows=rows, figure=figure, reason=reason)


# -- params ---------------------------------------------------------------------------------
def params_section(candidate: Run | None, champion: Run | None) -> ParamsSection:
    if candidate is None:
        return ParamsSection(reason="the version has no source run: no params")
    ours = dict(candidate.data.params)
    if champion is None:
        return ParamsSection(params=ours, reason="no champion run to compare with")
    theirs = dict(champion.data.params)
    section = ParamsSection(params=ours)
    for name in sorted({*ours, *theirs}):
        change = ParamChange(name=name, candidate=ours.get(name), champion=theirs.get(name))
        if name not in theirs:
            section.added.append(change)
        elif name not in ours:
            section.removed.append(change)
        elif ours[name] != theirs[name]:
            section.changed.append(change)
        else:
            section.unchanged += 1
    return section


# -- datasets -------------------------------------------------------------------------------
def consumed_versions(run: Run) -> list[tuple[str, int]]:
    """The catalog's dataset versions the run consumed (our MLflow run inputs), in order."""
    found: dict[tuple[str, int], None] = {}
    for given in run.inputs.dataset_inputs if run.inputs else []:
        context = next((t.value for t in given.tags if t.key == MLFLOW_DATASET_CONTEXT), None)
        if context != CONSUMED:
            continue
        try:
            tags = json.loads(given.dataset.source).get("tags", {})
            name = tags[mlops_tags.DATASET]
            version = int(str(tags[mlops_tags.DATASET_VERSION]).lstrip("v"))
        except (TypeError, ValueError, KeyError, AttributeError):
            continue  # not a dataset of our catalog
        found[(name, version)] = None
    return list(found)


def training_dataset(store: DatasetStore, name: str, version: int) -> TrainingDataset:
    ref = f"{name}@v{version}"
    try:
        found = store.resolve(ref)
    except MlopsError as exc:
        return TrainingDataset(name=name, version=version, ref=ref, missing=str(exc))
    manifest = found.manifest
    return TrainingDataset(
        name=name,
        version=version,
        ref=ref,
        kind=manifest.kind,
        rows=manifest.rows,
        columns=len(manifest.columns) if manifest.kind == "dataframe" else None,
        created_at=found.created_at,
    )


def _compare(store: DatasetStore, name: str, ours: str | None, theirs: str | None) -> Any:
    if ours is None or theirs is None:
        status: DatasetStatus = "added" if theirs is None else "removed"
        return DatasetComparison(name=name, candidate=ours, champion=theirs, status=status)
    if ours == theirs:
        return DatasetComparison(name=name, candidate=ours, champion=theirs, status="same")
    comparison = DatasetComparison(name=name, candidate=ours, champion=theirs, status="changed")
    try:
        comparison.diff = store.diff(theirs, ours)
    except MlopsError as exc:
        comparison.diff_error = str(exc)
    return comparison


def datasets_section(
    store: DatasetStore, candidate: Run | None, champion: Run | None
) -> DatasetsSection:
    if candidate is None:
        return DatasetsSection(reason="the version has no source run: no training data known")
    ours = [training_dataset(store, n, v) for n, v in consumed_versions(candidate)]
    theirs = (
        [training_dataset(store, n, v) for n, v in consumed_versions(champion)] if champion else []
    )
    section = DatasetsSection(candidate=ours, champion=theirs)
    if not ours:
        section.reason = "the run consumed no dataset version of the catalog"
    if champion is None:
        section.reason = section.reason or "no champion run to compare with"
        return section
    by_name_ours = {d.name: d.ref for d in ours}
    by_name_theirs = {d.name: d.ref for d in theirs}
    for name in dict.fromkeys([*by_name_ours, *by_name_theirs]):
        section.comparisons.append(
            _compare(store, name, by_name_ours.get(name), by_name_theirs.get(name))
        )
    return section


# -- drift ----------------------------------------------------------------------------------
def _verdict(drifted: bool | None) -> Any:
    return "unknown" if drifted is None else ("drifted" if drifted else "no drift")


def drift_section(monitors: MonitorStore, training: list[TrainingDataset]) -> DriftSection:
    """The latest point of every monitor whose latest check used a training dataset version
    as its reference: how recent data compares with what the model learned from."""
    refs = {d.ref for d in training}
    if not refs:
        return DriftSection(reason="no training dataset version to check drift against")
    found = []
    for monitor in monitors.monitors():
        point = monitor.last_point
        if point is None or point.reference_dataset not in refs:
            continue
        found.append(
            DriftSummary(
                monitor=monitor.name,
                point_id=point.id,
                created_at=point.created_at,
                reference_dataset=point.reference_dataset,
                current_dataset=point.current_dataset,
                share_of_drifted_columns=point.share_of_drifted_columns,
                number_of_drifted_columns=point.number_of_drifted_columns,
                number_of_columns=point.number_of_columns,
                verdict=_verdict(point.dataset_drifted),
                open_alerts=monitor.open_alerts,
            )
        )
    if not found:
        listed = ", ".join(sorted(refs))
        return DriftSection(reason=f"no monitor checks recent data against {listed}")
    return DriftSection(monitors=found)
