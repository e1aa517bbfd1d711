"""The outlet counter's work orders: the inbox beside the walk-in form shows this outlet's
open orders only, most urgent first, with live countdowns in the clocks' symbols; a new
order shows within 2 s; the clerk answers with one key and one line, Escape stepping back."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from cs_console.domain.enums import Role
from cs_console.domain.work_orders import OrderKind
from cs_console.i18n import set_language
from cs_console.services.complaints import register_complaint
from cs_console.services.context import Actor, ServiceContext
from cs_console.services.work_orders import send_work_order
from cs_console.ui.outlet.answer import OrderAnswerDialog
from cs_console.ui.screens.outlet import OutletScreen
from cs_console.ui.widgets.order_inbox import OrderInbox
from tests.conftest import FakeClock, add_person
from tests.services.helpers import distinct_form
from tests.ui.screen_text import compact, screen_text, widget_text
from tests.ui.support import rows, settle, type_text, until
from tests.ui.test_outlet import PUDONG, counter, outlet_app, outlet_ready

MINHANG = "闵行网点"


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_language("zh-CN")


def sender(console: ServiceContext) -> Actor:
    add_person(console, "minhang", Role.OUTLET, agent_no="7002", outlet=MINHANG)
    return add_person(console, "wangfang", agent_no="1024")


def _send(
    console: ServiceContext, agent: Actor, i: int, kind: OrderKind, text: str, outlet: str = PUDONG
) -> int:
    reference = register_complaint(console, agent, distinct_form(i, outlet=outlet)).reference
    return send_work_order(console, agent, reference, kind, text).id


def inbox(pilot: Pilot) -> OrderInbox:
    return pilot.app.screen.query_one(OrderInbox)


async def test_the_inbox_shows_its_own_outlets_orders_most_urgent_first(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    counter(sqlite_console)
    agent = sender(sqlite_console)
    urge = _send(sqlite_console, agent, 1, OrderKind.URGE, "[bold]急[/]")  # 4 h
    intercept = _send(sqlite_console, agent, 2, OrderKind.INTERCEPT, "拦截退回")  # 2 h
    _send(sqlite_console, agent, 3, OrderKind.URGE, "闵行的", outlet=MINHANG)
    clock.advance(hours=1, minutes=50)  # the intercept has 10 minutes left: amber

    app = outlet_app(sqlite_console)
    async with app.run_test(size=(80, 24)) as pilot:
        await outlet_ready(pilot)
        await until(pilot, lambda: len(inbox(pilot).rows) == 2)
        assert [row.id for row in inbox(pilot).rows] == [intercept, urge]
        shown = widget_text(app, "#order-inbox")
        assert "▲拦截C-20261122-000200:10:00拦截退回" in shown
        assert "●催件" in shown and "02:10:00" in shown
        assert "[bold]急[/]" in shown  # the agent's text, literally (never markup)
        assert "闵行的" not in screen_text(app)
        assert "工单浦东网点·2" in compact(screen_text(app))

        clock.advance(minutes=11)  # the countdown follows the clock: overdue
        await until(pilot, lambda: "✕拦截" in widget_text(app, "#order-inbox"), seconds=5)
        assert "-00:01:00" in widget_text(app, "#order-inbox")


async def test_the_clerk_answers_with_a_key_and_a_line_escape_stepping_back(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    counter(sqlite_console)
    agent = sender(sqlite_console)
    first = _send(sqlite_console, agent, 1, OrderKind.VERIFY, "请核实签收人")
    app = outlet_app(sqlite_console)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await outlet_ready(pilot)
        await until(pilot, lambda: len(inbox(pilot).rows) == 1)

        # A new order from the call desk shows within 2 s (SQLite: the marker each second).
        second = _send(sqlite_console, agent, 2, OrderKind.URGE, "客户急用")
        await until(pilot, lambda: len(inbox(pilot).rows) == 2, seconds=2)

        await pilot.press("f4")
        assert app.focused is inbox(pilot)
        await pilot.press("c")  # cannot: the reason is asked for
        await settle(pilot)
        assert isinstance(app.screen, OrderAnswerDialog)
        assert "无法完成的原因（必填）" in screen_text(app) and "请核实签收人" in screen_text(app)
        await pilot.press("enter")  # nothing typed: refused here, nothing sent
        await settle(pilot)
        assert "请填写无法完成的原因" in screen_text(app)
        await type_text(pilot, "快递员休假")
        assert "请填写无法完成的原因" not in screen_text(app)  # typed: no longer said
        await pilot.press("escape")  # back to the three keys, what was typed kept
        await settle(pilot)
        assert "处理结果？" in screen_text(app) and isinstance(app.screen, OrderAnswerDialog)
        await pilot.press("escape")  # out: nothing sent
        await settle(pilot)
        assert app.screen is screen
        assert [row.id for row in inbox(pilot).rows] == [first, second]

        await pilot.press("f")  # facts found, from the inbox under the cursor (the first)
        await settle(pilot)
        await type_text(pilot, "签收人是门卫")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        await until(pilot, lambda: [row.id for row in inbox(pilot).rows] == [second])
        told = [n.message for n in app._notifications]
        assert "已回复 C-20261122-0001 的工单" in told

        await pilot.press("enter", "d", "enter")  # done, no note needed
        await settle(pilot)
        await until(pilot, lambda: inbox(pilot).rows == [])
        assert "没有待处理的工单" in widget_text(app, "#order-inbox")
    answered = rows(sqlite_console, "SELECT id, result, answer FROM work_orders ORDER BY id")
    assert answered == [(first, "facts", "签收人是门卫"), (second, "done", "")]


async def test_the_inbox_and_the_answer_in_english(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    set_language("en")
    counter(sqlite_console)
    agent = sender(sqlite_console)
    _send(sqlite_console, agent, 1, OrderKind.READDRESS, "deliver to the office [Room 5]")
    app = outlet_app(sqlite_console)
    async with app.run_test(size=(80, 24)) as pilot:
        await outlet_ready(pilot)
        await until(pilot, lambda: len(inbox(pilot).rows) == 1)
        assert "Workorders浦东网点·1" in compact(screen_text(app))
        assert "●changeaddressC-20261122-0001" in widget_text(app, "#order-inbox")
        await pilot.press("f4", "enter")
        await settle(pilot)
        assert "What happened?  d done   c cannot be done   f facts found" in screen_text(app)
        await pilot.press("c")
        assert "Why it cannot be done (required)" in screen_text(app)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, OutletScreen)
