"""The one write of the Monitoring panel: acknowledging an alert, as the user the server
authenticated. Reads are in ``queries.py``."""

from __future__ import annotations

from .models import Alert
from .queries import parse_id
from .store import MonitorStore


def acknowledge(store: MonitorStore, alert_id: str, user: str) -> Alert:
    """Acknowledge an open alert as ``user``; a Conflict naming who did if it already was."""
    return store.acknowledge(parse_id(alert_id, "an alert"), user)
