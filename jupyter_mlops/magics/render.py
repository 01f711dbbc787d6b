"""Output bundles for the magics: our own MIME types (rendered by the Lab extension with
actions such as "Open in Experiments"), with HTML and plain-text fallbacks for other
frontends, papermill outputs and nbconvert."""

from __future__ import annotations

import html
from typing import Any

from ..tracking.models import CompareResponse, ListRunsResponse, RunSummary

RUN_MIME = "application/vnd.jupyter-mlops.run+json"
COMPARE_MIME = "application/vnd.jupyter-mlops.compare+json"


MAX_ITEMS = 8
MAX_VALUE = 40


def _pairs(items: dict[str, str], fmt: Any = str) -> str:
    """``k=v, …`` for a summary line: at most MAX_ITEMS pairs, long values cut."""
    shown = [
        f"{k}={v if len(v) <= MAX_VALUE else v[: MAX_VALUE - 1] + '…'}"
        for k, v in ((k, fmt(v)) for k, v in sorted(items.items())[:MAX_ITEMS])
    ]
    extra = len(items) - MAX_ITEMS
    return ", ".join(shown) + (f" … and {extra} more" if extra > 0 else "")


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.4g}"


def _delta_text(s: RunSummary) -> str:
    if s.primary_metric is None:
        return "no metric logged"
    if s.metrics.get(s.primary_metric) is None:
        return f"{s.primary_metric} not logged in this run"
    if s.delta is None:
        return f"{s.primary_metric} = {_fmt(s.metrics.get(s.primary_metric))} (first run with it)"
    better = (s.delta > 0) == s.greater_is_better and s.delta != 0
    arrow = "▲" if s.delta > 0 else "▼" if s.delta < 0 else "="
    verdict = "better than" if better else "not better than"
    return (
        f"{s.primary_metric} = {_fmt(s.metrics.get(s.primary_metric))} {arrow} {s.delta:+.4g}, "
        f"{verdict} best earlier run {s.best_run_name} ({_fmt(s.best_value)})"
    )


def run_summary_bundle(summary: RunSummary) -> dict[str, Any]:
    """The summary a tracked cell ends with."""
    head = (
        f"{summary.status} run {summary.run_name} ({summary.run_id[:8]}) "
        f"in {summary.experiment_name}"
    )
    params = _pairs(summary.params)
    metrics = _pairs(summary.metrics, _fmt)  # type: ignore[arg-type]
    text = "\n".join(
        [head, f"params: {params or '—'}", f"metrics: {metrics or '—'}", _delta_text(summary)]
    )
    rows = "".join(
        f"<div><b>{html.escape(label)}</b> {html.escape(value or '—')}</div>"
        for label, value in (
            ("params", params),
            ("metrics", metrics),
            ("vs best", _delta_text(summary)),
        )
    )
    return {
        RUN_MIME: summary.model_dump(mode="json"),
        "text/html": (
            f"<div class='jp-mlops-run-summary'><div><b>{html.escape(head)}</b></div>{rows}</div>"
        ),
        "text/plain": text,
    }


def compare_bundle(compare: CompareResponse) -> dict[str, Any]:
    """``%mlops compare``: interactive plotly view in Lab, a metrics table elsewhere."""
    header = "".join(f"<th>{html.escape(r.run_name)}</th>" for r in compare.runs)
    body = "".join(
        f"<tr><td>{html.escape(key)}</td>"
        + "".join(f"<td>{_fmt(r.metrics.get(key))}</td>" for r in compare.runs)
        + "</tr>"
        for key in compare.metric_keys
    )
    diff = "".join(
        f"<tr><td>{html.escape(d.key)}</td>"
        + "".join(f"<td>{html.escape(str(d.values.get(r.run_id)))}</td>" for r in compare.runs)
        + "</tr>"
        for d in compare.param_diff
    )
    table = (
        f"<table><tr><th>metric</th>{header}</tr>{body}"
        f"<tr><th>param (differs)</th>{header}</tr>{diff}</table>"
    )
    text = "\n".join(
        f"{key}: " + ", ".join(f"{r.run_name}={_fmt(r.metrics.get(key))}" for r in compare.runs)
        for key in compare.metric_keys
    )
    return {
        COMPARE_MIME: compare.model_dump(mode="json"),
        "text/html": table,
        "text/plain": text or "no metrics to compare",
    }


def runs_frame(runs: ListRunsResponse, metric: str | None) -> Any:
    """``%mlops runs``: a DataFrame (shown as a table, and usable as data)."""
    import pandas as pd

    metric_keys = ([metric] if metric in runs.metric_keys else []) + [
        k for k in runs.metric_keys if k != metric
    ]
    records = [
        {
            "run_name": r.run_name,
            "run_id": r.run_id,
            "status": r.status,
            "start_time": pd.to_datetime(r.start_time, unit="ms") if r.start_time else None,
            **{f"metrics.{k}": r.metrics.get(k) for k in metric_keys},
            **{f"params.{k}": r.params.get(k) for k in runs.param_keys},
        }
        for r in runs.runs
    ]
    return pd.DataFrame.from_records(records)
