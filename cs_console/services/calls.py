"""A call from start to end: timer, response time, caller's history, the stored contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from cs_console.domain.enums import Channel, ContactType
from cs_console.domain.masking import mask_name, mask_phone
from cs_console.domain.permissions import Action
from cs_console.domain.text import clean_text
from cs_console.domain.tracking import TrackingState
from cs_console.domain.validation import (
    normalize_phone,
    normalize_reference,
    normalize_tracking_no,
)
from cs_console.services.context import (
    Actor,
    InvalidInput,
    NotFound,
    ServiceContext,
    ServiceError,
    data_key_of,
    require,
)
from cs_console.services.incidents import IncidentNotice, notices_for_parcel
from cs_console.services.tracking.ways import tracked_way
from cs_console.storage.callbacks import pending_callback_count
from cs_console.storage.caller_complaints import (
    CallerRole,
    HistoryComplaint,
    ReferencedComplaint,
    complaint_by_reference,
    complaints_touching,
)
from cs_console.storage.complaints import open_complaint_reference
from cs_console.storage.contacts import (
    ContactSummary,
    contact_history,
    parcel_contact_history,
)
from cs_console.storage.customers import (
    customer_by_id,
    find_customer,
    parcel_id,
    upsert_customer,
    upsert_parcel,
)
from cs_console.storage.engine import read_session, write_session
from cs_console.storage.events import append_event
from cs_console.storage.parcel_routes import fill_parcel_way
from cs_console.storage.sealing import DataKey
from cs_console.storage.tables import Contact


@dataclass(frozen=True)
class CallerHistory:
    """What the console knows about the caller, masked as lists must be.

    The caller is the person on the number they ring from (or quoting a complaint of
    theirs), never the owner of the parcel they ask about: ``known`` says whether that
    person is on file. ``complaints`` lists theirs and those about parcels they send or
    receive, plus those about the parcel of the call, each with the caller's role in it.

    ``repeat_of`` is the unresolved complaint a new complaint would be classified against
    (the repeat rule, as registering applies it); ``registered_now`` names the complaints
    registered during this call, so that one just saved reads as news, not as a repeat of
    itself. The call being taken is not counted among the caller's contacts.
    """

    known: bool
    name_masked: str
    phone_masked: str
    contacts: int
    recent: tuple[ContactSummary, ...]
    complaints: tuple[HistoryComplaint, ...]
    open_complaints: int  # of the caller's own
    pending_callbacks: int
    repeat_of: str | None
    incidents: tuple[IncidentNotice, ...] = ()  # open incidents the parcel is caught in
    repeat_by_parcel: bool = False  # the unresolved one is about the parcel, not the caller's
    found: ReferencedComplaint | None = None  # the complaint whose reference was typed
    reference_missing: str = ""  # a reference typed that names no complaint
    registered_now: tuple[str, ...] = ()  # references registered during this call
    parcel_contacts: int = 0  # earlier contacts about the parcel of the call, anyone's
    parcel_last: ContactSummary | None = None  # the latest of them


UNKNOWN = CallerHistory(False, "", "", 0, (), (), 0, 0, None)


@dataclass(frozen=True)
class _Caller:
    """Who rang and about which parcel, as looked up from what was typed in the call."""

    customer_id: int | None
    parcel_id: int | None
    tracking_no: str | None
    found: ReferencedComplaint | None
    reference: str | None


def _identify(session: Session, key: DataKey, phone: str, tracking_no: str) -> _Caller:
    """The caller by the number they rang from, else by a complaint reference they quoted
    (in either field); the parcel by tracking number, else the quoted complaint's."""
    e164, number = normalize_phone(phone), normalize_tracking_no(tracking_no)
    reference = normalize_reference(phone) or normalize_reference(tracking_no)
    found = complaint_by_reference(session=session, reference=reference) if reference else None
    if found is not None and normalize_reference(tracking_no):
        number = None  # "C202612060057" also reads as a tracking number: the complaint wins
    caller = find_customer(session=session, key=key, phone=e164) if e164 else None
    customer_id = caller.id if caller else (found.customer_id if found and not e164 else None)
    if number:
        parcel, tracking = parcel_id(session=session, tracking_no=number), number
    elif found is not None:
        parcel, tracking = found.parcel_id, found.tracking_no
    else:
        parcel, tracking = None, None
    return _Caller(customer_id, parcel, tracking, found, reference)


