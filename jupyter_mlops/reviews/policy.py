"""Who reviews which model: the server's review rules, per model, and reviewers by group.

A server (the team service, or a single-user server) has default rules and may give a
model, or a glob of model names, rules of its own (``MlopsApp.review_model_rules``): an
exact name first, then the first glob that matches, in the order given. The rules are
recorded on each review when it is requested, so changing them later does not change
the reviews already open.

A reviewer is a username, or ``group:NAME``: every member of group ``NAME`` at the time
of the decision. Membership comes from the resolver the server installs (:func:`use`): on
JupyterHub, the Hub's groups (``server/hub.py``), so the team manages reviewers where it
manages users, and someone who leaves the group stops being a reviewer at once. Without a
resolver (a single-user server, a kernel) a group reviewer is refused with a message
saying so.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..contract import validation_message
from ..errors import Invalid

if TYPE_CHECKING:
    from .models import ReviewRules

GROUP_PREFIX = "group:"
_ONLY_THE_SERVICE = (
    "groups are known only to the team service on JupyterHub (docs/team.md); name "
    "reviewers by username here"
)
Members = Callable[[str], frozenset[str]]

_resolver: Members | None = None


def use(resolver: Members | None) -> None:
    """Resolve ``group:NAME`` reviewers with ``resolver`` (NAME → usernames), or not."""
    global _resolver
    _resolver = resolver


def group_of(reviewer: str) -> str | None:
    """The group a reviewer entry names (``group:NAME``), or None for a username."""
    return reviewer[len(GROUP_PREFIX) :] if reviewer.startswith(GROUP_PREFIX) else None


def members(group: str) -> frozenset[str]:
    """The usernames in ``group`` now; Invalid when no resolver is installed."""
    if _resolver is None:
        raise Invalid(f"review rules name the group {group!r}, and {_ONLY_THE_SERVICE}")
    return _resolver(group)


class ReviewPolicy:
    """The rules a server records on each review it opens, chosen by the model's name."""

    def __init__(self, default: ReviewRules, by_model: Mapping[str, Mapping[str, Any]]) -> None:
        from .models import ReviewRules  # (models imports this module)

        self.default = default
        self.by_model: dict[str, ReviewRules] = {}
        _check_groups_known("the default review rules", default)
        for pattern, override in by_model.items():
            try:
                merged = {**default.model_dump(), **dict(override)}
                self.by_model[pattern] = ReviewRules.model_validate(merged)
            except (ValidationError, TypeError, ValueError) as exc:
                problem = validation_message(exc) if isinstance(exc, ValidationError) else exc
                raise Invalid(f"review rules of model {pattern!r}: {problem}") from exc
            _check_groups_known(f"review rules of model {pattern!r}", self.by_model[pattern])

    def rules_for(self, model: str) -> ReviewRules:
        """The rules of a review of ``model``."""
        if model in self.by_model:
            return self.by_model[model]
        for pattern, rules in self.by_model.items():
            if fnmatch.fnmatchcase(model, pattern):
                return rules
        return self.default


def _check_groups_known(what: str, rules: ReviewRules) -> None:
    """Refuse, at a server's start, rules naming a group when no resolver is installed."""
    groups = [r for r in rules.reviewers if group_of(r) is not None]
    if groups and _resolver is None:
        raise Invalid(f"{what} name {', '.join(groups)}: {_ONLY_THE_SERVICE}")
