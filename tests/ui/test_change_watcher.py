"""The change watcher: another console's write reaches the screen as ``DataChanged`` (the
marker on SQLite, NOTIFY on PostgreSQL), a burst is one message, a failure is the screen's
``JobFailed``, and no thread outlives the screen."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import pytest
from sqlalchemy import text
from textual.app import App, ComposeResult
from textual.screen import Screen

from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.storage.engine import make_engine
from cs_console.ui.change_watcher import ChangeWatcher
from cs_console.ui.messages import JobFailed
from tests.services.helpers import distinct_form
from tests.services.outage import ServerGate
from tests.ui.supervisor import until


class Watched(Screen[None]):
    """A screen that only watches, and notes what it is told."""

    def __init__(self, console: ServiceContext, every: float) -> None:
        super().__init__()
        self.console, self.every = console, every
        self.told: list[str] = []

    def compose(self) -> ComposeResult:
        yield ChangeWatcher(self.console, every=self.every, job="poll")

    def on_change_watcher_data_changed(self, _message: ChangeWatcher.DataChanged) -> None:
        self.told.append("changed")

    def on_job_failed(self, message: JobFailed) -> None:
        self.told.append(f"failed:{message.job}")


class Holder(App[None]):
    """Holds a ``Watched`` screen above its own, so popping it unmounts the watcher."""

    def __init__(self, screen: Watched) -> None:
        super().__init__()
        self.watched = screen

    def on_mount(self) -> None:
        self.push_screen(self.watched)


@contextmanager
def another_console(
    console: ServiceContext, db_url: str, clock: Callable[[], datetime] | None = None
) -> Iterator[ServiceContext]:
    """The same database through an engine of its own (another desk; its own clock)."""
    other = make_engine(db_url)
    try:
        yield ServiceContext(other, console.policy, console.zone, clock or console.clock)
    finally:
        other.dispose()


def watching_threads() -> int:
    """Threads running the watcher's loop now."""
    count = 0
    for frame in sys._current_frames().values():
        while frame is not None:
            code = frame.f_code
            if code.co_name == "_watch" and code.co_filename.endswith("change_watcher.py"):
                count += 1
                break
            frame = frame.f_back  # type: ignore[assignment]
    return count


def counted_looks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every read of the change marker from now on: the name of the function that read."""
    from cs_console.services import changes

    read, looked = changes.changes_since, []

    def counting(console: ServiceContext) -> int:
        looked.append(sys._getframe(1).f_code.co_name)
        return read(console)

    monkeypatch.setattr(changes, "changes_since", counting)
    return looked


def changes(screen: Watched) -> int:
    return screen.told.count("changed")


async def test_a_write_by_another_console_arrives_as_data_changed(
    console: ServiceContext, agent: Actor, db_url: str
) -> None:
    screen = Watched(console, every=0.3)
    async with Holder(screen).run_test() as pilot:
        await until(pilot, lambda: changes(screen) == 1)  # watching began
        await pilot.pause(0.5)
        assert screen.told == ["changed"]  # nothing written: nothing more told
        with another_console(console, db_url) as elsewhere:
            register_complaint(elsewhere, agent, distinct_form(1))
        await until(pilot, lambda: changes(screen) == 2, seconds=2.0)
        assert watching_threads() == 1
        pilot.app.pop_screen()
        await until(pilot, lambda: watching_threads() == 0, seconds=2.0)
    assert "failed:poll" not in screen.told


async def test_a_burst_of_writes_is_one_message_or_two(
    console: ServiceContext, agent: Actor, db_url: str
) -> None:
    screen = Watched(console, every=2.0)
    async with Holder(screen).run_test() as pilot:
        await until(pilot, lambda: changes(screen) == 1)
        with another_console(console, db_url) as elsewhere:
            for i in range(5):
                register_complaint(elsewhere, agent, distinct_form(i))
        await until(pilot, lambda: changes(screen) >= 2, seconds=3.0)
        await pilot.pause(2.5)  # a trailing message for the rest of the burst, at most
        assert 2 <= changes(screen) <= 3


async def test_a_server_that_goes_away_is_told_and_its_return_too(
    sqlite_console: ServiceContext,
) -> None:
    gate = ServerGate(sqlite_console.engine)
    screen = Watched(sqlite_console, every=0.2)
    async with Holder(screen).run_test() as pilot:
        await until(pilot, lambda: changes(screen) == 1)
        gate.down()
        await until(pilot, lambda: "failed:poll" in screen.told)
        gate.up()
        await until(pilot, lambda: changes(screen) == 2)
        assert screen.told[-1] == "changed"


def only_on_postgresql(console: ServiceContext) -> None:
    """Skip the test on SQLite, which has no LISTEN/NOTIFY (it polls the marker)."""
    if console.engine.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite polls the change marker")


def listening_pids(console: ServiceContext) -> list[int]:
    """The server processes of the connections that listen for changes (PostgreSQL)."""
    with console.engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                    " AND query LIKE 'LISTEN %'"
                )
            ).scalars()
        )


async def test_a_dropped_listener_falls_back_on_the_marker_and_listens_again(
    console: ServiceContext, agent: Actor, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_on_postgresql(console)
    monkeypatch.setattr("cs_console.ui.change_watcher.LISTEN_RETRY", 1.0)
    looked = counted_looks(monkeypatch)
    screen = Watched(console, every=0.2)
    async with Holder(screen).run_test() as pilot:
        await until(pilot, lambda: changes(screen) == 1)
        (listener,) = listening_pids(console)
        with console.engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": listener})
        await until(pilot, lambda: changes(screen) == 2)  # polling: the first look tells
        with another_console(console, db_url) as elsewhere:
            register_complaint(elsewhere, agent, distinct_form(1))
        await until(pilot, lambda: changes(screen) >= 3)
        await until(pilot, lambda: [p for p in listening_pids(console) if p != listener] != [])
        await pilot.pause(0.5)  # listening began: told once more
        told, looks = changes(screen), len(looked)
        with another_console(console, db_url) as elsewhere:
            register_complaint(elsewhere, agent, distinct_form(2))
        await until(pilot, lambda: changes(screen) > told)
        assert len(looked) == looks  # heard, not polled
    assert "failed:poll" not in screen.told  # the server answered all along


async def test_the_watcher_stops_with_the_app(sqlite_console: ServiceContext) -> None:
    screen = Watched(sqlite_console, every=5.0)  # asleep between looks when the app stops
    async with Holder(screen).run_test() as pilot:
        await until(pilot, lambda: changes(screen) == 1)
        assert watching_threads() == 1
    for _ in range(20):
        if watching_threads() == 0:
            break
        threading.Event().wait(0.05)
    assert watching_threads() == 0
