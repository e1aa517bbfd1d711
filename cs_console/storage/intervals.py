"""Time differences in SQL, in each engine's own date arithmetic (SQLite stores times as
text, PostgreSQL as timestamps), for counts that compare durations without loading rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, SQLColumnExpression, func
from sqlmodel import Session


def millis_between(
    session: Session,
    later: SQLColumnExpression[datetime | None],
    earlier: SQLColumnExpression[datetime | None],
) -> ColumnElement[int]:
    """``later - earlier`` in milliseconds, exact to the millisecond on both engines.

    SQLite's date functions keep milliseconds: its Julian-day difference is rounded back
    to whole milliseconds, so that a duration equal to a threshold compares equal to it.
    """
    if session.get_bind().dialect.name == "sqlite":
        return func.round((func.julianday(later) - func.julianday(earlier)) * 86_400_000.0)
    return func.extract("epoch", later - earlier) * 1000
