"""Reviews in team mode: the Python API's calls, sent to the team service.

Each function is the twin of one in ``api.py``, with the routes of the service's REST
API; who acts is the service's to say (from the Hub token), never an argument here.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from ..errors import Invalid
from ..remote import Call, client
from .models import Comment, CommentAnchor, ModelVersionInfo, Review, ReviewDetail
from .views import (
    CommentBody,
    DecisionBody,
    ListReviewsQuery,
    ListReviewsResponse,
    RegisterModelBody,
    RequestReviewBody,
    WithdrawBody,
)

if TYPE_CHECKING:
    from .page_models import ReviewPage

REQUEST = Call("post", "/reviews", Review, body=RequestReviewBody)
LIST = Call("get", "/reviews", ListReviewsResponse, query=ListReviewsQuery)
DETAIL = Call("get", "/reviews/{review_id}", ReviewDetail)
COMMENT = Call("post", "/reviews/{review_id}/comments", Comment, body=CommentBody)
DECIDE = Call("post", "/reviews/{review_id}/decisions", Review, body=DecisionBody)
WITHDRAW = Call("post", "/reviews/{review_id}/withdraw", Review, body=WithdrawBody)
REGISTER = Call("post", "/models", ModelVersionInfo, body=RegisterModelBody)
CALLS = (REQUEST, LIST, DETAIL, COMMENT, DECIDE, WITHDRAW, REGISTER)


def _review(review_id: int) -> dict[str, object]:
    return {"review_id": int(review_id)}


def request(model: str, version: int, title: str, description: str) -> Review:
    fields = {"model": model, "version": version, "title": title, "description": description}
    return client().send(REQUEST, **fields)


def comment(review_id: int, body: str, anchor: CommentAnchor | None) -> Comment:
    return client().send(COMMENT, _review(review_id), body=body, anchor=anchor)


def decide(review_id: int, decision: str, note: str) -> Review:
    return client().send(DECIDE, _review(review_id), decision=decision, note=note)


def withdraw(review_id: int, note: str) -> Review:
    return client().send(WITHDRAW, _review(review_id), note=note)


def get(review_id: int) -> ReviewDetail:
    return client().send(DETAIL, _review(review_id))


def search(view: str, model: str | None, limit: int) -> builtins.list[Review]:
    return client().send(LIST, view=view, model=model, limit=limit).reviews


def register(run_id: str, name: str, artifact_path: str | None) -> ModelVersionInfo:
    return client().send(REGISTER, run_id=run_id, name=name, artifact_path=artifact_path)


def page(review_id: int) -> ReviewPage:
    from .page_models import ReviewPage

    return client().send(Call("get", "/reviews/{review_id}/page", ReviewPage), _review(review_id))


def not_served(what: str) -> Invalid:
    """The error of a reviews call the service does not take from kernels yet."""
    return Invalid(f"{what} is not available from a kernel in team mode yet: use the Reviews panel")
