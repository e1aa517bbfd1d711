"""The issue's pilot: an agent sends a verify order from a complaint; the outlet console (a
second app in the same test, on the same database through an engine of its own) sees it
within 2 s and answers; the agent sees the answer and verifies with it. An intercept is
refused for a signed parcel. Both engines."""

from __future__ import annotations

import time

import pytest
from textual.pilot import Pilot

from cs_console.i18n import set_language
from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.ui.outlet.answer import OrderAnswerDialog
from cs_console.ui.screens.complaint_detail import ComplaintScreen
from cs_console.ui.screens.send_order_dialog import SendOrderDialog
from cs_console.ui.widgets.clock_list import ClockList
from cs_console.ui.widgets.order_inbox import OrderInbox
from tests.conftest import add_person
from tests.services.helpers import distinct_form
from tests.ui.screen_text import compact, screen_text, widget_text
from tests.ui.support import ready, rows, settle, signed_in_app, type_text, until
from tests.ui.test_change_watcher import another_console
from tests.ui.test_outlet import PUDONG, counter, outlet_app, outlet_ready

FOUND = "签收人是门卫[老张]，快递放在门卫室"


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_language("zh-CN")


async def open_first_clock(pilot: Pilot) -> ComplaintScreen:
    """F10 into my clocks, Enter on the first: the complaint screen, loaded."""
    await pilot.press("f10", "home", "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, ComplaintScreen))
    screen = pilot.app.screen
    assert isinstance(screen, ComplaintScreen)
    await until(pilot, lambda: screen.view is not None and not screen.busy)
    return screen


async def send_order(pilot: Pilot, *keys: str) -> None:
    """w on the complaint screen, the dialog's defaults loaded, then ``keys``."""
    await pilot.press("w")
    await until(pilot, lambda: isinstance(pilot.app.screen, SendOrderDialog))
    dialog = pilot.app.screen
    assert isinstance(dialog, SendOrderDialog)
    await until(pilot, lambda: not dialog.busy)
    await pilot.press(*keys)
    await settle(pilot)


async def test_verify_order_answered_by_the_outlet_and_verified_with_its_finding(
    console: ServiceContext, db_url: str
) -> None:
    agent = add_person(console, "wangfang", agent_no="1024", display_name="王芳")
    counter(console)
    said = "客户说没接到电话，快递就被签收了"
    register_complaint(console, agent, distinct_form(1, outlet=PUDONG, description=said))

    with another_console(console, db_url) as counter_db:
        desk, outlet = signed_in_app(console), outlet_app(counter_db)
        async with (
            desk.run_test(size=(120, 35)) as agent_pilot,
            outlet.run_test(size=(80, 24)) as outlet_pilot,
        ):
            await ready(agent_pilot)
            await outlet_ready(outlet_pilot)
            inbox = outlet.screen.query_one(OrderInbox)
            assert inbox.rows == []

            # The agent: the complaint from my clocks, w, 1 (verify), Enter.
            complaint = await open_first_clock(agent_pilot)
            await send_order(agent_pilot, "1", "enter")
            sent_at = time.monotonic()
            assert desk.screen is complaint
            await until(agent_pilot, lambda: "已向网点发工单" in screen_text(desk))
            assert "工单1已发往浦东网点" in compact(screen_text(desk))

            # The outlet sees it within 2 s, with what the customer said.
            await until(outlet_pilot, lambda: len(inbox.rows) == 1, seconds=2.5)
            assert time.monotonic() - sent_at <= 2.0
            assert said[:8] in widget_text(outlet, "#order-inbox")
            await outlet_pilot.press("f4", "f")
            await settle(outlet_pilot)
            assert isinstance(outlet.screen, OrderAnswerDialog)
            await type_text(outlet_pilot, FOUND)
            await outlet_pilot.press("enter")
            await until(outlet_pilot, lambda: inbox.rows == [])

            # The agent: "outlet replied" in my clocks, the finding in the history.
            await agent_pilot.press("escape")
            clocks = desk.screen.query_one(ClockList)
            await until(agent_pilot, lambda: bool(clocks.rows) and clocks.rows[0].outlet_replied)
            assert widget_text(desk, "#my-clocks").endswith("复")  # 网点已回复, narrowed
            complaint = await open_first_clock(agent_pilot)
            history = compact(widget_text(desk, "#complaint-history"))
            assert "网点已回复工单" in history and compact(FOUND) in history
            await agent_pilot.press("v")
            await until(agent_pilot, lambda: "依据浦东网点的核实结果" in compact(screen_text(desk)))

    (detail,) = rows(console, "SELECT detail FROM events WHERE kind = 'verified'")[0]
    assert FOUND in detail and '"outlet": "浦东网点"' in detail


async def test_an_intercept_of_a_signed_parcel_is_refused_with_the_reason(
    console: ServiceContext,
) -> None:
    agent = add_person(console, "wangfang", agent_no="1024", display_name="王芳")
    counter(console)
    register_complaint(console, agent, distinct_form(1, outlet=PUDONG))
    desk = signed_in_app(console)
    async with desk.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await open_first_clock(pilot)
        await send_order(pilot, "3", "s", "enter")  # intercept; the parcel is signed for
        assert isinstance(desk.screen, SendOrderDialog)
        assert "包裹已签收，不能再拦截或改址" in compact(screen_text(desk))
        await pilot.press("escape")  # nothing sent; back to the complaint
        await settle(pilot)
        assert isinstance(desk.screen, ComplaintScreen)
    assert rows(console, "SELECT count(*) FROM work_orders") == [(0,)]


async def test_ctrl_w_sends_an_order_about_the_complaint_under_my_clocks_cursor(
    console: ServiceContext,
) -> None:
    agent = add_person(console, "wangfang", agent_no="1024", display_name="王芳")
    counter(console)
    register_complaint(console, agent, distinct_form(1, outlet=PUDONG))
    desk = signed_in_app(console)
    async with desk.run_test(size=(120, 35), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+w")  # nothing at hand yet: told, no dialog
        await settle(pilot)
        assert not isinstance(desk.screen, SendOrderDialog)
        assert any("没有可发工单的投诉" in n.message for n in desk._notifications)

        await pilot.press("f10", "ctrl+w")
        await until(pilot, lambda: isinstance(desk.screen, SendOrderDialog))
        dialog = desk.screen
        assert isinstance(dialog, SendOrderDialog)
        await until(pilot, lambda: not dialog.busy)
        await pilot.press("2", "enter")  # urge delivery
        await until(pilot, lambda: not isinstance(desk.screen, SendOrderDialog))
        await until(pilot, lambda: any("已发往浦东网点" in n.message for n in desk._notifications))
    assert rows(console, "SELECT kind, outlet FROM work_orders") == [("urge", PUDONG)]
