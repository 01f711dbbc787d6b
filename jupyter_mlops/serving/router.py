"""The router in front of endpoints (an ASGI app, served by uvicorn).

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

The invocations route is the hot path: the router's CPU per request, shared with the
scoring server on the same machine, bounds an endpoint's throughput. It is a plain ASGI
handler, reached before Starlette's middleware and routing (which serve the other routes,
and the invocations path too for anything but a plain ``POST``); it reads the few headers it
needs from the raw scope and sends the answer as two ASGI messages, building no Starlette
request or response. What the client gets is the same bytes Starlette would send.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import itertools
import json
import secrets
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import Any, NamedTuple

import aiohttp
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from yarl import URL

from .endpoint import Arm, Endpoint
from .endpoint import Route as ArmRoute
from .inference_log import InferenceLog
from .traffic import agree

VERSION_HEADER = "X-MLOps-Model-Version"
REQUEST_ID_HEADER = "X-Request-Id"
ROUTE_KEY_HEADER = "X-MLOps-Route-Key"
FORWARD_TIMEOUT_S = 60.0
MAX_PENDING_COPIES = 1000  # unseen copies under way; beyond, copies are skipped (counted)

_PREFIX, _SUFFIX = "/endpoints/", "/invocations"
# the request headers the invocations route reads (ASGI gives names in lower case)
_AUTHORIZATION = b"authorization"
_CONTENT_TYPE = b"content-type"
_REQUEST_ID = REQUEST_ID_HEADER.lower().encode()
_ROUTE_KEY = ROUTE_KEY_HEADER.lower().encode()
_READ = frozenset((_AUTHORIZATION, _CONTENT_TYPE, _REQUEST_ID, _ROUTE_KEY))
_VERSION = VERSION_HEADER.lower().encode()

Headers = list[tuple[bytes, bytes]]


class Answer(NamedTuple):
    """What a request is answered with: the scoring server's status, body and content type,
    or a refusal in MLflow's error format. Its body goes as it is to the client, the log
    and the comparison with an unseen copy's."""

    status: int
    body: bytes
    content_type: str = "application/json"

    def raw_headers(self, extra: Headers) -> Headers:
        """Its headers as Starlette's ``Response`` would send them, then ``extra``."""
        headers: Headers = []
        if not (self.status < 200 or self.status in (204, 304)):
            headers.append((b"content-length", str(len(self.body)).encode()))
        content_type = self.content_type
        if content_type.startswith("text/") and "charset=" not in content_type.lower():
            content_type += "; charset=utf-8"
        headers.append((_CONTENT_TYPE, content_type.encode("latin-1")))
        headers += extra
        return headers


def _error(status: int, code: str, message: str) -> Answer:
    """A refusal in MLflow's error format (the bytes of Starlette's ``JSONResponse``)."""
    body = {"error_code": code, "message": message}
    return Answer(status, json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())


def _error_response(status: int, code: str, message: str) -> Response:
    return JSONResponse({"error_code": code, "message": message}, status_code=status)


@functools.lru_cache(maxsize=64)
def _timeout(seconds: float) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=seconds)


def _request_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[bytes, str]:
    """The headers the route reads, each its first value (as Starlette's ``get``)."""
    found: dict[bytes, str] = {}
    for key, value in raw:
        if key in _READ and key not in found:
            found[key] = value.decode("latin-1")
    return found


