"""The inference log: rows per second it sustains, and what it adds to the router's p99.

Rate: ``InferenceLog.append`` of 50,000 rows such as the router writes (a request id, the
request's body, MLflow's ``dataframe_split`` of 5 rows, and its answer), each written to
the tail before the call returns, the tail rolled every 10,000 rows into a Parquet segment
by a thread of its own as in the router; timed until the last segment is written
(``roll()``), so the rate includes the segments. Median of 3 logs, against the budget of
10,000 rows/s (issue 17), 100 µs a row.

What it adds to p99: the router appends each row on its event loop before the answer
leaves, and its rolls (every 5 s, or 10,000 rows) read and write in a thread that shares
the interpreter's lock, so its cost lands on the requests' latency, not only in its own
call. Measured end to end: two endpoints of the same model version, each ``jupyter mlops
serve`` with one change, its log: one the real ``InferenceLog`` with a ``perf_counter``
around each ``append``, the other a log whose ``append`` does nothing (the router still
builds each row). The p99 of 3,000 requests each, one after the other on a keep-alive
httpx client, the two routers alternating request by request, is the result (target: the
log adds ≤ 1 ms); the same under 8 concurrent clients (``serving_router``'s light
clients, 4 alternating rounds of 5 s), where the appends queue behind each other on the
event loop, and each ``append``'s own time in the router over every request of the
benchmark, are shown with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq

from jupyter_mlops.serving import stop as stop_endpoint
from jupyter_mlops.serving.endpoint import ENDPOINT_ENV, endpoint_dir
from jupyter_mlops.serving.inference_log import InferenceLog
from jupyter_mlops.serving.scoring import HEALTH_TIMEOUT_S, free_port, stop_leftovers
from jupyter_mlops.workspace import Workspace, resolve_workspace

from .serving_router import (
    ALIAS,
    CLIENTS,
    LOAD_ROUNDS,
    MODEL,
    PAYLOAD,
    PAYLOAD_ROWS,
    Load,
    alternate,
    concurrent,
    on_path,
    quantile,
    register_versions,
    sequential_pairs,
)
from .timing import Result, ms
from .workspace import fresh_workspace

ROWS = 50_000
LOGS = 3
BUDGET_S = 1e-4  # a row: 10,000 rows/s
REQUESTS = 3_000  # per side, one after the other
ADDED_P99_S = 0.001
APPEND_SECONDS = "append-seconds.json"  # where the timed router leaves each append's time
SIDES = {"log": "timed", "no log": "null"}  # side -> the child's log


def _rows(n: int) -> list[dict[str, Any]]:
    """Rows as the router writes them for ``PAYLOAD`` answered by v1."""
    body = json.dumps(PAYLOAD)
    prediction = json.dumps({"predictions": [0] * len(PAYLOAD_ROWS)})
    start = time.time_ns()
    return [
        {
            "time": start + i * 1000,
            "endpoint": "bench",
            "arm": "champion",
            "model_version": "1",
            "request_id": uuid.uuid4().hex,
            "input": body,
            "prediction": prediction,
            "latency_ms": 2.5 + (i % 100) / 100,
            "status": 200,
        }
        for i in range(n)
    ]


def _append_rate(rows: list[dict[str, Any]]) -> tuple[float, float]:
    """Seconds a row for one fresh log: appended, and with its segments written too."""
    with tempfile.TemporaryDirectory(prefix="mlops-bench-log-") as tmp:
        log = InferenceLog(Path(tmp) / "log")
        try:
            start = time.perf_counter()
            for row in rows:
                log.append(row)
            appended = time.perf_counter() - start
            log.roll()
            segmented = time.perf_counter() - start
        finally:
            log.close()
        segments = Path(tmp, "log").glob("segment-*.parquet")
        assert sum(pq.ParquetFile(p).metadata.num_rows for p in segments) == len(rows)
    return appended / len(rows), segmented / len(rows)


class _Router:
    """An endpoint served by ``jupyter mlops serve``'s own ``serve()`` in a child process,
    with the log of ``kind`` in place of the inference log."""

    def __init__(self, ws: Workspace, kind: str) -> None:
        self.ws = ws
        self.name = f"bench-{kind}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/endpoints/{self.name}/invocations"
        argv = [sys.executable, "-m", __name__, kind, f"{MODEL}@{ALIAS}", self.name]
        directory = endpoint_dir(ws, self.name)
        directory.mkdir(parents=True, exist_ok=True)
        with open(directory / "router.log", "ab") as out:
            self.proc = subprocess.Popen(
                [*argv, str(self.port)],
                cwd=Path(__file__).resolve().parents[1],  # where ``benchmarks`` is
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        health = self.url.replace(f"/endpoints/{self.name}/invocations", "/health")
        while True:
            assert self.proc.poll() is None, f"router {self.name} ended; see its log"
            assert time.monotonic() < deadline, f"router {self.name} did not start"
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(health, timeout=2.0).status_code == 200:
                    return
            time.sleep(0.2)

    def stop(self) -> None:
        """``mlops.serving.stop``; the process group killed (and its scoring server) if it
        did not end."""
        with contextlib.suppress(Exception):
            stop_endpoint(self.name, ws=self.ws)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            stop_leftovers(self.ws.root, {ENDPOINT_ENV: self.name})


def _router_p99s(ws: Workspace) -> tuple[dict[str, list[float]], dict[str, Load], list[float]]:
    """Sequential latencies and concurrent loads of the router with and without its log,
    and each append's time in the router with it."""
    routers: dict[str, _Router] = {}
    try:
        for side, kind in SIDES.items():
            routers[side] = _Router(ws, kind)
        for router in routers.values():
            router.wait_ready()
        latencies = sequential_pairs({s: r.url for s, r in routers.items()}, REQUESTS)
        print("  sequential measured; concurrent…", file=sys.stderr, flush=True)
        loads = alternate({s: partial(concurrent, r.url) for s, r in routers.items()}, LOAD_ROUNDS)
    finally:
        for router in routers.values():
            router.stop()
    timed = endpoint_dir(ws, routers["log"].name) / APPEND_SECONDS
    appends = json.loads(timed.read_text())
    return latencies, {side: Load.pooled(r) for side, r in loads.items()}, appends


