"""The git state a tracked run records (commit, branch, dirty flag), reused while nothing
that could change it has changed.

One ``git status --porcelain=v2 --branch -uno`` gives all three, but a git process costs
3–5 ms on a quiet machine (far more on a busy one), most of a tracked empty cell's overhead.
So the state is remembered per repository under a key made of everything that could change
it, read with ``stat`` and no process: HEAD's content, the signature (inode, size, mtime,
ctime, mode) of the ref it names, of ``packed-refs`` and reftable's table list (a commit
rewrites one of them), of the index and of the git config files, and of every tracked file
of the worktree (an edit changes its mtime and ctime, even one that keeps size and mtime).
Any change makes a new key, and git is asked again. The tracked files come from
``git ls-files``, asked again whenever the index changes.

Timestamps have a granularity: two writes within one tick of the clock a filesystem stamps
with can leave the same signature. A state is therefore remembered only when every timestamp
in its key is older than the moment git was asked by a margin wider than that tick (3 s
where the filesystem stamps whole seconds, 50 ms elsewhere): any later write gets a later
stamp. Until then, and for repositories with submodules, more than ``MAX_FILES`` tracked
files or a location set by ``GIT_*`` variables, git is asked every time.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlflow.utils.mlflow_tags import MLFLOW_GIT_BRANCH, MLFLOW_GIT_COMMIT

from .. import tags as mlops_tags

# --no-optional-locks: never rewrite .git/index, so a tracked cell cannot collide with the
# user's own git commands ("index.lock exists").
GIT = ("git", "--no-optional-locks")
GIT_STATUS = (*GIT, "status", "--porcelain=v2", "--branch", "-uno")
GIT_LAYOUT = (
    *GIT,
    "rev-parse",
    "--path-format=absolute",
    "--show-toplevel",
    "--git-dir",
    "--git-common-dir",
)
GIT_FILES = (*GIT, "ls-files", "-z", "--stage")
GIT_TIMEOUT_S = 5.0
MAX_FILES = 2000  # beyond this, stat-ing every tracked file costs about what git does
FINE_MARGIN_NS = 50_000_000
COARSE_MARGIN_NS = 3_000_000_000
# where git may be told to look elsewhere than the worktree's own .git
LOCATION_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
)
GITLINK = b"160000"  # a submodule's entry in the index

Signature = tuple[int, int, int, int, int] | None
Tags = dict[str, str]


def signature(path: str) -> Signature:
    """What tells a file's changes apart without reading it (None: missing)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode)


def parse_status(out: str) -> Tags:
    """Commit, branch and dirty flag from ``git status --porcelain=v2 --branch``."""
    tags: Tags = {}
    dirty = False
    for line in out.splitlines():
        if line.startswith("# branch.oid ") and not line.endswith("(initial)"):
            tags[MLFLOW_GIT_COMMIT] = line.split()[-1]
        elif line.startswith("# branch.head "):
            tags[MLFLOW_GIT_BRANCH] = line.split()[-1]
        elif not line.startswith("#"):
            dirty = True
    if tags:
        tags[mlops_tags.GIT_DIRTY] = str(dirty).lower()
    return tags


def nearest_dotgit(directory: Path) -> Path | None:
    """The ``.git`` of ``directory`` or its nearest parent (found without starting git)."""
    for parent in (directory, *directory.parents):
        dotgit = parent / ".git"
        if dotgit.exists():
            return dotgit
    return None


def _git(args: tuple[str, ...], cwd: str | os.PathLike[str]) -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:  # git not installed, or the directory is gone
        return None


