"""``jupyter mlops …``: the command-line surface for headless use.

Sub-commands parse arguments, call one core function and print; errors from core print a
one-line message and exit with status 2. ``jupyter mlops job …`` manages jobs and their
runs, ``jupyter mlops scheduler`` runs the job scheduler without Jupyter,
``jupyter mlops features …`` lists, shows, looks up and materializes feature views,
``jupyter mlops export airflow JOB`` writes a job's Airflow DAG,
``jupyter mlops export feast DIR`` the feature definitions as a Feast repository and
``jupyter mlops export kserve MODEL`` a served model as a KServe InferenceService.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .arguments import (
    add_entity_arguments,
    add_param_option,
    add_promote_arguments,
    promote_kwargs,
)
from .errors import MlopsError
from .pipelines.models import STAGES
from .rendering import JOB_COLUMNS, job_rows, schedule_text, text_table, utc_text, version_text
from .workspace import resolve_workspace

if TYPE_CHECKING:
    from .datasets.store import DatasetStore
    from .features.store import FeatureStore
    from .pipelines.models import Job, JobRun
    from .pipelines.store import JobStore


def _info(args: argparse.Namespace) -> int:
    described = resolve_workspace(args.root).describe()  # credentials in URLs masked
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
    _add_job_parser(sub)
    _add_features_parser(sub)
    scheduler = sub.add_parser(
        "scheduler", help="run the job scheduler of the workspace until stopped (no Jupyter)"
    )
    _root(scheduler)
    scheduler.set_defaults(func=_scheduler)
    serve = sub.add_parser(
        "serve", help="serve a registered model (NAME@ALIAS follows the alias) until stopped"
    )
    serve.add_argument("model", help="NAME@ALIAS (follows the alias) or NAME/VERSION")
    serve.add_argument("--name", help="the endpoint's name (default: the model's)")
    serve.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1 (loopback)")
    serve.add_argument("--port", type=int, default=8765, help="default: 8765")
    serve.add_argument(
        "--token", default=None, help="required beyond loopback (or $JUPYTER_MLOPS_SERVE_TOKEN)"
    )
    _root(serve)
    serve.set_defaults(func=_serve)
    service = sub.add_parser(
        "service",
        help="run the team service of the workspace as a JupyterHub service (docs/team.md)",
    )
    # any other argument is a Jupyter server setting, e.g. --MlopsApp.review_reviewers=bob
    _root(service)
    service.set_defaults(func=_service)
    export = sub.add_parser("export", help="export a job, the feature definitions or a model")
    targets = export.add_subparsers(dest="target", required=True)
    airflow = targets.add_parser("airflow", help="write an Apache Airflow DAG of a job")
    airflow.add_argument("job")
    airflow.add_argument("--stage", default="prod", choices=STAGES, help="default: prod")
    airflow.add_argument("--out", default=".", help="folder of the DAG file (default: .)")
    _root(airflow)
    airflow.set_defaults(func=_export_airflow)
    feast = targets.add_parser("feast", help="write the feature definitions as a Feast repo")
    feast.add_argument("directory", help="the repository's folder (created if needed)")
    feast.add_argument("--online", default="sqlite", choices=("sqlite", "redis"))
    feast.add_argument("--redis-url", help="redis://HOST:PORT/DB (with --online redis)")
    feast.add_argument("--project", default="mlops", help="Feast project name (default: mlops)")
    _root(feast)
    feast.set_defaults(func=_export_feast)
    kserve = targets.add_parser("kserve", help="write a KServe InferenceService of a model")
    kserve.add_argument("model", help="NAME@ALIAS, NAME/VERSION or a running endpoint's name")
    kserve.add_argument(
        "--endpoint", help="the endpoint whose canary to export (default: the model's)"
    )
    kserve.add_argument("--name", help="the InferenceService's (default: the endpoint's)")
    kserve.add_argument("--out", help="the YAML file to write (default: standard output)")
    _root(kserve)
    kserve.set_defaults(func=_export_kserve)
    return parser


# -- jobs ----------------------------------------------------------------------------------
def _root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", help="project root (default: $JUPYTER_MLOPS_ROOT or the cwd)")


def _add_job_parser(sub: Any) -> None:
    job = sub.add_parser("job", help="jobs: create, list, show, run, runs, promote, rollback, …")
    verbs = job.add_subparsers(dest="verb", required=True)
    listing = verbs.add_parser("list", help="every job with its stages and last run")
    show = verbs.add_parser("show", help="a job's stages, versions and audit trail")
    show.add_argument("name")
    run = verbs.add_parser("run", help="run a job now")
    run.add_argument("name")
    run.add_argument("--stage", default="dev", choices=STAGES)
    add_param_option(run)
    run.add_argument("--token", help="idempotency token: a repeated run returns the first")
    run.add_argument("--wait", action="store_true", help="exit when it finished (1: not ok)")
    runs = verbs.add_parser("runs", help="a job's newest runs")
    runs.add_argument("name")
    runs.add_argument("--stage", choices=STAGES)
    runs.add_argument("--last", type=int, default=20)
    create = verbs.add_parser("create", help="promote a notebook to a new job (v1 in dev)")
    create.add_argument("notebook", help="notebook path, relative to the project root")
    add_promote_arguments(create)
    update = verbs.add_parser("update", help="snapshot a job's changed notebooks (new version)")
    update.add_argument("name")
    promote = verbs.add_parser("promote", help="promote to the next stage through its gates")
    promote.add_argument("name")
    promote.add_argument("--to", required=True, choices=STAGES[1:])
    promote.add_argument("--expected-version", type=int)
    rollback = verbs.add_parser("rollback", help="put a stage back on its previous version")
    rollback.add_argument("name")
    rollback.add_argument("--stage", required=True, choices=STAGES)
    for verb in ("pause", "resume"):
        paused = verbs.add_parser(verb, help=f"{verb} a stage's schedule")
        paused.add_argument("name")
        paused.add_argument("--stage", required=True, choices=STAGES)
    cancel = verbs.add_parser("cancel", help="cancel a run")
    cancel.add_argument("run_id", type=int)
    for parser in (listing, show, runs, run):
        parser.add_argument("--json", action="store_true", help="print JSON")
    for parser in verbs.choices.values():
        _root(parser)
    verb_funcs = {
        "create": _job_create,
        "update": _job_update,
        "list": _job_list,
        "show": _job_show,
        "run": _job_run,
        "runs": _job_runs,
    }
    verb_funcs |= {"promote": _job_promote, "rollback": _job_rollback, "cancel": _job_cancel}
    verb_funcs |= {"pause": _job_paused, "resume": _job_paused}
    for verb, func in verb_funcs.items():
        verbs.choices[verb].set_defaults(verb_func=func)
    job.set_defaults(func=_job)


def _store(args: argparse.Namespace) -> JobStore:
    from .pipelines.api import store_for

    return store_for(resolve_workspace(args.root))


def _print_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    print("\n".join(text_table(head, rows)))


def _print_runs(runs: Sequence[JobRun]) -> None:
    from .rendering import RUN_COLUMNS, run_rows

    _print_table(RUN_COLUMNS, run_rows(runs, error_width=60))


def _print_jobs(jobs: Sequence[Job], last: dict[str, str]) -> None:
    rows = job_rows(jobs, terminal=True)
    for job, row in zip(jobs, rows, strict=True):
        row.append(last.get(job.name, "—"))
    _print_table([*JOB_COLUMNS, "last run"], rows)


def _job(args: argparse.Namespace) -> int:
    from .identity import asserted

    return int(args.verb_func(_store(args), args, asserted(None)))


def _job_create(store: JobStore, args: argparse.Namespace, by: str) -> int:
    from .pipelines import commands
    from .pipelines.views import PromoteRequest, build

    kwargs = promote_kwargs(args)
    fields = {k: kwargs.pop(k) for k in ("name", "parameters", "cron", "timezone")}
    body = build(PromoteRequest, "promote", notebook=args.notebook, options=kwargs, **fields)
    job = commands.promote(store, body, by)
    dev = schedule_text(job.stages[0], terminal=True)
    print(f"job {job.name} v{job.latest_version} in dev: {dev}")
    return 0


def _job_update(store: JobStore, args: argparse.Namespace, by: str) -> int:
    from .pipelines import commands

    version = commands.new_version(store, args.name, by)
    print(f"job {version.job} v{version.number}: dev runs it from now on")
    return 0


def _job_list(store: JobStore, args: argparse.Namespace, by: str) -> int:
    from .pipelines import queries
    from .pipelines.views import ListJobsQuery

    listed = queries.list_jobs(store, ListJobsQuery(limit=500))
    if args.json:
        print(listed.model_dump_json(indent=2))
        return 0
    last = {j.name: f"{j.last_run.id} {j.last_run.status}" for j in listed.jobs if j.last_run}
    _print_jobs([store.get_job(j.name) for j in listed.jobs], last)
    return 0


def _job_show(store: JobStore, args: argparse.Namespace, by: str) -> int:
    from .pipelines import queries

    detail = queries.job_detail(store, args.name)
    if args.json:
        print(detail.model_dump_json(indent=2))
        return 0
    _print_jobs([detail.job], {})
    print(f"\nversions: {', '.join(f'v{v.number} by {v.created_by}' for v in detail.versions)}")
    if detail.changed_steps:
        changed = ", ".join(detail.changed_steps)
        print(f"notebooks changed since v{detail.job.latest_version}: {changed}")
    print("\naudit:")
    for event in detail.events[:20]:
        moved = (
            f" {version_text(event.version_from)}→{version_text(event.version_to)}"
            if event.version_to
            else ""
        )
        print(f"  {utc_text(event.at)}  {event.by}  {event.action} {event.stage or ''}{moved}")
    return 0


def _job_run(store: JobStore, args: argparse.Namespace, by: str) -> int:
    from .pipelines import commands, queries
    from .pipelines.overrides import parse_assignments
    from .pipelines.standby import standbys
    from .pipelines.views import RunRequest, build

    standbys().keep = False  # this process ends with the command: no standby for a next run
    fields: dict[str, Any] = {"stage": args.stage, "parameters": parse_assignments(args.param)}
    if args.token:
        fields["token"] = args.token
    run = commands.start_run(store, args.name, build(RunRequest, "run", **fields), by)
    if args.wait:
        run = queries.wait_for_run(store, run.id)
    print(
        run.model_dump_json(indent=2)
        if args.json
        else f"job run {run.id} of {run.job}: {run.status}"
    )
    return 1 if args.wait and run.status != "succeeded" else 0


def _job_runs(store: JobStore, args: argparse.Namespace, by: str) -> int:
    from .pipelines.definitions import check_job_name

    runs, _ = store.runs(check_job_name(args.name), stage=args.stage, limit=args.last)
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in runs], indent=2))
    else:
        _print_runs(runs)
    return 0


def _job_promote(store: JobStore, args: argparse.Namespace, by: str) -> int:
    from .pipelines import commands

    result = commands.promote_stage(store, args.name, args.to, by, args.expected_version)
    print(
        f"{result.job} {result.stage}: {version_text(result.version_from)} → v{result.version_to}"
    )
    for gate in result.gates:
        print(f"  {'passed' if gate.passed else 'failed'}  {gate.name}: {gate.reason}")
    return 0


def _job_rollback(store: JobStore, args: argparse.Namespace, by: str) -> int:
    from .pipelines import commands

    state = commands.rollback(store, args.name, args.stage, by)
    print(f"{args.name} {state.stage} rolled back to {version_text(state.version)}")
    return 0


def _job_paused(store: JobStore, args: argparse.Namespace, by: str) -> int:
    from .pipelines import commands
    from .pipelines.views import StageUpdate

    body = StageUpdate(paused=args.verb == "pause")
    state = commands.update_stage(store, args.name, args.stage, body, by)
    print(f"{args.name} {state.stage}: {schedule_text(state, terminal=True)}")
    return 0


def _job_cancel(store: JobStore, args: argparse.Namespace, by: str) -> int:
    from .pipelines import commands

    run = commands.cancel(store, args.run_id, by)
    print(f"job run {run.id} of {run.job}: {run.status}")
    return 0


def _scheduler(args: argparse.Namespace) -> int:
    from .pipelines.scheduler import serve_headless
    from .serving.supervisor import EndpointSupervisor

    ws = resolve_workspace(args.root)
    return serve_headless(ws, duties=[("endpoints", EndpointSupervisor(ws))])


# -- features ------------------------------------------------------------------------------
def _add_features_parser(sub: Any) -> None:
    features = sub.add_parser("features", help="feature views: list, show, lookup, materialize")
    verbs = features.add_subparsers(dest="verb", required=True)
    listing = verbs.add_parser("list", help="entities, views and services")
    listing.add_argument("search", nargs="?", default="", help="part of a name")
    show = verbs.add_parser("show", help="a view: schema, statistics, freshness")
    show.add_argument("view")
    lookup = verbs.add_parser("lookup", help="a service's online values for some entities")
    lookup.add_argument("service")
    add_entity_arguments(lookup)
    lookup.add_argument("--full-names", action="store_true", help="view__feature columns")
    materialize = verbs.add_parser("materialize", help="write latest values to the online store")
    materialize.add_argument("view", nargs="?")
    materialize.add_argument("--service", help="every view of this service")
    materialize.add_argument(
        "--incremental", action="store_true", help="only events after the last watermark"
    )
    verb_funcs = {
        "list": _features_list,
        "show": _features_show,
        "lookup": _features_lookup,
        "materialize": _features_materialize,
    }
    for verb, func in verb_funcs.items():
        verbs.choices[verb].add_argument("--json", action="store_true", help="print JSON")
        _root(verbs.choices[verb])
        verbs.choices[verb].set_defaults(verb_func=func)
    features.set_defaults(func=_features)


def _feature_stores(args: argparse.Namespace) -> tuple[FeatureStore, DatasetStore]:
    from .datasets.api import store_for
    from .features.store import FeatureStore
    from .state import store_of

    ws = resolve_workspace(args.root)
    return store_of(FeatureStore, ws), store_for(ws)


def _features(args: argparse.Namespace) -> int:
    return int(args.verb_func(*_feature_stores(args), args))


def _features_list(store: FeatureStore, datasets: DatasetStore, args: argparse.Namespace) -> int:
    from .features import queries
    from .features.views import CatalogQuery
    from .rendering import CATALOG_COLUMNS, catalog_rows, catalog_title

    catalog = queries.catalog(store, CatalogQuery(search=args.search))
    if args.json:
        print(catalog.model_dump_json(indent=2))
        return 0
    print(catalog_title(catalog, args.search))
    _print_table(CATALOG_COLUMNS, catalog_rows(catalog))
    return 0


def _features_show(store: FeatureStore, datasets: DatasetStore, args: argparse.Namespace) -> int:
    from .features import queries
    from .rendering import SCHEMA_COLUMNS, schema_rows, view_notes, view_title
    from .tracking.store import use_workspace

    detail = queries.view_detail(store, datasets, use_workspace(store.ws), args.view)
    if args.json:
        print(detail.model_dump_json(indent=2))
        return 0
    print("\n".join([view_title(detail), *view_notes(detail)]))
    _print_table(SCHEMA_COLUMNS, schema_rows(detail))
    return 0


def _features_lookup(store: FeatureStore, datasets: DatasetStore, args: argparse.Namespace) -> int:
    from .arguments import entity_values
    from .features import commands
    from .features.lookup import resolve_target
    from .features.views import OnlineRequest
    from .rendering import online_head, online_rows, online_title

    # the service's join keys type the values given as text
    keys = resolve_target(store, args.service, None, args.full_names).keys
    entities = entity_values(args.entities, keys)
    request = OnlineRequest(service=args.service, entities=entities, full_names=args.full_names)
    result = commands.online_lookup(store, request)
    if args.json:
        print(result.model_dump_json(indent=2))
        return 0
    print(online_title(args.service, result))
    _print_table(online_head(result), online_rows(result))
    return 0


def _features_materialize(
    store: FeatureStore, datasets: DatasetStore, args: argparse.Namespace
) -> int:
    from .errors import Invalid
    from .features import commands
    from .features.views import MaterializeRequest
    from .identity import asserted
    from .rendering import MATERIALIZATION_COLUMNS, materialization_rows

    if (args.view is None) == (args.service is None):
        raise Invalid("give a VIEW, or --service SERVICE for all its views")
    request = MaterializeRequest(
        view=args.view, service=args.service, mode="incremental" if args.incremental else "full"
    )
    done = commands.materialize(store, datasets, request, asserted(None))
    if args.json:
        print(done.model_dump_json(indent=2))
        return 0
    _print_table(MATERIALIZATION_COLUMNS, materialization_rows(done.materializations))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .serving.serve import TOKEN_ENV, serve

    token = args.token or os.environ.get(TOKEN_ENV) or None
    serve(resolve_workspace(args.root), args.model, args.name, args.host, args.port, token)
    return 0


def _service(args: argparse.Namespace) -> int:
    from .server.service import run

    run(str(resolve_workspace(args.root).ensure().root), args.server_args)
    return 0


# -- exports -------------------------------------------------------------------------------
def _export_airflow(args: argparse.Namespace) -> int:
    from .pipelines.airflow import export_airflow
    from .pipelines.api import store_for

    store = store_for(resolve_workspace(args.root))
    print(export_airflow(store, args.job, args.stage, args.out))
    return 0


def _export_feast(args: argparse.Namespace) -> int:
    from .features.export import export_workspace

    features, datasets = _feature_stores(args)
    written = export_workspace(
        features,
        datasets,
        args.directory,
        online=args.online,
        redis_url=args.redis_url,
        project=args.project,
    )
    print("\n".join(str(path) for path in written))
    return 0


def _export_kserve(args: argparse.Namespace) -> int:
    from .serving.kserve import inference_service

    ws = resolve_workspace(args.root)
    exported = inference_service(ws, args.model, endpoint=args.endpoint, name=args.name)
    for note in exported.notes:
        print(f"jupyter mlops export: note: {note}", file=sys.stderr)
    for warning in exported.warnings:
        print(f"jupyter mlops export: warning: {warning}", file=sys.stderr)
    if args.out is None:
        print(exported.to_yaml(), end="")
    else:
        with open(args.out, "w") as out:
            out.write(exported.to_yaml())
        print(args.out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``jupyter-mlops`` (run as ``jupyter mlops``)."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "service":  # the rest are the Jupyter server's settings
        args.server_args = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.func(args))
    except MlopsError as exc:
        print(f"jupyter mlops {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
