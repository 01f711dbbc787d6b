"""``%%track`` on an empty cell vs a bare ``with mlflow.start_run(): pass`` on the same store.

Ours runs through a real IPython shell (``run_cell``, output captured) exactly as a notebook
cell does; the baseline is the MLflow call a user would otherwise write, with the tracking
URI pointed at the same store. Both are warmed up first (autolog patching happens once per
process) and then called alternately. For information the same run measures a ladder from
the baseline to ``%%track``, each step adding one thing (the baseline as a cell; MLflow's
run with the tags ``track()`` sets; the ``track()`` Python API; plus the cell artifact),
what switching autologging off and on costs, the store statements each side issues, and a
cProfile breakdown. Then the same workspace becomes a git repository (one commit of one
file) and both sides are measured again, as the row ``track_overhead_git``: there a tracked
run also records commit, branch and dirty flag. Its check: an edit of the tracked file
(same size, within the same second), undoing it and a commit, each between two cells, show
in the next cell's run.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import mlflow
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from mlflow.utils.mlflow_tags import MLFLOW_GIT_COMMIT
from traitlets.config import Config

from jupyter_mlops.magics.render import RUN_MIME
from jupyter_mlops.tags import GIT_DIRTY
from jupyter_mlops.tracking import git_state
from jupyter_mlops.tracking.store import save_text_artifact
from jupyter_mlops.tracking.summary import summarize
from jupyter_mlops.tracking.tracker import CELL_ARTIFACT, track
from jupyter_mlops.workspace import Workspace

from .probes import profile_breakdown, sql_trace
from .timing import Result, interleaved_medians, median_seconds, ms
from .workspace import fresh_workspace, store_engine

REPEAT = 100
PROFILE_REPEAT = 20
TARGET = 1.5
CELL = "%%track -e bench\npass"
_COMMIT = ("~", "<method 'commit' of 'sqlite3.Connection' objects>")

# label -> (end of source path, function): where a %%track cell can spend its time
_MAGIC_PARTS = {
    "mlflow.start_run": ("mlflow/tracking/fluent.py", "start_run"),
    "mlflow.end_run": ("mlflow/tracking/fluent.py", "end_run"),
    "SQLite commits (within all)": _COMMIT,
    "experiment lookup": ("jupyter_mlops/tracking/store.py", "experiment_by_name"),
    "git state": ("jupyter_mlops/tracking/git_state.py", "probe"),
    "environment tags": ("jupyter_mlops/tracking/context.py", "environment_tags"),
    "autolog setting": ("jupyter_mlops/tracking/tracker.py", "_set_autolog"),
    "orphaned-run check": ("jupyter_mlops/tracking/tracker.py", "_end_orphaned_runs"),
    "batched flush": ("jupyter_mlops/tracking/batch.py", "flush"),
    "cell artifact write": ("jupyter_mlops/tracking/store.py", "save_text_artifact"),
    "summary (run values, best run)": ("jupyter_mlops/tracking/summary.py", "summarize"),
    "summary display": ("IPython/core/display_functions.py", "display"),
}
_BARE_PARTS = {
    "mlflow.start_run": _MAGIC_PARTS["mlflow.start_run"],
    "mlflow.end_run": _MAGIC_PARTS["mlflow.end_run"],
    "SQLite commits (within all)": _COMMIT,
}


def _git(root: str, *args: str) -> str:
    who = ("-c", "user.name=bench", "-c", "user.email=bench@example.invalid")
    done = subprocess.run(["git", *who, *args], cwd=root, check=True, capture_output=True)
    return done.stdout.decode().strip()


def _git_init(root: str) -> bool:
    """Make ``root`` a git repository with one commit of one file (``train.py``); False
    when git is not installed."""
    if shutil.which("git") is None:
        return False
    Path(root, "train.py").write_text("print(1)\n")
    _git(root, "init", "-q")
    _git(root, "add", "train.py")
    _git(root, "commit", "-q", "-m", "bench")
    return True


def _check_git_tags(root: str, cell_tags: Callable[[], dict[str, str]]) -> str:
    """The remembered git state is never stale: an edit of a tracked file, undoing it and a
    commit, each between two cells, show in the next cell's run (asserted)."""
    expected = {MLFLOW_GIT_COMMIT: _git(root, "rev-parse", "HEAD"), GIT_DIRTY: "false"}

    def check() -> None:
        tags = cell_tags()
        got = {k: tags.get(k) for k in expected}
        assert got == expected, f"stale git state: {got}, expected {expected}"

    check()
    Path(root, "train.py").write_text("print(2)\n")  # same size, within the same second
    expected[GIT_DIRTY] = "true"
    check()
    Path(root, "train.py").write_text("print(1)\n")
    expected[GIT_DIRTY] = "false"
    check()
    _git(root, "commit", "-q", "--allow-empty", "-m", "again")
    expected[MLFLOW_GIT_COMMIT] = _git(root, "rev-parse", "HEAD")
    check()
    return "an edit, its undoing and a commit between cells each recorded (checked)"


