"""State-DB tables of the dataset catalog (MLflow has no place for these)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class DatasetRow(Base):
    """A named dataset; its versions number from 1."""

    __tablename__ = "mlops_datasets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False)


class DatasetVersionRow(Base):
    """One immutable version: its content id and its manifest (schema, stats, provenance)."""

    __tablename__ = "mlops_dataset_versions"
    __table_args__ = (UniqueConstraint("dataset_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("mlops_datasets.id"), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # dataframe | file
    object_id: Mapped[str] = mapped_column(String(64), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    manifest: Mapped[str] = mapped_column(Text, nullable=False)  # JSON of the Manifest model
    created_at: Mapped[datetime] = mapped_column(nullable=False)


class DatasetTagRow(Base):
    """A tag names one version of a dataset; tagging again moves it."""

    __tablename__ = "mlops_dataset_tags"

    dataset_id: Mapped[int] = mapped_column(ForeignKey("mlops_datasets.id"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False)


class DatasetChecksRow(Base):
    """The expectations attached to a dataset name (a JSON list of checks)."""

    __tablename__ = "mlops_dataset_checks"

    dataset_id: Mapped[int] = mapped_column(ForeignKey("mlops_datasets.id"), primary_key=True)
    checks: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(nullable=False)


class DatasetCheckReportRow(Base):
    """The latest check report of one version (a failing version is kept, flagged)."""

    __tablename__ = "mlops_dataset_check_reports"

    dataset_id: Mapped[int] = mapped_column(ForeignKey("mlops_datasets.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    passed: Mapped[bool] = mapped_column(nullable=False)
    report: Mapped[str] = mapped_column(Text, nullable=False)  # JSON of the CheckReport model
    checked_at: Mapped[datetime] = mapped_column(nullable=False)
