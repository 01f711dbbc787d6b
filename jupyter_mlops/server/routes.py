"""The route table of the REST API: path, handler, and the models of each verb.

Both the server (``app.py`` registers the handlers) and the OpenAPI generator read this
table, so a route cannot exist without its documented contract.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from ..datasets import models as dm
from ..datasets.checks import CheckReport, DatasetChecks
from ..datasets.diff import DatasetDiff
from ..monitoring import models as mm
from ..monitoring import views as mv
from ..pipelines import models as jm
from ..pipelines import promotion_models as pm
from ..pipelines import views as jv
from ..reviews import models as rm
from ..reviews import page_models as rpm
from ..reviews import views as rv
from ..tracking import models as tm

API_PREFIX = "/mlops/api"


@dataclass(frozen=True)
class Route:
    """One REST route: a tornado path pattern and its documented contract."""

    path: str  # OpenAPI form, e.g. "/runs/{run_id}"
    pattern: str  # tornado regex, e.g. r"/runs/(?P<run_id>[0-9a-f]{32})"
    handler: str  # "module:Class" under jupyter_mlops.server
    summary: str
    response: type[BaseModel] | None  # None: not JSON, see media_type
    query: type[BaseModel] | None = None
    tag: str = "tracking"
    method: str = "get"
    body: type[BaseModel] | None = None
    media_type: str = "application/json"


ROUTES: tuple[Route, ...] = (
    Route(
        "/info",
        "/info",
        "info:InfoHandler",
        "Resolved workspace",
        tm.WorkspaceInfo,
        tag="workspace",
    ),
    Route(
        "/experiments",
        "/experiments",
        "tracking:ExperimentsHandler",
        "List experiments",
        tm.ListExperimentsResponse,
    ),
    Route(
        "/runs",
        "/runs",
        "tracking:RunsHandler",
        "Search runs (paged, sorted, filtered)",
        tm.ListRunsResponse,
        query=tm.ListRunsQuery,
    ),
    Route(
        "/runs/{run_id}",
        r"/runs/(?P<run_id>[^/]+)",
        "tracking:RunHandler",
        "One run: params, metrics, history, tags, artifacts, notebook source",
        tm.RunDetail,
    ),
    Route(
        "/compare",
        "/compare",
        "tracking:CompareHandler",
        "Compare runs",
        tm.CompareResponse,
        query=tm.CompareQuery,
    ),
    Route(
        "/datasets",
        "/datasets",
        "datasets:DatasetsHandler",
        "List datasets (name search, paged)",
        dm.ListDatasetsResponse,
        query=dm.ListDatasetsQuery,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}",
        r"/datasets/(?P<name>[^/]+)",
        "datasets:DatasetHandler",
        "A dataset's versions (newest first) and checks",
        dm.DatasetDetail,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}/checks",
        r"/datasets/(?P<name>[^/]+)/checks",
        "datasets:ChecksHandler",
        "Replace the checks attached to a dataset",
        DatasetChecks,
        tag="datasets",
        method="put",
        body=DatasetChecks,
    ),
    Route(
        "/datasets/{name}/diff",
        r"/datasets/(?P<name>[^/]+)/diff",
        "datasets:DiffHandler",
        "Diff two versions: schema, rows (by key), statistic shifts",
        DatasetDiff,
        query=dm.DiffQuery,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}/versions/{version}",
        r"/datasets/(?P<name>[^/]+)/versions/(?P<version>[^/]+)",
        "datasets:VersionHandler",
        "One version (vN, tag or hash prefix): manifest, lineage to runs, check report",
        dm.VersionDetail,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}/versions/{version}/rows",
        r"/datasets/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/rows",
        "datasets:RowsHandler",
        "A page of a table version's rows",
        dm.RowsPage,
        query=dm.RowsQuery,
        tag="datasets",
    ),
    Route(
        "/datasets/{name}/versions/{version}/check",
        r"/datasets/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/check",
        "datasets:CheckHandler",
        "Run the dataset's checks on a version now and record the report",
        CheckReport,
        tag="datasets",
        method="post",
    ),
    Route(
        "/monitors",
        "/monitors",
        "monitoring:MonitorsHandler",
        "List monitors with their status (name search, paged)",
        mv.ListMonitorsResponse,
        query=mv.ListMonitorsQuery,
        tag="monitoring",
    ),
    Route(
        "/monitors/{name}",
        r"/monitors/(?P<name>[^/]+)",
        "monitoring:MonitorHandler",
        "A monitor: its thresholds, actions, point count and open alerts",
        mv.MonitorDetail,
        tag="monitoring",
    ),
    Route(
        "/monitors/{name}/points",
        r"/monitors/(?P<name>[^/]+)/points",
        "monitoring:PointsHandler",
        "A page of a monitor's points as time series (page 0: newest; oldest first within)",
        mv.PointsPage,
        query=mv.PointsQuery,
        tag="monitoring",
    ),
    Route(
        "/monitors/{name}/points/{point_id}",
        r"/monitors/(?P<name>[^/]+)/points/(?P<point_id>[^/]+)",
        "monitoring:PointHandler",
        "One point in full: per-column report, quality, alerts, its Evidently report's path",
        mv.PointDetail,
        tag="monitoring",
    ),
    Route(
        "/monitors/{name}/points/{point_id}/report",
        r"/monitors/(?P<name>[^/]+)/points/(?P<point_id>[^/]+)/report",
        "monitoring:PointReportHandler",
        "Evidently's HTML report of a point, served sandboxed (CSP sandbox, nosniff)",
        None,
        tag="monitoring",
        media_type="text/html",
    ),
    Route(
        "/alerts",
        "/alerts",
        "monitoring:AlertsHandler",
        "Alerts, newest first (one monitor's; open only unless include_acknowledged)",
        mv.ListAlertsResponse,
        query=mv.ListAlertsQuery,
        tag="monitoring",
    ),
    Route(
        "/alerts/{alert_id}/acknowledge",
        r"/alerts/(?P<alert_id>[^/]+)/acknowledge",
        "monitoring:AcknowledgeHandler",
        "Acknowledge an open alert as the signed-in user (409 naming who, if already done)",
        mm.Alert,
        tag="monitoring",
        method="post",
    ),
    Route(
        "/jobs",
        "/jobs",
        "jobs:JobsHandler",
        "List jobs with their stages, newest run and changed notebooks (name search, paged)",
        jv.ListJobsResponse,
        query=jv.ListJobsQuery,
        tag="jobs",
    ),
    Route(
        "/jobs",
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
        r"/jobs/(?P<name>[^/]+)",
        "jobs:JobHandler",
        "A job: its stages, versions, audit trail and the steps whose notebook changed",
        jv.JobDetail,
        tag="jobs",
    ),
    Route(
        "/jobs/{name}/versions",
        r"/jobs/(?P<name>[^/]+)/versions",
        "jobs:VersionsHandler",
        "Snapshot the job's changed notebooks as a new version (dev runs it from now on)",
        jm.JobVersion,
        tag="jobs",
        method="post",
    ),
    Route(
        "/jobs/{name}/stages/{stage}",
        r"/jobs/(?P<name>[^/]+)/stages/(?P<stage>[^/]+)",
        "jobs:StageHandler",
        "Change a stage's schedule, timezone, parameter overrides or pause state",
        jm.StageState,
        tag="jobs",
        method="put",
        body=jv.StageUpdate,
    ),
    Route(
        "/jobs/{name}/runs",
        r"/jobs/(?P<name>[^/]+)/runs",
        "jobs:JobRunsHandler",
        "A job's runs, newest first (one stage's or all, paged)",
        jv.ListJobRunsResponse,
        query=jv.ListJobRunsQuery,
        tag="jobs",
    ),
    Route(
        "/jobs/{name}/runs",
        r"/jobs/(?P<name>[^/]+)/runs",
        "jobs:JobRunsHandler",
        "Run the version of a stage now (a repeated token returns the first run)",
        jm.JobRun,
        tag="jobs",
        method="post",
        body=jv.RunRequest,
    ),
    Route(
        "/jobs/{name}/promotion",
        r"/jobs/(?P<name>[^/]+)/promotion",
        "jobs:PromotionHandler",
        "The gates between the stage below and the target stage, each with its reason",
        pm.GateReport,
        query=jv.PromotionQuery,
        tag="jobs",
    ),
    Route(
        "/jobs/{name}/promote",
        r"/jobs/(?P<name>[^/]+)/promote",
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
        r"/jobs/(?P<name>[^/]+)/rollback",
        "jobs:RollbackHandler",
        "Put a stage back on the version it ran before its last promotion",
        jm.StageState,
        tag="jobs",
        method="post",
        body=jv.RollbackRequest,
    ),
    Route(
        "/job-runs/{run_id}",
        r"/job-runs/(?P<run_id>[^/]+)",
        "jobs:JobRunHandler",
        "One job run with its steps (status, times, error, outputs)",
        jm.JobRun,
        tag="jobs",
    ),
    Route(
        "/job-runs/{run_id}/log",
        r"/job-runs/(?P<run_id>[^/]+)/log",
        "jobs:RunLogHandler",
        "The tail of a run's log (one step's, or the worker's)",
        None,
        query=jv.LogQuery,
        tag="jobs",
        media_type="text/plain",
    ),
    Route(
        "/job-runs/{run_id}/steps/{step}/notebook",
        r"/job-runs/(?P<run_id>[^/]+)/steps/(?P<step>[^/]+)/notebook",
        "jobs:StepNotebookHandler",
        "A step's executed notebook (.ipynb JSON; the partial one while it runs or failed)",
        None,
        tag="jobs",
    ),
    Route(
        "/job-runs/{run_id}/steps/{step}/html",
        r"/job-runs/(?P<run_id>[^/]+)/steps/(?P<step>[^/]+)/html",
        "jobs:StepHtmlHandler",
        "A step's executed notebook as HTML, served sandboxed (CSP sandbox, nosniff)",
        None,
        tag="jobs",
        media_type="text/html",
    ),
    Route(
        "/job-runs/{run_id}/cancel",
        r"/job-runs/(?P<run_id>[^/]+)/cancel",
        "jobs:CancelHandler",
        "Cancel a run: a queued one ends now, a running one has its kernel stopped",
        jm.JobRun,
        tag="jobs",
        method="post",
    ),
    Route(
        "/notebook-parameters",
        "/notebook-parameters",
        "jobs:NotebookParametersHandler",
        "The papermill parameters (names, types, defaults) a notebook declares",
        jv.NotebookParametersView,
        query=jv.NotebookParametersQuery,
        tag="jobs",
    ),
    Route(
        "/reviews",
        "/reviews",
        "reviews:ReviewsHandler",
        "List reviews, newest first: open, mine (requested by me), waiting (for my decision), all",
        rv.ListReviewsResponse,
        query=rv.ListReviewsQuery,
        tag="reviews",
    ),
    Route(
        "/reviews",
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
        r"/reviews/(?P<review_id>[0-9]{1,9})",
        "reviews:ReviewHandler",
        "A review with its comments, decisions and audit trail",
        rm.ReviewDetail,
        tag="reviews",
    ),
    Route(
        "/reviews/{review_id}/page",
        r"/reviews/(?P<review_id>[0-9]{1,9})/page",
        "reviews:ReviewPageHandler",
        "The review page: metrics and params against the champion, datasets, drift, notebook "
        "and its diff",
        rpm.ReviewPage,
        tag="reviews",
    ),
    Route(
        "/reviews/{review_id}/comments",
        r"/reviews/(?P<review_id>[0-9]{1,9})/comments",
        "reviews:CommentsHandler",
        "Comment on a cell or the whole review, or reply in a thread, as the signed-in user",
        rm.Comment,
        tag="reviews",
        method="post",
        body=rv.CommentBody,
    ),
    Route(
        "/reviews/{review_id}/comments/{comment_id}",
        r"/reviews/(?P<review_id>[0-9]{1,9})/comments/(?P<comment_id>[0-9]{1,9})",
        "reviews:CommentHandler",
        "Edit one's own comment (403 for anyone else's)",
        rm.Comment,
        tag="reviews",
        method="put",
        body=rv.EditCommentBody,
    ),
    Route(
        "/reviews/{review_id}/comments/{comment_id}/resolve",
        r"/reviews/(?P<review_id>[0-9]{1,9})/comments/(?P<comment_id>[0-9]{1,9})/resolve",
        "reviews:ResolveHandler",
        "Resolve (or reopen) a thread: its starter or the review's author",
        rm.Comment,
        tag="reviews",
        method="post",
        body=rv.ResolveBody,
    ),
    Route(
        "/reviews/{review_id}/decisions",
        r"/reviews/(?P<review_id>[0-9]{1,9})/decisions",
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
        r"/reviews/(?P<review_id>[0-9]{1,9})/withdraw",
        "reviews:WithdrawHandler",
        "Withdraw one's own open review",
        rm.Review,
        tag="reviews",
        method="post",
        body=rv.WithdrawBody,
    ),
    Route(
        "/models",
        "/models",
        "reviews:ModelsHandler",
        "Registered models with their versions (newest first) and aliases",
        rv.ListModelsResponse,
        tag="reviews",
    ),
    Route(
        "/models",
        "/models",
        "reviews:ModelsHandler",
        "Register the model an MLflow run logged as a new version of a named model",
        rm.ModelVersionInfo,
        tag="reviews",
        method="post",
        body=rv.RegisterModelBody,
    ),
)
