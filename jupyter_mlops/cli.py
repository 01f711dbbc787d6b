"""``jupyter mlops …``: the command-line surface for headless use.

Sub-commands parse arguments, call one core function and print; errors from core print a
one-line message and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from ._version import __version__
from .errors import MlopsError
from .workspace import resolve_workspace


def _info(args: argparse.Namespace) -> int:
    described = resolve_workspace(args.root).describe()
    if args.json:
        print(json.dumps(described, indent=2))
    else:
        width = max(len(k) for k in described)
        for key, value in described.items():
            print(f"{key:<{width}}  {value or '—'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``jupyter mlops`` grammar."""
    parser = argparse.ArgumentParser(prog="jupyter mlops", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)
    info = sub.add_parser("info", help="print the resolved workspace")
    info.add_argument("--root", help="project root (default: $JUPYTER_MLOPS_ROOT or the cwd)")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``jupyter-mlops`` (run as ``jupyter mlops``)."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except MlopsError as exc:
        print(f"jupyter mlops {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
