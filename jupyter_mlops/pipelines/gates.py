"""Promotion gates: what a job version must show before it moves to the next stage.

The candidate of a promotion to staging is the version dev runs; to prod, the version
staging runs (nothing is promoted into dev: new versions are). Gates, each with a reason
a person can act on:

- ``new version``: the target stage does not already run the candidate;
- ``recent runs``: the last ``spec.gates.min_successful_runs`` finished runs of the
  candidate in the lower stage all succeeded (0: nothing required);
- one gate per ``spec.gates.thresholds`` entry, read from the latest successful run of the
  candidate in the lower stage: ``source="output"`` a value a step published with
  ``mlops.output`` (``NAME``, or ``STEP.NAME`` when several steps publish one),
  ``source="mlflow"`` the latest value of a metric of the MLflow runs the run created;
- one gate per ``spec.gates.dataset_checks`` entry (``NAME`` is its latest version,
  ``NAME@vN`` / ``NAME@TAG`` one version): the dataset's checks run now and must pass;
- ``monitoring``: no open alert of a monitor with ``block_promotion:JOB`` (acknowledging
  the alerts lifts the block);
- gates of other areas, through providers (``gate_providers.py``): the model review for
  prod once the reviews area exists.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from .. import db
from ..errors import Invalid, MlopsError
from .gate_providers import gate_providers
from .models import FINISHED, JobRun, JobSpec, MetricGate, Stage
from .orm import JobRunRow, JobVersionRow
from .promotion_models import GateReport, GateResult
from .store import JobStore, check_stage, job_row, stage_row

LOWER_STAGE: dict[str, Stage] = {"staging": "dev", "prod": "staging"}
_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}


# -- the candidate -------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """What a promotion would move: ``version`` of ``job`` from ``from_stage`` into
    ``to_stage``, which now runs ``target_version`` (None: no version yet)."""

    job: str
    job_id: int
    from_stage: Stage
    to_stage: Stage
    version: int
    version_id: int
    spec: JobSpec
    target_version: int | None
    target_version_id: int | None


def lower_stage(to_stage: str) -> Stage:
    """The stage a promotion to ``to_stage`` takes its version from."""
    check_stage(to_stage)
    if to_stage not in LOWER_STAGE:
        raise Invalid("nothing is promoted to dev: create a new job version instead")
    return LOWER_STAGE[to_stage]


def candidate(store: JobStore, name: str, to_stage: str) -> Candidate:
    """The version a promotion of ``name`` to ``to_stage`` would move, and what it replaces."""
    from_stage = lower_stage(to_stage)
    with db.session_scope(store.url) as session:
        job = job_row(session, name)
        lower = stage_row(session, job.id, from_stage)
        target = stage_row(session, job.id, to_stage)
        if lower.version_id is None:
            raise Invalid(
                f"job {name!r} has no version in {from_stage} to promote to {to_stage}; "
                f"promote one to {from_stage} first"
            )
        version = session.get(JobVersionRow, lower.version_id)
        assert version is not None
        current = session.get(JobVersionRow, target.version_id) if target.version_id else None
        return Candidate(
            job=name,
            job_id=job.id,
            from_stage=from_stage,
            to_stage=to_stage,  # type: ignore[arg-type]  # checked by lower_stage
            version=version.number,
            version_id=version.id,
            spec=JobSpec.model_validate_json(version.spec),
            target_version=current.number if current else None,
            target_version_id=target.version_id,
        )


# -- evaluation ----------------------------------------------------------------------
def evaluate(store: JobStore, name: str, to_stage: str) -> GateReport:
    """Every gate a promotion of job ``name`` to ``to_stage`` has to pass, with reasons."""
    return evaluate_candidate(store, candidate(store, name, to_stage))


def evaluate_candidate(store: JobStore, cand: Candidate) -> GateReport:
    """The gate report of an already resolved candidate (see :func:`candidate`)."""
    gates = [new_version_gate(cand), recent_runs_gate(store, cand)]
    overrides = overrides_gate(store, cand)
    if overrides is not None:
        gates.append(overrides)
    if cand.spec.gates.thresholds:
        latest = latest_successful_run(store, cand)
        gates.extend(metric_gate(store, cand, gate, latest) for gate in cand.spec.gates.thresholds)
    gates.extend(dataset_gate(store, ref) for ref in cand.spec.gates.dataset_checks)
    gates.append(monitoring_gate(store, cand.job))
    gates.extend(provider_gates(store, cand))
    return GateReport(
        job=cand.job,
        from_stage=cand.from_stage,
        to_stage=cand.to_stage,
        version=cand.version,
        gates=gates,
        allowed=all(g.passed for g in gates),
    )


def overrides_gate(store: JobStore, cand: Candidate) -> GateResult | None:
    """The target stage's parameter overrides suit the candidate's notebooks (each name
    declared, each value of its type); None when the stage overrides nothing. A version
    whose notebook renamed or retyped a parameter would otherwise run in the target stage
    with the notebook's default, silently."""
    import json

    from .overrides import check_overrides

    with db.session_scope(store.url) as session:
        given = json.loads(stage_row(session, cand.job_id, cand.to_stage).parameters)
    if not given:
        return None
    name = f"{cand.to_stage} parameters"
    try:
        check_overrides(store, cand.spec, given)
    except Invalid as exc:
        return GateResult(name=name, passed=False, reason=f"v{cand.version}: {exc}")
    names = ", ".join(sorted(given))
    return GateResult(name=name, passed=True, reason=f"v{cand.version} declares {names}")


