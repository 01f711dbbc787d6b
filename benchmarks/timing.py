"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


def median_seconds(fn: Callable[[], Any], repeat: int, warmup: int = 2) -> float:
    """Median wall time of ``fn`` over ``repeat`` calls, after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def paired_medians(
    ours: Callable[[], Any], baseline: Callable[[], Any], repeat: int, warmup: int = 3
) -> tuple[float, float]:
    """Median times of two functions run alternately, so both see the same machine load
    and the same store size."""
    for _ in range(warmup):
        ours()
        baseline()
    a, b = [], []
    for _ in range(repeat):
        for fn, samples in ((ours, a), (baseline, b)):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


@dataclass
class Result:
    """One benchmark's outcome: ours against the baseline, and the target it must meet."""

    name: str
    ours: str
    ours_seconds: float
    baseline: str
    baseline_seconds: float
    target: str
    # ratio as the target states it: "speed-up" = baseline/ours, "overhead" = ours/baseline
    kind: str
    limit: float
    notes: str = ""

    @property
    def ratio(self) -> float:
        if self.kind == "speed-up":
            return self.baseline_seconds / self.ours_seconds
        return self.ours_seconds / self.baseline_seconds

    @property
    def met(self) -> bool:
        return self.ratio >= self.limit if self.kind == "speed-up" else self.ratio <= self.limit

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "met": self.met}