def _autolog_switch(ws: Workspace) -> None:
    """Two runs whose autolog settings differ: a --no-autolog block, then an autologged one
    (the first suspends autologging for its block; nothing is unpatched)."""
    with track(experiment="bench-switch", autolog=False, workspace=ws):
        pass
    with track(experiment="bench-switch", autolog=True, workspace=ws):
        pass


def _ranked(parts: dict[str, float]) -> str:
    total = parts.pop("total")
    ranked = sorted(parts.items(), key=lambda item: -item[1])
    shown = ", ".join(f"{label} {ms(s)}" for label, s in ranked if s >= 5e-5)
    nil = [label for label, s in ranked if s < 5e-5]
    return f"{ms(total)} in all: {shown}" + (f"; under 0.1 ms: {', '.join(nil)}" if nil else "")


def run() -> list[Result]:
    """Measure; returns the one result (its details hold the informational numbers)."""
    ws, client = fresh_workspace("track")
    assert mlflow.get_tracking_uri() == ws.tracking_uri
    exp_id = client.create_experiment("bare")
    tagged_id = client.create_experiment("tagged")
    config = Config()
    config.HistoryManager.hist_file = ":memory:"  # cells are stored, not in the user's file
    shell = InteractiveShell.instance(config=config)
    shell.run_line_magic("load_ext", "jupyter_mlops")
    shell.user_ns["mlflow"] = mlflow
    bare_cell_source = f"with mlflow.start_run(experiment_id={exp_id!r}):\n    pass"
    with track(experiment="bench-api", workspace=ws) as first:
        pass
    our_tags = first.tags

    def cell(source: str) -> None:
        with capture_output():
            result = shell.run_cell(source, store_history=True)
        assert result.success, result.error_in_exec or result.error_before_exec

    def cell_tags() -> dict[str, str]:
        """The tags of the run of one %%track cell."""
        with capture_output() as out:
            result = shell.run_cell(CELL, store_history=True)
        assert result.success, result.error_in_exec or result.error_before_exec
        return client.get_run(out.outputs[-1].data[RUN_MIME]["run_id"]).data.tags

    def magic() -> None:
        cell(CELL)

    def bare() -> None:
        with mlflow.start_run(experiment_id=exp_id):
            pass

    def bare_cell() -> None:
        cell(bare_cell_source)

    def tagged() -> None:
        with mlflow.start_run(experiment_id=tagged_id, tags=our_tags):
            pass

    def api() -> None:
        with track(experiment="bench-api", autolog=True, workspace=ws):
            pass

    def api_cell() -> None:
        with track(
            experiment="bench-api", autolog=True, workspace=ws, cell_source=CELL, execution_count=1
        ):
            pass

    # Warm-up inside: autolog patching, imports and the experiment cache happen once. All
    # of these leave autologging on: switching it is measured on its own below.
    t = interleaved_medians(
        {"magic": magic, "bare": bare, "bare_cell": bare_cell, "tagged": tagged, "api": api,
         "api_cell": api_cell},
        REPEAT,
    )  # fmt: skip
    switch_s = median_seconds(lambda: _autolog_switch(ws), 5, warmup=1)
    with track(experiment="bench-api", workspace=ws) as last:
        pass
    artifact_uri = client.get_run(last.run_id).info.artifact_uri
    artifact_s = median_seconds(
        lambda: save_text_artifact(artifact_uri, CELL, CELL_ARTIFACT), REPEAT // 2
    )
    summary_s = median_seconds(lambda: summarize(last, "FINISHED"), REPEAT // 2)
    bench = client.get_experiment_by_name("bench")
    assert bench is not None, "%%track did not write to the benchmark's store"
    assert len(client.search_runs([bench.experiment_id], max_results=1000)) >= REPEAT

    engine = store_engine(client)
    with sql_trace(engine) as magic_sql:
        magic()
    with sql_trace(engine) as bare_sql:
        bare()
    magic_parts = profile_breakdown(magic, PROFILE_REPEAT, _MAGIC_PARTS)
    bare_parts = profile_breakdown(bare, PROFILE_REPEAT, _BARE_PARTS)

    def step(name: str, previous: str, label: str) -> str:
        extra = (t[name] - t[previous]) * 1000
        return f"{ms(t[name])}, {extra:+.1f} ms over {label}"

    details = {
        "%%track cell / the bare start_run as a cell": f"{t['magic'] / t['bare_cell']:.2f}×",
        "ladder, bare start_run": ms(t["bare"]),
        "ladder, the same as an IPython cell": step("bare_cell", "bare", "bare"),
        f"ladder, start_run with the {len(our_tags)} tags track() sets": step(
            "tagged", "bare", "bare"
        ),
        "ladder, track() Python API (tags, checks, summary)": step("api", "bare", "bare"),
        "ladder, track() + cell artifact and execution count": step("api_cell", "api", "track()"),
        "ladder, %%track cell (run_cell, argument parsing, summary display)": step(
            "magic", "api_cell", "track() + artifact"
        ),
        "parts alone: cell artifact write / summary": f"{ms(artifact_s)} / {ms(summary_s)}",
        "two runs, a --no-autolog block then an autologged one (together)": (ms(switch_s)),
        "store work, %%track cell": magic_sql.counts(),
        "store work, bare start_run": bare_sql.counts(),
    }
    more = []
    if _git_init(str(ws.root)):
        g = interleaved_medians({"magic": magic, "bare": bare}, REPEAT)
        remembered_s = median_seconds(lambda: git_state.git_tags(ws.root), REPEAT // 2)
        status_s = median_seconds(
            lambda: subprocess.run(
                git_state.GIT_STATUS, cwd=ws.root, check=True, capture_output=True
            ),
            REPEAT // 2,
        )
        more.append(
            Result(
                name="track_overhead_git",
                ours="%%track on an empty cell in a git repository (IPython run_cell)",
                ours_seconds=g["magic"],
                baseline="with mlflow.start_run(experiment_id=…): pass, in the same repository",
                baseline_seconds=g["bare"],
                target=f"≤ {TARGET}×, never a stale dirty flag",
                kind="overhead",
                limit=TARGET,
                notes=(
                    "the same workspace once a git repository with one commit of one file; "
                    "the run records commit, branch and dirty flag"
                ),
                details={
                    "correctness": _check_git_tags(str(ws.root), cell_tags),
                    "git state, remembered (nothing changed)": ms(remembered_s),
                    "a git status process (what a changed state costs)": ms(status_s),
                },
            )
        )
    details["profile of one %%track cell (cProfile, so slower than unprofiled)"] = _ranked(
        magic_parts
    )
    details["profile of one bare start_run (cProfile)"] = _ranked(bare_parts)
    return [
        Result(
            name="track_overhead",
            ours="%%track on an empty cell (IPython run_cell)",
            ours_seconds=t["magic"],
            baseline="with mlflow.start_run(experiment_id=…): pass",
            baseline_seconds=t["bare"],
            target=f"≤ {TARGET}×",
            kind="overhead",
            limit=TARGET,
            notes=(
                "ratio is ours / bare (lower is better); the workspace is a temp dir outside "
                "git, as each benchmark's is"
            ),
            details=details,
        ),
        *more,
    ]
