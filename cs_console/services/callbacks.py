"""The callback queue: promises to reply, follow-ups, attempts and their outcomes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from cs_console.domain.clocks import second_followup_clock
from cs_console.domain.enums import (
    CallbackKind,
    CallbackStatus,
    ComplaintStatus,
)
from cs_console.domain.permissions import Action
from cs_console.domain.text import clean_line, clean_text
from cs_console.domain.validation import normalize_phone
from cs_console.services.context import (
    Actor,
    InvalidInput,
    ServiceContext,
    data_key_of,
    require,
)
from cs_console.storage.customers import MAX_CHARS, upsert_customer
from cs_console.storage.engine import write_session
from cs_console.storage.events import append_event
from cs_console.storage.tables import Callback, Complaint, Contact, max_chars


def followup_callback(
    complaint: Complaint, kind: CallbackKind, due: datetime, now: datetime
) -> Callback:
    """A pending follow-up call to the complaint's customer, due ``due``, for its owner."""
    return Callback(
        customer_id=complaint.customer_id,
        complaint_id=complaint.id,
        kind=kind.value,
        status=CallbackStatus.PENDING.value,
        owner_id=complaint.owner_id,
        due_at=due,
        created_at=now,
    )


def promise_reply(
    console: ServiceContext,
    actor: Actor,
    *,
    phone: str,
    name: str = "",
    contact_id: int | None = None,
    note: str = "",
) -> datetime:
    """ "We will reply within 1 hour": a callback for this caller, due per policy."""
    require(actor, Action.PROMISE_REPLY)
    e164 = normalize_phone(phone)
    name, note = clean_line(name).strip(), clean_text(note).strip()
    problems: dict[str, str] = {}
    if e164 is None:
        problems["phone"] = "phone_invalid" if phone.strip() else "required"
    if len(name) > min(console.policy.limits.max_field_chars, MAX_CHARS):
        problems["name"] = "too_long"
    if len(note) > max_chars(Callback, "note"):
        problems["note"] = "too_long"
    if problems or e164 is None:
        raise InvalidInput(problems)
    key = data_key_of(actor)
    now = console.now()
    due = now + console.policy.call.reply_promise
    with write_session(console.engine) as session:
        customer_id = upsert_customer(session=session, key=key, phone=e164, name=name, now=now)
        callback = Callback(
            customer_id=customer_id,
            contact_id=contact_id,
            kind=CallbackKind.REPLY_PROMISE.value,
            status=CallbackStatus.PENDING.value,
            owner_id=actor.id,
            due_at=due,
            note=note,
            created_at=now,
        )
        session.add(callback)
        session.flush()
        if contact_id is not None and (contact := session.get(Contact, contact_id)) is not None:
            contact.customer_id = customer_id
            session.add(contact)
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="callback_promised",
            callback_id=callback.id,
            contact_id=contact_id,
            due=due.isoformat(),
        )
    return due


def apply_followup(
    session: Session,
    console: ServiceContext,
    actor: Actor,
    callback: Callback,
    satisfaction: int,
    now: datetime,
) -> dict[str, Any]:
    """A reached follow-up's score on its complaint: closed when satisfied, else reopened
    with a second follow-up. Returns what happened (``closed_complaint``, or
    ``second_followup_due`` and ``second_followup_id``) for the confirmation and the undo.
    Recording a callback attempt's score: the call desk only."""
    require(actor, Action.RECORD_ATTEMPT)
    complaint = session.get(Complaint, callback.complaint_id)
    if complaint is None or complaint.status == ComplaintStatus.CLOSED.value:
        return {}
    complaint.satisfaction = satisfaction
    complaint.followup_done_at = complaint.followup_done_at or now
    complaint.version += 1
    if satisfaction >= console.policy.callbacks.satisfied_from:
        complaint.status = ComplaintStatus.CLOSED.value
        complaint.closed_at = now
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="closed",
            complaint_id=complaint.id,
            satisfaction=satisfaction,
        )
        session.add(complaint)
        return {"closed_complaint": True}
    clock = second_followup_clock(now, console.policy.clocks)
    complaint.status = ComplaintStatus.VERIFIED.value  # negotiation reopens
    complaint.second_followup_due = clock.due
    second = followup_callback(complaint, CallbackKind.SECOND_FOLLOWUP, clock.due, now)
    session.add(second)
    session.flush()
    append_event(
        session=session,
        at=now,
        actor_id=actor.id,
        kind="reopened",
        complaint_id=complaint.id,
        satisfaction=satisfaction,
        second_followup=clock.due,
    )
    session.add(complaint)
    return {"second_followup_due": clock.due, "second_followup_id": second.id}
