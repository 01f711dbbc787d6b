"""REST handlers of reviews: review requests, their page, comments, decisions, withdrawal,
and the model registry (list, register a run's model).

The acting user is jupyter-server's ``current_user``; the review rules are the server's
``MlopsApp.review_*`` settings, recorded on a review when it is requested. Object rules
(no self-approval, reviewers only, edit one's own comment) are the core's: it raises
Forbidden, which the base handler answers with 403.
"""

from __future__ import annotations

from ..reviews import commands, queries
from ..reviews.models import Identity, ReviewRules
from ..reviews.policy import ReviewPolicy
from ..reviews.store import ReviewStore
from ..reviews.views import (
    CommentBody,
    DecisionBody,
    EditCommentBody,
    ListReviewsQuery,
    RegisterModelBody,
    RequestReviewBody,
    ResolveBody,
    WithdrawBody,
)
from .base import MlopsHandler, api_verb


class ReviewsBase(MlopsHandler):
    """Shared accessors: the workspace's review store, who is asking, the server's rules."""

    @property
    def store(self) -> ReviewStore:
        return self.stores.reviews

    @property
    def who(self) -> Identity:
        return self.acting_identity

    def rules_for(self, model: str) -> ReviewRules:
        """The rules of this server for a review of ``model``."""
        policy = self.settings.get("mlops_review_policy")
        return policy.rules_for(model) if isinstance(policy, ReviewPolicy) else ReviewRules()


class ReviewsHandler(ReviewsBase):
    @api_verb
    async def get(self) -> None:
        query = self.query_model(ListReviewsQuery)
        self.write_model(await self.call(queries.list_reviews, self.store, query, self.who))

    @api_verb
    async def post(self) -> None:
        body = self.body_model(RequestReviewBody)
        rules = self.rules_for(body.model)
        review = await self.call(commands.request_review, self.store, body, self.who, rules)
        self.write_model(review)


class ReviewHandler(ReviewsBase):
    @api_verb
    async def get(self, review_id: str) -> None:
        self.write_model(await self.call(self.store.detail, int(review_id)))


class ReviewPageHandler(ReviewsBase):
    @api_verb
    async def get(self, review_id: str) -> None:
        self.write_model(await self.call(queries.review_page, self.store, int(review_id)))


class CommentsHandler(ReviewsBase):
    @api_verb
    async def post(self, review_id: str) -> None:
        body = self.body_model(CommentBody)
        comment = await self.call(commands.add_comment, self.store, int(review_id), body, self.who)
        self.write_model(comment)


class CommentHandler(ReviewsBase):
    @api_verb
    async def put(self, review_id: str, comment_id: str) -> None:
        body = self.body_model(EditCommentBody)
        comment = await self.call(
            commands.edit_comment, self.store, int(review_id), int(comment_id), body.body, self.who
        )
        self.write_model(comment)


class ResolveHandler(ReviewsBase):
    @api_verb
    async def post(self, review_id: str, comment_id: str) -> None:
        body = self.body_model(ResolveBody) if self.request.body else ResolveBody()
        comment = await self.call(
            commands.resolve_comment,
            self.store,
            int(review_id),
            int(comment_id),
            body.resolved,
            self.who,
        )
        self.write_model(comment)


class DecisionsHandler(ReviewsBase):
    @api_verb
    async def post(self, review_id: str) -> None:
        body = self.body_model(DecisionBody)
        self.write_model(
            await self.call(commands.decide, self.store, int(review_id), body, self.who)
        )


class WithdrawHandler(ReviewsBase):
    @api_verb
    async def post(self, review_id: str) -> None:
        body = self.body_model(WithdrawBody) if self.request.body else WithdrawBody()
        review = await self.call(self.store.withdraw, int(review_id), self.who, body.note)
        self.write_model(review)


class ModelsHandler(ReviewsBase):
    @api_verb
    async def get(self) -> None:
        self.write_model(await self.call(queries.list_models, self.store))

    @api_verb
    async def post(self) -> None:
        body = self.body_model(RegisterModelBody)
        by = self.actor("register a model")
        self.write_model(await self.call(commands.register_model, self.store, body, by))
