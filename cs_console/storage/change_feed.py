"""Hearing of other consoles' writes at once on PostgreSQL (LISTEN/NOTIFY).

``append_event`` notifies ``CHANGES_CHANNEL`` in the writing transaction; this module keeps
one connection listening. SQLite has no such channel: there the consoles poll the change
marker (``events.change_marker``), which is exact because SQLite writers commit one at a
time in id order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import Engine

from cs_console.storage.events import CHANGES_CHANNEL


def can_listen(engine: Engine) -> bool:
    """Whether the engine's database can notify listeners (PostgreSQL)."""
    return engine.dialect.name == "postgresql"


def listen_for_changes(
    engine: Engine, on_change: Callable[[], None], stop: threading.Event, wake_every: float = 1.0
) -> None:
    """Call ``on_change`` after each committed write of any console, until ``stop`` is set.

    Blocks: run it in a thread. Holds one connection of the pool, dropped (not returned)
    at the end so no pooled connection stays subscribed. Connection errors propagate; the
    caller falls back on polling.
    """
    import psycopg  # only PostgreSQL listens (can_listen), so only then is it loaded

    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        if not isinstance(conn, psycopg.Connection):
            raise TypeError("listening for changes needs a psycopg connection")
        conn.autocommit = True
        conn.execute(f"LISTEN {CHANGES_CHANNEL}")
        while not stop.is_set():
            heard = False
            for _ in conn.notifies(timeout=wake_every):
                heard = True
                break
            if heard:
                on_change()
    finally:
        raw.invalidate()
