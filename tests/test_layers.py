"""The layering of the tree holds: import-linter's contracts in pyproject.toml (core areas
and their foundation import no surface, no IPython, jupyter_server or tornado; the areas
keep their order, reviews over pipelines over monitoring over datasets over tracking)."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is a test dependency (pyproject.toml)"
    done = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:]
    assert "0 broken" in done.stdout
