"""The overview's overdue work orders, with their outlet and the time over, and its
warning while next year's working-day calendar is unknown."""

from __future__ import annotations

import pytest

from cs_console.domain.enums import Role
from cs_console.domain.work_orders import OrderKind
from cs_console.i18n import set_language
from cs_console.services import calendar_check
from cs_console.services.complaints import register_complaint
from cs_console.services.context import ServiceContext
from cs_console.services.work_orders import send_work_order
from cs_console.ui.screens.complaint_detail import ComplaintScreen
from cs_console.ui.widgets.overdue_orders import OverdueOrderList
from tests.conftest import FakeClock, add_person
from tests.services.helpers import distinct_form
from tests.ui.screen_text import compact, widget_text
from tests.ui.supervisor import floor, opened, signed_in, until


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_language("zh-CN")


async def test_overdue_orders_show_with_their_outlet_and_open_the_complaint(
    sqlite_console: ServiceContext, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    console = sqlite_console
    floor(console, clock)
    monkeypatch.setattr(calendar_check, "calendar_known", lambda year, calendar: False)
    boss = add_person(console, "boss2", Role.SUPERVISOR, agent_no="9002")
    add_person(console, "xuhui", Role.OUTLET, agent_no="7002", outlet="徐汇[b]网点[/b]")
    add_person(console, "pudong", Role.OUTLET, agent_no="7001", outlet="浦东网点")
    late = register_complaint(console, boss, distinct_form(5, outlet="徐汇[b]网点[/b]"))
    on_time = register_complaint(console, boss, distinct_form(6, outlet="浦东网点"))
    send_work_order(console, boss, late.reference, OrderKind.INTERCEPT, "拦截退回")  # 2 h
    send_work_order(console, boss, on_time.reference, OrderKind.REDELIVER, "再投")  # 24 h
    clock.advance(hours=2, minutes=30)

    async with signed_in(console) as (app, pilot):
        screen = await opened(pilot)
        orders = screen.query_one(OverdueOrderList)
        assert [row.complaint_reference for row in orders.rows] == [late.reference]
        shown = widget_text(app, "#overdue-orders")
        assert f"✕{late.reference}拦截徐汇[b]网点[/b]-00:30:00拦截退回" in shown
        assert "逾期工单（1）" in compact(screen.query_one("#overdue-orders").border_title or "")
        year = console.now().astimezone(console.zone).year + 1
        assert f"⚠{year}年节假日未知" in compact(widget_text(app, "#overview-status"))

        orders.focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ComplaintScreen))
        assert app.screen.complaint_id == late.id  # type: ignore[attr-defined]
