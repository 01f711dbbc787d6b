"""The state DB rows of the reviews area as the contract's models (comments, decisions).

Shared by the store (a review's detail) and the modules that write those rows, which
import the store: here, so that neither imports the other.
"""

from __future__ import annotations

from ..identity import Identity
from .models import Comment, CommentAnchor, Decision
from .orm import ReviewCommentRow, ReviewDecisionRow


def to_comment(row: ReviewCommentRow) -> Comment:
    anchored = row.cell_id is not None or row.cell_index is not None
    return Comment(
        id=row.id,
        review_id=row.review_id,
        parent_id=row.parent_id,
        anchor=CommentAnchor(cell_id=row.cell_id, cell_index=row.cell_index) if anchored else None,
        author=Identity(username=row.author, display_name=row.author_name),
        body=row.body,
        created_at=row.created_at,
        edited_at=row.edited_at,
        resolved=row.resolved,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
    )


def to_decision(row: ReviewDecisionRow) -> Decision:
    return Decision(
        id=row.id,
        review_id=row.review_id,
        reviewer=Identity(
            username=row.reviewer,
            display_name=row.reviewer_name,
            source=row.reviewer_source,  # type: ignore[arg-type]
        ),
        decision=row.decision,  # type: ignore[arg-type]
        note=row.note,
        created_at=row.created_at,
    )
