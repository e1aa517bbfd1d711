"""Idempotency keys of the journalled write path's writes, online and replayed (the
``applied_writes`` table)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from cs_console.storage.tables import AppliedWrite

NOT_APPLIED = object()  # what ``applied_result`` returns for a key never applied


def applied_result(*, session: Session, key: str) -> Any:
    """What the write with idempotency key ``key`` returned, or ``NOT_APPLIED``."""
    stored = session.exec(
        select(col(AppliedWrite.result)).where(col(AppliedWrite.key) == key)
    ).first()
    return NOT_APPLIED if stored is None else json.loads(stored)


def record_key(*, session: Session, key: str, operation: str, at: datetime, result: Any) -> None:
    """Record ``key`` as applied, with what the write returned (JSON), in the session's
    transaction, flushed now: a key applied before raises IntegrityError (the unique
    constraint), and the caller's transaction, the write with it, rolls back."""
    session.add(
        AppliedWrite(key=key, operation=operation, applied_at=at, result=json.dumps(result))
    )
    session.flush()
