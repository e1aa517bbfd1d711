"""Who may take over a complaint or a callback, and the reason recorded with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from cs_console.domain.enums import AuditAction, Role
from cs_console.domain.permissions import CALL_DESK
from cs_console.domain.reasons import no_visible_words
from cs_console.domain.text import clean_text
from cs_console.domain.validation import FieldError
from cs_console.services.context import Actor, InvalidInput, ServiceContext
from cs_console.storage.audit import append_audit
from cs_console.storage.events import append_event
from cs_console.storage.users import user_by_name


@dataclass(frozen=True)
class NewOwner:
    """The account a complaint or callback is handed to."""

    id: int
    username: str


def typed_note(console: ServiceContext, field: str, value: str) -> str:
    """A note or reason as stored in an event: cleaned of escapes, within the text limit."""
    text = clean_text(value).strip()
    if len(text) > console.policy.limits.max_description_chars:
        raise InvalidInput({field: FieldError.TOO_LONG.value})
    return text


def handover_reason(console: ServiceContext, reason: str) -> str:
    """The reason of a hand-over or reassignment: required, cleaned, within the limit.

    Short is fine ("换班", or the prefilled "丢失"), but it must hold a visible word:
    zero-width or bidi characters, controls or markup alone are no reason.
    """
    text = typed_note(console, "reason", reason)
    if not reason.strip():
        raise InvalidInput({"reason": FieldError.REQUIRED.value})
    if no_visible_words(text):  # typed, but nothing a person can read
        raise InvalidInput({"reason": FieldError.REASON_TOO_VAGUE.value})
    return text


def new_owner(session: Session, to_username: str, current_owner_id: int | None) -> NewOwner:
    """The active call-desk account (agent, specialist, supervisor) named ``to_username``,
    other than the current owner; outlets and administrators hold no complaints."""
    target = user_by_name(session=session, username=to_username)
    if target is None or target.id is None or not target.active:
        raise InvalidInput({"to": "no_such_user"})
    if Role(target.role) not in CALL_DESK:
        raise InvalidInput({"to": "cannot_own_complaints"})
    if target.id == current_owner_id:
        raise InvalidInput({"to": "already_owner"})
    return NewOwner(target.id, target.username)


def record_hand_over(
    session: Session,
    *,
    at: datetime,
    actor: Actor,
    kind: str,
    target: str,
    previous: int | None,
    to: NewOwner,
    reason: str,
    complaint_id: int | None,
    callback_id: int | None = None,
) -> None:
    """The event (with the reason) and the audit entry of a change of owner.

    The reason stays in the event only: free text may name the customer, and the audit
    trail outlives the retention purge. ``target`` names what moved in the audit trail
    (``complaint:C-…`` or ``callback:N``).
    """
    append_event(
        session=session,
        at=at,
        actor_id=actor.id,
        kind=kind,
        complaint_id=complaint_id,
        callback_id=callback_id,
        from_user=previous,
        to_user=to.id,
        reason=reason,
    )
    append_audit(
        session=session,
        at=at,
        actor_id=actor.id,
        action=AuditAction.HAND_OVER,
        target=target,
        key=actor.data_key,
        from_user_id=previous,
        to_user_id=to.id,
        to=to.username,
    )