def start_call(console: ServiceContext, actor: Actor, channel: Channel = Channel.PHONE) -> int:
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


def mark_answered(console: ServiceContext, actor: Actor, contact_id: int, at: datetime) -> None:
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
    console: ServiceContext,
    actor: Actor,
    *,
    phone: str = "",
    tracking_no: str = "",
    contact_id: int | None = None,
) -> CallerHistory:
    """Look the caller up as the agent types: by the number they ring from, or by a
    complaint reference they quote (in either field); the parcel by its tracking number.
    ``contact_id`` is the call being taken: what it registered is told apart. Part of taking
    a call: the call desk only."""
    require(actor, Action.START_CALL)
    key = data_key_of(actor)
    typed = [normalize_phone(phone), normalize_tracking_no(tracking_no)]
    typed += [normalize_reference(phone), normalize_reference(tracking_no)]
    if not any(typed):
        return UNKNOWN
    with read_session(console.engine) as session:
        caller = _identify(session, key, phone, tracking_no)
        missing = caller.reference if caller.reference and caller.found is None else ""
        by_caller = open_complaint_reference(
            session=session, customer_id=caller.customer_id, parcel_id=None
        )
        repeat = by_caller or open_complaint_reference(
            session=session, customer_id=None, parcel_id=caller.parcel_id
        )
        complaints = tuple(
            complaints_touching(
                session=session,
                customer_id=caller.customer_id,
                parcel_id=caller.parcel_id,
                contact_id=contact_id,
            )
        )
        now = tuple(c.reference for c in reversed(complaints) if c.this_call)
        incidents = notices_for_parcel(session, caller.tracking_no)
        about_parcel, parcel_last = (
            parcel_contact_history(
                session=session, parcel_id=caller.parcel_id, excluding=contact_id
            )
            if caller.parcel_id is not None
            else (0, [])
        )
        last_about_parcel = parcel_last[0] if parcel_last else None
        customer = (
            customer_by_id(session=session, key=key, customer_id=caller.customer_id)
            if caller.customer_id is not None
            else None
        )
        if customer is None:
            return CallerHistory(
                False, "", "", 0, (), complaints, 0, 0, repeat, incidents,
                repeat_by_parcel=repeat is not None, found=caller.found, reference_missing=missing,
                registered_now=now, parcel_contacts=about_parcel, parcel_last=last_about_parcel,
            )  # fmt: skip
        total, recent = contact_history(
            session=session, customer_id=customer.id, excluding=contact_id
        )
        return CallerHistory(
            known=True,
            name_masked=mask_name(customer.name),
            phone_masked=mask_phone(customer.phone),
            contacts=total,
            recent=tuple(recent),
            complaints=complaints,
            open_complaints=sum(
                1 for c in complaints if c.role is CallerRole.COMPLAINANT and c.status != "closed"
            ),
            pending_callbacks=pending_callback_count(session=session, customer_id=customer.id),
            repeat_of=repeat,
            incidents=incidents,
            repeat_by_parcel=repeat is not None and by_caller is None,
            found=caller.found,
            reference_missing=missing,
            registered_now=now,
            parcel_contacts=about_parcel,
            parcel_last=last_about_parcel,
        )


