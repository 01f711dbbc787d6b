"""The contract of the reviews area: identities, rules, reviews, comments, decisions, audit.

Rules (:class:`ReviewRules`) are recorded on a review when it is requested, so every
server sharing the state DB judges that review by the same rules.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from pydantic import Field, model_validator

from ..contract import StrictModel, UtcDateTime
from ..errors import Invalid
from ..identity import ActorSource, same_user, user_key
from ..identity import Identity as Identity  # the reviews contract names it too
from .policy import group_of, members

log = logging.getLogger(__name__)

ReviewStatus = Literal["open", "approved", "changes_requested", "withdrawn"]
OPEN_STATUSES: frozenset[str] = frozenset({"open", "changes_requested"})
DecisionKind = Literal["approve", "request_changes"]
AliasState = Literal["pending", "moved", "failed"]
MAX_TEXT_CHARS = 10_000  # a comment, a decision note or a review description
MAX_TITLE_CHARS = 200
CELL_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"  # nbformat 4.5 cell ids


class ReviewRules(StrictModel):
    """How a review gets approved.

    ``reviewers``: the usernames allowed to approve or request changes, or ``group:NAME``
    for the members of a Hub group (``policy.py``); empty means any identified user except
    the review's author. ``approvals_required``: how many distinct
    reviewers must currently approve (each reviewer's latest decision counts, and any
    outstanding request for changes blocks approval). ``alias``: the registry alias moved
    to the version once approved (None: no alias is moved).
    """

    reviewers: list[str] = Field(default_factory=list)
    approvals_required: int = Field(default=1, ge=1, le=50)
    alias: str | None = Field(default="champion", min_length=1, max_length=255)

    def may_review(self, username: str, author: str) -> bool:
        """Whether ``username`` may decide on a review requested by ``author``."""
        if same_user(username, author):
            return False
        if not self.reviewers:
            return True
        who = user_key(username)
        named, groups = set(), []
        for reviewer in self.reviewers:
            group = group_of(reviewer)
            if group is None:
                named.add(user_key(reviewer))
            else:
                groups.append(group)
        if who in named:
            return True  # no group asked about
        return any(who in {user_key(name) for name in members(g)} for g in groups)

    def may_review_or_not(self, username: str, author: str) -> bool:
        """``may_review``, a group whose members cannot be known now counting as not
        naming ``username`` (logged): a list of reviews waiting for someone never fails
        for one review's group."""
        try:
            return self.may_review(username, author)
        except Invalid as exc:
            log.warning("review rules not evaluated for %s: %s", username, exc)
            return False


class CommentAnchor(StrictModel):
    """Where a comment points: a cell of the run's notebook by id and/or index."""

    cell_id: str | None = Field(default=None, pattern=CELL_ID_PATTERN)
    cell_index: int | None = Field(default=None, ge=0, le=100_000)

    @model_validator(mode="after")
    def _one_given(self) -> CommentAnchor:
        if self.cell_id is None and self.cell_index is None:
            raise ValueError("an anchor names a cell_id or a cell_index")
        return self


class Review(StrictModel):
    """A review request of one model version, with its current verdict."""

    id: int
    model: str
    version: int
    run_id: str | None  # the MLflow run the version was registered from
    title: str
    description: str
    requested_by: Identity
    status: ReviewStatus
    rules: ReviewRules
    approvals: list[str]  # reviewers whose latest decision is approve
    changes_requested_by: list[str]  # reviewers whose latest decision is request_changes
    # the workspace's require_authenticated_decisions: only signed-in decisions count above
    authenticated_only: bool = False
    alias_state: AliasState | None  # of the alias move on approval
    revision: int  # bumped by every state change (compare-and-set)
    created_at: UtcDateTime
    updated_at: UtcDateTime
    approved_at: UtcDateTime | None


class Comment(StrictModel):
    """One comment; ``parent_id`` None starts a thread, anchored or on the whole review.
    ``body`` is the raw text as written (the panel renders it as text)."""

    id: int
    review_id: int
    parent_id: int | None
    anchor: CommentAnchor | None
    author: Identity
    body: str
    created_at: UtcDateTime
    edited_at: UtcDateTime | None
    resolved: bool
    resolved_by: str | None
    resolved_at: UtcDateTime | None


class Decision(StrictModel):
    id: int
    review_id: int
    reviewer: Identity
    decision: DecisionKind
    note: str
    created_at: UtcDateTime


class ReviewEvent(StrictModel):
    """One audited action on a review: who did what, when, with details."""

    id: int
    review_id: int
    at: UtcDateTime
    by: str
    by_source: ActorSource | None = None  # None: recorded before sources were
    action: str  # request | comment | edit-comment | resolve | unresolve | approve | ...
    detail: dict[str, Any]


class ReviewDetail(StrictModel):
    """A review with its comments (oldest first), decisions and audit trail."""

    review: Review
    comments: list[Comment]
    decisions: list[Decision]
    events: list[ReviewEvent]


class ModelVersionInfo(StrictModel):
    """A version of a registered model as MLflow's registry holds it."""

    name: str
    version: int
    run_id: str | None
    model_id: str | None
    source: str
    aliases: list[str]
    created_at: UtcDateTime | None
    description: str
    # who registered it (the version tags mlops.registered_by and its _source), if recorded
    registered_by: str | None = None
    registered_by_source: ActorSource | None = None
    # set by a registration only: whether the run's notebook was frozen for the review
    # page, or why not (then the page reads the notebook file as it is now)
    notebook_note: str | None = None
