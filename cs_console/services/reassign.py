"""Supervisors move a callback to another person (a recorded hand-over, like a complaint's)."""

from __future__ import annotations

from cs_console.domain.enums import CallbackStatus
from cs_console.domain.permissions import Action
from cs_console.services.context import (
    Actor,
    NotFound,
    ServiceContext,
    ServiceError,
    require,
)
from cs_console.services.owners import handover_reason, new_owner, record_hand_over
from cs_console.storage.engine import write_session
from cs_console.storage.tables import Callback


def reassign_callback(
    console: ServiceContext, actor: Actor, callback_id: int, to_username: str, reason: str
) -> None:
    """Give a pending callback to another person, with a reason (event and audit entry)."""
    require(actor, Action.REASSIGN)
    reason = handover_reason(console, reason)
    now = console.now()
    with write_session(console.engine) as session:
        callback = session.get(Callback, callback_id)
        if callback is None:
            raise NotFound("no_such_callback")
        if callback.status != CallbackStatus.PENDING.value:
            raise ServiceError("callback_done")
        target = new_owner(session, to_username, callback.owner_id)
        previous = callback.owner_id
        callback.owner_id = target.id
        session.add(callback)
        record_hand_over(
            session,
            at=now,
            actor=actor,
            kind="callback_reassigned",
            target=f"callback:{callback_id}",
            previous=previous,
            to=target,
            reason=reason,
            complaint_id=callback.complaint_id,
            callback_id=callback_id,
        )
