"""Re-sealing every sealed value of a database with a new data key, a chunk at a time.

Each sealed column is listed here with the associated data it is sealed for. A value the
new key did not seal is found by its prefix (storage.sealing: a rotated key prefixes what
it seals with its id), so the same query finds rows not reached yet and rows a console
still holding only the old key wrote meanwhile. Each value is replaced only if it is still
the one read (compare and set): a console that changed the row in between keeps its
change, and a later pass re-seals it if it was sealed with the old key.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, and_, bindparam, or_, select, update
from sqlmodel import Session, SQLModel

from cs_console.storage.callbacks import CALLBACK_PHONE
from cs_console.storage.customers import (
    ADDRESS,
    CONTACT_NAME,
    ID_NUMBER,
    NAME,
    PHONE,
    PREVIOUS_NAME,
)
from cs_console.storage.sealing import DataKey

_PREVIOUS = "previous_name"  # the sealed field inside an event's JSON detail
_DRAFT = "drafts.payload"  # services.drafts.SEALED_FOR, in its "sealed" field (services are above)


@dataclass(frozen=True)
class SealedColumn:
    table: str
    column: str
    sealed_for: str  # the associated data it is sealed with
    json_field: str = ""  # set when the sealed value is one field of a JSON column


SEALED_COLUMNS = (
    SealedColumn("customers", "name", NAME),
    SealedColumn("customers", "phone", PHONE),
    SealedColumn("customers", "address", ADDRESS),
    SealedColumn("customers", "id_number", ID_NUMBER),
    SealedColumn("complaints", "contact_name", CONTACT_NAME),
    SealedColumn("callbacks", "phone", CALLBACK_PHONE),
    SealedColumn("drafts", "payload", _DRAFT, json_field="sealed"),
    SealedColumn("events", "detail", PREVIOUS_NAME, json_field=_PREVIOUS),
)
STAGES = tuple(dict.fromkeys(sealed.table for sealed in SEALED_COLUMNS))
"""The tables re-sealed, in order (a rotation's ``stage``)."""


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _columns(stage: str) -> list[SealedColumn]:
    return [sealed for sealed in SEALED_COLUMNS if sealed.table == stage]


def _not_new(sealed: SealedColumn, key_id: str) -> ColumnElement[bool]:
    """The rows whose value in this column the key ``key_id`` did not seal."""
    column = _table(sealed.table).c[sealed.column]
    if sealed.json_field:
        field = f'%"{sealed.json_field}": "'
        return and_(
            column.like(field + "%"),
            column.not_like(field + '"%'),
            column.not_like(f"{field}{key_id}$%"),
        )
    return and_(column != "", column.not_like(f"{key_id}$%"))


def _stale_rows(stage: str, key_id: str) -> ColumnElement[bool]:
    return or_(*(_not_new(sealed, key_id) for sealed in _columns(stage)))


@dataclass(frozen=True)
class ResealedChunk:
    """The next rows of one table re-sealed in memory, to be written by ``apply_chunk``."""

    stage: str
    rows: int  # rows read (0: none left after ``after_id``)
    last_id: int  # the last id read (0 when none)
    changes: dict[str, list[dict[str, object]]]  # column -> row_id, old_value, new_value


def prepare_chunk(
    *, session: Session, key: DataKey, stage: str, after_id: int, limit: int
) -> ResealedChunk:
    """Read the next ``limit`` rows of ``stage`` after ``after_id`` holding a value ``key``'s
    current key did not seal, and re-seal them in memory (``key`` must open them: a ring
    holding the old key too). Only a read: the encryption happens outside any write lock."""
    table = _table(stage)
    columns = _columns(stage)
    rows = session.execute(
        select(table.c.id, *(table.c[sealed.column] for sealed in columns))
        .where(table.c.id > after_id, _stale_rows(stage, key.key_id))
        .order_by(table.c.id)
        .limit(limit)
    ).all()
    changes: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        for sealed, value in zip(columns, row[1:], strict=True):
            resealed = _resealed(sealed, str(value), key)
            if resealed is not None:
                change = {"row_id": row[0], "old_value": value, "new_value": resealed}
                changes.setdefault(sealed.column, []).append(change)
    return ResealedChunk(stage, len(rows), rows[-1][0] if rows else 0, changes)


def apply_chunk(*, session: Session, chunk: ResealedChunk) -> None:
    """Write a prepared chunk, each value only where it is still the one read (compare and
    set: a console that changed it meanwhile keeps its change)."""
    table = _table(chunk.stage)
    connection = session.connection()
    for name, changes in chunk.changes.items():
        column = table.c[name]
        unchanged = and_(table.c.id == bindparam("row_id"), column == bindparam("old_value"))
        statement = update(table).where(unchanged).values({column: bindparam("new_value")})
        connection.execute(statement, changes)


def _resealed(sealed: SealedColumn, value: str, key: DataKey) -> str | None:
    """``value`` sealed by ``key``'s current key, or None when there is nothing to change."""
    if not sealed.json_field:
        if not value or value.startswith(f"{key.key_id}$"):
            return None
        return key.seal(key.open(value, sealed.sealed_for), sealed.sealed_for)
    detail = json.loads(value)
    inner = detail.get(sealed.json_field)
    if not isinstance(inner, str) or not inner or inner.startswith(f"{key.key_id}$"):
        return None
    detail[sealed.json_field] = key.seal(key.open(inner, sealed.sealed_for), sealed.sealed_for)
    return json.dumps(detail, ensure_ascii=False, default=str)


def stale_values_left(*, session: Session, key_id: str, stages: Sequence[str] = STAGES) -> bool:
    """Whether any row still holds a value the key ``key_id`` did not seal."""
    for stage in stages:
        table = _table(stage)
        found = session.execute(
            select(table.c.id).where(_stale_rows(stage, key_id)).limit(1)
        ).first()
        if found is not None:
            return True
    return False
