"""The commands of the monitoring area's surfaces: what a REST handler or the CLI asks to
change (the reads are in ``queries.py``). Each validates its input, calls the store and
returns the contract's model."""

from __future__ import annotations

from .models import Alert
from .queries import parse_id
from .store import MonitorStore


def acknowledge(store: MonitorStore, alert_id: str, user: str) -> Alert:
    """Acknowledge an open alert as ``user``; a Conflict naming who did if it already was."""
    return store.acknowledge(parse_id(alert_id, "an alert"), user)
