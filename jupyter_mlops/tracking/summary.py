"""The compact summary a tracked cell ends with: params, metrics, and the change against the
best earlier run of the experiment on its primary metric."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import RunSummary
from .search import finite_or_none
from .store import greater_is_better

if TYPE_CHECKING:
    from .tracker import TrackedRun


def pick_primary_metric(explicit: str | None, logged_first: list[str], keys: list[str]) -> str | None:
    """Explicit (``--metric`` or the experiment's tag), else the first metric the user logged,
    else the first metric name in sorted order; None when the run has no metric."""
    if explicit:
        return explicit
    for key in logged_first:
        if key in keys:
            return key
    return sorted(keys)[0] if keys else None


def summarize(tracked: TrackedRun, status: str) -> RunSummary:
    """Build the summary of a finished run (one ``get_run`` plus one ``search_runs``)."""
    client = tracked.client
    run = client.get_run(tracked.run_id)
    metrics = {k: finite_or_none(v) for k, v in run.data.metrics.items()}
    primary = pick_primary_metric(tracked.primary_metric, tracked.batch.metric_order, list(metrics))
    summary = RunSummary(
        run_id=tracked.run_id,
        run_name=tracked.run_name,
        experiment_id=tracked.experiment_id,
        experiment_name=tracked.experiment_name,
        status=status,
        params=dict(run.data.params),
        metrics=metrics,
        primary_metric=primary,
    )
    if primary is None or metrics.get(primary) is None:
        return summary
    higher = greater_is_better(primary)
    best = client.search_runs(
        [tracked.experiment_id],
        filter_string="attributes.status = 'FINISHED'",
        order_by=[f"metrics.`{primary}` {'DESC' if higher else 'ASC'}"],
        max_results=2,
    )
    earlier = [r for r in best if r.info.run_id != tracked.run_id and primary in r.data.metrics]
    summary.greater_is_better = higher
    if earlier:
        top = earlier[0]
        best_value = finite_or_none(top.data.metrics[primary])
        summary.best_run_id = top.info.run_id
        summary.best_run_name = top.info.run_name
        summary.best_value = best_value
        current = metrics[primary]
        if best_value is not None and current is not None:
            summary.delta = current - best_value
    return summary
