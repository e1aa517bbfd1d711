"""A call from start to end: timer, response time, caller's history, the stored contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cs_console.domain.enums import Channel, ContactType
from cs_console.domain.masking import mask_name, mask_phone
from cs_console.domain.permissions import Action
from cs_console.domain.text import clean_text
from cs_console.domain.validation import normalize_phone, normalize_tracking_no
from cs_console.services.context import (
    Actor,
    Console,
    InvalidInput,
    NotFound,
    ServiceError,
    data_key_of,
    require,
)
from cs_console.services.incidents import IncidentNotice, notices_for_parcel
from cs_console.storage.callbacks import pending_callback_count
from cs_console.storage.complaints import complaints_of_customer, open_complaint_reference
from cs_console.storage.contacts import ContactSummary, contact_history
from cs_console.storage.customers import find_customer, parcel_id
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.events import append_event
from cs_console.storage.tables import Contact


@dataclass(frozen=True)
class CallerHistory:
    """What the console knows about the caller, masked as lists must be."""

    known: bool
    name_masked: str
    phone_masked: str
    contacts: int
    recent: tuple[ContactSummary, ...]
    complaints: tuple[tuple[str, str, str, str], ...]  # reference, category, severity, status
    open_complaints: int
    pending_callbacks: int
    repeat_of: str | None
    incidents: tuple[IncidentNotice, ...] = ()  # open incidents the parcel is caught in


UNKNOWN = CallerHistory(False, "", "", 0, (), (), 0, 0, None)


def start_call(console: Console, actor: Actor, channel: Channel = Channel.PHONE) -> int:
    """Open a contact now; returns its id. The timer counts from here."""
    require(actor, Action.START_CALL)
    now = console.now()
    with write_session(console.engine) as session:
        contact = Contact(agent_id=actor.id, channel=channel.value, started_at=now)
        session.add(contact)
        session.flush()
        assert contact.id is not None
        append_event(
            session=session, at=now, actor_id=actor.id, kind="call_started", contact_id=contact.id
        )
        return contact.id


def mark_answered(console: Console, actor: Actor, contact_id: int, at: datetime) -> None:
    """The greeting was said at ``at``: the response time is recorded once."""
    require(actor, Action.START_CALL)
    with write_session(console.engine) as session:
        contact = session.get(Contact, contact_id)
        if contact is None or contact.agent_id != actor.id:
            raise NotFound("no_such_contact")
        if contact.answered_at is None:
            contact.answered_at = at
            session.add(contact)


def caller_history(
    console: Console, actor: Actor, *, phone: str = "", tracking_no: str = ""
) -> CallerHistory:
    """Look the caller up by phone or tracking number as the agent types either."""
    key = data_key_of(actor)
    e164, number = normalize_phone(phone), normalize_tracking_no(tracking_no)
    if e164 is None and number is None:
        return UNKNOWN
    with read_session(console.engine) as session:
        customer = find_customer(session=session, key=key, phone=e164, tracking_no=number)
        parcel = parcel_id(session=session, tracking_no=number) if number else None
        repeat = open_complaint_reference(
            session=session, customer_id=customer.id if customer else None, parcel_id=parcel
        )
        incidents = notices_for_parcel(session, number)
        if customer is None:
            return CallerHistory(False, "", "", 0, (), (), 0, 0, repeat, incidents)
        total, recent = contact_history(session=session, customer_id=customer.id)
        complaints = complaints_of_customer(session=session, customer_id=customer.id)
        return CallerHistory(
            known=True,
            name_masked=mask_name(customer.name),
            phone_masked=mask_phone(customer.phone),
            contacts=total,
            recent=tuple(recent),
            complaints=tuple(complaints),
            open_complaints=sum(1 for c in complaints if c[3] != "closed"),
            pending_callbacks=pending_callback_count(session=session, customer_id=customer.id),
            repeat_of=repeat,
            incidents=incidents,
        )


def end_call(
    console: Console,
    actor: Actor,
    contact_id: int,
    *,
    contact_type: ContactType | None,
    notes: str,
    outcome: str,
    phone: str = "",
    tracking_no: str = "",
) -> None:
    """Store the finished contact with its duration, type, notes and outcome."""
    require(actor, Action.START_CALL)
    if contact_type is None:
        raise InvalidInput({"contact_type": "required"})
    limits = console.policy.limits
    if len(notes) > limits.max_description_chars:
        raise InvalidInput({"notes": "too_long"})
    now = console.now()
    e164, number = normalize_phone(phone), normalize_tracking_no(tracking_no)
    with write_session(console.engine) as session:
        contact = session.get(Contact, contact_id)
        if contact is None or contact.agent_id != actor.id:
            raise NotFound("no_such_contact")
        if contact.ended_at is not None:
            raise ServiceError("call_already_ended")
        if contact.customer_id is None and (e164 or number):
            customer = find_customer(
                session=session, key=data_key_of(actor), phone=e164, tracking_no=number
            )
            contact.customer_id = customer.id if customer else None
        if contact.parcel_id is None and number:
            contact.parcel_id = parcel_id(session=session, tracking_no=number)
        if contact.contact_type != ContactType.COMPLAINT.value:  # a registered complaint wins
            contact.contact_type = contact_type.value
        contact.notes = clean_text(notes)
        contact.outcome = clean_text(outcome)[: limits.max_field_chars]
        contact.ended_at = now
        contact.answered_at = contact.answered_at or now
        session.add(contact)
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="call_ended",
            contact_id=contact_id,
            seconds=round((now - contact.started_at).total_seconds()),
        )
