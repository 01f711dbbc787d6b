"""A deployed endpoint against ``mlflow models serve`` alone, and an alias move under load.

One registered model (a constant classifier: v1 answers 0, v2 answers 1, alias
``champion`` on v1), one payload (MLflow's ``dataframe_split``, 5 rows × 2 columns), one
client (httpx, keep-alive). Ours: ``mlops.serving.deploy("bench-serving@champion")``, the
router process with its own scoring server of v1, its inference log and its alias watch.
Baseline: ``mlflow models serve -m models:/bench-serving/1 --env-manager local -w 1``
alone, the very command the endpoint runs behind its router (``ScoringServer``). Both run
at once and are measured in turn, each first as often as the other, so both see the same
machine load. Latency: 500 requests each, one after the other, alternating request by
request, after 30 of warm-up; the router's p50 less the direct p50 (target ≤ +1 ms).
Throughput: 8 concurrent clients, 4 alternating rounds of 5 s each; answered requests per
second, as a ratio (target ≥ 0.9×), shown as ms per answered request (1/throughput). The
model costs next to nothing, so the router's share of the time is the largest it can be.
These clients are not httpx's: each sends the same request bytes on a keep-alive connection
and reads the answer's status, headers and ``Content-Length`` bytes of body, on uvloop, for
about 60 µs of CPU a request where httpx's async client takes about 900 µs, as much as the
scoring server itself. On a machine of 2 CPUs the load generator, the router and the
scoring server share the CPUs, and an httpx load mostly measured the load generator's own
share; both sides get the very same clients.
Then, with the direct server stopped, the shadow: the endpoint's p99 over 1,000 sequential
requests with a shadow of v2 running, against 500 before it started and 500 after it was
aborted (target ≤ 1.1×). Then the deployed endpoint at 50 requests/s (sent on a
clock, not waiting for answers) for 20 s, the alias moved to v2 after 5 s
(``MlflowClient.set_registered_model_alias``) and the load kept on until v2 has answered
for 5 s; every answer must be a 200 (target: no failure), from the version its
``X-MLOps-Model-Version`` header names; the switch time runs from the alias move to the
first answer of v2 (the watch polls every second, then v2's scoring server starts and
must be healthy before traffic moves).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import httpx
import mlflow
import numpy as np
import uvloop
from mlflow.tracking import MlflowClient

from jupyter_mlops import serving
from jupyter_mlops.serving.commands import Deployment
from jupyter_mlops.serving.router import VERSION_HEADER
from jupyter_mlops.serving.scoring import ScoringServer, free_port
from jupyter_mlops.workspace import Workspace

from .timing import Result, ms
from .workspace import fresh_workspace

MODEL = "bench-serving"
ALIAS = "champion"
# a few rows of MLflow's dataframe_split, as a client of a small tabular model sends them
PAYLOAD_ROWS = [[0.5, 1.25], [1.0, 2.5], [1.5, 3.75], [2.0, 5.0], [2.5, 6.25]]
PAYLOAD = {"dataframe_split": {"columns": ["a", "b"], "data": PAYLOAD_ROWS}}
REQUEST_TIMEOUT_S = 30.0
WARMUP = 30
LATENCY_REQUESTS = 500  # per side
ADDED_P50_S = 0.001
SHADOW_REQUESTS = 500  # per block with shadow off (two blocks); twice as many with it on
SHADOW_P99_RATIO = 1.1
CLIENTS = 8
LOAD_ROUNDS = 4
LOAD_SECONDS = 5.0
THROUGHPUT_RATIO = 0.9
SWITCH_RATE = 50.0  # requests per second
SWITCH_SECONDS = 20.0
SWITCH_AT_S = 5.0
AFTER_SWITCH_S = 5.0  # the load goes on this long after the new version's first answer
SWITCH_CAP_S = 120.0
BENCH_ENV = "JUPYTER_MLOPS_BENCH"  # marks the benchmark's own scoring server

T = TypeVar("T")


def on_path() -> None:
    """This interpreter's scripts on ``PATH`` (as ``make`` puts them): MLflow's scoring
    server starts ``uvicorn`` by name, so a Python run by its full path would not find it."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])


