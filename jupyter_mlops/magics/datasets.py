"""``%dataset save|load|tag|diff|list|log``: the magic twin of ``mlops.datasets``."""

from __future__ import annotations

import argparse
import keyword
import re
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class

from .. import datasets
from ..datasets.checks import CheckReport
from ..datasets.diff import DatasetDiff
from ..errors import MlopsError
from ..widgets.progress import progress
from .commands import _Parser, parse_line


def dataset_parser() -> argparse.ArgumentParser:
    """A fresh parser for one ``%dataset`` line."""
    parser = _Parser(prog="%dataset", add_help=False)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    save = sub.add_parser("save", help="save a DataFrame variable (or a file path) as a version")
    save.add_argument("name")
    save.add_argument("var", help="a DataFrame variable, or a path to a file in the workspace")
    save.add_argument("-m", "--message", default="")
    save.add_argument("--tag", help="tag the saved version")
    save.add_argument("--key", help="comma-separated columns that identify a row")
    load = sub.add_parser("load", help="load NAME, NAME@vN, NAME@TAG or NAME@HASHPREFIX")
    load.add_argument("ref")
    load.add_argument(
        "--as", dest="var", help="variable to assign (default: the name, '.' and '-' as '_')"
    )
    tag = sub.add_parser("tag", help="tag a version: %dataset tag NAME@vN TAG")
    tag.add_argument("ref")
    tag.add_argument("tag")
    diff = sub.add_parser("diff", help="what changed: %dataset diff NAME@A NAME@B [--key COLS]")
    diff.add_argument("a")
    diff.add_argument("b")
    diff.add_argument("--key", help="comma-separated key columns to match rows")
    check = sub.add_parser("check", help="run the dataset's checks on a version: NAME[@vN]")
    check.add_argument("ref")
    sub.add_parser("list", help="all datasets")
    log = sub.add_parser("log", help="the versions of a dataset")
    log.add_argument("name")
    return parser


def _versions_frame(versions: list[Any]) -> Any:
    import pandas as pd

    return pd.DataFrame.from_records(
        [
            {
                "version": f"v{v.version}",
                "created_at": v.created_at,
                "rows": v.manifest.rows,
                "size": v.manifest.size,
                "tags": ", ".join(v.tags),
                "author": v.manifest.author,
                "message": v.manifest.message,
                "object_id": v.manifest.object_id[:12],
            }
            for v in versions
        ]
    )


def _variable(given: str | None, ref: str) -> str:
    """The variable ``%dataset load`` assigns: ``--as``, else the name made an identifier."""
    name = given or re.sub(r"[.\-]", "_", ref.partition("@")[0])
    if not name.isidentifier() or keyword.iskeyword(name):
        raise UsageError(f"%dataset load: {name!r} is not a Python variable name; use --as VAR")
    return name


def _columns(text: str | None) -> list[str] | None:
    return [k.strip() for k in text.split(",") if k.strip()] if text else None


def render_report(report: CheckReport) -> str:
    """One line per check: ✓ or ✗, what it expects, what was found."""
    head = "checks passed" if report.passed else "CHECKS FAILED (the version is kept, flagged)"
    lines = [f"{report.dataset} v{report.version}: {head}"]
    for r in report.results:
        lines.append(f"  {'✓' if r.passed else '✗'} {r.description}: {r.message}")
    return "\n".join(lines)


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.6g}"


def render_diff(d: DatasetDiff) -> str:
    """A few lines a person reads: schema, rows, the statistics that moved."""
    lines = [f"{d.a} → {d.b}"]
    if d.columns_added or d.columns_removed or d.columns_retyped:
        retyped = [f"{r.column} {r.before}→{r.after}" for r in d.columns_retyped]
        lines.append(
            f"columns: +{d.columns_added or '[]'} -{d.columns_removed or '[]'} "
            f"retyped {retyped or '[]'}"
        )
    lines.append(f"rows: {d.rows_a} → {d.rows_b}")
    if d.key:
        lines.append(
            f"by key {d.key}: {d.rows_added} added, {d.rows_removed} removed, "
            f"{d.rows_changed} changed"
        )
    for s in d.stat_shifts:
        lines.append(f"  {s.column}.{s.stat}: {_number(s.before)} → {_number(s.after)}")
    return "\n".join(lines)


@magics_class
class DatasetMagics(Magics):
    """Dataset versioning magics."""

    @line_magic
    def dataset(self, line: str) -> Any:
        """Version datasets from the notebook; ``%dataset -h`` for the sub-commands."""
        parser = dataset_parser()
        args = parse_line(parser, line)
        shell = self.shell
        assert shell is not None
        try:
            if args.command == "save":
                value = shell.user_ns.get(args.var, args.var)
                history = shell.history_manager.input_hist_raw if shell.history_manager else []
                unit = "bytes" if isinstance(value, str) else "rows"  # a path, or a DataFrame
                with progress(f"%dataset save {args.name}", unit=unit) as update:
                    result = datasets.save(
                        args.name,
                        value,
                        message=args.message,
                        tag=args.tag,
                        key=_columns(args.key),
                        cell=history[-1] if history else None,
                        progress=update,
                    )
                v = result.version
                verb = "saved" if result.created else "unchanged, already"
                tags = f", tagged {', '.join(v.tags)}" if v.tags else ""
                print(f"{v.name} {verb} v{v.version} (object {v.manifest.object_id[:12]}{tags})")
                if result.checks is not None:
                    print(render_report(result.checks))
                return None
            if args.command == "check":
                print(render_report(datasets.check(args.ref)))
                return None
            if args.command == "load":
                variable = _variable(args.var, args.ref)  # refused before anything is read
                shell.user_ns[variable] = datasets.load(args.ref)
                return None
            if args.command == "tag":
                v = datasets.tag(args.ref, args.tag)
                print(f"{v.name} v{v.version} tagged {args.tag}")
                return None
            if args.command == "diff":
                print(render_diff(datasets.diff(args.a, args.b, _columns(args.key))))
                return None
            if args.command == "list":
                return datasets.list()
            return _versions_frame(datasets.log(args.name))
        except MlopsError as exc:
            raise UsageError(f"%dataset {args.command}: {exc}") from None
