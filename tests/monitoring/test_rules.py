"""Threshold rules and alert actions: parsing, checking, evaluation."""

from __future__ import annotations

import pytest

from jupyter_mlops.errors import Invalid
from jupyter_mlops.monitoring.models import Rule
from jupyter_mlops.monitoring.rules import breaches, parse_action, parse_rule, parse_rules


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("drifted_share >= 0.3", "drifted_share >= 0.3"),
        ("drifted_share>=.3", "drifted_share >= 0.3"),
        ("  accuracy <0.8 ", "accuracy < 0.8"),
        ("rmse > 12.5", "rmse > 12.5"),
        ("r2 < -1", "r2 < -1"),
        ("drifted_columns > 4", "drifted_columns > 4"),
        ("dataset_drift", "dataset_drift"),
    ],
)
def test_rules_parse_to_a_canonical_text(text: str, canonical: str) -> None:
    assert parse_rule(text).text == canonical


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("drifted_share >= 1.5", "lies between 0 and 1"),
        ("accuracy < -0.1", "lies between 0 and 1"),
        ("rmse > -1", "is never negative"),
        ("r2 > 2", "at most 1"),
        ("drifted_share >= nan", "finite number"),
        ("drifted_share >= x", "'x' is not a number"),
        ("drifted_share == 0.3", "is not of the form"),
        ("loss > 1", "known metrics are"),
        ("", "is not of the form"),
    ],
)
def test_bad_rules_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        parse_rule(text)


def test_rules_fire_on_the_values_they_name() -> None:
    rules = parse_rules(["drifted_share >= 0.5", "accuracy < 0.8", "dataset_drift"])
    assert rules is not None
    fired = breaches(rules, {"drifted_share": 0.5, "accuracy": None, "dataset_drift": 1.0})
    assert [(r.text, v) for r, v in fired] == [
        ("drifted_share >= 0.5", 0.5),
        ("dataset_drift", 1.0),
    ]
    assert breaches(rules, {"drifted_share": None, "dataset_drift": 0.0}) == []
    assert parse_rules(["accuracy < 0.8", "accuracy<0.8"]) == [
        Rule(metric="accuracy", op="<", value=0.8)
    ]
    assert parse_rules(None) is None


def test_actions() -> None:
    assert parse_action("run_job:retrain").text == "run_job:retrain"
    assert parse_action("block_promotion:serve-model").job == "serve-model"
    for bad, message in (("run_job", "write run_job:JOB"), ("run_job:a/b", "not a job name")):
        with pytest.raises(Invalid, match=message):
            parse_action(bad)
