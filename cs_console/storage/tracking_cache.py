"""The tracking providers' answers kept in the database, one per provider and number.

Every console and command on the database shares them, so a number is asked of the provider
at most once per the policy's ``[tracking] cache_minutes`` whoever asks (kuaidi100 locks a
number queried more often). The answer is stored as the JSON the services layer wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, SQLModel, col, select

from cs_console.storage.tables import TrackingAnswer


@dataclass(frozen=True)
class CachedAnswer:
    payload: str  # JSON
    fetched_at: datetime


def cached_answer(
    *, session: Session, provider: str, tracking_no: str, since: datetime
) -> CachedAnswer | None:
    """The answer ``provider`` gave about ``tracking_no`` at or after ``since``, if any."""
    row = session.exec(
        select(TrackingAnswer.payload, TrackingAnswer.fetched_at).where(
            TrackingAnswer.provider == provider,
            TrackingAnswer.tracking_no == tracking_no,
            col(TrackingAnswer.fetched_at) >= since,
        )
    ).first()
    return None if row is None else CachedAnswer(row[0], row[1])


@cache
def _answer_upsert(dialect: str) -> Executable:
    """INSERT … ON CONFLICT (provider, tracking_no) DO UPDATE: two consoles storing the same
    number's answer at once both succeed, the later one's answer kept."""
    from sqlalchemy.dialects import postgresql, sqlite

    table = SQLModel.metadata.tables[TrackingAnswer.__tablename__]
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return statement.on_conflict_do_update(
        index_elements=["provider", "tracking_no"],
        set_={"payload": statement.excluded.payload, "fetched_at": statement.excluded.fetched_at},
    )


def store_answer(
    *, session: Session, provider: str, tracking_no: str, payload: str, fetched_at: datetime
) -> None:
    """Keep ``provider``'s answer about ``tracking_no``, replacing an older one."""
    statement = _answer_upsert(session.get_bind().dialect.name)
    values = {
        "provider": provider,
        "tracking_no": tracking_no,
        "payload": payload,
        "fetched_at": fetched_at,
    }
    session.execute(statement, values)
