"""Who acts, and how we know: the one username rule of every area.

Every place that names a user (review requests, comments, decisions, alert
acknowledgements, job definitions and promotions, the audit trails) goes through
:func:`check_username`, and compares two names with :func:`same_user`:

- a username is at most 200 characters, not blank, not padded with spaces;
- it has no control or format characters (NUL, bidi overrides, zero-width joiners) and
  no markup (``<`` ``>`` ``&`` quotes and backticks);
- it is stored in Unicode NFKC form and compared after NFKC and case folding, so ``ROOT``
  is ``root``, and a full-width ``root`` is ``root`` too;
- a name mixing scripts with look-alike letters (a Cyrillic o inside a Latin
  ``root``) is refused, as TR39's confusable detection does it (``confusable_homoglyphs``).

How an actor was established is recorded beside the name (:data:`ActorSource`):
``authenticated`` when the Jupyter server vouched for the request's user, ``asserted``
when a kernel or the CLI named itself (its ``JUPYTERHUB_USER``, its OS user or a ``by=``
argument). Whether asserted decisions count is the workspace's
``require_authenticated_decisions`` setting.
"""

from __future__ import annotations

import getpass
import os
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .errors import Invalid

ActorSource = Literal["authenticated", "asserted"]
AUTHENTICATED: ActorSource = "authenticated"
ASSERTED: ActorSource = "asserted"
MAX_USERNAME_CHARS = 200
_MARKUP = frozenset("<>&\"'`")


class Identity(BaseModel):
    """Who acts: the Jupyter server's ``current_user`` (or the kernel's user in Python).

    ``anonymous`` marks jupyter-server's token-only users, a new one per request: they may
    read but not write (a comment or an approval needs a person). ``source`` says how the
    user was established: ``authenticated`` by the Jupyter server, or ``asserted`` by a
    kernel or the CLI (None where nothing was recorded, as for comment authors).
    """

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=200)
    display_name: str = Field(default="", max_length=200)
    anonymous: bool = False
    source: ActorSource | None = None

    @field_validator("username")
    @classmethod
    def _no_blank(cls, value: str) -> str:
        if not value.strip() or value != value.strip():
            raise ValueError("a username must not be blank or padded with spaces")
        return value

    @property
    def shown(self) -> str:
        """The name to show: the display name, else the username."""
        return self.display_name or self.username


def check_username(name: object, what: str = "user") -> str:
    """``name`` as a stored username (NFKC), or Invalid saying what is wrong with it."""
    if not isinstance(name, str):
        raise Invalid(f"{what} must be a username (text), not {type(name).__name__}")
    shown = ascii(name)
    if not name.strip():
        raise Invalid(f"{what} must not be blank")
    if name != name.strip():
        raise Invalid(f"{what} {shown} must not be padded with spaces")
    normal = unicodedata.normalize("NFKC", name)
    if len(normal) > MAX_USERNAME_CHARS:
        raise Invalid(f"{what} is longer than {MAX_USERNAME_CHARS} characters")
    bad = [c for c in normal if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn")]
    if bad:
        raise Invalid(f"{what} {shown} has control or invisible characters")
    if any(c in _MARKUP for c in normal):
        raise Invalid(f"{what} {shown} has markup characters (< > & quotes or backticks)")
    if _confusable(normal):
        raise Invalid(
            f"{what} {shown} mixes scripts with look-alike letters (e.g. a Cyrillic o "
            "in a Latin name); write it in one script"
        )
    return normal


def user_key(name: str) -> str:
    """The form two usernames are compared in: NFKC, case folded (and NFKC again)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def same_user(a: str, b: str) -> bool:
    """Whether two usernames name one user (Unicode normalization and case ignored)."""
    return user_key(a) == user_key(b)


def current_author() -> str:
    """Who a kernel or the CLI acts as: its Jupyter (Hub) user, else the OS user.

    This is an assertion, not an authentication: it is recorded as ``asserted``.
    """
    return check_username(os.environ.get("JUPYTERHUB_USER") or getpass.getuser())


def _confusable(name: str) -> bool:
    from confusable_homoglyphs import confusables

    return bool(confusables.is_dangerous(name))


class Actor(str):
    """A username that knows how it was established.

    It is a ``str``, so it travels through every core function that takes ``by: str``
    unchanged; the stores read its :attr:`source` where they record an action
    (:func:`source_of`). A plain string is always ``asserted``: only the server's base
    handler makes an ``authenticated`` Actor, from the user jupyter-server authenticated.
    """

    source: ActorSource

    def __new__(cls, name: str, source: ActorSource = ASSERTED) -> Actor:
        actor = super().__new__(cls, check_username(name))
        actor.source = source
        return actor


def source_of(by: str) -> ActorSource:
    """How the actor ``by`` was established (a plain string is asserted)."""
    return by.source if isinstance(by, Actor) else ASSERTED


def asserted(by: str | None) -> Actor:
    """The actor a kernel or the CLI names: ``by``, else :func:`current_author`, checked
    and always recorded as asserted (whatever ``by`` claims)."""
    return Actor(current_author() if by is None else str(by), ASSERTED)
