"""A write applied at most once: the write and its idempotency key in one transaction.

Every write of the journalled write path carries a key from its first attempt (a UUID
made by services/journal/writes.py). The key and what the write answered are inserted into
``applied_writes`` in the write's own transaction, online as at replay, so a write whose
COMMIT reached the server but whose answer was lost (the connection dropped meanwhile) is
journalled with the same key, and the replay finds it and takes the stored result instead
of writing again (services/journal/replay.py).

The key is inserted after the use case has run, inside the transaction the use case's
write sessions join: the transaction (and SQLite's write lock) begins with the use case's
first statement, not before its validation; two replays racing on one key meet the unique
constraint and one of them rolls back whole.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from cs_console.services.context import Actor, ServiceContext
from cs_console.services.journal.operation import Operation
from cs_console.storage.applied_writes import record_key
from cs_console.storage.engine import joined_writes, write_session

R = TypeVar("R")


def apply_once(
    console: ServiceContext, actor: Actor, write: Operation[R], *, key: str, at: datetime
) -> tuple[R, Any]:
    """Send ``write`` and record ``key`` (applied ``at``) with its result in the same
    transaction; the result as the use case answered it and as the journal keeps it."""
    with write_session(console.engine) as session:
        with joined_writes(session):
            result = write.send(console, actor)
        kept = write.result_json(result)
        record_key(session=session, key=key, operation=write.operation, at=at, result=kept)
    return result, kept
