"""Review requests, comments and decisions on a real state DB and MLflow registry:
who may do what (403s leave the stored rows unchanged), approval rules, the alias move
and the audit trail."""

from __future__ import annotations

import pytest
from mlflow.tracking import MlflowClient

import jupyter_mlops as mlops
from jupyter_mlops.errors import Conflict, Forbidden, Invalid, NotFound
from jupyter_mlops.reviews import registry
from jupyter_mlops.reviews.models import MAX_TEXT_CHARS, Identity, ModelVersionInfo, ReviewRules
from jupyter_mlops.reviews.store import ReviewStore

from .conftest import ALICE, BOB, CAROL, MALLORY

TEAM = ReviewRules(reviewers=["bob", "carol"], approvals_required=1)


def test_request_get_and_list(reviews: ReviewStore, version: ModelVersionInfo) -> None:
    review = mlops.reviews.request("cancer", 1, "First model", "trained on v3", TEAM, by=ALICE)
    assert (review.model, review.version, review.run_id) == ("cancer", 1, version.run_id)
    assert (review.status, review.requested_by, review.title) == ("open", ALICE, "First model")
    with pytest.raises(Conflict, match=f"already has an open review \\({review.id}\\)"):
        mlops.reviews.request("cancer", 1, by=BOB)
    with pytest.raises(NotFound, match="model 'cancer' version 7"):
        mlops.reviews.request("cancer", 7, by=ALICE)
    with pytest.raises(Forbidden, match="anonymous"):
        mlops.reviews.request("cancer", 1, by=Identity(username="a1b2", anonymous=True))
    assert [r.id for r in mlops.reviews.list(by="alice", view="mine")] == [review.id]
    assert mlops.reviews.list(by="bob", view="mine") == []
    assert [r.id for r in mlops.reviews.list(by="bob", view="waiting")] == [review.id]
    assert mlops.reviews.list(by="mallory", view="waiting") == []  # not a reviewer
    assert mlops.reviews.list(by="alice", view="waiting") == []  # the author
    assert [r.id for r in mlops.reviews.list()] == [review.id]
    assert mlops.reviews.get(review.id).review == review
    with pytest.raises(NotFound, match="no review 99"):
        mlops.reviews.get(99)


def test_only_reviewers_other_than_the_author_decide(
    reviews: ReviewStore, version: ModelVersionInfo
) -> None:
    review = mlops.reviews.request("cancer", 1, rules=TEAM, by=ALICE)
    with pytest.raises(Forbidden, match=r"alice requested review .* cannot decide"):
        mlops.reviews.approve(review.id, by=ALICE)
    with pytest.raises(Forbidden, match=r"mallory is not a reviewer .*bob, carol"):
        mlops.reviews.approve(review.id, by=MALLORY)
    with pytest.raises(Forbidden, match="mallory is not a reviewer"):
        mlops.reviews.request_changes(review.id, "no", by=MALLORY)
    with pytest.raises(Forbidden, match="anonymous"):
        mlops.reviews.approve(review.id, by=Identity(username="bob", anonymous=True))
    detail = mlops.reviews.get(review.id)
    assert (detail.review.status, detail.decisions) == ("open", [])
    assert [e.action for e in detail.events] == ["request"]
    assert registry.champion(reviews.ws, "cancer") is None


def test_empty_reviewers_means_anyone_but_the_author(
    reviews: ReviewStore, version: ModelVersionInfo
) -> None:
    review = mlops.reviews.request("cancer", 1, rules=ReviewRules(alias=None), by=ALICE)
    with pytest.raises(Forbidden):
        mlops.reviews.approve(review.id, by="alice")
    approved = mlops.reviews.approve(review.id, by=MALLORY)
    assert (approved.status, approved.approvals, approved.alias_state) == (
        "approved",
        ["mallory"],
        None,
    )
    assert registry.champion(reviews.ws, "cancer") is None  # no alias in these rules


def test_approval_moves_the_alias_and_the_audit_says_who_what_when(
    reviews: ReviewStore, version: ModelVersionInfo, mlops_client: MlflowClient
) -> None:
    second = registry.register(reviews.ws, version.run_id or "", "cancer")
    registry.set_alias(reviews.ws, "cancer", "champion", 1)
    review = mlops.reviews.request("cancer", second.version, rules=TEAM, by=ALICE)
    approved = mlops.reviews.approve(review.id, "numbers look right", by=BOB)
    assert (approved.status, approved.approvals, approved.alias_state) == (
        "approved",
        ["bob"],
        "moved",
    )
    assert approved.approved_at is not None
    assert mlops_client.get_model_version_by_alias("cancer", "champion").version in (2, "2")
    events = mlops.reviews.audit(review.id)
    assert [(e.action, e.by) for e in events] == [
        ("request", "alice"),
        ("approve", "bob"),
        ("status", "bob"),
        ("alias-moved", "bob"),
    ]
    assert events[1].detail == {"note": "numbers look right"}
    assert events[2].detail == {"from": "open", "to": "approved", "approvals": ["bob"]}
    assert events[3].detail == {
        "alias": "champion",
        "model": "cancer",
        "from_version": 1,
        "to_version": 2,
    }
    assert all(e.at >= review.created_at for e in events)
    # approved is final: a later approval is recorded, a request for changes is refused
    again = mlops.reviews.approve(review.id, by=CAROL)
    assert (again.status, again.approvals) == ("approved", ["bob", "carol"])
    with pytest.raises(Conflict, match="already approved"):
        mlops.reviews.request_changes(review.id, "too late", by=BOB)
    assert [e.action for e in mlops.reviews.audit(review.id)].count("alias-moved") == 1
    # the version may be reviewed again (the approved review is closed)
    assert mlops.reviews.request("cancer", 2, by=ALICE).id != review.id


