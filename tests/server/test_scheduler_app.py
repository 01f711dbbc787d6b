"""The Jupyter server runs the job scheduler in a thread, and stops it with itself."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from jupyter_mlops.pipelines import lease
from jupyter_mlops.pipelines.scheduler import Scheduler


@pytest.fixture
def run_scheduler() -> bool:
    return True


@pytest.fixture
def jp_server_config(mlops_server_config: dict[str, Any], run_scheduler: bool) -> dict[str, Any]:
    mlops = {
        **mlops_server_config["MlopsApp"],
        "run_scheduler": run_scheduler,
        "missed_fire_grace": 120.0,
    }
    return {**mlops_server_config, "MlopsApp": mlops}


def _app(serverapp: Any) -> Any:
    [app] = serverapp.extension_manager.extension_apps["jupyter_mlops"]
    return app


async def test_the_server_runs_the_scheduler_and_stops_it(jp_serverapp: Any) -> None:
    app = _app(jp_serverapp)
    scheduler = jp_serverapp.web_app.settings["mlops_scheduler"]
    assert isinstance(scheduler, Scheduler) and app.settings["mlops_scheduler"] is scheduler
    assert scheduler.thread is not None and scheduler.thread.is_alive()
    assert scheduler.ws == jp_serverapp.web_app.settings["mlops_workspace"]
    assert scheduler.grace == timedelta(seconds=120)

    await app.stop_extension()
    assert not scheduler.thread.is_alive()
    assert lease.current(scheduler.url) is None  # released for another scheduler
    await app.stop_extension()  # stopping twice (the server's own cleanup) is fine


@pytest.mark.parametrize("run_scheduler", [False])
async def test_the_scheduler_can_be_turned_off(jp_serverapp: Any) -> None:
    assert jp_serverapp.web_app.settings["mlops_scheduler"] is None
    await _app(jp_serverapp).stop_extension()
