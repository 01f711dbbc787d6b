"""Text and HTML for the magics and the CLI: times, versions, schedules and tables.

One module, so that a job, a run or a review reads the same in a notebook cell and in a
terminal. Pure functions over the areas' models; no Jupyter import (the magics wrap the
bundles in IPython's display, the CLI prints the text).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .pipelines.models import STAGES

if TYPE_CHECKING:
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


def table_bundle(title: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> dict[str, Any]:
    """A small HTML table under a title, and the same as aligned plain text."""
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    return {
        "text/html": (
            f"<div class='jp-mlops-jobs'><b>{html.escape(title)}</b>"
            f"<table><tr>{header}</tr>{cells}</table></div>"
        ),
        "text/plain": "\n".join([title, *text_table(head, rows)]) if rows else title,
    }
