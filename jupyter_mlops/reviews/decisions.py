"""Decisions on a review (approve / request changes) and what follows from them.

Each reviewer's latest decision counts. A review is ``approved`` once at least
``approvals_required`` distinct reviewers' latest decision is approve and none is
request_changes; ``changes_requested`` while any is. Approved is final: a later approval is
recorded (and changes nothing), a request for changes is refused; withdrawn takes nothing.

A decision and the status it leads to are written in one transaction that locks the
review's row first and ends in a compare-and-set on its revision; a writer that lost the
race retries on the new state, so concurrent decisions are all recorded and only one of
them approves (on SQLite and PostgreSQL alike). That one
marks the alias move ``pending`` in the same transaction, then moves the alias in MLflow's
registry and records ``alias-moved`` (once, by compare-and-set on the state) or
``alias-move-failed``; :func:`move_alias` retries a move left pending or failed.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import update

from .. import db
from ..errors import Conflict, Forbidden, MlopsError
from ..identity import same_user
from ..state import now
from . import registry
from .models import (
    OPEN_STATUSES,
    DecisionKind,
    Identity,
    Review,
    ReviewRules,
    ReviewStatus,
)
from .orm import ReviewDecisionRow, ReviewRow
from .store import (
    ReviewStore,
    add_event,
    check_text,
    compare_and_set,
    latest_decisions,
    require_person,
    review_row,
    rules_of,
)

_RACE_RETRIES = 20


def verdict(latest: Mapping[str, str], rules: ReviewRules) -> ReviewStatus:
    """The status the reviewers' latest decisions give an open review."""
    if any(d == "request_changes" for d in latest.values()):
        return "changes_requested"
    approvals = sum(1 for d in latest.values() if d == "approve")
    return "approved" if approvals >= rules.approvals_required else "open"


def decide(
    store: ReviewStore, review_id: int, by: Identity, decision: DecisionKind, note: str = ""
) -> Review:
    """Record ``by``'s decision on a review and apply its consequences (see the module)."""
    require_person(by, "approve or request changes")
    check_text(note, "the note", required=decision == "request_changes")
    for _ in range(_RACE_RETRIES):
        try:
            approved_now = _record(store, review_id, by, decision, note)
        except _LostRace:
            continue
        if approved_now:
            return move_alias(store, review_id, by)
        return store.get(review_id)
    raise Conflict(f"review {review_id} is being changed by too many people at once; retry")


class _LostRace(Exception):
    """Another writer changed the review between our read and our compare-and-set."""


def _record(
    store: ReviewStore, review_id: int, by: Identity, decision: DecisionKind, note: str
) -> bool:
    """One attempt: the decision, the new status and their events; True when it approved."""
    with db.session_scope(store.url) as session:
        row = review_row(session, review_id, lock=True)
        _check_allowed(row, by, decision)
        session.add(
            ReviewDecisionRow(
                review_id=row.id,
                reviewer=by.username,
                reviewer_name=by.shown,
                decision=decision,
                note=note,
                created_at=now(),
                reviewer_source=by.source,
            )
        )
        session.flush()
        strict = store.ws.require_authenticated_decisions
        latest = latest_decisions(session, row.id, authenticated_only=strict)
        rules = rules_of(row)
        before = row.status
        after = before if before == "approved" else verdict(latest, rules)
        approved_now = before != "approved" and after == "approved"
        values: dict[str, object] = {"status": after}
        if approved_now:
            values.update(open_for=None, approved_at=now())
            values["alias_state"] = "pending" if rules.alias else None
        try:
            compare_and_set(session, row, **values)
        except Conflict as exc:
            raise _LostRace from exc
        action = "approve" if decision == "approve" else "request-changes"
        add_event(session, row.id, by, action, {"note": note})
        if after != before:
            approvals = sorted(u for u, d in latest.items() if d == "approve")
            detail = {"from": before, "to": after, "approvals": approvals}
            add_event(session, row.id, by, "status", detail)
        return approved_now


def _check_allowed(row: ReviewRow, by: Identity, decision: DecisionKind) -> None:
    rules = rules_of(row)
    if same_user(by.username, row.requested_by):
        raise Forbidden(f"{by.username} requested review {row.id} and cannot decide on it")
    if not rules.may_review(by.username, row.requested_by):
        raise Forbidden(
            f"{by.username} is not a reviewer of review {row.id} "
            f"(reviewers: {', '.join(rules.reviewers)})"
        )
    if row.status == "withdrawn":
        raise Conflict(f"review {row.id} was withdrawn")
    if row.status not in OPEN_STATUSES and decision == "request_changes":
        raise Conflict(
            f"review {row.id} is already {row.status}; request a new review of the next version"
        )


def move_alias(store: ReviewStore, review_id: int, by: Identity) -> Review:
    """Move the rules' alias to the approved version if that is still to do (idempotent)."""
    with db.session_scope(store.url) as session:
        row = review_row(session, review_id)
        alias = rules_of(row).alias
        done = row.status != "approved" or alias is None or row.alias_state == "moved"
        model, version = row.model_name, row.model_version
    if done or alias is None:
        return store.get(review_id)
    try:
        previous = registry.get_alias(store.ws, model, alias)
        registry.set_alias(store.ws, model, alias, version)
    except MlopsError as exc:
        _alias_outcome(store, review_id, by, "failed", {"alias": alias, "error": str(exc)})
        return store.get(review_id)
    detail = {
        "alias": alias,
        "model": model,
        "from_version": previous.version if previous else None,
        "to_version": version,
    }
    _alias_outcome(store, review_id, by, "moved", detail)
    return store.get(review_id)


def _alias_outcome(
    store: ReviewStore, review_id: int, by: Identity, state: str, detail: Mapping[str, object]
) -> None:
    """Record the move's outcome once: only the writer that changes the state audits it."""
    with db.session_scope(store.url) as session:
        changed = session.execute(
            update(ReviewRow)
            .where(ReviewRow.id == review_id, ReviewRow.alias_state.in_(["pending", "failed"]))
            .values(alias_state=state, revision=ReviewRow.revision + 1, updated_at=now())
        ).rowcount  # type: ignore[attr-defined]
        if changed:
            action = "alias-moved" if state == "moved" else "alias-move-failed"
            add_event(session, review_id, by, action, detail)
