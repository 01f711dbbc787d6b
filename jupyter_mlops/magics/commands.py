"""The ``%mlops`` sub-command grammar (argparse, so ``%mlops -h`` explains itself)."""

from __future__ import annotations

import argparse
import shlex

from IPython.core.error import UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise ValueError(message)


def parse_line(parser: argparse.ArgumentParser, line: str) -> argparse.Namespace:
    """Parse a magic's line; any complaint (bad quotes too) is a one-line UsageError."""
    try:
        return parser.parse_args(shlex.split(line))
    except ValueError as exc:
        raise UsageError(f"{parser.prog}: {exc}\n{parser.format_usage()}") from None


def mlops_parser() -> argparse.ArgumentParser:
    """A fresh parser for one ``%mlops`` line."""
    parser = _Parser(prog="%mlops", add_help=False)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    runs = sub.add_parser("runs", help="the best runs of an experiment as a table")
    runs.add_argument("experiment", nargs="?", help="experiment name (default: all)")
    runs.add_argument("--metric", "-m", help="rank by this metric (default: primary metric)")
    runs.add_argument("--top", "-n", type=int, default=10, help="how many runs (default 10)")
    compare = sub.add_parser("compare", help="compare runs side by side (plotly)")
    compare.add_argument("runs", nargs="+", help="run ids")
    from .jobs import add_job_commands

    add_job_commands(sub)
    from .reviews import add_review_commands

    add_review_commands(sub)
    from .serving import add_serving_commands

    add_serving_commands(sub)
    return parser