async def _read_body(receive: Receive) -> bytes | None:
    """The request's body; None when the client has gone away before sending it all."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _endpoint_name(scope: Scope) -> str | None:
    """The endpoint of an invocations path (Starlette's ``{name}``: no slash, not empty),
    else None."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] == "/":
        path = path[len(root) :]
    if not (path.startswith(_PREFIX) and path.endswith(_SUFFIX)):
        return None
    name = path[len(_PREFIX) : -len(_SUFFIX)]
    return name if name and "/" not in name else None


def make_router(
    endpoints: Mapping[str, Endpoint], logs: Mapping[str, InferenceLog], token: str | None = None
) -> ASGIApp:
    """The ASGI app serving ``endpoints``, logging each to its log in ``logs``."""
    state: dict[str, Any] = {}
    background: set[asyncio.Task[None]] = set()  # unseen calls under way (kept from the GC)
    urls: dict[str, URL] = {}  # a scoring server's invocations URL, parsed once
    # new request ids: 32 hex digits, as a uuid4's; a random prefix per router and a counter
    # make them unique without a random draw (a system call) per request
    prefix, counter = secrets.token_hex(8), itertools.count()

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

    def authorized(given: str) -> bool:
        """Whether the ``Authorization`` header ``given`` carries the token (if one is set)."""
        if token is None:
            return True
        scheme, _, value = given.partition(" ")
        return scheme.lower() in ("bearer", "token") and hmac.compare_digest(
            value.encode(), token.encode()
        )

    async def forward(
        arm: Arm, body: bytes, content_type: str, timeout: float, pool: str = "client"
    ) -> Answer:
        """``arm``'s answer, or a fast 503 in MLflow's format when it gives none."""
        client: aiohttp.ClientSession = state[pool]
        base = arm.server.url
        url = urls.get(base)
        if url is None:
            url = urls[base] = URL(f"{base}/invocations")
        try:
            async with client.post(
                url, data=body, headers={"Content-Type": content_type}, timeout=_timeout(timeout)
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
        return Answer(status, content, media_type)

    def log_row(
        endpoint: Endpoint,
        arm_name: str,
        version: str | None,
        request_id: str,
        body: bytes,
        answer: Answer,
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
                "prediction": answer.body.decode("utf-8", "replace"),
                "latency_ms": latency_ms,
                "status": answer.status,
            }
        )
        return latency_ms

    async def mirror(
        endpoint: Endpoint,
        route: ArmRoute,
        request_id: str,
        body: bytes,
        content_type: str,
        answered: Answer,
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
        agreed = agree(answered.status, answered.body, copy.status, copy.body)
        traffic = route.challenger_traffic
        if traffic is None:
            return
        if shadow:
            traffic.add(copy.status < 500, copy_ms, agreed)
        else:  # the canary answered; the champion's copy only tells whether they agree
            traffic.add(answered.status < 500, answered_ms, agreed)

    async def answer(
        endpoint: Endpoint, headers: Mapping[bytes, str], body: bytes
    ) -> tuple[Answer, Headers]:
        """The answer to one request, and the headers it carries besides its own; logged
        (and its unseen copy started) before it is returned."""
        started = time.perf_counter()
        request_id = headers.get(_REQUEST_ID) or f"{prefix}{next(counter):016x}"
        content_type = headers.get(_CONTENT_TYPE, "application/json")
        route = endpoint.route(headers.get(_ROUTE_KEY) or request_id)
        arm = route.answer
        extra: Headers = []
        got: Answer
        if arm is None:
            got = _error(503, "ENDPOINT_UNAVAILABLE", f"{endpoint.name} is not serving")
        else:
            canary = route.arm == "canary"
            try:
                got = await forward(
                    arm, body, content_type, route.timeout if canary else FORWARD_TIMEOUT_S
                )
            finally:
                endpoint.release(arm)
            extra.append((_VERSION, f"{endpoint.ref.name}/{arm.version}".encode("latin-1")))
        extra.append((_REQUEST_ID, request_id.encode("latin-1")))
        version = arm.version if arm else None
        handed = False  # the unseen copy's arm, released by its task once handed over
        try:
            answered_ms = log_row(endpoint, route.arm, version, request_id, body, got, started)
            if route.arm == "champion" and route.champion_traffic is not None:
                route.champion_traffic.add(got.status < 500, answered_ms)
            if route.mirror is not None and len(background) >= MAX_PENDING_COPIES:
                endpoint.copies_dropped += 1  # a challenger this far behind: copies skipped
            elif route.mirror is not None:
                copying = mirror(endpoint, route, request_id, body, content_type, got, answered_ms)
                task = asyncio.create_task(copying)
                handed = True
                background.add(task)
                task.add_done_callback(background.discard)
        finally:
            if route.mirror is not None and not handed:
                endpoint.release(route.mirror)
        return got, extra

    async def invocations(scope: Scope, receive: Receive, send: Send) -> None:
        """``POST /endpoints/{name}/invocations``, as a plain ASGI handler."""
        name: str = scope["path_params"]["name"]
        headers = _request_headers(scope["headers"])
        got: Answer
        extra: Headers = []
        if not authorized(headers.get(_AUTHORIZATION, "")):
            got = _error(401, "UNAUTHENTICATED", "this router needs its token")
        elif (endpoint := endpoints.get(name)) is None:
            got = _error(404, "RESOURCE_DOES_NOT_EXIST", f"no endpoint named {name!r}")
        else:
            body = await _read_body(receive)
            if body is None:  # the client left before its request was whole: nothing to answer
                return
            got, extra = await answer(endpoint, headers, body)
        start = {"type": "http.response.start", "status": got.status}
        await send({**start, "headers": got.raw_headers(extra)})
        await send({"type": "http.response.body", "body": got.body})

    def endpoint_of(request: Request) -> Endpoint | Response:
        if not authorized(request.headers.get("authorization", "")):
            return _error_response(401, "UNAUTHENTICATED", "this router needs its token")
        name = request.path_params["name"]
        endpoint = endpoints.get(name)
        if endpoint is None:
            return _error_response(404, "RESOURCE_DOES_NOT_EXIST", f"no endpoint named {name!r}")
        return endpoint

    async def info(request: Request) -> Response:
        found = endpoint_of(request)
        if isinstance(found, Response):
            return found
        endpoint = found
        return JSONResponse(describe(endpoint))

    async def health(_request: Request) -> Response:
        return Response(json.dumps({"status": "ok"}), media_type="application/json")

    routes = [
        # reached through Starlette only when the shortcut below does not take a request
        # (another method: Starlette's 405; a trailing slash: its redirect)
        Route("/endpoints/{name}/invocations", _Asgi(invocations), methods=["POST"]),
        Route("/endpoints/{name}/info", info, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)

    async def router(scope: Scope, receive: Receive, send: Send) -> None:
        """A ``POST`` to an invocations path goes straight to its handler (where Starlette's
        routing would take it, without its middleware); anything else goes to Starlette."""
        if scope["type"] == "http" and scope["method"] == "POST":
            name = _endpoint_name(scope)
            if name is not None:
                scope["path_params"] = {"name": name}
                await invocations(scope, receive, send)
                return
        await app(scope, receive, send)

    return router


class _Asgi:
    """A handler given to Starlette as a plain ASGI app (Starlette would wrap a function in
    its request/response adapter)."""

    def __init__(self, handler: ASGIApp) -> None:
        self.handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.handler(scope, receive, send)


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
