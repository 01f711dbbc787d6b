"""Model review: register a model from a run, request a review of a model version,
threaded cell-anchored comments, approvals under rules, and the alias move they trigger.

Core only (no Jupyter import). ``mlops.reviews.register/request/page/comment/reply/
edit_comment/resolve/approve/request_changes/withdraw/get/list/audit`` are the Python API
(``api.py``); the REST handlers use :class:`~jupyter_mlops.reviews.store.ReviewStore` with
``comments.py`` and ``decisions.py``; ``gates.py`` is the jobs area's prod gate.
"""

# the package is ``mlops.reviews`` itself (it shares its name), so it shows the API's names
from .api import *  # noqa: F403
from .api import __all__  # noqa: F401
