"""Monitoring in team mode: a kernel reads the team's alerts and acknowledges them through
the service, as its Hub token's user (an acknowledgement that clears a
``block_promotion`` alert then counts: it is authenticated).

Each function is the twin of one in ``api.py``; the rest of that API is refused in team
mode for now (docs/team.md).
"""

from __future__ import annotations

from ..remote import Call, client, every_page
from .models import Alert
from .views import ListAlertsQuery, ListAlertsResponse

ALERTS = Call("get", "/alerts", ListAlertsResponse, query=ListAlertsQuery)
ACKNOWLEDGE = Call("post", "/alerts/{alert_id}/acknowledge", Alert)
CALLS = (ALERTS, ACKNOWLEDGE)
PAGE = 500


def alerts(monitor: str | None, include_acknowledged: bool) -> list[Alert]:
    def fetch(done: int) -> tuple[list[Alert], int]:
        answer = client().send(
            ALERTS,
            monitor=monitor,
            include_acknowledged=include_acknowledged,
            page=done // PAGE,
            page_size=PAGE,
        )
        return answer.alerts, answer.total

    return every_page(fetch)


def acknowledge(alert_id: int) -> Alert:
    return client().send(ACKNOWLEDGE, {"alert_id": int(alert_id)})
