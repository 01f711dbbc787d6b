"""What an arm answered lately: its request rate, latency, errors and disagreement, over a
sliding window, and whether a rollout's rules still hold over it.

Each answer is one sample (time, ok, latency, and, for a challenger, whether it agreed
with the champion). Samples older than the window are dropped as new ones arrive, so
memory is bounded by the traffic of one window (capped at ``MAX_SAMPLES``).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from .rollout import RolloutRules

WINDOW_S = 60.0
MAX_SAMPLES = 200_000


@dataclass(frozen=True)
class Sample:
    at: float  # time.monotonic()
    ok: bool  # answered, and not a 5xx
    latency_ms: float
    agreed: bool | None = None  # a challenger's answer against the champion's, when both came


@dataclass(frozen=True)
class TrafficSummary:
    """One arm over its window; None where there is nothing to measure yet."""

    requests: int
    rate_per_s: float
    error_rate: float | None
    p50_ms: float | None
    p99_ms: float | None
    compared: int
    disagreement: float | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


class Traffic:
    """The samples of one arm (thread-safe: the router adds, the supervisor reads)."""

    def __init__(self, window_s: float = WINDOW_S) -> None:
        self.window_s = window_s
        self._samples: deque[Sample] = deque(maxlen=MAX_SAMPLES)
        self._lock = threading.Lock()

    def add(self, ok: bool, latency_ms: float, agreed: bool | None = None) -> None:
        now = time.monotonic()
        with self._lock:
            self._samples.append(Sample(now, ok, latency_ms, agreed))
            self._trim(now)

    def _trim(self, now: float) -> None:
        while self._samples and now - self._samples[0].at > self.window_s:
            self._samples.popleft()

    def summary(self, window_s: float | None = None) -> TrafficSummary:
        """The window's figures (the last ``window_s`` seconds, at most the kept window)."""
        now = time.monotonic()
        span = min(window_s or self.window_s, self.window_s)
        with self._lock:
            self._trim(now)
            samples = [s for s in self._samples if now - s.at <= span]
        n = len(samples)
        latencies = [s.latency_ms for s in samples]
        compared = [s.agreed for s in samples if s.agreed is not None]
        return TrafficSummary(
            requests=n,
            rate_per_s=n / span,
            error_rate=(sum(not s.ok for s in samples) / n) if n else None,
            p50_ms=_quantile(latencies, 0.5),
            p99_ms=_quantile(latencies, 0.99),
            compared=len(compared),
            disagreement=(sum(not a for a in compared) / len(compared)) if compared else None,
        )


def broken_rule(rules: RolloutRules, traffic: TrafficSummary) -> str | None:
    """Which of ``rules`` the challenger's ``traffic`` breaks, said with the figures, or
    None (also while it has answered fewer than ``min_requests``)."""
    if traffic.requests < rules.min_requests:
        return None
    if (
        rules.max_error_rate is not None
        and traffic.error_rate is not None
        and traffic.error_rate > rules.max_error_rate
    ):
        return (
            f"error rate {traffic.error_rate:.1%} over {traffic.requests} requests is above "
            f"{rules.max_error_rate:.1%}"
        )
    if rules.max_p99_ms is not None and (traffic.p99_ms or 0.0) > rules.max_p99_ms:
        return f"p99 latency {traffic.p99_ms:.1f} ms is above {rules.max_p99_ms:g} ms"
    if (
        rules.max_disagreement is not None
        and traffic.disagreement is not None
        and traffic.compared >= rules.min_requests
        and traffic.disagreement > rules.max_disagreement
    ):
        return (
            f"disagreement with the champion {traffic.disagreement:.1%} over "
            f"{traffic.compared} compared answers is above {rules.max_disagreement:.1%}"
        )
    return None


def agree(status_a: int, body_a: bytes, status_b: int, body_b: bytes) -> bool:
    """Whether two answers to one request agree: both refused alike, or both 200 with the
    same predictions (numbers within 1e-6 relative)."""
    if status_a != 200 or status_b != 200:
        return status_a // 100 == status_b // 100
    try:
        a, b = json.loads(body_a), json.loads(body_b)
    except ValueError:
        return False
    return _same(a, b)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a == b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)
