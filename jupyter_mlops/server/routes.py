"""The route table of the REST API: path, handler, and the models of each verb.

Both the server (``app.py`` registers the handlers) and the OpenAPI generator read this
table, so a route cannot exist without its documented contract, path parameters included.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..contract import INT64_MAX
from ..datasets import models as dm
from ..datasets.checks import CheckReport, DatasetChecks
from ..datasets.diff import DatasetDiff
from ..features import models as fm
from ..features import views as fv
from ..monitoring import models as mm
from ..monitoring import views as mv
from ..pipelines import models as jm
from ..pipelines import promotion_models as pm
from ..pipelines import views as jv
from ..reviews import models as rm
from ..reviews import page_models as rpm
from ..reviews import views as rv
from ..serving import models as sm
from ..serving.refs import ENDPOINT_NAME
from ..tracking import models as tm
from ..tracking.queries import RUN_ID

API_PREFIX = "/mlops/api"
ANY_SEGMENT = r"[^/]+"


@dataclass(frozen=True)
class PathParam:
    """A path parameter: the regex its segment matches, and its schema in the document.

    Most segments match anything but ``/`` and the core checks them (a 400 naming what is
    wrong): the schema says what the core accepts. An integer id has a type and bounds.
    """

    regex: str = ANY_SEGMENT
    pattern: str | None = None  # a string's pattern, as the core checks it
    enum: tuple[str, ...] = ()
    maximum: int | None = None  # an integer id (0 up to this)

    def schema(self) -> dict[str, Any]:
        if self.maximum is not None:
            return {"type": "integer", "minimum": 0, "maximum": self.maximum}
        schema: dict[str, Any] = {"type": "string"}
        if self.enum:
            schema["enum"] = list(self.enum)
        if self.pattern:
            schema["pattern"] = self.pattern
        return schema


# datasets, monitors, jobs and steps share one name rule
NAME = PathParam(pattern=dm.NAME.pattern)
# a dataset version: vN, a hash prefix of 6+ hex digits, or a tag
DATASET_VERSION = PathParam(
    pattern="^(?:"
    + "|".join(p.pattern.strip("^$") for p in (dm.VERSION_REF, dm.HASH_PREFIX, dm.TAG))
    + ")$"
)
STAGE = PathParam(enum=jm.STAGES)
MLFLOW_RUN_ID = PathParam(pattern=RUN_ID.pattern)
# read by contract.parse_id: a 400 past the largest 64-bit integer
ROW_ID = PathParam(maximum=INT64_MAX)
# reviews match their ids in the route: a longer number is no route (a JSON 404)
REVIEW_ROW_ID = PathParam(regex=r"[0-9]{1,9}", maximum=10**9 - 1)

# feature views and services: identifiers (they name columns and tables)
FEATURE_NAME = PathParam(pattern="^" + fm.NAME.pattern + "$")

# The path parameters by name; a route gives ``params`` for a name meaning something else.
PATH_PARAMS: Mapping[str, PathParam] = {
    "name": NAME,
    "version": DATASET_VERSION,
    "stage": STAGE,
    "step": NAME,
    "job_run_id": ROW_ID,  # a run of a job (an MLflow run is mlflow_run_id)
    "point_id": ROW_ID,
    "alert_id": ROW_ID,
    "review_id": REVIEW_ROW_ID,
    "comment_id": REVIEW_ROW_ID,
    "view": FEATURE_NAME,
    "service": FEATURE_NAME,
    "endpoint": PathParam(pattern=ENDPOINT_NAME.pattern),
}


@dataclass(frozen=True)
class Route:
    """One REST route: its path and its documented contract.

    The tornado pattern is derived from the path, each parameter a named group matching
    its segment (:data:`PATH_PARAMS`), so the server and the document cannot disagree.
    """

    path: str  # OpenAPI form, e.g. "/runs/{mlflow_run_id}"
    handler: str  # "module:Class" under jupyter_mlops.server
    summary: str
    response: type[BaseModel] | None  # None: not JSON, see media_type
    query: type[BaseModel] | None = None
    tag: str = "tracking"
    method: str = "get"
    body: type[BaseModel] | None = None
    media_type: str = "application/json"
    params: tuple[tuple[str, PathParam], ...] = ()  # overrides of PATH_PARAMS by name

    def path_params(self) -> dict[str, PathParam]:
        """Each path parameter, in order, with its segment rule."""
        given = dict(self.params)
        names = [part[1:-1] for part in self.path.split("/") if part.startswith("{")]
        return {name: given.get(name) or PATH_PARAMS[name] for name in names}

    @property
    def pattern(self) -> str:
        """The tornado regex of the path, e.g. ``/runs/(?P<mlflow_run_id>[^/]+)``."""
        pattern = self.path
        for name, param in self.path_params().items():
            pattern = pattern.replace("{" + name + "}", f"(?P<{name}>{param.regex})")
        return pattern


ROUTES: tuple[Route, ...] = (
    Route(
        "/info",
        "info:InfoHandler",
        "Resolved workspace",
        tm.WorkspaceInfo,
        tag="workspace",
    ),
    Route(
        "/experiments",
        "tracking:ExperimentsHandler",
        "List experiments",
        tm.ListExperimentsResponse,
    ),
    Route(
        "/runs",
        "tracking:RunsHandler",
        "Search runs (paged, sorted, filtered)",
        tm.ListRunsResponse,
        query=tm.ListRunsQuery,
    ),
    Route(
        "/runs/{mlflow_run_id}",
        "tracking:RunHandler",
        "One run: params, metrics, history, tags, artifacts, notebook source",
        tm.RunDetail,
        params=(("mlflow_run_id", MLFLOW_RUN_ID),),
    ),
    Route(
        "/compare",
        "tracking:CompareHandler",
        "Compare runs",
        tm.CompareResponse,
        query=tm.CompareQuery,
    ),
    Route(
        "/datasets",
        "datasets:DatasetsHandler",
        "List datasets (name search, paged)",
        dm.ListDatasetsResponse,
        query=dm.ListDatasetsQuery,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}",
        "datasets:DatasetHandler",
        "A dataset's versions (newest first) and checks",
        dm.DatasetDetail,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}/checks",
        "datasets:ChecksHandler",
        "Replace the checks attached to a dataset",
        DatasetChecks,
        tag="datasets",
        method="put",
        body=DatasetChecks,
    ),
    Route(
        "/datasets/{name}/diff",
        "datasets:DiffHandler",
        "Diff two versions: schema, rows (by key), statistic shifts",
        DatasetDiff,
        query=dm.DiffQuery,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}/versions",
        "datasets:DatasetVersionsHandler",
        "Record as the next version a DataFrame whose Parquet bytes are in the object store "
        "(team mode: kernels write the bytes, the service verifies them by their hash)",
        dm.SaveResult,
        tag="datasets",
        method="post",
        body=dm.RecordVersionBody,
    ),
    Route(
        "/datasets/{name}/versions/{version}",
        "datasets:VersionHandler",
        "One version (vN, tag or hash prefix): manifest, lineage to runs, check report",
        dm.VersionDetail,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}/versions/{version}/rows",
        "datasets:RowsHandler",
        "A page of a table version's rows",
        dm.RowsPage,
        query=dm.RowsQuery,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}/versions/{version}/check",
        "datasets:CheckHandler",
        "Run the dataset's checks on a version now and record the report",
        CheckReport,
        tag="datasets",
        method="post",
    ),
    Route(
        "/monitors",
        "monitoring:MonitorsHandler",
        "List monitors with their status (name search, paged)",
        mv.ListMonitorsResponse,
        query=mv.ListMonitorsQuery,
        tag="monitoring",
    ),
    Route(
        "/monitors/{name}",
        "monitoring:MonitorHandler",
        "A monitor: its thresholds, actions, point count and open alerts",
        mv.MonitorDetail,
        tag="monitoring",
    ),
    Route(
        "/monitors/{name}/points",
        "monitoring:PointsHandler",
        "A page of a monitor's points as time series (page 0: newest; oldest first within)",
        mv.PointsPage,
        query=mv.PointsQuery,
        tag="monitoring",
    ),
    Route(
        "/monitors/{name}/points/{point_id}",
        "monitoring:PointHandler",
        "One point in full: per-column report, quality, alerts, its Evidently report's path",
        mv.PointDetail,
        tag="monitoring",
    ),
    Route(
        "/monitors/{name}/points/{point_id}/report",
        "monitoring:PointReportHandler",
        "Evidently's HTML report of a point, served sandboxed (CSP sandbox, nosniff)",
        None,
        tag="monitoring",
        media_type="text/html",
    ),
    Route(
        "/alerts",
        "monitoring:AlertsHandler",
        "Alerts, newest first (one monitor's; open only unless include_acknowledged)",
        mv.ListAlertsResponse,
        query=mv.ListAlertsQuery,
        tag="monitoring",
    ),
    Route(
        "/alerts/{alert_id}/acknowledge",
        "monitoring:AcknowledgeHandler",
        "Acknowledge an open alert as the signed-in user (409 naming who, if already done)",
        mm.Alert,
        tag="monitoring",
        method="post",
    ),
    Route(
        "/jobs",
        "jobs:JobsHandler",
        "List jobs with their stages, newest run and changed notebooks (name search, paged)",
        jv.ListJobsResponse,
        query=jv.ListJobsQuery,
        tag="jobs",
    ),
    Route(
        "/jobs",
        "jobs:JobsHandler",
        "Promote a notebook (or a pipeline of notebooks) to a job: version 1 in dev",
        jm.Job,
        tag="jobs",
        method="post",
        body=jv.PromoteRequest,
    ),
    Route(
        "/jobs/{name}",
        "jobs:JobHandler",
        "A job: its stages, versions, audit trail and the steps whose notebook changed",
        jv.JobDetail,
        tag="jobs",
    ),
    Route(
        "/jobs/{name}/versions",
        "jobs:VersionsHandler",
        "Snapshot the job's changed notebooks as a new version (dev runs it from now on)",
        jm.JobVersion,
        tag="jobs",
        method="post",
    ),
    Route(
        "/jobs/{name}/stages/{stage}",
        "jobs:StageHandler",
        "Change a stage's schedule, timezone, parameter overrides or pause state",
        jm.StageState,
        tag="jobs",
        method="put",
        body=jv.StageUpdate,
    ),
    Route(
        "/jobs/{name}/runs",
        "jobs:JobRunsHandler",
        "A job's runs, newest first (one stage's or all, paged)",
        jv.ListJobRunsResponse,
        query=jv.ListJobRunsQuery,
        tag="jobs",
    ),
    Route(
        "/jobs/{name}/runs",
        "jobs:JobRunsHandler",
        "Run the version of a stage now (a repeated token returns the first run)",
        jm.JobRun,
        tag="jobs",
        method="post",
        body=jv.RunRequest,
    ),
    Route(
        "/jobs/{name}/promotion",
        "jobs:PromotionHandler",
        "The gates between the stage below and the target stage, each with its reason",
        pm.GateReport,
        query=jv.PromotionQuery,
        tag="jobs",
    ),
    Route(
        "/jobs/{name}/promote",
        "jobs:PromoteHandler",
        "Promote the lower stage's version to the target stage (409 if a gate fails or "
        "another promotion won)",
        pm.PromotionResult,
        tag="jobs",
        method="post",
        body=jv.PromoteStageRequest,
    ),
    Route(
        "/jobs/{name}/rollback",
        "jobs:RollbackHandler",
        "Put a stage back on the version it ran before its last promotion",
        jm.StageState,
        tag="jobs",
        method="post",
        body=jv.RollbackRequest,
    ),
    Route(
        "/job-runs/{job_run_id}",
        "jobs:JobRunHandler",
        "One job run with its steps (status, times, error, outputs)",
        jm.JobRun,
        tag="jobs",
    ),
    Route(
        "/job-runs/{job_run_id}/log",
        "jobs:RunLogHandler",
        "The tail of a run's log (one step's, or the worker's)",
        None,
        query=jv.LogQuery,
        tag="jobs",
        media_type="text/plain",
    ),
    Route(
        "/job-runs/{job_run_id}/steps/{step}/notebook",
        "jobs:StepNotebookHandler",
        "A step's executed notebook (.ipynb JSON; the partial one while it runs or failed)",
        None,
        tag="jobs",
    ),
    Route(
        "/job-runs/{job_run_id}/steps/{step}/html",
        "jobs:StepHtmlHandler",
        "A step's executed notebook as HTML, served sandboxed (CSP sandbox, nosniff)",
        None,
        tag="jobs",
        media_type="text/html",
    ),
    Route(
        "/job-runs/{job_run_id}/cancel",
        "jobs:CancelHandler",
        "Cancel a run: a queued one ends now, a running one has its kernel stopped",
        jm.JobRun,
        tag="jobs",
        method="post",
    ),
    Route(
        "/notebook-parameters",
        "jobs:NotebookParametersHandler",
        "The papermill parameters (names, types, defaults) a notebook declares",
        jv.NotebookParametersView,
        query=jv.NotebookParametersQuery,
        tag="jobs",
    ),
    Route(
        "/reviews",
        "reviews:ReviewsHandler",
        "List reviews, newest first: open, mine (requested by me), waiting (for my decision), all",
        rv.ListReviewsResponse,
        query=rv.ListReviewsQuery,
        tag="reviews",
    ),
    Route(
        "/reviews",
        "reviews:ReviewsHandler",
        "Request a review of a registered model version under the server's review rules",
        rm.Review,
        tag="reviews",
        method="post",
        body=rv.RequestReviewBody,
    ),
    Route(
        "/reviews/{review_id}",
        "reviews:ReviewHandler",
        "A review with its comments, decisions and audit trail",
        rm.ReviewDetail,
        tag="reviews",
    ),
    Route(
        "/reviews/{review_id}/page",
        "reviews:ReviewPageHandler",
        "The review page: metrics and params against the champion, datasets, drift, notebook "
        "and its diff",
        rpm.ReviewPage,
        tag="reviews",
    ),
    Route(
        "/reviews/{review_id}/comments",
        "reviews:CommentsHandler",
        "Comment on a cell or the whole review, or reply in a thread, as the signed-in user",
        rm.Comment,
        tag="reviews",
        method="post",
        body=rv.CommentBody,
    ),
    Route(
        "/reviews/{review_id}/comments/{comment_id}",
        "reviews:CommentHandler",
        "Edit one's own comment (403 for anyone else's)",
        rm.Comment,
        tag="reviews",
        method="put",
        body=rv.EditCommentBody,
    ),
    Route(
        "/reviews/{review_id}/comments/{comment_id}/resolve",
        "reviews:ResolveHandler",
        "Resolve (or reopen) a thread: its starter or the review's author",
        rm.Comment,
        tag="reviews",
        method="post",
        body=rv.ResolveBody,
    ),
    Route(
        "/reviews/{review_id}/decisions",
        "reviews:DecisionsHandler",
        "Approve or request changes as a reviewer (403 for the author or a non-reviewer); "
        "the alias moves once the rules are met",
        rm.Review,
        tag="reviews",
        method="post",
        body=rv.DecisionBody,
    ),
    Route(
        "/reviews/{review_id}/withdraw",
        "reviews:WithdrawHandler",
        "Withdraw one's own open review",
        rm.Review,
        tag="reviews",
        method="post",
        body=rv.WithdrawBody,
    ),
    Route(
        "/models",
        "reviews:ModelsHandler",
        "Registered models with their versions (newest first) and aliases",
        rv.ListModelsResponse,
        tag="reviews",
    ),
    Route(
        "/models",
        "reviews:ModelsHandler",
        "Register the model an MLflow run logged as a new version of a named model",
        rm.ModelVersionInfo,
        tag="reviews",
        method="post",
        body=rv.RegisterModelBody,
    ),
    Route(
        "/features",
        "features:CatalogHandler",
        "Entities, feature views and feature services (latest versions; name search)",
        fv.Catalog,
        query=fv.CatalogQuery,
        tag="features",
    ),
    Route(
        "/features/entities",
        "features:EntitiesHandler",
        "Define an entity (a new version when it changed)",
        fm.Entity,
        tag="features",
        method="post",
        body=fm.EntitySpec,
    ),
    Route(
        "/features/views",
        "features:ViewsHandler",
        "Define a feature view over a dataset (checked against its columns)",
        fm.FeatureView,
        tag="features",
        method="post",
        body=fm.FeatureViewSpec,
    ),
    Route(
        "/features/services",
        "features:ServicesHandler",
        "Define a feature service (view:feature references)",
        fm.FeatureService,
        tag="features",
        method="post",
        body=fm.FeatureServiceSpec,
    ),
    Route(
        "/features/views/{view}",
        "features:ViewHandler",
        "A feature view: versions, statistics, freshness, materializations, runs using it",
        fv.ViewDetail,
        tag="features",
    ),
    Route(
        "/features/views/{view}/rows",
        "features:ViewRowsHandler",
        "The newest rows of a feature view's source",
        fv.SampleRows,
        query=fv.SampleRowsQuery,
        tag="features",
    ),
    Route(
        "/features/services/{service}",
        "features:ServiceHandler",
        "A feature service: versions and the runs trained on it",
        fv.ServiceDetail,
        tag="features",
    ),
    Route(
        "/features/materialize",
        "features:MaterializeHandler",
        "Write a view's (or a service's views') latest values to the online store",
        fv.MaterializeResponse,
        tag="features",
        method="post",
        body=fv.MaterializeRequest,
    ),
    Route(
        "/features/online",
        "features:OnlineHandler",
        "Online values of a service or a view for a batch of entities",
        fm.OnlineResult,
        tag="features",
        method="post",
        body=fv.OnlineRequest,
    ),
    Route(
        "/serving/endpoints",
        "serving:EndpointsHandler",
        "The endpoints this workspace has served: running ones with their arms and traffic",
        sm.ListEndpointsResponse,
        tag="serving",
    ),
    Route(
        "/serving/endpoints",
        "serving:EndpointsHandler",
        "Deploy a registered model (NAME@ALIAS follows the alias); answers once it serves",
        sm.EndpointSummary,
        tag="serving",
        method="post",
        body=sm.DeployRequest,
    ),
    Route(
        "/serving/endpoints/{endpoint}",
        "serving:EndpointHandler",
        "An endpoint: its status, audit trail and latest answered requests",
        sm.EndpointDetail,
        tag="serving",
    ),
    Route(
        "/serving/endpoints/{endpoint}",
        "serving:EndpointHandler",
        "Stop an endpoint (its rollout ends with it)",
        sm.EndpointSummary,
        tag="serving",
        method="delete",
    ),
    Route(
        "/serving/endpoints/{endpoint}/rollout",
        "serving:EndpointRolloutHandler",
        "Start a shadow or a canary of a challenger version, with its rollback rules",
        sm.EndpointStatus,
        tag="serving",
        method="post",
        body=sm.RolloutRequest,
    ),
    Route(
        "/serving/endpoints/{endpoint}/promote",
        "serving:EndpointPromoteHandler",
        "Promote the challenger: move the alias the endpoint follows to its version",
        sm.EndpointStatus,
        tag="serving",
        method="post",
    ),
    Route(
        "/serving/endpoints/{endpoint}/abort",
        "serving:EndpointAbortHandler",
        "Abort the rollout: stop the challenger",
        sm.EndpointStatus,
        tag="serving",
        method="post",
    ),
)
