"""Thresholds of a monitor and the actions its alerts ask for: parsed, checked, evaluated.

A rule reads ``METRIC OP VALUE`` (``drifted_share >= 0.3``, ``accuracy < 0.8``) or the bare
``dataset_drift`` (the dataset verdict is drift). Metrics a rule may name:
- ``drifted_share`` (0 to 1), ``drifted_columns`` (a count), ``dataset_drift``;
- the quality metrics of the current data: ``accuracy``, ``precision``, ``recall``, ``f1``,
  ``roc_auc`` (0 to 1), ``mae``, ``rmse`` (at least 0), ``r2`` (at most 1).
A rule whose metric a point does not have (no verdict, no quality metrics) does not fire.

An action reads ``run_job:JOB`` or ``block_promotion:JOB``.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping

from ..errors import Invalid
from .models import Action, DriftReport, ModelQuality, Rule

PROPORTIONS = ("accuracy", "precision", "recall", "f1", "roc_auc")
ERRORS = ("mae", "rmse")
METRICS = ("drifted_share", "drifted_columns", "dataset_drift", *PROPORTIONS, *ERRORS, "r2")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")  # monitors and jobs, as datasets

_RULE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|<|>)\s*(\S+)\s*$")
_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def check_monitor_name(name: object, what: str = "monitor") -> str:
    """Monitor (and job) names: letters, digits, ``.``, ``_``, ``-``; 1–128 characters."""
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise Invalid(
            f"{name!r} is not a {what} name (letters, digits, '.', '_' and '-', "
            "starting with a letter or digit, at most 128 characters)"
        )
    return name


def parse_rule(given: str | Rule) -> Rule:
    """A rule from its text (see the module doc), checked for a known metric and a value
    the metric can take."""
    if isinstance(given, Rule):
        return _checked(given)
    if not isinstance(given, str):
        raise Invalid(f"a threshold is a text such as 'drifted_share >= 0.3', not {given!r}")
    if given.strip() == "dataset_drift":
        return Rule(metric="dataset_drift", op=">=", value=1.0)
    match = _RULE.fullmatch(given)
    if match is None:
        raise Invalid(
            f"threshold {given!r} is not of the form METRIC OP VALUE "
            "(e.g. 'drifted_share >= 0.3', 'accuracy < 0.8') or 'dataset_drift'"
        )
    metric, op, text = match.groups()
    try:
        value = float(text)
    except ValueError:
        raise Invalid(f"threshold {given!r}: {text!r} is not a number") from None
    return _checked(Rule(metric=metric, op=op, value=value))  # type: ignore[arg-type]


def _checked(rule: Rule) -> Rule:
    metric, value = rule.metric, rule.value
    if metric not in METRICS:
        raise Invalid(f"threshold on {metric!r}: known metrics are {', '.join(METRICS)}")
    if not math.isfinite(value):
        raise Invalid(f"threshold {rule.text!r}: the value must be a finite number")
    bounds = {"drifted_share": (0.0, 1.0), **{p: (0.0, 1.0) for p in PROPORTIONS}}
    if metric in bounds and not bounds[metric][0] <= value <= bounds[metric][1]:
        raise Invalid(f"threshold {rule.text!r}: {metric} lies between 0 and 1")
    if metric in (*ERRORS, "drifted_columns") and value < 0:
        raise Invalid(f"threshold {rule.text!r}: {metric} is never negative")
    if metric == "r2" and value > 1:
        raise Invalid(f"threshold {rule.text!r}: r2 is at most 1")
    if metric == "dataset_drift" and (rule.op, value) != (">=", 1.0):
        raise Invalid("the dataset_drift threshold takes no comparison: write 'dataset_drift'")
    return rule


def parse_rules(given: Iterable[str | Rule] | None) -> list[Rule] | None:
    """Rules from texts; None stays None (keep the monitor's), duplicates are dropped."""
    if given is None:
        return None
    if isinstance(given, str | Rule):
        given = [given]
    rules = [parse_rule(r) for r in given]
    return list({r.text: r for r in rules}.values())


def parse_action(given: str | Action) -> Action:
    """``run_job:JOB`` or ``block_promotion:JOB``."""
    if isinstance(given, Action):
        check_monitor_name(given.job, "job")
        return given
    if not isinstance(given, str):
        raise Invalid(f"an action is a text such as 'run_job:retrain', not {given!r}")
    kind, sep, job = given.strip().partition(":")
    if not sep or kind not in ("run_job", "block_promotion"):
        raise Invalid(f"action {given!r}: write run_job:JOB or block_promotion:JOB")
    check_monitor_name(job, "job")
    return Action(kind=kind, job=job)  # type: ignore[arg-type]


def parse_actions(given: Iterable[str | Action] | None) -> list[Action] | None:
    if given is None:
        return None
    if isinstance(given, str | Action):
        given = [given]
    actions = [parse_action(a) for a in given]
    return list({a.text: a for a in actions}.values())


def point_values(report: DriftReport, quality: ModelQuality | None) -> dict[str, float | None]:
    """The values rules are evaluated on: the drift summary, then current quality metrics."""
    dataset = report.dataset
    values: dict[str, float | None] = {
        "drifted_share": dataset.share_of_drifted_columns,
        "drifted_columns": float(dataset.number_of_drifted_columns),
        "dataset_drift": None if dataset.drifted is None else float(dataset.drifted),
    }
    if quality is not None:
        values.update({m.name: m.current for m in quality.metrics})
    return values


def breaches(rules: list[Rule], values: Mapping[str, float | None]) -> list[tuple[Rule, float]]:
    """The rules that hold for ``values``, with the value each one saw."""
    fired = []
    for rule in rules:
        value = values.get(rule.metric)
        if value is not None and _OPS[rule.op](value, rule.value):
            fired.append((rule, value))
    return fired


def describe_breach(monitor: str, rule: Rule, value: float) -> str:
    if rule.metric == "dataset_drift":
        return f"{monitor}: dataset drift detected (rule dataset_drift)"
    return f"{monitor}: {rule.metric} = {value:.4g} (rule {rule.text})"
