"""Calling a customer back: one attempt's outcome, recorded deliberately, and taken back.

An attempt is reached (a follow-up with the customer's satisfaction 1-5), no answer
(retried per policy; a second "no answer" before the retry is due is refused, and says
when to try again) or a wrong number: the right number is given and the callback goes on
with it, or the callback is closed with a reason and the clock it belongs to stops. What
an attempt changed is kept with it, so that its outcome can be undone within the policy's
``undo_seconds``; the undo is an event of its own and the attempt stays, marked undone.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, SQLModel

from cs_console.domain.callbacks import FOLLOWUP_KINDS, next_attempt_due, retry_not_due
from cs_console.domain.enums import (
    AttemptOutcome,
    CallbackKind,
    CallbackStatus,
    ComplaintStatus,
    ContactType,
)
from cs_console.domain.masking import mask_phone
from cs_console.domain.permissions import Action, may_work
from cs_console.domain.text import clean_line, clean_text
from cs_console.domain.validation import normalize_phone
from cs_console.services.callbacks import apply_followup
from cs_console.services.context import (
    Actor,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceContext,
    ServiceError,
    data_key_of,
    require,
)
from cs_console.storage.callbacks import latest_attempt_id, seal_callback_phone
from cs_console.storage.engine import write_session
from cs_console.storage.events import append_event
from cs_console.storage.tables import Callback, CallbackAttempt, Complaint, Contact, max_chars


class RetryNotDue(ServiceError):
    """No answer again before the retry is due: nothing recorded; ``due`` says when."""

    def __init__(self, due: datetime) -> None:
        super().__init__("retry_not_due", due=due)
        self.due = due


@dataclass(frozen=True)
class AttemptResult:
    """What an attempt did, for the confirmation (and its undo key)."""

    attempt_id: int
    status: CallbackStatus
    retry_due: datetime | None = None  # no answer: when to call again
    second_followup_due: datetime | None = None  # an unsatisfied follow-up reopened
    closed_complaint: bool = False  # a satisfied follow-up closed the complaint
    corrected: bool = False  # a wrong number was replaced: call the new one
    undo_until: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """As the outage journal stores a result (JSON)."""
        return {
            name: value.isoformat() if isinstance(value, datetime) else value
            for name, value in asdict(self).items()
        } | {"status": self.status.value}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AttemptResult:
        times = ("retry_due", "second_followup_due", "undo_until")
        values: dict[str, Any] = {
            k: datetime.fromisoformat(v) if k in times and v else v for k, v in data.items()
        }
        return cls(**{**values, "status": CallbackStatus(data["status"])})


CALLBACK_FIELDS = ("status", "due_at", "done_at", "attempts", "phone")
COMPLAINT_FIELDS = (
    "status",
    "satisfaction",
    "followup_done_at",
    "second_followup_due",
    "closed_at",
)


def _snapshot(row: SQLModel, names: tuple[str, ...]) -> dict[str, Any]:
    return {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name in names
        for value in (getattr(row, name),)
    }


def _restore(row: SQLModel, saved: dict[str, Any]) -> None:
    for name, value in saved.items():
        if name.endswith(("_at", "_due")) and isinstance(value, str):
            value = datetime.fromisoformat(value)
        setattr(row, name, value)


def _checked(
    console: ServiceContext,
    outcome: AttemptOutcome,
    satisfaction: int | None,
    note: str,
    phone: str,
    reason: str,
) -> tuple[str, str | None, str]:
    """The note, the corrected number (E.164) and the closing reason, or InvalidInput."""
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise InvalidInput({"satisfaction": "satisfaction_required"})
    note, reason = clean_text(note).strip(), clean_line(reason).strip()
    limit = max_chars(CallbackAttempt, "note")
    if len(note) > limit:
        raise InvalidInput({"note": "too_long"})
    if len(reason) > console.policy.limits.max_field_chars:
        raise InvalidInput({"reason": "too_long"})
    e164 = None
    if outcome is AttemptOutcome.WRONG_NUMBER:
        if phone.strip():
            e164 = normalize_phone(phone)
            if e164 is None:
                raise InvalidInput({"phone": "phone_invalid"})
        elif not reason:
            raise InvalidInput({"phone": "number_or_reason"})
    return note, e164, reason


def check_attempt(
    console: ServiceContext,
    outcome: AttemptOutcome,
    *,
    satisfaction: int | None = None,
    note: str = "",
    phone: str = "",
    reason: str = "",
) -> None:
    """Refuse the input the service would refuse, without the database (the journal)."""
    _checked(console, outcome, satisfaction, note, phone, reason)


def record_attempt(
    console: ServiceContext,
    actor: Actor,
    callback_id: int,
    outcome: AttemptOutcome,
    *,
    satisfaction: int | None = None,
    note: str = "",
    phone: str = "",
    reason: str = "",
) -> AttemptResult:
    """Record one call attempt and what follows from it (see the module's docstring).

    Reached follow-ups need a satisfaction score 1-5; a wrong number needs the right
    ``phone`` or a closing ``reason``. Only the callback's owner (or a supervisor) records
    attempts; a callback no longer pending takes none.
    """
    require(actor, Action.RECORD_ATTEMPT)
    note, e164, reason = _checked(console, outcome, satisfaction, note, phone, reason)
    now = console.now()
    with write_session(console.engine) as session:
        callback = _workable(session, actor, callback_id)
        if callback.status != CallbackStatus.PENDING.value:
            raise ServiceError("callback_done")
        is_followup = callback.kind in FOLLOWUP_KINDS and callback.complaint_id is not None
        if outcome is AttemptOutcome.REACHED and is_followup and satisfaction is None:
            raise InvalidInput({"satisfaction": "satisfaction_required"})
        if outcome is AttemptOutcome.NO_ANSWER and retry_not_due(
            callback.attempts, callback.due_at, now
        ):
            raise RetryNotDue(callback.due_at)
        complaint = session.get(Complaint, callback.complaint_id) if callback.complaint_id else None
        prior: dict[str, Any] = {"callback": _snapshot(callback, CALLBACK_FIELDS)}
        if complaint is not None:
            prior["complaint"] = _snapshot(complaint, COMPLAINT_FIELDS)
        callback.attempts += 1
        result: dict[str, Any] = {}
        if outcome is AttemptOutcome.REACHED:
            callback.status, callback.done_at = CallbackStatus.DONE.value, now
            if is_followup and satisfaction is not None:
                result = apply_followup(session, console, actor, callback, satisfaction, now)
            contact = Contact(
                agent_id=actor.id,
                customer_id=callback.customer_id,
                channel="phone",
                contact_type=ContactType.OTHER.value,
                started_at=now,
                answered_at=now,
                ended_at=now,
                notes=note,
                outcome=f"callback:{callback.kind}",
            )
            session.add(contact)
            session.flush()
            prior["contact_id"] = contact.id
        elif outcome is AttemptOutcome.NO_ANSWER:
            retry = next_attempt_due(now, callback.attempts, console.policy.callbacks)
            if retry is None:
                callback.status, callback.done_at = CallbackStatus.GAVE_UP.value, now
            else:
                callback.due_at = result["retry_due"] = retry
        elif e164 is not None:  # the right number: the callback goes on, due now
            callback.phone = seal_callback_phone(data_key_of(actor), e164)
            callback.due_at = now
            result["corrected"] = True
        else:  # closed with a reason: the clock it belongs to stops too
            callback.status, callback.done_at = CallbackStatus.GAVE_UP.value, now
            if complaint is not None:
                _stop_clock(complaint, callback.kind, now)
        if "second_followup_id" in result:
            prior["second_followup_id"] = result.pop("second_followup_id")
        if complaint is not None:
            prior["complaint_version"] = complaint.version  # as this attempt left it
        session.add(callback)
        attempt = CallbackAttempt(
            callback_id=callback_id,
            actor_id=actor.id,
            at=now,
            outcome=outcome.value,
            satisfaction=satisfaction,
            note=note or reason,
            prior=json.dumps(prior),
        )
        session.add(attempt)
        session.flush()
        assert attempt.id is not None
        detail: dict[str, Any] = {"satisfaction": satisfaction, "status": callback.status}
        if e164 is not None:
            detail["phone"] = mask_phone(e164)  # the new number, masked as on screen
        if reason and e164 is None:
            detail["reason"] = reason
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind=f"callback_{outcome.value}",
            callback_id=callback_id,
            complaint_id=callback.complaint_id,
            attempt_id=attempt.id,
            **detail,
        )
        return AttemptResult(
            attempt.id,
            CallbackStatus(callback.status),
            undo_until=now + console.policy.callbacks.undo_window,
            **result,
        )


def _workable(session: Session, actor: Actor, callback_id: int) -> Callback:
    callback = session.get(Callback, callback_id)
    if callback is None:
        raise NotFound("no_such_callback")
    if not may_work(actor.role, owner=callback.owner_id == actor.id):
        raise PermissionDenied("not_your_callback")
    return callback


def _stop_clock(complaint: Complaint, kind: str, now: datetime) -> None:
    """The complaint's clock a closed callback belonged to, stopped at ``now``: the
    follow-up is done (unreachable); an unreachable second follow-up closes the complaint."""
    if kind == CallbackKind.FOLLOWUP.value and complaint.followup_done_at is None:
        complaint.followup_done_at = now
    elif kind == CallbackKind.SECOND_FOLLOWUP.value and complaint.closed_at is None:
        complaint.status, complaint.closed_at = ComplaintStatus.CLOSED.value, now
    else:
        return
    complaint.version += 1


def undo_attempt(console: ServiceContext, actor: Actor, attempt_id: int) -> CallbackStatus:
    """Take back an attempt's outcome within the policy's undo window.

    The callback (and its complaint) are put back as they were; a second follow-up or a
    contact the attempt made goes; the attempt stays, marked undone, and an event says so.
    Only whoever recorded it may undo it; after the window it is refused ("undo_expired").
    """
    require(actor, Action.RECORD_ATTEMPT)
    now = console.now()
    with write_session(console.engine) as session:
        attempt = session.get(CallbackAttempt, attempt_id)
        if attempt is None:
            raise NotFound("no_such_callback")
        if attempt.actor_id != actor.id:
            raise PermissionDenied("not_your_callback")
        if attempt.undone_at is not None:
            raise ServiceError("undo_done")
        if now > attempt.at + console.policy.callbacks.undo_window:
            raise ServiceError("undo_expired")
        callback = _workable(session, actor, attempt.callback_id)
        prior = json.loads(attempt.prior or "{}")
        complaint = session.get(Complaint, callback.complaint_id) if callback.complaint_id else None
        second = session.get(Callback, prior.get("second_followup_id") or 0)
        if (
            latest_attempt_id(session=session, callback_id=attempt.callback_id) != attempt_id
            or (complaint is not None and complaint.version != prior.get("complaint_version"))
            or (second is not None and second.attempts)
        ):
            raise ServiceError("undo_superseded")  # someone carried on from this outcome
        _restore(callback, prior.get("callback", {}))
        session.add(callback)
        if complaint is not None and "complaint" in prior:
            _restore(complaint, prior["complaint"])
            complaint.version += 1
            session.add(complaint)
        contact = session.get(Contact, prior.get("contact_id") or 0)
        for made in (second, contact):
            if made is not None:
                session.delete(made)
        attempt.undone_at = now
        session.add(attempt)
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="callback_attempt_undone",
            callback_id=callback.id,
            complaint_id=callback.complaint_id,
            attempt_id=attempt_id,
            outcome=attempt.outcome,
        )
        return CallbackStatus(callback.status)
