"""The magic twin of ``mlops.serving``: ``%mlops serve MODEL``, ``unserve NAME``,
``serve-log NAME``, ``serve-status NAME``, ``shadow NAME CHALLENGER``, ``canary NAME
CHALLENGER --percent P``, ``serve-promote NAME`` and ``serve-abort NAME``. Each ends with a
small HTML table and its plain-text twin."""

from __future__ import annotations

import argparse
from typing import Any

from IPython.display import display

from ..rendering import table_bundle
from ..serving import api as serving
from ..serving.models import EndpointStatus, TrafficFigures

SERVING_COMMANDS = frozenset(
    {"serve", "unserve", "serve-log", "serve-status", "shadow", "canary", "serve-promote",
     "serve-abort"}
)  # fmt: skip


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
    sub.add_parser("serve-status", help="an endpoint's arms, rollout and traffic").add_argument(
        "name"
    )
    for mode in ("shadow", "canary"):
        rollout = sub.add_parser(mode, help=f"start a {mode} of a challenger on an endpoint")
        rollout.add_argument("name", help="the endpoint")
        rollout.add_argument("challenger", help="NAME@ALIAS or NAME/VERSION of its model")
        if mode == "canary":
            rollout.add_argument("--percent", type=float, default=10.0, help="default 10")
        rollout.add_argument("--max-error-rate", type=float, help="default 0.05")
        rollout.add_argument("--max-p99-ms", type=float)
        rollout.add_argument("--max-disagreement", type=float)
        rollout.add_argument("--min-requests", type=int, help="default 20")
        rollout.add_argument("--window-s", type=float, help="default 60")
    sub.add_parser("serve-promote", help="promote an endpoint's challenger").add_argument("name")
    sub.add_parser("serve-abort", help="abort an endpoint's rollout").add_argument("name")


RULE_ARGS = ("max_error_rate", "max_p99_ms", "max_disagreement", "min_requests", "window_s")


def _show_status(title: str, status: EndpointStatus) -> None:
    head = ["arm", "version", "share", "req/s", "p50 (ms)", "p99 (ms)", "errors", "disagree"]
    rollout = status.rollout
    arms = [("champion", status.version)]
    if rollout is not None:
        arms.append((rollout.mode, rollout.version))
    rows = []
    for arm, version in arms:
        figures = status.traffic.get("champion" if arm == "champion" else "challenger")
        share = "100%"
        if rollout is not None and rollout.mode == "canary":
            canary = rollout.percent or 0.0
            share = f"{canary:g}%" if arm == "canary" else f"{100 - canary:g}%"
        elif arm == "shadow":
            share = "copy"
        rows.append(
            [arm, f"v{version}", share, *_figures(figures)] if figures else [arm, f"v{version}"]
        )
    if status.rolled_back is not None:
        back = status.rolled_back
        title += f" (rolled back v{back.version}: {back.reason})"
    display(table_bundle(title, head, rows), raw=True)


def _figures(f: TrafficFigures) -> list[str]:
    def ms(v: float | None) -> str:
        return "—" if v is None else f"{v:.1f}"

    def share(v: float | None) -> str:
        return "—" if v is None else f"{v:.1%}"

    return [f"{f.rate_per_s:.1f}", ms(f.p50_ms), ms(f.p99_ms), share(f.error_rate),
            share(f.disagreement)]  # fmt: skip


def serving_command(args: argparse.Namespace) -> None:
    """Run one parsed serving sub-command and display its result."""
    if args.command == "serve":
        done = serving.deploy(args.model, name=args.name, port=args.port)
        rows = [[done.name, done.model, done.invocations, str(done.pid)]]
        head = ["endpoint", "model", "POST to", "process"]
        display(table_bundle(f"serving {done.model}", head, rows), raw=True)
    elif args.command == "serve-status":
        _show_status(args.name, serving.status(args.name))
    elif args.command in ("shadow", "canary"):
        rules = {k: getattr(args, k) for k in RULE_ARGS if getattr(args, k) is not None}
        if args.command == "canary":
            status = serving.canary(args.name, args.challenger, args.percent, rules)
        else:
            status = serving.shadow(args.name, args.challenger, rules)
        _show_status(f"{args.name}: {args.command} of {args.challenger} started", status)
    elif args.command == "serve-promote":
        _show_status(f"{args.name}: challenger promoted", serving.promote(args.name))
    elif args.command == "serve-abort":
        _show_status(f"{args.name}: rollout aborted", serving.abort(args.name))
    elif args.command == "unserve":
        serving.stop(args.name)
        display(table_bundle(f"stopped {args.name}", ["endpoint"], [[args.name]]), raw=True)
    else:
        frame = serving.log(args.name).tail(args.last)
        head = ["time", "arm", "version", "status", "latency (ms)", "request id", "prediction"]
        rows = [
            [
                f"{r.time:%Y-%m-%d %H:%M:%S} UTC", str(r.arm), str(r.model_version or "—"),
                str(r.status),
                f"{r.latency_ms:.1f}", str(r.request_id), str(r.prediction)[:80],
            ]
            for r in frame.itertuples()
        ]  # fmt: skip
        title = f"{args.name}: the last {len(rows)} answered requests"
        display(table_bundle(title, head, rows), raw=True)
