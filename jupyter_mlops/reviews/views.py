"""The REST contract of reviews: the query, request and response model of each view.

The views themselves are in ``queries.py``; the route table (``server/routes.py``) names
these models, so the OpenAPI document and the frontend's types follow them. Reviews,
comments, decisions and registry versions are the core models of ``models.py``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..contract import Id, StrictModel
from .models import (
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    CommentAnchor,
    DecisionKind,
    ModelVersionInfo,
    Review,
)

MAX_PAGE_SIZE = 500
ReviewView = Literal["open", "mine", "waiting", "all"]


class ListReviewsQuery(StrictModel):
    """Query of ``GET /mlops/api/reviews``: which reviews (``open``, ``mine``: requested by
    the signed-in user, ``waiting``: for their decision, ``all``), one model's or those of
    versions registered from one MLflow run, and a page."""

    view: ReviewView = "open"
    model: str | None = Field(default=None, min_length=1, max_length=255)
    run_id: str | None = Field(
        default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$"
    )
    offset: int = Field(default=0, ge=0, le=10_000)
    limit: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)


class ListReviewsResponse(StrictModel):
    reviews: list[Review]  # newest first
    offset: int


class RequestReviewBody(StrictModel):
    """Body of ``POST /mlops/api/reviews``: review version ``version`` of model ``model``
    under the server's review rules."""

    model: str = Field(min_length=1, max_length=255)
    version: Id
    title: str = Field(default="", max_length=MAX_TITLE_CHARS)
    description: str = Field(default="", max_length=MAX_TEXT_CHARS)


class CommentBody(StrictModel):
    """Body of ``POST /mlops/api/reviews/{id}/comments``: a comment on a cell (``anchor``),
    on the whole review, or a reply in the thread of ``parent_id``."""

    body: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    anchor: CommentAnchor | None = None
    parent_id: Id | None = None


class EditCommentBody(StrictModel):
    body: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)


class ResolveBody(StrictModel):
    """Body of ``POST …/comments/{comment_id}/resolve`` (``resolved: false`` reopens)."""

    resolved: bool = True


class DecisionBody(StrictModel):
    """Body of ``POST /mlops/api/reviews/{id}/decisions``; a request for changes needs a
    note saying which."""

    decision: DecisionKind
    note: str = Field(default="", max_length=MAX_TEXT_CHARS)


class WithdrawBody(StrictModel):
    note: str = Field(default="", max_length=MAX_TEXT_CHARS)


class RegisteredModel(StrictModel):
    """A registered model with its versions (newest first) and aliases (alias → version)."""

    name: str
    versions: list[ModelVersionInfo]
    aliases: dict[str, int]


class ListModelsResponse(StrictModel):
    models: list[RegisteredModel]  # by name


class RegisterModelBody(StrictModel):
    """Body of ``POST /mlops/api/models``: register the model MLflow run ``run_id`` logged
    as a new version of model ``name``."""

    run_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=255)
    artifact_path: str | None = Field(default=None, min_length=1, max_length=500)