def test_two_approvals_need_two_distinct_reviewers(
    reviews: ReviewStore, version: ModelVersionInfo
) -> None:
    rules = ReviewRules(reviewers=["bob", "carol", "dave"], approvals_required=2)
    review = mlops.reviews.request("cancer", 1, rules=rules, by=ALICE)
    once = mlops.reviews.approve(review.id, by=BOB)
    twice = mlops.reviews.approve(review.id, by=BOB)  # the same reviewer again
    assert (once.status, twice.status, twice.approvals) == ("open", "open", ["bob"])
    assert registry.champion(reviews.ws, "cancer") is None
    done = mlops.reviews.approve(review.id, by=CAROL)
    assert (done.status, done.approvals) == ("approved", ["bob", "carol"])
    champion = registry.champion(reviews.ws, "cancer")
    assert champion is not None and champion.version == 1


def test_the_latest_decision_of_each_reviewer_counts(
    reviews: ReviewStore, version: ModelVersionInfo
) -> None:
    rules = ReviewRules(reviewers=["bob", "carol"], approvals_required=1)
    review = mlops.reviews.request("cancer", 1, rules=rules, by=ALICE)
    with pytest.raises(Invalid, match="the note must not be empty"):
        mlops.reviews.request_changes(review.id, "  ", by=BOB)
    changes = mlops.reviews.request_changes(review.id, "drop the leaky feature", by=BOB)
    assert (changes.status, changes.changes_requested_by) == ("changes_requested", ["bob"])
    # carol's approval does not outweigh bob's outstanding request for changes
    blocked = mlops.reviews.approve(review.id, by=CAROL)
    assert (blocked.status, blocked.approvals) == ("changes_requested", ["carol"])
    assert mlops.reviews.list(by="bob", view="waiting") == []  # bob waits on alice
    assert registry.champion(reviews.ws, "cancer") is None
    approved = mlops.reviews.approve(review.id, "fixed", by=BOB)
    assert (approved.status, approved.changes_requested_by) == ("approved", [])
    decisions = mlops.reviews.get(review.id).decisions
    assert [(d.reviewer.username, d.decision) for d in decisions] == [
        ("bob", "request_changes"),
        ("carol", "approve"),
        ("bob", "approve"),
    ]
    statuses = [e.detail["to"] for e in mlops.reviews.audit(review.id) if e.action == "status"]
    assert statuses == ["changes_requested", "approved"]


def test_withdraw_is_the_author_s_and_closes_the_review(
    reviews: ReviewStore, version: ModelVersionInfo
) -> None:
    review = mlops.reviews.request("cancer", 1, rules=TEAM, by=ALICE)
    with pytest.raises(Forbidden, match="only alice"):
        mlops.reviews.withdraw(review.id, by=BOB)
    assert mlops.reviews.withdraw(review.id, "wrong version", by=ALICE).status == "withdrawn"
    with pytest.raises(Conflict, match="withdrawn"):
        mlops.reviews.approve(review.id, by=BOB)
    assert mlops.reviews.list(by="bob", view="waiting") == []


