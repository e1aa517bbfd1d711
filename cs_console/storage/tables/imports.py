"""The tables of a large import in progress (services/complaint_import.py).

A register is staged here in short write transactions, then published into ``complaints``
in short transactions too, so no other console waits on a long write lock. No read path of
complaints looks here: a staged row is invisible until it is published, and a published one
until its whole batch is (storage/unpublished.py). The payload is the
checked row sealed with the data key, as personal data is everywhere else.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import UTCDateTime

STAGING = "staging"  # rows still arriving: discarded if the import stops
PUBLISHING = "publishing"  # decided: published to the end, by this run or the next import


class ImportBatch(SQLModel, table=True):
    __tablename__ = "import_batches"
    __table_args__ = (
        CheckConstraint(f"state IN ('{STAGING}', '{PUBLISHING}')", name="ck_import_batches_state"),
        # Never an id used before: a finished batch's complaints keep its id (tables/complaints)
        # and must not be hidden again by a new batch given the same number.
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(sa_column=Column(Integer, ForeignKey("users.id"), nullable=False))
    state: str = Field(max_length=10)
    # Moved at every chunk: a batch untouched for long belongs to a process that is gone.
    touched_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ImportStagedRow(SQLModel, table=True):
    __tablename__ = "import_staged_rows"
    __table_args__ = (Index("ix_import_staged_rows_batch", "batch_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(
        sa_column=Column(Integer, ForeignKey("import_batches.id"), nullable=False)
    )
    import_key: str = Field(max_length=64)
    payload: str = Field(sa_column=Column(Text, nullable=False))
