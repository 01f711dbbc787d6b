"""Threaded comments on a review: anchored to a cell of the run's notebook or to the
whole review; edited by their author only; a thread resolved by its starter or by the
review's author. Bodies are stored exactly as written (the panel renders them as text).
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from .. import db
from ..errors import Forbidden, Invalid, NotFound
from ..identity import same_user
from ..state import now
from .models import Comment, CommentAnchor, Identity
from .orm import ReviewCommentRow
from .rows import to_comment
from .store import ReviewStore, add_event, check_text, require_person, review_row


def add(
    store: ReviewStore,
    review_id: int,
    by: Identity,
    body: str,
    *,
    anchor: CommentAnchor | None = None,
    parent_id: int | None = None,
) -> Comment:
    """Add a comment (``parent_id``: a reply, which takes its thread's anchor)."""
    require_person(by, "comment")
    check_text(body, "a comment")
    with db.session_scope(store.url) as session:
        review = review_row(session, review_id)
        if parent_id is not None:
            parent = comment_row(session, parent_id)
            if parent.review_id != review.id:
                raise Invalid(
                    f"comment {parent_id} belongs to review {parent.review_id}, not {review_id}"
                )
            cell_id, cell_index = parent.cell_id, parent.cell_index
        else:
            cell_id = anchor.cell_id if anchor else None
            cell_index = anchor.cell_index if anchor else None
        row = ReviewCommentRow(
            review_id=review.id,
            parent_id=parent_id,
            cell_id=cell_id,
            cell_index=cell_index,
            author=by.username,
            author_name=by.shown,
            body=body,
            created_at=now(),
            resolved=False,
        )
        session.add(row)
        session.flush()
        action = "reply" if parent_id is not None else "comment"
        add_event(session, review.id, by, action, _where(row))
        return to_comment(row)


def reply(store: ReviewStore, comment_id: int, by: Identity, body: str) -> Comment:
    """Reply in the thread of ``comment_id`` (in that comment's review)."""
    with db.session_scope(store.url) as session:
        review_id = comment_row(session, comment_id).review_id
    return add(store, review_id, by, body, parent_id=comment_id)


def edit(store: ReviewStore, comment_id: int, by: Identity, body: str) -> Comment:
    """Change the text of one's own comment (Forbidden for anyone else's)."""
    require_person(by, "edit a comment")
    check_text(body, "a comment")
    with db.session_scope(store.url) as session:
        row = comment_row(session, comment_id)
        if not same_user(row.author, by.username):
            raise Forbidden(f"comment {comment_id} is {row.author}'s: only they can edit it")
        before = row.body
        session.execute(
            update(ReviewCommentRow)
            .where(ReviewCommentRow.id == comment_id, ReviewCommentRow.author == row.author)
            .values(body=body, edited_at=now())
            .execution_options(synchronize_session=False)
        )
        session.refresh(row)
        add_event(session, row.review_id, by, "edit-comment", {**_where(row), "before": before})
        return to_comment(row)


def resolve(store: ReviewStore, comment_id: int, by: Identity, resolved: bool = True) -> Comment:
    """Resolve (or reopen) the thread of ``comment_id``: its first comment carries the flag.
    Allowed to the thread's starter and to the review's author."""
    require_person(by, "resolve a comment")
    with db.session_scope(store.url) as session:
        row = comment_row(session, comment_id)
        while row.parent_id is not None:
            row = comment_row(session, row.parent_id)
        review = review_row(session, row.review_id)
        if not any(same_user(by.username, u) for u in (row.author, review.requested_by)):
            raise Forbidden(
                f"only {row.author}, who started the thread, or {review.requested_by}, who "
                f"requested review {review.id}, can resolve comment {row.id}"
            )
        row.resolved = resolved
        row.resolved_by = by.username if resolved else None
        row.resolved_at = now() if resolved else None
        session.flush()
        action = "resolve" if resolved else "unresolve"
        add_event(session, row.review_id, by, action, _where(row))
        return to_comment(row)


def comment_row(session: Session, comment_id: int) -> ReviewCommentRow:
    row = session.get(ReviewCommentRow, comment_id)
    if row is None:
        raise NotFound(f"no review comment {comment_id}")
    return row


def _where(row: ReviewCommentRow) -> dict[str, int | str | None]:
    return {
        "comment": row.id,
        "parent": row.parent_id,
        "cell_id": row.cell_id,
        "cell_index": row.cell_index,
    }
