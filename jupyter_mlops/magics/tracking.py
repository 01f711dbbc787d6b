"""``%%track`` (run a cell inside an MLflow run) and ``%mlops runs|compare`` (the job
sub-commands of ``%mlops`` are in ``jobs.py``)."""

from __future__ import annotations

import ast
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from IPython.display import display

from ..errors import Invalid, MlopsError
from ..tracking import queries
from ..tracking.store import use_workspace
from ..tracking.tracker import TrackedRun, track
from ..workspace import resolve_workspace
from . import render
from .commands import mlops_parser, parse_line
from .jobs import JOB_COMMANDS, job_command
from .reviews import REVIEW_COMMANDS, review_command
from .serving import SERVING_COMMANDS, serving_command


def _parse_tags(pairs: list[str] | None) -> dict[str, str]:
    tags: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise Invalid(f"--tag expects KEY=VALUE, got {pair!r}")
        tags[key] = value
    return tags


def _cell_number(shell: Any) -> int:
    """The running cell's ``In [N]`` number (IPython 9 bumps ``execution_count`` before the
    cell runs, IPython 8 after; the input history holds the cell either way)."""
    history = getattr(shell.history_manager, "input_hist_raw", None)
    return len(history) - 1 if history else int(shell.execution_count)


@magics_class
class TrackingMagics(Magics):
    """Experiment tracking magics."""

    @magic_arguments()
    @argument("-e", "--experiment", help="experiment name (default: the notebook's name)")
    @argument("-n", "--name", help="run name (default: MLflow picks one)")
    @argument("-t", "--tag", action="append", help="KEY=VALUE tag; repeatable")
    @argument("-m", "--metric", help="primary metric to compare against the best earlier run")
    @argument("--no-autolog", action="store_true", help="turn scikit-learn autologging off")
    @argument("--log-models", action="store_true", help="let autologging save fitted models")
    @cell_magic
    def track(self, line: str, cell: str) -> None:
        """Run the cell inside an MLflow run and end with a summary of what it logged."""
        __tracebackhide__ = True
        try:
            args = parse_argstring(self.track, line)
            tags = _parse_tags(args.tag)
        except Exception as exc:  # argparse's complaint, or a bad tag
            raise UsageError(f"%%track: {exc}") from None
        shell = self.shell
        assert shell is not None
        finished: list[TrackedRun] = []
        try:
            with track(
                experiment=args.experiment,
                run_name=args.name,
                tags=tags,
                autolog=not args.no_autolog,
                log_models=args.log_models,
                metric=args.metric,
                cell_source=f"%%track {line}\n{cell}".replace("%%track \n", "%%track\n"),
                execution_count=_cell_number(shell),
            ) as run:
                finished.append(run)
                self._run_body(cell)
        finally:
            # Shown for failed runs too (above the traceback), so the run id is at hand.
            if finished and finished[0].summary is not None:
                display(render.run_summary_bundle(finished[0].summary), raw=True)

    def _run_body(self, cell: str) -> None:
        """Execute the cell in the user namespace; the last expression is displayed."""
        __tracebackhide__ = True
        shell = self.shell
        assert shell is not None
        source = shell.transform_cell(cell)
        filename = shell.compile.cache(source, shell.execution_count, raw_code=cell)
        tree = ast.parse(source, filename=filename)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, filename, "exec"), shell.user_global_ns, shell.user_ns)
        if last is not None:
            expr = ast.Interactive(body=[last])
            exec(compile(expr, filename, "single"), shell.user_global_ns, shell.user_ns)

    @line_magic
    def mlops(self, line: str) -> Any:
        """``%mlops runs [EXPERIMENT] [--metric M] [--top N]`` | ``%mlops compare RUN ...``;
        jobs: ``%mlops promote|run|jobs|gates|promote-stage|rollback|…`` (``jobs.py``);
        reviews: ``%mlops register|review …`` (``reviews.py``); serving: ``%mlops serve|
        unserve|serve-log …`` (``serving.py``)."""
        parser = mlops_parser()
        args = parse_line(parser, line)
        for commands, run_command in (
            (JOB_COMMANDS, job_command),
            (REVIEW_COMMANDS, review_command),
            (SERVING_COMMANDS, serving_command),
        ):
            if args.command in commands:
                try:
                    run_command(args)
                except MlopsError as exc:
                    raise UsageError(f"%mlops {args.command}: {exc}") from None
                return None
        client = use_workspace(resolve_workspace())
        try:
            if args.command == "runs":
                runs, metric = queries.top_runs(client, args.experiment, args.metric, args.top)
                return render.runs_frame(runs, metric)
            if args.command == "compare":
                display(render.compare_bundle(queries.compare_runs(client, args.runs)), raw=True)
        except MlopsError as exc:
            raise UsageError(f"%mlops {args.command}: {exc}") from None
        return None