def new_version_gate(cand: Candidate) -> GateResult:
    """The target stage must not already run the candidate."""
    name, v = "new version", cand.version
    if cand.target_version == v:
        return GateResult(name=name, passed=False, reason=f"{cand.to_stage} already runs v{v}")
    if cand.target_version is None:
        reason = f"v{v} would be the first version in {cand.to_stage}"
    else:
        reason = f"v{v} would replace v{cand.target_version} in {cand.to_stage}"
    return GateResult(name=name, passed=True, reason=reason)


def _finished_runs(store: JobStore, cand: Candidate, limit: int) -> list[tuple[int, str]]:
    """(id, status) of the candidate's latest finished runs in the lower stage, newest first."""
    with db.session_scope(store.url) as session:
        rows = session.execute(
            select(JobRunRow.id, JobRunRow.status)
            .where(
                JobRunRow.job_id == cand.job_id,
                JobRunRow.stage == cand.from_stage,
                JobRunRow.version_id == cand.version_id,
                JobRunRow.status.in_(sorted(FINISHED)),
            )
            .order_by(JobRunRow.id.desc())
            .limit(limit)
        ).all()
        return [(run_id, status) for run_id, status in rows]


def recent_runs_gate(store: JobStore, cand: Candidate) -> GateResult:
    """The last N finished runs of the candidate in the lower stage all succeeded."""
    name, needed = "recent runs", cand.spec.gates.min_successful_runs
    where = f"v{cand.version} in {cand.from_stage}"
    if needed == 0:
        return GateResult(name=name, passed=True, reason="no successful runs are required")
    runs = _finished_runs(store, cand, needed)
    bad = [f"run {run_id} {status}" for run_id, status in runs if status != "succeeded"]
    if bad:
        return GateResult(
            name=name,
            passed=False,
            reason=f"{len(bad)} of the last {len(runs)} finished runs of {where} did not "
            f"succeed ({', '.join(bad)}); {needed} successful in a row are required",
        )
    if len(runs) < needed:
        return GateResult(
            name=name,
            passed=False,
            reason=f"{len(runs)} finished run(s) of {where}, all succeeded; {needed} are required",
        )
    return GateResult(
        name=name, passed=True, reason=f"the last {needed} run(s) of {where} succeeded"
    )


def latest_successful_run(store: JobStore, cand: Candidate) -> JobRun | None:
    """The newest succeeded run of the candidate in the lower stage (None if none)."""
    with db.session_scope(store.url) as session:
        run_id = session.scalar(
            select(JobRunRow.id)
            .where(
                JobRunRow.job_id == cand.job_id,
                JobRunRow.stage == cand.from_stage,
                JobRunRow.version_id == cand.version_id,
                JobRunRow.status == "succeeded",
            )
            .order_by(JobRunRow.id.desc())
            .limit(1)
        )
    return store.get_run(run_id) if run_id is not None else None


def gate_label(gate: MetricGate) -> str:
    """How a metric gate is named in the report: ``output train.accuracy >= 0.9``."""
    return f"{gate.source} {gate.name} {gate.op} {gate.value:g}"


