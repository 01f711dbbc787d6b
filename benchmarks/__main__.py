"""``python -m benchmarks [NAME ...] [--runs N]``: run benchmarks, print a table, write
``benchmarks/results/latest.json`` and rewrite ``docs/benchmarks.md``.

Every benchmark compares ours with what a user would otherwise call, as a ratio measured in
one run, in one process, on one fresh MLflow SQLite store. ``--runs`` scales the runs
benchmark down for a quick run; the docs page is rewritten only from full-size results.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import platform
import re
import sqlite3
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import mlflow

from .runs_first_page import RUNS
from .timing import Result

BENCHMARKS = (
    "track_overhead",
    "log_metrics_batching",
    "runs_first_page",
    "datasets_save_memory",
    "datasets_first_save",
    "datasets_resave",
    "datasets_diff",
    "datasets_rows_page",
    "drift_vs_evidently",
    "scheduler_tick",
    "scheduler_fire_latency",
    "job_run_vs_papermill",
    "review_page",
    "features_vs_feast",
    "serving_router",
    "serving_inference_log",
    "team_remote",
)
# Rows a benchmark returns besides the one of its own name, in table order after it.
MORE_ROWS = {
    "track_overhead": ("track_overhead_git",),
    "datasets_save_memory": ("datasets_save_frame",),
    "drift_vs_evidently": ("drift_later_vs_evidently",),
    "features_vs_feast": (
        "features_materialize",
        "features_online",
        "features_online_100",
        "features_online_rest",
    ),
    "serving_router": ("serving_router_throughput", "serving_shadow_p99", "serving_alias_switch"),
    "team_remote": ("team_remote_save",),
    "serving_inference_log": ("serving_inference_log_p99",),
}
ROWS = tuple(row for name in BENCHMARKS for row in (name, *MORE_ROWS.get(name, ())))
LOAD = "runs_api_load"  # not a ratio: a bounded load test whose numbers go in their own table
ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
WIDTH = 92  # docs page line width


def _table(results: list[Result], described: bool) -> str:
    """A markdown table; ``described`` adds what each side runs (for the docs page)."""
    head = ["benchmark", "ours (ms)", "baseline (ms)", "ratio", "target", "met"]
    if described:
        head[1:3] = ["ours", "baseline", "ours (ms)", "baseline (ms)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in results:
        times = [_amount(r, r.ours_seconds), _amount(r, r.baseline_seconds)]
        sides = [r.ours, r.baseline, *times] if described else times
        cells = [r.name, *sides, f"{r.ratio:.2f}×", r.target, "yes" if r.met else "NO"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _amount(result: Result, value: float) -> str:
    """A time in ms (below 1 ms, to the µs); a memory result's values are bytes, shown in
    MiB with their unit; a count result's are requests."""
    if result.kind == "memory":
        return f"{value / 2**20:.0f} MiB"
    if result.kind == "count":
        return f"{value:,.0f} requests"
    return f"{value * 1000:.3f}" if value < 1e-3 else f"{value * 1000:.1f}"


def _machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} CPUs ({platform.system()} {platform.machine()}), "
        f"Python {platform.python_version()}, MLflow {mlflow.__version__}, "
        f"SQLite {sqlite3.sqlite_version}, load average {load:.1f} at start, "
        f"{datetime.now(UTC):%Y-%m-%d}"
    )


def _how(name: str) -> str:
    """How a benchmark measures: its module's docstring, as one wrapped paragraph (for a
    further row of a benchmark, a pointer to the benchmark's own section)."""
    owner = next((b for b, rows in MORE_ROWS.items() if name in rows), None)
    if owner is not None:
        return textwrap.fill(f"Measured by `{owner}`, as its section says.", WIDTH)
    doc = importlib.import_module(f"benchmarks.{name}").__doc__ or ""
    return textwrap.fill(" ".join(doc.split()), WIDTH)


def _bullet(text: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent="- ", subsequent_indent="  ")


