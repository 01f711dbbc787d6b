"""The views of the REST API of reviews: one function per route, over the review store.

Each takes parsed request models (``views.py``) and the acting :class:`Identity`; the
server's review rules come in as a :class:`ReviewRules` and are recorded on the review
when it is requested.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import db
from ..errors import NotFound
from . import registry
from .comments import comment_row
from .models import Identity, ReviewStatus
from .store import ReviewStore
from .views import (
    ListModelsResponse,
    ListReviewsQuery,
    ListReviewsResponse,
    RegisteredModel,
)

if TYPE_CHECKING:  # the page's models import the datasets area, and MLflow with it
    from .page_models import ReviewPage

MAX_MODELS = 1000


def list_reviews(store: ReviewStore, query: ListReviewsQuery, by: Identity) -> ListReviewsResponse:
    """A page of reviews, newest first, of the view ``query.view`` for ``by``."""
    upto = query.offset + query.limit
    if query.view == "waiting":
        found = store.waiting_for(
            by,
            upto,
            model=query.model,
            run_ids=None if query.run_id is None else [query.run_id],
        )
    else:
        status: list[ReviewStatus] | None = (
            ["open", "changes_requested"] if query.view == "open" else None
        )
        requested_by = by.username if query.view == "mine" else None
        found = store.search(
            status=status,
            model=query.model,
            requested_by=requested_by,
            run_ids=None if query.run_id is None else [query.run_id],
            limit=upto,
        )
    return ListReviewsResponse(reviews=found[query.offset : upto], offset=query.offset)


def review_page(store: ReviewStore, review_id: int) -> ReviewPage:
    """The review page of the version under review, against the alias its rules move."""
    # MLflow's client, pandas and plotly load here, not when the reviews area is imported
    from .page_builder import DEFAULT_CHAMPION_ALIAS, build_review_page

    review = store.get(review_id)
    alias = review.rules.alias or DEFAULT_CHAMPION_ALIAS
    return build_review_page(store.ws, review.model, review.version, alias)


def comment_of(store: ReviewStore, review_id: int, comment_id: int) -> None:
    """NotFound unless comment ``comment_id`` belongs to review ``review_id``."""
    with db.session_scope(store.url) as session:
        if comment_row(session, comment_id).review_id != review_id:
            raise NotFound(f"review {review_id} has no comment {comment_id}")


def list_models(store: ReviewStore) -> ListModelsResponse:
    """Every registered model with its versions and aliases."""
    from mlflow.exceptions import MlflowException

    client = registry.client(store.ws)
    try:
        found = client.search_registered_models(max_results=MAX_MODELS)
    except MlflowException as exc:
        raise registry.mlflow_error(exc, "listing registered models") from exc
    models = []
    for rm in sorted(found, key=lambda m: m.name):
        # MLflow's version search leaves aliases out; the registered model holds them
        aliases = {a: int(v) for a, v in (rm.aliases or {}).items()}
        versions = [
            v.model_copy(
                update={"aliases": sorted(a for a, n in aliases.items() if n == v.version)}
            )
            for v in registry.versions(store.ws, rm.name)
        ]
        models.append(RegisteredModel(name=rm.name, versions=versions, aliases=aliases))
    return ListModelsResponse(models=models)
