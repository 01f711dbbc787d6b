"""The jupyter-server extension: resolves the workspace, prepares its stores, registers routes.

It exports ``JUPYTER_MLOPS_ROOT`` into the server's environment so that kernels the server
starts (and so the magics in them) resolve the same workspace. Unless ``run_scheduler`` is
off, it runs the job scheduler in a daemon thread (``settings["mlops_scheduler"]``, whose
``wake()`` handlers call after queueing a run or changing a schedule) and stops it with the
server.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import os
from datetime import timedelta

from jupyter_server.extension.application import ExtensionApp
from tornado.ioloop import IOLoop
from traitlets import Bool, Dict, Float, Int, List, Type, Unicode

from .. import db
from ..datasets.store import DatasetStore
from ..features.store import FeatureStore
from ..monitoring.store import MonitorStore
from ..objects import ObjectStore
from ..pipelines.scheduler import GRACE, Scheduler
from ..pipelines.store import JobStore
from ..read_cache import DEFAULT_MAX_BYTES, ReadCache
from ..remote.config import active as team_mode
from ..remote.config import service_url
from ..reviews.models import ReviewRules
from ..reviews.policy import ReviewPolicy
from ..reviews.store import ReviewStore
from ..serving.supervisor import EndpointSupervisor
from ..workspace import REQUIRE_AUTHENTICATED_ENV, ROOT_ENV, Workspace, resolve_workspace
from .base import AreaStores
from .fallback import NoRouteHandler
from .info import OpenApiHandler
from .relay import ServiceRelayHandler
from .routes import API_PREFIX, ROUTES


class MlopsApp(ExtensionApp):
    """jupyter-mlops server extension."""

    name = "jupyter_mlops"
    load_other_extensions = True

    workspace_root = Unicode(
        "",
        config=True,
        help="Project root holding .mlops/ and mlops.toml (default: the server's root_dir).",
    )
    run_scheduler = Bool(
        True,
        config=True,
        help=(
            "Run the job scheduler in this server (fires schedules, starts queued runs, "
            "takes monitoring alert actions). A lease lets one scheduler per workspace fire; "
            "turn it off where `jupyter mlops scheduler` serves the workspace instead."
        ),
    )
    missed_fire_grace = Float(
        GRACE.total_seconds(),
        config=True,
        help=(
            "Seconds a scheduled fire may be late when the scheduler sees it and still run; "
            "older fires are missed and follow the job's missed-fire policy (skip or run once)."
        ),
    )

    freeze_startup_objects = Bool(
        True,
        config=True,
        help=(
            "Once the server has started, move the objects it holds then (modules, classes, "
            "the extensions' state: about half a million) out of Python's cyclic garbage "
            "collector's way (gc.freeze). Under load, a full collection scanned them all and "
            "stalled every request for up to a second; then it scans only what requests made."
        ),
    )

    cache_reads = Bool(
        True,
        config=True,
        help=(
            "Answer a polled page (runs, experiments, datasets, a dataset's versions, one "
            "version) again from memory while the SQLite databases it read are unchanged "
            "(their commit counts, PRAGMA data_version, seen from any process). Pages of a "
            "PostgreSQL or file-based store are computed every time."
        ),
    )

    dataset_store_class = Type(
        DatasetStore, klass=DatasetStore, config=True, help="The datasets area's store."
    )
    monitor_store_class = Type(
        MonitorStore, klass=MonitorStore, config=True, help="The monitoring area's store."
    )
    job_store_class = Type(JobStore, klass=JobStore, config=True, help="The jobs area's store.")
    review_store_class = Type(
        ReviewStore, klass=ReviewStore, config=True, help="The reviews area's store."
    )
    feature_store_class = Type(
        FeatureStore, klass=FeatureStore, config=True, help="The features area's store."
    )

    review_reviewers = List(
        Unicode(),
        default_value=[],
        config=True,
        help=(
            "Usernames allowed to approve or request changes on a model review; empty: any "
            "signed-in user except the review's author."
        ),
    )
    review_approvals_required = Int(
        1,
        config=True,
        help="How many distinct reviewers must approve a model review (1 to 50).",
    )
    require_authenticated_decisions = Bool(
        None,
        allow_none=True,
        config=True,
        help=(
            "Count only decisions whose actor this server authenticated: approvals toward a "
            "review's rules and the prod gate, acknowledgements that clear a block_promotion "
            "alert. Decisions a kernel or the CLI asserted (by=, JUPYTERHUB_USER) are then "
            "recorded and shown but do not count. Default (None): on whenever the state DB "
            "is shared (not SQLite). Exported to the kernels this server starts."
        ),
    )
    review_alias = Unicode(
        "champion",
        config=True,
        help=(
            "The registry alias moved to a model version once its review is approved "
            "(empty: no alias is moved)."
        ),
    )

    review_model_rules = Dict(
        {},
        config=True,
        help=(
            "Review rules of particular models: {MODEL_OR_GLOB: {reviewers, "
            "approvals_required, alias}}, each over the defaults above. An exact name wins, "
            "then the first glob that matches. A reviewer 'group:NAME' is every member of "
            "the JupyterHub group NAME (team service only)."
        ),
    )

    def review_policy(self) -> ReviewPolicy:
        """The review rules of this server, chosen per model and recorded on each review
        it opens."""
        default = ReviewRules(
            reviewers=list(self.review_reviewers),
            approvals_required=self.review_approvals_required,
            alias=self.review_alias or None,
        )
        return ReviewPolicy(default, self.review_model_rules)

    def initialize_settings(self) -> None:
        assert self.serverapp is not None
        if team_mode():
            # a user's server on JupyterHub: the team service holds the workspace
            self.log.info("jupyter-mlops: team mode, relaying the API to %s", service_url())
            return
        root = self.workspace_root or os.environ.get(ROOT_ENV) or self.serverapp.root_dir
        if self.require_authenticated_decisions is not None:
            flag = "true" if self.require_authenticated_decisions else "false"
            os.environ[REQUIRE_AUTHENTICATED_ENV] = flag
        workspace = resolve_workspace(root).ensure()
        os.environ[ROOT_ENV] = str(workspace.root)
        db.migrate(workspace.state_db_url)
        swept = ObjectStore(workspace.object_store_url).sweep_incoming()
        if swept:
            self.log.info("jupyter-mlops: removed %d unfinished object writes", swept)
        self.settings["mlops_workspace"] = workspace
        self.settings["mlops_read_cache"] = ReadCache(
            max_bytes=DEFAULT_MAX_BYTES if self.cache_reads else 0
        )
        # each area's store, built once from the traits above; handlers take theirs from
        # MlopsHandler.stores (a deployment swaps a class, as jupyter-scheduler's do)
        self.settings["mlops_stores"] = AreaStores(
            datasets=self.dataset_store_class(workspace),
            monitoring=self.monitor_store_class(workspace),
            jobs=self.job_store_class(workspace),
            reviews=self.review_store_class(workspace),
            features=self.feature_store_class(workspace),
        )
        self.settings["mlops_review_policy"] = self.review_policy()
        self.log.info("jupyter-mlops workspace: %s", workspace.root)
        self.settings["mlops_scheduler"] = self._start_scheduler(workspace)
        if self.freeze_startup_objects:
            # after every extension has loaded: the first callback of the started loop
            IOLoop.current().add_callback(freeze_startup_objects)

    def _start_scheduler(self, workspace: Workspace) -> Scheduler | None:
        if not self.run_scheduler:
            self.log.info("jupyter-mlops scheduler: off in this server (run_scheduler = False)")
            return None
        scheduler = Scheduler(
            workspace,
            grace=timedelta(seconds=self.missed_fire_grace),
            duties=[("endpoints", EndpointSupervisor(workspace))],
        )
        scheduler.start()
        self.log.info("jupyter-mlops scheduler: running in this server as %s", scheduler.holder)
        return scheduler

    async def stop_extension(self) -> None:
        """Stop the scheduler thread (its lease is released for another scheduler)."""
        scheduler = self.settings.get("mlops_scheduler")
        if scheduler is not None:
            await asyncio.get_running_loop().run_in_executor(None, scheduler.stop)
            self.log.info("jupyter-mlops scheduler: stopped")

    def initialize_handlers(self) -> None:
        if team_mode():
            self.handlers.append((API_PREFIX + r"/(.*)", ServiceRelayHandler))
            return
        for pattern, target in dict((r.pattern, r.handler) for r in ROUTES).items():
            module, cls = target.split(":")
            handler = getattr(importlib.import_module(f"{__package__}.{module}"), cls)
            self.handlers.append((API_PREFIX + pattern, handler))
        self.handlers.append((API_PREFIX + "/openapi.json", OpenApiHandler))
        # last: any other path under the API is a JSON 404, not Jupyter's HTML page
        self.handlers.append((API_PREFIX + r"/.*", NoRouteHandler))


def freeze_startup_objects() -> None:
    """Collect what startup left behind, then freeze every object still tracked (see the
    ``freeze_startup_objects`` trait): they live as long as the server anyway."""
    gc.collect()
    gc.freeze()
