"""The serving area's rows: the audit trail of every endpoint.

Who did what to an endpoint, and why: a deploy and a stop, each switch of the answering
version (an alias followed, a restart after a crash), the start of a shadow or canary, and
how it ended (promoted, aborted, or rolled back by a rule, with the figures that broke it).
The router records its own actions as :data:`ROUTER_ACTOR`.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from ..contract import UtcDateTime
from ..identity import check_username, source_of
from ..state import StateStore, now
from .orm import ServingEventRow

ROUTER_ACTOR = "jupyter-mlops"  # what the router did on its own (follow, restart, rollback)


class ServingEvent(BaseModel):
    """An audited action, as the API and the panel show it."""

    id: int
    endpoint: str
    at: UtcDateTime
    by: str
    by_source: str | None
    action: str
    model: str
    version_from: str | None
    version_to: str | None
    detail: dict[str, Any]


class ServingStore(StateStore):
    """The audit trail of a workspace's endpoints."""

    def add_event(
        self,
        endpoint: str,
        by: str,
        action: str,
        model: str,
        version_from: str | None = None,
        version_to: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Record ``action`` on ``endpoint`` by ``by`` (an Actor keeps how it was known;
        the router's own actions carry no source)."""
        source = None if by == ROUTER_ACTOR else source_of(by)
        with self.session() as session:
            session.add(
                ServingEventRow(
                    endpoint=endpoint,
                    at=now(),
                    by=check_username(by),
                    by_source=source,
                    action=action,
                    model=model,
                    version_from=version_from,
                    version_to=version_to,
                    detail=json.dumps(detail or {}, default=str),
                )
            )

    def events(self, endpoint: str, limit: int = 200) -> list[ServingEvent]:
        """``endpoint``'s latest ``limit`` audited actions, newest first."""
        query = (
            select(ServingEventRow)
            .where(ServingEventRow.endpoint == endpoint)
            .order_by(ServingEventRow.id.desc())
            .limit(limit)
        )
        with self.reading() as session:
            return [
                ServingEvent(
                    id=row.id,
                    endpoint=row.endpoint,
                    at=row.at,
                    by=row.by,
                    by_source=row.by_source,
                    action=row.action,
                    model=row.model,
                    version_from=row.version_from,
                    version_to=row.version_to,
                    detail=json.loads(row.detail),
                )
                for row in session.scalars(query)
            ]
