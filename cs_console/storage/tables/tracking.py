"""Tracking (查件): the providers' answers, cached for every console."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from cs_console.storage.tables.columns import utc_column


class TrackingAnswer(SQLModel, table=True):
    """A tracking provider's latest answer about one number, shared by every console.

    Providers lock a number asked more often than every 30 minutes per account (kuaidi100),
    so consoles and commands ask the database first (services/tracking/lookup.py).
    ``payload`` is the answer as JSON: the tracking, or the provider's "unknown number".
    """

    __tablename__ = "tracking_cache"
    __table_args__ = (
        UniqueConstraint("provider", "tracking_no", name="uq_tracking_cache_provider_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(max_length=20)
    tracking_no: str = Field(max_length=30)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    fetched_at: datetime = Field(sa_column=utc_column())
