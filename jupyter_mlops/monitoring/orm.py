"""State-DB tables of monitors: their history of checks, alerts and the actions alerts ask for.

MLflow has no place for these; a point keeps the id of the MLflow run it ran in, if any.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class MonitorRow(Base):
    """A named monitor over a dataset or a model: its thresholds and the actions of alerts."""

    __tablename__ = "mlops_monitors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # data | model
    reference: Mapped[str | None] = mapped_column(Text)  # what the latest check compared to
    thresholds: Mapped[str] = mapped_column(Text, nullable=False)  # JSON list of Rule
    actions: Mapped[str] = mapped_column(Text, nullable=False)  # JSON list of Action
    created_at: Mapped[datetime] = mapped_column(nullable=False)
    updated_at: Mapped[datetime] = mapped_column(nullable=False)


class MonitorPointRow(Base):
    """One check in a monitor's history: the summary in columns, the details as JSON."""

    __tablename__ = "mlops_monitor_points"
    __table_args__ = (Index("ix_mlops_monitor_points_monitor_created", "monitor_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    monitor_id: Mapped[int] = mapped_column(ForeignKey("mlops_monitors.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False)
    engine: Mapped[str] = mapped_column(String(20), nullable=False)
    reference_rows: Mapped[int] = mapped_column(Integer, nullable=False)
    current_rows: Mapped[int] = mapped_column(Integer, nullable=False)
    drifted_share: Mapped[float | None] = mapped_column(Float)
    drifted_columns: Mapped[int] = mapped_column(Integer, nullable=False)
    tested_columns: Mapped[int] = mapped_column(Integer, nullable=False)
    dataset_drifted: Mapped[bool | None] = mapped_column()
    column_scores: Mapped[str] = mapped_column(Text, nullable=False)  # JSON list of ColumnDrift
    quality: Mapped[str | None] = mapped_column(Text)  # JSON of ModelQuality
    distributions: Mapped[str | None] = mapped_column(Text)  # JSON list of ColumnDistribution
    reference: Mapped[str | None] = mapped_column(Text)
    reference_dataset: Mapped[str | None] = mapped_column(String(300))  # NAME@vN
    current_dataset: Mapped[str | None] = mapped_column(String(300))
    mlflow_run_id: Mapped[str | None] = mapped_column(String(64))
    evidently: Mapped[str | None] = mapped_column(Text)  # JSON of EvidentlyArtifact


class MonitorAlertRow(Base):
    """A threshold a point breached; open until someone acknowledges it."""

    __tablename__ = "mlops_monitor_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    monitor_id: Mapped[int] = mapped_column(ForeignKey("mlops_monitors.id"), nullable=False)
    point_id: Mapped[int] = mapped_column(ForeignKey("mlops_monitor_points.id"), nullable=False)
    rule: Mapped[str] = mapped_column(String(200), nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False)
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    acknowledged_by_source: Mapped[str | None] = mapped_column(String(20))
    acknowledged_at: Mapped[datetime | None] = mapped_column()


class MonitorAlertActionRow(Base):
    """An action an alert asks for (run a job, block a promotion), and how far it got."""

    __tablename__ = "mlops_monitor_alert_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("mlops_monitor_alerts.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)  # run_job | block_promotion
    job: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)  # pending|claimed|done|failed
    detail: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(nullable=False)


class ReferenceProfileRow(Base):
    """Where the profile of one column of a dataset version's content is stored.

    Keyed by the version's content object id (a changed dataset is a new object, so it never
    finds an old profile), the column and the profile's format; the profile itself is an
    object of the store, named by its own digest (``profile_store.py``).
    """

    __tablename__ = "mlops_reference_profiles"

    source_object_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    column_name: Mapped[str] = mapped_column(String(1024), primary_key=True)
    format: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_object_id: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False)
