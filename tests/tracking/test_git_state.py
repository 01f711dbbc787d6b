"""The git state of tracked runs is remembered, yet never stale: a commit, a checkout, an
edit, staging, or undoing an edit between two cells shows in the next run's tags."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell
from mlflow.tracking import MlflowClient

from jupyter_mlops.magics.render import RUN_MIME
from jupyter_mlops.pytest_plugin import run_cell
from jupyter_mlops.tracking import git_state
from jupyter_mlops.tracking.git_state import FINE_MARGIN_NS, git_states, git_tags

COMMIT, BRANCH, DIRTY = "mlflow.source.git.commit", "mlflow.source.git.branch", "mlops.git.dirty"


@pytest.fixture(autouse=True)
def fresh_states() -> Iterator[None]:
    git_states().forget()
    yield
    git_states().forget()


@pytest.fixture
def repo(mlops_root: Path) -> Path:
    """The workspace as a git repository: one commit of ``train.py``."""
    git(mlops_root, "init", "-q", "-b", "main")
    (mlops_root / "train.py").write_text("print(1)\n")
    git(mlops_root, "add", "train.py")
    git(mlops_root, "commit", "-qm", "first")
    return mlops_root


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The git commands started from now on."""
    started: list[tuple[str, ...]] = []
    real = git_state._git

    def counting(args: tuple[str, ...], cwd: Any) -> Any:
        started.append(args)
        return real(args, cwd)

    monkeypatch.setattr(git_state, "_git", counting)
    return started


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=root, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


def settle() -> None:
    """Let every timestamp written so far age past the margin (state may be remembered)."""
    time.sleep(2 * FINE_MARGIN_NS / 1e9)


def remembered(root: Path, asked: list[tuple[str, ...]]) -> dict[str, str]:
    """The state read twice, the second time without git: it was remembered."""
    git_tags(root)
    before = len(asked)
    tags = git_tags(root)
    assert len(asked) == before, "git was asked again though nothing changed"
    return tags


def cell_tags(shell: InteractiveShell, client: MlflowClient) -> dict[str, str]:
    """Run an empty ``%%track`` cell; the git tags of its run."""
    result, out = run_cell(shell, "%%track -e git\npass")
    assert result.success
    tags = client.get_run(out.outputs[-1].data[RUN_MIME]["run_id"]).data.tags
    return {k: tags[k] for k in (COMMIT, BRANCH, DIRTY) if k in tags}


def test_a_commit_between_two_cells_changes_the_recorded_commit(
    repo: Path, mlops_shell: InteractiveShell, mlops_client: MlflowClient, asked: list[Any]
) -> None:
    settle()
    first = cell_tags(mlops_shell, mlops_client)
    assert first == {COMMIT: git(repo, "rev-parse", "HEAD"), BRANCH: "main", DIRTY: "false"}
    assert remembered(repo, asked) == first
    git(repo, "commit", "-q", "--allow-empty", "-m", "second")  # touches neither index nor files
    second = cell_tags(mlops_shell, mlops_client)
    assert second[COMMIT] == git(repo, "rev-parse", "HEAD") != first[COMMIT]
    settle()
    assert remembered(repo, asked)[COMMIT] == second[COMMIT]
    git(repo, "commit", "-q", "--amend", "--allow-empty", "-m", "amended")
    assert cell_tags(mlops_shell, mlops_client)[COMMIT] == git(repo, "rev-parse", "HEAD")


def test_an_edit_between_two_cells_makes_the_run_dirty_and_undoing_it_clean(
    repo: Path, mlops_shell: InteractiveShell, mlops_client: MlflowClient, asked: list[Any]
) -> None:
    settle()
    assert cell_tags(mlops_shell, mlops_client)[DIRTY] == "false"
    assert remembered(repo, asked)[DIRTY] == "false"
    (repo / "train.py").write_text("print(2)\n")  # same size, within the same second
    assert cell_tags(mlops_shell, mlops_client)[DIRTY] == "true"
    settle()
    assert remembered(repo, asked)[DIRTY] == "true"
    (repo / "train.py").write_text("print(1)\n")
    assert cell_tags(mlops_shell, mlops_client)[DIRTY] == "false"
    settle()
    assert remembered(repo, asked)[DIRTY] == "false"


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(repo: Path, asked: list[Any]) -> None:
    path = repo / "train.py"
    settle()
    assert remembered(repo, asked)[DIRTY] == "false"
    stat = path.stat()
    path.write_text("print(3)\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as a tool restoring mtimes
    assert path.stat().st_mtime_ns == stat.st_mtime_ns and path.stat().st_size == stat.st_size
    assert git_tags(repo)[DIRTY] == "true"  # its ctime moved


def test_staging_checkout_and_a_new_tracked_file_each_show(repo: Path, asked: list[Any]) -> None:
    settle()
    remembered(repo, asked)
    (repo / "new.py").write_text("x = 1\n")
    assert git_tags(repo)[DIRTY] == "false"  # untracked files do not count (-uno)
    git(repo, "add", "new.py")
    assert git_tags(repo)[DIRTY] == "true"  # staged
    git(repo, "commit", "-qm", "new")
    settle()
    assert remembered(repo, asked)[DIRTY] == "false"
    (repo / "new.py").write_text("x = 2\n")  # a file the cached list did not hold before
    assert git_tags(repo)[DIRTY] == "true"
    git(repo, "checkout", "-q", "-b", "other")
    assert git_tags(repo)[BRANCH] == "other"
    git(repo, "checkout", "-q", "--", "new.py")
    (repo / "train.py").unlink()
    assert git_tags(repo)[DIRTY] == "true"  # a deleted tracked file


def test_a_state_is_not_remembered_while_its_files_are_within_the_margin(
    repo: Path, asked: list[tuple[str, ...]]
) -> None:
    (repo / "train.py").write_text("print(5)\n")
    git_tags(repo)
    git_tags(repo)
    assert asked.count(git_state.GIT_STATUS) == 2  # the edit may still be racing: asked twice


def test_same_size_edits_within_a_second_on_a_coarse_filesystem_are_each_seen(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = git_state.signature

    def whole_seconds(path: str) -> Any:  # as a filesystem stamping whole seconds
        sig = real(path)
        if sig is None:
            return None
        ino, size, mtime, ctime, mode = sig
        return (ino, size, mtime // 10**9 * 10**9, ctime // 10**9 * 10**9, mode)

    monkeypatch.setattr(git_state, "signature", whole_seconds)
    settle()
    path = repo / "train.py"
    for content, dirty in (("print(2)\n", "true"), ("print(1)\n", "false")) * 2:
        path.write_text(content)
        assert git_tags(repo)[DIRTY] == dirty


def test_a_repository_created_inside_another_is_the_one_read(repo: Path, asked: list[Any]) -> None:
    inner = repo / "inner"
    inner.mkdir()
    settle()
    outer = remembered(inner, asked)
    assert outer[COMMIT] == git(repo, "rev-parse", "HEAD")
    git(inner, "init", "-q", "-b", "dev")
    (inner / "a.py").write_text("a\n")
    git(inner, "add", "a.py")
    git(inner, "commit", "-qm", "inner")
    tags = git_tags(inner)
    assert tags[BRANCH] == "dev" and tags[COMMIT] == git(inner, "rev-parse", "HEAD")


def test_outside_a_repository_no_git_runs(mlops_root: Path, asked: list[Any]) -> None:
    assert git_tags(mlops_root) == {} and asked == []
