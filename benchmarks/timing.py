"""Timing helpers shared by the benchmarks: medians of ``time.perf_counter`` after warm-up."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
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
    medians = interleaved_medians({"ours": ours, "baseline": baseline}, repeat, warmup)
    return medians["ours"], medians["baseline"]


def interleaved_medians(
    fns: dict[str, Callable[[], Any]], repeat: int, warmup: int = 3
) -> dict[str, float]:
    """Median time of each function, all warmed up, then called in turn ``repeat`` times."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Wall time of one call of ``fn`` and what it returned."""
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


@dataclass
class Result:
    """One benchmark's outcome: ours against the baseline, and the target it must meet."""

    name: str
    ours: str
    ours_seconds: float
    baseline: str
    baseline_seconds: float
    target: str
    # ratio as the target states it: "speed-up" = baseline/ours, "overhead" = ours/baseline;
    # "added" = ours/baseline too, but the target (``limit``, in seconds) bounds what ours
    # adds to the baseline; "count" = ours counts failures of the baseline's attempts (both
    # counts, not seconds), the target bounds the failures
    kind: str
    limit: float
    notes: str = ""
    # informational measurements of the same run (label -> value with its unit)
    details: dict[str, str] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        """The ratio the target is stated in."""
        if self.kind == "speed-up":
            return self.baseline_seconds / self.ours_seconds
        return self.ours_seconds / self.baseline_seconds

    @property
    def met(self) -> bool:
        """Whether the result meets the target."""
        if self.kind == "added":
            return self.ours_seconds - self.baseline_seconds <= self.limit
        if self.kind == "count":
            return self.ours_seconds <= self.limit
        return self.ratio >= self.limit if self.kind == "speed-up" else self.ratio <= self.limit

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data, with its ratio and verdict."""
        return {**asdict(self), "ratio": self.ratio, "met": self.met}


def ms(seconds: float) -> str:
    """Seconds as milliseconds for a table or a note."""
    return f"{seconds * 1000:.1f} ms"
