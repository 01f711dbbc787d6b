"""What the Reviews panel and the REST API ask to change: request a review, comment,
reply, edit and resolve, decide, register a run's model. The acting user comes from the
server (an :class:`~jupyter_mlops.identity.Identity`); reads are in ``queries.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Invalid
from . import comments, decisions, registry
from .models import Comment, Identity, ModelVersionInfo, Review, ReviewRules
from .queries import comment_of
from .store import ReviewStore
from .views import (
    CommentBody,
    DecisionBody,
    RegisterModelBody,
    RequestReviewBody,
)

if TYPE_CHECKING:  # the page's models import the datasets area, and MLflow with it
    pass


def request_review(
    store: ReviewStore, body: RequestReviewBody, by: Identity, rules: ReviewRules
) -> Review:
    return store.request(
        body.model, body.version, by, title=body.title, description=body.description, rules=rules
    )


def add_comment(store: ReviewStore, review_id: int, body: CommentBody, by: Identity) -> Comment:
    if body.parent_id is not None and body.anchor is not None:
        raise Invalid("a reply takes its thread's cell: give parent_id or anchor, not both")
    return comments.add(
        store, review_id, by, body.body, anchor=body.anchor, parent_id=body.parent_id
    )


def edit_comment(
    store: ReviewStore, review_id: int, comment_id: int, body: str, by: Identity
) -> Comment:
    comment_of(store, review_id, comment_id)
    return comments.edit(store, comment_id, by, body)


def resolve_comment(
    store: ReviewStore, review_id: int, comment_id: int, resolved: bool, by: Identity
) -> Comment:
    comment_of(store, review_id, comment_id)
    return comments.resolve(store, comment_id, by, resolved)


def decide(store: ReviewStore, review_id: int, body: DecisionBody, by: Identity) -> Review:
    return decisions.decide(store, review_id, by, body.decision, body.note)


def register_model(store: ReviewStore, body: RegisterModelBody, by: str) -> ModelVersionInfo:
    return registry.register(store.ws, body.run_id, body.name, body.artifact_path, by)
