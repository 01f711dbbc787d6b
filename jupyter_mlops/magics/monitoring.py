"""``%monitor drift|list|history|alerts|ack``: the magic twin of ``mlops.monitor``.

A drift check ends with one output: our own MIME type (the check as JSON, for the Lab
extension), an HTML fallback (verdict, per-column table, quality metrics, and plotly
overlays of the drifted columns' binned distributions, drawn by plotly.js loaded from its
CDN, never embedded) and a plain-text fallback for papermill logs and nbconvert.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import uuid
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.display import display

from ..errors import MlopsError, NotFound
from ..monitoring import api as monitor
from ..monitoring.models import (
    Alert,
    ColumnDistribution,
    ColumnDrift,
    DriftCheck,
    Monitor,
    MonitorPoint,
)
from .commands import _Parser, parse_line

DRIFT_MIME = "application/vnd.jupyter-mlops.drift+json"
COLORS = {"reference": "#4c78a8", "current": "#f58518"}
# The HTML fallback is shown by frontends of either theme: no background of its own, and
# grid lines in a translucent mid grey that read on a light and on a dark page.
TRANSPARENT = "rgba(0,0,0,0)"
GRID = "rgba(128,128,128,0.3)"
PLOTLY_SCRIPT_ID = "jp-mlops-plotly-js"
LAST_CHECK = "_drift"  # the variable holding the last %monitor drift check


def monitor_parser() -> argparse.ArgumentParser:
    """A fresh parser for one ``%monitor`` line."""
    parser = _Parser(prog="%monitor", add_help=False)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    drift = sub.add_parser("drift", help="check a DataFrame for drift against a reference")
    drift.add_argument("--reference", "-r", required=True, help="DATASET@vN or a DataFrame var")
    drift.add_argument("--current", "-c", required=True, help="a DataFrame variable (or DATASET)")
    drift.add_argument("--name", "-n", help="record the check as a point of this monitor")
    drift.add_argument("--columns", help="comma-separated columns to check (default: all)")
    drift.add_argument("--engine", choices=["fast", "evidently"], default="fast")
    drift.add_argument("--target", help="label column: model quality with --prediction")
    drift.add_argument("--prediction", help="prediction column (or one probability per class)")
    drift.add_argument("--task", choices=["classification", "regression"])
    drift.add_argument("--drift-share", type=float, default=0.5, help="dataset drift share")
    drift.add_argument(
        "--threshold", action="append", help="alert rule, e.g. 'drifted_share >= 0.3'"
    )
    drift.add_argument("--action", action="append", help="run_job:JOB or block_promotion:JOB")
    sub.add_parser("list", help="every monitor and its latest point")
    history = sub.add_parser("history", help="the points of a monitor, newest first")
    history.add_argument("name")
    history.add_argument("--last", type=int, help="only the newest N points")
    alerts = sub.add_parser("alerts", help="open alerts (of one monitor)")
    alerts.add_argument("name", nargs="?")
    alerts.add_argument("--all", action="store_true", help="acknowledged alerts too")
    ack = sub.add_parser("ack", help="acknowledge an alert: %monitor ack ID")
    ack.add_argument("id", type=int)
    ack.add_argument("--user", help="who acknowledges (default: the Jupyter user)")
    return parser


def _columns(text: str | None) -> list[str] | None:
    return [c.strip() for c in text.split(",") if c.strip()] if text else None


@magics_class
class MonitoringMagics(Magics):
    """Drift checks and monitors."""

    @line_magic
    def monitor(self, line: str) -> Any:
        """Check drift and follow monitors from the notebook; ``%monitor -h`` for more."""
        args = parse_line(monitor_parser(), line)
        try:
            if args.command == "drift":
                check = self._drift(args)
                assert self.shell is not None
                self.shell.user_ns[LAST_CHECK] = check  # for Python, e.g. report_file(_drift)
                display(drift_bundle(check), raw=True)
                return None
            if args.command == "list":
                return monitors_frame(monitor.monitors())
            if args.command == "history":
                return history_frame(monitor.history(args.name, args.last))
            if args.command == "alerts":
                return alerts_frame(monitor.alerts(args.name, include_acknowledged=args.all))
            alert = monitor.acknowledge(args.id, args.user)
            print(f"alert {alert.id} acknowledged by {alert.acknowledged_by}")
            return None
        except MlopsError as exc:
            raise UsageError(f"%monitor {args.command}: {exc}") from None

    def _drift(self, args: argparse.Namespace) -> DriftCheck:
        import pandas as pd

        shell = self.shell
        assert shell is not None
        sides = {}
        for flag, token in (("--reference", args.reference), ("--current", args.current)):
            value = shell.user_ns.get(token) if "@" not in token else None
            if value is not None and not isinstance(value, pd.DataFrame):
                raise UsageError(
                    f"%monitor drift: {flag} {token} is a {type(value).__name__}, "
                    "not a pandas DataFrame"
                )
            sides[flag] = token if value is None else value
        prediction = _columns(args.prediction)
        try:
            return monitor.drift(
                sides["--reference"],
                sides["--current"],
                name=args.name,
                columns=_columns(args.columns),
                engine=args.engine,
                target=args.target,
                prediction=prediction[0] if prediction and len(prediction) == 1 else prediction,
                task=args.task,
                drift_share=args.drift_share,
                thresholds=args.threshold,
                actions=args.action,
            )
        except NotFound as exc:
            unbound = [t for t in sides.values() if isinstance(t, str) and "@" not in t]
            hint = "".join(f"; {t!r} is not a variable of this notebook either" for t in unbound)
            raise UsageError(f"%monitor drift: {exc}{hint}") from None


# -- rendering -----------------------------------------------------------------------------
def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.4g}"


def _verdict(column: ColumnDrift) -> str:
    return {True: "DRIFT", False: "no", None: "not tested"}[column.drifted]


def _payload(check: DriftCheck) -> dict[str, Any]:
    """The check as JSON; its point without the columns and distributions it repeats."""
    if check.point is None:
        return check.model_dump(mode="json")
    point = check.point.model_copy(update={"columns": [], "distributions": []})
    return check.model_copy(update={"point": point}).model_dump(mode="json")


def _head(check: DriftCheck) -> str:
    engine = " (Evidently's Report)" if check.engine == "evidently" else ""
    return f"{check.dataset.message}{engine}"


def _sides(check: DriftCheck) -> str:
    return (
        f"reference: {check.reference}, {check.reference_rows} rows; "
        f"current: {check.current}, {check.current_rows} rows"
    )


def _point_lines(point: MonitorPoint | None) -> list[str]:
    if point is None:
        return []
    lines = [f"recorded as point {point.id} of monitor {point.monitor!r}"]
    for alert in point.alerts:
        lines.append(f"ALERT {alert.id}: {alert.message}")
        lines += [f"  action {a.kind}:{a.job}: {a.detail}" for a in alert.actions]
    return lines


def _evidently_lines(check: DriftCheck) -> list[str]:
    artifact = check.evidently
    if artifact is None:
        return []
    size = f"{artifact.size / 2**20:.1f} MB"
    if artifact.store == "mlflow":
        where = f"artifact {artifact.artifact_path} of MLflow run {artifact.run_id}"
    else:
        where = f"object {artifact.object_id} of the workspace object store"
    source = check.point.id if check.point else LAST_CHECK
    opener = f"mlops.monitor.report_file({source})"
    return [f"Evidently's full report ({size}) stored as {where}; a local copy: {opener}"]


def _quality_rows(check: DriftCheck) -> list[tuple[str, str, str, str]]:
    quality = check.quality
    if quality is None:
        return []
    return [
        (
            m.name,
            _fmt(m.reference),
            _fmt(m.current),
            "—" if m.change is None else f"{m.change:+.4g}",
        )
        for m in quality.metrics
    ]


def drift_text(check: DriftCheck) -> str:
    """The plain-text fallback: verdict, sides, quality, point and alerts, one line per column."""
    lines = [_head(check), _sides(check)]
    if check.quality is not None:
        q = check.quality
        lines.append(f"model quality ({q.task}, {q.target} vs {', '.join(q.prediction)}):")
        lines += [f"  {n}: reference {r}, current {c} ({d})" for n, r, c, d in _quality_rows(check)]
        lines += [f"  note: {note}" for note in q.notes]
    lines += _point_lines(check.point) + _evidently_lines(check)
    width = max([len(c.column) for c in check.columns] + [6])
    lines.append(f"{'column':<{width}}  {'test':<30} {'score':>10} {'threshold':>9}  drifted")
    for c in check.columns:
        test = c.test_label or "—"
        lines.append(
            f"{c.column:<{width}}  {test:<30} {_fmt(c.score):>10} {_fmt(c.threshold):>9}  "
            f"{_verdict(c)}: {c.message}"
        )
    return "\n".join(lines)


def _table(head: list[str], rows: list[list[str]], marked: list[bool] | None = None) -> str:
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = []
    for i, row in enumerate(rows):
        style = " style='background:rgba(245,133,24,0.15)'" if marked and marked[i] else ""
        tds = "".join(f"<td>{html.escape(v)}</td>" for v in row)
        body.append(f"<tr{style}>{tds}</tr>")
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def drift_html(check: DriftCheck) -> str:
    """The HTML fallback: verdict, tables, and plotly overlays of drifted columns."""
    parts = [f"<div><b>{html.escape(_head(check))}</b></div>"]
    parts += [
        f"<div>{html.escape(line)}</div>"
        for line in [_sides(check), *_point_lines(check.point), *_evidently_lines(check)]
    ]
    if check.quality is not None:
        q = check.quality
        parts.append(f"<div><b>model quality</b> ({html.escape(q.task)})</div>")
        rows = [list(r) for r in _quality_rows(check)]
        parts.append(_table(["metric", "reference", "current", "change"], rows))
        parts += [f"<div>{html.escape(note)}</div>" for note in q.notes]
    rows = [
        [
            c.column,
            c.kind or "—",
            c.test_label or "—",
            _fmt(c.score),
            _fmt(c.threshold),
            _verdict(c),
            c.message,
        ]
        for c in check.columns
    ]
    head = ["column", "kind", "test", "score", "threshold", "drifted", "message"]
    parts.append(_table(head, rows, [bool(c.drifted) for c in check.columns]))
    parts.append(_plots(check))
    return f"<div class='jp-mlops-drift'>{''.join(parts)}</div>"


def _figure(dist: ColumnDistribution, column: ColumnDrift | None) -> dict[str, Any]:
    """A plotly figure (as JSON) overlaying the two sides' shares."""
    if dist.shape == "histogram" and dist.edges is not None:
        edges = dist.edges
        x: list[Any] = [float(f"{(a + b) / 2:.6g}") for a, b in itertools.pairwise(edges)]
        width: float | None = float(f"{edges[1] - edges[0]:.6g}")  # equal bins
        mode = "overlay"
    else:
        x, width, mode = list(dist.labels or []), None, "group"
    traces = []
    for side in ("reference", "current"):
        trace: dict[str, Any] = {
            "type": "bar",
            "name": side,
            "x": x,
            "y": getattr(dist, side),
            "opacity": 0.6,
            "marker": {"color": COLORS[side]},
        }
        if width is not None:
            trace["width"] = width
        traces.append(trace)
    score = f": {column.test_label} = {_fmt(column.score)}" if column is not None else ""
    return {
        "data": traces,
        "layout": {
            "title": {"text": f"{dist.column}{score}", "font": {"size": 13}},
            "barmode": mode,
            "height": 260,
            "margin": {"l": 50, "r": 10, "t": 40, "b": 40},
            "paper_bgcolor": TRANSPARENT,
            "plot_bgcolor": TRANSPARENT,
            "xaxis": {"gridcolor": GRID, "zerolinecolor": GRID},
            "yaxis": {
                "title": {"text": "share"},
                "tickformat": ".0%",
                "gridcolor": GRID,
                "zerolinecolor": GRID,
            },
            "legend": {"orientation": "h"},
        },
    }


