"""Queries on the callback queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func
from sqlalchemy import select as wide_select  # more columns than sqlmodel's select is typed for
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
            callback_id,
            kind,
            due_at,
            created_at,
            attempts,
            open_name(name, key),
            phone_to_dial(key=key, callback_phone=callback_phone, customer_phone=customer_phone),
            *complaint_and_note,
        )
        for (
            callback_id,
            kind,
            due_at,
            created_at,
            attempts,
            name,
            customer_phone,
            callback_phone,
            *complaint_and_note,
        ) in rows
        if callback_id is not None  # always: a stored row's primary key
    ]


# Columns, not ORM objects: a busy agent's queue holds a hundred and more.
_PENDING_OF_OWNER = (
    wide_select(
        col(Callback.id),
        col(Callback.kind),
        col(Callback.due_at),
        col(Callback.created_at),
        col(Callback.attempts),
        col(Customer.name),
        col(Customer.phone),
        col(Callback.phone),
        col(Callback.complaint_id),
        col(Complaint.reference),
        col(Complaint.category),
        col(Callback.note),
    )
    .join(Customer, col(Customer.id) == col(Callback.customer_id))
    .join(Complaint, col(Complaint.id) == col(Callback.complaint_id), isouter=True)
    .where(
        col(Callback.owner_id) == bindparam("owner_id"),
        col(Callback.status) == CallbackStatus.PENDING.value,
    )
    .order_by(col(Callback.due_at))
    .limit(bindparam("limit"))
)


def latest_attempt_id(*, session: Session, callback_id: int) -> int | None:
    """The callback's last attempt that stands (not undone): only it may be undone."""
    return session.exec(
        select(func.max(col(CallbackAttempt.id))).where(
            col(CallbackAttempt.callback_id) == callback_id,
            col(CallbackAttempt.undone_at).is_(None),
        )
    ).one()


def pending_callback_count(*, session: Session, customer_id: int) -> int:
    """How many callbacks a customer is waiting for."""
    return session.exec(
        select(func.count())
        .select_from(Callback)
        .where(
            col(Callback.customer_id) == customer_id,
            col(Callback.status) == CallbackStatus.PENDING.value,
        )
    ).one()


def has_pending_callback(*, session: Session, customer_id: int, kind: str) -> bool:
    """Whether the customer already waits for a callback of this kind."""
    found = session.exec(
        select(col(Callback.id)).where(
            col(Callback.customer_id) == customer_id,
            col(Callback.kind) == kind,
            col(Callback.status) == CallbackStatus.PENDING.value,
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
