"""Serving: a registered model answering requests at a stable local address.

An endpoint runs MLflow's own scoring server (``mlflow models serve``) for the model version
its alias names, behind a router that follows the alias (blue/green: the new version is
started and healthy before traffic moves, and the old one is drained before it stops), says
which version gave every answer, and writes every answered request to an inference log.

- ``refs.py``: ``NAME@ALIAS`` and ``NAME/VERSION``;
- ``scoring.py``: one scoring-server process of one model version;
- ``endpoint.py``: an endpoint's arm, its alias watch and its switch;
- ``inference_log.py``: the log, its durable tail and its Parquet segments;
- ``router.py``: the ASGI app in front (invocations as a plain ASGI handler, the rest Starlette);
- ``serve.py``: an endpoint served headless (``jupyter mlops serve``);
- ``rollout.py``: a challenger beside the champion (shadow or canary) and its rules;
- ``kserve.py``: a model (and an endpoint's canary) as a KServe InferenceService;
- ``api.py``: ``mlops.serving.deploy/stop/log/export_kserve``.
"""

# the package is ``mlops.serving`` itself (it shares its name), so it shows the API's names
from .api import *  # noqa: F403
from .api import __all__  # noqa: F401
