"""Hearing of other consoles' writes at once on PostgreSQL (LISTEN/NOTIFY).

``append_event`` notifies ``CHANGES_CHANNEL`` in the writing transaction; this module keeps
one connection listening. SQLite has no such channel: there the consoles poll the change
marker (``events.change_marker``), which is exact because SQLite writers commit one at a
time in id order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from time import monotonic
from typing import Any

from sqlalchemy import Engine

from cs_console.storage.events import CHANGES_CHANNEL

# Seconds between looks at ``stop`` while nothing is heard: how long a listener outlives
# the screen that stopped it.
WAKE_EVERY = 0.25


def can_listen(engine: Engine) -> bool:
    """Whether the engine's database can notify listeners (PostgreSQL)."""
    return engine.dialect.name == "postgresql"


def listen_for_changes(
    engine: Engine,
    on_change: Callable[[], None],
    stop: threading.Event,
    *,
    at_most_every: float = 0.0,
    on_listening: Callable[[], None] | None = None,
) -> None:
    """Call ``on_change`` after committed writes of any console, until ``stop`` is set.

    ``on_listening`` is called once the subscription holds (what was written before it was
    not heard). A burst of writes makes one call: the first write is told at once, and
    whatever follows within ``at_most_every`` seconds in one more call at the end of that
    gap. Blocks: run it in a thread. Holds one connection of the pool, dropped (not
    returned) at the end so no pooled connection stays subscribed. Connection errors
    propagate; the caller falls back on polling.
    """
    import psycopg  # only PostgreSQL listens (can_listen), so only then is it loaded

    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        if not isinstance(conn, psycopg.Connection):
            raise TypeError("listening for changes needs a psycopg connection")
        conn.autocommit = True
        conn.execute(f"LISTEN {CHANGES_CHANNEL}")
        if on_listening is not None:
            on_listening()
        heard, quiet_until = False, 0.0
        while not stop.is_set():
            wait = WAKE_EVERY if not heard else min(WAKE_EVERY, quiet_until - monotonic())
            heard = _heard(conn, max(0.0, wait)) or heard
            if heard and monotonic() >= quiet_until and not stop.is_set():
                on_change()
                heard, quiet_until = False, monotonic() + at_most_every
    finally:
        raw.invalidate()


def _heard(conn: Any, seconds: float) -> bool:
    """Whether a notification arrives within ``seconds`` (those queued with it are read)."""
    return any(True for _ in conn.notifies(timeout=seconds, stop_after=1))
