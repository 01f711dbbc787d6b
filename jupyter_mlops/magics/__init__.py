"""IPython surface: ``%%track`` and ``%mlops``. Magics parse, call one core function, render."""

from __future__ import annotations

from typing import Any


def register(ipython: Any) -> None:
    """Register every magics class on the shell (called by ``%load_ext jupyter_mlops``)."""
    from .datasets import DatasetMagics
    from .features import FeatureMagics
    from .monitoring import MonitoringMagics
    from .tracking import TrackingMagics

    ipython.register_magics(TrackingMagics)
    ipython.register_magics(DatasetMagics)
    ipython.register_magics(MonitoringMagics)
    ipython.register_magics(FeatureMagics)