def _load_section() -> str:
    path = RESULTS / "load.json"
    if not path.exists():
        return "Not measured yet: `python -m benchmarks runs_api_load`."
    m = json.loads(path.read_text())
    how = (
        f"`python -m benchmarks runs_api_load`: a real Jupyter server on loopback, "
        f"{m['clients']} concurrent clients for {m['seconds']:.0f} s cycling through the "
        "runs page sorted by a metric, a filtered later page, the experiments list, a run "
        "detail, the datasets list, a dataset's versions, a version with its lineage and a "
        "page of a version's rows; the same load against a server with its read cache off "
        f"(`MlopsApp.cache_reads = False`), then the default one, in one run ({m['machine']})."
    )
    head = (
        "| server | requests | errors | throughput | p50 | p99 |\n|---|---:|---:|---:|---:|---:|\n"
    )
    rows = []
    for label, prefix in (("read cache off", "uncached_"), ("default", "")):
        if f"{prefix}requests" not in m:
            continue
        rows.append(
            f"| {label} | {m[prefix + 'requests']} | {m[prefix + 'errors']} | "
            f"{m[prefix + 'throughput_rps']:.0f}/s | {m[prefix + 'p50_ms']:.0f} ms | "
            f"{m[prefix + 'p99_ms']:.0f} ms |"
        )
    ratio = m.get("throughput_ratio")
    tail = f"\n\nThroughput {ratio:.2f}× the server without the cache." if ratio else ""
    tail += (
        " Before the speed work of issue 15 (2026-11-23, the same load): 110 requests/s, p99"
        " 731 ms."
    )
    return f"{textwrap.fill(how, WIDTH)}\n\n{head}" + "\n".join(rows) + tail


# Measured by a Galata spec in a real browser, not by this module: kept as written.
UI_SECTION = """## In the browser

The Galata spec `ui-tests/tests/monitoring.spec.ts` records 100 points of a 50-column
monitor, then times, in the UI test's Chromium, the command opening the Monitoring panel on
that monitor until every chart is drawn, in a page that has drawn no chart yet; the same
charts drawn again; a second panel's first chart (the Experiments panel opened on a run,
to its loss curve drawn); and the first paint in a page just loaded, when plotly.js may
still be on its way. It prints each and keeps them as a test annotation; it asserts none.

| measure | 2026-12-05, 2 CPUs, in `make test` | target |
|---|---:|---|
| first paint, 100 points × 50 columns | 217 ms | ≤ 0.5 s |
| a second panel's first chart (Experiments, a run's loss) | 68 ms | ≤ 150 ms |
| the same charts drawn again | 71 ms | |
| first paint in a page just loaded (plotly.js still arriving) | 538 ms | |
| before (2026-11-23): first paint, loading the full plotly.js | 1036–1115 ms (4 runs) | |

The panels no longer load the full plotly.js (4.9 MB of script): every chart is drawn by the
smallest of plotly's own partial builds that holds its trace types (`basic`, 1.1 MB, for all
of them but a run comparison's parallel coordinates, which load `gl2d`), fetched once per
page and shared, and Lab fetches `basic` while idle. So the first paint is the requests
(about 80 ms here) and the drawing. A page just loaded and asked for the panel at once
still waits for the script, about half a second on this machine.
"""


def _machines(machines: list[str]) -> str:
    """The machines the results come from, once each, with the range of load averages seen
    at the starts of their runs (each result keeps its own in latest.json)."""
    loads: dict[str, list[float]] = {}
    for machine in machines:
        match = re.search(r"load average ([0-9.]+) at start, ", machine)
        facts = machine.replace(match.group(0), "") if match else machine
        loads.setdefault(facts, []).extend([float(match.group(1))] if match else [])
    described = []
    for facts, seen in loads.items():
        span = f"{min(seen):.1f}" if len(set(seen)) <= 1 else f"{min(seen):.1f} to {max(seen):.1f}"
        described.append(f"{facts}; load average at start {span}" if seen else facts)
    return "; ".join(described)


