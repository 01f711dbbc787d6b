"""The contract of promotion: gate verdicts, the report shown before promoting, the result.

A promotion moves the version of a job that runs in the stage below (dev → staging,
staging → prod) into the next stage once every gate passes; each gate says why it passed
or failed in words a person reads in the Jobs panel.
"""

from __future__ import annotations

from ..contract import StrictModel
from .models import Stage


class GateResult(StrictModel):
    """One gate's verdict on a candidate version, with the reason shown to the user."""

    name: str
    passed: bool
    reason: str


class GateReport(StrictModel):
    """Every gate between ``from_stage`` and ``to_stage`` for the candidate ``version``.

    ``allowed`` is true when every gate passed.
    """

    job: str
    from_stage: Stage
    to_stage: Stage
    version: int | None
    gates: list[GateResult]
    allowed: bool


class PromotionResult(StrictModel):
    """What a promotion changed: ``stage`` now runs ``version_to`` instead of
    ``version_from`` (None when the stage had no version), and the gates it passed."""

    job: str
    stage: Stage
    version_from: int | None
    version_to: int
    gates: list[GateResult]
