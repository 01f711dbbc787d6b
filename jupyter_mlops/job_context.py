"""Which job step this process runs as, from the ``JUPYTER_MLOPS_JOB_*`` variables.

The jobs area's worker starts each step's kernel with these variables; inside it, tracking
tags the MLflow runs with the job run, and ``mlops.output`` stores values on the step. A
foundation module (no area's import), so tracking reads it without importing the jobs area.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from . import tags as mlops_tags
from .errors import Invalid

JOB_ENV = "JUPYTER_MLOPS_JOB"
VERSION_ENV = "JUPYTER_MLOPS_JOB_VERSION"
STAGE_ENV = "JUPYTER_MLOPS_JOB_STAGE"
RUN_ENV = "JUPYTER_MLOPS_JOB_RUN"
STEP_ENV = "JUPYTER_MLOPS_JOB_STEP"


@dataclass(frozen=True)
class JobContext:
    """The job step this process runs as."""

    job: str
    version: int
    stage: str
    run_id: int
    step: str

    def env(self) -> dict[str, str]:
        """The environment variables that make a kernel run as this step."""
        return {
            JOB_ENV: self.job,
            VERSION_ENV: str(self.version),
            STAGE_ENV: self.stage,
            RUN_ENV: str(self.run_id),
            STEP_ENV: self.step,
        }

    def tags(self) -> dict[str, str]:
        """MLflow tags linking a run tracked in this step to the job run."""
        return {
            mlops_tags.JOB: self.job,
            mlops_tags.JOB_VERSION: str(self.version),
            mlops_tags.JOB_STAGE: self.stage,
            mlops_tags.JOB_RUN: str(self.run_id),
        }


def job_context(environ: Mapping[str, str] | None = None) -> JobContext | None:
    """The job step of this process, or None outside a job run."""
    env = os.environ if environ is None else environ
    run, step = env.get(RUN_ENV), env.get(STEP_ENV)
    if not run or not step:
        return None
    try:
        return JobContext(
            job=env.get(JOB_ENV, ""),
            version=int(env.get(VERSION_ENV) or 0),
            stage=env.get(STAGE_ENV, ""),
            run_id=int(run),
            step=step,
        )
    except ValueError as exc:
        raise Invalid(f"{RUN_ENV}/{VERSION_ENV} must be integers: {exc}") from exc


def job_tags() -> dict[str, str]:
    """The MLflow tags of a run tracked inside a job step (empty outside a job)."""
    ctx = job_context()
    return ctx.tags() if ctx else {}
