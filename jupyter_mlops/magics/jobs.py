"""``%mlops promote|run|jobs|gates|promote-stage|rollback|…``: the magic twin of ``mlops.jobs``.

The job sub-commands join the ``%mlops`` grammar (``commands.py``); ``%mlops jobs`` lists
jobs and ``%mlops jobs JOB`` the runs of one (``%mlops runs`` stays the experiment runs of
tracking). Each ends with a small HTML table and a plain-text twin for papermill logs.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from IPython.display import display

from ..arguments import add_param_option, add_promote_arguments, promote_kwargs
from ..errors import Invalid
from ..pipelines import api as jobs
from ..pipelines.models import STAGES, Job, JobRun
from ..pipelines.overrides import parse_assignments as parse_params
from ..pipelines.promotion_models import GateReport, PromotionResult
from ..rendering import (
    JOB_COLUMNS,
    RUN_COLUMNS,
    job_rows,
    run_rows,
    schedule_text,
    table_bundle,
    version_text,
)
from ..widgets.progress import progress

JOB_COMMANDS = frozenset(
    {"promote", "run", "jobs", "gates", "promote-stage", "rollback", "pause", "resume"}
    | {"cancel", "update"}
)


def add_job_commands(sub: Any) -> None:
    """Add the job sub-commands to the ``%mlops`` parser's sub-parsers."""
    promote = sub.add_parser("promote", help="promote a notebook to a job (version 1 in dev)")
    promote.add_argument("notebook", nargs="?", help="notebook path (default: this notebook)")
    add_promote_arguments(promote)
    run = sub.add_parser("run", help="run a job now")
    run.add_argument("job")
    run.add_argument("--stage", default="dev", choices=STAGES)
    add_param_option(run)
    run.add_argument("--wait", action="store_true", help="return once the run finished")
    listing = sub.add_parser("jobs", help="every job, or the runs of one")
    listing.add_argument("job", nargs="?", help="show this job's newest runs")
    listing.add_argument("--last", type=int, default=20, help="how many runs (default 20)")
    gates = sub.add_parser("gates", help="the gates a promotion must pass")
    gates.add_argument("job")
    gates.add_argument("--to", default="staging", choices=STAGES[1:])
    up = sub.add_parser("promote-stage", help="promote a job's version to the next stage")
    up.add_argument("job")
    up.add_argument("--to", required=True, choices=STAGES[1:])
    up.add_argument(
        "--expected-version", type=int, help="only if the target stage still runs this version"
    )
    back = sub.add_parser("rollback", help="put a stage back on its previous version")
    back.add_argument("job")
    back.add_argument("--stage", required=True, choices=STAGES)
    for verb in ("pause", "resume"):
        paused = sub.add_parser(verb, help=f"{verb} a stage's schedule")
        paused.add_argument("job")
        paused.add_argument("--stage", default="dev", choices=STAGES)
    cancel = sub.add_parser("cancel", help="cancel a job run")
    cancel.add_argument("run_id", type=int)
    update = sub.add_parser("update", help="snapshot a job's changed notebooks (new version)")
    update.add_argument("job")


def workspace_notebook(path: str | None) -> str:
    """A notebook path relative to the workspace: as given, or the running notebook's."""
    from ..tracking.context import notebook_path

    found = path or notebook_path()
    if not found:
        raise Invalid("give the notebook to promote (this kernel does not know its notebook)")
    given = Path(found)
    root = jobs.store().ws.root
    if given.is_absolute() and given.resolve().is_relative_to(root):
        return given.resolve().relative_to(root).as_posix()
    return found


def job_command(args: argparse.Namespace) -> None:
    """Run one parsed job sub-command and display its result."""
    command = args.command
    if command == "promote":
        job = jobs.promote(workspace_notebook(args.notebook), **promote_kwargs(args))
        display(jobs_bundle([job], f"promoted job {job.name} v{job.latest_version}"), raw=True)
    elif command == "run":
        with progress(f"%mlops run {args.job}") as update:
            run = jobs.run(
                args.job,
                args.stage,
                parse_params(args.param),
                wait=args.wait,
                progress=update if args.wait else None,
            )
        display(runs_bundle([run], f"job run {run.id} of {run.job}: {run.status}"), raw=True)
    elif command == "jobs":
        if args.job:
            found = jobs.runs(args.job, limit=args.last)
            display(runs_bundle(found, f"{len(found)} newest runs of {args.job}"), raw=True)
        else:
            found_jobs = jobs.jobs()
            display(jobs_bundle(found_jobs, f"{len(found_jobs)} jobs"), raw=True)
    elif command == "gates":
        display(gates_bundle(jobs.gates(args.job, args.to)), raw=True)
    elif command == "promote-stage":
        result = jobs.promote_stage(args.job, args.to, args.expected_version)
        display(promotion_bundle(result), raw=True)
    elif command == "rollback":
        state = jobs.rollback(args.job, args.stage)
        print(f"{args.job} {state.stage} rolled back to {version_text(state.version)}")
    elif command in ("pause", "resume"):
        state = jobs.schedule(args.job, args.stage, paused=command == "pause")
        print(f"{args.job} {state.stage}: {schedule_text(state)}")
    elif command == "cancel":
        run = jobs.cancel(args.run_id)
        print(f"job run {run.id} of {run.job}: {run.status}")
    elif command == "update":
        version = jobs.update(args.job)
        print(f"{args.job} v{version.number} created; dev runs it from now on")


# -- rendering -------------------------------------------------------------------------------
def jobs_bundle(found: Sequence[Job], title: str) -> dict[str, Any]:
    return table_bundle(title, JOB_COLUMNS, job_rows(found))


def runs_bundle(found: Sequence[JobRun], title: str) -> dict[str, Any]:
    return table_bundle(title, RUN_COLUMNS, run_rows(found))


def gates_bundle(report: GateReport) -> dict[str, Any]:
    verdict = "may be promoted" if report.allowed else "may not be promoted"
    title = (
        f"{report.job} {version_text(report.version)} {report.from_stage} → {report.to_stage}: "
        f"{verdict}"
    )
    rows = [[g.name, "passed" if g.passed else "failed", g.reason] for g in report.gates]
    return table_bundle(title, ["gate", "verdict", "reason"], rows)


def promotion_bundle(result: PromotionResult) -> dict[str, Any]:
    title = (
        f"{result.job} {result.stage}: {version_text(result.version_from)} → "
        f"{version_text(result.version_to)}"
    )
    rows = [[g.name, "passed" if g.passed else "failed", g.reason] for g in result.gates]
    return table_bundle(title, ["gate", "verdict", "reason"], rows)
