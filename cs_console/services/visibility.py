"""Whether the actor may see or change one complaint (the rules are in domain.permissions)."""

from __future__ import annotations

from sqlmodel import Session

from cs_console.domain.enums import Role
from cs_console.domain.permissions import may_view, may_work
from cs_console.services.context import Actor, PermissionDenied
from cs_console.storage.tables import Complaint, User


def check_visible(session: Session, actor: Actor, complaint: Complaint) -> None:
    """Refuse unless the actor sees ``complaint``: own, team, outlet or everything by role."""
    owner = complaint.owner_id == actor.id
    same_team = False
    if actor.role is Role.AGENT and not owner and actor.team:
        holder = session.get(User, complaint.owner_id)
        same_team = holder is not None and holder.team == actor.team
    same_outlet = bool(actor.outlet) and complaint.outlet == actor.outlet
    if not may_view(actor.role, owner=owner, same_team=same_team, same_outlet=same_outlet):
        code = "not_your_outlet" if actor.role is Role.OUTLET else "complaint_not_visible"
        raise PermissionDenied(code)


def check_workable(actor: Actor, complaint: Complaint) -> None:
    """Refuse unless the actor may change ``complaint``: its owner, or a supervisor."""
    if not may_work(actor.role, owner=complaint.owner_id == actor.id):
        raise PermissionDenied("not_owner")
