"""State-DB tables of the features area: versioned definitions and materializations.

A definition (entity, view or service) is one row per version, its spec as JSON: the
definitions are small, read whole, and every change is a new row, so an old training set
resolves to exactly the versions it used. The online values themselves live in the online
store (``online.py``), not here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class FeatureDefinitionRow(Base):
    """One version of an entity, a feature view or a feature service."""

    __tablename__ = "mlops_feature_definitions"
    __table_args__ = (UniqueConstraint("kind", "name", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # entity | view | service
    name: Mapped[str] = mapped_column(String(63), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    spec: Mapped[str] = mapped_column(Text, nullable=False)  # JSON of the *Spec model
    author: Mapped[str] = mapped_column(String(200), nullable=False)
    author_source: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_at: Mapped[datetime] = mapped_column(nullable=False)


class FeatureMaterializationRow(Base):
    """One write of a view's latest values into the online store."""

    __tablename__ = "mlops_feature_materializations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    view: Mapped[str] = mapped_column(String(63), nullable=False, index=True)
    view_version: Mapped[int] = mapped_column(Integer, nullable=False)
    dataset: Mapped[str] = mapped_column(String(200), nullable=False)
    dataset_version: Mapped[int] = mapped_column(Integer, nullable=False)
    mode: Mapped[str] = mapped_column(String(12), nullable=False)  # full | incremental
    status: Mapped[str] = mapped_column(String(10), nullable=False)  # running | done | failed
    rows: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    watermark_ns: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    started_at: Mapped[datetime] = mapped_column(nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)
    author: Mapped[str] = mapped_column(String(200), nullable=False)
    author_source: Mapped[str | None] = mapped_column(String(20), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
