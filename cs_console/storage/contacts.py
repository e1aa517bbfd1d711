"""Queries on contacts (calls, chats, counter visits)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from cs_console.storage.tables import Contact


@dataclass(frozen=True)
class ContactSummary:
    started_at: datetime
    contact_type: str | None
    outcome: str


def contact_history(
    *, session: Session, customer_id: int, limit: int = 5
) -> tuple[int, list[ContactSummary]]:
    """How many contacts a customer made, and the latest few."""
    total = session.exec(
        select(func.count()).select_from(Contact).where(Contact.customer_id == customer_id)
    ).one()
    rows = session.exec(
        select(Contact.started_at, Contact.contact_type, Contact.outcome)
        .where(Contact.customer_id == customer_id)
        .order_by(col(Contact.started_at).desc())
        .limit(limit)
    )
    return total, [ContactSummary(*row) for row in rows]
