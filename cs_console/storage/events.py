"""The append-only event history, and the change marker consoles poll.

On PostgreSQL every event also sends a NOTIFY on ``CHANGES_CHANNEL``; it is delivered when
the transaction commits, in commit order, so a console listening (``storage.change_feed``)
hears of every change, even one whose event id is lower than one committed before it
(sequence values are handed out at insert, not at commit).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, text
from sqlmodel import Session, col, select

from cs_console.storage.tables import Event, User

CHANGES_CHANNEL = "cs_console_changes"


@dataclass(frozen=True)
class EventRow:
    at: datetime
    actor: str
    kind: str
    detail: dict


def append_event(
    *,
    session: Session,
    at: datetime,
    actor_id: int | None,
    kind: str,
    complaint_id: int | None = None,
    callback_id: int | None = None,
    contact_id: int | None = None,
    **detail: object,
) -> None:
    """Record who did what, when, to which complaint, callback or contact.

    Inserted at once through the connection (not the unit of work): this is on the path of
    every change, and a prebuilt insert is several times cheaper than an ORM flush.
    """
    session.connection().execute(
        _INSERT_EVENT,
        {
            "at": at,
            "actor_id": actor_id,
            "kind": kind,
            "complaint_id": complaint_id,
            "callback_id": callback_id,
            "contact_id": contact_id,
            "detail": json.dumps(detail, ensure_ascii=False, default=str),
        },
    )
    if session.get_bind().dialect.name == "postgresql":
        # Repeated in one transaction, PostgreSQL folds them into one notification.
        session.connection().execute(_NOTIFY, {"channel": CHANGES_CHANNEL})


_INSERT_EVENT = insert(Event)
_NOTIFY = text("SELECT pg_notify(:channel, '')")


def complaint_events(*, session: Session, complaint_id: int) -> list[EventRow]:
    """A complaint's history, oldest first, with the actor's display name."""
    rows = session.exec(
        select(Event, col(User.display_name))
        .join(User, col(User.id) == col(Event.actor_id), isouter=True)
        .where(col(Event.complaint_id) == complaint_id)
        .order_by(col(Event.id))
    )
    return [EventRow(e.at, name or "", e.kind, json.loads(e.detail)) for e, name in rows]


def change_marker(*, session: Session) -> int:
    """The newest event id: when it moves, something changed (an index-only lookup)."""
    return session.exec(select(func.max(col(Event.id)))).one() or 0
