"""``%mlops register`` and ``%mlops review request|list|show|comment|approve|changes``: the
magic twin of ``mlops.reviews``.

The acting user is the one the kernel runs for (the Jupyter (Hub) user, else the OS user).
Each command ends with a small HTML table and a plain-text twin, like the jobs magics.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from IPython.display import display

from ..rendering import table_bundle, utc_text
from ..reviews import api as reviews
from ..reviews.models import Comment, ModelVersionInfo, Review, ReviewDetail, ReviewEvent

REVIEW_COMMANDS = frozenset({"register", "review"})
VIEWS = ("open", "mine", "waiting", "all")


def add_review_commands(sub: Any) -> None:
    """Add ``register`` and ``review …`` to the ``%mlops`` parser's sub-parsers."""
    register = sub.add_parser("register", help="register a run's model in MLflow's registry")
    register.add_argument("run_id")
    register.add_argument("--name", required=True, help="registered model name")
    register.add_argument("--artifact-path", help="the run's model, when it logged several")
    review = sub.add_parser("review", help="model reviews: request, list, comment, decide")
    actions = review.add_subparsers(dest="action", required=True)
    request = actions.add_parser("request", help="request a review of a model version")
    request.add_argument("model")
    request.add_argument("version", type=int)
    request.add_argument("--title", default="")
    request.add_argument("--description", default="")
    listing = actions.add_parser("list", help="reviews, newest first")
    listing.add_argument("--view", default="open", choices=VIEWS)
    listing.add_argument("--model", help="one model's reviews")
    show = actions.add_parser("show", help="a review with its comments and audit trail")
    show.add_argument("review_id", type=int)
    comment = actions.add_parser("comment", help="comment on a review or one of its cells")
    comment.add_argument("review_id", type=int)
    comment.add_argument("text")
    comment.add_argument("--cell", help="the cell: its index (a number) or its id")
    approve = actions.add_parser("approve", help="approve a review")
    approve.add_argument("review_id", type=int)
    approve.add_argument("--note", default="")
    changes = actions.add_parser("changes", help="request changes, saying which")
    changes.add_argument("review_id", type=int)
    changes.add_argument("--note", required=True)


def _cell(text: str | None) -> str | int | None:
    return int(text) if text is not None and text.isdigit() else text


def review_command(args: argparse.Namespace) -> None:
    """Run one parsed ``register`` or ``review`` sub-command and display its result."""
    if args.command == "register":
        info = reviews.register(args.run_id, args.name, args.artifact_path)
        display(versions_bundle([info], f"registered {info.name} v{info.version}"), raw=True)
        if info.notebook_note:  # whether the review page has a frozen copy of the notebook
            print(f"notebook: {info.notebook_note}")
        return
    action = args.action
    if action == "request":
        review = reviews.request(args.model, args.version, args.title, args.description)
        display(reviews_bundle([review], f"review {review.id} requested"), raw=True)
    elif action == "list":
        found = reviews.list(args.view, model=args.model)
        display(reviews_bundle(found, f"{len(found)} reviews ({args.view})"), raw=True)
    elif action == "show":
        display(detail_bundle(reviews.get(args.review_id)), raw=True)
    elif action == "comment":
        made = reviews.comment(args.review_id, args.text, _cell(args.cell))
        print(f"comment {made.id} on review {made.review_id} {_where(made)}")
    elif action == "approve":
        review = reviews.approve(args.review_id, args.note)
        display(reviews_bundle([review], f"review {review.id}: {review.status}"), raw=True)
    elif action == "changes":
        review = reviews.request_changes(args.review_id, args.note)
        display(reviews_bundle([review], f"review {review.id}: {review.status}"), raw=True)


# -- rendering -------------------------------------------------------------------------------
def _where(comment: Comment) -> str:
    anchor = comment.anchor
    if anchor is None:
        return "(whole review)"
    if anchor.cell_id is not None:
        return f"(cell {anchor.cell_id})"
    return f"(cell {anchor.cell_index})"


def reviews_bundle(found: Sequence[Review], title: str) -> dict[str, Any]:
    rows = [
        [
            str(r.id),
            f"{r.model} v{r.version}",
            r.title,
            r.requested_by.shown,
            r.status,
            f"{len(r.approvals)}/{r.rules.approvals_required}",
            f"{r.rules.alias or '—'}: {r.alias_state or '—'}",
            utc_text(r.created_at),
        ]
        for r in found
    ]
    head = ["review", "model", "title", "requested by", "status", "approvals", "alias", "created"]
    return table_bundle(title, head, rows)


def versions_bundle(found: Sequence[ModelVersionInfo], title: str) -> dict[str, Any]:
    rows = [
        [v.name, f"v{v.version}", v.run_id or "—", ", ".join(v.aliases) or "—", v.source]
        for v in found
    ]
    return table_bundle(title, ["model", "version", "run", "aliases", "source"], rows)


def _who(name: str, source: str | None) -> str:
    """A name with how it was established: authenticated by the server, or asserted by a
    kernel or the CLI (nothing where it was not recorded)."""
    return f"{name} ({source})" if source else name


def _note(event: ReviewEvent) -> str:
    """The note of a decision or a withdrawal (in the comment column), else nothing."""
    note = event.detail.get("note")
    return " ".join(note.split())[:200] if isinstance(note, str) else ""


def detail_bundle(detail: ReviewDetail) -> dict[str, Any]:
    r = detail.review
    title = f"review {r.id} of {r.model} v{r.version}: {r.status} — {r.title}"
    # ordered by the full timestamps: the shown ones stop at the second, and comments and
    # events of one second would otherwise come out comments first
    timed = [
        (c.created_at, [c.author.shown, _where(c), c.body[:200], "resolved" if c.resolved else ""])
        for c in detail.comments
    ]
    timed += [
        (e.at, [_who(e.by, e.by_source), e.action, _note(e), ""])
        for e in detail.events
        if e.action not in ("comment", "reply")
    ]
    timed.sort(key=lambda pair: pair[0])
    rows = [[utc_text(at), *row] for at, row in timed]
    return table_bundle(title, ["when", "who", "what", "comment", ""], rows)