def _write_docs(results: list[Result], machines: list[str]) -> None:
    sections = []
    for r in results:
        lines = [f"### {r.name}", "", _how(r.name), ""]
        lines += [_bullet(f"{r.notes[:1].upper()}{r.notes[1:]}.")] if r.notes else []
        lines += [_bullet(f"{label}: {value}") for label, value in r.details.items()]
        sections.append("\n".join(lines))
    measured_on = textwrap.fill("Measured on: " + _machines(machines) + ".", WIDTH)
    text = f"""# Benchmarks

Each benchmark compares jupyter-mlops with what a user would otherwise call, as a ratio
measured in one run, in one process, on the same real MLflow SQLite store (a fresh
workspace per benchmark). Times are medians of `time.perf_counter` after warm-up, the two
sides called alternately so both see the same machine load. The dataset benchmarks call
the `dvc` command of its own virtualenv and measure memory in a fresh process, as each
section says; the features benchmark runs Feast in its own virtualenv too (both made by
`make bench-setup`). Reproduce with
`python -m benchmarks` (all), `python -m benchmarks NAME ...` (some) or
`python -m benchmarks runs_first_page --runs 1000` (a quick, scaled-down run, which does
not rewrite this page); results go to `benchmarks/results/latest.json`.

{measured_on}

{_table(results, described=True)}

## How each is measured

{chr(10).join(s + chr(10) for s in sections)}
## Load

{_load_section()}

{UI_SECTION}"""
    (ROOT / "docs" / "benchmarks.md").write_text(text)


def _merge(results: list[Result], full_size: bool) -> tuple[list[Result], list[str], bool]:
    """Update ``results/latest.json`` with this run's results (others kept from before), so
    one benchmark can be re-run alone. Returns the merged set in harness order, each one's
    machine facts, and whether all of them are full-size."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "latest.json"
    known: dict[str, dict[str, Any]] = {}
    if path.exists():
        known = {r["name"]: r for r in json.loads(path.read_text())["results"]}
    for r in results:
        known[r.name] = {**r.as_dict(), "machine": _machine(), "full_size": full_size}
    path.write_text(json.dumps({"results": list(known.values())}, indent=2) + "\n")
    fields = set(Result.__dataclass_fields__)
    order = {name: i for i, name in enumerate(ROWS)}
    rows = sorted(known.values(), key=lambda d: order.get(d["name"], len(order)))
    merged = [Result(**{k: v for k, v in d.items() if k in fields}) for d in rows]
    return merged, [d.get("machine", "") for d in rows], all(d.get("full_size") for d in rows)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Run the benchmarks (all when none is named); print, save and document them.",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join((*BENCHMARKS, LOAD)))
    parser.add_argument(
        "--runs", type=int, default=RUNS, help=f"runs to seed for runs_first_page ({RUNS:,})"
    )
    args = parser.parse_args(argv)
    unknown = set(args.names) - {*BENCHMARKS, LOAD}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def _publish(results: list[Result], full_size: bool) -> None:
    merged, machines, all_full = _merge(results, full_size)
    if {r.name for r in merged} >= set(BENCHMARKS) and all_full:
        _write_docs(merged, machines)
        print("wrote docs/benchmarks.md", file=sys.stderr)
    else:
        print("docs/benchmarks.md left as it was (not all full-size results)", file=sys.stderr)


def main(argv: list[str]) -> int:
    """Run the named benchmarks (all when none); 0 when every target is met."""
    args = _parse(argv)
    logging.getLogger("mlflow").setLevel(logging.WARNING)
    names = args.names or list(BENCHMARKS)
    full_size = args.runs >= RUNS
    status = 0
    if LOAD in names:
        names.remove(LOAD)
        measured = importlib.import_module(f"benchmarks.{LOAD}").run()
        measured["machine"] = _machine()
        print(json.dumps(measured, indent=2))
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "load.json").write_text(json.dumps(measured, indent=2))
        errors = measured["errors"] + measured.get("uncached_errors", 0)
        status = 0 if errors == 0 else 1
        if not names:
            _publish([], full_size=True)
            return status
    results: list[Result] = []
    for name in names:
        print(f"running {name}…", file=sys.stderr, flush=True)
        start = time.perf_counter()
        module = importlib.import_module(f"benchmarks.{name}")
        options = {"runs": args.runs} if name == "runs_first_page" else {}
        results.extend(module.run(**options))
        print(f"  {name} took {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    print(_table(results, described=False))
    for r in results:
        for label, value in r.details.items():
            print(f"  {r.name}: {label}: {value}")
    _publish(results, full_size)
    return status or (0 if all(r.met for r in results) else 1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
