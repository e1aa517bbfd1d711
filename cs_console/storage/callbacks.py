"""Queries on the callback queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func
from sqlmodel import Session, col, select

from cs_console.domain.enums import CallbackKind, CallbackStatus
from cs_console.storage.customers import open_name, open_phone
from cs_console.storage.events import append_event
from cs_console.storage.sealing import DataKey
from cs_console.storage.tables import Callback, CallbackAttempt, Complaint, Customer

CALLBACK_PHONE = "callbacks.phone"  # the associated data of a corrected number


def seal_callback_phone(key: DataKey, phone: str) -> str:
    """A corrected number to dial (E.164), sealed for the callbacks' phone column."""
    return key.seal(phone, CALLBACK_PHONE)


def phone_to_dial(*, key: DataKey, callback_phone: str, customer_phone: str) -> str:
    """The number a callback dials (E.164): the corrected one when given, else the
    customer's; both stored sealed, each under its own column."""
    if callback_phone:
        return key.open(callback_phone, CALLBACK_PHONE)
    return open_phone(customer_phone, key)


@dataclass(frozen=True)
class CallbackRow:
    id: int
    kind: str
    due_at: datetime
    created_at: datetime
    attempts: int
    customer_name: str
    phone: str  # the number to dial, in clear
    complaint_id: int | None
    complaint_reference: str | None
    complaint_category: str | None
    note: str


def pending_callbacks_of(
    *, session: Session, key: DataKey, owner_id: int, limit: int = 500
) -> list[CallbackRow]:
    """An owner's pending callbacks, soonest due first (the customer's name and the number
    to dial in clear), with the complaint they follow or the note of what was promised."""
    rows = session.connection().execute(_PENDING_OF_OWNER, {"owner_id": owner_id, "limit": limit})
    return [
        CallbackRow(
            *row[:5],
            open_name(row[5], key),
            phone_to_dial(key=key, callback_phone=row[7], customer_phone=row[6]),
            *row[8:],
        )
        for row in rows
    ]


# Columns, not ORM objects: a busy agent's queue holds a hundred and more.
_PENDING_OF_OWNER = (
    select(
        Callback.id,
        Callback.kind,
        Callback.due_at,
        Callback.created_at,
        Callback.attempts,
        Customer.name,
        Customer.phone,
        Callback.phone,
        Callback.complaint_id,
        Complaint.reference,
        Complaint.category,
        Callback.note,
    )
    .join(Customer, Customer.id == Callback.customer_id)
    .join(Complaint, Complaint.id == Callback.complaint_id, isouter=True)
    .where(
        Callback.owner_id == bindparam("owner_id"),
        Callback.status == CallbackStatus.PENDING.value,
    )
    .order_by(Callback.due_at)
    .limit(bindparam("limit"))
)


def latest_attempt_id(*, session: Session, callback_id: int) -> int | None:
    """The callback's last attempt that stands (not undone): only it may be undone."""
    return session.exec(
        select(func.max(CallbackAttempt.id)).where(
            CallbackAttempt.callback_id == callback_id,
            col(CallbackAttempt.undone_at).is_(None),
        )
    ).one()


def pending_callback_count(*, session: Session, customer_id: int) -> int:
    """How many callbacks a customer is waiting for."""
    return session.exec(
        select(func.count())
        .select_from(Callback)
        .where(
            Callback.customer_id == customer_id,
            Callback.status == CallbackStatus.PENDING.value,
        )
    ).one()


def has_pending_callback(*, session: Session, customer_id: int, kind: str) -> bool:
    """Whether the customer already waits for a callback of this kind."""
    found = session.exec(
        select(Callback.id).where(
            Callback.customer_id == customer_id,
            Callback.kind == kind,
            Callback.status == CallbackStatus.PENDING.value,
        )
    ).first()
    return found is not None


def queue_callback(
    *,
    session: Session,
    at: datetime,
    actor_id: int,
    event: str,
    customer_id: int,
    owner_id: int,
    kind: CallbackKind,
    due_at: datetime,
    complaint_id: int | None = None,
    incident_id: int | None = None,
    note: str = "",
) -> int:
    """Add a pending callback and the event that says who queued it, when and why (``event``,
    e.g. "callback_queued"); returns its id."""
    callback = Callback(
        customer_id=customer_id,
        complaint_id=complaint_id,
        kind=kind.value,
        status=CallbackStatus.PENDING.value,
        owner_id=owner_id,
        due_at=due_at,
        note=note,
        created_at=at,
        incident_id=incident_id,
    )
    session.add(callback)
    session.flush()
    assert callback.id is not None
    linked = {"incident_id": incident_id} if incident_id is not None else {}
    append_event(
        session=session,
        at=at,
        actor_id=actor_id,
        kind=event,
        callback_id=callback.id,
        complaint_id=complaint_id,
        due=due_at.isoformat(),
        **linked,
    )
    return callback.id
