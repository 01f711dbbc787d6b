"""``%mlops serve MODEL``, ``%mlops unserve NAME``, ``%mlops serve-log NAME``: the magic
twin of ``mlops.serving`` (deploy, stop, log). Each ends with a small HTML table and its
plain-text twin."""

from __future__ import annotations

import argparse
from typing import Any

from IPython.display import display

from ..rendering import table_bundle
from ..serving import api as serving

SERVING_COMMANDS = frozenset({"serve", "unserve", "serve-log"})


def add_serving_commands(sub: Any) -> None:
    """Add ``serve``, ``unserve`` and ``serve-log`` to the ``%mlops`` parser."""
    serve = sub.add_parser("serve", help="serve a registered model (NAME@ALIAS follows it)")
    serve.add_argument("model", help="NAME@ALIAS (follows the alias) or NAME/VERSION")
    serve.add_argument("--name", help="the endpoint's name (default: the model's)")
    serve.add_argument("--port", type=int, default=8765, help="loopback port (default 8765)")
    unserve = sub.add_parser("unserve", help="stop an endpoint")
    unserve.add_argument("name")
    log = sub.add_parser("serve-log", help="an endpoint's latest answered requests")
    log.add_argument("name")
    log.add_argument("--last", "-n", type=int, default=10, help="how many rows (default 10)")


def serving_command(args: argparse.Namespace) -> None:
    """Run one parsed serving sub-command and display its result."""
    if args.command == "serve":
        done = serving.deploy(args.model, name=args.name, port=args.port)
        rows = [[done.name, done.model, done.invocations, str(done.pid)]]
        head = ["endpoint", "model", "POST to", "process"]
        display(table_bundle(f"serving {done.model}", head, rows), raw=True)
    elif args.command == "unserve":
        serving.stop(args.name)
        display(table_bundle(f"stopped {args.name}", ["endpoint"], [[args.name]]), raw=True)
    else:
        frame = serving.log(args.name).tail(args.last)
        head = ["time", "version", "status", "latency (ms)", "request id", "prediction"]
        rows = [
            [
                f"{r.time:%Y-%m-%d %H:%M:%S} UTC", str(r.model_version or "—"), str(r.status),
                f"{r.latency_ms:.1f}", str(r.request_id), str(r.prediction)[:80],
            ]
            for r in frame.itertuples()
        ]  # fmt: skip
        title = f"{args.name}: the last {len(rows)} answered requests"
        display(table_bundle(title, head, rows), raw=True)