def _plots(check: DriftCheck) -> str:
    """Divs for the drifted columns' figures and a script drawing them with plotly.js."""
    if not check.distributions:
        return ""
    from plotly.offline import get_plotlyjs_version

    by_name = {c.column: c for c in check.columns}
    prefix = f"jp-mlops-drift-{uuid.uuid4().hex[:12]}"
    figures, divs = [], []
    for i, dist in enumerate(check.distributions):
        figure = _figure(dist, by_name.get(dist.column))
        figures.append({"id": f"{prefix}-{i}", **figure})
        note = f"<div><small>{html.escape(dist.note)}</small></div>" if dist.note else ""
        divs.append(f"<div id='{prefix}-{i}' style='min-height:260px'></div>{note}")
    data = json.dumps(figures, separators=(",", ":")).replace("</", "<\\/")
    src = f"https://cdn.plot.ly/plotly-{get_plotlyjs_version()}.min.js"
    # Text takes the colour and font of the output's own text: the host page's theme.
    script = (
        "(function(){var figs=" + data + ";"
        "function draw(){figs.forEach(function(f){var el=document.getElementById(f.id);"
        "if(!el){return;}var css=window.getComputedStyle(el);"
        "f.layout.font={color:css.color,family:css.fontFamily};"
        "window.Plotly.newPlot(el,f.data,f.layout,{displaylogo:false,responsive:true});});}"
        "if(window.Plotly){draw();return;}"
        f"var s=document.getElementById('{PLOTLY_SCRIPT_ID}');"
        "if(!s){s=document.createElement('script');"
        f"s.id='{PLOTLY_SCRIPT_ID}';s.src='{src}';document.head.appendChild(s);}}"
        "s.addEventListener('load',draw);})();"
    )
    return (
        "<div><b>distributions of the drifted columns</b> (shares of each side's values)</div>"
        f"{''.join(divs)}<script type='text/javascript'>{script}</script>"
    )