def end_call(
    console: ServiceContext,
    actor: Actor,
    contact_id: int,
    *,
    contact_type: ContactType | None,
    notes: str,
    outcome: str,
    phone: str = "",
    tracking_no: str = "",
    tracking_state: str = "",
) -> None:
    """Store the finished contact with its duration, type, notes and outcome, linked to
    the caller (by ``phone``) and to the parcel of the call (by ``tracking_no``, found or
    put on file), with the parcel's state that was read out (``tracking_state``, a
    ``TrackingState`` value, "" when none was)."""
    require(actor, Action.START_CALL)
    if contact_type is None:
        raise InvalidInput({"contact_type": "required"})
    if tracking_state and tracking_state not in TrackingState._value2member_map_:
        raise InvalidInput({"tracking_state": "tracking_state_invalid"})
    limits = console.policy.limits
    if len(notes) > limits.max_description_chars:
        raise InvalidInput({"notes": "too_long"})
    now = console.now()
    e164, key = normalize_phone(phone), data_key_of(actor)
    number = normalize_tracking_no(tracking_no) if tracking_no else None
    way = tracked_way(console, number) if number else None  # before the write lock
    with write_session(console.engine) as session:
        contact = session.get(Contact, contact_id)
        if contact is None or contact.agent_id != actor.id:
            raise NotFound("no_such_contact")
        if contact.ended_at is not None:
            raise ServiceError("call_already_ended")
        # The contact is the caller's: the number they rang from (kept on file even for a
        # first call, so that the next call from it is recognised), else the person whose
        # complaint they quoted; never the owner of the parcel they asked about. The parcel
        # is kept too (on file from now on, with no owner, if nobody asked about it before),
        # so that the next call about it finds this one.
        caller = _identify(session, key, phone, tracking_no)
        if e164 is not None:
            contact.customer_id = upsert_customer(
                session=session, key=key, phone=e164, name="", now=now
            )
        elif contact.customer_id is None:
            contact.customer_id = caller.customer_id
        parcel = caller.parcel_id
        if parcel is None and contact.parcel_id is None and caller.tracking_no is not None:
            parcel = upsert_parcel(
                session=session, tracking_no=caller.tracking_no, customer_id=None, now=now
            )
        if contact.parcel_id is None:
            contact.parcel_id = parcel
        if parcel is not None and way is not None and caller.tracking_no == number:
            fill_parcel_way(session=session, parcel_id=parcel, **way.columns())
        if contact.contact_type != ContactType.COMPLAINT.value:  # a registered complaint wins
            contact.contact_type = contact_type.value
        contact.notes = clean_text(notes)
        contact.outcome = clean_text(outcome)[: limits.max_field_chars]
        contact.tracking_state = tracking_state or None
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


ABANDONED = "abandoned"  # the outcome of a call left by closing the console


def abandon_call(console: ServiceContext, actor: Actor, contact_id: int) -> None:
    """The console was closed during the call (ctrl+q, then q): the contact ends now, with no
    type and the outcome "abandoned", so that nobody is shown on a call that no console
    holds. The draft keeps the call; put back, it goes on (``resume_call``). A call already
    ended is left as it is."""
    require(actor, Action.START_CALL)
    now = console.now()
    with write_session(console.engine) as session:
        contact = session.get(Contact, contact_id)
        if contact is None or contact.agent_id != actor.id:
            raise NotFound("no_such_contact")
        if contact.ended_at is not None:
            return
        contact.ended_at, contact.outcome = now, ABANDONED
        session.add(contact)
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="call_abandoned",
            contact_id=contact_id,
            seconds=round((now - contact.started_at).total_seconds()),
        )


def resume_call(console: ServiceContext, actor: Actor, contact_id: int) -> bool:
    """A call put back from the draft of a console closed during it: the contact abandoned
    then is open again, from its first start. True if it was reopened; a call ended any
    other way, or never abandoned (a crash left it open), is left as it is."""
    require(actor, Action.START_CALL)
    with write_session(console.engine) as session:
        contact = session.get(Contact, contact_id)
        if contact is None or contact.agent_id != actor.id:
            raise NotFound("no_such_contact")
        if contact.ended_at is None or contact.outcome != ABANDONED:
            return False
        contact.ended_at, contact.outcome = None, ""
        session.add(contact)
        append_event(
            session=session,
            at=console.now(),
            actor_id=actor.id,
            kind="call_resumed",
            contact_id=contact_id,
        )
        return True
