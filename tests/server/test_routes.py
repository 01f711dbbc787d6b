"""Every route is authenticated and authorized; the committed OpenAPI copy is current."""

import json
from pathlib import Path
from typing import Any

from jupyter_mlops.server.openapi import build_openapi

VERBS = ("get", "post", "put", "patch", "delete")


def test_every_verb_of_every_route_is_authenticated_and_authorized(jp_serverapp: Any) -> None:
    from jupyter_mlops.server.base import MlopsHandler

    [app] = jp_serverapp.extension_manager.extension_apps["jupyter_mlops"]
    handlers = [h for _, h, *_ in app.handlers if issubclass(h, MlopsHandler)]
    assert len(handlers) >= 6
    for handler in handlers:
        assert handler.auth_resource == "mlops"
        for verb in VERBS:
            method = handler.__dict__.get(verb)
            if method is None:
                continue
            # @authorized wraps the verb (functools.wraps keeps __wrapped__); @authenticated
            # wraps that; so the original sits two levels down.
            assert hasattr(method, "__wrapped__"), f"{handler.__name__}.{verb} lacks auth"
            assert hasattr(method.__wrapped__, "__wrapped__"), f"{handler.__name__}.{verb}"


def test_committed_openapi_document_is_current() -> None:
    committed = Path(__file__).parents[2] / "src" / "api" / "openapi.json"
    assert json.loads(committed.read_text()) == build_openapi(), (
        "src/api/openapi.json is stale: run `npm run gen:api`"
    )
