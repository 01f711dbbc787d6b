"""The one error hierarchy of jupyter-mlops.

Core code raises these; every surface maps them the same way (the REST base handler to
404/400/409/403 with a JSON message, magics to a one-line message, the CLI to exit code 2).
"""

from __future__ import annotations


class MlopsError(Exception):
    """Base of every error the product raises on purpose. ``str(err)`` is the user message."""

    status = 500


class NotFound(MlopsError):
    """A named thing (run, experiment, dataset, job...) does not exist."""

    status = 404


class Invalid(MlopsError):
    """Input is malformed: a bad filter, an out-of-range page size, an unknown option."""

    status = 400


class Conflict(MlopsError):
    """The request is valid but clashes with the current state (e.g. a racing promotion)."""

    status = 409


class Forbidden(MlopsError):
    """The caller is identified but may not do this (e.g. approving their own model)."""

    status = 403


class Corrupt(Conflict):
    """Stored bytes no longer match their content hash: never hand them out."""


class StorageError(MlopsError):
    """The store could not take the bytes (a full disk, a quota, a refused write); what was
    being saved is named, and nothing of it was stored."""

    status = 507
