"""Helpers for the workspace tests: people, an app on the test console, typing, waiting."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from sqlalchemy import text
from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.message_pump import MessagePump
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from cs_console.domain.complaint_entry import ComplaintForm
from cs_console.domain.enums import Role
from cs_console.services.accounts import authenticate
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.ui.factory import make_app
from tests.conftest import add_person
from tests.ui.screen_text import compact, screen_text, widget_text

PASSWORD = "secret-pass-1"


def people(console: ServiceContext) -> None:
    """The agent 王芳 (1024) and two specialists."""
    add_person(console, "wangfang", agent_no="1024", display_name="王芳")
    add_person(console, "lisi", Role.SPECIALIST, agent_no="2001", display_name="李四")
    add_person(console, "zhaomin", Role.SPECIALIST, agent_no="2002", display_name="赵敏")


def signed_in_app(console: ServiceContext, **kwargs: object) -> App:
    app = make_app(console=console, username="wangfang", password=PASSWORD)
    app.cursor_blink = False  # type: ignore[attr-defined]
    return app


def the_agent(console: ServiceContext) -> Actor:
    """王芳, signed in (people() made her account)."""
    return authenticate(console, "wangfang", PASSWORD).actor


def attitude_form(
    customer_name: str = "赵磊",
    phone: str = "13712345678",
    tracking_no: str = "SF1311234567001",
    description: str = "态度差",
) -> ComplaintForm:
    """A complaint about a courier's attitude, asking for an apology."""
    return ComplaintForm(
        customer_name=customer_name,
        phone=phone,
        tracking_no=tracking_no,
        category="attitude",
        description=description,
        request="道歉",
    )


def a_complaint(console: ServiceContext, **form: str) -> str:
    """An attitude complaint (``attitude_form(**form)``) registered by 王芳: its reference."""
    return register_complaint(console, the_agent(console), attitude_form(**form)).reference


@asynccontextmanager
async def workspace(
    console: ServiceContext, size: tuple[int, int] = (120, 35), *, toasts: bool = False
) -> AsyncIterator[tuple[App, Pilot]]:
    """王芳's workspace on ``console`` in a terminal of ``size``, ready: the app, the pilot.

    ``toasts``: notifications are shown (Textual's test runner hides them otherwise).
    """
    app = signed_in_app(console)
    async with app.run_test(size=size, notifications=toasts) as pilot:
        await ready(pilot)
        yield app, pilot


def _nodes(app: App) -> list[MessagePump]:
    """The app, its screens and every widget on them."""
    return [
        app,
        *(node for screen in app.screen_stack for node in screen.walk_children(with_self=True)),
    ]


def _handling(app: App) -> bool:
    """Whether a message or callback is waiting to be handled anywhere in the app.

    Looked at directly: Textual's idle test (little CPU used in 20 ms) also passes when a
    loaded machine simply did not run the process, with a chain of messages still going.
    """
    return any(not node._message_queue.empty() or node._next_callbacks for node in _nodes(app))


async def settle(pilot: Pilot, delay: float = 0.0) -> None:
    """Let workers finish and the messages they and the keys started be handled.

    After a pause, looks until two looks in a row find no worker running and no message
    being handled (at most 50 looks): a worker's answer can start the next one (a save
    reloads the lists), and a poll's worker can start while the test waits. Not the
    worker following other consoles' writes (PostgreSQL's LISTEN): it runs as long as the
    workspace does. Timers still to fire are not waited for: ``debounced`` does that.
    """
    await pilot.pause(delay) if delay else await pilot.pause()
    quiet = 0
    for _ in range(50):
        finite = [w for w in pilot.app.workers if w.group != "follow"]
        if finite:  # (an empty list would mean every worker)
            quiet = 0
            # An exclusive worker replaced by a newer one is cancelled: the next round waits.
            with suppress(WorkerCancelled):
                await pilot.app.workers.wait_for_complete(finite)
        elif _handling(pilot.app):
            quiet = 0
        else:
            quiet += 1
            if quiet == 2:
                return
        await pilot.pause()


