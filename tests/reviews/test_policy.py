"""Who reviews which model: per-model rules over the server's defaults, and reviewers
named by group, resolved by what the server installs (the Hub, in the team service)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jupyter_mlops.errors import Invalid
from jupyter_mlops.reviews import policy
from jupyter_mlops.reviews.models import ReviewRules
from jupyter_mlops.reviews.policy import ReviewPolicy

DEFAULT = ReviewRules(reviewers=["bob"], approvals_required=1, alias="champion")


@pytest.fixture
def groups() -> Iterator[dict[str, frozenset[str]]]:
    """Group membership as a server would resolve it (a Hub's groups in the service)."""
    known: dict[str, frozenset[str]] = {"oncology": frozenset({"Carol", "dave"})}
    policy.use(lambda name: known.get(name, frozenset()))
    yield known
    policy.use(None)


def test_an_exact_name_wins_then_the_first_glob_then_the_defaults(
    groups: dict[str, frozenset[str]],
) -> None:
    rules = ReviewPolicy(
        DEFAULT,
        {
            "tumor*": {"reviewers": ["group:oncology"], "approvals_required": 2},
            "tumor-v2": {"alias": "prod"},
            "tum*": {"approvals_required": 3},
        },
    )
    assert rules.rules_for("tumor-v2") == DEFAULT.model_copy(update={"alias": "prod"})
    assert rules.rules_for("tumor-small").approvals_required == 2
    assert rules.rules_for("tumult").approvals_required == 3
    assert rules.rules_for("cancer") == DEFAULT


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        ({"approvals_required": 0}, "approvals_required"),
        ({"reviewer": ["x"]}, "reviewer"),
        ("bob", "review rules of model 'm'"),
    ],
)
def test_bad_rules_are_refused_naming_the_model(override: object, problem: str) -> None:
    with pytest.raises(Invalid, match="review rules of model 'm'") as refused:
        ReviewPolicy(DEFAULT, {"m": override})  # type: ignore[dict-item]
    assert problem in str(refused.value)


def test_a_group_reviews_through_its_members_now(groups: dict[str, frozenset[str]]) -> None:
    rules = ReviewRules(reviewers=["group:oncology", "erin"])
    assert rules.may_review("carol", "alice")  # usernames compare as everywhere
    assert rules.may_review("erin", "alice")
    assert not rules.may_review("bob", "alice")
    assert not rules.may_review("dave", "dave")  # never one's own review
    groups["oncology"] = frozenset({"bob"})  # membership changed: it counts at once
    assert rules.may_review("bob", "alice") and not rules.may_review("carol", "alice")


def test_without_a_resolver_a_group_reviewer_is_refused_saying_why() -> None:
    with pytest.raises(Invalid, match="groups are known only to the team service"):
        ReviewRules(reviewers=["group:oncology"]).may_review("carol", "alice")
    # a server refuses such rules when it starts, not when someone decides
    with pytest.raises(Invalid, match="review rules of model 'tumor' name group:oncology"):
        ReviewPolicy(DEFAULT, {"tumor": {"reviewers": ["group:oncology"]}})


def test_a_group_that_cannot_be_known_now_fails_only_the_decision() -> None:
    """The Hub down: deciding says so; a list of reviews waiting for someone skips it."""

    def hub_down(name: str) -> frozenset[str]:
        raise Invalid(f"the Hub could not be asked who is in group {name!r}")

    policy.use(hub_down)
    try:
        rules = ReviewRules(reviewers=["group:oncology", "erin"])
        with pytest.raises(Invalid, match="could not be asked"):
            rules.may_review("carol", "alice")
        assert not rules.may_review_or_not("carol", "alice")
        assert rules.may_review_or_not("erin", "alice")  # named: the Hub is not asked
    finally:
        policy.use(None)