def register_versions(client: MlflowClient) -> list[str]:
    """``MODEL`` v1 (predicts 0 for every row) and v2 (predicts 1), alias ``ALIAS`` on v1:
    the cheapest model there is, so what is measured is the serving, not the model."""
    from sklearn.dummy import DummyClassifier

    features = np.array([[0.0, 0.0], [1.0, 1.0]])
    mlflow.set_experiment("serving-bench")
    versions = []
    for label in (0, 1):
        model = DummyClassifier(strategy="constant", constant=label).fit(features, [0, 1])
        with mlflow.start_run():
            # requirements given: MLflow would otherwise infer them in a subprocess (slow)
            info = mlflow.sklearn.log_model(
                model, name="model", registered_model_name=MODEL, pip_requirements=["scikit-learn"]
            )
        versions.append(str(info.registered_model_version))
    client.set_registered_model_alias(MODEL, ALIAS, versions[0])
    return versions


def quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def alternate(sides: Mapping[str, Callable[[], T]], rounds: int) -> dict[str, list[T]]:
    """Each side called ``rounds`` times, in turn first (A B, B A, …), so a drift of the
    machine's load hits both alike."""
    got: dict[str, list[T]] = {name: [] for name in sides}
    for i in range(rounds):
        for name in list(sides) if i % 2 == 0 else reversed(list(sides)):
            got[name].append(sides[name]())
    return got


def sequential(client: httpx.Client, url: str, requests: int) -> list[float]:
    """Latencies (s) of ``requests`` requests sent one after the other; each must be a 200."""
    latencies = []
    for _ in range(requests):
        start = time.perf_counter()
        answer = client.post(url, json=PAYLOAD)
        latencies.append(time.perf_counter() - start)
        answer.raise_for_status()
    return latencies


@dataclass
class Load:
    """What ``clients`` concurrent clients got in ``seconds``."""

    clients: int
    seconds: float
    answered: int = 0  # 200s
    failed: int = 0  # any other answer, or none
    latencies: list[float] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        """Answered requests per second."""
        return self.answered / self.seconds

    @staticmethod
    def pooled(loads: list[Load]) -> Load:
        """Rounds of the same load as one."""
        out = Load(loads[0].clients, sum(x.seconds for x in loads))
        for x in loads:
            out.answered += x.answered
            out.failed += x.failed
            out.latencies += x.latencies
        return out


def concurrent(url: str, clients: int = CLIENTS, seconds: float = LOAD_SECONDS) -> Load:
    """``clients`` clients, each on its own keep-alive connection sending its next request as
    soon as its last is answered, for ``seconds``.

    The clients are lighter than httpx's (which costs the load about a millisecond of CPU a
    request, as much as the scoring server itself): each sends the same request bytes (as
    httpx would, with ``json=PAYLOAD``) and reads the status line, the headers and a body of
    ``Content-Length`` bytes, on uvloop's event loop. On a machine of few CPUs that keeps
    the load generator from taking the CPU the servers measured need."""
    runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    with runner:
        return runner.run(_concurrent(url, clients, seconds))


