"""Queries of the import staging tables (storage/tables/imports.py), keyword-only.

Every function runs inside the caller's short transaction; none of them reads or writes
more than one chunk, so a 200,000-row register never holds a write lock for long.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, text, update
from sqlmodel import Session, col, select

from cs_console.storage.tables import Complaint
from cs_console.storage.tables.imports import STAGING, ImportBatch, ImportStagedRow


def _id(value: int | None) -> int:
    assert value is not None  # a primary key read back is never NULL
    return value


@dataclass(frozen=True)
class StagedRow:
    id: int
    import_key: str
    payload: str


@dataclass(frozen=True)
class Leftover:
    """A batch whose import stopped (its process is gone): to discard or to finish."""

    id: int
    owner_id: int
    state: str


def open_batch(*, session: Session, owner_id: int, now: datetime) -> int:
    """A new batch in the staging state; returns its id."""
    batch = ImportBatch(owner_id=owner_id, state=STAGING, touched_at=now)
    session.add(batch)
    session.flush()
    return _id(batch.id)


def touch_batch(
    *, session: Session, batch_id: int, now: datetime, state: str | None = None
) -> None:
    """Mark the batch alive at ``now`` (and move it to ``state`` when given)."""
    values: dict[str, object] = {"touched_at": now}
    if state is not None:
        values["state"] = state
    session.execute(update(ImportBatch).where(col(ImportBatch.id) == batch_id).values(**values))


def stage_rows(*, session: Session, batch_id: int, rows: Iterable[tuple[str, str]]) -> None:
    """Store ``(import_key, sealed payload)`` rows of a batch in one executemany."""
    values = [{"batch_id": batch_id, "import_key": k, "payload": p} for k, p in rows]
    if values:
        session.execute(insert(ImportStagedRow), values)


def staged_rows(*, session: Session, batch_id: int, limit: int) -> list[StagedRow]:
    """The batch's next ``limit`` rows, in the order they were staged."""
    found = session.exec(
        select(ImportStagedRow.id, ImportStagedRow.import_key, ImportStagedRow.payload)
        .where(col(ImportStagedRow.batch_id) == batch_id)
        .order_by(col(ImportStagedRow.id))
        .limit(limit)
    )
    return [StagedRow(_id(row_id), key, payload) for row_id, key, payload in found]


def drop_staged(*, session: Session, ids: list[int]) -> None:
    """Delete staged rows (published, or discarded) by id."""
    if ids:
        session.execute(delete(ImportStagedRow).where(col(ImportStagedRow.id).in_(ids)))


def discard_chunk(*, session: Session, batch_id: int, limit: int) -> bool:
    """Delete up to ``limit`` rows of the batch, and the batch once it has none left.

    Returns True when the batch is gone.
    """
    ids = [row.id for row in staged_rows(session=session, batch_id=batch_id, limit=limit)]
    drop_staged(session=session, ids=ids)
    if len(ids) == limit:
        return False
    close_batch(session=session, batch_id=batch_id)
    return True


def close_batch(*, session: Session, batch_id: int) -> None:
    """Delete a batch that has no staged rows left (published or discarded)."""
    session.execute(delete(ImportBatch).where(col(ImportBatch.id) == batch_id))


def leftover_batches(*, session: Session, untouched_since: datetime) -> list[Leftover]:
    """Batches not touched since ``untouched_since``: their import is no longer running."""
    found = session.exec(
        select(ImportBatch.id, ImportBatch.owner_id, ImportBatch.state)
        .where(col(ImportBatch.touched_at) < untouched_since)
        .order_by(col(ImportBatch.id))
    )
    return [Leftover(_id(batch_id), owner, state) for batch_id, owner, state in found]


def known_import_keys(*, session: Session, keys: list[str]) -> set[str]:
    """Those of ``keys`` already carried by a stored complaint (up to a few hundred keys)."""
    found = session.exec(select(Complaint.import_key).where(col(Complaint.import_key).in_(keys)))
    return {key for key in found if key is not None}


def refresh_statistics(*, session: Session) -> None:
    """ANALYZE the tables an import grows (PostgreSQL; SQLite plans without statistics).

    Until autovacuum catches up (or where it is off) the planner still believes a table as
    small as it was, and scans it whole for every row registered: an import of 200,000 rows
    into a new database slowed from 170 to 26 rows a second before this.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE complaints, customers, parcels, events"))
