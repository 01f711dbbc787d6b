"""Who decided, and how we know: the username rule on every review write, decisions and
audit events that record whether their actor was authenticated or asserted, and the
workspace setting under which only authenticated approvals count."""

from __future__ import annotations

import dataclasses

import pytest

import jupyter_mlops as mlops
from jupyter_mlops.errors import Forbidden, Invalid
from jupyter_mlops.reviews import decisions, registry
from jupyter_mlops.reviews.models import Identity, ModelVersionInfo, ReviewRules
from jupyter_mlops.reviews.store import ReviewStore

ROOT = Identity(username="root", display_name="Root")
BOB_SIGNED_IN = Identity(username="bob", source="authenticated")


def test_self_approval_is_refused_whatever_the_case(
    reviews: ReviewStore, version: ModelVersionInfo
) -> None:
    review = mlops.reviews.request("cancer", 1, by=ROOT)
    for alias in ("ROOT", "Root", "\uff52\uff4f\uff4f\uff54"):
        with pytest.raises(Forbidden, match="cannot decide"):
            mlops.reviews.approve(review.id, by=alias)
    rules = ReviewRules(reviewers=["Bob"])
    assert rules.may_review("BOB", "alice") and not rules.may_review("ALICE", "alice")
    assert mlops.reviews.get(review.id).decisions == []


@pytest.mark.parametrize(
    "name", ["<img src=x onerror=alert(1)>", "bob\x00", "r\u043e\u043et", " bob", ""]
)
def test_hostile_names_are_refused_on_every_write(
    reviews: ReviewStore, version: ModelVersionInfo, name: str
) -> None:
    with pytest.raises(Invalid):
        mlops.reviews.request("cancer", 1, by=name)
    review = mlops.reviews.request("cancer", 1, by=ROOT)
    for write in (
        lambda: mlops.reviews.approve(review.id, by=name),
        lambda: mlops.reviews.comment(review.id, "hi", by=name),
        lambda: mlops.reviews.request_changes(review.id, "no", by=name),
    ):
        with pytest.raises(Invalid):
            write()
    detail = mlops.reviews.get(review.id)
    assert (detail.decisions, detail.comments, len(detail.events)) == ([], [], 1)


def test_the_python_api_records_its_actor_as_asserted(
    reviews: ReviewStore, version: ModelVersionInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = mlops.reviews.request("cancer", 1, by=ROOT)
    monkeypatch.setenv("JUPYTERHUB_USER", "bob")  # what any kernel can set
    mlops.reviews.approve(review.id)
    # an Identity claiming authentication is still the kernel's own claim
    claimed = Identity(username="carol", source="authenticated")
    mlops.reviews.comment(review.id, "looks good", by=claimed)
    detail = mlops.reviews.get(review.id)
    assert [(d.reviewer.username, d.reviewer.source) for d in detail.decisions] == [
        ("bob", "asserted")
    ]
    assert {(e.by, e.by_source) for e in detail.events} == {
        ("root", "asserted"),
        ("bob", "asserted"),
        ("carol", "asserted"),
    }
    # the embedded single-user default (SQLite) counts a kernel's approval
    assert detail.review.status == "approved"


def test_a_strict_workspace_counts_only_authenticated_approvals(
    reviews: ReviewStore, version: ModelVersionInfo
) -> None:
    strict = ReviewStore(dataclasses.replace(reviews.ws, require_authenticated_decisions=True))
    review = strict.request("cancer", 1, ROOT, rules=ReviewRules())
    asserted_bob = Identity(username="bob", source="asserted")
    after = decisions.decide(strict, review.id, asserted_bob, "approve")
    assert (after.status, after.approvals) == ("open", [])
    assert registry.champion(strict.ws, "cancer") is None
    # a kernel's request for changes does not block either
    decisions.decide(strict, review.id, Identity(username="carol"), "request_changes", "no")
    assert strict.get(review.id).status == "open"
    approved = decisions.decide(strict, review.id, BOB_SIGNED_IN, "approve")
    assert (approved.status, approved.approvals) == ("approved", ["bob"])
    champion = registry.champion(strict.ws, "cancer")
    assert champion is not None and champion.version == 1
    sources = [(d.reviewer.username, d.reviewer.source) for d in strict.detail(review.id).decisions]
    assert sources == [("bob", "asserted"), ("carol", None), ("bob", "authenticated")]


def test_the_setting_defaults_on_for_a_shared_state_db(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    from jupyter_mlops.workspace import REQUIRE_AUTHENTICATED_ENV, resolve_workspace

    assert resolve_workspace(str(tmp_path)).require_authenticated_decisions is False
    monkeypatch.setenv("JUPYTER_MLOPS_STATE_DB_URL", "postgresql://db.invalid/mlops")
    assert resolve_workspace(str(tmp_path)).require_authenticated_decisions is True
    monkeypatch.setenv(REQUIRE_AUTHENTICATED_ENV, "false")
    assert resolve_workspace(str(tmp_path)).require_authenticated_decisions is False
    monkeypatch.setenv(REQUIRE_AUTHENTICATED_ENV, "maybe")
    with pytest.raises(Invalid, match="true or false"):
        resolve_workspace(str(tmp_path))
