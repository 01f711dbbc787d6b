"""Generate the OpenAPI 3.1 document of the REST API from the route table and its models.

``python -m jupyter_mlops.server.openapi > src/api/openapi.json`` refreshes the committed copy
that the frontend's TypeScript types are generated from (``npm run gen:api``); a test checks
the committed copy is current.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from .._version import __version__
from ..contract import ErrorResponse
from ..monitoring.models import DriftCheck
from ..tracking.models import RunSummary
from .routes import API_PREFIX, ROUTES, Route

REF_TEMPLATE = "#/components/schemas/{model}"
ERROR = {"$ref": REF_TEMPLATE.format(model="ErrorResponse")}
# Models that no route returns but the frontend reads: error bodies and MIME payloads
# of the magics' outputs (the `%%track` summary, the `%monitor drift` check).
EXTRA_MODELS: tuple[type[BaseModel], ...] = (ErrorResponse, RunSummary, DriftCheck)


def _query_parameters(model: type[BaseModel], schemas: dict[str, Any]) -> list[dict[str, Any]]:
    schema = schemas[model.__name__]
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": prop,
            **({"style": "form", "explode": True} if prop.get("type") == "array" else {}),
        }
        for name, prop in schema["properties"].items()
    ]


def build_openapi() -> dict[str, Any]:
    """The OpenAPI document, deterministic (sorted) so the committed copy diffs cleanly."""
    models: set[type[BaseModel]] = set(EXTRA_MODELS)
    for route in ROUTES:
        models.update(m for m in (route.response, route.query, route.body) if m is not None)
    ordered = sorted(models, key=lambda m: m.__name__)
    _, defs = models_json_schema([(m, "serialization") for m in ordered], ref_template=REF_TEMPLATE)
    schemas: dict[str, Any] = defs.get("$defs", {})
    paths: dict[str, Any] = {}
    for route in ROUTES:
        params = _query_parameters(route.query, schemas) if route.query else []
        params += [
            {"name": name, "in": "path", "required": True, "schema": param.schema()}
            for name, param in route.path_params().items()
        ]
        operation: dict[str, Any] = {
            "summary": route.summary,
            "tags": [route.tag],
            "operationId": route.method + route.handler.split(":")[1].removesuffix("Handler"),
            "parameters": params,
        }
        if route.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _ref(route.body)}},
            }
        paths.setdefault(API_PREFIX + route.path, {})[route.method] = {
            **operation,
            "responses": _responses(route),
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "jupyter-mlops", "version": __version__},
        "paths": paths,
        "components": {"schemas": dict(sorted(schemas.items()))},
    }


def _content(route: Route) -> dict[str, Any]:
    """The success body: the response model as JSON, a text document (an HTML report, a
    log), or a JSON document with no model of ours (an executed notebook)."""
    if route.response is None:
        kind = "object" if route.media_type == "application/json" else "string"
        return {route.media_type: {"schema": {"type": kind}}}
    return {route.media_type: {"schema": _ref(route.response)}}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def _responses(route: Route) -> dict[str, Any]:
    """Every status the operation can answer; each error is a JSON ``ErrorResponse``."""
    responses = {
        "200": {"description": "OK", "content": _content(route)},
        "400": _error("A clear message naming what was wrong"),
        "403": _error("Not authenticated, not authorized, or refused by an object rule"),
        "404": _error("No such resource (or no such path under the API)"),
    }
    if route.method != "get":
        responses["409"] = _error("Conflicts with the current state")
    if route.body is not None:
        responses["415"] = _error("The body was not sent as application/json")
    # a proxy in front (JupyterHub's, in team mode) refuses a request line or headers past
    # its limit (16 KiB) before the service sees them, with no body
    responses["431"] = {"description": "Request line or headers too large for a proxy in front"}
    if route.tag == "serving":
        responses["503"] = _error("An endpoint's router or scoring server did not answer")
    return responses


def main() -> None:
    """Print the document (used by ``npm run gen:api``)."""
    json.dump(build_openapi(), sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
