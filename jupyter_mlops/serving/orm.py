"""The serving area's table: the audit trail of endpoints (migration 0011)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class ServingEventRow(Base):
    """One audited action on one endpoint."""

    __tablename__ = "mlops_serving_events"
    __table_args__ = (Index("ix_mlops_serving_events_endpoint", "endpoint", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    endpoint: Mapped[str] = mapped_column(String(63), nullable=False)
    at: Mapped[datetime] = mapped_column(nullable=False)
    by: Mapped[str] = mapped_column(String(200), nullable=False)
    by_source: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(30), nullable=False)
    model: Mapped[str] = mapped_column(String(256), nullable=False)
    version_from: Mapped[str | None] = mapped_column(String(20))
    version_to: Mapped[str | None] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, nullable=False)  # JSON
