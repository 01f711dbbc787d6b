"""The router in front of endpoints (Starlette, served by uvicorn).

- ``POST /endpoints/{name}/invocations``: MLflow's request and answer formats, unchanged;
  the answer says which model version gave it (``X-MLOps-Model-Version``) and carries the
  request id (``X-Request-Id``: the client's, or a new one);
- ``GET /endpoints/{name}/info``: the model, the alias followed, the answering version and
  its switches;
- ``GET /health``.

Every answered request, a refusal included, is logged before the answer leaves. With no
healthy scoring server the answer is a fast 503 in MLflow's error format. When a ``token``
is set (required when bound beyond loopback), every route but ``/health`` needs it, as
``Authorization: Bearer TOKEN`` or ``token TOKEN``.
"""

from __future__ import annotations

import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .endpoint import Arm, Endpoint
from .inference_log import InferenceLog

VERSION_HEADER = "X-MLOps-Model-Version"
REQUEST_ID_HEADER = "X-Request-Id"
FORWARD_TIMEOUT_S = 60.0


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error_code": code, "message": message}, status_code=status)


def make_router(
    endpoints: Mapping[str, Endpoint], logs: Mapping[str, InferenceLog], token: str | None = None
) -> Starlette:
    """The ASGI app serving ``endpoints``, logging each to its log in ``logs``."""
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        async with httpx.AsyncClient(timeout=FORWARD_TIMEOUT_S, limits=limits) as client:
            state["client"] = client
            yield

    def authorized(request: Request) -> bool:
        if token is None:
            return True
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() in ("bearer", "token") and hmac.compare_digest(given, token)

    def endpoint_of(request: Request) -> Endpoint | Response:
        if not authorized(request):
            return _error(401, "UNAUTHENTICATED", "this router needs its token")
        name = request.path_params["name"]
        endpoint = endpoints.get(name)
        if endpoint is None:
            return _error(404, "RESOURCE_DOES_NOT_EXIST", f"no endpoint named {name!r}")
        return endpoint

    async def forward(arm: Arm, body: bytes, content_type: str) -> httpx.Response:
        client: httpx.AsyncClient = state["client"]
        return await client.post(
            f"{arm.server.url}/invocations", content=body, headers={"Content-Type": content_type}
        )

    async def invocations(request: Request) -> Response:
        found = endpoint_of(request)
        if isinstance(found, Response):
            return found
        endpoint = found
        started = time.perf_counter()
        request_id = request.headers.get(REQUEST_ID_HEADER) or uuid.uuid4().hex
        body = await request.body()
        content_type = request.headers.get("content-type", "application/json")
        arm = endpoint.take()
        version = arm.version if arm else None
        answer: Response
        try:
            if arm is None:
                answer = _error(503, "ENDPOINT_UNAVAILABLE", f"{endpoint.name} is not serving")
            else:
                try:
                    upstream = await forward(arm, body, content_type)
                    answer = Response(
                        upstream.content,
                        status_code=upstream.status_code,
                        media_type=upstream.headers.get("content-type", "application/json"),
                    )
                except httpx.HTTPError as exc:
                    answer = _error(
                        503,
                        "ENDPOINT_UNAVAILABLE",
                        f"{endpoint.name}: v{version} did not answer ({type(exc).__name__})",
                    )
        finally:
            if arm is not None:
                endpoint.release(arm)
        if version is not None:
            answer.headers[VERSION_HEADER] = f"{endpoint.ref.name}/{version}"
        answer.headers[REQUEST_ID_HEADER] = request_id
        logs[endpoint.name].append(
            {
                "time": time.time_ns(),
                "endpoint": endpoint.name,
                "arm": "champion",
                "model_version": version,
                "request_id": request_id,
                "input": body.decode("utf-8", "replace"),
                "prediction": bytes(answer.body).decode("utf-8", "replace"),
                "latency_ms": (time.perf_counter() - started) * 1000,
                "status": answer.status_code,
            }
        )
        return answer

    async def info(request: Request) -> Response:
        found = endpoint_of(request)
        if isinstance(found, Response):
            return found
        endpoint = found
        return JSONResponse(
            {
                "endpoint": endpoint.name,
                "model": endpoint.ref.name,
                "alias": endpoint.ref.alias,
                "version": endpoint.version,
                "status": "serving" if endpoint.version else "stopped",
                "switches": [
                    {
                        "at": e.at.isoformat(),
                        "from_version": e.from_version,
                        "to_version": e.to_version,
                        "reason": e.reason,
                    }
                    for e in endpoint.events
                ],
            }
        )

    async def health(_request: Request) -> Response:
        return Response(json.dumps({"status": "ok"}), media_type="application/json")

    routes = [
        Route("/endpoints/{name}/invocations", invocations, methods=["POST"]),
        Route("/endpoints/{name}/info", info, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
