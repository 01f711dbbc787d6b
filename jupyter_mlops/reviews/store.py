"""Review requests in the state DB: create, read, list, withdraw, and the audit trail.

A model version has at most one open review (UNIQUE ``open_for``). Every change of a
review's state is a compare-and-set on its ``revision`` (``UPDATE … WHERE revision =
<read>``), so concurrent writers on SQLite or PostgreSQL never overwrite each other's
change; see ``decisions.py`` for approvals and ``comments.py`` for comments.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import db
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..identity import AUTHENTICATED, check_username, same_user, user_key
from ..state import StateStore, children, now
from . import registry
from .models import (
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    OPEN_STATUSES,
    Identity,
    Review,
    ReviewDetail,
    ReviewEvent,
    ReviewRules,
    ReviewStatus,
)
from .orm import ReviewDecisionRow, ReviewEventRow, ReviewRow
from .rows import to_comment, to_decision

DEFAULT_LIST_LIMIT = 200


def require_person(who: Identity, doing: str) -> None:
    """Forbidden for an anonymous user: a write needs someone to attribute it to; Invalid
    for a name the username rule refuses (``identity.check_username``)."""
    if who.anonymous:
        raise Forbidden(f"an anonymous user cannot {doing}: sign in as a named user")
    check_username(who.username)


def check_text(text: str, what: str, *, required: bool = True, limit: int = MAX_TEXT_CHARS) -> str:
    """``text`` kept as written: Invalid when blank (if required), too long or with NUL."""
    if not isinstance(text, str):
        raise Invalid(f"{what} must be text")
    if required and not text.strip():
        raise Invalid(f"{what} must not be empty")
    if len(text) > limit:
        raise Invalid(f"{what} has {len(text)} characters; at most {limit} are allowed")
    if "\0" in text:
        raise Invalid(f"{what} must not contain NUL characters")
    return text


class ReviewStore(StateStore):
    """The reviews of one workspace."""

    @property
    def strict(self) -> bool:
        """Whether only authenticated decisions count (the workspace's setting)."""
        return self.ws.require_authenticated_decisions

    def request(
        self,
        model: str,
        version: int,
        by: Identity,
        *,
        title: str = "",
        description: str = "",
        rules: ReviewRules | None = None,
    ) -> Review:
        """Open a review of ``model`` version ``version`` (it must be registered) under
        ``rules`` (default :class:`ReviewRules`); Conflict if one is already open."""
        require_person(by, "request a review")
        title = check_text(title, "title", required=False, limit=MAX_TITLE_CHARS).strip()
        description = check_text(description, "description", required=False)
        rules = rules or ReviewRules()
        if rules.alias is not None:
            registry.check_alias(rules.alias)
        info = registry.get_version(self.ws, model, version)
        at = now()
        try:
            with db.session_scope(self.url) as session:
                row = ReviewRow(
                    model_name=info.name,
                    model_version=info.version,
                    run_id=info.run_id,
                    title=title or f"Review of {info.name} v{info.version}",
                    description=description,
                    requested_by=by.username,
                    requested_by_name=by.shown,
                    status="open",
                    rules=rules.model_dump_json(),
                    open_for=open_key(info.name, info.version),
                    alias_state=None,
                    revision=0,
                    created_at=at,
                    updated_at=at,
                )
                session.add(row)
                session.flush()
                add_event(session, row.id, by, "request", {"rules": rules.model_dump()})
                return to_review(session, row, self.strict)
        except IntegrityError as exc:
            with db.session_scope(self.url) as session:
                open_id = session.scalar(
                    select(ReviewRow.id).where(ReviewRow.open_for == open_key(model, version))
                )
            raise Conflict(
                f"model {model!r} version {version} already has an open review ({open_id})"
            ) from exc

    def get(self, review_id: int) -> Review:
        with db.session_scope(self.url) as session:
            return to_review(session, review_row(session, review_id), self.strict)

    def detail(self, review_id: int) -> ReviewDetail:
        """The review with its comments, decisions and audit trail."""
        from .orm import ReviewCommentRow

        with db.session_scope(self.url) as session:
            row = review_row(session, review_id)
            comments = children(session, ReviewCommentRow.review_id, review_id, ReviewCommentRow.id)
            decisions = children(
                session, ReviewDecisionRow.review_id, review_id, ReviewDecisionRow.id
            )
            return ReviewDetail(
                review=to_review(session, row, self.strict),
                comments=[to_comment(c) for c in comments],
                decisions=[to_decision(d) for d in decisions],
                events=_events(session, review_id),
            )

    def search(
        self,
        *,
        status: Sequence[ReviewStatus] | None = None,
        model: str | None = None,
        version: int | None = None,
        requested_by: str | None = None,
        run_ids: Sequence[str] | None = None,
        limit: int = DEFAULT_LIST_LIMIT,
    ) -> list[Review]:
        """Reviews newest first, filtered by status, model (and version), author or the
        MLflow runs their versions came from."""
        if not 1 <= limit <= 1000:
            raise Invalid(f"limit must be between 1 and 1000, not {limit}")
        query = select(ReviewRow)
        if status:
            query = query.where(ReviewRow.status.in_(list(status)))
        if model is not None:
            query = query.where(ReviewRow.model_name == model)
        if version is not None:
            query = query.where(ReviewRow.model_version == version)
        if requested_by is not None:
            query = query.where(ReviewRow.requested_by == requested_by)
        if run_ids is not None:
            query = query.where(ReviewRow.run_id.in_(list(run_ids)))
        with db.session_scope(self.url) as session:
            rows = session.scalars(query.order_by(ReviewRow.id.desc()).limit(limit)).all()
            return [to_review(session, row, self.strict) for row in rows]

    def waiting_for(
        self,
        who: Identity,
        limit: int = DEFAULT_LIST_LIMIT,
        *,
        model: str | None = None,
        run_ids: Sequence[str] | None = None,
    ) -> list[Review]:
        """Open reviews ``who`` may decide on and has not decided on yet (a request for
        changes they made waits on the author, not on them), newest first; narrowed by
        ``model`` or the MLflow runs their versions came from before ``limit`` applies."""
        query = select(ReviewRow).where(ReviewRow.status.in_(sorted(OPEN_STATUSES)))
        if model is not None:
            query = query.where(ReviewRow.model_name == model)
        if run_ids is not None:
            query = query.where(ReviewRow.run_id.in_(list(run_ids)))
        with db.session_scope(self.url) as session:
            decided = set(
                session.scalars(
                    select(ReviewDecisionRow.review_id).where(
                        ReviewDecisionRow.reviewer == who.username
                    )
                )
            )
            rows = session.scalars(query.order_by(ReviewRow.id.desc())).all()
            waiting = [
                row
                for row in rows
                if row.id not in decided
                and rules_of(row).may_review_or_not(who.username, row.requested_by)
            ]
            return [to_review(session, row, self.strict) for row in waiting[:limit]]

    def withdraw(self, review_id: int, by: Identity, note: str = "") -> Review:
        """The author closes their open review (Forbidden for anyone else)."""
        require_person(by, "withdraw a review")
        check_text(note, "note", required=False)
        with db.session_scope(self.url) as session:
            row = review_row(session, review_id, lock=True)
            if not same_user(row.requested_by, by.username):
                raise Forbidden(
                    f"only {row.requested_by}, who requested review {review_id}, can withdraw it"
                )
            if row.status not in OPEN_STATUSES:
                raise Conflict(f"review {review_id} is {row.status}: it cannot be withdrawn")
            before = row.status
            compare_and_set(session, row, status="withdrawn", open_for=None)
            add_event(session, review_id, by, "withdraw", {"from": before, "note": note})
            return to_review(session, row, self.strict)

    def events(self, review_id: int) -> list[ReviewEvent]:
        """The audit trail of a review, oldest first."""
        with db.session_scope(self.url) as session:
            review_row(session, review_id)
            return _events(session, review_id)


def open_key(model: str, version: int) -> str:
    return f"{model}/{int(version)}"


def rules_of(row: ReviewRow) -> ReviewRules:
    return ReviewRules.model_validate_json(row.rules)


def review_row(session: Session, review_id: int, *, lock: bool = False) -> ReviewRow:
    """The review's row; ``lock``: held (``SELECT … FOR UPDATE``) until the transaction
    ends, so writers that insert rows referring to it and then update it queue up on a
    server database instead of deadlocking (SQLite's BEGIN IMMEDIATE already serializes)."""
    row = session.get(ReviewRow, review_id, with_for_update=lock)
    if row is None:
        raise NotFound(f"no review {review_id}")
    return row


def compare_and_set(session: Session, row: ReviewRow, **values: Any) -> None:
    """Apply ``values`` to the review only while its revision is the one read (bumped);
    Conflict when another writer changed it first (the caller's transaction rolls back)."""
    values = {**values, "revision": row.revision + 1, "updated_at": now()}
    changed = session.execute(
        update(ReviewRow)
        .where(ReviewRow.id == row.id, ReviewRow.revision == row.revision)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if not changed:
        raise Conflict(f"review {row.id} changed meanwhile: reload and try again")
    session.refresh(row)


def add_event(
    session: Session, review_id: int, by: Identity, action: str, detail: Mapping[str, Any]
) -> None:
    """Append one audit event inside the caller's transaction, with how ``by`` was
    established."""
    session.add(
        ReviewEventRow(
            review_id=review_id,
            at=now(),
            by=by.username,
            by_source=by.source,
            action=action,
            detail=json.dumps(detail, default=str),
        )
    )


def latest_decisions(
    session: Session, review_id: int, *, authenticated_only: bool = False
) -> dict[str, str]:
    """Each reviewer's latest decision on a review (the one that counts), by username.

    One reviewer is one user however the name was cased (``identity.user_key``).
    ``authenticated_only``: only decisions whose reviewer the Jupyter server authenticated
    (the workspace's ``require_authenticated_decisions``).
    """
    query = select(ReviewDecisionRow.reviewer, ReviewDecisionRow.decision).where(
        ReviewDecisionRow.review_id == review_id
    )
    if authenticated_only:
        query = query.where(ReviewDecisionRow.reviewer_source == AUTHENTICATED)
    latest: dict[str, tuple[str, str]] = {}
    for reviewer, decision in session.execute(query.order_by(ReviewDecisionRow.id)):
        latest[user_key(reviewer)] = (reviewer, decision)
    return dict(latest.values())


def to_review(session: Session, row: ReviewRow, strict: bool = False) -> Review:
    """A review row as the contract's Review; ``strict``: only authenticated decisions
    count in its approvals and requests for changes."""
    latest = latest_decisions(session, row.id, authenticated_only=strict)
    return Review(
        id=row.id,
        model=row.model_name,
        version=row.model_version,
        run_id=row.run_id,
        title=row.title,
        description=row.description,
        requested_by=Identity(username=row.requested_by, display_name=row.requested_by_name),
        status=row.status,  # type: ignore[arg-type]
        rules=rules_of(row),
        approvals=sorted(u for u, d in latest.items() if d == "approve"),
        changes_requested_by=sorted(u for u, d in latest.items() if d == "request_changes"),
        authenticated_only=strict,
        alias_state=row.alias_state,  # type: ignore[arg-type]
        revision=row.revision,
        created_at=row.created_at,
        updated_at=row.updated_at,
        approved_at=row.approved_at,
    )


def _events(session: Session, review_id: int) -> list[ReviewEvent]:
    rows = children(session, ReviewEventRow.review_id, review_id, ReviewEventRow.id)
    return [
        ReviewEvent(
            id=r.id,
            review_id=r.review_id,
            at=r.at,
            by=r.by,
            by_source=r.by_source,
            action=r.action,
            detail=json.loads(r.detail),
        )
        for r in rows
    ]
