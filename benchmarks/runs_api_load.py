"""A bounded load test of the runs and datasets APIs on loopback: 50 concurrent clients for
30 s against a real Jupyter server; records throughput, p50/p99 latency and errors (there must
be none). The same load runs twice on the same seeded workspace, in one run: first against a
server whose read cache is off (``MlopsApp.cache_reads = False``: every poll computes its
page, as before the cache), then against the default server."""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from tornado.httpclient import AsyncHTTPClient, HTTPClientError

from jupyter_mlops.datasets.store import DatasetStore
from jupyter_mlops.workspace import Workspace

from .runs_first_page import _seed
from .workspace import fresh_workspace

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
SEED_RUNS = 500
SEED_DATASETS = 5
TOKEN = "load-test-token"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(root: Path, port: int, cache_reads: bool = True) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable, "-m", "jupyter_server", f"--ServerApp.root_dir={root}",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0", "--ServerApp.open_browser=False",
            f"--IdentityProvider.token={TOKEN}", "--ServerApp.allow_root=True",
            f"--MlopsApp.cache_reads={cache_reads}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


async def _wait_ready(base: str, deadline: float) -> None:
    client = AsyncHTTPClient()
    while time.monotonic() < deadline:
        try:
            await client.fetch(
                f"{base}/mlops/api/info", headers={"Authorization": f"token {TOKEN}"}
            )
            return
        except Exception:
            await asyncio.sleep(0.5)
    raise RuntimeError("server did not start")


async def _load(base: str, urls: list[str]) -> tuple[list[float], int, int]:
    AsyncHTTPClient.configure(None, max_clients=CLIENTS)
    client = AsyncHTTPClient()
    headers = {"Authorization": f"token {TOKEN}"}
    latencies: list[float] = []
    errors = 0
    end = time.monotonic() + SECONDS

    async def worker(i: int) -> None:
        nonlocal errors
        n = i
        while time.monotonic() < end:
            url = urls[n % len(urls)]
            n += 1
            start = time.perf_counter()
            try:
                await client.fetch(base + url, headers=headers, request_timeout=60)
            except (HTTPClientError, OSError):
                errors += 1
            latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(worker(i) for i in range(CLIENTS)))
    return latencies, errors, len(latencies)


def _seed_datasets(ws: Workspace) -> None:
    """A few datasets of two 10,000-row versions each, the second keyed like the first."""
    import numpy as np
    import pandas as pd

    store = DatasetStore(ws)
    rng = np.random.default_rng(0)
    for i in range(SEED_DATASETS):
        frame = pd.DataFrame({"id": np.arange(10_000), "x": rng.normal(size=10_000)})
        store.save(f"table-{i}", frame, key=["id"])
        store.save(f"table-{i}", frame.assign(x=frame.x + 1))


def run() -> dict[str, float]:
    """Seed runs and datasets, serve them, load their routes without then with the read
    cache; returns the measurements (those without it prefixed ``uncached_``)."""
    ws, client = fresh_workspace("load")
    exp_id = client.create_experiment("load")
    _seed(client, exp_id, SEED_RUNS)
    _seed_datasets(ws)
    run_id = client.search_runs([exp_id], max_results=1)[0].info.run_id
    urls = [
        f"/mlops/api/runs?experiment_ids={exp_id}&order_by={quote('metrics.`acc` DESC')}",
        f"/mlops/api/runs?experiment_ids={exp_id}&page=3&filter={quote('params.C = ' + repr('1'))}",
        "/mlops/api/experiments",
        f"/mlops/api/runs/{run_id}",
        "/mlops/api/datasets?search=table",
        "/mlops/api/datasets/table-1",
        "/mlops/api/datasets/table-2/versions/v2",
        "/mlops/api/datasets/table-3/versions/v1/rows?page=4",
    ]
    uncached = _measure(ws.root, urls, cache_reads=False)
    cached = _measure(ws.root, urls, cache_reads=True)
    return {
        "clients": CLIENTS,
        "seconds": SECONDS,
        **{f"uncached_{k}": v for k, v in uncached.items()},
        **cached,
        "throughput_ratio": cached["throughput_rps"] / uncached["throughput_rps"],
    }


def _measure(root: Path, urls: list[str], cache_reads: bool) -> dict[str, float]:
    """One server, ``CLIENTS`` clients for ``SECONDS``: counts, throughput and latencies."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start_server(root, port, cache_reads)
    try:
        asyncio.run(_wait_ready(base, time.monotonic() + 60))
        latencies, errors, count = asyncio.run(_load(base, urls))
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()
    return {
        "requests": count,
        "errors": errors,
        "throughput_rps": count / SECONDS,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(0.99 * (len(latencies) - 1))] * 1000,
    }