def _request_bytes(url: str) -> tuple[str, int, bytes]:
    """Host, port and the bytes of a POST of ``PAYLOAD`` to ``url``, keep-alive."""
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    body = json.dumps(PAYLOAD, separators=(",", ":")).encode()
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: */*\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return parts.hostname, parts.port, head.encode() + body


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, sent: bytes
) -> bool:
    """One request on a connection: whether it was answered with a 200 (its body read)."""
    writer.write(sent)
    head = await reader.readuntil(b"\r\n\r\n")
    length = None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length is None:
        raise ConnectionError("an answer without Content-Length")
    await reader.readexactly(length)
    return head[9:12] == b"200"


async def _concurrent(url: str, clients: int, seconds: float) -> Load:
    host, port, sent = _request_bytes(url)
    connections = [await asyncio.open_connection(host, port) for _ in range(clients)]
    try:
        async with asyncio.timeout(REQUEST_TIMEOUT_S):  # warm: each connection answered once
            for reader, writer in connections:
                await _exchange(reader, writer, sent)
        load = Load(clients, seconds)
        start = time.perf_counter()
        end = start + seconds

        async def one_client(i: int) -> None:
            while time.perf_counter() < end:
                began = time.perf_counter()
                reader, writer = connections[i]
                try:
                    async with asyncio.timeout(REQUEST_TIMEOUT_S):
                        ok = await _exchange(reader, writer, sent)
                except (
                    OSError,
                    asyncio.IncompleteReadError,
                    asyncio.LimitOverrunError,
                    TimeoutError,
                ):
                    ok = False  # the connection is in an unknown state: a new one
                    writer.close()
                    with contextlib.suppress(OSError):
                        connections[i] = await asyncio.open_connection(host, port)
                    await asyncio.sleep(0.01)  # not a busy loop while the server is down
                load.latencies.append(time.perf_counter() - began)
                load.answered += ok
                load.failed += not ok

        await asyncio.gather(*(one_client(i) for i in range(clients)))
        load.seconds = time.perf_counter() - start
    finally:
        for _, writer in connections:
            writer.close()
    return load


@dataclass
class Switch:
    """What a load on a clock got while the alias moved."""

    sent: int = 0
    failures: list[str] = field(default_factory=list)
    answered_by: dict[str, int] = field(default_factory=dict)  # version -> answers
    wrong: int = 0  # answers whose prediction is not their version's
    seconds: float = 0.0
    switch_s: float | None = None  # alias moved -> first answer of the new version


async def _drive_switch(url: str, client: MlflowClient, versions: list[str]) -> Switch:
    """Requests on a clock at ``SWITCH_RATE``; the alias moves after ``SWITCH_AT_S``."""
    old, new = versions
    expected = {old: 0, new: 1}  # each version's constant prediction
    out = Switch()
    moved_at: float | None = None
    first_new: float | None = None

    async def one(http: httpx.AsyncClient) -> None:
        nonlocal first_new
        try:
            answer = await http.post(url, json=PAYLOAD)
        except httpx.HTTPError as exc:
            out.failures.append(type(exc).__name__)
            return
        if answer.status_code != 200:
            out.failures.append(str(answer.status_code))
            return
        version = answer.headers.get(VERSION_HEADER, "").rpartition("/")[2]
        out.answered_by[version] = out.answered_by.get(version, 0) + 1
        predictions = answer.json()["predictions"]
        out.wrong += version not in expected or set(predictions) != {expected[version]}
        if version == new and first_new is None:
            first_new = time.perf_counter()

    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT_S, limits=limits) as http:
        tasks: list[asyncio.Task[None]] = []
        move: asyncio.Future[None] | None = None
        start = time.perf_counter()
        while True:
            now = time.perf_counter()
            if move is None and now - start >= SWITCH_AT_S:
                move = asyncio.ensure_future(
                    asyncio.to_thread(client.set_registered_model_alias, MODEL, ALIAS, new)
                )
            if move is not None and moved_at is None and move.done():
                move.result()
                moved_at = time.perf_counter()
            settled = first_new is not None and now - first_new >= AFTER_SWITCH_S
            if (now - start >= SWITCH_SECONDS and settled) or now - start >= SWITCH_CAP_S:
                break
            tasks.append(asyncio.create_task(one(http)))
            await asyncio.sleep(max(0.0, start + len(tasks) / SWITCH_RATE - time.perf_counter()))
        await asyncio.gather(*tasks)
        out.sent = len(tasks)
        out.seconds = time.perf_counter() - start
    if moved_at is not None and first_new is not None:
        out.switch_s = first_new - moved_at
    return out


def sequential_pairs(urls: Mapping[str, str], requests: int) -> dict[str, list[float]]:
    """Latencies (s) of ``requests`` requests to each URL, one after the other, a keep-alive
    client each, alternating request by request (in turn first), so both see the same
    moment of the machine's load; after ``WARMUP`` requests each."""
    clients = {name: httpx.Client(timeout=REQUEST_TIMEOUT_S) for name in urls}
    try:
        for name, url in urls.items():
            sequential(clients[name], url, WARMUP)
        sides = {name: partial(sequential, clients[name], urls[name], 1) for name in urls}
        rounds = alternate(sides, requests)
    finally:
        for http in clients.values():
            http.close()
    return {name: [s for r in samples for s in r] for name, samples in rounds.items()}


def run() -> list[Result]:
    """The endpoint and the bare scoring server side by side, then the alias move."""
    on_path()
    ws, client = fresh_workspace("serving-router")
    versions = register_versions(client)
    direct = ScoringServer(
        ws, MODEL, versions[0], ws.root / "direct-scoring.log", {BENCH_ENV: "direct"}
    )
    deployment = None
    try:
        direct.start()
        deployment = serving.deploy(f"{MODEL}@{ALIAS}", port=free_port(), ws=ws)
        direct.wait_healthy()
        urls = {"router": deployment.invocations, "direct": f"{direct.url}/invocations"}
        latencies = sequential_pairs(urls, LATENCY_REQUESTS)
        print("  latencies measured; throughput…", file=sys.stderr, flush=True)
        loads = alternate(
            {name: partial(concurrent, url) for name, url in urls.items()}, LOAD_ROUNDS
        )
        direct.stop()  # the shadow and the move are measured on the endpoint alone
        print("  shadow off / on / off…", file=sys.stderr, flush=True)
        shadow = _shadow_blocks(ws, deployment, versions[1])
        print("  alias move under load…", file=sys.stderr, flush=True)
        switch = asyncio.run(_drive_switch(deployment.invocations, client, versions))
    finally:
        direct.stop()
        if deployment is not None:
            serving.stop(deployment.name, ws=ws)
    pooled = {name: Load.pooled(rounds) for name, rounds in loads.items()}
    return [
        _latency_result(latencies),
        _throughput_result(pooled),
        _shadow_result(shadow),
        _switch_result(switch, versions),
    ]


def _shadow_blocks(
    ws: Workspace, deployment: Deployment, challenger: str
) -> dict[str, list[float]]:
    """Sequential latencies (s) of the endpoint with shadow off, on (a shadow of
    ``challenger``: every request copied to it after the answer), then off again."""
    blocks: dict[str, list[float]] = {"off": [], "on": []}
    with httpx.Client(timeout=REQUEST_TIMEOUT_S) as http:
        sequential(http, deployment.invocations, WARMUP)
        blocks["off"] += sequential(http, deployment.invocations, SHADOW_REQUESTS)
        serving.shadow(deployment.name, f"{MODEL}/{challenger}", ws=ws)
        try:
            sequential(http, deployment.invocations, WARMUP)
            blocks["on"] += sequential(http, deployment.invocations, 2 * SHADOW_REQUESTS)
            compared = serving.status(deployment.name, ws=ws).traffic["challenger"].compared
        finally:
            serving.abort(deployment.name, ws=ws)
        blocks["off"] += sequential(http, deployment.invocations, SHADOW_REQUESTS)
    if compared < SHADOW_REQUESTS:
        raise RuntimeError(f"the shadow compared {compared} answers: it did not run")
    return blocks


def _shadow_result(blocks: dict[str, list[float]]) -> Result:
    on, off = blocks["on"], blocks["off"]
    return Result(
        name="serving_shadow_p99",
        ours=f"the deployed endpoint with a shadow of v2: p99 of {len(on)} sequential requests",
        ours_seconds=quantile(on, 0.99),
        baseline=f"the same endpoint without: p99 of {len(off)} (before and after)",
        baseline_seconds=quantile(off, 0.99),
        target=f"≤ {SHADOW_P99_RATIO}×",
        kind="overhead",
        limit=SHADOW_P99_RATIO,
        notes="the shadow's copy is sent after each answer, on the router's own task",
        details={
            "p50, shadow on / off": f"{ms(statistics.median(on))} / {ms(statistics.median(off))}",
        },
    )


ROUTER = "the deployed endpoint: router (uvicorn, aiohttp) and its mlflow models serve"
DIRECT = "mlflow models serve -m models:/NAME/1 --env-manager local -w 1, called directly"


def _latency_result(latencies: dict[str, list[float]]) -> Result:
    ours, base = latencies["router"], latencies["direct"]
    p50, base_p50 = statistics.median(ours), statistics.median(base)
    return Result(
        name="serving_router",
        ours=f"{ROUTER}: p50 of {len(ours)} sequential requests",
        ours_seconds=p50,
        baseline=f"{DIRECT}: p50 of the same requests",
        baseline_seconds=base_p50,
        target=f"≤ +{ADDED_P50_S * 1000:.0f} ms",
        kind="added",
        limit=ADDED_P50_S,
        notes="the two sides alternating request by request",
        details={
            "the router adds to p50": f"{(p50 - base_p50) * 1000:+.2f} ms",
            "p99, router / direct": f"{ms(quantile(ours, 0.99))} / {ms(quantile(base, 0.99))}",
        },
    )


def _throughput_result(loads: dict[str, Load]) -> Result:
    ours, base = loads["router"], loads["direct"]
    return Result(
        name="serving_router_throughput",
        ours=f"{ROUTER}: {CLIENTS} concurrent clients, ms per answered request (1/throughput)",
        ours_seconds=1 / ours.throughput,
        baseline=f"{DIRECT}: the same clients",
        baseline_seconds=1 / base.throughput,
        target=f"≥ {THROUGHPUT_RATIO}× the throughput",
        kind="speed-up",
        limit=THROUGHPUT_RATIO,
        notes=f"{LOAD_ROUNDS} alternating rounds of {LOAD_SECONDS:.0f} s each",
        details={
            "throughput, router / direct": (
                f"{ours.throughput:.0f} / {base.throughput:.0f} answered requests/s"
            ),
            "p50 under this load, router / direct": (
                f"{ms(statistics.median(ours.latencies))} / {ms(statistics.median(base.latencies))}"
            ),
            "p99 under this load, router / direct": (
                f"{ms(quantile(ours.latencies, 0.99))} / {ms(quantile(base.latencies, 0.99))}"
            ),
            "failed requests, router / direct": f"{ours.failed} / {base.failed}",
        },
    )


def _switch_result(switch: Switch, versions: list[str]) -> Result:
    old, new = versions
    took = "never within the load" if switch.switch_s is None else f"{switch.switch_s:.1f} s"
    failures = {kind: switch.failures.count(kind) for kind in sorted(set(switch.failures))}
    return Result(
        name="serving_alias_switch",
        ours=(
            f"requests failed (not a 200) at the deployed endpoint while its alias moved "
            f"v{old}→v{new}"
        ),
        ours_seconds=len(switch.failures),
        baseline=f"requests sent, {SWITCH_RATE:.0f}/s for {switch.seconds:.0f} s",
        baseline_seconds=switch.sent,
        target="no failed request",
        kind="count",
        limit=0,
        notes=f"the alias moved {SWITCH_AT_S:.0f} s into the load",
        details={
            "alias moved → first answer of the new version": took,
            "answers by version": ", ".join(
                f"v{v}: {n}" for v, n in sorted(switch.answered_by.items())
            ),
            "answers whose prediction is not their version's": str(switch.wrong),
            "failures by kind": ", ".join(f"{k}: {n}" for k, n in failures.items()) or "none",
        },
    )