def test_threaded_anchored_comments_edit_and_resolve(
    reviews: ReviewStore, version: ModelVersionInfo
) -> None:
    review = mlops.reviews.request("cancer", 1, rules=TEAM, by=ALICE)
    general = mlops.reviews.comment(review.id, "Looks promising", by=BOB)
    on_cell = mlops.reviews.comment(review.id, "Why this seed?", cell="a1b2-c3", by=CAROL)
    by_index = mlops.reviews.comment(review.id, "typo", cell=4, by=BOB)
    reply = mlops.reviews.reply(on_cell.id, "Reproducibility", by=ALICE)
    assert general.anchor is None and general.author == BOB
    assert on_cell.anchor is not None and on_cell.anchor.cell_id == "a1b2-c3"
    assert by_index.anchor is not None and by_index.anchor.cell_index == 4
    assert (reply.parent_id, reply.anchor) == (on_cell.id, on_cell.anchor)
    with pytest.raises(NotFound, match="no review comment 999"):
        mlops.reviews.reply(999, "into the void", by=BOB)

    with pytest.raises(Forbidden, match="carol's: only they can edit it"):
        mlops.reviews.edit_comment(on_cell.id, "rewritten by bob", by=BOB)
    kept = mlops.reviews.get(review.id).comments[1]
    assert (kept.body, kept.edited_at) == ("Why this seed?", None)
    edited = mlops.reviews.edit_comment(on_cell.id, "Why seed 42?", by=CAROL)
    assert edited.body == "Why seed 42?" and edited.edited_at is not None

    with pytest.raises(Forbidden, match="only carol, who started the thread, or alice"):
        mlops.reviews.resolve(on_cell.id, by=BOB)
    resolved = mlops.reviews.resolve(reply.id, by=ALICE)  # the review's author, via a reply
    assert (resolved.id, resolved.resolved, resolved.resolved_by) == (on_cell.id, True, "alice")
    assert mlops.reviews.resolve(on_cell.id, False, by=CAROL).resolved is False

    detail = mlops.reviews.get(review.id)
    assert [c.id for c in detail.comments] == [general.id, on_cell.id, by_index.id, reply.id]
    assert [e.action for e in detail.events] == [
        "request",
        "comment",
        "comment",
        "comment",
        "reply",
        "edit-comment",
        "resolve",
        "unresolve",
    ]
    assert detail.events[5].detail["before"] == "Why this seed?"


def test_comment_text_is_checked_and_stored_verbatim(
    reviews: ReviewStore, version: ModelVersionInfo
) -> None:
    review = mlops.reviews.request("cancer", 1, rules=TEAM, by=ALICE)
    for empty in ("", "   \n\t"):
        with pytest.raises(Invalid, match="a comment must not be empty"):
            mlops.reviews.comment(review.id, empty, by=BOB)
    with pytest.raises(Invalid, match=f"at most {MAX_TEXT_CHARS}"):
        mlops.reviews.comment(review.id, "x" * (MAX_TEXT_CHARS + 1), by=BOB)
    with pytest.raises(Invalid, match="neither a cell id nor a cell index"):
        mlops.reviews.comment(review.id, "bad anchor", cell="../../etc", by=BOB)
    with pytest.raises(NotFound, match="no review 99"):
        mlops.reviews.comment(99, "lost", by=BOB)
    html = '<img src=x onerror="alert(1)"><script>alert("x")</script> & &amp; \u202e'
    stored = mlops.reviews.comment(review.id, html, by=BOB)
    assert mlops.reviews.get(review.id).comments[0].body == html == stored.body
    assert len(mlops.reviews.get(review.id).comments) == 1  # the refused ones left nothing


def test_a_failed_alias_move_is_audited_and_can_be_retried(
    reviews: ReviewStore, version: ModelVersionInfo, mlops_client: MlflowClient
) -> None:
    review = mlops.reviews.request("cancer", 1, rules=TEAM, by=ALICE)
    mlops_client.delete_model_version("cancer", "1")  # gone from the registry meanwhile
    approved = mlops.reviews.approve(review.id, by=BOB)
    assert (approved.status, approved.alias_state) == ("approved", "failed")
    failed = mlops.reviews.audit(review.id)[-1]
    assert (failed.action, failed.by, failed.detail["alias"]) == (
        "alias-move-failed",
        "bob",
        "champion",
    )
    assert "cancer" in failed.detail["error"]
    assert mlops.reviews.move_alias(review.id, by=ALICE).alias_state == "failed"
    assert [e.action for e in mlops.reviews.audit(review.id)].count("alias-move-failed") == 2


def test_waiting_filters_by_model_and_run_before_the_page_is_cut(
    reviews: ReviewStore, version: ModelVersionInfo, model_run: str
) -> None:
    """The model and run filters of the ``waiting`` view narrow the store's query: an old
    waiting review is found behind more newer ones than the page holds."""
    from jupyter_mlops.reviews.queries import list_reviews
    from jupyter_mlops.reviews.views import ListReviewsQuery

    from .conftest import log_model_run

    old = mlops.reviews.request("cancer", version.version, rules=TEAM, by=ALICE)
    other_run = log_model_run(name="other")
    newer = []
    for _ in range(3):
        busy = registry.register(reviews.ws, other_run, "busy")
        newer.append(mlops.reviews.request("busy", busy.version, rules=TEAM, by=ALICE).id)
    assert [r.id for r in reviews.waiting_for(BOB, 2)] == newer[::-1][:2]

    def waiting(**query: object) -> list[int]:
        page = list_reviews(reviews, ListReviewsQuery(view="waiting", limit=2, **query), BOB)
        return [r.id for r in page.reviews]

    assert waiting() == newer[::-1][:2]
    assert waiting(model="cancer") == [old.id]
    assert waiting(run_id=model_run) == [old.id]
    assert waiting(model="busy", run_id=model_run) == []
    assert waiting(model="busy", offset=2) == [newer[0]]
    assert [r.id for r in mlops.reviews.list("waiting", model="cancer", by=BOB, limit=2)] == [
        old.id
    ]
    assert reviews.waiting_for(CAROL, 1, model="cancer", run_ids=[model_run]) == [old]
