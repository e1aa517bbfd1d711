"""Other consoles' writes: the change marker (both engines), LISTEN/NOTIFY (PostgreSQL)."""

from __future__ import annotations

import threading

from cs_console.services.changes import changes_since, follow_changes
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.storage.engine import make_engine

from .helpers import delay_form


def test_a_write_by_another_console_is_heard(
    console: ServiceContext, agent: Actor, db_url: str
) -> None:
    heard = threading.Event()
    stop = threading.Event()
    outcome: list[bool] = []
    listener = threading.Thread(
        target=lambda: outcome.append(follow_changes(console, heard.set, stop)), daemon=True
    )
    listener.start()
    before = changes_since(console)
    other = make_engine(db_url)  # the other desk
    try:
        elsewhere = ServiceContext(other, console.policy, console.zone, console.clock)
        # Let the listener subscribe first (a NOTIFY sent before LISTEN is not delivered).
        listener.join(0.5)
        register_complaint(elsewhere, agent, delay_form(2))
    finally:
        other.dispose()
    assert changes_since(console) > before  # what polling sees, on either engine
    if console.engine.dialect.name == "postgresql":
        assert heard.wait(2.0)  # pushed at commit
    stop.set()
    listener.join(5)
    assert not listener.is_alive()
    assert outcome == [console.engine.dialect.name == "postgresql"]
