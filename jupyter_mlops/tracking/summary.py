"""The compact summary a tracked cell ends with: params, metrics, and the change against the
best earlier run of the experiment on its primary metric."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import ListRunsQuery, RunSummary
from .search import run_values, search_runs
from .store import greater_is_better

if TYPE_CHECKING:
    from .tracker import TrackedRun


def pick_primary_metric(
    explicit: str | None, logged_first: list[str], keys: list[str]
) -> str | None:
    """Explicit (``--metric`` or the experiment's tag), else the first metric the user logged,
    else the first metric name in sorted order; None when the run has no metric."""
    if explicit:
        return explicit
    for key in logged_first:
        if key in keys:
            return key
    return sorted(keys)[0] if keys else None


def summarize(tracked: TrackedRun, status: str) -> RunSummary:
    """Build the summary of a finished run: its values, then the best earlier run."""
    client = tracked.client
    metrics, params = run_values(client, tracked.run_id)
    primary = pick_primary_metric(tracked.primary_metric, tracked.batch.metric_order, list(metrics))
    summary = RunSummary(
        run_id=tracked.run_id,
        run_name=tracked.run_name,
        experiment_id=tracked.experiment_id,
        experiment_name=tracked.experiment_name,
        status=status,
        params=params,
        metrics=metrics,
        primary_metric=primary,
    )
    current = metrics.get(primary) if primary else None
    if primary is None or current is None:
        return summary
    higher = greater_is_better(primary)
    summary.greater_is_better = higher
    best = search_runs(
        client,
        ListRunsQuery(
            experiment_ids=[tracked.experiment_id],
            filter="attributes.status = 'FINISHED'",
            order_by=f"metrics.`{primary}` {'DESC' if higher else 'ASC'}",
            page_size=2,
        ),
    ).runs
    earlier = [r for r in best if r.run_id != tracked.run_id and r.metrics.get(primary) is not None]
    if earlier:
        top = earlier[0]
        summary.best_run_id = top.run_id
        summary.best_run_name = top.run_name
        summary.best_value = top.metrics[primary]
        summary.delta = current - top.metrics[primary]  # type: ignore[operator]
    return summary
