"""Moving a registered complaint along: verify it, negotiate a resolution, hand it over;
one transaction each (registering is services.complaints)."""

from __future__ import annotations

from typing import Any, TypedDict

from sqlalchemy import update
from sqlmodel import col

from cs_console.domain.compensation import needs_approval
from cs_console.domain.enums import CallbackStatus, CompensationKind, ComplaintStatus
from cs_console.domain.permissions import Action
from cs_console.services.complaint_lock import load_for_update
from cs_console.services.context import (
    Actor,
    InvalidInput,
    ServiceContext,
    ServiceError,
    require,
)
from cs_console.services.owners import (
    handover_reason,
    new_owner,
    record_hand_over,
    typed_note,
)
from cs_console.services.resolutions import (
    ResolutionOutcome,
    agree,
    check_reason,
    clear_proposal,
    hold_for_approval,
    suggestion_for,
)
from cs_console.storage.engine import write_session
from cs_console.storage.events import append_event
from cs_console.storage.tables import Callback
from cs_console.storage.work_orders import latest_finding


class _AboveSuggestion(TypedDict, total=False):
    """What the event of a sum above the policy's suggestion adds: why, and the suggestion."""

    reason: str
    suggested_fen: int | None


def mark_verified(
    console: ServiceContext,
    actor: Actor,
    complaint_id: int,
    note: str = "",
    *,
    expected_version: int | None = None,
) -> None:
    """The facts are checked (核实): stops the verify clock.

    Without a ``note`` of the person's own, the outlet's finding (the answer to the
    complaint's last answered verify order) is the record of what was checked.

    With ``expected_version`` (the version the person's screen loaded) the save is refused
    with ``ComplaintChanged`` when someone else saved the complaint meanwhile.
    """
    require(actor, Action.VERIFY)
    note = typed_note(console, "note", note)
    now = console.now()
    with write_session(console.engine) as session:
        complaint = load_for_update(session, actor, complaint_id, expected_version)
        if complaint.verified_at is not None:
            raise ServiceError("already_verified")
        finding = (
            None if note.strip() else latest_finding(session=session, complaint_id=complaint_id)
        )
        # The outlet's finding taken as the record: which order, from which outlet.
        taken: dict[str, Any] = {"order": finding.id, "outlet": finding.outlet} if finding else {}
        complaint.verified_at = now
        complaint.status = ComplaintStatus.VERIFIED.value
        complaint.version += 1
        session.add(complaint)
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            kind="verified",
            complaint_id=complaint_id,
            late=now > complaint.verify_due,
            note=note or (finding.answer if finding else ""),
            **taken,
        )


def record_resolution(
    console: ServiceContext,
    actor: Actor,
    complaint_id: int,
    *,
    kind: CompensationKind,
    amount_fen: int | None,
    accepted: bool,
    note: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> ResolutionOutcome:
    """A negotiation round: accepted, it resolves the complaint and schedules the follow-up.

    A sum above the policy's suggestion (domain.compensation.needs_approval) needs
    ``reason``, a few real words; accepted, it is held for a supervisor's approval
    (services.resolutions) and the complaint is not resolved until then. Each round replaces
    a proposal still waiting. Every round moves the version, so two people negotiating at
    once never both succeed when they pass the ``expected_version`` they loaded.
    """
    require(actor, Action.RECORD_RESOLUTION)
    if amount_fen is not None and not 0 <= amount_fen <= console.policy.limits.max_amount_fen:
        raise InvalidInput({"amount": "too_large" if amount_fen > 0 else "negative"})
    note = typed_note(console, "note", note)
    reason = typed_note(console, "reason", reason)
    now = console.now()
    with write_session(console.engine) as session:
        complaint = load_for_update(session, actor, complaint_id, expected_version)
        suggestion = suggestion_for(complaint, console.policy.compensation)
        above = needs_approval(amount_fen, suggestion)
        if above:
            check_reason(console, reason)
        above_suggestion: _AboveSuggestion = (
            {"reason": reason, "suggested_fen": suggestion.amount_fen} if above else {}
        )
        outcome = (
            ResolutionOutcome.AWAITING_APPROVAL
            if accepted and above
            else ResolutionOutcome.RESOLVED
            if accepted
            else ResolutionOutcome.NEGOTIATED
        )
        append_event(
            session=session,
            at=now,
            actor_id=actor.id,
            complaint_id=complaint_id,
            kind=outcome.event,
            compensation=kind.value,
            amount_fen=amount_fen,
            note=note,
            **above_suggestion,
        )
        complaint.version += 1
        clear_proposal(complaint)
        if outcome is ResolutionOutcome.AWAITING_APPROVAL:
            hold_for_approval(complaint, kind, amount_fen, reason, actor.id)
        elif outcome is ResolutionOutcome.RESOLVED:
            agree(session, console, complaint, kind, amount_fen, now)
        session.add(complaint)
        return outcome


def hand_over(
    console: ServiceContext,
    actor: Actor,
    complaint_id: int,
    to_username: str,
    reason: str,
    *,
    expected_version: int | None = None,
) -> None:
    """Give a complaint to another person (首问负责制: recorded with who, to whom and why).

    The owner hands over their own; moving someone else's is a reassignment (supervisors).
    """
    require(actor, Action.HAND_OVER)
    reason = handover_reason(console, reason)
    now = console.now()
    with write_session(console.engine) as session:
        complaint = load_for_update(session, actor, complaint_id, expected_version)
        if complaint.owner_id != actor.id:
            require(actor, Action.REASSIGN)
        target = new_owner(session, to_username, complaint.owner_id)
        previous = complaint.owner_id
        complaint.owner_id = target.id
        # The follow-ups of the complaint go with it (首问负责制: the owner calls back).
        session.execute(
            update(Callback)
            .where(
                col(Callback.complaint_id) == complaint_id,
                col(Callback.status) == CallbackStatus.PENDING.value,
            )
            .values(owner_id=target.id)
        )
        complaint.version += 1
        if complaint.status == ComplaintStatus.REGISTERED.value:
            complaint.status = ComplaintStatus.VERIFYING.value
        session.add(complaint)
        record_hand_over(
            session,
            at=now,
            actor=actor,
            kind="handed_over",
            target=f"complaint:{complaint.reference}",
            previous=previous,
            to=target,
            reason=reason,
            complaint_id=complaint_id,
        )
