"""The hash-chained audit trail (storage/audit.py) and its head."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from cs_console.domain.enums import AuditAction
from cs_console.storage.tables.columns import one_of, utc_column


class AuditEntry(SQLModel, table=True):
    """The audit trail (信息安全): logins, reveals, exports, hand-overs, purges, accounts.

    Append-only and hash-chained (storage/audit.py): each row's ``hash`` covers its content
    and ``prev_hash``, the previous row's hash. Ids are handed out by the writer from
    ``audit_head`` (no sequence), so they have no gaps and a missing id means a deleted row.
    ``detail`` never holds customers' personal data: this table is never purged.
    """

    __tablename__ = "audit_log"
    __table_args__ = (one_of("action", AuditAction, "ck_audit_log_action"),)

    id: int | None = Field(
        default=None, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    at: datetime = Field(sa_column=utc_column())
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    action: str = Field(max_length=20)
    target: str = Field(max_length=200)  # "complaint:C-20261122-0001", "user:wangfang"
    detail: str = Field(default="{}", max_length=20000)  # canonical JSON
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    # HMAC of the entry under the data key (storage/audit.py); None: written by nobody
    # signed in (a failed sign-in, a lockout), or before entries were sealed.
    seal: str | None = Field(default=None, max_length=64)


class AuditHead(SQLModel, table=True):
    """The newest audit entry (one row): deleting the newest entries is detected too."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="ck_audit_head_single_row"),)

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    last_id: int = 0
    last_hash: str = Field(max_length=64)
