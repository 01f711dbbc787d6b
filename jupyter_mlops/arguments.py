"""Options shared by the two text surfaces, the magics and the CLI: the promote options of
``%mlops promote`` and ``jupyter mlops job create`` and the job options they give, and the
``--param NAME=VALUE`` option of every verb that runs a notebook, the ``KEY=VALUES``
entities of a feature lookup; one definition, so the magic and the CLI cannot drift apart.
Argument parsing is a surface's business: no core area imports this module."""

from __future__ import annotations

import argparse
from typing import Any


def add_param_option(parser: argparse.ArgumentParser) -> None:
    """``--param/-p NAME=VALUE``, repeatable (``pipelines.overrides.parse_assignments``
    reads the values)."""
    parser.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter; VALUE is JSON (text that is not JSON is a string)",
    )


def add_promote_arguments(parser: argparse.ArgumentParser) -> None:
    """Name, schedule, parameters and run options of a notebook promoted to a job."""
    parser.add_argument("--name", help="job name (default: the notebook's name)")
    parser.add_argument("--cron", help="schedule, e.g. '0 6 * * 1-5' (default: manual)")
    parser.add_argument("--tz", default="UTC", help="IANA timezone of the schedule")
    add_param_option(parser)
    parser.add_argument("--timeout", type=float, help="seconds a run may take")
    parser.add_argument("--retries", type=int, default=0, help="retries of a failed run")
    parser.add_argument("--backoff", type=float, default=30.0, help="seconds before a retry")
    parser.add_argument("--kernel", help="kernel name (default: the notebook's)")
    parser.add_argument(
        "--missed",
        choices=("skip", "run_once"),
        default="skip",
        help="fires missed while no scheduler ran: skip them, or run once (default: skip)",
    )
    parser.add_argument(
        "--no-notify", action="store_true", help="no Lab notification when a run fails"
    )


def promote_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments of ``mlops.jobs.promote`` (after the notebook) from the arguments."""
    from .pipelines.overrides import parse_assignments  # imported late: the CLI starts light

    options: dict[str, Any] = {
        "retries": args.retries,
        "retry_backoff_s": args.backoff,
        "missed_policy": args.missed,
        "notify_on_failure": not args.no_notify,
    }
    if args.timeout is not None:
        options["timeout_s"] = args.timeout
    if args.kernel:
        options["kernel"] = args.kernel
    return {
        "name": args.name,
        "parameters": parse_assignments(args.param),
        "cron": args.cron,
        "timezone": args.tz,
        **options,
    }


def add_entity_arguments(parser: argparse.ArgumentParser) -> None:
    """The entities of a feature lookup: ``KEY=VALUE[,VALUE…]`` for each join key."""
    parser.add_argument(
        "entities",
        nargs="+",
        metavar="KEY=VALUES",
        help="a join key and its values, comma-separated (driver_id=1,2,3)",
    )


def _typed(key: str, dtype: str, text: str) -> Any:
    """One value of a join key, read as its Feast type."""
    from .errors import Invalid

    try:
        if dtype in ("Int32", "Int64", "UnixTimestamp"):
            return int(text)
        if dtype in ("Float32", "Float64"):
            return float(text)
    except ValueError:
        kind = "a number" if dtype in ("Float32", "Float64") else "a whole number"
        raise Invalid(f"join key {key!r} is {dtype}: {text[:40]!r} is not {kind}") from None
    if dtype == "Bool":
        if text.lower() not in ("true", "false"):
            raise Invalid(f"join key {key!r} is Bool: {text[:40]!r} is not true or false")
        return text.lower() == "true"
    return text


def entity_values(pairs: list[str], key_types: dict[str, str]) -> dict[str, list[Any]]:
    """``["driver_id=1,2", "city=paris,lyon"]`` → ``{"driver_id": [1, 2], "city": [...]}``,
    each value read as its join key's type (``key_types``: key → Feast type); a key the
    target does not have stays text, for the lookup to name it."""
    from .errors import Invalid

    found: dict[str, list[Any]] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            raise Invalid(f"{pair[:60]!r} is not KEY=VALUE[,VALUE…] (e.g. driver_id=1,2)")
        if key in found:
            raise Invalid(f"join key {key!r} is given twice: give its values once, comma-separated")
        dtype = key_types.get(key, "String")
        found[key] = [_typed(key, dtype, value.strip()) for value in text.split(",")]
    return found
