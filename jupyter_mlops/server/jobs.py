"""REST handlers of the jobs area: jobs and their stages, runs (run now, log, executed
notebook, its HTML served sandboxed, cancel), promotion with its gates, rollback, and the
parameters a notebook declares."""

from __future__ import annotations

from typing import Any

from ..pipelines import commands, queries
from ..pipelines.store import JobStore
from ..pipelines.views import (
    ListJobRunsQuery,
    ListJobsQuery,
    LogQuery,
    NotebookParametersQuery,
    PromoteRequest,
    PromoteStageRequest,
    PromotionQuery,
    RollbackRequest,
    RunRequest,
    StageUpdate,
)
from .base import MlopsHandler, api_verb
from .monitoring import REPORT_CSP


class JobsBase(MlopsHandler):
    """Shared accessors: the workspace's job store and who is asking."""

    @property
    def store(self) -> JobStore:
        return self.stores.jobs

    @property
    def user(self) -> str:
        """Who changes a job (every use is a write): 403 for an anonymous user."""
        return self.actor("change a job")

    def wake_scheduler(self) -> None:
        """Let the embedded scheduler see a change now rather than at its next tick."""
        scheduler: Any = self.settings.get("mlops_scheduler")
        if scheduler is not None:
            scheduler.wake()


class JobsHandler(JobsBase):
    @api_verb
    async def get(self) -> None:
        query = self.query_model(ListJobsQuery)
        self.write_model(await self.call(queries.list_jobs, self.store, query))

    @api_verb
    async def post(self) -> None:
        body = self.body_model(PromoteRequest)
        self.write_model(await self.call(commands.promote, self.store, body, self.user))
        self.wake_scheduler()


class JobHandler(JobsBase):
    @api_verb
    async def get(self, name: str) -> None:
        self.write_model(await self.call(queries.job_detail, self.store, name))


class VersionsHandler(JobsBase):
    @api_verb
    async def post(self, name: str) -> None:
        self.write_model(await self.call(commands.new_version, self.store, name, self.user))
        self.wake_scheduler()


class StageHandler(JobsBase):
    @api_verb
    async def put(self, name: str, stage: str) -> None:
        body = self.body_model(StageUpdate)
        state = await self.call(commands.update_stage, self.store, name, stage, body, self.user)
        self.write_model(state)
        self.wake_scheduler()


class JobRunsHandler(JobsBase):
    @api_verb
    async def get(self, name: str) -> None:
        query = self.query_model(ListJobRunsQuery)
        self.write_model(await self.call(queries.job_runs, self.store, name, query))

    @api_verb
    async def post(self, name: str) -> None:
        body = self.body_model(RunRequest)
        self.write_model(await self.call(commands.start_run, self.store, name, body, self.user))
        self.wake_scheduler()


class JobRunHandler(JobsBase):
    @api_verb
    async def get(self, job_run_id: str) -> None:
        self.write_model(await self.call(queries.get_run, self.store, job_run_id))


class RunLogHandler(JobsBase):
    """The tail of a run's log as plain text."""

    @api_verb
    async def get(self, job_run_id: str) -> None:
        query = self.query_model(LogQuery)
        text = await self.call(queries.log_tail, self.store, job_run_id, query)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(text, set_content_type="text/plain; charset=utf-8")


class StepNotebookHandler(JobsBase):
    """A step's executed notebook, as the .ipynb JSON papermill wrote."""

    @api_verb
    async def get(self, job_run_id: str, step: str) -> None:
        data = await self.call(queries.step_notebook, self.store, job_run_id, step)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(data, set_content_type="application/json")


class StepHtmlHandler(JobsBase):
    """A step's executed notebook as HTML: its outputs are the user's, so it is sandboxed
    like a monitoring report (scripts run in an opaque origin that loads nothing)."""

    @property
    def content_security_policy(self) -> str:
        return REPORT_CSP

    @api_verb
    async def get(self, job_run_id: str, step: str) -> None:
        html = await self.call(queries.step_html, self.store, job_run_id, step)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(html, set_content_type="text/html; charset=utf-8")


class CancelHandler(JobsBase):
    @api_verb
    async def post(self, job_run_id: str) -> None:
        self.write_model(await self.call(commands.cancel, self.store, job_run_id, self.user))


class PromotionHandler(JobsBase):
    @api_verb
    async def get(self, name: str) -> None:
        query = self.query_model(PromotionQuery)
        self.write_model(await self.call(queries.gate_report, self.store, name, query.to))


class PromoteHandler(JobsBase):
    @api_verb
    async def post(self, name: str) -> None:
        body = self.body_model(PromoteStageRequest)
        result = await self.call(
            commands.promote_stage, self.store, name, body.to, self.user, body.expected_version
        )
        self.write_model(result)
        self.wake_scheduler()


class RollbackHandler(JobsBase):
    @api_verb
    async def post(self, name: str) -> None:
        body = self.body_model(RollbackRequest)
        state = await self.call(commands.rollback, self.store, name, body.stage, self.user)
        self.write_model(state)
        self.wake_scheduler()


class NotebookParametersHandler(JobsBase):
    @api_verb
    async def get(self) -> None:
        query = self.query_model(NotebookParametersQuery)
        self.write_model(await self.call(queries.notebook_parameters, self.workspace, query))
