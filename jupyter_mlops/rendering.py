"""Text and HTML for the magics and the CLI: times, versions, schedules and tables.

One module, so that a job, a run, a review or a feature view reads the same in a notebook
cell and in a terminal. Pure functions over the areas' models; no Jupyter import (the
magics wrap the bundles in IPython's display, the CLI prints the text).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .pipelines.models import STAGES

if TYPE_CHECKING:
    from .datasets.models import ColumnStats
    from .features.models import Materialization, OnlineResult, ViewCoverage
    from .features.skew import SkewReport
    from .features.views import Catalog, ViewDetail
    from .pipelines.models import Job, JobRun, StageState

DASH = "—"
RUN_COLUMNS = ["run", "stage", "version", "trigger", "status", "started", "finished", "error"]


def utc_text(moment: datetime | None) -> str:
    """A UTC time to the second, or a dash."""
    return DASH if moment is None else f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def version_text(version: int | None) -> str:
    """``v3``, or a dash for no version."""
    return DASH if version is None else f"v{version}"


def schedule_text(state: StageState, *, terminal: bool = False) -> str:
    """A stage's version and schedule: ``v2 0 6 * * * (Europe/Paris) paused`` (in a
    terminal the zone goes unbracketed, a column of its own to the eye)."""
    if state.version is None:
        return DASH
    zone = state.timezone if terminal else f"({state.timezone})"
    when = f"{state.cron} {zone}" if state.cron else "manual"
    return f"{version_text(state.version)} {when}" + (" paused" if state.paused else "")


JOB_COLUMNS = ["job", "latest", "dev", "staging", "prod", "next fire"]


def job_rows(jobs: Sequence[Job], *, terminal: bool = False) -> list[list[str]]:
    """Jobs as the text rows of a table under :data:`JOB_COLUMNS`: each stage's version
    and schedule, and the soonest next fire."""
    rows = []
    for job in jobs:
        stages = {s.stage: s for s in job.stages}
        fires = [s.next_fire_at for s in job.stages if s.next_fire_at is not None]
        rows.append(
            [
                job.name,
                f"v{job.latest_version}",
                *(schedule_text(stages[s], terminal=terminal) for s in STAGES),
                utc_text(min(fires) if fires else None),
            ]
        )
    return rows


def run_rows(runs: Sequence[JobRun], error_width: int = 80) -> list[list[str]]:
    """Job runs as the text rows of a table under :data:`RUN_COLUMNS`."""
    return [
        [
            str(r.id),
            r.stage,
            f"v{r.version}",
            r.trigger,
            r.status,
            utc_text(r.started_at),
            utc_text(r.finished_at),
            (r.error or "")[:error_width],
        ]
        for r in runs
    ]


def text_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows under a header, as lines of left-aligned columns two spaces apart."""
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [head, *rows]
    ]


def table_bundle(
    title: str,
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    notes: Sequence[str] = (),
) -> dict[str, Any]:
    """A small HTML table under a title (and ``notes``, one line each), and the same as
    aligned plain text."""
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    lines = "".join(f"<div>{html.escape(note)}</div>" for note in notes)
    return {
        "text/html": (
            f"<div class='jp-mlops-jobs'><b>{html.escape(title)}</b>{lines}"
            f"<table><tr>{header}</tr>{cells}</table></div>"
        ),
        "text/plain": "\n".join([title, *notes, *(text_table(head, rows) if rows else [])]),
    }


# -- features --------------------------------------------------------------------------------
SPARK = "▁▂▃▄▅▆▇█"
CATALOG_COLUMNS = ["kind", "name", "version", "definition", "last materialized"]
SCHEMA_COLUMNS = ["feature", "type", "nulls", "min", "mean", "max", "top values", "histogram"]
COVERAGE_COLUMNS = ["view", "rows", "matched", "no key", "only later", "expired", "matched share"]
SKEW_COLUMNS = [
    *("view", "verdict", "sampled", "differ", "materialized", "dataset online/now"),
    "reason",
]
MATERIALIZATION_COLUMNS = [
    *("view", "version", "source", "mode", "status"),
    *("entities", "watermark", "took"),
]
_UNITS = (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1))


def duration_text(seconds: float | None) -> str:
    """A duration in its two largest units (``45s``, ``12m 5s``, ``3h``, ``2d 4h``);
    under ten seconds to a tenth (``0.3s``)."""
    if seconds is None:
        return DASH
    if abs(seconds) < 10:
        return f"{seconds:.1f}s" if seconds != int(seconds) else f"{int(seconds)}s"
    sign, left = "-" if seconds < 0 else "", round(abs(seconds))
    counts = []
    for unit, size in _UNITS:
        count, left = divmod(left, size)
        counts.append((count, unit))
    first = next(i for i, (count, _) in enumerate(counts) if count)
    shown = [f"{c}{u}" for c, u in counts[first : first + 2] if c]
    return sign + " ".join(shown)


