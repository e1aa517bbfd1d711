"""ctrl+q never drops a caller by a slip: during a call it asks first (quit / stay)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.timer import Timer

from cs_console.domain.enums import Role
from cs_console.i18n import set_language
from cs_console.services.context import ServiceContext
from cs_console.ui.screens.draft_restore import DraftRestoreScreen
from cs_console.ui.screens.quit_confirm import QuitDuringCallScreen
from cs_console.ui.workspace.lookup import CallerLookup
from cs_console.ui.workspace.screen import WorkspaceScreen
from tests.conftest import add_person
from tests.services.helpers import stored_drafts
from tests.ui.screen_text import compact, screen_text
from tests.ui.supervisor import opened, signed_in, until
from tests.ui.support import answer, people, rows, settle, shown, type_text, workspace


async def test_ctrl_q_during_a_call_asks_and_the_easy_keys_stay(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await type_text(pilot, "13812345678")
        for stay in ("enter", "escape"):
            await pilot.press("ctrl+q")
            await settle(pilot)
            assert isinstance(app.screen, QuitDuringCallScreen)
            text = compact(screen_text(app))
            assert "通话进行中" in text and "q仍然退出" in text
            await pilot.press("ctrl+q")  # pressed twice by a slip: still asking
            await settle(pilot)
            assert isinstance(app.screen, QuitDuringCallScreen)
            await pilot.press(stay)
            await settle(pilot)
            assert isinstance(app.screen, WorkspaceScreen) and app.is_running
            assert app.workspace().call.active
            assert app.workspace().call_pane.phone == "13812345678"
        await pilot.press("ctrl+q", "q")
        await settle(pilot)
        assert not app.is_running
    ((kind, payload),) = stored_drafts(sqlite_console)
    assert payload["call"]["phone"] == "13812345678"  # what was typed is kept as a draft
    # The call is ended as abandoned (no console holds it); the draft keeps it to go on.
    assert payload["contact_id"] is not None
    ended = "SELECT ended_at IS NOT NULL, outcome, contact_type FROM contacts"
    assert rows(sqlite_console, ended) == [(1, "abandoned", None)]


async def test_quitting_mid_call_does_not_leave_the_agent_on_a_call_in_the_overview(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    add_person(sqlite_console, "boss", Role.SUPERVISOR, agent_no="9001", display_name="周主管")
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await pilot.press("ctrl+q", "q")
        await settle(pilot)
        assert not app.is_running
    async with signed_in(sqlite_console) as (app, pilot):
        overview = await opened(pilot)
        row = next(line for line in shown(app).splitlines() if "王芳" in line)
        assert "1024" in row and "通话中" not in row
        assert overview.view is not None
        assert not any(agent.on_call for agent in overview.view.agents)

    async with workspace(sqlite_console) as (app, pilot):  # put back, the call goes on
        assert isinstance(app.screen, DraftRestoreScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert app.workspace().call.active
        opened_again = "SELECT ended_at IS NULL, outcome FROM contacts"
        await until(pilot, lambda: rows(sqlite_console, opened_again) == [(1, "")])


async def test_ctrl_q_with_no_call_quits_at_once(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        assert not app.workspace().call.active
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert not app.is_running


async def test_in_english_the_question_is_in_english(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    set_language("en")
    async with workspace(sqlite_console, size=(80, 24)) as (app, pilot):
        await answer(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        text = compact(screen_text(app))
        assert "Acallisinprogress" in text and "qquitanyway" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running


async def test_a_caller_look_up_due_as_the_console_closes_is_let_go(
    sqlite_console: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The look-up's pause ends just as the console closes: no look-up in half-removed panes."""
    people(sqlite_console)
    timers: list[Callable[[], object]] = []
    set_timer = CallerLookup.set_timer

    def kept(self: CallerLookup, delay: float, callback: Callable[[], object]) -> Timer:
        timers.append(callback)
        return set_timer(self, delay, callback)

    monkeypatch.setattr(CallerLookup, "set_timer", kept)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await type_text(pilot, "13812345678")
        lookup = app.screen.query_one(CallerLookup)
        lookup.call_next(timers[-1])  # what the pause's timer does when it ends
        app.exit()
        await app.screen.query_one("#insured").remove()  # closing removes the fields first
    assert app.return_code == 0
