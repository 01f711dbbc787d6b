"""The router in front of endpoints (Starlette, served by uvicorn).

- ``POST /endpoints/{name}/invocations``: MLflow's request and answer formats, unchanged;
  the answer says which model version gave it (``X-MLOps-Model-Version``) and carries the
  request id (``X-Request-Id``: the client's, or a new one);
- ``GET /endpoints/{name}/info``: the model, the alias followed, the answering version and
  its switches, the rollout running (its challenger, share and rules), and each arm's
  traffic over the last minute (rate, p50/p99 latency, error rate, disagreement);
- ``GET /health``.

With a rollout (``rollout.py``) a request may get a second, unseen call: a shadow's copy
to the challenger, or a canary's copy to the champion. It runs after the answer has left,
on its own task with its own timeout, so it neither delays nor fails the client; its answer
is logged (arm ``shadow`` or ``baseline``) and compared with the answer the client got.
A canary request is routed by ``X-MLOps-Route-Key`` when given (sticky), else by its id.

Every answered request, a refusal included, is logged before the answer leaves. With no
healthy scoring server the answer is a fast 503 in MLflow's error format. When a ``token``
is set (required when bound beyond loopback), every route but ``/health`` needs it, as
``Authorization: Bearer TOKEN`` or ``token TOKEN``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .endpoint import Arm, Endpoint
from .endpoint import Route as ArmRoute
from .inference_log import InferenceLog
from .traffic import agree

VERSION_HEADER = "X-MLOps-Model-Version"
REQUEST_ID_HEADER = "X-Request-Id"
ROUTE_KEY_HEADER = "X-MLOps-Route-Key"
FORWARD_TIMEOUT_S = 60.0
MAX_PENDING_COPIES = 1000  # unseen copies under way; beyond, copies are skipped (counted)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error_code": code, "message": message}, status_code=status)


def make_router(
    endpoints: Mapping[str, Endpoint], logs: Mapping[str, InferenceLog], token: str | None = None
) -> Starlette:
    """The ASGI app serving ``endpoints``, logging each to its log in ``logs``."""
    state: dict[str, Any] = {}
    background: set[asyncio.Task[None]] = set()  # unseen calls under way (kept from the GC)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # aiohttp's client: the forwarding hop is most of what the router adds to a request,
        # and it costs about half of what httpx's does (see docs/benchmarks.md)
        # the unseen copies have a pool of their own, so a slow challenger's copies never
        # hold the connections the answers need
        answers = aiohttp.TCPConnector(limit=200, keepalive_timeout=30)
        copies = aiohttp.TCPConnector(limit=100, keepalive_timeout=30)
        async with (
            aiohttp.ClientSession(connector=answers, auto_decompress=False) as client,
            aiohttp.ClientSession(connector=copies, auto_decompress=False) as copier,
        ):
            state["client"], state["copier"] = client, copier
            yield

    def authorized(request: Request) -> bool:
        if token is None:
            return True
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() in ("bearer", "token") and hmac.compare_digest(
            given.encode(), token.encode()
        )

    def endpoint_of(request: Request) -> Endpoint | Response:
        if not authorized(request):
            return _error(401, "UNAUTHENTICATED", "this router needs its token")
        name = request.path_params["name"]
        endpoint = endpoints.get(name)
        if endpoint is None:
            return _error(404, "RESOURCE_DOES_NOT_EXIST", f"no endpoint named {name!r}")
        return endpoint

    async def forward(
        arm: Arm, body: bytes, content_type: str, timeout: float, pool: str = "client"
    ) -> Response:
        """``arm``'s answer, or a fast 503 in MLflow's format when it gives none."""
        client: aiohttp.ClientSession = state[pool]
        try:
            async with client.post(
                f"{arm.server.url}/invocations",
                data=body,
                headers={"Content-Type": content_type},
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as upstream:
                content = await upstream.read()
                status = upstream.status
                media_type = upstream.headers.get("Content-Type", "application/json")
        except (aiohttp.ClientError, TimeoutError) as exc:
            return _error(
                503,
                "ENDPOINT_UNAVAILABLE",
                f"v{arm.version} did not answer ({type(exc).__name__})",
            )
        return Response(content, status_code=status, media_type=media_type)

    def log_row(
        endpoint: Endpoint,
        arm_name: str,
        version: str | None,
        request_id: str,
        body: bytes,
        answer: Response,
        started: float,
    ) -> float:
        latency_ms = (time.perf_counter() - started) * 1000
        logs[endpoint.name].append(
            {
                "time": time.time_ns(),
                "endpoint": endpoint.name,
                "arm": arm_name,
                "model_version": version,
                "request_id": request_id,
                "input": body.decode("utf-8", "replace"),
                "prediction": bytes(answer.body).decode("utf-8", "replace"),
                "latency_ms": latency_ms,
                "status": answer.status_code,
            }
        )
        return latency_ms

    async def mirror(
        endpoint: Endpoint,
        route: ArmRoute,
        request_id: str,
        body: bytes,
        content_type: str,
        answered: Response,
        answered_ms: float,
    ) -> None:
        """The unseen call: a shadow's copy (compared with the champion's answer) or a
        canary's baseline (the champion's answer the canary's is compared with). Its
        figures go to the challenger's traffic of the rollout that routed it."""
        arm, arm_name = route.mirror, route.mirror_arm
        assert arm is not None and arm_name is not None
        shadow = arm_name == "shadow"
        started = time.perf_counter()
        try:
            timeout = route.timeout if shadow else FORWARD_TIMEOUT_S
            copy = await forward(arm, body, content_type, timeout, "copier")
        finally:
            endpoint.release(arm)
        copy_ms = log_row(endpoint, arm_name, arm.version, request_id, body, copy, started)
        agreed = agree(
            answered.status_code, bytes(answered.body), copy.status_code, bytes(copy.body)
        )
        traffic = route.challenger_traffic
        if traffic is None:
            return
        if shadow:
            traffic.add(copy.status_code < 500, copy_ms, agreed)
        else:  # the canary answered; the champion's copy only tells whether they agree
            traffic.add(answered.status_code < 500, answered_ms, agreed)

    async def invocations(request: Request) -> Response:
        found = endpoint_of(request)
        if isinstance(found, Response):
            return found
        endpoint = found
        started = time.perf_counter()
        request_id = request.headers.get(REQUEST_ID_HEADER) or uuid.uuid4().hex
        body = await request.body()
        content_type = request.headers.get("content-type", "application/json")
        route = endpoint.route(request.headers.get(ROUTE_KEY_HEADER) or request_id)
        arm = route.answer
        answer: Response
        if arm is None:
            answer = _error(503, "ENDPOINT_UNAVAILABLE", f"{endpoint.name} is not serving")
        else:
            canary = route.arm == "canary"
            try:
                answer = await forward(
                    arm, body, content_type, route.timeout if canary else FORWARD_TIMEOUT_S
                )
            finally:
                endpoint.release(arm)
            answer.headers[VERSION_HEADER] = f"{endpoint.ref.name}/{arm.version}"
        answer.headers[REQUEST_ID_HEADER] = request_id
        version = arm.version if arm else None
        handed = False  # the unseen copy's arm, released by its task once handed over
        try:
            answered_ms = log_row(endpoint, route.arm, version, request_id, body, answer, started)
            if route.arm == "champion" and route.champion_traffic is not None:
                route.champion_traffic.add(answer.status_code < 500, answered_ms)
            if route.mirror is not None and len(background) >= MAX_PENDING_COPIES:
                endpoint.copies_dropped += 1  # a challenger this far behind: copies skipped
            elif route.mirror is not None:
                copying = mirror(
                    endpoint, route, request_id, body, content_type, answer, answered_ms
                )
                task = asyncio.create_task(copying)
                handed = True
                background.add(task)
                task.add_done_callback(background.discard)
        finally:
            if route.mirror is not None and not handed:
                endpoint.release(route.mirror)
        return answer

    async def info(request: Request) -> Response:
        found = endpoint_of(request)
        if isinstance(found, Response):
            return found
        endpoint = found
        return JSONResponse(describe(endpoint))

    async def health(_request: Request) -> Response:
        return Response(json.dumps({"status": "ok"}), media_type="application/json")

    routes = [
        Route("/endpoints/{name}/invocations", invocations, methods=["POST"]),
        Route("/endpoints/{name}/info", info, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def describe(endpoint: Endpoint) -> dict[str, Any]:
    """What the info route says of ``endpoint``."""
    rollout = endpoint.rollout
    challenger = endpoint.challenger
    rolled_back = endpoint.rolled_back
    return {
        "endpoint": endpoint.name,
        "model": endpoint.ref.name,
        "alias": endpoint.ref.alias,
        "version": endpoint.version,
        "status": "serving" if endpoint.version else "stopped",
        "rollout": None
        if rollout is None or challenger is None
        else {
            "mode": rollout.mode,
            "challenger": rollout.challenger,
            "version": challenger.version,
            "percent": rollout.percent if rollout.mode == "canary" else None,
            "rules": rollout.rules.model_dump(),
            "started_at": rollout.model_dump(mode="json")["started_at"],
            "started_by": rollout.started_by,
        },
        "rollout_error": endpoint.rollout_error,
        "rollout_error_for": None
        if endpoint.rollout_error_for is None
        else endpoint.rollout_error_for.isoformat() + "Z",
        "copies_dropped": endpoint.copies_dropped,
        "rolled_back": None
        if rolled_back is None
        else {
            "at": rolled_back.at.isoformat(),
            "version": rolled_back.version,
            "reason": rolled_back.reason,
        },
        "traffic": {name: t.summary().as_dict() for name, t in endpoint.traffic.items()},
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
