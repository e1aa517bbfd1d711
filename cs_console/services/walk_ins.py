"""Walk-ins waiting for an owner (the overview's section): open complaints an outlet
registered and still holds, for a supervisor to give to the call desk (``hand_over``).

Outlets may not verify, resolve or call back, so a walk-in is worked only once it is handed
over; until then its clocks run in nobody's "my clocks".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from cs_console.domain.clocks import Clock
from cs_console.domain.complaint_clocks import pending_clocks, urgency_key
from cs_console.domain.masking import mask_name
from cs_console.domain.permissions import Action
from cs_console.services.context import Actor, ServiceContext, require
from cs_console.storage.walk_ins import walk_ins_waiting

# The overview lists this many, the oldest, and says how many more there are.
WALK_INS_SHOWN = 50


@dataclass(frozen=True)
class WalkIn:
    """An open walk-in held by its outlet, with its most urgent running clock."""

    id: int  # the complaint's id
    reference: str
    outlet: str
    category: str
    severity: str
    customer: str  # masked
    owner_id: int  # the outlet account
    clock: Clock | None  # None once every clock is done (a closing complaint)
    kind: str = "complaint"  # what the reassign dialog hands over


@dataclass(frozen=True)
class WalkInsWaiting:
    shown: tuple[WalkIn, ...]  # the oldest, as many as asked for
    total: int  # all open walk-ins held by outlets


def walk_ins_in(
    console: ServiceContext, actor: Actor, session: Session, now: datetime, limit: int
) -> WalkInsWaiting:
    """The waiting walk-ins, read in the caller's transaction (the overview's);
    supervisors only."""
    require(actor, Action.VIEW_OVERVIEW)
    policy = console.policy.clocks
    rows, total = walk_ins_waiting(session=session, key=actor.data_key, limit=limit)
    shown = []
    for row in rows:
        running = sorted(
            pending_clocks(row.times, policy), key=lambda c: urgency_key(c, now, policy)
        )
        shown.append(
            WalkIn(row.id, row.reference, row.outlet, row.category, row.severity,
                   mask_name(row.customer_name), row.owner_id, running[0] if running else None)
        )  # fmt: skip
    return WalkInsWaiting(tuple(shown), total)
