"""The outlet counter (网点): the list of this outlet's complaints under the walk-in form."""

from __future__ import annotations

from cs_console.domain.complaint_clocks import all_clocks, pending_clocks, urgency_key
from cs_console.domain.masking import mask_name
from cs_console.domain.permissions import Action
from cs_console.services.context import (
    Actor,
    PermissionDenied,
    ServiceContext,
    data_key_of,
    require,
)
from cs_console.services.worklists import ClockRow
from cs_console.storage.complaints import complaints_of_outlet
from cs_console.storage.engine import read_session


def outlet_complaints(console: ServiceContext, actor: Actor, limit: int = 50) -> list[ClockRow]:
    """The newest ``limit`` complaints of the actor's outlet, newest first, names masked.

    Each row carries its running clocks, most urgent first; a closed complaint, whose
    clocks are all done, carries its last finished one.
    """
    require(actor, Action.VIEW_OUTLET_COMPLAINTS)
    if not actor.outlet:
        raise PermissionDenied("not_your_outlet")
    now, policy = console.now(), console.policy.clocks
    with read_session(console.engine) as session:
        rows = complaints_of_outlet(
            session=session, key=data_key_of(actor), outlet=actor.outlet, limit=limit
        )
    result = []
    for row in rows:
        clocks = sorted(
            pending_clocks(row.times, policy), key=lambda c: urgency_key(c, now, policy)
        )
        if not clocks:  # closed: every clock is done; show the one finished last
            clocks = [max(all_clocks(row.times, policy), key=lambda c: c.done_at or c.due)]
        result.append(
            ClockRow(
                row.id,
                row.reference,
                row.severity,
                row.category,
                row.status,
                mask_name(row.customer_name),
                tuple(clocks),
            )
        )
    return result