def run() -> list[Result]:
    """The log's own rate, then the two routers side by side."""
    on_path()
    ws, client = fresh_workspace("serving-log")
    rows = _rows(ROWS)
    _append_rate(rows[:10_000])  # warm-up
    rates = [_append_rate(rows) for _ in range(LOGS)]
    appended = statistics.median(r[0] for r in rates)
    segmented = statistics.median(r[1] for r in rates)
    register_versions(client)
    latencies, loads, appends = _router_p99s(ws)
    return [_rate_result(appended, segmented), _p99_result(latencies, loads, appends)]


def _rate_result(appended: float, segmented: float) -> Result:
    return Result(
        name="serving_inference_log",
        ours=f"InferenceLog.append of {ROWS:,} router rows, to its last segment written",
        ours_seconds=segmented,
        baseline=f"the budget of the log (issue 17): {1 / BUDGET_S:,.0f} rows/s",
        baseline_seconds=BUDGET_S,
        target=f"≥ {1 / BUDGET_S:,.0f} rows/s",
        kind="overhead",
        limit=1.0,
        notes=f"median of {LOGS} fresh logs; times are per row",
        details={
            "rows/s, segments included": f"{1 / segmented:,.0f}",
            "rows/s, appends alone (segments still being written)": f"{1 / appended:,.0f}",
        },
    )


def _p99_result(
    latencies: Mapping[str, list[float]], loads: Mapping[str, Load], appends: list[float]
) -> Result:
    ours, base = latencies["log"], latencies["no log"]
    p99, base_p99 = quantile(ours, 0.99), quantile(base, 0.99)
    loaded = {side: quantile(load.latencies, 0.99) for side, load in loads.items()}
    return Result(
        name="serving_inference_log_p99",
        ours=f"router with its inference log: p99 of {len(ours):,} sequential requests",
        ours_seconds=p99,
        baseline="the same router whose log's append does nothing: p99 of the same requests",
        baseline_seconds=base_p99,
        target=f"the log adds ≤ {ADDED_P99_S * 1000:.0f} ms",
        kind="added",
        limit=ADDED_P99_S,
        notes="the two routers alternating request by request",
        details={
            "the log adds to p99": f"{(p99 - base_p99) * 1000:+.2f} ms",
            "p50, with / without the log": (
                f"{ms(statistics.median(ours))} / {ms(statistics.median(base))}"
            ),
            f"p99 under {CLIENTS} concurrent clients, with / without the log": (
                f"{ms(loaded['log'])} / {ms(loaded['no log'])} "
                f"({(loaded['log'] - loaded['no log']) * 1000:+.1f} ms)"
            ),
            "throughput under them, with / without the log": (
                f"{loads['log'].throughput:.0f} / {loads['no log'].throughput:.0f} requests/s"
            ),
            f"append's own time in the router, {len(appends):,} calls": (
                f"p50 {statistics.median(appends) * 1e6:.0f} µs, "
                f"p99 {quantile(appends, 0.99) * 1e6:.0f} µs, max {max(appends) * 1000:.1f} ms"
            ),
        },
    )


class _TimedLog(InferenceLog):
    """The inference log, each ``append`` timed; the times written next to the endpoint's
    folder when it closes."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.seconds: list[float] = []

    def append(self, row: Mapping[str, Any]) -> None:
        start = time.perf_counter()
        super().append(row)
        self.seconds.append(time.perf_counter() - start)

    def close(self) -> None:
        super().close()
        (self.directory.parent / APPEND_SECONDS).write_text(json.dumps(self.seconds))


class _NullLog(InferenceLog):
    """A log that keeps nothing: no tail, no roller thread (the router calls only
    ``append`` and ``close``)."""

    def __init__(self, directory: Path) -> None:  # no super().__init__: nothing to open
        self.directory = directory

    def append(self, row: Mapping[str, Any]) -> None:
        pass

    def close(self) -> None:
        pass


def _serve(kind: str, model: str, name: str, port: int) -> None:
    """``jupyter mlops serve MODEL --name NAME --port PORT`` with the log of ``kind``."""
    import jupyter_mlops.serving.serve as served

    served.InferenceLog = _TimedLog if kind == "timed" else _NullLog  # type: ignore[attr-defined,assignment]
    served.serve(resolve_workspace(), model, name, port=port)


if __name__ == "__main__":
    _serve(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
