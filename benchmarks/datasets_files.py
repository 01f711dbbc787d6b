"""Helpers of the 1 GiB file benchmarks: the test file, distinct copies of it, DVC's repo.

DVC runs from its own virtualenv (``make bench-setup`` creates ``.venv-bench``), so its
dependencies never touch the product's environment.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from jupyter_mlops.objects import RACY_NS

ROOT = Path(__file__).resolve().parents[1]
DVC = ROOT / ".venv-bench" / "bin" / "dvc"
GIB = 1 << 30
BLOCK = 1 << 26


def dvc() -> Path:
    """DVC's command, or a clear stop when it is not installed."""
    if not DVC.exists():
        raise SystemExit(f"DVC is not installed: run `make bench-setup` first ({DVC} missing)")
    return DVC


def dvc_env() -> dict[str, str]:
    """The environment DVC runs in: no analytics, its own virtualenv first on PATH."""
    path = f"{DVC.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, "DVC_NO_ANALYTICS": "1", "PATH": path}


def scratch(name: str) -> Path:
    """A temp folder removed when the process exits."""
    folder = Path(tempfile.mkdtemp(prefix=f"mlops-bench-{name}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def random_file(path: Path, size: int = GIB) -> Path:
    """Incompressible bytes, written in 64 MiB blocks."""
    with open(path, "wb") as out:
        for start in range(0, size, BLOCK):
            out.write(os.urandom(min(BLOCK, size - start)))
    return path


def distinct_copy(source: Path, dest: Path, tag: int) -> Path:
    """A copy of ``source`` whose first bytes carry ``tag``: new content for each repeat,
    so every first save really is one (nothing deduplicated)."""
    shutil.copyfile(source, dest)
    with open(dest, "r+b") as fh:
        fh.write(f"copy {tag:08d}\n".encode())
    return dest


def wait_until_settled(path: Path) -> None:
    """Wait until ``path`` was last changed more than the object store's racy window ago
    (a file written within it is hashed again on its next save; see ``FileHashes``)."""
    st = path.stat()
    ready = max(st.st_mtime_ns, st.st_ctime_ns) + RACY_NS + 100_000_000
    time.sleep(max(0.0, (ready - time.time_ns()) / 1e9))


def dvc_repo(folder: Path) -> Path:
    """A fresh git + DVC repository (analytics off)."""
    folder.mkdir(parents=True)
    env = dvc_env()
    for cmd in (
        ["git", "init", "-q"],
        [str(dvc()), "init", "-q"],
        [str(dvc()), "config", "core.analytics", "false"],
    ):
        subprocess.run(cmd, cwd=folder, env=env, check=True, capture_output=True)
    return folder


def dvc_add(repo: Path, name: str) -> None:
    """``dvc add NAME`` in ``repo``, as a user types it."""
    subprocess.run(
        [str(dvc()), "add", "-q", name], cwd=repo, env=dvc_env(), check=True, capture_output=True
    )


def dvc_version() -> str:
    done = subprocess.run(
        [str(dvc()), "--version"], env=dvc_env(), check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def remove_object(path: Path) -> None:
    """Delete a stored (read-only) object so the next repeat starts from an empty slot."""
    path.chmod(0o644)
    path.unlink()