def metric_gate(
    store: JobStore, cand: Candidate, gate: MetricGate, run: JobRun | None
) -> GateResult:
    """A threshold on a value of the latest successful run of the candidate."""
    label = gate_label(gate)
    if run is None:
        return GateResult(
            name=label,
            passed=False,
            reason=f"no successful run of v{cand.version} in {cand.from_stage} "
            f"to read {gate.name} from",
        )
    if gate.source == "output":
        value, where = output_value(run, gate.name)
    else:
        value, where = mlflow_metric(store, run, gate.name)
    if value is None:
        return GateResult(name=label, passed=False, reason=where)
    shown = f"{gate.name} = {value:g} ({where})"
    if _OPS[gate.op](value, gate.value):
        return GateResult(name=label, passed=True, reason=f"{shown} {gate.op} {gate.value:g}")
    return GateResult(name=label, passed=False, reason=f"{shown} is not {gate.op} {gate.value:g}")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def output_value(run: JobRun, name: str) -> tuple[float | None, str]:
    """The numeric output ``name`` (``NAME`` or ``STEP.NAME``) of ``run``, and where it
    came from; (None, why) when it is missing, ambiguous or not a number."""
    steps = {s.name: s for s in run.steps}
    prefix, dot, rest = name.partition(".")
    if dot and prefix in steps:
        outputs = steps[prefix].outputs
        if rest not in outputs:
            return None, f"step {prefix} of run {run.id} published no output {rest!r}"
        holders = {prefix: outputs[rest]}
    else:
        holders = {s.name: s.outputs[name] for s in run.steps if name in s.outputs}
        if not holders:
            return None, f"no step of run {run.id} published an output {name!r}"
        if len(holders) > 1:
            return None, (
                f"steps {', '.join(holders)} of run {run.id} all published {name!r}: "
                "name one as STEP.NAME"
            )
    ((step, raw),) = holders.items()
    value = _number(raw)
    if value is None:
        return None, f"output {name!r} of run {run.id} (step {step}) is {raw!r}, not a number"
    return value, f"run {run.id}, step {step}"


def mlflow_metric(store: JobStore, run: JobRun, name: str) -> tuple[float | None, str]:
    """The latest value of metric ``name`` among the MLflow runs ``run`` created, and
    which MLflow run logged it; (None, why) when none did."""
    if not run.mlflow_run_ids:
        return None, f"run {run.id} recorded no MLflow runs to read metric {name!r} from"
    from mlflow.exceptions import MlflowException

    from ..tracking.store import use_workspace

    client = use_workspace(store.ws)
    latest: tuple[int, int, float, str] | None = None
    errors = []
    for mlflow_id in run.mlflow_run_ids:
        try:
            history = client.get_metric_history(mlflow_id, name)
        except MlflowException as exc:
            errors.append(f"MLflow run {mlflow_id}: {exc.message}")
            continue
        for metric in history:
            point = (metric.timestamp, metric.step, float(metric.value), mlflow_id)
            if latest is None or point[:2] > latest[:2]:
                latest = point
    if latest is None:
        why = f"no MLflow run of run {run.id} logged metric {name!r}"
        return None, "; ".join([why, *errors])
    return latest[2], f"run {run.id}, MLflow run {latest[3]}"


def dataset_gate(store: JobStore, ref: str) -> GateResult:
    """The checks of a dataset version (``NAME`` is the latest) run now and pass."""
    from ..datasets.api import store_for

    name = f"dataset {ref}"
    try:
        report = store_for(store.ws).check(ref)
    except MlopsError as exc:
        return GateResult(name=name, passed=False, reason=str(exc))
    where = f"{report.dataset} v{report.version}"
    failed = [r for r in report.results if not r.passed]
    if not report.passed:
        why = "; ".join(f"{r.description}: {r.message}" for r in failed)
        return GateResult(name=name, passed=False, reason=f"{where} fails {why}")
    return GateResult(
        name=name, passed=True, reason=f"{where} passes its {len(report.results)} check(s)"
    )


def monitoring_gate(store: JobStore, job: str) -> GateResult:
    """No open monitoring alert asks to block ``job``'s promotion."""
    from ..monitoring.actions import promotion_blockers
    from ..monitoring.api import store_for

    blockers = promotion_blockers(store_for(store.ws), job)
    if not blockers:
        return GateResult(
            name="monitoring", passed=True, reason=f"no open alert blocks job {job!r}"
        )
    listed = "; ".join(f"alert {a.id} of monitor {a.monitor!r}: {a.message}" for a in blockers)
    return GateResult(
        name="monitoring",
        passed=False,
        reason=f"{len(blockers)} open alert(s) block job {job!r} until acknowledged: {listed}",
    )


def provider_gates(store: JobStore, cand: Candidate) -> list[GateResult]:
    """The gates other areas add (see :class:`GateProvider`); a provider that raises fails."""
    results = []
    for name, provider in gate_providers().items():
        try:
            result = provider(store, cand.job, cand.version, cand.to_stage)
        except Exception as exc:  # a broken provider must block, never let a version through
            result = GateResult(name=name, passed=False, reason=f"the gate raised {exc!r}")
        if result is not None:
            results.append(result)
    return results