def ttl_text(seconds: int | None) -> str:
    """A view's ttl: how old a value may be (``none``: any age)."""
    return "none" if seconds is None else duration_text(seconds)


def value_text(value: Any) -> str:
    """A feature or key value in a cell: numbers to six significant digits, a dash for none."""
    if value is None:
        return DASH
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def sparkline(counts: Sequence[int]) -> str:
    """A histogram in eight block heights (an empty bin is the lowest)."""
    top = max(counts, default=0)
    if not top:
        return ""
    return "".join(SPARK[0] if not c else SPARK[max(1, round(c / top * 7))] for c in counts)


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def materialized_text(m: Materialization | None) -> str:
    """The last materialization in a cell: when, and how it went."""
    if m is None:
        return "never"
    when = utc_text(m.finished_at or m.started_at)
    if m.status == "done":
        return f"{when} ({m.mode}, {_plural(m.rows, 'entity', 'entities')})"
    return f"{when} ({m.mode}, {m.status})"


def catalog_title(catalog: Catalog, search: str = "") -> str:
    """``2 entities, 1 view, 1 service`` (matching a search)."""
    counts = ", ".join(
        [
            _plural(len(catalog.entities), "entity", "entities"),
            _plural(len(catalog.views), "view"),
            _plural(len(catalog.services), "service"),
        ]
    )
    return counts + (f" matching {search!r}" if search else "")


def catalog_rows(catalog: Catalog, width: int = 80) -> list[list[str]]:
    """Entities, views and services as rows under :data:`CATALOG_COLUMNS`."""
    rows = []
    for e in catalog.entities:
        keys = ", ".join(f"{k.name} {k.dtype}" for k in e.join_keys)
        rows.append(["entity", e.name, f"v{e.version}", f"keys {keys}", DASH])
    for summary in catalog.views:
        v = summary.view
        text = (
            f"{', '.join(v.entities)} ← {v.source}; {_plural(len(v.features), 'feature')}; "
            f"ttl {ttl_text(v.ttl_seconds)}" + ("" if v.online else "; offline only")
        )
        last = materialized_text(summary.last_materialization) if v.online else DASH
        rows.append(["view", v.name, f"v{v.version}", text, last])
    for s in catalog.services:
        refs = ", ".join(s.features)
        refs = refs if len(refs) <= width else refs[: width - 1] + "…"
        rows.append(["service", s.name, f"v{s.version}", refs, DASH])
    return rows


def view_title(detail: ViewDetail) -> str:
    """``view driver_stats v2: driver_rows v3, 1,200 rows``."""
    v = detail.view
    rows = DASH if detail.rows is None else f"{detail.rows:,}"
    described = f" — {v.description}" if v.description else ""
    source = f"{detail.dataset} v{detail.dataset_version}"
    return f"view {v.name} v{v.version}: {source}, {rows} rows{described}"


def view_notes(detail: ViewDetail) -> list[str]:
    """A view's time columns, ttl, freshness, materializations and the runs that used it."""
    v, fresh = detail.view, detail.freshness
    times = v.timestamp_field + (
        f", created {v.created_timestamp_column}" if v.created_timestamp_column else ""
    )
    zone = f" (naive times read in {v.timezone})" if v.timezone else ""
    serving = "online" if v.online else "offline only"
    notes = [
        f"entities {', '.join(v.entities)}; event time {times}{zone}; "
        f"ttl {ttl_text(v.ttl_seconds)}; {serving}"
    ]
    if fresh.newest_event is None:
        notes.append("freshness: the source has no events")
    else:
        verdict = (
            ""
            if fresh.fresh is None
            else ": fresh (within the ttl)"
            if fresh.fresh
            else f": STALE (older than the ttl {ttl_text(fresh.ttl_seconds)})"
        )
        age = duration_text(fresh.age_seconds)
        notes.append(f"newest event {utc_text(fresh.newest_event)}, {age} ago{verdict}")
    notes += _materialization_notes(detail.materializations)
    if detail.used_by:
        runs = [
            (r.run_name or r.run_id[:8]) + (f" ({', '.join(r.models)})" if r.models else "")
            for r in detail.used_by[:5]
        ]
        more = len(detail.used_by) - len(runs)
        notes.append(f"used by {', '.join(runs)}" + (f" and {more} more" if more > 0 else ""))
    return notes


def _materialization_notes(found: Sequence[Materialization]) -> list[str]:
    if not found:
        return ["never materialized"]
    last = found[0]
    line = (
        f"last materialization {last.id} ({last.mode}): {last.status} "
        f"{utc_text(last.finished_at or last.started_at)}"
    )
    if last.status == "done":
        line += (
            f", {_plural(last.rows, 'entity', 'entities')}, watermark {utc_text(last.watermark)}"
        )
    elif last.error:
        line += f": {' '.join(last.error.split())[:200]}"
    done = next((m for m in found if m.status == "done"), None)
    if done is not None and done is not last:
        line += f"; last done {done.id}, watermark {utc_text(done.watermark)}"
    return [line]


