"""Where the time goes: SQL statements on a store's engine, and a cProfile breakdown.

Both explain a ratio rather than make one: statement and commit counts do not depend on
the machine's load, and the profile names the functions that cost the time.
"""

from __future__ import annotations

import cProfile
import pstats
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event


@dataclass
class SqlTrace:
    """Statements executed (first words and seconds each) and commits, while tracing."""

    statements: list[tuple[str, float]] = field(default_factory=list)
    commits: int = 0

    def seconds(self, contains: str) -> float:
        """Total execute time of the statements whose text contains ``contains``."""
        return sum(s for text, s in self.statements if contains in text)

    def counts(self) -> str:
        """``N statements (M writes), K commits``, pragmas left out."""
        real = [t for t, _ in self.statements if not t.startswith("PRAGMA")]
        writes = sum(t.startswith(("INSERT", "UPDATE", "DELETE")) for t in real)
        commits = f"{self.commits} commit" + ("" if self.commits == 1 else "s")
        return f"{len(real)} statements ({writes} writes), {commits}"


@contextmanager
def sql_trace(engine: Any) -> Iterator[SqlTrace]:
    """Record what runs on ``engine`` inside the block (SQLAlchemy engine events)."""
    trace = SqlTrace()

    def before(conn: Any, cursor: Any, text: str, params: Any, context: Any, many: bool) -> None:
        conn.info["bench_start"] = time.perf_counter()

    def after(conn: Any, cursor: Any, text: str, params: Any, context: Any, many: bool) -> None:
        elapsed = time.perf_counter() - conn.info.pop("bench_start", time.perf_counter())
        trace.statements.append((" ".join(text.split()), elapsed))

    def commit(conn: Any) -> None:
        trace.commits += 1

    hooks: list[tuple[str, Callable[..., None]]] = [
        ("before_cursor_execute", before),
        ("after_cursor_execute", after),
        ("commit", commit),
    ]
    for name, hook in hooks:
        event.listen(engine, name, hook)
    try:
        yield trace
    finally:
        for name, hook in hooks:
            event.remove(engine, name, hook)


def profile_breakdown(
    fn: Callable[[], Any], repeat: int, targets: dict[str, tuple[str, str]]
) -> dict[str, float]:
    """Seconds per call of ``fn`` spent inside each target (cumulative, under cProfile).

    ``targets`` maps a label to (end of a source file path, function name); the wall time
    of ``fn`` itself is under ``"total"``. Profiling slows everything: compare within one
    breakdown, not against unprofiled timings.
    """
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    for _ in range(repeat):
        fn()
    profile.disable()
    wall = time.perf_counter() - start
    stats: dict[tuple[str, int, str], tuple[Any, ...]] = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    out = {label: 0.0 for label in targets}
    for (path, _, func), (_, _, _, cumulative, _) in stats.items():
        for label, (suffix, name) in targets.items():
            if func == name and path.replace("\\", "/").endswith(suffix):
                out[label] += cumulative / repeat
    out["total"] = wall / repeat
    return out
