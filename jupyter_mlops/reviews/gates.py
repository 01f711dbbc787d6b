"""The ``model review`` promotion gate of the jobs area (prod only).

Rule: a job version may go to prod when a model version registered from one of the MLflow
runs its job runs tracked has an approved review. The gate passes naming that review (who
approved, when); otherwise it fails saying what is missing: no tracked MLflow run, no
registered model version, or the reviews still open for them. Plugged in through the
``jupyter_mlops.promotion_gates`` entry point named ``model_review`` (see
``pipelines/gate_providers.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import MlopsError
from ..pipelines.mlflow_runs import mlflow_runs_of
from ..pipelines.promotion_models import GateResult
from . import registry
from .models import Review

if TYPE_CHECKING:
    from ..pipelines.models import Stage
    from ..pipelines.store import JobStore

GATE_NAME = "model review"


def model_review_gate(
    store: JobStore, job: str, version: int, to_stage: Stage
) -> GateResult | None:
    """No gate below prod; in prod, an approved review of a model this version made."""
    if to_stage != "prod":
        return None
    from .api import store_for

    run_ids = mlflow_runs_of(store, job, version)
    where = f"v{version} of job {job!r}"
    if not run_ids:
        return _fail(f"no run of {where} tracked an MLflow run to register and review")
    reviews = store_for(store.ws).search(run_ids=run_ids, limit=1000)
    approved = [r for r in reviews if r.status == "approved"]
    if approved:
        best = approved[0]
        return GateResult(name=GATE_NAME, passed=True, reason=_approved(best))
    try:
        registered = registry.versions_of_runs(store.ws, run_ids)
    except MlopsError as exc:
        return _fail(f"the model registry could not be read: {exc}")
    if not registered:
        return _fail(
            f"no model version was registered from the MLflow runs of {where} "
            f"({len(run_ids)} run(s)): register one and request its review"
        )
    by_version = {(r.model, r.version): r for r in reviews}
    missing = []
    for mv in registered:
        review = by_version.get((mv.name, mv.version))
        if review is None:
            missing.append(f"{mv.name} v{mv.version} has no review")
        else:
            missing.append(f"{mv.name} v{mv.version}: review {review.id} is {_state(review)}")
    return _fail(f"no approved review of a model made by {where}: " + "; ".join(missing))


def _approved(review: Review) -> str:
    when = review.approved_at.strftime("%Y-%m-%d %H:%M UTC") if review.approved_at else "?"
    return (
        f"{review.model} v{review.version} approved in review {review.id} "
        f"by {', '.join(review.approvals)} on {when}"
    )


def _state(review: Review) -> str:
    if review.status == "changes_requested":
        return f"waiting on changes requested by {', '.join(review.changes_requested_by)}"
    if review.status == "open":
        need = review.rules.approvals_required
        return f"open ({len(review.approvals)} of {need} approval(s))"
    return review.status


def _fail(reason: str) -> GateResult:
    return GateResult(name=GATE_NAME, passed=False, reason=reason)
