"""Helpers for the workspace tests: people, an app on the test console, typing, waiting."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text
from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.pilot import Pilot

from cs_console.domain.enums import Role
from cs_console.services.context import Console
from cs_console.ui.factory import make_app
from tests.conftest import add_person
from tests.ui.screen_text import compact, screen_text, widget_text

PASSWORD = "secret-pass-1"
# Markup, links, actions, emoji codes and terminal escapes: all must show as typed (or,
# for escapes, vanish) and never style, act or crash (PITFALLS.md).
INJECTIONS = (
    "[",
    "[/]",
    "[/b]",
    "[TODO]",
    "[bold red]x",
    "[@click=app.quit]x[/]",
    "[link=http://x]y[/link]",
    ":smile:",
    "\x1b[2J",
    "\x1b]52;c;aGk=\x07",
)


def people(console: Console) -> None:
    """The agent 王芳 (1024) and two specialists."""
    add_person(console, "wangfang", agent_no="1024", display_name="王芳")
    add_person(console, "lisi", Role.SPECIALIST, agent_no="2001", display_name="李四")
    add_person(console, "zhaomin", Role.SPECIALIST, agent_no="2002", display_name="赵敏")


def signed_in_app(console: Console, **kwargs: object) -> App:
    app = make_app(console=console, username="wangfang", password=PASSWORD)
    app.cursor_blink = False  # type: ignore[attr-defined]
    return app


async def settle(pilot: Pilot, delay: float = 0.0) -> None:
    """Let timers fire, workers finish and their messages be handled."""
    await pilot.pause(delay) if delay else await pilot.pause()
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def ready(pilot: Pilot) -> None:
    """Until the workspace is signed in and has looked for a draft."""
    for _ in range(100):
        await settle(pilot, 0.02)
        workspace = pilot.app.workspace()  # type: ignore[attr-defined]
        if workspace is not None and workspace.built and workspace.desk and workspace.drafts.ready:
            return
        if workspace is not None and pilot.app.screen is not workspace:
            return  # a modal (draft, password) is up
    raise AssertionError("the workspace never became ready")


async def type_text(pilot: Pilot, words: str) -> None:
    """Type ``words`` as a terminal delivers them, one key event per character.

    ``Pilot.press`` drops full-width punctuation (，。), so the events are made here.
    """
    for character in words:
        pilot.app.post_message(events.Key(_character_to_key(character), character))
    await pilot.pause()


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


def rows(console: Console, sql: str, **params: object) -> list[tuple]:
    with console.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def script(app: App) -> str:
    """The SAY NEXT box as the agent sees it."""
    return widget_text(app, "#script-line")
