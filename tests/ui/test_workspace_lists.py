"""My clocks and the callback queue on the workspace: opening, recording, folding."""

from __future__ import annotations

from cs_console.services.callbacks import promise_reply
from cs_console.services.context import ServiceContext
from cs_console.ui.screens.complaint_detail import ComplaintScreen
from cs_console.ui.widgets.callback_queue import CallbackQueue
from cs_console.ui.widgets.clock_list import ClockList
from tests.conftest import FakeClock
from tests.ui.screen_text import widget_text
from tests.ui.support import (
    a_complaint,
    people,
    rows,
    settle,
    the_agent,
    until,
    workspace,
)


async def test_enter_on_my_clocks_opens_the_complaint(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    reference = a_complaint(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        clocks = app.screen.query_one(ClockList)
        assert [row.reference for row in clocks.rows] == [reference]
        clocks.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ComplaintScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.workspace()


async def test_a_callback_attempt_is_recorded_from_the_queue(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    promise_reply(sqlite_console, the_agent(sqlite_console), phone="13512345678", name="王小明")
    async with workspace(sqlite_console) as (app, pilot):
        await pilot.press("f4")
        assert isinstance(app.screen.focused, CallbackQueue)
        await pilot.press("n")  # no answer: tried again later
        await settle(pilot)
        assert rows(sqlite_console, "SELECT status, attempts FROM callbacks") == [("pending", 1)]
        await pilot.press("r", "enter")  # reached; nothing to note
        await settle(pilot)
        assert rows(sqlite_console, "SELECT status FROM callbacks") == [("done",)]
        assert app.screen.query_one(CallbackQueue).rows == []


async def test_the_lists_fold_away_at_80_columns_and_come_back_with_f7(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    reference = a_complaint(sqlite_console)
    async with workspace(sqlite_console, (80, 24)) as (app, pilot):
        lists = app.screen.query_one("#lists-column")
        assert not lists.display or lists.region.width == 0
        await pilot.press("f7")
        await pilot.pause()
        assert lists.region.width > 0
        assert reference[-4:] in widget_text(app, "#my-clocks")
        assert isinstance(app.screen.focused, ClockList)
        await pilot.press("f3")  # the form comes back where it was
        await pilot.pause()
        assert app.screen.query_one("#form-column").region.width > 0
        assert app.screen.focused.id == "customer_name"
    async with workspace(sqlite_console) as (app, pilot):
        assert pilot.app.screen.query_one("#lists-column").region.width > 0
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert pilot.app.screen.query_one("#lists-column").region.width == 0


async def test_another_console_s_change_shows_within_the_poll(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        assert app.screen.query_one(ClockList).rows == []
        a_complaint(sqlite_console)  # as if typed at another console
        await until(pilot, lambda: len(app.screen.query_one(ClockList).rows) == 1, 2.3)
        await settle(pilot)
        assert len(app.screen.query_one(ClockList).rows) == 1
        assert "1超时" not in widget_text(app, "#alerts")