def _output(proc: subprocess.Popen[bytes] | None) -> bytes | None:
    """The process's output once it ended well; None if it failed or took too long."""
    if proc is None:
        return None
    try:
        out, _ = proc.communicate(timeout=GIT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None
    return out if proc.returncode == 0 else None


@dataclass(frozen=True)
class Layout:
    """Where a repository keeps things, as git itself resolves them."""

    toplevel: str
    git_dir: str
    common_dir: str

    def metadata(self) -> tuple[Any, ...]:
        """HEAD's content and the signatures of the files a commit, a checkout, staging or
        a config change rewrites."""
        try:
            head = Path(self.git_dir, "HEAD").read_bytes()
        except OSError:
            head = b""
        ref = head[5:].strip().decode(errors="replace") if head.startswith(b"ref: ") else ""
        common = self.common_dir
        return (
            head,
            signature(os.path.join(common, ref)) if ref else None,
            signature(os.path.join(common, "packed-refs")),
            signature(os.path.join(common, "reftable", "tables.list")),
            signature(os.path.join(common, "config")),
            signature(os.path.join(self.git_dir, "config.worktree")),
            signature(os.path.expanduser("~/.gitconfig")),
            signature(_xdg_config()),
        )

    @property
    def index(self) -> str:
        return os.path.join(self.git_dir, "index")


def _xdg_config() -> str:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return os.path.join(base, "git", "config")


@dataclass(frozen=True)
class TrackedFiles:
    """The tracked files of one index (``paths`` None: too many, or a submodule among them)."""

    index: Signature
    paths: tuple[str, ...] | None


def read_tracked(layout: Layout, index: Signature) -> TrackedFiles:
    """The files the index (with signature ``index``, taken before) tracks."""
    out = _output(_git(GIT_FILES, layout.toplevel))
    if out is None:
        return TrackedFiles(index, None)
    paths: dict[str, None] = {}  # a conflicted file has several entries
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        if meta.startswith(GITLINK) or len(paths) >= MAX_FILES:
            return TrackedFiles(index, None)
        paths[os.path.join(layout.toplevel, os.fsdecode(path))] = None
    return TrackedFiles(index, tuple(paths))


def settled(key: tuple[Any, ...], asked_ns: int) -> bool:
    """Whether every timestamp in ``key`` is older than ``asked_ns`` by more than the
    filesystem's granularity, so any write after it shows as a new signature."""
    stamps = [(sig[2], sig[3]) for sig in _signatures(key) if sig is not None]
    if not stamps:
        return True
    # ctime is always the kernel's clock: whole seconds everywhere means a coarse filesystem
    coarse = all(ctime % 1_000_000_000 == 0 for _, ctime in stamps)
    margin = COARSE_MARGIN_NS if coarse else FINE_MARGIN_NS
    newest = max(max(pair) for pair in stamps)
    return newest < asked_ns - margin


def _signatures(key: tuple[Any, ...]) -> list[Signature]:
    metadata, index, files = key
    return [*metadata[1:], index, *files]


class GitProbe:
    """A repository's git state: ``known`` at once (remembered, or no repository), else
    read from the ``git status`` started for it when called."""

    def __init__(self, known: Tags | None, read: Callable[[], Tags] | None = None) -> None:
        self.known = dict(known) if known is not None else None
        self._read = read

    def __call__(self) -> Tags:
        if self.known is None:
            assert self._read is not None
            self.known = self._read()
        return dict(self.known)


class GitStates:
    """Git states of the repositories this process tracked runs in, with what they depend on.

    Thread-safe; one per process (``git_states()``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._layouts: dict[tuple[str, str, int], Layout | None] = {}
        self._files: dict[str, TrackedFiles] = {}
        self._states: dict[str, tuple[tuple[Any, ...], Tags]] = {}

    def probe(self, directory: str | os.PathLike[str]) -> GitProbe:
        """Start reading the state of the repository holding ``directory``; the returned
        probe gives it (empty outside a repository, or when git fails)."""
        where = Path(directory).resolve()
        dotgit = nearest_dotgit(where)
        if dotgit is None:
            return GitProbe({})
        layout = None
        if not any(os.environ.get(name) for name in LOCATION_ENV):
            layout = self._layout(where, dotgit)
        if layout is None:  # git is asked every time
            return self._ask(where, None, None)
        asked_ns = time.time_ns()
        key = self._key(layout)
        if key is not None:
            with self._lock:
                known = self._states.get(layout.toplevel)
            if known is not None and known[0] == key:
                return GitProbe(known[1])
        return self._ask(where, layout, key, asked_ns)

    def forget(self) -> None:
        with self._lock:
            self._layouts.clear()
            self._files.clear()
            self._states.clear()

    def _layout(self, where: Path, dotgit: Path) -> Layout | None:
        try:
            ident = (str(where), str(dotgit), os.stat(dotgit).st_ino)
        except OSError:
            return None
        with self._lock:
            if ident in self._layouts:
                return self._layouts[ident]
        out = _output(_git(GIT_LAYOUT, where))
        lines = os.fsdecode(out).splitlines() if out else []
        layout = Layout(*lines) if len(lines) == 3 else None  # a bare repository: no worktree
        with self._lock:
            self._layouts[ident] = layout
        return layout

    def _key(self, layout: Layout) -> tuple[Any, ...] | None:
        """The signatures the state depends on, metadata first (None: not remembered)."""
        metadata = layout.metadata()
        index = signature(layout.index)
        with self._lock:
            files = self._files.get(layout.toplevel)
        if files is None or files.index != index:
            files = read_tracked(layout, index)
            with self._lock:
                self._files[layout.toplevel] = files
        if files.paths is None:
            return None
        return (metadata, index, tuple(signature(path) for path in files.paths))

    def _ask(
        self,
        where: Path,
        layout: Layout | None,
        key: tuple[Any, ...] | None,
        asked_ns: int = 0,
    ) -> GitProbe:
        """Run ``git status`` now (it runs while the caller works); the returned probe
        reads it and remembers the state under ``key`` when the key is settled."""
        proc = _git(GIT_STATUS, where)

        def result() -> Tags:
            out = _output(proc)
            if out is None:
                return {}
            tags = parse_status(out.decode(errors="replace"))
            if layout is not None and key is not None and settled(key, asked_ns):
                with self._lock:
                    self._states[layout.toplevel] = (key, dict(tags))
            return tags

        return GitProbe(None, result)


_states: GitStates | None = None
_states_lock = threading.Lock()


def git_states() -> GitStates:
    """This process's git states (made on first use)."""
    global _states
    with _states_lock:
        if _states is None:
            _states = GitStates()
        return _states


def start_git_probe(directory: str | os.PathLike[str]) -> GitProbe:
    """Start reading the commit, branch and dirty state of the repository holding
    ``directory``; calling the returned probe waits for them (empty outside a repository).

    Known at once when nothing they depend on changed (``probe.known``); otherwise one
    ``git status`` runs while the caller does other work (starting the MLflow run). Outside
    a repository no process starts.
    """
    return git_states().probe(directory)


def git_tags(directory: str | os.PathLike[str]) -> Tags:
    """Commit, branch and dirty state of the repository holding ``directory``, now."""
    return start_git_probe(directory)()
