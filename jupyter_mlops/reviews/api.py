"""The Python API of reviews, ``mlops.reviews.*`` (this module).

``register`` a run's model in MLflow's registry, ``request`` a review of a version, read
its ``page``, ``comment`` / ``reply`` / ``edit_comment`` / ``resolve``, ``approve`` /
``request_changes``, then ``get``, ``list`` and ``audit``. ``by`` is who acts: an
:class:`Identity` (the server passes jupyter-server's ``current_user``), a username, or None
for the Jupyter (Hub) user the kernel runs for, else the OS user.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Literal

from ..errors import Invalid
from ..identity import ASSERTED, asserted
from ..remote import active as team_mode
from ..remote import refuse_by
from ..state import current_store, store_of
from ..workspace import Workspace

# The package re-exports this module's names, so ``mlops.reviews.store`` is the function
# below, not the submodule of that name: the submodule is imported here, before the package
# binds the function over it. (The page is built by ``page_builder``: no submodule is named
# ``page``, so it can load on first use without shadowing ``mlops.reviews.page``.)
from . import comments, decisions, queries, registry
from . import remote as service
from .models import (
    Comment,
    CommentAnchor,
    Identity,
    ModelVersionInfo,
    Review,
    ReviewDetail,
    ReviewEvent,
    ReviewRules,
    ReviewStatus,
)
from .store import ReviewStore

if TYPE_CHECKING:  # the page's models import the datasets area, and MLflow with it
    from .page_models import ReviewPage

__all__ = [
    "alias",
    "approve",
    "audit",
    "champion",
    "comment",
    "edit_comment",
    "get",
    "list",
    "move_alias",
    "page",
    "register",
    "reply",
    "request",
    "request_changes",
    "resolve",
    "set_alias",
    "store",
    "store_for",
    "versions",
    "withdraw",
]

Who = Identity | str | None
ListView = Literal["all", "open", "mine", "waiting"]


def store_for(ws: Workspace) -> ReviewStore:
    """The review store of ``ws`` (one per workspace and process: ``state.store_of``)."""
    return store_of(ReviewStore, ws)


def store() -> ReviewStore:
    """The review store of the current workspace."""
    return current_store(ReviewStore)


def _team(by: object) -> bool:
    """Whether this call goes to the team service (where ``by=`` is refused)."""
    refuse_by(by)
    return team_mode()


def identity(by: Who) -> Identity:
    """``by`` as an Identity (a username, or None for the current user), recorded as
    asserted: the Python API is a kernel's or a script's own claim, whatever ``by`` says."""
    if isinstance(by, Identity):
        return by.model_copy(update={"source": ASSERTED})
    name = asserted(by)  # the one username rule: Invalid naming what is wrong
    return Identity(username=str(name), source=ASSERTED)


def _anchor(cell: str | int | CommentAnchor | None) -> CommentAnchor | None:
    if cell is None or isinstance(cell, CommentAnchor):
        return cell
    try:
        if isinstance(cell, bool):
            raise ValueError("a bool is no cell")
        if isinstance(cell, int):
            return CommentAnchor(cell_index=cell)
        return CommentAnchor(cell_id=cell)
    except ValueError as exc:
        raise Invalid(f"cell {cell!r} is neither a cell id nor a cell index") from exc


# -- registry ------------------------------------------------------------------------
def register(
    run_id: str, name: str, artifact_path: str | None = None, *, by: str | None = None
) -> ModelVersionInfo:
    """Register the model MLflow run ``run_id`` logged as a new version of model ``name``
    (recorded as registered by ``by``, else the kernel's user: asserted)."""
    if _team(by):
        return service.register(run_id, name, artifact_path)
    return registry.register(store().ws, run_id, name, artifact_path, asserted(by))


def versions(name: str) -> builtins.list[ModelVersionInfo]:
    """The versions of registered model ``name``, newest first."""
    return registry.versions(store().ws, name)


def set_alias(name: str, alias: str, version: int) -> ModelVersionInfo:
    """Point ``alias`` of model ``name`` at ``version``."""
    return registry.set_alias(store().ws, name, alias, version)


def alias(name: str, alias: str) -> ModelVersionInfo | None:
    """The version ``alias`` of model ``name`` points at, if any."""
    return registry.get_alias(store().ws, name, alias)


def champion(name: str, alias: str = registry.DEFAULT_ALIAS) -> ModelVersionInfo | None:
    """The current champion of model ``name`` (the version its ``alias`` points at)."""
    return registry.champion(store().ws, name, alias)


# -- reviews -------------------------------------------------------------------------
def request(
    model: str,
    version: int,
    title: str = "",
    description: str = "",
    rules: ReviewRules | None = None,
    *,
    by: Who = None,
) -> Review:
    """Request a review of version ``version`` of registered model ``model``."""
    if _team(by):
        if rules is not None:
            raise Invalid("rules= is refused in team mode: the service's review rules apply")
        return service.request(model, version, title, description)
    return store().request(
        model, version, identity(by), title=title, description=description, rules=rules
    )


def comment(
    review_id: int, body: str, cell: str | int | CommentAnchor | None = None, *, by: Who = None
) -> Comment:
    """Comment on a review: on a cell (its id, or its index) or on the whole review."""
    if _team(by):
        return service.comment(review_id, body, _anchor(cell))
    return comments.add(store(), review_id, identity(by), body, anchor=_anchor(cell))


def reply(comment_id: int, body: str, *, by: Who = None) -> Comment:
    """Reply in the thread of ``comment_id``."""
    if _team(by):
        raise service.not_served("reviews.reply")
    return comments.reply(store(), comment_id, identity(by), body)


def edit_comment(comment_id: int, body: str, *, by: Who = None) -> Comment:
    """Change the text of one's own comment."""
    if _team(by):
        raise service.not_served("reviews.edit_comment")
    return comments.edit(store(), comment_id, identity(by), body)


def resolve(comment_id: int, resolved: bool = True, *, by: Who = None) -> Comment:
    """Resolve (or, with ``resolved=False``, reopen) the thread of ``comment_id``."""
    if _team(by):
        raise service.not_served("reviews.resolve")
    return comments.resolve(store(), comment_id, identity(by), resolved)


def approve(review_id: int, note: str = "", *, by: Who = None) -> Review:
    """Approve a review as a reviewer; the alias moves when the rules are met."""
    if _team(by):
        return service.decide(review_id, "approve", note)
    return decisions.decide(store(), review_id, identity(by), "approve", note)


def request_changes(review_id: int, note: str, *, by: Who = None) -> Review:
    """Ask for changes, saying which in ``note``."""
    if _team(by):
        return service.decide(review_id, "request_changes", note)
    return decisions.decide(store(), review_id, identity(by), "request_changes", note)


def withdraw(review_id: int, note: str = "", *, by: Who = None) -> Review:
    """Close one's own open review."""
    if _team(by):
        return service.withdraw(review_id, note)
    return store().withdraw(review_id, identity(by), note)


def move_alias(review_id: int, *, by: Who = None) -> Review:
    """Retry the alias move of an approved review whose move failed."""
    if _team(by):
        raise service.not_served("reviews.move_alias")
    return decisions.move_alias(store(), review_id, identity(by))


def page(review_id: int) -> ReviewPage:
    """The review page of review ``review_id``: its version against the version holding the
    alias its rules move (``champion`` when they move none), as ``GET
    /mlops/api/reviews/{id}/page`` gives it."""
    if team_mode():
        return service.page(review_id)
    return queries.review_page(store(), review_id)


def get(review_id: int) -> ReviewDetail:
    """A review with its comments, decisions and audit trail."""
    if team_mode():
        return service.get(review_id)
    return store().detail(review_id)


def list(
    view: ListView = "open",
    *,
    model: str | None = None,
    status: builtins.list[ReviewStatus] | None = None,
    by: Who = None,
    limit: int = 200,
) -> builtins.list[Review]:
    """Reviews newest first: ``open`` ones, ``mine`` (requested by ``by``), ``waiting``
    for ``by``'s decision, or ``all``; narrowed by ``model`` and ``status``."""
    if _team(by):
        if status is not None:
            raise service.not_served("reviews.list(status=…)")
        return service.search(view, model, limit)
    s = store()
    if view == "waiting":
        return s.waiting_for(identity(by), limit, model=model)
    if view not in ("all", "open", "mine"):
        raise Invalid(f"view must be one of all, open, mine, waiting, not {view!r}")
    if view == "open" and status is None:
        status = ["open", "changes_requested"]
    requested_by = identity(by).username if view == "mine" else None
    return s.search(status=status, model=model, requested_by=requested_by, limit=limit)


def audit(review_id: int) -> builtins.list[ReviewEvent]:
    """Who did what, when, on a review (oldest first)."""
    if team_mode():
        return service.get(review_id).events
    return store().events(review_id)
