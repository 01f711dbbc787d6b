"""State-DB tables of the reviews area (migration 0007).

``open_for`` holds ``MODEL/VERSION`` while a review is open and NULL once it is closed: a
UNIQUE column that allows several NULLs, so a model version has at most one open review on
SQLite and PostgreSQL alike. ``revision`` is the review's compare-and-set counter.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class ReviewRow(Base):
    __tablename__ = "mlops_reviews"
    __table_args__ = (
        Index("ix_mlops_reviews_model", "model_name", "model_version"),
        Index("ix_mlops_reviews_run_id", "run_id"),
        Index("ix_mlops_reviews_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model_name: Mapped[str] = mapped_column(String(255), nullable=False)
    model_version: Mapped[int] = mapped_column(Integer, nullable=False)
    run_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    requested_by: Mapped[str] = mapped_column(String(200), nullable=False)
    requested_by_name: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(30), nullable=False)
    rules: Mapped[str] = mapped_column(Text, nullable=False)  # JSON of ReviewRules
    open_for: Mapped[str | None] = mapped_column(String(300), unique=True)
    alias_state: Mapped[str | None] = mapped_column(String(20))
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False)
    updated_at: Mapped[datetime] = mapped_column(nullable=False)
    approved_at: Mapped[datetime | None] = mapped_column()


class ReviewCommentRow(Base):
    __tablename__ = "mlops_review_comments"
    __table_args__ = (Index("ix_mlops_review_comments_review", "review_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("mlops_reviews.id"), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("mlops_review_comments.id"))
    cell_id: Mapped[str | None] = mapped_column(String(64))
    cell_index: Mapped[int | None] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(200), nullable=False)
    author_name: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False)
    edited_at: Mapped[datetime | None] = mapped_column()
    resolved: Mapped[bool] = mapped_column(nullable=False)
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolved_at: Mapped[datetime | None] = mapped_column()


class ReviewDecisionRow(Base):
    __tablename__ = "mlops_review_decisions"
    __table_args__ = (Index("ix_mlops_review_decisions_review", "review_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("mlops_reviews.id"), nullable=False)
    reviewer: Mapped[str] = mapped_column(String(200), nullable=False)
    reviewer_name: Mapped[str] = mapped_column(String(200), nullable=False)
    decision: Mapped[str] = mapped_column(String(20), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False)
    # authenticated | asserted (jupyter_mlops.identity); NULL before migration 0008
    reviewer_source: Mapped[str | None] = mapped_column(String(20))


class ReviewEventRow(Base):
    """The audit trail of a review."""

    __tablename__ = "mlops_review_events"
    __table_args__ = (Index("ix_mlops_review_events_review", "review_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("mlops_reviews.id"), nullable=False)
    at: Mapped[datetime] = mapped_column(nullable=False)
    by: Mapped[str] = mapped_column(String(200), nullable=False)
    by_source: Mapped[str | None] = mapped_column(String(20))  # authenticated | asserted
    action: Mapped[str] = mapped_column(String(30), nullable=False)
    detail: Mapped[str] = mapped_column(Text, nullable=False)  # JSON
