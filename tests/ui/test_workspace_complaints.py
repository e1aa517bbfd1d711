"""Major complaints and their hand-over, reply promises and the callback queue."""

from __future__ import annotations

from datetime import timedelta

from cs_console.services.context import ServiceContext
from cs_console.ui.screens.handover import HandOverScreen
from cs_console.ui.widgets.callback_queue import CallbackQueue
from tests.conftest import FakeClock
from tests.ui.screen_text import widget_text
from tests.ui.support import (
    answer,
    fill_in,
    people,
    rows,
    script,
    settle,
    type_text,
    workspace,
)


async def test_a_major_loss_is_handed_to_a_specialist(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await fill_in(pilot, "13912345678", "YT1234567890123")
        await pilot.press("f3")
        await type_text(pilot, "李娜")
        await pilot.press("tab", "tab", "tab", "2")  # category: loss; on to the value
        await type_text(pilot, "800")
        await pilot.press("tab", "tab")  # past "insured" (not insured)
        await fill_in(pilot, "包裹显示已签收但本人没有收到", "找回包裹或按价值赔偿")
        await settle(pilot)

        preview = widget_text(app, "#preview")
        assert "重大投诉·丢失·转交专员" in preview
        assert "(6h)" in preview and "(48h)" in preview
        assert "核实≤20:00(6h)" in preview  # 14:00 + 6 h, Shanghai time
        assert "最高¥500" in preview

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HandOverScreen)
        dialog = widget_text(app, "#handover-dialog")
        assert "2001李四" in dialog and "2002赵敏" in dialog
        assert "丢失" in widget_text(app, "#handover-reason")  # prefilled from the severity
        await pilot.press("down", "enter")  # the second specialist
        await settle(pilot)

        assert not isinstance(app.screen, HandOverScreen)
        said = [str(n.message) for n in app._notifications]
        assert "已转交给 赵敏" in said  # the person's name, not their user name
        (complaint,) = rows(
            sqlite_console,
            "SELECT c.id, c.severity, u.username, c.status FROM complaints c"
            " JOIN users u ON u.id = c.owner_id",
        )
        assert complaint[1:] == ("major", "zhaomin", "verifying")
        events = rows(
            sqlite_console,
            "SELECT kind, detail FROM events WHERE complaint_id = :id ORDER BY id",
            id=complaint[0],
        )
        assert [kind for kind, _ in events] == ["registered", "handed_over"]
        assert "丢失" in events[1][1]
        assert "专员会在6小时内主动联系您" in script(app)


async def test_escape_keeps_a_major_complaint_with_the_agent(
    sqlite_console: ServiceContext,
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await pilot.press("f3")
        await fill_in(pilot, "王五", "13712345678", "SF1311234567890")
        await pilot.press("tab", "1")
        await fill_in(pilot, "5", "五天没到", "退运费")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HandOverScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert rows(
            sqlite_console,
            "SELECT c.severity, u.username FROM complaints c JOIN users u ON u.id = c.owner_id",
        ) == [("major", "wangfang")]
        assert rows(sqlite_console, "SELECT count(*) FROM events WHERE kind='handed_over'") == [
            (0,)
        ]


async def test_a_reply_promise_puts_a_callback_in_the_queue(
    sqlite_console: ServiceContext, clock: FakeClock
) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await type_text(pilot, "13812345678")
        await pilot.press("ctrl+r")
        await settle(pilot)

        ((status, due, contact_id),) = rows(
            sqlite_console, "SELECT status, due_at, contact_id FROM callbacks"
        )
        assert status == "pending"
        assert str(due).startswith(str(clock.now + timedelta(hours=1))[:19])
        assert contact_id is not None
        assert "我们会在1小时内给您回复" in script(app)
        queue = app.screen.query_one(CallbackQueue)
        assert len(queue.rows) == 1
        assert "15:00" in widget_text(app, "#callbacks")  # due 1 h after 14:00


async def test_a_reply_promise_without_a_phone_says_so(sqlite_console: ServiceContext) -> None:
    people(sqlite_console)
    async with workspace(sqlite_console) as (app, pilot):
        await answer(pilot)
        await type_text(pilot, "12345")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert rows(sqlite_console, "SELECT count(*) FROM callbacks") == [(0,)]
        assert app.screen.focused is not None and app.screen.focused.id == "call-phone"
        assert any("电话号码无效" in str(n.message) for n in app._notifications)
