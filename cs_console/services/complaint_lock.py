"""Loading a complaint to change it: row-locked, and refused if someone else saved first."""

from __future__ import annotations

from sqlmodel import Session

from cs_console.domain.enums import ComplaintStatus
from cs_console.services.context import Actor, NotFound, ServiceError
from cs_console.services.visibility import check_workable
from cs_console.storage.tables import Complaint


class ComplaintChanged(ServiceError):
    """Someone else saved the complaint after this person loaded it: nothing was written."""


def load_for_update(
    session: Session, actor: Actor, complaint_id: int, expected_version: int | None
) -> Complaint:
    """The complaint, row-locked until the transaction ends (PostgreSQL; SQLite's BEGIN
    IMMEDIATE already serialises writers), refused if its version moved since
    ``expected_version`` was read: a second save never silently overwrites the first."""
    complaint = session.get(Complaint, complaint_id, with_for_update=True)
    if complaint is None:
        raise NotFound("no_such_complaint")
    check_workable(actor, complaint)  # the owner, or a supervisor
    if expected_version is not None and complaint.version != expected_version:
        raise ComplaintChanged("complaint_changed", reference=complaint.reference)
    if complaint.status == ComplaintStatus.CLOSED.value:
        raise ServiceError("complaint_closed")
    return complaint
