"""The ``feature_freshness`` promotion gate of jobs: the feature services a job version's
models were trained on must be fresh and consistent online before it reaches staging or
prod (``skew.py``).

The services are read from the MLflow runs of the version's newest job runs (the
``feast.feature_service`` tag a training set writes). A version that trained on no service
shows no gate. Declared as an entry point of ``jupyter_mlops.promotion_gates``.
"""

from __future__ import annotations

from ..errors import MlopsError
from ..pipelines.mlflow_runs import mlflow_runs_of
from ..pipelines.models import Stage
from ..pipelines.promotion_models import GateResult
from ..pipelines.store import JobStore
from ..tracking.store import use_workspace
from .lineage import FEAST_SERVICE_TAG
from .skew import skew_for

GATE_NAME = "features fresh and consistent"
SAMPLE = 100


def services_of_runs(store: JobStore, run_ids: list[str]) -> list[str]:
    """The feature services the MLflow runs ``run_ids`` trained on, in first-seen order."""
    if not run_ids:
        return []
    from mlflow.exceptions import MlflowException

    client = use_workspace(store.ws)
    found: dict[str, None] = {}
    for run_id in run_ids:
        try:
            service = client.get_run(run_id).data.tags.get(FEAST_SERVICE_TAG)
        except MlflowException:  # a deleted run trained on nothing we can check
            continue
        if service:
            found[service] = None
    return list(found)


def feature_freshness_gate(
    store: JobStore, job: str, version: int, to_stage: Stage
) -> GateResult | None:
    """Staging and prod: every service the version trained on passes the skew check."""
    if to_stage == "dev":
        return None
    services = services_of_runs(store, mlflow_runs_of(store, job, version))
    if not services:
        return None
    reasons, passed = [], True
    for service in services:
        try:
            report = skew_for(store.ws, service, SAMPLE)
        except MlopsError as exc:
            passed = False
            reasons.append(f"{service}: {exc}")
            continue
        passed = passed and report.passed
        reasons.append(f"{service}: {report.reason}")
    return GateResult(name=GATE_NAME, passed=passed, reason="; ".join(reasons))