def drift_bundle(check: DriftCheck) -> dict[str, Any]:
    """The one output of ``%monitor drift``."""
    return {
        DRIFT_MIME: _payload(check),
        "text/html": drift_html(check),
        "text/plain": drift_text(check),
    }


def monitors_frame(monitors: list[Monitor]) -> Any:
    import pandas as pd

    return pd.DataFrame.from_records(
        [
            {
                "monitor": m.name,
                "kind": m.kind,
                "points": m.points,
                "open_alerts": m.open_alerts,
                "last_check": m.last_point.created_at if m.last_point else None,
                "drifted_share": m.last_point.share_of_drifted_columns if m.last_point else None,
                "dataset_drift": m.last_point.dataset_drifted if m.last_point else None,
                "thresholds": ", ".join(r.text for r in m.thresholds),
                "actions": ", ".join(a.text for a in m.actions),
                "reference": m.reference,
            }
            for m in monitors
        ],
        columns=[
            "monitor",
            "kind",
            "points",
            "open_alerts",
            "last_check",
            "drifted_share",
            "dataset_drift",
            "thresholds",
            "actions",
            "reference",
        ],
    )


def history_frame(points: list[MonitorPoint]) -> Any:
    import pandas as pd

    metric_names = list(
        dict.fromkeys(m.name for p in points if p.quality for m in p.quality.metrics)
    )
    records = []
    for p in points:
        quality = {m.name: m.current for m in p.quality.metrics} if p.quality else {}
        records.append(
            {
                "point": p.id,
                "created_at": p.created_at,
                "drifted_share": p.share_of_drifted_columns,
                "drifted_columns": p.number_of_drifted_columns,
                "tested_columns": p.number_of_columns,
                "dataset_drift": p.dataset_drifted,
                **{name: quality.get(name) for name in metric_names},
                "alerts": len(p.alerts),
                "reference": p.reference_dataset or p.reference,
                "mlflow_run_id": p.mlflow_run_id,
            }
        )
    return pd.DataFrame.from_records(records)


def alerts_frame(alerts: list[Alert]) -> Any:
    import pandas as pd

    return pd.DataFrame.from_records(
        [
            {
                "alert": a.id,
                "monitor": a.monitor,
                "point": a.point_id,
                "rule": a.rule,
                "message": a.message,
                "created_at": a.created_at,
                "acknowledged_by": a.acknowledged_by,
                "acknowledged_at": a.acknowledged_at,
                "actions": ", ".join(f"{x.kind}:{x.job} ({x.status})" for x in a.actions),
            }
            for a in alerts
        ],
        columns=[
            "alert",
            "monitor",
            "point",
            "rule",
            "message",
            "created_at",
            "acknowledged_by",
            "acknowledged_at",
            "actions",
        ],
    )