def _stat_text(value: float | None, dtype: str) -> str:
    if value is None:
        return DASH
    if dtype == "UnixTimestamp":
        from datetime import UTC

        return utc_text(datetime.fromtimestamp(value, UTC))
    return f"{value:.4g}"


def _stats_cells(stats: ColumnStats | None, dtype: str, null_share: float | None) -> list[str]:
    if stats is None:
        return [DASH] * 5
    share = "" if null_share is None else f" ({null_share:.0%})"
    top = ", ".join(f"{value} ({count})" for value, count in (stats.top_values or [])[:3])
    return [
        f"{stats.nulls}{share}",
        _stat_text(stats.min, dtype),
        _stat_text(stats.mean, dtype),
        _stat_text(stats.max, dtype),
        top or DASH,
    ]


def schema_rows(detail: ViewDetail) -> list[list[str]]:
    """A view's features under :data:`SCHEMA_COLUMNS`: type, the source version's
    statistics and a histogram."""
    return [
        [f.name, f.dtype, *_stats_cells(f.stats, f.dtype, f.null_share), sparkline(f.histogram)]
        for f in detail.features
    ]


def online_head(result: OnlineResult) -> list[str]:
    """The columns of a lookup: keys, features, then each view's status and age."""
    keys = list(result.rows[0].key) if result.rows else []
    views = [f.view for f in result.rows[0].views] if result.rows else []
    if len(views) == 1:
        return [*keys, *result.features, "status", "age"]
    return [*keys, *result.features, *(f"{v} {what}" for v in views for what in ("status", "age"))]


def online_rows(result: OnlineResult) -> list[list[str]]:
    """Each requested entity: its keys, values, and per view its status and age."""
    return [
        [
            *(value_text(v) for v in row.key.values()),
            *(value_text(row.values.get(f)) for f in result.features),
            *(cell for f in row.views for cell in (f.status, duration_text(f.age_seconds))),
        ]
        for row in result.rows
    ]


def online_title(target: str, result: OnlineResult) -> str:
    """``eta: 3 entities; driver_stats: 2 present, 1 missing``."""
    parts = [f"{target}: {_plural(len(result.rows), 'entity', 'entities')}"]
    views: dict[str, dict[str, int]] = {}
    for row in result.rows:
        for f in row.views:
            counts = views.setdefault(f.view, {})
            counts[f.status] = counts.get(f.status, 0) + 1
    for view, counts in views.items():
        shown = [f"{counts[s]} {s}" for s in ("present", "expired", "missing") if s in counts]
        parts.append(f"{view}: {', '.join(shown)}")
    return "; ".join(parts)


def coverage_rows(coverage: Sequence[ViewCoverage]) -> list[list[str]]:
    """How the rows of a training set matched each view, under :data:`COVERAGE_COLUMNS`."""
    return [
        [
            c.view,
            str(c.rows),
            str(c.matched),
            str(c.no_key),
            str(c.only_later),
            str(c.expired),
            f"{c.share:.1%}",
        ]
        for c in coverage
    ]


def materialization_rows(found: Sequence[Materialization]) -> list[list[str]]:
    """Materializations under :data:`MATERIALIZATION_COLUMNS`."""
    rows = []
    for m in found:
        took = (m.finished_at - m.started_at).total_seconds() if m.finished_at is not None else None
        rows.append(
            [
                m.view,
                f"v{m.view_version}",
                f"{m.dataset} v{m.dataset_version}",
                m.mode,
                m.status,
                str(m.rows),
                utc_text(m.watermark),
                duration_text(took),
            ]
        )
    return rows


def skew_title(report: SkewReport) -> str:
    """The verdict: the online values equal the offline ones and are fresh, or which
    views are skewed or stale."""
    if report.passed:
        return f"{report.service}: online values equal offline, and fresh"
    failed = [v.view for v in report.views if not (v.fresh and v.consistent)]
    return f"{report.service}: SKEW OR STALE in {', '.join(failed)}"


def skew_rows(report: SkewReport) -> list[list[str]]:
    """Each view of a skew report under :data:`SKEW_COLUMNS`."""
    rows = []
    for v in report.views:
        verdict = [] if v.fresh else ["stale"]
        verdict += [] if v.consistent else ["skewed"]
        online = version_text(v.online_dataset_version)
        rows.append(
            [
                v.view,
                ", ".join(verdict) or "ok",
                str(v.sampled),
                str(v.mismatched),
                utc_text(v.materialized_at),
                f"{online}/v{v.current_dataset_version}",
                v.reason,
            ]
        )
    return rows


def skew_notes(report: SkewReport) -> list[str]:
    """The first entities whose online values differ from offline, per view."""
    return [f"{v.view}: {example}" for v in report.views for example in v.examples]
