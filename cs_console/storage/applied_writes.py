"""Idempotency keys of replayed journal writes (the ``applied_writes`` table)."""

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


def claim_key(*, session: Session, key: str, operation: str, at: datetime) -> AppliedWrite:
    """Record ``key`` as applied in the session's transaction (flushed now: a key applied
    before raises IntegrityError, by the unique constraint, before the write is repeated)."""
    row = AppliedWrite(key=key, operation=operation, applied_at=at)
    session.add(row)
    session.flush()
    return row


def store_result(*, session: Session, row: AppliedWrite, result: Any) -> None:
    """Keep what the write returned beside its key (JSON)."""
    row.result = json.dumps(result)
    session.add(row)
