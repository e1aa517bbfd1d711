"""Customers' personal data shown in full: only with a reason, and always recorded (信息安全).

Lists and the complaint screen show names and phones masked; revealing them is a use case
of its own, refused to roles that do not call customers and recorded in the audit trail
with who, which complaint and why, in the same transaction that reads the data.
"""

from __future__ import annotations

from cs_console.domain.enums import AuditAction
from cs_console.domain.masking import display_phone
from cs_console.domain.permissions import Action
from cs_console.domain.reasons import reason_problem
from cs_console.domain.text import clean_line
from cs_console.domain.validation import FieldError
from cs_console.services.context import (
    Actor,
    Console,
    InvalidInput,
    NotFound,
    data_key_of,
    require,
)
from cs_console.services.visibility import check_visible
from cs_console.storage.audit import append_audit
from cs_console.storage.complaints import complaint_record
from cs_console.storage.engine import write_session

REVEALED = "name,phone"


def reveal_customer(
    console: Console, actor: Actor, complaint_id: int, reason: str
) -> tuple[str, str]:
    """The full name and phone (as dialled) of a complaint's customer.

    ``reason`` must be a few real words (domain.reasons); the actor must be allowed to
    reveal and to see the complaint.
    The audit entry ("reveal", target "complaint:<reference>") names who and why.
    """
    require(actor, Action.REVEAL_PERSONAL_DATA)
    reason = clean_line(reason).strip()
    problem = reason_problem(reason, console.policy.security)
    if problem is not None:
        raise InvalidInput({"reason": problem.value})
    if len(reason) > console.policy.limits.max_field_chars:
        raise InvalidInput({"reason": FieldError.TOO_LONG.value})
    now = console.now()
    with write_session(console.engine) as session:
        record = complaint_record(
            session=session, key=data_key_of(actor), complaint_id=complaint_id
        )
        if record is None:
            raise NotFound("no_such_complaint")
        check_visible(session, actor, record.complaint)
        append_audit(
            session=session,
            at=now,
            actor_id=actor.id,
            action=AuditAction.REVEAL,
            target=f"complaint:{record.complaint.reference}",
            complaint_id=complaint_id,
            fields=REVEALED,
            reason=reason,
        )
        # Another person on the customer's number: the complaint is theirs, so is the name.
        name = record.contact_name or record.customer_name
        return name, display_phone(record.customer_phone)
