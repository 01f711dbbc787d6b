"""The JupyterHub of the team-mode UI test (`make test-ui`), until SIGTERM or SIGINT.

The Hub of the pytest suite (tests/team/hub.py: its proxy, alice, bob and carol, local
spawners, the mlops service with bob as reviewer) on public port 8890, with the service
on a throw-away PostgreSQL cluster of its own (scripts/test_postgres.sh), and model
``cancer`` v1 registered. Prints ``ready`` when the Hub and the service answer; stops
the Hub, the users' servers and the cluster on exit.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.team.hub import register_model, running_hub  # noqa: E402

PORT = 8890
POSTGRES = ROOT / "scripts" / "test_postgres.sh"


def main() -> None:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    started = subprocess.run(
        ["bash", str(POSTGRES), "start"], check=True, capture_output=True, text=True
    )
    cluster, db_url = started.stdout.strip().splitlines()[-1].split(" ", 1)
    try:
        with running_hub(Path(tempfile.mkdtemp(prefix="mlops-ui-hub-")), db_url, PORT) as hub:
            register_model(hub, db_url)
            print("ready", hub.url, flush=True)
            stop.wait()
    finally:
        subprocess.run(["bash", str(POSTGRES), "stop", cluster], check=False)


if __name__ == "__main__":
    main()
