"""``python -m benchmarks [NAME ...]``: run benchmarks, print a table, write JSON and
docs/benchmarks.md. ``BENCH_RUNS`` scales the runs benchmark down for a quick run."""

from __future__ import annotations

import importlib
import json
import logging
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

import mlflow

from .timing import Result

BENCHMARKS = ("track_overhead", "log_metrics_batching", "runs_first_page")
LOAD = "runs_api_load"  # not a ratio: a bounded load test whose numbers go in their own table
ROOT = Path(__file__).resolve().parents[1]


def _table(results: list[Result]) -> str:
    lines = [
        "| benchmark | ours | baseline | ours (ms) | baseline (ms) | ratio | target | met |",
        "|---|---|---|---:|---:|---:|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.ours} | {r.baseline} | {r.ours_seconds * 1000:.2f} | "
            f"{r.baseline_seconds * 1000:.2f} | {r.ratio:.2f}× | {r.target} | "
            f"{'yes' if r.met else 'NO'} |"
        )
    return "\n".join(lines)


def _machine() -> str:
    return (
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, MLflow {mlflow.__version__}, "
        f"{datetime.now(UTC):%Y-%m-%d}"
    )


def _load_section() -> str:
    path = ROOT / "benchmarks" / "results" / "load.json"
    if not path.exists():
        return "Not measured yet: `python -m benchmarks runs_api_load`."
    m = json.loads(path.read_text())
    return (
        f"`python -m benchmarks runs_api_load`: a real Jupyter server on loopback, "
        f"{m['clients']} concurrent clients for {m['seconds']:.0f} s cycling through the "
        "runs page sorted by a metric, a filtered later page, the experiments list and a run "
        f"detail ({m['machine']}).\n\n"
        "| requests | errors | throughput | p50 | p99 |\n|---:|---:|---:|---:|---:|\n"
        f"| {m['requests']} | {m['errors']} | {m['throughput_rps']:.0f}/s | "
        f"{m['p50_ms']:.0f} ms | {m['p99_ms']:.0f} ms |"
    )


def _write_docs(results: list[Result]) -> None:
    notes = "\n".join(f"- **{r.name}**: {r.notes}" for r in results if r.notes)
    text = f"""# Benchmarks

Each benchmark compares jupyter-mlops with what a user would otherwise call, in one run,
in one process, on the same MLflow SQLite store (a fresh workspace per benchmark). Times
are medians after warm-up. Reproduce with `.venv/bin/python -m benchmarks` (writes this
page and `benchmarks/results/latest.json`).

Measured on: {_machine()}.

{_table(results)}

How each is measured:
- **track_overhead**: a cell `%%track -e bench` with an empty body against a cell
  `with mlflow.start_run(experiment_id=...): pass`, both run through the same real
  IPython shell (`run_cell`), alternately — ratio is ours / bare (lower is better).
  Ours does more per run: notebook source, git state, package-version tags, the cell
  artifact, batched flush and the summary's best-run query.
- **log_metrics_batching**: a 1,000-step loop of `mlops.log_metrics` inside `track()`
  (including the flush at the end) against 1,000 `mlflow.log_metric` calls in a run;
  both stores are checked to hold all 1,000 points. Ratio is bare / ours.
- **runs_first_page**: runs seeded through MLflow's API (5 params, 5 metrics, 3 tags
  each); the first page of 100 sorted by a metric through the runs API core
  (`tracking.search.search_runs`, which also counts the total) against
  `MlflowClient.search_runs` for the same page; the run ids and their order are checked
  to be identical. Ratio is MLflow / ours.

{notes}

## Load

{_load_section()}
"""
    (ROOT / "docs" / "benchmarks.md").write_text(text)


def main(argv: list[str]) -> int:
    logging.getLogger("mlflow").setLevel(logging.WARNING)
    names = argv or list(BENCHMARKS)
    if LOAD in names:
        names.remove(LOAD)
        measured = importlib.import_module(f"benchmarks.{LOAD}").run()
        measured["machine"] = _machine()
        print(json.dumps(measured, indent=2))
        out = ROOT / "benchmarks" / "results"
        out.mkdir(exist_ok=True)
        (out / "load.json").write_text(json.dumps(measured, indent=2))
        _write_docs(_merge([]))
        if not names:
            return 0 if measured["errors"] == 0 else 1
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        print(f"unknown benchmark(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    results: list[Result] = []
    for name in names:
        print(f"running {name}…", file=sys.stderr)
        results.extend(importlib.import_module(f"benchmarks.{name}").run())
    print(_table(results))
    merged = _merge(results)
    if {r.name for r in merged} >= set(BENCHMARKS):
        _write_docs(merged)
    return 0 if all(r.met for r in results) else 1


def _merge(results: list[Result]) -> list[Result]:
    """Update ``results/latest.json`` with this run's results (others kept from before), so
    one benchmark can be re-run alone; returns the merged set in harness order."""
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    path = out / "latest.json"
    known: dict[str, dict[str, object]] = {}
    if path.exists():
        known = {r["name"]: r for r in json.loads(path.read_text())["results"]}
    for r in results:
        known[r.name] = {**r.as_dict(), "machine": _machine()}
    path.write_text(json.dumps({"results": list(known.values())}, indent=2))
    fields = set(Result.__dataclass_fields__)
    merged = [Result(**{k: v for k, v in d.items() if k in fields}) for d in known.values()]
    order = {name: i for i, name in enumerate(BENCHMARKS)}
    return sorted(merged, key=lambda r: order.get(r.name, len(order)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
