"""``%features list|show|lookup|join|materialize|skew``: the magic twin of
``mlops.features``.

Each sub-command calls one core function and ends with one output, a small HTML table and
its plain-text twin (``rendering.py``, shared with ``jupyter mlops features``). ``join``
also assigns the training set's frame to a variable of the notebook (``training_set``
unless ``--as`` names another) and keeps the whole :class:`TrainingSet` (row statuses,
what it was made from) in ``_training_set``.
"""

from __future__ import annotations

import argparse
import keyword
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.display import display
from pydantic import ValidationError

from .. import features
from ..arguments import add_entity_arguments, entity_values
from ..datasets.api import store as dataset_store
from ..errors import Invalid, MlopsError
from ..features import queries
from ..features.lookup import resolve_target
from ..features.training import DEFAULT_TIMESTAMP
from ..features.views import CatalogQuery
from ..rendering import (
    CATALOG_COLUMNS,
    COVERAGE_COLUMNS,
    MATERIALIZATION_COLUMNS,
    SCHEMA_COLUMNS,
    SKEW_COLUMNS,
    catalog_rows,
    catalog_title,
    coverage_rows,
    materialization_rows,
    online_head,
    online_rows,
    online_title,
    schema_rows,
    skew_notes,
    skew_rows,
    skew_title,
    table_bundle,
    view_notes,
    view_title,
)
from ..tracking.store import use_workspace
from ..widgets.progress import progress
from .commands import _Parser, parse_line

DEFAULT_VARIABLE = "training_set"
LAST_TRAINING_SET = "_training_set"  # the whole TrainingSet of the last %features join


def features_parser() -> argparse.ArgumentParser:
    """A fresh parser for one ``%features`` line."""
    parser = _Parser(prog="%features", add_help=False)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    listing = sub.add_parser("list", help="entities, views and services (part of a name)")
    listing.add_argument("search", nargs="?", default="")
    show = sub.add_parser("show", help="a view: schema, statistics, freshness, materialization")
    show.add_argument("view")
    lookup = sub.add_parser("lookup", help="online values: %features lookup SERVICE KEY=1,2")
    lookup.add_argument("service")
    add_entity_arguments(lookup)
    lookup.add_argument("--full-names", action="store_true", help="view__feature columns")
    join = sub.add_parser("join", help="a point-in-time training set of a DataFrame variable")
    join.add_argument("df", help="the entity DataFrame: join keys and event times")
    join.add_argument("--service", help="the feature service to join")
    join.add_argument("--features", help="or comma-separated view:feature (or view) references")
    join.add_argument("--as", dest="var", default=DEFAULT_VARIABLE, help="variable to assign")
    join.add_argument("--full-names", action="store_true", help="view__feature columns")
    join.add_argument("--timezone", help="how to read naive event times (e.g. UTC)")
    join.add_argument(
        "--timestamp-column", default=DEFAULT_TIMESTAMP, help="the DataFrame's time column"
    )
    materialize = sub.add_parser("materialize", help="write latest values to the online store")
    materialize.add_argument("view", nargs="?")
    materialize.add_argument("--service", help="every view of this service")
    materialize.add_argument(
        "--incremental", action="store_true", help="only events after the last watermark"
    )
    skew = sub.add_parser("skew", help="do a service's online values equal offline?")
    skew.add_argument("service")
    skew.add_argument("--sample", type=int, default=100, help="entities per view (default 100)")
    return parser


def _refs(text: str | None) -> list[str] | None:
    return [r.strip() for r in text.split(",") if r.strip()] if text else None


