"""Everything stored about one customer, found by their id: read for a data-subject export,
rewritten for an erasure (services/data_subjects.py).

A person's records are their complaints (with the contacts that registered them), their
contacts, their callbacks with the attempts, and the events of all of these. Sealed values
(names, phones) are returned and written sealed: the service opens and seals them with the
actor's data key. Functions run in the caller's transaction and return plain values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, or_, select, update
from sqlmodel import Session, SQLModel, col

from cs_console.storage.tables import (
    Callback,
    CallbackAttempt,
    Complaint,
    Contact,
    Draft,
    Event,
    Parcel,
    table_of,
)


@dataclass(frozen=True)
class PersonRecords:
    """The ids of one customer's records, by table."""

    complaints: tuple[int, ...]
    contacts: tuple[int, ...]
    callbacks: tuple[int, ...]
    attempts: tuple[int, ...]
    events: tuple[int, ...]
    parcels: tuple[int, ...]  # theirs as sender or recipient (tracking numbers only)


def _ids(session: Session, statement: Any) -> tuple[int, ...]:
    return tuple(sorted(session.execute(statement).scalars()))


def person_records(*, session: Session, customer_id: int) -> PersonRecords:
    """The ids of everything stored about the customer ``customer_id``."""
    complaints = _ids(
        session, select(col(Complaint.id)).where(col(Complaint.customer_id) == customer_id)
    )
    their_contacts = select(col(Complaint.contact_id)).where(
        col(Complaint.customer_id) == customer_id, col(Complaint.contact_id).is_not(None)
    )
    contacts = _ids(
        session,
        select(col(Contact.id)).where(
            or_(col(Contact.customer_id) == customer_id, col(Contact.id).in_(their_contacts))
        ),
    )
    callbacks = _ids(
        session, select(col(Callback.id)).where(col(Callback.customer_id) == customer_id)
    )
    attempts = _ids(
        session,
        select(col(CallbackAttempt.id)).where(col(CallbackAttempt.callback_id).in_(callbacks)),
    )
    events = _ids(
        session,
        select(col(Event.id)).where(
            or_(
                col(Event.complaint_id).in_(complaints),
                col(Event.callback_id).in_(callbacks),
                col(Event.contact_id).in_(contacts),
            )
        ),
    )
    parcels = _ids(session, select(col(Parcel.id)).where(col(Parcel.customer_id) == customer_id))
    return PersonRecords(complaints, contacts, callbacks, attempts, events, parcels)


def rows_of(
    *, session: Session, model: type[SQLModel], ids: Collection[int]
) -> list[dict[str, Any]]:
    """The rows of ``model`` with these ids, as dicts of their columns, in id order."""
    if not ids:
        return []
    table = table_of(model)
    found = session.execute(select(table).where(table.c.id.in_(ids)).order_by(table.c.id))
    return [dict(row._mapping) for row in found]


def _blank_or(column: Any, marker: str) -> Any:
    """``marker`` where the column holds something, "" where it was empty."""
    return case((column == "", ""), else_=marker)


def _count(session: Session, statement: Any) -> int:
    result = session.execute(statement.execution_options(synchronize_session=False))
    return result.rowcount or 0  # type: ignore[attr-defined]  # (a CursorResult: DML)


def erase_texts(
    *, session: Session, records: PersonRecords, marker: str, sealed_contact_name: str
) -> dict[str, int]:
    """Replace what was said or typed about the person with ``marker``: their complaints'
    description, request and contact name (``sealed_contact_name``: the marker sealed), their
    contacts' notes and outcome, their callbacks' note and number, their attempts' notes.
    Returns the rows changed per table; categories, clocks and scores are left as they are."""
    complaints = table_of(Complaint)
    contacts = table_of(Contact)
    callbacks = table_of(Callback)
    attempts = table_of(CallbackAttempt)
    return {
        "complaints": _count(
            session,
            update(complaints)
            .where(complaints.c.id.in_(records.complaints))
            .values(
                description=marker,
                request=marker,
                contact_name=case((complaints.c.contact_name == "", ""), else_=sealed_contact_name),
            ),
        ),
        "contacts": _count(
            session,
            update(contacts)
            .where(contacts.c.id.in_(records.contacts))
            .values(
                notes=_blank_or(contacts.c.notes, marker),
                outcome=_blank_or(contacts.c.outcome, marker),
            ),
        ),
        "callbacks": _count(
            session,
            update(callbacks)
            .where(callbacks.c.id.in_(records.callbacks))
            .values(note=_blank_or(callbacks.c.note, marker), phone=""),
        ),
        "callback_attempts": _count(
            session,
            update(attempts)
            .where(attempts.c.id.in_(records.attempts))
            .values(note=_blank_or(attempts.c.note, marker)),
        ),
    }


def rewrite_json_column(
    *,
    session: Session,
    model: type[SQLModel],
    column: str,
    ids: Collection[int],
    rewrite: Callable[[Any], tuple[Any, int]],
) -> int:
    """Pass the JSON ``column`` of these rows through ``rewrite`` (the new document and how
    many values it replaced); rows it replaced nothing in are left alone. Returns how many
    rows changed."""
    if not ids:
        return 0
    table = table_of(model)
    changed = 0
    for row_id, stored in session.execute(
        select(table.c.id, table.c[column]).where(table.c.id.in_(ids))
    ):
        try:
            document = json.loads(stored) if stored else None
        except ValueError:
            continue
        new, replaced = rewrite(document)
        if replaced:
            session.execute(
                update(table)
                .where(table.c.id == row_id)
                .values({column: json.dumps(new, ensure_ascii=False)})
            )
            changed += 1
    return changed


def all_draft_ids(*, session: Session) -> tuple[int, ...]:
    """Every draft's id (drafts are few: one per person and form, plus the kept forms)."""
    return _ids(session, select(col(Draft.id)))