def _pending_timers(app: App, longest: float) -> list[asyncio.Task]:
    """The running one-shot timers (``set_timer``) of the app, its screens and their
    widgets that were set for at most ``longest`` seconds."""
    return [
        timer._task
        for node in _nodes(app)
        for timer in list(node._timers)
        if timer._repeat == 0
        and timer._interval <= longest
        and timer._task is not None
        and not timer._task.done()
    ]


async def debounced(pilot: Pilot, longest: float = 0.4) -> None:
    """Settle, and until every debounce set for at most ``longest`` seconds has fired (a
    lookup's after the last keystroke, a draft's) and what it started settled too.

    Replaces a fixed wait of ``longest``: it ends as soon as the timers have run, and a
    timer set for longer than ``longest`` is not waited for, so a debounce that grew past
    what the test allows still fails the test.
    """
    deadline = time.monotonic() + 30  # a timer runs late on a loaded machine, never this late
    while True:
        await settle(pilot)
        pending = _pending_timers(pilot.app, longest)
        if not pending:
            return
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"timers never fired: {pending}")
        await asyncio.wait(pending, timeout=left)


async def until(pilot: Pilot, condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Until ``condition()`` holds, for at most ``seconds`` (wall clock), then a settle, as
    a fixed wait of ``seconds`` followed by ``settle`` would; fails if it never does.

    The wait ends as soon as it holds: the default is generous (a loaded machine), and a
    test that promises a bound (a poll every second, a tick) passes its own.
    """
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() >= deadline:
            await settle(pilot)  # what had started by then (a poll's worker) finishes
            if condition():
                return
            raise AssertionError(f"not within {seconds} s")
        await pilot.pause(0.02)


async def toasts_shown(pilot: Pilot, count: int) -> None:
    """Until ``count`` notifications are on screen as toasts, then settle."""
    from textual.widgets._toast import Toast

    await until(pilot, lambda: len(pilot.app.screen.query(Toast)) == count)
    await settle(pilot)


async def ready(pilot: Pilot) -> None:
    """Until the workspace is signed in and has looked for a draft."""
    for _ in range(100):
        await settle(pilot)
        workspace = pilot.app.workspace()  # type: ignore[attr-defined]
        if workspace is not None and workspace.built and workspace.desk and workspace.drafts.ready:
            return
        if workspace is not None and pilot.app.screen is not workspace:
            return  # a modal (draft, password) is up
        await pilot.pause(0.02)
    raise AssertionError("the workspace never became ready")


async def type_text(pilot: Pilot, words: str) -> None:
    """Type ``words`` as a terminal delivers them, one key event per character.

    ``Pilot.press`` drops full-width punctuation (，。), so the events are made here.
    """
    for character in words:
        pilot.app.post_message(events.Key(_character_to_key(character), character))
    await pilot.pause()


async def answer(pilot: Pilot) -> None:
    """F2: a call comes in, and is recorded."""
    await pilot.press("f2")
    await settle(pilot)


async def fill_in(pilot: Pilot, *values: str) -> None:
    """Type each value in a field, pressing Tab between them."""
    for index, value in enumerate(values):
        if index:
            await pilot.press("tab")
        await type_text(pilot, value)


@dataclass
class Keyboard:
    """Presses keys; counts those that are not part of the words and numbers typed."""

    pilot: Pilot
    moves: list[str] = field(default_factory=list)

    async def type(self, words: str) -> None:
        await type_text(self.pilot, words)

    async def key(self, *keys: str) -> None:
        self.moves.extend(keys)
        await self.pilot.press(*keys)


def shown(app: App) -> str:
    return screen_text(app)


def shown_compact(app: App) -> str:
    return compact(screen_text(app))


def rows(console: ServiceContext, sql: str, **params: object) -> list[tuple]:
    with console.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def script(app: App) -> str:
    """The SAY NEXT box as the agent sees it."""
    return widget_text(app, "#script-line")
