"""Customers' personal data shown in full: only with a reason, and always recorded (信息安全).

Lists and the complaint screen show names and phones masked; revealing them is a use case
of its own, refused to roles that do not call customers and recorded in the audit trail
with who, which complaint and why, in the same transaction that reads the data.
"""

from __future__ import annotations

from cs_console.domain.enums import AuditAction
from cs_console.domain.masking import display_phone
from cs_console.domain.permissions import Action, may_work
from cs_console.domain.reasons import reason_problem
from cs_console.domain.text import clean_line
from cs_console.domain.validation import FieldError
from cs_console.services.context import (
    Actor,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ServiceContext,
    data_key_of,
    require,
)
from cs_console.services.visibility import check_visible
from cs_console.storage.audit import append_audit
from cs_console.storage.callbacks import phone_to_dial
from cs_console.storage.complaints import complaint_record
from cs_console.storage.engine import write_session
from cs_console.storage.tables import Callback, Customer

REVEALED = "name,phone"


def _checked_reason(console: ServiceContext, reason: str) -> str:
    """A reveal's reason: a few real words (domain.reasons), within the field's length."""
    reason = clean_line(reason).strip()
    problem = reason_problem(reason, console.policy.security)
    if problem is not None:
        raise InvalidInput({"reason": problem.value})
    if len(reason) > console.policy.limits.max_field_chars:
        raise InvalidInput({"reason": FieldError.TOO_LONG.value})
    return reason


def reveal_customer(
    console: ServiceContext, actor: Actor, complaint_id: int, reason: str
) -> tuple[str, str]:
    """The full name and phone (as dialled) of a complaint's customer.

    ``reason`` must be a few real words (domain.reasons); the actor must be allowed to
    reveal and to see the complaint.
    The audit entry ("reveal", target "complaint:<reference>") names who and why.
    """
    require(actor, Action.REVEAL_PERSONAL_DATA)
    reason = _checked_reason(console, reason)
    now = console.now()
    key = data_key_of(actor)
    with write_session(console.engine) as session:
        record = complaint_record(session=session, key=key, complaint_id=complaint_id)
        if record is None:
            raise NotFound("no_such_complaint")
        check_visible(session, actor, record.complaint)
        append_audit(
            session=session,
            at=now,
            actor_id=actor.id,
            action=AuditAction.REVEAL,
            target=f"complaint:{record.complaint.reference}",
            key=key,
            complaint_id=complaint_id,
            fields=REVEALED,
            reason=reason,
        )
        # Another person on the customer's number: the complaint is theirs, so is the name.
        name = record.contact_name or record.customer_name
        return name, display_phone(record.customer_phone)


def reveal_callback_phone(
    console: ServiceContext, actor: Actor, callback_id: int, reason: str
) -> str:
    """The number a callback dials, in full (as dialled), for its owner or a supervisor.

    Recorded like any reveal: the audit entry ("reveal", target "callback:<id>", the phone)
    names who and why, in the transaction that reads the number.
    """
    require(actor, Action.REVEAL_PERSONAL_DATA)
    reason = _checked_reason(console, reason)
    now = console.now()
    key = data_key_of(actor)
    with write_session(console.engine) as session:
        callback = session.get(Callback, callback_id)
        if callback is None:
            raise NotFound("no_such_callback")
        if not may_work(actor.role, owner=callback.owner_id == actor.id):
            raise PermissionDenied("not_your_callback")
        customer = session.get(Customer, callback.customer_id)
        assert customer is not None  # a foreign key
        phone = phone_to_dial(key=key, callback_phone=callback.phone, customer_phone=customer.phone)
        append_audit(
            session=session,
            at=now,
            actor_id=actor.id,
            action=AuditAction.REVEAL,
            target=f"callback:{callback_id}",
            key=key,
            complaint_id=callback.complaint_id,
            fields="phone",
            reason=reason,
        )
        return display_phone(phone)
