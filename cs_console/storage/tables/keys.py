"""A data-key rotation under way (storage/key_rotation.py, services/key_rotation.py)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from cs_console.storage.tables.columns import utc_column


class KeyRotation(SQLModel, table=True):
    """One rotation from the old data key to a new one.

    ``new_under_old`` is the new key wrapped under the old key's chain key, so a console
    holding only the old key learns the new one; ``old_under_new`` the reverse, so an
    account that already took the new key still opens rows not re-sealed yet. Both are
    emptied when the rotation finishes (the old key destroyed). ``stage`` and ``last_id``
    say where re-sealing stopped: a rotation interrupted resumes there.
    """

    __tablename__ = "key_rotations"

    id: int | None = Field(default=None, primary_key=True)
    old_fingerprint: str = Field(max_length=64)
    new_fingerprint: str = Field(max_length=64)
    new_under_old: str = Field(default="", max_length=200)
    old_under_new: str = Field(default="", max_length=200)
    started_at: datetime = Field(sa_column=utc_column())
    started_by: int = Field(foreign_key="users.id")
    stage: str = Field(default="", max_length=40)  # the table being re-sealed
    last_id: int = 0  # the last row of ``stage`` re-sealed
    resealed_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class KeyPending(SQLModel, table=True):
    """An account that still holds the old key of a rotation (it takes the new one at its
    next sign-in, or an administrator's reset gives it)."""

    __tablename__ = "key_pending"

    rotation_id: int = Field(foreign_key="key_rotations.id", primary_key=True)
    user_id: int = Field(foreign_key="users.id", primary_key=True)