def _one_line(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


# -- sub-commands: parsed arguments in, one output bundle out --------------------------------
def list_bundle(args: argparse.Namespace) -> dict[str, Any]:
    catalog = queries.catalog(features.store(), CatalogQuery(search=args.search))
    return table_bundle(catalog_title(catalog, args.search), CATALOG_COLUMNS, catalog_rows(catalog))


def show_bundle(args: argparse.Namespace) -> dict[str, Any]:
    store = features.store()
    detail = queries.view_detail(store, dataset_store(), use_workspace(store.ws), args.view)
    return table_bundle(view_title(detail), SCHEMA_COLUMNS, schema_rows(detail), view_notes(detail))


def lookup_bundle(args: argparse.Namespace) -> dict[str, Any]:
    # the values come as text: read each as its join key's type (the resolution is cached,
    # so the lookup itself does not resolve again)
    keys = resolve_target(features.store(), args.service, None, args.full_names).keys
    values = features.online(
        args.service, entity_values(args.entities, keys), full_names=args.full_names
    )
    result = values.model()
    return table_bundle(
        online_title(args.service, result), online_head(result), online_rows(result)
    )


def materialize_bundle(args: argparse.Namespace) -> dict[str, Any]:
    if (args.view is None) == (args.service is None):
        raise Invalid("give a VIEW, or --service SERVICE for all its views")
    with progress("%features materialize") as update:
        done = features.materialize(
            args.view, service=args.service, incremental=args.incremental, progress=update
        )
    mode = "incrementally" if args.incremental else "in full"
    title = f"materialized {len(done)} view{'s' * (len(done) != 1)} {mode}"
    return table_bundle(title, MATERIALIZATION_COLUMNS, materialization_rows(done))


def skew_bundle(args: argparse.Namespace) -> dict[str, Any]:
    report = features.skew(args.service, sample=args.sample)
    return table_bundle(skew_title(report), SKEW_COLUMNS, skew_rows(report), skew_notes(report))


def join_bundle(args: argparse.Namespace, user_ns: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd

    variable = args.var
    if not variable.isidentifier() or keyword.iskeyword(variable):
        raise Invalid(f"{variable!r} is not a Python variable name; use --as VAR")
    if (args.service is None) == (args.features is None):
        raise Invalid("give --service SERVICE, or --features view:feature,…")
    if args.df not in user_ns:
        raise Invalid(f"{args.df!r} is not a variable of this notebook")
    frame = user_ns[args.df]
    if not isinstance(frame, pd.DataFrame):
        raise Invalid(f"{args.df} is a {type(frame).__name__}, not a pandas DataFrame")
    with progress(f"%features join {args.df}") as update:
        found = features.training_set(
            frame,
            service=args.service,
            features=_refs(args.features),
            timestamp_column=args.timestamp_column,
            timezone=args.timezone,
            full_names=args.full_names,
            progress=update,
        )
    user_ns[variable] = found.df
    user_ns[LAST_TRAINING_SET] = found
    rows, columns = found.df.shape
    made_of = f"service {args.service}" if args.service else ", ".join(found.info.features)
    title = f"{variable} = {rows:,} rows × {columns} columns, point in time from {made_of}"
    used = "; ".join(
        f"{u.view} v{u.view_version} on {u.dataset} v{u.dataset_version}" for u in found.info.views
    )
    notes = [f"views: {used}", f"each row's status per view: {LAST_TRAINING_SET}.status"]
    return table_bundle(title, COVERAGE_COLUMNS, coverage_rows(found.coverage), notes)


@magics_class
class FeatureMagics(Magics):
    """Feature lookup magics."""

    @line_magic
    def features(self, line: str) -> None:
        """Feature views from the notebook: ``%features list|show|lookup|join|materialize|skew``."""
        args = parse_line(features_parser(), line)
        shell = self.shell
        assert shell is not None
        try:
            if args.command == "join":
                bundle = join_bundle(args, shell.user_ns)
            else:
                bundle = BUNDLES[args.command](args)
        except MlopsError as exc:
            raise UsageError(f"%features {args.command}: {exc}") from None
        except ValidationError as exc:
            raise UsageError(f"%features {args.command}: {_one_line(exc)}") from None
        display(bundle, raw=True)


BUNDLES = {
    "list": list_bundle,
    "show": show_bundle,
    "lookup": lookup_bundle,
    "materialize": materialize_bundle,
    "skew": skew_bundle,
}
