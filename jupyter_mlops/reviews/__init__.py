"""Model review: register a model from a run, request a review of a model version,
threaded cell-anchored comments, approvals under rules, and the alias move they trigger.

Core only (no Jupyter import). ``mlops.reviews.register/request/comment/reply/
edit_comment/resolve/approve/request_changes/withdraw/get/list/audit`` are the Python API
(``api.py``); the REST handlers use :class:`~jupyter_mlops.reviews.store.ReviewStore` with
``comments.py`` and ``decisions.py``; ``gates.py`` is the jobs area's prod gate.
"""

from .api import (
    alias,
    approve,
    audit,
    champion,
    comment,
    edit_comment,
    get,
    list,
    move_alias,
    register,
    reply,
    request,
    request_changes,
    resolve,
    set_alias,
    store,
    store_for,
    versions,
    withdraw,
)

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
