"""Other consoles' writes, for the screens that show live data: the change marker (both
engines) and, on PostgreSQL, a notification as each write commits (LISTEN/NOTIFY)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from cs_console.services.context import ServiceContext
from cs_console.storage.change_feed import can_listen, listen_for_changes
from cs_console.storage.engine import read_session
from cs_console.storage.events import change_marker


def follow_changes(
    console: ServiceContext,
    on_change: Callable[[], None],
    stop: threading.Event,
    *,
    at_most_every: float = 0.0,
    on_listening: Callable[[], None] | None = None,
) -> bool:
    """On PostgreSQL, call ``on_change`` as soon as any console commits a change, until
    ``stop`` is set (blocks: run it in a thread); a burst of writes within
    ``at_most_every`` seconds is one more call. ``on_listening`` is called once listening
    has begun. False at once where the database cannot notify (SQLite): the change marker
    is then the only way to know. A lost connection raises."""
    if not can_listen(console.engine):
        return False
    listen_for_changes(
        console.engine, on_change, stop, at_most_every=at_most_every, on_listening=on_listening
    )
    return True


def changes_since(console: ServiceContext) -> int:
    """The change marker: compare with the last value to know whether to refresh."""
    with read_session(console.engine) as session:
        return change_marker(session=session)
